import errno
import hashlib
import json
import os
import shutil
import signal
import stat
import subprocess
import sys
from dataclasses import asdict

import pandas as pd
import pytest

from vnparty.cli import main
from vnparty.outputs import OutputFolder, listing
from vnparty.report import Settings, differences
from vnparty.report_parts import Writer as _Writer
from vnparty.reproduce import LAYOUT, OutputFolderError, check, reproduce

SMALL = Settings(k=4, ks=(4, 5), seeds=(0, 1))
PNG_ONLY = Settings(k=4, ks=(4, 5), seeds=(0, 1), formats=("png",))
SMALL_FLAGS = ["--k", "4", "--ks", "4", "5", "--seeds", "0", "1"]


def sha(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def snapshot(folder) -> dict[str, bytes]:
    return {name: (folder / name).read_bytes() for name in listing(folder)}


@pytest.fixture(scope="module")
def first_run(tmp_path_factory):
    out = tmp_path_factory.mktemp("results")
    reproduce(out, SMALL, progress=False)
    return out


def test_writes_figures_tables_explorer_and_manifest(first_run):
    manifest = json.loads((first_run / "manifest.json").read_text(encoding="utf-8"))
    outputs = manifest["outputs"]
    for name in ["tables/topics_lda.csv", "tables/topics_nmf.csv", "tables/doc_topic_nmf.csv",
                 "tables/scores.csv", "tables/select_k.csv", "tables/prevalence_province_lda.csv",
                 "tables/prevalence_year_nmf.csv", "tables/stopwords_removed.csv",
                 "tables/documents_cited.csv", "tables/alignment_lda_nmf.csv",
                 "figures/top_words_nmf.png", "figures/top_words_nmf.svg",
                 "figures/top_words_nmf.pdf", "figures/wordclouds_lda.png",
                 "figures/doc_topic_articles_lda.pdf", "figures/select_k.svg",
                 "figures/alignment_lda_nmf.png", "figures/corpus_overview.png",
                 "figures/documents_cited.png", "figures/prevalence_year_nmf.png",
                 "explorer/lda.html", "explorer/nmf.html"]:
        assert name in outputs and (first_run / name).is_file(), name
    assert set(outputs) | {"manifest.json"} == {
        p.relative_to(first_run).as_posix() for p in first_run.rglob("*") if p.is_file()}
    assert manifest["settings"]["k"] == 4 and manifest["settings"]["seeds"] == [0, 1]
    assert {"vnparty", "python", "gensim", "scikit-learn", "pyvi"} <= set(manifest["versions"])
    assert any(name.startswith("data/articles/") for name in manifest["inputs"])


def test_a_second_run_is_byte_identical_and_check_reports_extra_files(first_run, tmp_path):
    # check() regenerates everything (PNG, SVG, PDF, CSV, HTML) and compares the hashes: only
    # the file the manifest does not list differs
    copy = tmp_path / "copy"
    shutil.copytree(first_run, copy)
    (copy / "tables" / "extra.csv").write_text("x\n", encoding="utf-8")
    assert check(copy) == ["tables/extra.csv"]


def _settings_json() -> dict:
    return json.loads(json.dumps(asdict(SMALL)))


@pytest.mark.parametrize("manifest, message", [
    ("{not json", "is not valid JSON"),
    ("[1, 2]", "is not a manifest written by `vnparty reproduce`"),
    ({"settings": "SMALL"}, 'has no "outputs"'),
    ({"settings": "SMALL", "outputs": ["tables/a.csv"]}, 'has no "outputs"'),
    ({"outputs": {}}, 'has no complete "settings"'),
    ({"settings": {"k": 4}, "outputs": {}}, 'has no complete "settings"'),
    ({"settings": {**_settings_json(), "k": "4"}, "outputs": {}}, "settings are not valid.*k='4'"),
    ({"settings": {**_settings_json(), "seeds": [0]}, "outputs": {}}, "settings are not valid"),
    ({"settings": "SMALL", "outputs": {"../victim.txt": "0" * 64}}, "does not write.*victim"),
    ({"settings": "SMALL", "outputs": {"tables/a.csv": "x"}}, "does not write.*tables/a.csv"),
])
def test_check_refuses_a_damaged_manifest_before_regenerating(tmp_path, monkeypatch, manifest,
                                                              message):
    import vnparty.reproduce as module

    monkeypatch.setattr(module, "reproduce", lambda *a, **k: pytest.fail("regenerated"))
    if isinstance(manifest, dict):
        if manifest.get("settings") == "SMALL":
            manifest["settings"] = _settings_json()
        manifest = json.dumps({"vnparty_reproduce": 1, **manifest})
    (tmp_path / "manifest.json").write_text(manifest, encoding="utf-8")
    with pytest.raises(ValueError, match=message) as error:
        check(tmp_path)
    assert str(tmp_path / "manifest.json") in str(error.value)


def test_differences_name_changed_missing_and_extra_files(tmp_path):
    (tmp_path / "a.csv").write_text("a", encoding="utf-8")
    (tmp_path / "b.csv").write_text("b", encoding="utf-8")
    from vnparty.report import _sha256
    recorded = {"a.csv": _sha256(b"a"), "b.csv": _sha256(b"b"), "gone.csv": _sha256(b"g")}
    assert differences(tmp_path, recorded, dict(recorded)) == ["gone.csv"]  # missing on disk
    fresh = {"a.csv": _sha256(b"a"), "b.csv": _sha256(b"B"), "new.csv": _sha256(b"n")}
    (tmp_path / "gone.csv").write_text("g", encoding="utf-8")
    assert differences(tmp_path, recorded, fresh) == ["b.csv", "gone.csv", "new.csv"]
    (tmp_path / "a.csv").write_text("edited by hand", encoding="utf-8")
    assert "a.csv" in differences(tmp_path, recorded, recorded)


def test_explorer_is_self_contained(first_run):
    page = (first_run / "explorer" / "nmf.html").read_text(encoding="utf-8")
    assert "<script src" not in page and "http://" not in page and "https://" not in page
    assert "<link" not in page and "cấp_ủy" in page or "đảng_viên" in page


def test_refuses_foreign_files_and_never_deletes_them(tmp_path):
    out = tmp_path / "out"
    out.mkdir()
    (out / "notes.txt").write_text("mine", encoding="utf-8")
    (tmp_path / "victim.txt").write_text("keep", encoding="utf-8")
    # a manifest is untrusted: the right hashes do not make these files vnparty's to delete
    (out / "manifest.json").write_text(json.dumps({"vnparty_reproduce": 1, "outputs": {
        "../victim.txt": sha(b"keep"), str(tmp_path / "victim.txt"): sha(b"keep"),
        "notes.txt": sha(b"mine")}}), encoding="utf-8")
    with pytest.raises(OutputFolderError, match="did not write.*notes.txt.*--force"):
        reproduce(out, SMALL, progress=False)
    reproduce(out, PNG_ONLY, force=True, progress=False)
    assert (out / "notes.txt").read_text(encoding="utf-8") == "mine"
    assert (tmp_path / "victim.txt").read_text(encoding="utf-8") == "keep"
    assert (out / "figures" / "select_k.png").is_file()
    assert "../victim.txt" not in json.loads((out / "manifest.json").read_text())["outputs"]


def test_the_issue_s_hostile_manifest_deletes_nothing(tmp_path, capsys):
    r = tmp_path / "r"
    r.mkdir()
    (tmp_path / "victim.txt").write_text("keep\n", encoding="utf-8")
    (r / "notes.txt").write_text("notes\n", encoding="utf-8")
    (r / "manifest.json").write_text('{"outputs": {"../victim.txt": "x", "notes.txt": "x"}}',
                                     encoding="utf-8")
    before = snapshot(tmp_path)
    assert main(["reproduce", "--out", str(r), *SMALL_FLAGS]) == 1
    assert "did not write" in capsys.readouterr().err
    assert main(["reproduce", "--out", str(r), "--force", *SMALL_FLAGS]) == 1
    assert "manifest.json was not written by" in capsys.readouterr().err
    assert snapshot(tmp_path) == before


@pytest.mark.parametrize("flags, message", [
    (["--k", "1"], "--k 1: a model needs at least 2 topics"),
    (["--k", "100"], "--k 100: 100 topics are more than the 46 paragraphs"),
    (["--seeds", "3"], "--seeds [3]: give at least two different seeds"),
    (["--seeds", "3", "3"], "--seeds [3, 3]: give at least two different seeds"),
    (["--unit", "article"], "--k 6: 6 topics are more than the 5 articles"),
    (["--ks", "4", "60"], "--ks [4, 6, 60]: 60 topics are more than"),
])
def test_settings_are_checked_before_anything_is_written(tmp_path, capsys, flags, message):
    out = tmp_path / "out"
    assert main(["reproduce", "--out", str(out), *flags]) == 1
    error = capsys.readouterr().err
    assert error.startswith(f"vnparty: error: {message}") and error.count("\n") == 1
    assert not out.exists()


@pytest.mark.parametrize("bad", [dict(k=True), dict(seed=-1), dict(seed=2**32), dict(top_n=0),
                                 dict(unit="chapter"), dict(models=("lda", "lda")),
                                 dict(ks=()), dict(ks=(4, 1.5)), dict(measures=("c_x",)),
                                 dict(measures=("perplexity",)), dict(models="lda")])
def test_settings_refuse_bad_values(bad):
    with pytest.raises(ValueError, match=f"^{next(iter(bad))}"):
        Settings(**bad)


def test_tables_are_safe_for_spreadsheets(tmp_path):
    with OutputFolder(tmp_path, LAYOUT) as folder:
        _Writer(folder, ("png",)).csv("t", pd.DataFrame({"title": ["=1+1", "@x"],
                                                          "share": [-0.5, 1e-12]}))
        folder.commit({})
    assert (tmp_path / "tables" / "t.csv").read_text(encoding="utf-8") == (
        "title,share\n'=1+1,-0.5\n'@x,1e-12\n")


@pytest.mark.skipif(os.geteuid() == 0, reason="root can write anywhere")
def test_unwritable_folder(tmp_path):
    locked = tmp_path / "locked"
    locked.mkdir()
    locked.chmod(stat.S_IRUSR | stat.S_IXUSR)
    try:
        with pytest.raises(OutputFolderError, match="cannot write"):
            reproduce(locked / "out", SMALL, progress=False)
    finally:
        locked.chmod(stat.S_IRWXU)


def test_output_path_that_is_a_file(tmp_path):
    (tmp_path / "file").write_text("x", encoding="utf-8")
    with pytest.raises(OutputFolderError, match="is a file"):
        reproduce(tmp_path / "file", SMALL, progress=False)


def test_interrupted_run_leaves_the_folder_as_it_was(tmp_path, monkeypatch):
    # the run dies while the third file is being written: no file appears, not even a whole one
    (tmp_path / "out").mkdir()
    calls = {"n": 0}
    real = os.fsync

    def dies_on_the_third(fd):
        calls["n"] += 1
        if calls["n"] == 3:
            raise KeyboardInterrupt
        return real(fd)

    monkeypatch.setattr(os, "fsync", dies_on_the_third)
    with pytest.raises(KeyboardInterrupt):
        reproduce(tmp_path / "out", PNG_ONLY, progress=False)
    assert calls["n"] == 3 and list((tmp_path / "out").iterdir()) == []


_KILLED = r"""
import os, signal, sys
import vnparty.reproduce as r

out, phase, at = sys.argv[1], sys.argv[2], int(sys.argv[3])
real, count = os.replace, [0]

def replace(source, target):  # build: renames inside the scratch folder; commit: moves out
    if (".vnparty-run-" in str(source) and ".vnparty-run-" not in str(target)) == (phase == "commit"):
        count[0] += 1
        if count[0] == at:
            os.kill(os.getpid(), signal.SIGKILL)
    return real(source, target)

os.replace = replace
r.reproduce(out, r.Settings(k=4, ks=(4, 5), seeds=(0, 1), seed=1, formats=("png",)),
            progress=False, n_jobs=1)
"""


def test_a_killed_run_leaves_a_folder_the_next_run_accepts(first_run, tmp_path):
    out = tmp_path / "out"
    shutil.copytree(first_run, out)  # a complete earlier run (PNG, SVG, PDF)
    earlier = json.loads((out / "manifest.json").read_text(encoding="utf-8"))["outputs"]
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(sys.path)}
    for phase, at in (("build", 3), ("commit", 10)):  # kill -9 while building, while moving
        killed = subprocess.run([sys.executable, "-c", _KILLED, str(out), phase, str(at)],
                                capture_output=True, text=True, env=env)
        assert killed.returncode == -signal.SIGKILL, killed.stderr
    scratch = [p for p in out.iterdir() if p.name.startswith(".vnparty-run-")]
    assert len(scratch) == 2
    assert json.loads((out / "manifest.json").read_text(encoding="utf-8"))["outputs"] == earlier
    moved = [n for n in earlier if (out / n).is_file() and sha((out / n).read_bytes()) != earlier[n]]
    assert moved  # files of the killed run (seed 1) are in place, known only to its journal
    reproduce(out, PNG_ONLY, progress=False)  # no --force needed
    outputs = json.loads((out / "manifest.json").read_text(encoding="utf-8"))["outputs"]
    assert outputs == {n: h for n, h in earlier.items() if not n.endswith((".svg", ".pdf"))}
    assert listing(out) == sorted([*outputs, "manifest.json"])  # scratch folders removed


def test_cli(tmp_path, capsys, monkeypatch):
    import vnparty.reproduce as module

    monkeypatch.setattr(module, "check", lambda out: [])
    assert main(["reproduce", "--check", str(tmp_path)]) == 0
    assert "identical" in capsys.readouterr().out
    monkeypatch.setattr(module, "check", lambda out: ["figures/a.png"])
    assert main(["reproduce", "--check", str(tmp_path)]) == 1
    assert "differs: figures/a.png" in capsys.readouterr().out
    (tmp_path / "x.txt").write_text("x", encoding="utf-8")
    assert main(["reproduce", "--out", str(tmp_path), "--k", "4", "--ks", "4", "--seeds", "0", "1"]) == 1
    assert "did not write" in capsys.readouterr().err
    assert main(["reproduce"]) == 1
    assert "--out" in capsys.readouterr().err


def test_cli_check_names_a_manifest_without_outputs(tmp_path, capsys):
    (tmp_path / "manifest.json").write_text('{"vnparty_reproduce": 1, "settings": {}}',
                                            encoding="utf-8")
    assert main(["reproduce", "--check", str(tmp_path)]) == 1
    error = capsys.readouterr().err
    assert error.startswith(f"vnparty: error: {tmp_path / 'manifest.json'} has no \"outputs\"")
    assert error.count("\n") == 1


def test_cli_disk_full_is_one_line_and_changes_nothing(first_run, tmp_path, capsys, monkeypatch):
    out = tmp_path / "out"
    shutil.copytree(first_run, out)
    before = snapshot(out)
    real, calls = os.replace, []

    def full(source, target):
        calls.append(target)
        if len(calls) == 3:
            raise OSError(errno.ENOSPC, "No space left on device", str(target))
        return real(source, target)

    monkeypatch.setattr(os, "replace", full)
    assert main(["reproduce", "--out", str(out), *SMALL_FLAGS]) == 1
    stderr = capsys.readouterr().err
    error = stderr.splitlines()[-1]  # (after the progress bar)
    assert error.startswith("vnparty: error: no space left on the device (") and "free" in error
    assert "Traceback" not in stderr and stderr.count("vnparty: error") == 1
    assert snapshot(out) == before


def test_cli_topics_and_select_k_on_a_user_corpus(tmp_path, capsys):
    import vnparty

    folder = tmp_path / "corpus"
    folder.mkdir()
    for article in vnparty.load_articles():
        (folder / f"{article.id}.txt").write_text(article.text, encoding="utf-8")
    assert main(["topics", str(folder), "--k", "4", "--out", str(tmp_path / "out")]) == 0
    assert "topic 3:" in capsys.readouterr().out
    assert (tmp_path / "out" / "topics.csv").is_file()
    assert vnparty.TopicModel.load(tmp_path / "out" / "model").k == 4
    assert main(["select-k", str(folder), "--ks", "3", "4", "--seeds", "0", "1"]) == 0
    assert "recommended k:" in capsys.readouterr().out
    assert main(["topics", str(tmp_path / "nowhere"), "--k", "4", "--out", str(tmp_path / "o")]) == 1
    assert "does not exist" in capsys.readouterr().err


def test_cli_segment_pipe():
    run = subprocess.run([sys.executable, "-m", "vnparty.cli", "segment", "--normalize"],
                         input="Huyện uỷ ban hành nghị quyết\n", capture_output=True, text=True,
                         check=True)
    assert run.stdout == "Huyện_ủy ban_hành nghị_quyết\n"


@pytest.mark.parametrize("command", [[], ["reproduce"], ["topics"], ["select-k"], ["segment"]])
def test_help_everywhere(command, capsys):
    with pytest.raises(SystemExit) as exit_:
        main([*command, "--help"])
    assert exit_.value.code == 0 and "usage: vnparty" in capsys.readouterr().out
