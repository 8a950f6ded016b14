"""Timings on the five bundled articles: select_k with stability over 5 seeds (LDA and NMF,
k = 4..8), and the whole `vnparty reproduce` run. Medians of --repeats runs.

    python benchmarks/bundled.py --repeats 3
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import tempfile
import time

from _common import commit, machine


def timed(call) -> float:
    start = time.perf_counter()
    call()
    return time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--repeats", type=int, default=3)
    args = parser.parse_args()
    import vnparty

    print(f"machine: {machine()}\ncommit: {commit()}\ncorpus: the 5 bundled articles, "
          "46 paragraphs\n")
    units = vnparty.split_units(vnparty.load_articles())
    tokens = vnparty.preprocess([u.text for u in units])
    for jobs in (1, 2):
        for method in ("nmf", "lda"):
            times = [timed(lambda: vnparty.select_k(tokens, [4, 5, 6, 7, 8], method,
                                                    seeds=range(5), n_jobs=jobs))
                     for _ in range(args.repeats)]
            print(f"select_k + stability, {method.upper()}, k = 4..8 × 5 seeds, n_jobs = {jobs}: "
                  f"median {statistics.median(times):.1f} s")
    runs = []
    for _ in range(args.repeats):
        with tempfile.TemporaryDirectory() as out:
            runs.append(timed(lambda: subprocess.run(
                [sys.executable, "-m", "vnparty.cli", "reproduce", "--out", out],
                check=True, capture_output=True)))
    print(f"vnparty reproduce (whole run, new process, all figures in 3 formats): median "
          f"{statistics.median(runs):.1f} s (runs: {', '.join(f'{r:.1f}' for r in runs)})")


if __name__ == "__main__":
    main()
