"""The ``vnparty`` command: reproduce, topics, select-k, segment."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

__all__ = ["main", "build_parser"]


def _segment(args) -> int:
    from .normalize import normalize_text
    from .tokenization import segment

    for line in sys.stdin:
        text = normalize_text(line) if args.normalize else line.rstrip("\n")
        print(" ".join(segment(text)) if text.strip() else "")
    return 0


def _settings(args):
    from .reproduce import Settings

    return Settings(k=args.k, unit=args.unit, models=tuple(args.models), seed=args.seed,
                    ks=tuple(args.ks), seeds=tuple(args.seeds))


def _reproduce(args) -> int:
    from .reproduce import check, reproduce

    if args.check:
        different = check(args.check)
        for name in different:
            print(f"differs: {name}")
        print(f"{len(different)} file(s) differ" if different else
              f"all files in {args.check} are identical to a fresh run")
        return 1 if different else 0
    if not args.out:
        raise ValueError("give --out DIR (where to write) or --check DIR (what to verify)")
    manifest = reproduce(args.out, _settings(args), force=args.force)
    print(f"wrote {args.out} (manifest: {manifest})")
    return 0


def _read_tokens(args):
    from .corpus import iter_articles, split_units
    from .preprocess import Preprocessor

    units = split_units(iter_articles(args.input, text_column=args.text_column), unit=args.unit)
    if not units:
        raise ValueError(f"{args.input} holds no text")
    preprocessor = Preprocessor(progress=True, n_jobs=args.jobs, cache=args.cache,
                                client=args.scheduler)
    return units, preprocessor.fit_transform([u.text for u in units])


def _topics(args) -> int:
    import pandas as pd

    from .analysis import representative_units, topic_table, unit_frame
    from .io import atomic_write_text
    from .models import fit_lda, fit_nmf

    units, tokens = _read_tokens(args)
    fit = fit_lda if args.model == "lda" else fit_nmf
    model = fit(tokens, args.k, seed=args.seed)
    out = Path(args.out)
    model.save(out / "model")
    frame = unit_frame(units, None, tokens)
    tables = {"topics.csv": topic_table(model, 15),
              "representative.csv": representative_units(model, frame, n=3),
              "doc_topic.csv": pd.concat(
                  [frame.iloc[model.doc_index][["article_id", "unit_index"]].reset_index(drop=True),
                   pd.DataFrame(model.doc_topic, columns=[f"topic_{t}" for t in range(model.k)])],
                  axis=1)}
    for name, table in tables.items():
        atomic_write_text(out / name, table.to_csv(index=False, lineterminator="\n"))
    for t, words in enumerate(model.top_words(8)):
        print(f"topic {t}: {' '.join(words)}")
    print(f"wrote {out}")
    return 0


def _select_k(args) -> int:
    from .evaluation import select_k

    _, tokens = _read_tokens(args)
    frame, best = select_k(tokens, args.ks, args.model, args.seeds, n_jobs=args.jobs)
    summary = frame.groupby(["measure", "k"])["value"].mean().unstack("measure")
    print(summary.round(3).to_string())
    print(f"recommended k: {best}")
    if args.out:
        from .io import atomic_write_text
        atomic_write_text(args.out, frame.to_csv(index=False, lineterminator="\n"))
    return 0


def _positive(text: str) -> int:
    value = int(text)
    if value < 0:
        raise argparse.ArgumentTypeError(f"{text} is negative")
    return value


def build_parser() -> argparse.ArgumentParser:
    """The argument parser of the ``vnparty`` command and its subcommands."""
    parser = argparse.ArgumentParser(prog="vnparty", description=(
        "Themes in Vietnamese news about Party-building (xây dựng Đảng)."))
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    rep = commands.add_parser("reproduce", help="regenerate every figure and table",
                              description="Regenerate every figure and table from the bundled "
                                          "articles, byte-identical from run to run.")
    rep.add_argument("--out", help="output folder")
    rep.add_argument("--check", metavar="DIR",
                     help="regenerate into a temporary folder and list files that differ from DIR")
    rep.add_argument("--force", action="store_true",
                     help="write into a folder that holds other files (they are never deleted)")
    rep.add_argument("--k", type=int, default=6, help="topics per model (default 6)")
    rep.add_argument("--unit", default="paragraph", choices=("article", "paragraph", "sentence"))
    rep.add_argument("--models", nargs="+", default=["lda", "nmf"], choices=("lda", "nmf"))
    rep.add_argument("--seed", type=_positive, default=0)
    rep.add_argument("--ks", type=int, nargs="+", default=[4, 5, 6, 7, 8],
                     help="k values compared in select_k (default 4..8)")
    rep.add_argument("--seeds", type=_positive, nargs="+", default=[0, 1, 2, 3, 4],
                     help="seeds for select_k and stability (default 0..4)")
    rep.set_defaults(run=_reproduce)

    def corpus_arguments(sub):
        sub.add_argument("input", help="a folder of .txt files, a .csv or .jsonl file")
        sub.add_argument("--text-column", default="text", help="text column of a CSV / JSONL")
        sub.add_argument("--unit", default="paragraph", choices=("article", "paragraph", "sentence"))
        sub.add_argument("--model", default="nmf", choices=("lda", "nmf"))
        sub.add_argument("--jobs", type=int, default=1, help="processes (default 1)")
        sub.add_argument("--cache", help="folder for the cache of segmented text")
        sub.add_argument("--scheduler", metavar="ADDRESS",
                         help="segment on a Dask cluster (tcp://host:8786) instead of locally")

    top = commands.add_parser("topics", help="fit a topic model to your own corpus",
                              description="Fit LDA or NMF to a folder / CSV / JSONL and write the "
                                          "model, its topics and document shares.")
    corpus_arguments(top)
    top.add_argument("--k", type=int, required=True, help="number of topics")
    top.add_argument("--seed", type=_positive, default=0)
    top.add_argument("--out", required=True, help="output folder")
    top.set_defaults(run=_topics)

    sel = commands.add_parser("select-k", help="compare numbers of topics on your corpus",
                              description="Fit every k and seed, score coherence, diversity and "
                                          "stability, and recommend a k.")
    corpus_arguments(sel)
    sel.add_argument("--ks", type=int, nargs="+", required=True)
    sel.add_argument("--seeds", type=_positive, nargs="+", default=[0, 1, 2])
    sel.add_argument("--out", help="CSV file for the scores")
    sel.set_defaults(run=_select_k)

    seg = commands.add_parser("segment", help="segment standard input, line by line",
                              description="Read text on standard input and print each line "
                                          "segmented: words separated by spaces, syllables by _.")
    seg.add_argument("--normalize", action="store_true",
                     help="normalise Unicode, tone marks and spaces first")
    seg.set_defaults(run=_segment)
    return parser


def main(argv: list[str] | None = None) -> int:
    """Run the ``vnparty`` command; return its exit status (2 on bad input, with a message)."""
    from .reproduce import OutputFolderError

    args = build_parser().parse_args(argv)
    try:
        return args.run(args)
    except (ValueError, TypeError, OSError, OutputFolderError) as error:
        print(f"vnparty: error: {error}", file=sys.stderr)
        return 2


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
