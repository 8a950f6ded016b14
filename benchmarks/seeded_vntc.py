"""Does seeding help on text it was not tuned on? ``fit_seeded`` against unseeded LDA on VNTC.

Two sets of four VNTC categories (an easy one and a hard one), ``--per-category`` articles each,
drawn as ``topic_quality.py`` draws (``default_rng(--sample-seed)`` over each category's articles
sorted by id; default sample seed 2, not one the model studies used). Each category gets a small
codebook of seed words, written down from what the category is about before looking at the
sample (``CODEBOOKS`` below; checked only to be single vnparty tokens). For model seeds 0, 1, 2:

* ``lda``: ``fit_lda(tokens, k=4)``, unseeded, tomotopy defaults;
* ``seeded, seed_weight=0``: ``fit_seeded`` with the same k and sampler but the seed priors off;
* ``seeded``: ``fit_seeded(tokens, codebook, k_free=0)`` (k = 4, one theme per category);
* ``seeded + 2 free``: ``fit_seeded(tokens, codebook, k_free=2)`` (the default k_free);
* with ``--seed-weights 0.3 3``: ``seeded`` again with those seed weights (sensitivity).

Measures: NMI and purity of each article's dominant topic against its category, and, for the
seeded models, the accuracy of the named theme (the share of articles whose dominant topic is the
theme named for their category; a free topic counts as wrong). For the unseeded models the same
accuracy after the best one-to-one matching of topics to categories (Hungarian), which flatters
them: the seeded models get no such help.

    python benchmarks/seeded_vntc.py --per-category 150 --seed-weights 0.3 3 10 --json seeded.json

A benchmark, not a test: about a minute, and it needs the shared corpus.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
import warnings
from pathlib import Path

import numpy as np
from scipy.optimize import linear_sum_assignment
from sklearn.metrics import normalized_mutual_info_score

sys.path.insert(0, str(Path(__file__).resolve().parent))
from topic_quality import DEFAULT_CORPUS, load_sample, purity  # noqa: E402

import vnparty  # noqa: E402

CODEBOOKS = {
    "easy": {
        "The thao": ["bóng_đá", "cầu_thủ", "trận_đấu", "đội_tuyển", "huấn_luyện_viên", "giải_đấu"],
        "Suc khoe": ["bệnh", "bệnh_nhân", "bác_sĩ", "thuốc", "điều_trị", "bệnh_viện"],
        "Vi tinh": ["máy_tính", "phần_mềm", "internet", "công_nghệ", "windows", "dữ_liệu"],
        "Phap luat": ["công_an", "bị_cáo", "tòa_án", "điều_tra", "hình_sự", "tội_phạm"],
    },
    "hard": {
        "Chinh tri Xa hoi": ["quốc_hội", "chính_phủ", "đại_biểu", "chính_sách", "bộ_trưởng"],
        "Kinh doanh": ["doanh_nghiệp", "thị_trường", "xuất_khẩu", "ngân_hàng", "đầu_tư"],
        "Doi song": ["gia_đình", "vợ", "chồng", "tình_yêu", "hạnh_phúc"],
        "Phap luat": ["công_an", "bị_cáo", "tòa_án", "điều_tra", "hình_sự", "tội_phạm"],
    },
}


def dominant(model, n: int) -> np.ndarray:
    labels = np.full(n, -1)
    labels[np.asarray(model.doc_index)] = model.doc_topic.argmax(axis=1)
    return labels


def matched_accuracy(categories: list[str], labels: np.ndarray, names: list[str]) -> float:
    """Accuracy after the best one-to-one matching of topics to the categories ``names``."""
    k = int(labels.max()) + 1
    table = np.zeros((k, len(names)))
    for c, t in zip(categories, labels):
        if t >= 0:
            table[t, names.index(c)] += 1
    rows, columns = linear_sum_assignment(-table)
    return float(table[rows, columns].sum() / len(categories))


def named_accuracy(categories: list[str], labels: np.ndarray, topic_names: list[str]) -> float:
    return float(np.mean([t >= 0 and topic_names[t] == c for c, t in zip(categories, labels)]))


def run(name: str, codebook: dict, sample: list[dict], tokens, seeds, weights=()) -> list[dict]:
    keep = [i for i, a in enumerate(sample) if a["category"] in codebook]
    docs = [tokens[i] for i in keep]
    categories = [sample[i]["category"] for i in keep]
    audit = vnparty.codebook_audit(codebook, docs)
    print(f"\n{name}: {len(docs)} articles; seed words that occur: "
          f"{int((audit['tokens'] > 0).sum())} of {len(audit)}", flush=True)
    k, rows = len(codebook), []
    fits = {"lda": lambda s: vnparty.fit_lda(docs, k, seed=s),
            "seeded, seed_weight=0": lambda s: vnparty.fit_seeded(docs, codebook, k_free=0,
                                                                  seed=s, seed_weight=0),
            "seeded": lambda s: vnparty.fit_seeded(docs, codebook, k_free=0, seed=s),
            "seeded + 2 free": lambda s: vnparty.fit_seeded(docs, codebook, k_free=2, seed=s)}
    for w in weights:  # sensitivity to seed_weight (not used to choose the default)
        fits[f"seeded, seed_weight={w:g}"] = (
            lambda s, w=w: vnparty.fit_seeded(docs, codebook, k_free=0, seed=s, seed_weight=w))
    for model_name, fit in fits.items():
        for seed in seeds:
            start = time.perf_counter()
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")
                model = fit(seed)
            seconds = time.perf_counter() - start
            labels = dominant(model, len(docs))
            named = model.topic_names is not None and model.params.get("seed_weight", 0) > 0
            rows.append({"set": name, "model": model_name, "seed": seed,
                         "nmi": float(normalized_mutual_info_score(categories, labels)),
                         "purity": purity(categories, labels),
                         "accuracy": named_accuracy(categories, labels, model.topic_names)
                         if named else matched_accuracy(categories, labels, list(codebook)),
                         "accuracy_kind": "named themes" if named else "best matching",
                         "fit_s": seconds, "k": model.k})
            r = rows[-1]
            print(f"  {model_name:24s} seed {seed}: NMI {r['nmi']:.3f}  purity {r['purity']:.3f}"
                  f"  accuracy {r['accuracy']:.3f} ({r['accuracy_kind']})  {seconds:.1f} s",
                  flush=True)
    return rows


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--corpus", type=Path, default=DEFAULT_CORPUS)
    parser.add_argument("--per-category", type=int, default=150)
    parser.add_argument("--sample-seed", type=int, default=2)
    parser.add_argument("--seeds", type=int, nargs="+", default=[0, 1, 2])
    parser.add_argument("--seed-weights", type=float, nargs="*", default=[],
                        help="further seed_weight values to fit (k_free=0)")
    parser.add_argument("--cache", type=Path, default=None,
                        help="segmentation cache for Preprocessor(cache=...)")
    parser.add_argument("--json", type=Path, default=None)
    args = parser.parse_args(argv)

    sample, _, _ = load_sample(args.corpus, args.per_category, args.sample_seed)
    wanted = {c for book in CODEBOOKS.values() for c in book}
    sample = [a for a in sample if a["category"] in wanted]
    start = time.perf_counter()
    tokens = vnparty.Preprocessor(cache=args.cache, progress=False).fit_transform(
        [a["text"] for a in sample])
    print(f"{len(sample)} articles preprocessed in {time.perf_counter() - start:.0f} s")
    rows = [r for name, book in CODEBOOKS.items()
            for r in run(name, book, sample, tokens, args.seeds, args.seed_weights)]
    print("\nmeans over seeds")
    for name in CODEBOOKS:
        for model_name in dict.fromkeys(r["model"] for r in rows):
            chosen = [r for r in rows if r["set"] == name and r["model"] == model_name]
            print(f"  {name:5s} {model_name:24s} NMI {np.mean([r['nmi'] for r in chosen]):.3f}"
                  f"  purity {np.mean([r['purity'] for r in chosen]):.3f}"
                  f"  accuracy {np.mean([r['accuracy'] for r in chosen]):.3f}")
    if args.json:
        args.json.write_text(json.dumps({"args": {k: str(v) for k, v in vars(args).items()},
                                         "codebooks": CODEBOOKS, "rows": rows},
                                        ensure_ascii=False, indent=1), encoding="utf-8")


if __name__ == "__main__":
    main()
