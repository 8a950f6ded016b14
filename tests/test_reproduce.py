import json
import os
import stat
import subprocess
import sys

import pytest

from vnparty.cli import main
from vnparty.reproduce import OutputFolderError, Settings, check, differences, reproduce

SMALL = Settings(k=4, ks=(4, 5), seeds=(0, 1))
PNG_ONLY = Settings(k=4, ks=(4, 5), seeds=(0, 1), formats=("png",))


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


def test_a_second_run_is_byte_identical(first_run):
    # check() regenerates everything (PNG, SVG, PDF, CSV, HTML) and compares the hashes
    assert check(first_run) == []


def test_differences_name_changed_missing_and_extra_files(tmp_path):
    (tmp_path / "a.csv").write_text("a", encoding="utf-8")
    (tmp_path / "b.csv").write_text("b", encoding="utf-8")
    from vnparty.reproduce import _sha256
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
    (tmp_path / "notes.txt").write_text("mine", encoding="utf-8")
    with pytest.raises(OutputFolderError, match="did not write.*notes.txt.*--force"):
        reproduce(tmp_path, SMALL, progress=False)
    assert not (tmp_path / "manifest.json").exists()
    reproduce(tmp_path, PNG_ONLY, force=True, progress=False)
    assert (tmp_path / "notes.txt").read_text(encoding="utf-8") == "mine"
    assert (tmp_path / "figures" / "select_k.png").is_file()


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


def test_interrupted_run_leaves_no_half_written_file(tmp_path, monkeypatch):
    # the run dies while the third file is being written
    calls = {"n": 0}
    real = os.fsync

    def dies_on_the_third(fd):
        calls["n"] += 1
        if calls["n"] == 3:
            raise KeyboardInterrupt
        return real(fd)

    monkeypatch.setattr(os, "fsync", dies_on_the_third)
    with pytest.raises(KeyboardInterrupt):
        reproduce(tmp_path, PNG_ONLY, progress=False)
    written = sorted(p.relative_to(tmp_path).as_posix() for p in tmp_path.rglob("*") if p.is_file())
    assert written == ["tables/articles.csv", "tables/features.csv"]  # whole files only
    assert (tmp_path / "tables" / "features.csv").read_text(encoding="utf-8").startswith("feature,")


def test_cli(tmp_path, capsys, monkeypatch):
    import vnparty.reproduce as module

    monkeypatch.setattr(module, "check", lambda out: [])
    assert main(["reproduce", "--check", str(tmp_path)]) == 0
    assert "identical" in capsys.readouterr().out
    monkeypatch.setattr(module, "check", lambda out: ["figures/a.png"])
    assert main(["reproduce", "--check", str(tmp_path)]) == 1
    assert "differs: figures/a.png" in capsys.readouterr().out
    (tmp_path / "x.txt").write_text("x", encoding="utf-8")
    assert main(["reproduce", "--out", str(tmp_path), "--k", "4", "--ks", "4", "--seeds", "0", "1"]) == 2
    assert "did not write" in capsys.readouterr().err
    assert main(["reproduce"]) == 2
    assert "--out" in capsys.readouterr().err


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
    assert main(["topics", str(tmp_path / "nowhere"), "--k", "4", "--out", str(tmp_path)]) == 2
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
