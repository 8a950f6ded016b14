"""Word-segmentation quality on a gold-segmented Vietnamese treebank (UD_Vietnamese-VTB, test split).

For every sentence the raw text comes from the ``# text =`` comment and the gold words from the
FORM column (VTB writes the syllables of a multi-syllable word with spaces, e.g. ``bắt chuyện``;
multiword-token ranges ``1-2`` and empty nodes ``1.1`` are skipped). Each word becomes a span
(start, end) over the sentence's sequence of non-space characters, after NFC normalisation and
after dropping every ``_`` (the joiner segmenters put between syllables) and all white space. A
predicted word counts as correct only if its span equals a gold span, so P/R/F1 are micro-averaged
over the corpus. If a segmenter's characters differ from the gold characters for a sentence (it
changed the text), the sentence is still scored and reported as a mismatch.

Segmenters, scored side by side on the same sentences:

pyvi     ``pyvi.ViTokenizer.tokenize(text).split()``, ``_`` meaning "same word".
vnparty  ``vnparty.segment(text)`` (list of words, syllables joined by ``_``); skipped with a
         message if ``import vnparty`` fails.
oracle   (``--self-check``) the gold words joined by ``_``: must score 1.0, checks the span logic.

    python benchmarks/segmentation_f1.py                       # whole test split
    python benchmarks/segmentation_f1.py --limit 20 --examples 3 --self-check
    python benchmarks/segmentation_f1.py --json seg.json

Only the standard library and pyvi are needed (and vnparty, if importable).
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import re
import statistics
import sys
import time
import unicodedata
from pathlib import Path

HERE = Path(__file__).resolve().parent
DEFAULT_CONLLU = HERE / "data" / "vi_vtb-ud-test.conllu"
CORPUS_NAME = "UD_Vietnamese-VTB test (CC BY-SA 4.0)"
TEXT_RE = re.compile(r"^#\s*text\s*=\s?(.*)$")  # VTB writes "# text =Câu ..." (no space after =)


# -- data -------------------------------------------------------------------------------------------
def read_conllu(path: Path) -> list[dict]:
    """Sentences as dicts: ``id``, ``text`` (from ``# text``) and ``words`` (FORM of each word)."""
    sentences, current = [], None
    with open(path, encoding="utf-8") as handle:
        for raw in handle:
            line = raw.rstrip("\r\n")
            if not line.strip():
                if current and current["words"]:
                    sentences.append(current)
                current = None
                continue
            if current is None:
                current = {"id": str(len(sentences) + 1), "text": None, "words": []}
            if line.startswith("#"):
                if line.startswith("# sent_id"):
                    current["id"] = line.split("=", 1)[1].strip()
                match = TEXT_RE.match(line)
                if match:
                    current["text"] = match.group(1).strip()
                continue
            cols = line.split("\t")
            if len(cols) != 10:
                raise ValueError(f"{path}: expected 10 columns, got {len(cols)}: {line!r}")
            if "-" in cols[0] or "." in cols[0]:  # multiword-token range / empty node
                continue
            current["words"].append(cols[1])
    if current and current["words"]:
        sentences.append(current)
    for sentence in sentences:
        if sentence["text"] is None:  # no "# text" comment: rebuild it from the words
            sentence["text"] = " ".join(sentence["words"])
    return sentences


# -- scoring ----------------------------------------------------------------------------------------
def clean(word: str) -> str:
    """The characters of one word that take part in the comparison."""
    return re.sub(r"[\s_]+", "", unicodedata.normalize("NFC", word))


def spans(words: list[str]) -> tuple[set[tuple[int, int]], str]:
    """(start, end) of every non-empty word over the concatenated cleaned characters, and those
    characters."""
    result, chars, position = set(), [], 0
    for word in words:
        piece = clean(word)
        if piece:
            result.add((position, position + len(piece)))
            chars.append(piece)
            position += len(piece)
    return result, "".join(chars)


def prf(tp: int, n_pred: int, n_gold: int) -> tuple[float, float, float]:
    p = tp / n_pred if n_pred else 0.0
    r = tp / n_gold if n_gold else 0.0
    return p, r, (2 * p * r / (p + r) if p + r else 0.0)


# -- segmenters -------------------------------------------------------------------------------------
def load_segmenters(self_check: bool):
    """(name -> callable text -> list[str]) and (name -> reason it is unavailable)."""
    available, unavailable = {}, {}
    try:
        from pyvi import ViTokenizer

        available["pyvi"] = lambda text: ViTokenizer.tokenize(text).split()
    except Exception as error:  # pragma: no cover - pyvi is a requirement of the benchmark
        unavailable["pyvi"] = f"{type(error).__name__}: {error}"
    try:
        import vnparty

        available["vnparty"] = vnparty.segment
    except Exception as error:
        unavailable["vnparty"] = f"{type(error).__name__}: {error}"
    if self_check:
        available["oracle"] = None  # filled per sentence from the gold words
    return available, unavailable


def evaluate(sentences, segmenters, examples=0):
    gold_total = sum(len(s["words"]) for s in sentences)
    results = {}
    for name, segment in segmenters.items():
        tp = n_pred = n_gold = errors = 0
        mismatched, times = [], []
        for index, sentence in enumerate(sentences):
            gold_spans, gold_chars = spans(sentence["words"])
            start = time.perf_counter()
            try:
                if segment is None:
                    predicted = ["_".join(w.split()) for w in sentence["words"]]
                else:
                    predicted = list(segment(sentence["text"]))
            except Exception as error:
                errors += 1
                predicted = []
                if errors <= 3:
                    print(f"  [{name}] error on {sentence['id']}: {type(error).__name__}: {error}")
            times.append(time.perf_counter() - start)
            pred_spans, pred_chars = spans(predicted)
            if pred_chars != gold_chars:
                mismatched.append(sentence["id"])
            hit = len(pred_spans & gold_spans)
            tp, n_pred, n_gold = tp + hit, n_pred + len(pred_spans), n_gold + len(gold_spans)
            if index < examples:
                p, r, f = prf(hit, len(pred_spans), len(gold_spans))
                print(f"\n[{sentence['id']}] {sentence['text']}")
                print(f"  gold  : {' | '.join(sentence['words'])}")
                print(f"  {name:<6}: {' | '.join(predicted)}")
                print(f"  sentence P={p:.3f} R={r:.3f} F1={f:.3f}"
                      + ("  (characters differ from gold)" if pred_chars != gold_chars else ""))
        p, r, f = prf(tp, n_pred, n_gold)
        results[name] = {
            "precision": p, "recall": r, "f1": f, "correct": tp, "predicted_words": n_pred,
            "gold_words": n_gold, "gold_words_in_file": gold_total,
            "mismatched_sentences": len(mismatched), "mismatched_ids": mismatched[:50],
            "errors": errors,
            "median_ms_per_sentence": 1000 * statistics.median(times) if times else 0.0,
            "total_seconds": sum(times),
        }
    return results


# -- report -----------------------------------------------------------------------------------------
def machine() -> dict:
    info = {"platform": platform.platform(), "machine": platform.machine(),
            "processor": platform.processor() or "?", "cpu_count": os.cpu_count(),
            "python": platform.python_version()}
    try:
        from importlib.metadata import version

        info["pyvi"] = version("pyvi")
    except Exception:
        info["pyvi"] = "?"
    return info


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--conllu", type=Path, default=DEFAULT_CONLLU,
                        help="gold CoNLL-U file (default: %(default)s)")
    parser.add_argument("--limit", type=int, default=None, help="score only the first N sentences")
    parser.add_argument("--examples", type=int, default=0,
                        help="print gold vs predicted words for the first N sentences")
    parser.add_argument("--self-check", action="store_true",
                        help="also score the gold words themselves (must give 1.0)")
    parser.add_argument("--json", type=Path, default=None, help="write the numbers to this file")
    args = parser.parse_args(argv)

    sentences = read_conllu(args.conllu)
    if args.limit is not None:
        sentences = sentences[: args.limit]
    segmenters, unavailable = load_segmenters(args.self_check)
    results = evaluate(sentences, segmenters, examples=args.examples)
    info = machine()
    n_gold = sum(len(s["words"]) for s in sentences)

    print(f"\nmachine : {info['platform']} ({info['machine']}), {info['cpu_count']} CPUs, "
          f"Python {info['python']}, pyvi {info['pyvi']}")
    print(f"corpus  : {CORPUS_NAME} -- {args.conllu.name}")
    print(f"          {len(sentences)} sentences, {n_gold} gold words")
    print(f"\n{'segmenter':<10}{'P':>8}{'R':>8}{'F1':>8}{'pred':>8}{'correct':>9}"
          f"{'mismatch':>10}{'errors':>8}{'median ms/sent':>16}")
    for name, row in results.items():
        print(f"{name:<10}{row['precision']:>8.4f}{row['recall']:>8.4f}{row['f1']:>8.4f}"
              f"{row['predicted_words']:>8}{row['correct']:>9}{row['mismatched_sentences']:>10}"
              f"{row['errors']:>8}{row['median_ms_per_sentence']:>16.3f}")
    for name, reason in unavailable.items():
        print(f"{name:<10}unavailable ({reason})")
    for name, row in results.items():
        if row["mismatched_ids"]:
            print(f"{name}: characters differ from gold in {row['mismatched_sentences']} "
                  f"sentence(s), e.g. {', '.join(row['mismatched_ids'][:10])}")

    if args.json:
        payload = {"corpus": CORPUS_NAME, "file": str(args.conllu), "machine": info,
                   "sentences": len(sentences), "gold_words": n_gold, "results": results,
                   "unavailable": unavailable}
        args.json.write_text(json.dumps(payload, ensure_ascii=False, indent=2) + "\n",
                             encoding="utf-8")
        print(f"\nwrote {args.json}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
