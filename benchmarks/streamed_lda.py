"""LDA on VNTC from memory against LDA from a bag-of-words file on disk (StreamedCorpus): time
and peak memory, at two corpus sizes, so the growth with the corpus shows.

Both paths read the texts through the same warm cache (filled first, in its own process), so
segmentation is not what is measured. Each measurement runs in a fresh subprocess: its peak
memory (ru_maxrss) is its own.

    python benchmarks/streamed_lda.py --sizes 10000 33709
"""

from __future__ import annotations

import argparse
import tempfile

from _common import commit, machine, run_fresh, save_json

FILL = r"""
import sys, warnings
sys.path.insert(0, {bench!r}); warnings.simplefilter("ignore")
from _common import vntc_texts
import vnparty
vnparty.Preprocessor(n_jobs=2, cache={cache!r}, progress=False).fit(
    t for _, _, t in vntc_texts({size}))
"""

RUN = r"""
import json, os, sys, time, resource, warnings
sys.path.insert(0, {bench!r}); warnings.simplefilter("ignore")
from _common import vntc_texts
import vnparty
texts = lambda: (t for _, _, t in vntc_texts({size}))
start = time.perf_counter()
pre = vnparty.Preprocessor(cache={cache!r}, progress=False)
params = dict(seed=0, passes=2, workers=1)
if {streamed}:
    pre.fit(texts())
    corpus = vnparty.StreamedCorpus.write(pre.iter_transform(texts()),
                                          os.path.join({cache!r}, "bow{size}"), min_df=5,
                                          max_df=0.5)
    t_data = time.perf_counter() - start
    model = vnparty.fit_lda(corpus, 10, **params)
else:
    tokens = pre.fit_transform(texts())
    t_data = time.perf_counter() - start
    model = vnparty.fit_lda(tokens, 10, min_df=5, max_df=0.5, **params)
total = time.perf_counter() - start
print(json.dumps({{"data_s": t_data, "lda_s": total - t_data, "total_s": total,
                  "peak_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
                  "vocabulary": len(model.vocabulary), "documents": len(model.doc_index),
                  "topic_word_sum": float(model.topic_word.sum())}}))
"""


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sizes", type=int, nargs="+", default=[10000, 33709])
    parser.add_argument("--json", help="write the numbers here too")
    args = parser.parse_args()
    bench = str(__import__("pathlib").Path(__file__).resolve().parent)
    print(f"machine: {machine()}\ncommit: {commit()}\ncorpus: VNTC train (first N articles), "
          "k = 10, passes = 2, workers = 1, min_df = 5, max_df = 0.5; texts from a warm cache\n")
    print(f"{'articles':>9} {'path':>9} {'tokens s':>9} {'LDA s':>7} {'total s':>8} "
          f"{'peak MB':>8}")
    results = {"machine": machine(), "commit": commit(), "sizes": {}}
    for size in args.sizes:
        with tempfile.TemporaryDirectory() as cache:
            run_fresh(FILL.format(bench=bench, size=size, cache=cache))
            for streamed in (False, True):
                out = run_fresh(RUN.format(bench=bench, size=size, cache=cache, streamed=streamed))
                name = "disk" if streamed else "memory"
                results["sizes"].setdefault(size, {})[name] = out
                print(f"{size:>9} {name:>9} {out['data_s']:>9.1f} {out['lda_s']:>7.1f} "
                      f"{out['total_s']:>8.1f} {out['peak_mb']:>8.0f}")
    save_json(args.json, results)


if __name__ == "__main__":
    main()
