"""Stability of themes across seeds: one fit per seed against an ensemble per seed
(``vnparty.fit_ensemble``), on the bundled paragraphs or a VNTC sample.

For each user seed u in 0..users-1: a single fit (``fit_lda``/``fit_nmf`` with ``seed=u``, what a
user gets today) and, for every n_runs R, the ensemble ``fit_ensemble(..., n_runs=R, seed=u)``
with each way of combining the runs:

average  the runs' aligned topics averaged (fit_ensemble's default)
central  the most central run (fit_ensemble's ``combine="central"``)
stack    consensus NMF of the stacked topic-word rows of the runs (Greene, O'Callaghan and
         Cunningham 2014); benchmark only, for comparison

The runs of ``fit_ensemble(seed=u, n_runs=R)`` are the first R runs of ``run_seeds(u, max R)``, so
each run is fitted once and the ensembles are built from them with ``vnparty.ensemble.consensus``
(the script checks once that this equals ``fit_ensemble``). Ensemble time = the fit times of its
runs plus the consensus.

Measures: stability = ``vnparty.stability`` of the users' models (mean matched top-10 Jaccard of
seed 0's topics in seeds 1..), "all pairs" = the same averaged over every pair of seeds; on VNTC,
NMI of each document's argmax topic with its category (mean over seeds). Whether a topic's
``topic_stability`` predicts how well that topic reappears in the other seeds' ensembles:
Spearman correlation over all topics of all seeds, for the share of runs in which the matched
Jaccard is at least 0.5 and for the mean matched Jaccard to the runs (``topic_stability``).

    python benchmarks/stability.py --corpus bundled --method lda --runs 5 10 20 40
    python benchmarks/stability.py --corpus vntc --method lda --k 10 --runs 5 10 20 --json out.json
    python benchmarks/stability.py --corpus bundled --runs 10 20 --param backend=tomotopy

A benchmark, not a test: minutes to an hour, and the VNTC corpus from ../shared/corpora.
"""

from __future__ import annotations

import argparse
import itertools
import json
import sys
import time
import warnings
from dataclasses import replace
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _common import VNTC, commit, machine, save_json  # noqa: E402


def tokens_for(args):
    import vnparty

    if args.corpus == "bundled":
        units = vnparty.split_units(vnparty.load_articles(), unit="paragraph")
        return vnparty.preprocess([u.text for u in units]), None
    from topic_quality import load_sample

    sample, _, _ = load_sample(args.vntc, args.per_category, args.sample_seed)
    return (vnparty.preprocess([a["text"] for a in sample], progress=False),
            [a["category"] for a in sample])


def parse_param(text: str):
    key, _, value = text.partition("=")
    try:
        return key, json.loads(value)
    except json.JSONDecodeError:
        return key, value


def stack_consensus(runs, tokens):
    """Consensus NMF of the stacked, L2-normalised topic-word rows (Greene et al. 2014): its k
    components are the topics; document shares by the model's own transform."""
    from sklearn.decomposition import NMF

    from vnparty.models import _normalise_rows

    rows = np.vstack([m.topic_word for m in runs])
    rows /= np.linalg.norm(rows, axis=1, keepdims=True)
    k = runs[0].k
    h = NMF(k, init="nndsvd", max_iter=2000).fit(rows).components_
    scale = np.mean([m.weights.sum(axis=1).mean() for m in runs])
    weights = _normalise_rows(h) * scale
    model = replace(runs[0], weights=weights, topic_word=_normalise_rows(weights))
    model.doc_topic = model.transform([tokens[i] for i in model.doc_index])
    return model


def nmi(model, categories):
    from sklearn.metrics import normalized_mutual_info_score

    labels = np.full(len(categories), -1)
    labels[model.doc_index] = model.doc_topic.argmax(axis=1)
    return float(normalized_mutual_info_score(categories, labels))


def measure(models, categories, seconds):
    import vnparty

    stability = float(vnparty.stability(models)["stability"].mean())
    pairs = [float(vnparty.stability([a, b])["stability"].mean())
             for a, b in itertools.combinations(models, 2)]
    row = {"stability": stability, "all_pairs": float(np.mean(pairs)),
           "seconds": float(np.mean(seconds))}
    if categories is not None:
        row["nmi"] = [nmi(m, categories) for m in models]
    return row


def predictiveness(models, runs_by_user):
    """Spearman correlation of each topic's stability (two definitions) with how well it
    reappears in the other seeds' ensembles."""
    from scipy.stats import spearmanr

    import vnparty
    from vnparty.evaluation import match_topics

    share, mean_jaccard, across = [], [], []
    for u, model in enumerate(models):
        others = models[:u] + models[u + 1:]
        across += list(vnparty.stability([model, *others])["stability"])
        top = model.top_words(10)
        matched = np.array([match_topics(top, run.top_words(10))[1] for run in runs_by_user[u]])
        share += list((matched >= 0.5).mean(axis=0))
        mean_jaccard += list(matched.mean(axis=0))
    return {"share_of_runs": float(spearmanr(share, across)[0]),
            "mean_jaccard": float(spearmanr(mean_jaccard, across)[0])}


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--corpus", choices=("bundled", "vntc"), default="bundled")
    parser.add_argument("--method", choices=("lda", "nmf"), default="lda")
    parser.add_argument("--k", type=int, default=None, help="6 bundled, 10 VNTC")
    parser.add_argument("--per-category", type=int, default=100, help="VNTC articles per category")
    parser.add_argument("--sample-seed", type=int, default=0)
    parser.add_argument("--vntc", type=Path, default=VNTC, help="vntc_train.jsonl.gz")
    parser.add_argument("--users", type=int, default=5, help="user seeds 0..users-1")
    parser.add_argument("--runs", type=int, nargs="+", default=[5, 10, 20])
    parser.add_argument("--combine", nargs="+", default=["average", "central", "stack"])
    parser.add_argument("--param", action="append", default=[],
                        help="key=value passed to the fit (JSON value), e.g. backend=tomotopy")
    parser.add_argument("--json", default=None)
    args = parser.parse_args(argv)

    import vnparty
    from vnparty.ensemble import consensus, run_seeds

    k = args.k or (6 if args.corpus == "bundled" else 10)
    params = dict(map(parse_param, args.param))
    fit = vnparty.fit_lda if args.method == "lda" else vnparty.fit_nmf
    warnings.simplefilter("ignore")
    t = time.perf_counter()
    tokens, categories = tokens_for(args)
    info = {"machine": machine(), "commit": commit(), "vnparty": str(Path(vnparty.__file__).parent),
            "command": " ".join(["python benchmarks/stability.py", *(argv or sys.argv[1:])]),
            "corpus": args.corpus, "documents": len(tokens), "k": k, "method": args.method,
            "params": params, "preprocess_s": time.perf_counter() - t, "rows": []}
    print(f"{len(tokens)} documents, k={k}, {args.method} {params}", file=sys.stderr)

    def timed_fit(seed):
        t = time.perf_counter()
        model = fit(tokens, k, seed=seed, **params)
        return model, time.perf_counter() - t

    users = range(args.users)
    single = [timed_fit(u) for u in users]
    info["rows"].append({"model": "single fit", "n_runs": 1, **measure(
        [m for m, _ in single], categories, [s for _, s in single])})
    print(info["rows"][-1], file=sys.stderr)

    most = max(args.runs)
    pool = {u: [timed_fit(s) for s in run_seeds(u, most)] for u in users}
    info["fit_s_per_run"] = float(np.mean([s for u in users for _, s in pool[u]]))
    for n_runs, combine in itertools.product(sorted(args.runs), args.combine):
        models, seconds = [], []
        for u in users:
            runs = [m for m, _ in pool[u][:n_runs]]
            t = time.perf_counter()
            model = (stack_consensus(runs, tokens) if combine == "stack"
                     else consensus(runs, tokens, combine=combine))
            models.append(model)
            seconds.append(sum(s for _, s in pool[u][:n_runs]) + time.perf_counter() - t)
        row = {"model": f"ensemble, {combine}", "n_runs": n_runs,
               **measure(models, categories, seconds)}
        if combine != "stack":
            row["topic_stability_predicts"] = predictiveness(
                models, {u: [m for m, _ in pool[u][:n_runs]] for u in users})
            row["topic_stability_seed0"] = models[0].topic_stability.tolist()
        info["rows"].append(row)
        print(row, file=sys.stderr)

    # the pool's ensembles are fit_ensemble's: check once
    n_runs = min(args.runs)
    direct = vnparty.fit_ensemble(tokens, k, method=args.method, n_runs=n_runs, seed=0,
                                  combine="average", **params)
    pooled = consensus([m for m, _ in pool[0][:n_runs]], tokens, combine="average")
    info["pool_equals_fit_ensemble"] = bool(
        direct.topic_word.tobytes() == pooled.topic_word.tobytes())
    print(report(info))
    save_json(args.json, info)
    return 0 if info["pool_equals_fit_ensemble"] else 1


def report(info) -> str:
    nmi = info["corpus"] == "vntc"
    lines = [f"{info['corpus']}: {info['documents']} documents, k={info['k']}, {info['method']} "
             f"{info['params'] or '(defaults)'}; one fit {info['fit_s_per_run']:.2f} s; "
             f"commit {info['commit']}", "",
             "| model | n_runs | stability | all pairs |" + (" NMI |" if nmi else "")
             + " s per model | topic_stability predicts (share; mean Jaccard) |",
             "|---|---:|---:|---:|" + ("---:|" if nmi else "") + "---:|---|"]
    for row in info["rows"]:
        predicts = row.get("topic_stability_predicts")
        lines.append(
            f"| {row['model']} | {row['n_runs']} | {row['stability']:.3f} | "
            f"{row['all_pairs']:.3f} |" + (f" {np.mean(row['nmi']):.3f} |" if nmi else "")
            + f" {row['seconds']:.1f} | "
            + (f"{predicts['share_of_runs']:.2f}; {predicts['mean_jaccard']:.2f}" if predicts
               else "") + " |")
    lines.append(f"\nensembles built from the pool equal fit_ensemble's: "
                 f"{info['pool_equals_fit_ensemble']}")
    return "\n".join(lines)


if __name__ == "__main__":
    sys.exit(main())
