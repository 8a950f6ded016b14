"""The command line reads well: one default for select-k, its rule printed and written, one
clean line per warning, named progress bars, help for every option, errors that name flags,
and output files that others may read."""

import argparse
import os
import stat
import warnings

import pandas as pd
import pytest

import vnparty
from vnparty.cli import build_parser, main
from vnparty.evaluation import SELECT_K_RULE


@pytest.fixture(scope="module")
def corpus(tmp_path_factory):
    """The bundled articles as a CSV, one row per article."""
    rows = [{"id": a.id, "text": a.text} for a in vnparty.load_articles()]
    path = tmp_path_factory.mktemp("corpus") / "corpus.csv"
    pd.DataFrame(rows).to_csv(path, index=False)
    return path


def subcommands():
    parser = build_parser()
    action = next(a for a in parser._actions if isinstance(a, argparse._SubParsersAction))
    return dict(action.choices)


def test_every_option_of_every_subcommand_has_help():
    commands = subcommands()
    assert {"reproduce", "topics", "select-k", "segment"} <= set(commands)
    missing = [f"{name} {'/'.join(action.option_strings) or action.dest}"
               for name, sub in commands.items() for action in sub._actions
               if not isinstance(action, argparse._HelpAction)
               and (not action.help or action.help == argparse.SUPPRESS)]
    assert missing == []


def test_select_k_defaults_to_lda_as_the_library():
    import inspect

    default = inspect.signature(vnparty.select_k).parameters["method"].default
    assert build_parser().parse_args(["select-k", "x.csv", "--ks", "3"]).model == default == "lda"
    assert build_parser().parse_args(["topics", "x.csv", "--k", "3", "--out", "o"]).model == "nmf"


def test_select_k_prints_and_writes_its_rule(corpus, tmp_path, capsys):
    scores = tmp_path / "scores.csv"
    assert main(["select-k", str(corpus), "--ks", "2", "3", "--unit", "article", "--model", "nmf",
                 "--seeds", "0", "1", "--out", str(scores)]) == 0
    out, error = capsys.readouterr()
    lines = out.splitlines()
    best = int(next(line for line in lines if line.startswith("recommended k: ")).split()[-1])
    rule = SELECT_K_RULE.format(min_stability=0.5, measure="c_v")
    assert lines[lines.index(f"recommended k: {best}") + 1] == f"  rule: {rule}"
    frame = pd.read_csv(scores)
    assert list(frame.columns) == ["k", "method", "seed", "measure", "value", "recommended"]
    assert (frame["recommended"] == (frame["k"] == best)).all() and frame["recommended"].any()
    # progress bars name their stage
    assert "segmenting" in error and "fitting k=3 seed 1" in error


def test_a_warning_is_one_clean_line_shown_once(corpus, capsys):
    """--jobs above the CPUs warned twice (preprocessing and select_k), each time with the
    file, line and source line that raised it, and with the library's name n_jobs."""
    before = warnings.showwarning
    jobs = str(os.cpu_count() * 64)
    assert main(["select-k", str(corpus), "--ks", "2", "--unit", "article", "--model", "nmf",
                 "--seeds", "0", "1", "--jobs", jobs]) == 0
    assert warnings.showwarning is before  # the display is the CLI's, while it runs only
    error = capsys.readouterr().err
    shown = [line[line.index("vnparty: warning:"):] for line in error.splitlines()
             if "warning" in line.lower()]
    cpus = vnparty.parallel.usable_cpus()
    assert shown.count(f"vnparty: warning: --jobs {jobs} is more than the {cpus} CPUs this "
                       f"process may use: {cpus} are used") == 1
    assert len(shown) == len(set(shown)) == error.lower().count("warning")
    assert ".py" not in error and "UserWarning" not in error


def test_warning_display_is_restored_after_a_failure(tmp_path, capsys):
    before = warnings.showwarning
    assert main(["topics", str(tmp_path / "missing.csv"), "--k", "2",
                 "--out", str(tmp_path / "out")]) == 1
    assert warnings.showwarning is before
    assert "vnparty: error:" in capsys.readouterr().err


@pytest.mark.parametrize("argv, named, hidden", [
    (["topics", "{corpus}", "--k", "2", "--jobs", "0"], "--jobs must be", "n_jobs"),
    (["topics", "{corpus}", "--k", "50", "--unit", "article"],
     "smaller units (--unit paragraph)", "split_units"),
    (["topics", "{corpus}", "--k", "2", "--text-column", "body"],
     "Name the text column with --text-column", "text_column"),
    (["select-k", "{corpus}", "--ks", "1", "3"], "--ks 1: each number of topics is at least 2",
     "k must"),
])
def test_errors_name_the_flags(corpus, tmp_path, capsys, argv, named, hidden):
    argv = [a.format(corpus=corpus) for a in argv]
    if argv[0] == "topics":
        argv += ["--out", str(tmp_path / "out")]
    assert main(argv) == 1
    line = capsys.readouterr().err.strip().splitlines()[-1]
    assert line.startswith("vnparty: error: ") and named in line and hidden not in line


def _modes(folder):
    return {p.relative_to(folder).as_posix(): stat.S_IMODE(p.stat().st_mode)
            for p in folder.rglob("*") if p.is_file()}


def test_every_file_written_is_readable_by_others_under_umask_022(corpus, tmp_path):
    old = os.umask(0o022)
    try:
        out = tmp_path / "topics"
        assert main(["topics", str(corpus), "--k", "2", "--unit", "article", "--out", str(out)]) == 0
        assert main(["select-k", str(corpus), "--ks", "2", "--unit", "article", "--model", "nmf",
                     "--seeds", "0", "1", "--out", str(tmp_path / "scores.csv")]) == 0
    finally:
        os.umask(old)
    modes = _modes(tmp_path)
    assert {"topics/topics.csv", "topics/manifest.json", "topics/model/arrays.npz",
            "scores.csv"} <= set(modes)
    assert {name: mode for name, mode in modes.items() if mode != 0o644} == {}
