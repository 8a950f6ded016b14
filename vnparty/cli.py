"""The ``vnparty`` command: reproduce, analyze, topics, select-k, segment.

Every failure ends in one line on standard error, ``vnparty: error: <what failed>; <what to
do>``, with exit status 1 (2 when argparse cannot read the command line, 130 on Ctrl-C);
``vnparty --debug COMMAND`` also prints the traceback.
"""

from __future__ import annotations

import argparse
import errno
import os
import re
import sys
import traceback
import warnings

__all__ = ["main", "build_parser", "describe"]

# names in messages ("k=1", "unit='paragraph'", "text_column=...", "n_jobs must be") and the
# flags that set them
_FLAGS = {"k": "--k", "ks": "--ks", "seed": "--seed", "seeds": "--seeds", "unit": "--unit",
          "models": "--models", "text_column": "--text-column", "n_jobs": "--jobs",
          "cache": "--cache", "n_runs": "--runs", "by": "--by"}
_NAMED = re.compile(r"(?<![\w-])(" + "|".join(_FLAGS) + r")(?:=(?:'([\w.-]*)')?|(?= must\b))")
_CALL = re.compile(r"\w+\(\.\.\., (--[\w-]+ [\w.-]+)\)")  # "split_units(..., unit='x')"


def _stdin_lines():
    """Lines of standard input as text, split at "\\n" only; invalid UTF-8 is an error."""
    stream = getattr(sys.stdin, "buffer", None)
    if stream is None:  # replaced by a text stream (tests, notebooks)
        yield from sys.stdin
        return
    for number, raw in enumerate(stream, 1):
        try:
            yield raw.decode("utf-8")
        except UnicodeDecodeError as error:
            raise ValueError(f"standard input, line {number}: not UTF-8 (byte "
                             f"{raw[error.start]:#04x} at position {error.start}); convert the "
                             "text to UTF-8 first, e.g. with `iconv -f WINDOWS-1258 -t UTF-8`"
                             ) from None


def _segment(args) -> int:
    from .normalize import normalize_text
    from .tokenization import segment

    for line in _stdin_lines():
        line = line.removesuffix("\n").removesuffix("\r")
        text = normalize_text(line) if args.normalize else line
        print(" ".join(segment(text)) if text.strip() else "")
    return 0


def _settings(args):
    from .report import Settings

    return Settings(k=args.k, unit=args.unit, models=tuple(args.models), seed=args.seed,
                    ks=tuple(args.ks), seeds=tuple(args.seeds), n_runs=args.runs,
                    by=None if args.by is None else tuple(args.by))


def _report_checked(different: list[str], folder: str) -> int:
    for name in different:
        print(f"differs: {name}")
    print(f"{len(different)} file(s) differ" if different else
          f"all files in {folder} are identical to a fresh run")
    return 1 if different else 0


def _reproduce(args) -> int:
    from .reproduce import check, reproduce

    if args.check:
        return _report_checked(check(args.check), args.check)
    if not args.out:
        raise ValueError("give --out DIR (where to write) or --check DIR (what to verify)")
    manifest = reproduce(args.out, _settings(args), force=args.force)
    print(f"wrote {args.out} (manifest: {manifest})")
    return 0


def _analyze(args) -> int:
    from .report import analyze, check

    if args.check:
        return _report_checked(check(args.check, args.input, n_jobs=args.jobs, cache=args.cache),
                               args.check)
    if not args.out:
        raise ValueError("give --out DIR (where to write) or --check DIR (what to verify)")
    manifest = analyze(args.input, args.out, _settings(args), text_column=args.text_column,
                       force=args.force, progress=True, n_jobs=args.jobs, cache=args.cache,
                       client=args.scheduler)
    print(f"wrote {args.out}: figures, tables, explorer (manifest: {manifest})")
    return 0


def _topics_k(text: str) -> int | str:
    if text == "auto":
        return text
    try:
        return int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a number of topics; give a whole "
                                         "number (at least 2) or auto") from None


def _read_tokens(args):
    from .corpus import read_articles, split_units
    from .preprocess import Preprocessor

    articles = read_articles(args.input, text_column=args.text_column)
    units = split_units(articles, unit=args.unit)
    preprocessor = Preprocessor(progress=True, n_jobs=args.jobs, cache=args.cache,
                                client=args.scheduler)
    groups = None if args.unit == "article" else [u.article_id for u in units]
    return articles, units, preprocessor.fit_transform([u.text for u in units], groups=groups)


def _topics(args) -> int:
    import pandas as pd

    from . import __version__
    from .analysis import representative_units, topic_table, unit_frame
    from .io import csv_text
    from .ensemble import fit_ensemble
    from .models import fit_lda, fit_nmf
    from .outputs import STEM, Layout, OutputFolder

    layout = Layout("topics", (r"(topics|representative|doc_topic)\.csv", rf"model/{STEM}"))
    # refused before the work: other files, or an earlier run without --force
    folder = OutputFolder(args.out, layout, force=args.force, replace=args.force)
    articles, units, tokens = _read_tokens(args)
    if args.runs > 1:  # the consensus of several runs: the same themes from any seed
        model = fit_ensemble(tokens, args.k, method=args.model, n_runs=args.runs, seed=args.seed)
    else:
        model = (fit_lda if args.model == "lda" else fit_nmf)(tokens, args.k, seed=args.seed)
    frame = unit_frame(units, articles, tokens)
    rows = frame.iloc[model.doc_index].drop(columns=["text"]).reset_index(drop=True)
    tables = {"topics.csv": topic_table(model, 15),
              "representative.csv": representative_units(model, frame, n=3),
              "doc_topic.csv": pd.concat(
                  [rows, pd.DataFrame(model.doc_topic,
                                      columns=[f"topic_{t}" for t in range(model.k)])], axis=1)}
    settings = {"input": str(args.input), "text_column": args.text_column, "unit": args.unit,
                "model": args.model, "k": args.k, "seed": args.seed, "runs": args.runs}
    with folder:
        model.save(folder.scratch / "model")
        folder.add("model")
        for name, table in tables.items():
            folder.write(name, csv_text(table).encode("utf-8"))
        folder.commit({"settings": settings, "versions": {"vnparty": __version__}})
    for t, words in enumerate(model.top_words(8)):
        print(f"topic {t}: {' '.join(words)}")
    print(f"wrote {args.out}")
    return 0


def _select_k(args) -> int:
    from .evaluation import select_k

    if args.out and os.path.lexists(args.out) and not args.force:  # (before the work, too)
        raise FileExistsError(f"{args.out} exists; choose another file for the scores, or "
                              "pass --force to replace it")
    if min(args.ks) < 2:
        raise ValueError(f"--ks {min(args.ks)}: each number of topics is at least 2; one "
                         "topic is the whole corpus")
    _, _, tokens = _read_tokens(args)
    frame, best = select_k(tokens, args.ks, args.model, args.seeds, n_jobs=args.jobs,
                           progress=True)
    summary = frame.groupby(["measure", "k"])["value"].mean().unstack("measure")
    print(summary.round(3).to_string())
    print(f"recommended k: {best}")
    print(f"  rule: {frame.attrs['rule']}")
    if args.out:
        from .io import atomic_write_text, csv_text
        atomic_write_text(args.out, csv_text(frame))
    return 0


def _at_least_one(text: str) -> int:
    value = int(text)
    if value < 1:
        raise argparse.ArgumentTypeError(f"{text}: give 1 or more")
    return value


def _positive(text: str) -> int:
    value = int(text)
    if value < 0:
        raise argparse.ArgumentTypeError(f"{text} is negative")
    return value


def build_parser() -> argparse.ArgumentParser:
    """The argument parser of the ``vnparty`` command and its subcommands."""
    from .evaluation import SELECT_K_RULE

    debug = argparse.ArgumentParser(add_help=False)
    debug.add_argument("--debug", action="store_true", default=argparse.SUPPRESS,
                       help="show the traceback when a command fails")
    parser = argparse.ArgumentParser(prog="vnparty", parents=[debug], description=(
        "Themes in Vietnamese news about Party-building (xây dựng Đảng)."))
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    def report_arguments(sub, default_by: str):
        sub.add_argument("--out", metavar="DIR", help="output folder")
        sub.add_argument("--check", metavar="DIR",
                         help="regenerate into a temporary folder and list files that differ "
                              "from DIR (the settings are read from DIR's manifest)")
        sub.add_argument("--force", action="store_true",
                         help="write into a folder that holds an earlier run or other files: the "
                              "earlier run's files are replaced, other files never deleted or "
                              "overwritten")
        sub.add_argument("--k", type=_topics_k, default=6,
                         help="topics per model, or auto: the k select_k recommends (default 6)")
        sub.add_argument("--models", nargs="+", default=["lda", "nmf"], choices=("lda", "nmf"),
                         help="models to fit (default: both)")
        sub.add_argument("--seed", type=_positive, default=0,
                         help="seed of the models shown (default 0)")
        sub.add_argument("--ks", type=int, nargs="+", default=[4, 5, 6, 7, 8],
                         help="k values compared in select_k (default 4 5 6 7 8)")
        sub.add_argument("--seeds", type=_positive, nargs="+", default=[0, 1, 2, 3, 4],
                         help="seeds for select_k and stability (default 0 1 2 3 4)")
        sub.add_argument("--runs", type=_at_least_one, default=20,
                         help="runs behind each model shown: their consensus gives the same "
                              "themes from any seed (default 20; 1 for a single fit)")
        sub.add_argument("--by", action="append", metavar="COLUMN",
                         help="prevalence by this metadata column (repeatable; default: "
                              f"{default_by}); a time axis is added when there are dates")

    rep = commands.add_parser("reproduce", parents=[debug], help="regenerate every figure and table",
                              description="Regenerate every figure and table from the bundled "
                                          "articles, byte-identical from run to run.")
    report_arguments(rep, "province and source")
    rep.add_argument("--unit", default="paragraph", choices=("article", "paragraph", "sentence"),
                     help="what one document of the models is (default paragraph)")
    rep.set_defaults(run=_reproduce)

    def corpus_arguments(sub, model: bool = True):
        sub.add_argument("input", help="a folder of .txt files, a .csv or .jsonl file")
        sub.add_argument("--text-column", default="text", help="text column of a CSV / JSONL")
        sub.add_argument("--unit", default="paragraph", choices=("article", "paragraph", "sentence"),
                         help="what one document of the models is (default paragraph)")
        if model:
            sub.add_argument("--model", default="nmf", choices=("lda", "nmf"),
                             help="the topic model (default %(default)s)")
        sub.add_argument("--jobs", type=int, default=1, help="processes (default 1)")
        sub.add_argument("--cache", help="folder for the cache of segmented text")
        sub.add_argument("--scheduler", metavar="ADDRESS",
                         help="segment on a Dask cluster (tcp://host:8786) instead of locally")

    ana = commands.add_parser(
        "analyze", parents=[debug], help="every figure, table and explorer for your corpus",
        description="Fit LDA and NMF to a folder / CSV / JSONL and write what reproduce writes "
                    "for the bundled articles: figures, tables, an explorer page per model and "
                    "a manifest; prevalence by any metadata column (--by).")
    corpus_arguments(ana, model=False)
    report_arguments(ana, "none")
    ana.set_defaults(run=_analyze)

    top = commands.add_parser("topics", parents=[debug], help="fit a topic model to your own corpus",
                              description="Fit LDA or NMF to a folder / CSV / JSONL and write the "
                                          "model, its topics and document shares.")
    corpus_arguments(top)
    top.add_argument("--k", type=int, required=True, help="number of topics")
    top.add_argument("--seed", type=_positive, default=0,
                     help="seed of the fit (default 0); the same seed gives the same topics")
    top.add_argument("--runs", type=_at_least_one, default=1,
                     help="fit the model this many times and keep their consensus, whose topics "
                          "do not depend on the seed (20 is a good choice; default 1: one fit)")
    top.add_argument("--out", required=True, help="output folder")
    top.add_argument("--force", action="store_true",
                     help="write into a folder that holds other files (they are never deleted "
                          "or overwritten)")
    top.set_defaults(run=_topics)

    sel = commands.add_parser("select-k", parents=[debug], help="compare numbers of topics on your corpus",
                              description="Fit every k and seed, score coherence, diversity and "
                                          "stability, and recommend a k: "
                                          + SELECT_K_RULE.format(min_stability=0.5, measure="c_v")
                                          + ".")
    corpus_arguments(sel)
    sel.set_defaults(model="lda")  # as vnparty.select_k
    sel.add_argument("--ks", type=int, nargs="+", required=True,
                     help="the numbers of topics compared, e.g. --ks 4 6 8 10")
    sel.add_argument("--seeds", type=_positive, nargs="+", default=[0, 1, 2],
                     help="one run per seed and k, each on its own random 80%% of the documents; "
                          "stability is how well the runs agree (default 0 1 2)")
    sel.add_argument("--out", help="CSV file for the scores")
    sel.add_argument("--force", action="store_true", help="replace the --out file if it exists")
    sel.set_defaults(run=_select_k)

    seg = commands.add_parser("segment", parents=[debug], help="segment standard input, line by line",
                              description="Read text on standard input and print each line "
                                          "segmented: words separated by spaces, syllables by _.")
    seg.add_argument("--normalize", action="store_true",
                     help="normalise Unicode, tone marks and spaces first")
    seg.set_defaults(run=_segment)
    return parser


def describe(error: BaseException) -> str:
    """One line for a failure: what failed and what to do, with the flags that set the values
    named in it."""
    import sqlite3

    if isinstance(error, sqlite3.Error):
        if "full" in str(error):
            text = (f"the disk is full ({error}) while writing the cache; free some space, or "
                    "give --cache a folder on another disk")
        elif "locked" in str(error):
            text = (f"the cache is in use by another process ({error}); wait for it to finish, "
                    "or give --cache another folder")
        else:
            text = f"the cache failed ({error}); give --cache another folder, or leave it out"
    elif isinstance(error, OSError) and error.errno is not None and error.strerror:
        where = f" ({error.filename})" if error.filename else ""
        text = {errno.ENOSPC: f"no space left on the device{where}; free some space, or write "
                              "to another disk",
                errno.EACCES: f"permission denied{where}; choose a file or folder you can use",
                errno.EPERM: f"operation not permitted{where}; choose a file or folder you can "
                             "use",
                errno.EROFS: f"read-only file system{where}; write to another folder",
                errno.ENOENT: f"no such file or folder{where}; check the path",
                }.get(error.errno, f"{error.strerror}{where}; check the path and try again")
    elif isinstance(error, UnicodeError):
        text = f"text in an unexpected encoding ({error}); convert the input to UTF-8"
    elif isinstance(error, MemoryError):
        text = ("out of memory; use fewer --jobs, a smaller corpus, or article units instead of "
                "paragraphs")
    elif isinstance(error, (ValueError, TypeError, OSError, LookupError)):
        text = str(error) or type(error).__name__
    else:
        text = (f"unexpected {type(error).__name__}: {error}; this is a bug in vnparty: rerun "
                "with --debug and report the traceback")
    return _with_flags(text)


def _with_flags(text: str) -> str:
    """``text`` on one line, with the flags that set the values named in it."""
    def flag(match):
        value = match.group(2)
        return _FLAGS[match.group(1)] + ("" if match.group(0).endswith(match.group(1)) else
                                         " " if value is None else f" {value}")

    text = _CALL.sub(r"\1", _NAMED.sub(flag, text))
    return " ".join(text.split())


def _show_warning(seen: set[str]):
    """A ``warnings.showwarning`` that prints ``vnparty: warning: <message>``, once per message,
    without the file and line that raised it."""
    def show(message, category, filename, lineno, file=None, line=None):
        text = _with_flags(str(message))
        if text in seen:  # (the library and the CLI may both warn of one thing)
            return
        seen.add(text)
        from tqdm import tqdm  # above any progress bar, not inside it

        tqdm.write(f"vnparty: warning: {text}", file=file or sys.stderr)
    return show


def main(argv: list[str] | None = None) -> int:
    """Run the ``vnparty`` command; return its exit status: 0, 1 on any failure (with one line
    on standard error; ``--debug`` adds the traceback), 2 when the command line cannot be read,
    130 on Ctrl-C. ``reproduce --check`` also exits with 1 when files differ."""
    args = build_parser().parse_args(argv)
    debug = getattr(args, "debug", False)
    shown = warnings.showwarning
    warnings.showwarning = _show_warning(set())
    try:
        return args.run(args)
    except KeyboardInterrupt:
        if debug:
            traceback.print_exc()
        print("vnparty: error: interrupted; no half-written file is left, run the command again",
              file=sys.stderr)
        return 130
    except BrokenPipeError:  # the reader of standard output went away (`| head`)
        try:
            os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        except (OSError, ValueError):
            pass
        return 1
    except Exception as error:
        if debug:
            traceback.print_exc()
        print(f"vnparty: error: {describe(error)}", file=sys.stderr)
        return 1
    finally:
        warnings.showwarning = shown


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
