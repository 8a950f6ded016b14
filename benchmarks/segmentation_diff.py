"""Where ``vnparty.segment`` and plain pyvi segment general news differently, and why.

Both segment the same VNTC articles (the training half, ``../shared/corpora``; not part of the
project), taken evenly through the file so that every category is in. pyvi's words come from
``vnparty.PyviSegmenter``, which gives ``ViTokenizer.tokenize``'s words sentence by sentence
(tests/test_segmenters_fast.py checks this), so every difference is one of vnparty's repairs.

A difference is a stretch of text where the two sets of token boundaries disagree, from the last
boundary both have to the next one both have. Each is put down to the repair that made it, the
first of these that fits a vnparty token of the stretch:

document      a Party-document reference made one token ("Nghị quyết số 22-NQ/TW")
abbreviation  an abbreviation of the lexicon kept whole ("TP.HCM", "TP HCM")
number        a number made one token ("2.114", "99,74%")
lexicon       a lexicon term made one token (reported per term)
period        "UBND." at a sentence end: the period on its own
punctuation   punctuation that pyvi joined to a word ("“Đảng") on its own
reshuffle     none of these: pyvi's words regrouped around a repair (a cut-off piece rejoined,
              the best reading of a window)

    python benchmarks/segmentation_diff.py                  # 300 articles, counts by kind
    python benchmarks/segmentation_diff.py --examples 5     # and 5 examples of each term / kind
    python benchmarks/segmentation_diff.py --json diff.json
"""

from __future__ import annotations

import argparse
import collections
import gzip
import itertools
import json
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))

from vnparty import segment_spans  # noqa: E402
from vnparty.lexicon import (DOCUMENT_PATTERN, NUMBER_PATTERN, default_lexicon,  # noqa: E402
                             syllable_key)
from vnparty.segmenters import PyviSegmenter, syllable_spans  # noqa: E402

DEFAULT_VNTC = HERE.parents[1] / "shared" / "corpora" / "vntc_train.jsonl.gz"
VNTC_SIZE = 33_709
KINDS = ("document", "abbreviation", "number", "lexicon", "period", "punctuation", "reshuffle")


def read_sample(path: Path, articles: int) -> list[dict]:
    """``articles`` articles evenly spaced through the file (every (size // articles)-th)."""
    step = max(VNTC_SIZE // articles, 1)
    with gzip.open(path, "rt", encoding="utf-8") as handle:
        return [json.loads(line) for line in itertools.islice(handle, 0, None, step)][:articles]


def regions(ours: list[tuple[int, int]], theirs: list[tuple[int, int]]):
    """(start, end, our tokens, their tokens) of each stretch where the boundaries differ."""
    i = j = 0
    while i < len(ours) and j < len(theirs):
        if ours[i] == theirs[j]:
            i, j = i + 1, j + 1
            continue
        a, b = i, j
        end_a, end_b = ours[i][1], theirs[j][1]
        while end_a != end_b:  # until both end at the same character
            if end_a < end_b:
                i += 1
                end_a = ours[i][1]
            else:
                j += 1
                end_b = theirs[j][1]
        yield ours[a][0], end_a, ours[a:i + 1], theirs[b:j + 1]
        i, j = i + 1, j + 1


def kind_of(text: str, ours, theirs, lexicon) -> tuple[str, str]:
    """The repair that made a stretch, and a label for it (the term, for lexicon terms)."""
    words = [text[s:e] for s, e in ours]
    spaced = [" ".join(w.split()) for w in words]
    if any(DOCUMENT_PATTERN.fullmatch(w) for w in spaced):
        return "document", ""
    for w in spaced:
        if w in lexicon.abbreviations:
            return "abbreviation", w
    if any(NUMBER_PATTERN.fullmatch(w) and len(syllable_spans(w)) > 1 for w in words):
        return "number", ""
    for w in words:
        key = tuple(syllable_key(w[s:e]) for s, e in syllable_spans(w))
        if len(key) > 1 and key in lexicon.terms:
            return "lexicon", " ".join(key)
    theirs_text = [text[s:e] for s, e in theirs]
    if any(len(w) >= 3 and w.endswith(".") and w[:-1].isupper() for w in theirs_text):
        return "period", ""
    if any(not any(c.isalnum() for c in w) for w in words):
        return "punctuation", ""
    return "reshuffle", ""


def cuts(ours, theirs) -> str:
    """How vnparty's tokens of a stretch meet pyvi's words: "join" when every token is made of
    whole pyvi words, "cut" when a token ends inside a pyvi word on one side, "cut both" when a
    token ends inside pyvi words on both sides."""
    inside = {i for s, e in theirs for i in range(s + 1, e)}
    worst = max(((s in inside) + (e in inside) for s, e in ours), default=0)
    return ("join", "cut", "cut both")[worst]


def pyvi_tokens(text: str, segmenter) -> list[tuple[int, int]]:
    return [(word[0][0], word[-1][1]) for word in segmenter(text)]


def compare(sample: list[dict]):
    lexicon, segmenter = default_lexicon(), PyviSegmenter()
    found = []
    tokens = 0
    for article in sample:
        text = article["text"]
        if not text.strip():
            continue
        ours, theirs = segment_spans(text), pyvi_tokens(text, segmenter)
        tokens += len(theirs)
        for start, end, mine, pyvis in regions(ours, theirs):
            kind, label = kind_of(text, mine, pyvis, lexicon)
            found.append({"article": article["id"], "kind": kind, "label": label,
                          "cuts": cuts(mine, pyvis),
                          "context": text[max(start - 40, 0):end + 40].replace("\n", " "),
                          "vnparty": [text[s:e].replace(" ", "_") for s, e in mine],
                          "pyvi": [text[s:e].replace(" ", "_") for s, e in pyvis]})
    return found, tokens


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--vntc", type=Path, default=DEFAULT_VNTC)
    parser.add_argument("--articles", type=int, default=300)
    parser.add_argument("--examples", type=int, default=0,
                        help="print this many examples of each lexicon term and other kind")
    parser.add_argument("--json", type=Path, default=None, help="write every difference here")
    args = parser.parse_args(argv)
    if not args.vntc.exists():
        print(f"VNTC is not at {args.vntc}; give --vntc PATH", file=sys.stderr)
        return 2

    sample = read_sample(args.vntc, args.articles)
    start = time.perf_counter()
    found, tokens = compare(sample)
    seconds = time.perf_counter() - start
    by_kind = collections.Counter(d["kind"] for d in found)
    by_term = collections.Counter(d["label"] for d in found if d["kind"] == "lexicon")
    by_cuts = collections.defaultdict(collections.Counter)  # term -> join / cut / cut both
    for d in found:
        if d["kind"] == "lexicon":
            by_cuts[d["label"]][d["cuts"]] += 1
    print(f"corpus : VNTC train, {len(sample)} articles evenly spaced through {args.vntc.name}, "
          f"{tokens:,} pyvi words ({seconds:.0f} s)")
    print(f"differences: {len(found)} stretches, in "
          f"{len({d['article'] for d in found})} articles\n")
    print(f"{'kind':<14}{'stretches':>10}")
    for kind in KINDS:
        print(f"{kind:<14}{by_kind[kind]:>10}")
    total = collections.Counter(d["cuts"] for d in found if d["kind"] == "lexicon")
    print(f"\nlexicon terms ({len(by_term)}): {total['join']} join whole pyvi words, "
          f"{total['cut']} cut a pyvi word on one side, {total['cut both']} on both")
    print(f"  {'all':>5} {'join':>5} {'cut':>5}  term")
    for term, count in by_term.most_common():
        cut = by_cuts[term]
        print(f"  {count:>5} {cut['join']:>5} {cut['cut'] + cut['cut both']:>5}  {term}")
    if args.examples:
        groups = collections.defaultdict(list)
        for d in found:
            groups[(d["kind"], d["label"])].append(d)
        for (kind, label), items in sorted(groups.items(), key=lambda g: -len(g[1])):
            print(f"\n== {kind} {label} ({len(items)})")
            for d in items[:args.examples]:
                print(f"  …{d['context']}…\n     pyvi    {' | '.join(d['pyvi'])}"
                      f"\n     vnparty {' | '.join(d['vnparty'])}")
    if args.json:
        args.json.write_text(json.dumps({"articles": len(sample), "pyvi_words": tokens,
                                         "by_kind": dict(by_kind), "by_term": dict(by_term),
                                         "by_cuts": {t: dict(c) for t, c in by_cuts.items()},
                                         "differences": found}, ensure_ascii=False, indent=1),
                             encoding="utf-8")
        print(f"\nwrote {args.json}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
