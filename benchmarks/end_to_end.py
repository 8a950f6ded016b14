"""End to end on VNTC (preprocess + NMF + LDA): time and peak memory at several corpus sizes,
a cached rerun against a cold one, and vnparty's fits against gensim / scikit-learn called
directly on the same matrix (wrapper overhead).

Each measurement runs in a fresh subprocess, so its peak memory (ru_maxrss) is its own.

    python benchmarks/end_to_end.py --sizes 1000 10000 33709 --jobs 2

At the largest size, ``--cache-repeats`` pairs of a cold run and a cached rerun are timed (each
pair in a fresh cache; the first cold run also fits LDA); the median ratio is the number to
quote, since a single pair moves with the load on a shared machine.
"""

from __future__ import annotations

import argparse
import functools
import statistics
import tempfile

from _common import commit, machine, run_fresh, save_json

STEP = r"""
import json, sys, time, resource, warnings
sys.path.insert(0, {bench!r})
warnings.simplefilter("ignore")
from _common import vntc_texts
import vnparty
texts = (t for _, _, t in vntc_texts({size}))
start = time.perf_counter()
pre = vnparty.Preprocessor(n_jobs={jobs}, cache={cache!r}, progress=False)
tokens = pre.fit_transform(texts)
t_pre = time.perf_counter() - start
start = time.perf_counter()
nmf = vnparty.fit_nmf(tokens, 10, seed=0, min_df=5, max_df=0.5, minibatch={minibatch})
t_nmf = time.perf_counter() - start
t_lda = None
if {lda}:
    start = time.perf_counter()
    lda = vnparty.fit_lda(tokens, 10, seed=0, min_df=5, max_df=0.5, passes=2, workers={jobs})
    t_lda = time.perf_counter() - start
peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
print(json.dumps({{"documents": len(tokens), "tokens": sum(map(len, tokens)),
                  "preprocess_s": t_pre, "nmf_s": t_nmf, "lda_s": t_lda, "peak_mb": peak}}))
"""

OVERHEAD = r"""
import json, sys, time, statistics, warnings
sys.path.insert(0, {bench!r})
warnings.simplefilter("ignore")
import numpy as np
from _common import vntc_texts
import vnparty
from sklearn.decomposition import NMF
from sklearn.feature_extraction.text import TfidfVectorizer
from gensim.corpora import Dictionary
from gensim.models import LdaModel
tokens = vnparty.Preprocessor(progress=False, cache={cache!r}).fit_transform(
    t for _, _, t in vntc_texts({size}))

def direct_nmf():  # what a user would write: scikit-learn's vectorizers, then NMF
    x = TfidfVectorizer(analyzer=lambda t: t, sublinear_tf=True).fit_transform(tokens)
    NMF(10, init="nndsvda", max_iter=1000, random_state=0).fit_transform(x)

def direct_lda():  # gensim's Dictionary and LdaModel, and every document's shares
    dictionary = Dictionary(tokens)
    corpus = [dictionary.doc2bow(t) for t in tokens]
    model = LdaModel(corpus, id2word=dictionary, num_topics=10, random_state=0, passes=2,
                     iterations=200, alpha=0.1, eta=0.1, eval_every=None, dtype=np.float64)
    gamma, _ = model.inference(corpus)
    gamma / gamma.sum(axis=1, keepdims=True)

# the same vocabulary (min_df=1) and settings on both sides
pairs = {{"nmf": (direct_nmf, lambda: vnparty.fit_nmf(tokens, 10, min_df=1)),
          "lda": (direct_lda, lambda: vnparty.fit_lda(tokens, 10, min_df=1, passes=2))}}
out = {{}}
for name, (direct, wrapped) in pairs.items():
    times = {{"direct": [], "vnparty": []}}
    for _ in range({repeats}):  # interleaved, so both see the same machine load
        for label, call in (("direct", direct), ("vnparty", wrapped)):
            start = time.perf_counter(); call(); times[label].append(time.perf_counter() - start)
    out[name] = {{k: statistics.median(v) for k, v in times.items()}}
print(json.dumps(out))
"""


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sizes", type=int, nargs="+", default=[1000, 10000, 33709])
    parser.add_argument("--jobs", type=int, default=2)
    parser.add_argument("--overhead-size", type=int, default=2000)
    parser.add_argument("--repeats", type=int, default=3, help="of the overhead measurement")
    parser.add_argument("--cache-repeats", type=int, default=3,
                        help="cold run + cached rerun pairs at the largest size")
    parser.add_argument("--no-lda", action="store_true", help="skip LDA at the largest size")
    parser.add_argument("--json", help="write the numbers here too")
    parser.add_argument("--overhead-only", action="store_true",
                        help="measure only the wrapper overhead")
    args = parser.parse_args()
    bench = str(__import__("pathlib").Path(__file__).resolve().parent)
    print(f"machine: {machine()}\ncommit: {commit()}\ncorpus: VNTC train (first N articles in "
          f"file order), k = 10, min_df = 5, max_df = 0.5, n_jobs = {args.jobs}\n")
    results = {"machine": machine(), "commit": commit(), "sizes": {}, "cache": {}}
    if not args.overhead_only:
        print(f"{'articles':>9} {'tokens':>11} {'preprocess s':>13} {'NMF s':>7} {'LDA s':>7} "
              f"{'peak MB':>8}")
    for size in ([] if args.overhead_only else args.sizes):
        largest = size == max(args.sizes)
        ratios = []
        for pair in range(args.cache_repeats if largest else 1):
            with tempfile.TemporaryDirectory() as cache:
                step = functools.partial(STEP.format, bench=bench, size=size, jobs=args.jobs,
                                         cache=cache, minibatch=size > 10000)
                cold = run_fresh(step(lda=pair == 0 and not (args.no_lda and largest)))
                if pair == 0:
                    print(f"{cold['documents']:>9} {cold['tokens']:>11,} "
                          f"{cold['preprocess_s']:>13.1f} {cold['nmf_s']:>7.1f} "
                          f"{cold['lda_s'] or float('nan'):>7.1f} {cold['peak_mb']:>8.0f}")
                    results["sizes"][size] = cold
                if largest:  # the same articles again, from the cache this run filled
                    warm = run_fresh(step(lda=False))
                    cold_total = cold["preprocess_s"] + cold["nmf_s"]
                    warm_total = warm["preprocess_s"] + warm["nmf_s"]
                    ratios.append({"cold_s": cold_total, "warm_s": warm_total,
                                   "ratio": warm_total / cold_total})
        if ratios:
            results["cache"] = {"pairs": ratios,
                                "median_ratio": statistics.median(r["ratio"] for r in ratios)}
            print(f"\ncached rerun (preprocess + NMF) on {size} articles, each right after a cold "
                  "run into a fresh cache:")
            for r in ratios:
                print(f"  {r['warm_s']:.1f} s vs cold {r['cold_s']:.1f} s = "
                      f"{100 * r['ratio']:.1f}% of cold")
            print(f"  median: {100 * results['cache']['median_ratio']:.1f}% of cold")
    with tempfile.TemporaryDirectory() as cache:
        overhead = run_fresh(OVERHEAD.format(bench=bench, size=args.overhead_size, cache=cache,
                                       repeats=args.repeats))
    results["overhead"] = overhead
    print(f"\nwrapper overhead on {args.overhead_size} articles (median of {args.repeats}, "
          "interleaved):")
    for name, times in overhead.items():
        print(f"  {name}: direct {times['direct']:.2f} s, vnparty {times['vnparty']:.2f} s, "
              f"overhead {100 * (times['vnparty'] / times['direct'] - 1):+.0f}%")
    save_json(args.json, results)


if __name__ == "__main__":
    main()
