"""The name layer and the articles rule on VNTC news cut into paragraphs (issue 13, item 3).

A stratified sample of VNTC articles (``topic_quality.load_sample``) is cut into paragraphs (its
lines); the paragraphs are the documents, as the bundled articles' paragraphs are in reproduce.
For each setting (name layer off/on; ``min_articles`` 1 = off, 2, 3, 5) NMF and LDA
(``fit_nmf`` / ``fit_lda`` defaults, k = 10, several seeds) are fitted to the paragraphs; each
article's topic is the argmax of its paragraphs' topic shares weighted by their lengths, and NMI
and purity compare it with the article's category. ``--detections`` writes a random sample of the
names found, with their context, for checking by hand.

    python benchmarks/names.py --corpus ../shared/corpora/vntc_train.jsonl.gz \
        --per-category 100 --seeds 0 1 2 --json names.json --detections detections.txt
"""

from __future__ import annotations

import argparse
import json
import random
import sys
import time
from pathlib import Path

import numpy as np
from sklearn.metrics import normalized_mutual_info_score

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _common import VNTC, commit, machine  # noqa: E402
from topic_quality import load_sample  # noqa: E402

import vnparty  # noqa: E402
from vnparty.names import find_names  # noqa: E402
from vnparty.normalize import normalize_text  # noqa: E402
from vnparty.tokenization import segment_spans_many  # noqa: E402

SETTINGS = [("names off, min_articles 1 (3ae0c36)", False, 1), ("names on, min_articles 1", True, 1),
            ("names on, min_articles 2", True, 2), ("names on, min_articles 3", True, 3),
            ("names on, min_articles 5", True, 5)]


def paragraphs(sample) -> tuple[list[str], list[int]]:
    texts, groups = [], []
    for number, article in enumerate(sample):
        for line in article["text"].split("\n"):
            if line.strip():
                texts.append(line)
                groups.append(number)
    return texts, groups


def purity(labels, truth) -> float:
    total = 0
    for topic in set(labels):
        members = [t for l, t in zip(labels, truth) if l == topic]
        total += max(members.count(c) for c in set(members))
    return total / len(truth)


def article_topics(model, kept, groups, lengths, n_articles) -> np.ndarray:
    shares = np.zeros((n_articles, model.k))
    for row, index in enumerate(kept):
        shares[groups[index]] += model.doc_topic[row] * lengths[index]
    return shares.argmax(axis=1)


def detections(sample, count: int, seed: int) -> list[str]:
    texts = [normalize_text(a["text"]) for a in sample]
    found = []
    for article, text, tokens in zip(sample, texts, segment_spans_many(texts)):
        for a, b in find_names(text, tokens).people:
            found.append(f"{article['category'][:10]:10} | {text[max(0, a - 50):a]!s:>50} [[ "
                         f"{text[a:b]} ]] {text[b:b + 30]}".replace("\n", " "))
    chosen = random.Random(seed).sample(found, min(count, len(found)))
    return [f"{len(found)} names found in {len(sample)} articles; {len(chosen)} drawn"] + \
        [f"{i:3} {line}" for i, line in enumerate(chosen)]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--corpus", type=Path, default=VNTC)
    parser.add_argument("--per-category", type=int, default=100)
    parser.add_argument("--sample-seed", type=int, default=0)
    parser.add_argument("--seeds", type=int, nargs="+", default=[0, 1, 2])
    parser.add_argument("--k", type=int, default=10)
    parser.add_argument("--json", type=Path)
    parser.add_argument("--detections", type=Path)
    parser.add_argument("--draw-seed", type=int, default=3, help="which 100 names to draw")
    args = parser.parse_args()

    sample, _, _ = load_sample(args.corpus, args.per_category, args.sample_seed)
    truth = [a["category"] for a in sample]
    if args.detections:
        args.detections.write_text("\n".join(detections(sample, 100, args.draw_seed)) + "\n",
                                   encoding="utf-8")
    texts, groups = paragraphs(sample)
    print(f"{len(sample)} articles, {len(texts)} paragraphs", flush=True)
    candidates = {names: list(vnparty.Preprocessor(names=names, progress=False).iter_candidates(texts))
                  for names in (False, True)}
    rows = []
    for label, names, min_articles in SETTINGS:
        pre = vnparty.Preprocessor(names=names, min_articles=min_articles)
        pre.fit_candidates(candidates[names], groups)
        tokens = [pre.stopwords_.remove_from(c) for c in candidates[names]]
        kept = [i for i, t in enumerate(tokens) if t]
        lengths = [len(t) for t in tokens]
        for fit in (vnparty.fit_nmf, vnparty.fit_lda):
            for seed in args.seeds:
                start = time.perf_counter()
                model = fit([tokens[i] for i in kept], k=args.k, seed=seed)
                seconds = time.perf_counter() - start
                topics = article_topics(model, kept, groups, lengths, len(sample))
                row = {"setting": label, "model": fit.__name__, "seed": seed,
                       "nmi": round(normalized_mutual_info_score(truth, topics), 4),
                       "purity": round(purity(list(topics), truth), 4),
                       "vocabulary": len(model.vocabulary),
                       "tokens": sum(lengths), "articles_layer": len(pre.stopwords_.articles),
                       "seconds": round(seconds, 1)}
                rows.append(row)
                print(json.dumps(row, ensure_ascii=False), flush=True)
    print("\nmean over seeds")
    print(f"{'setting':40} {'model':8} {'NMI':>6} {'purity':>7} {'tokens':>8}")
    for label, _, _ in SETTINGS:
        for model in ("fit_nmf", "fit_lda"):
            these = [r for r in rows if r["setting"] == label and r["model"] == model]
            print(f"{label:40} {model:8} {np.mean([r['nmi'] for r in these]):6.3f} "
                  f"{np.mean([r['purity'] for r in these]):7.3f} {these[0]['tokens']:8}")
    if args.json:
        args.json.write_text(json.dumps({"commit": commit(), "machine": machine(),
                                         "args": {k: str(v) for k, v in vars(args).items()},
                                         "rows": rows}, ensure_ascii=False, indent=1) + "\n")


if __name__ == "__main__":
    main()
