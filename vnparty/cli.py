"""The ``vnparty`` command."""

from __future__ import annotations

import argparse
import sys

__all__ = ["main"]


def _segment(args) -> int:
    from .normalize import normalize_text
    from .tokenization import segment

    for line in sys.stdin:
        text = normalize_text(line) if args.normalize else line.rstrip("\n")
        print(" ".join(segment(text)) if text.strip() else "")
    return 0


def _reproduce(args) -> int:
    from .reproduce import reproduce

    for path in reproduce(args.out, unit=args.unit):
        print(path)
    return 0


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="vnparty", description=(
        "Themes in Vietnamese news about Party-building (xây dựng Đảng)."))
    commands = parser.add_subparsers(dest="command", required=True)

    seg = commands.add_parser("segment", help="segment text from standard input, line by line",
                              description="Read text on standard input and print each line "
                                          "segmented, words separated by spaces, syllables by _.")
    seg.add_argument("--normalize", action="store_true",
                     help="normalise Unicode, tone marks and spaces first")
    seg.set_defaults(run=_segment)

    rep = commands.add_parser("reproduce", help="regenerate every table from the bundled articles",
                              description="Regenerate every table from the bundled articles.")
    rep.add_argument("--out", required=True, help="output folder")
    rep.add_argument("--unit", default="paragraph", choices=("article", "paragraph", "sentence"),
                     help="document unit for the models (default: paragraph)")
    rep.add_argument("--force", action="store_true", help="write into a folder that has files")
    rep.set_defaults(run=_reproduce)
    return parser


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        return args.run(args)
    except (ValueError, FileNotFoundError, TypeError) as error:
        print(f"vnparty: error: {error}", file=sys.stderr)
        return 2


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
