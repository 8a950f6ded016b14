import json
import os
import sqlite3
import subprocess
import sys

import pandas as pd
import pytest

import vnparty
import vnparty.cli as cli
from vnparty.cli import describe, main


@pytest.fixture(scope="module")
def corpus(tmp_path_factory):
    """46 paragraphs of the bundled articles as a CSV whose ids and texts start like formulas."""
    rows = [{"id": f'=HYPERLINK("http://x","{a.id[:3]}{i}")',
             "text": ("=" if i % 2 else "@") + paragraph}
            for a in vnparty.load_articles() for i, paragraph in enumerate(a.paragraphs)]
    path = tmp_path_factory.mktemp("corpus") / "corpus.csv"
    pd.DataFrame(rows).to_csv(path, index=False)
    return path


def topics(corpus, out, *extra) -> int:
    return main(["topics", str(corpus), "--k", "3", "--unit", "article", "--out", str(out), *extra])


def last_line(capsys) -> str:
    error = capsys.readouterr().err
    assert "Traceback" not in error and error.count("vnparty: error:") == 1
    return error.strip().splitlines()[-1]


def test_topics_refuses_to_overwrite_a_users_file(corpus, tmp_path, capsys):
    (tmp_path / "topics.csv").write_text("my own notes\n", encoding="utf-8")
    assert topics(corpus, tmp_path) == 1
    assert "did not write or that changed since (topics.csv)" in last_line(capsys)
    assert topics(corpus, tmp_path, "--force") == 1  # beside it, yes; over it, never
    assert "does not overwrite them" in last_line(capsys)
    assert (tmp_path / "topics.csv").read_text(encoding="utf-8") == "my own notes\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["topics.csv"]


def test_topics_writes_a_manifest_reruns_with_force_and_keeps_other_files(corpus, tmp_path, capsys):
    out = tmp_path / "out"
    assert topics(corpus, out) == 0
    manifest = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    assert manifest["vnparty_topics"] == 1 and manifest["settings"]["k"] == 3
    assert set(manifest["outputs"]) == {"topics.csv", "representative.csv", "doc_topic.csv",
                                        "model/arrays.npz", "model/model.json",
                                        "model/checksums.sha256"}
    assert vnparty.TopicModel.load(out / "model").k == 3
    first = (out / "doc_topic.csv").read_bytes()
    assert topics(corpus, out) == 1  # an earlier run is not replaced without --force
    assert "earlier `vnparty topics` run" in last_line(capsys)
    assert topics(corpus, out, "--force") == 0  # with it, its own files are
    assert (out / "doc_topic.csv").read_bytes() == first
    (out / "notes.txt").write_text("mine", encoding="utf-8")
    assert topics(corpus, out) == 1
    assert "earlier `vnparty topics` run" in last_line(capsys)
    assert topics(corpus, out, "--force") == 0
    assert (out / "notes.txt").read_text(encoding="utf-8") == "mine"


def test_topics_tables_are_safe_for_spreadsheets(corpus, tmp_path):
    assert topics(corpus, tmp_path) == 0
    doc_topic = pd.read_csv(tmp_path / "doc_topic.csv", dtype={"article_id": str})
    assert doc_topic["article_id"].str.startswith("'=HYPERLINK(").all()
    assert doc_topic["topic_0"].dtype == float  # numbers untouched
    excerpts = pd.read_csv(tmp_path / "representative.csv")["excerpt"]
    assert excerpts.str.match("'[=@]").all()
    for name in ("topics.csv", "representative.csv", "doc_topic.csv"):
        cells = pd.read_csv(tmp_path / name, dtype=str, keep_default_na=False).to_numpy().ravel()
        assert not [c for c in cells if c[:1] in ("=", "+", "@", "\t", "\r")], name


def test_topics_files_get_the_mode_open_gives(corpus, tmp_path):
    old = os.umask(0o022)
    try:
        assert topics(corpus, tmp_path) == 0
    finally:
        os.umask(old)
    for name in ("topics.csv", "manifest.json", "model/model.json", "model/arrays.npz"):
        assert (tmp_path / name).stat().st_mode & 0o777 == 0o644, name


def test_select_k_does_not_replace_a_file_without_force(corpus, tmp_path, capsys):
    scores = tmp_path / "scores.csv"
    scores.write_text("mine\n", encoding="utf-8")
    assert main(["select-k", str(corpus), "--ks", "2", "3", "--out", str(scores)]) == 1
    assert "exists" in last_line(capsys) and scores.read_text(encoding="utf-8") == "mine\n"


@pytest.mark.parametrize("error, expected", [
    (sqlite3.OperationalError("database or disk is full"),
     "the disk is full (database or disk is full) while writing the cache; free some space"),
    (sqlite3.DatabaseError("database disk image is malformed"), "the cache failed"),
    (sqlite3.OperationalError("database is locked"), "the cache is in use by another process"),
    (UnicodeDecodeError("utf-8", b"\xff", 0, 1, "invalid start byte"),
     "text in an unexpected encoding ('utf-8' codec can't decode byte 0xff"),
    (OSError(28, "No space left on device", "/out/x.csv"),
     "no space left on the device (/out/x.csv); free some space"),
    (PermissionError(13, "Permission denied", "/out"), "permission denied (/out); choose"),
    (MemoryError(), "out of memory; use fewer --jobs"),
    (ValueError("x.csv has no 'body' column. Name the text column with text_column=..."),
     "x.csv has no 'body' column. Name the text column with --text-column ..."),
    (ValueError("k=1: too few;\nsecond line"), "--k 1: too few; second line"),
    (RuntimeError("boom"), "unexpected RuntimeError: boom; this is a bug in vnparty: rerun "
                           "with --debug"),
])
def test_every_failure_is_one_line(error, expected):
    assert describe(error).startswith(expected)
    assert "\n" not in describe(error)


def test_cli_failures_end_in_one_line_and_debug_shows_the_traceback(monkeypatch, capsys, corpus,
                                                                    tmp_path):
    def full(args):
        raise sqlite3.OperationalError("database or disk is full")

    monkeypatch.setattr(cli, "_read_tokens", full)
    assert topics(corpus, tmp_path / "a") == 1
    assert last_line(capsys).startswith("vnparty: error: the disk is full")
    assert main(["--debug", "topics", str(corpus), "--k", "3", "--out", str(tmp_path / "b")]) == 1
    error = capsys.readouterr().err
    assert "Traceback" in error and "sqlite3.OperationalError" in error
    assert error.strip().splitlines()[-1].startswith("vnparty: error: the disk is full")
    assert not (tmp_path / "a").exists()  # nothing written before the work failed


def test_cli_names_the_flag(corpus, tmp_path, capsys):
    assert main(["topics", str(corpus), "--text-column", "body", "--k", "3",
                 "--out", str(tmp_path)]) == 1
    assert "--text-column" in last_line(capsys)


def run_cli(*args, stdin=b""):
    return subprocess.run([sys.executable, "-m", "vnparty.cli", *args], input=stdin,
                          capture_output=True, env={**os.environ,
                                                    "PYTHONPATH": os.pathsep.join(sys.path)})


def test_a_missing_input_is_one_line_on_stderr(tmp_path):
    run = run_cli("topics", str(tmp_path / "nowhere.csv"), "--k", "3", "--out", str(tmp_path))
    assert run.returncode == 1
    assert run.stderr.decode().splitlines() == [
        f"vnparty: error: {tmp_path / 'nowhere.csv'} does not exist; give a folder of .txt "
        "files, a .csv or .jsonl file, or a pandas DataFrame"]


def test_segment_refuses_invalid_utf8_in_one_line():
    run = run_cli("segment", stdin="Huyện ủy\n".encode() + b"ch\xe0o \xff\n")
    assert run.returncode == 1
    assert run.stdout.decode() == "Huyện_ủy\n"  # the lines before it are printed
    assert run.stderr.decode().splitlines() == [
        "vnparty: error: standard input, line 2: not UTF-8 (byte 0xe0 at position 2); "
        "convert the text to UTF-8 first, e.g. with `iconv -f WINDOWS-1258 -t UTF-8`"]


def test_segment_reads_crlf_and_splits_at_newlines_only():
    run = run_cli("segment", stdin="nghị quyết\u2028Đảng\r\nchi bộ\n".encode())
    assert run.returncode == 0
    assert run.stdout.decode() == "nghị_quyết Đảng\nchi_bộ\n"


def test_topics_with_runs_writes_the_consensus_and_its_stability(corpus, tmp_path):
    assert topics(corpus, tmp_path / "a", "--runs", "3", "--model", "nmf") == 0
    assert topics(corpus, tmp_path / "b", "--runs", "3", "--model", "nmf", "--seed", "9") == 0
    table = pd.read_csv(tmp_path / "a" / "topics.csv")
    assert table["stability"].between(0, 1).all()
    assert table["top_words"].tolist() == pd.read_csv(tmp_path / "b" / "topics.csv")["top_words"].tolist()
    model = vnparty.TopicModel.load(tmp_path / "a" / "model")
    assert model.topic_stability.tolist() == table["stability"].tolist()
