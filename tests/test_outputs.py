import errno
import hashlib
import json
import os

import pytest

from vnparty.outputs import STEM, Layout, OutputFolder, OutputFolderError, listing

LAYOUT = Layout("demo", (rf"tables/{STEM}\.csv", rf"figures/{STEM}\.png"))


def sha(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def run(out, files: dict[str, bytes], force: bool = False) -> dict:
    with OutputFolder(out, LAYOUT, force=force) as folder:
        for name, data in files.items():
            folder.write(name, data)
        folder.commit({"settings": {}})
    return json.loads((out / "manifest.json").read_text(encoding="utf-8"))


def manifest(out, outputs: dict[str, str]) -> None:
    (out / "manifest.json").write_text(json.dumps({"vnparty_demo": 1, "outputs": outputs}),
                                       encoding="utf-8")


def snapshot(folder) -> dict[str, bytes | str]:
    return {name: os.readlink(folder / name) if (folder / name).is_symlink()
            else (folder / name).read_bytes() for name in listing(folder)}


def test_writes_files_and_manifest_and_nothing_else(tmp_path):
    out = tmp_path / "out"
    written = run(out, {"tables/a.csv": b"a", "figures/b.png": b"b"})
    assert written["vnparty_demo"] == 1
    assert written["outputs"] == {"figures/b.png": sha(b"b"), "tables/a.csv": sha(b"a")}
    assert listing(out) == ["figures/b.png", "manifest.json", "tables/a.csv"]  # no scratch left


def test_a_rerun_replaces_and_removes_only_its_own_files(tmp_path):
    run(tmp_path, {"tables/a.csv": b"a", "tables/old.csv": b"old", "figures/x.png": b"x"})
    written = run(tmp_path, {"tables/a.csv": b"A"})
    assert set(written["outputs"]) == {"tables/a.csv"}
    assert listing(tmp_path) == ["manifest.json", "tables/a.csv"]  # figures/ removed when empty
    assert (tmp_path / "tables" / "a.csv").read_bytes() == b"A"


def test_manifest_entries_outside_the_folder_or_foreign_are_never_deleted(tmp_path):
    # a manifest is untrusted: even with the right hashes, an entry is deleted only when it is
    # a name the command writes, inside the folder, and unchanged
    out = tmp_path / "out"
    (out / "tables").mkdir(parents=True)
    victim = tmp_path / "victim.txt"
    victim.write_bytes(b"keep")
    (out / "notes.txt").write_bytes(b"notes")
    (out / "tables" / "edited.csv").write_bytes(b"edited by hand")
    (out / "tables" / "link.csv").symlink_to(victim)
    (out / "tables" / "ours.csv").write_bytes(b"ours")
    manifest(out, {"../victim.txt": sha(b"keep"), str(victim): sha(b"keep"),
                   "notes.txt": sha(b"notes"), "tables/../notes.txt": sha(b"notes"),
                   "tables/edited.csv": sha(b"as vnparty wrote it"),
                   "tables/link.csv": sha(b"keep"), "tables/ours.csv": sha(b"ours")})
    shown = r"3 file\(s\).*\(notes.txt, tables/edited.csv, tables/link.csv\)"
    with pytest.raises(OutputFolderError, match=shown):
        OutputFolder(out, LAYOUT)
    run(out, {"tables/new.csv": b"new"}, force=True)
    assert victim.read_bytes() == b"keep"
    assert (out / "notes.txt").read_bytes() == b"notes"
    assert (out / "tables" / "edited.csv").read_bytes() == b"edited by hand"
    assert (out / "tables" / "link.csv").is_symlink()
    assert not (out / "tables" / "ours.csv").exists()  # vnparty's own, unchanged: removed


def test_an_unmarked_manifest_is_foreign(tmp_path):
    (tmp_path / "manifest.json").write_text('{"outputs": {"notes.txt": "x"}}', encoding="utf-8")
    with pytest.raises(OutputFolderError, match="did not write.*manifest.json"):
        OutputFolder(tmp_path, LAYOUT)
    with pytest.raises(OutputFolderError, match="manifest.json was not written by `vnparty demo`"):
        OutputFolder(tmp_path, LAYOUT, force=True)
    assert (tmp_path / "manifest.json").read_text(encoding="utf-8").startswith('{"outputs"')


def test_force_never_overwrites_a_foreign_file(tmp_path):
    (tmp_path / "tables").mkdir()
    (tmp_path / "tables" / "a.csv").write_bytes(b"the user's")
    (tmp_path / "figures").symlink_to(tmp_path / "tables")  # writing through it would escape
    before = snapshot(tmp_path)
    for files in ({"tables/a.csv": b"a"}, {"figures/b.png": b"b"}):
        with pytest.raises(OutputFolderError, match="does not overwrite them"):
            run(tmp_path, files, force=True)
        assert snapshot(tmp_path) == before
        assert sorted(p.name for p in tmp_path.iterdir()) == ["figures", "tables"]


def test_a_disk_full_while_moving_leaves_a_folder_the_next_run_accepts(tmp_path, monkeypatch):
    run(tmp_path, {"tables/a.csv": b"a1", "tables/b.csv": b"b1", "tables/c.csv": b"c1"})
    real, moves = os.replace, []

    def full_on_the_second_move(source, target):
        if ".vnparty-run-" in str(source) and ".vnparty-run-" not in str(target):
            moves.append(target)
            if len(moves) == 2:
                raise OSError(errno.ENOSPC, "No space left on device", str(target))
        return real(source, target)

    monkeypatch.setattr(os, "replace", full_on_the_second_move)
    with pytest.raises(OSError, match="No space"):
        run(tmp_path, {"tables/a.csv": b"a2", "tables/b.csv": b"b2", "tables/c.csv": b"c2",
                       "tables/d.csv": b"d2"})
    monkeypatch.setattr(os, "replace", real)
    assert (tmp_path / "tables" / "a.csv").read_bytes() == b"a2"  # moved before the failure
    assert (tmp_path / "tables" / "b.csv").read_bytes() == b"b1"
    scratch = [p for p in tmp_path.iterdir() if p.name.startswith(".vnparty-run-")]
    assert [sorted(q.name for q in p.iterdir()) for p in scratch] == [[".vnparty-run",
                                                                       "journal.json"]]
    written = run(tmp_path, {"tables/a.csv": b"a3", "tables/d.csv": b"d3"})  # no --force needed
    assert set(written["outputs"]) == {"tables/a.csv", "tables/d.csv"}
    assert listing(tmp_path) == ["manifest.json", "tables/a.csv", "tables/d.csv"]


def test_a_failure_while_building_changes_nothing(tmp_path):
    run(tmp_path, {"tables/a.csv": b"a"})
    before = snapshot(tmp_path)
    with pytest.raises(RuntimeError):
        with OutputFolder(tmp_path, LAYOUT) as folder:
            folder.write("tables/a.csv", b"changed")
            raise RuntimeError("a fit failed")
    assert snapshot(tmp_path) == before and sorted(os.listdir(tmp_path)) == ["manifest.json",
                                                                             "tables"]


def test_the_scratch_folder_of_a_killed_run_is_removed_by_the_next_run(tmp_path):
    folder = OutputFolder(tmp_path, LAYOUT).__enter__()
    folder.write("tables/a.csv", b"a")
    folder._release()  # the process is gone: its lock with it, its files stay
    scratch = folder.scratch
    assert (scratch / "tables" / "a.csv").is_file()
    run(tmp_path, {"tables/b.csv": b"b"})
    assert not scratch.exists() and listing(tmp_path) == ["manifest.json", "tables/b.csv"]


def test_a_scratch_folder_without_marker_is_foreign(tmp_path):
    fake = tmp_path / ".vnparty-run-0123abcd"
    fake.mkdir()
    (fake / "data.csv").write_bytes(b"mine")
    with pytest.raises(OutputFolderError, match="0123abcd/data.csv"):
        OutputFolder(tmp_path, LAYOUT)
    run(tmp_path, {"tables/a.csv": b"a"}, force=True)
    assert (fake / "data.csv").read_bytes() == b"mine"


def test_a_live_run_in_the_folder_is_refused(tmp_path):
    with OutputFolder(tmp_path, LAYOUT) as first:
        first.write("tables/a.csv", b"a")
        with pytest.raises(OutputFolderError, match="another vnparty run is writing"):
            OutputFolder(tmp_path, LAYOUT, force=True)
        first.commit({})
    assert listing(tmp_path) == ["manifest.json", "tables/a.csv"]


def test_names_outside_the_layout_are_refused(tmp_path):
    assert not LAYOUT.allows("../a.csv") and not LAYOUT.allows("/tables/a.csv")
    assert not LAYOUT.allows("tables/../a.csv") and not LAYOUT.allows("tables\\a.csv")
    assert not LAYOUT.allows("tables/.hidden.csv") and not LAYOUT.allows(["tables/a.csv"])
    with OutputFolder(tmp_path, LAYOUT) as folder, pytest.raises(ValueError, match="is not a name"):
        folder.write("../escape.csv", b"x")
    assert not (tmp_path.parent / "escape.csv").exists()


def test_nothing_is_created_before_the_run(tmp_path):
    OutputFolder(tmp_path / "a" / "b", LAYOUT)
    assert not (tmp_path / "a").exists()
    (tmp_path / "file").write_bytes(b"")
    with pytest.raises(OutputFolderError, match="is a file"):
        OutputFolder(tmp_path / "file" / "out", LAYOUT)


@pytest.mark.parametrize("umask", [0o022, 0o077])
def test_file_modes_follow_the_umask(tmp_path, umask):
    old = os.umask(umask)
    try:
        run(tmp_path, {"tables/a.csv": b"a"})
        with open(tmp_path / "plain", "w"):
            pass
    finally:
        os.umask(old)
    expected = 0o666 & ~umask
    assert (tmp_path / "plain").stat().st_mode & 0o777 == expected
    for name in ("tables/a.csv", "manifest.json"):
        assert (tmp_path / name).stat().st_mode & 0o777 == expected, name
    assert (tmp_path / "tables").stat().st_mode & 0o777 == 0o777 & ~umask
