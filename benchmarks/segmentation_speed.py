"""Segmentation speed: plain pyvi against vnparty's PyviSegmenter and vnparty.segment.

Corpus: VNTC (training half), read from ``../shared/corpora/`` beside the repo and never copied
into the project. Sample: ``--articles`` articles evenly spaced through the file (article
``i * total // n`` for i = 0 .. n-1), so every category is in it and every run sees the same texts.

Timed on one core (one process, one thread; ``--pin CPU`` pins it to that CPU, which on a shared
machine can be the busy one), each over the whole sample:

pyvi documents    ``ViTokenizer.tokenize(text)`` on each whole article
pyvi sentences    ``ViTokenizer.tokenize(sentence)`` on each sentence (lines, then
                  ``vnparty.clean.split_sentences``), the way pyvi is meant to be fed
PyviSegmenter     ``vnparty.segmenters.PyviSegmenter()(text)`` on each whole article: pyvi's
                  segmentation, word for word, as spans of the original text; crfsuite tags
                  each sentence
  256 at a time   ``PyviSegmenter().words_and_keys_many(texts)`` on 256 articles at a time, as
                  a preprocessing worker calls it: the same words, the sentences of all 256
                  decoded together (numpy, vnparty.crf)
vnparty.segment   ``vnparty.segment(text)`` on each whole article: PyviSegmenter and the repairs
                  (lexicon, document references, numbers)
preprocess        ``vnparty.preprocess(texts)``: the whole feature pipeline (normalise, segment,
                  repair, lower-case, drop punctuation, numbers and stopwords, corpus layer)

Speed is vnparty syllables (``syllable_spans``) of the sample per second, the same count for every
row. Each method runs ``--repeats`` times, the methods interleaved within each repeat so that a
slow spell of a shared machine hits all of them alike; the median is reported, of wall and of CPU
time. vnparty's syllable cache is emptied before each of its runs, so every run starts cold as a
fresh process would; the row "warm cache" runs PyviSegmenter again right after, cache kept (the
steady state on a large corpus). With ``--processes 2`` the script also times, in 2 processes,
``preprocess(texts, n_jobs=2)`` (vnparty's own process pool, cold caches) and, in a pool of 2
worker processes, pyvi documents and vnparty.segment.

    python benchmarks/segmentation_speed.py --articles 1000 --repeats 5 --processes 2

A benchmark, not a test: it takes minutes and needs the shared corpus.
"""

from __future__ import annotations

import os

for _variable in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ.setdefault(_variable, "1")  # before numpy / scipy are imported: one thread each

import argparse  # noqa: E402
import gzip  # noqa: E402
import json  # noqa: E402
import multiprocessing  # noqa: E402
import platform  # noqa: E402
import statistics  # noqa: E402
import subprocess  # noqa: E402
import sys  # noqa: E402
import time  # noqa: E402
from importlib.metadata import PackageNotFoundError, version  # noqa: E402
from pathlib import Path  # noqa: E402

REPO = Path(__file__).resolve().parents[1]
DEFAULT_CORPUS = REPO / ".." / "shared" / "corpora" / "vntc_train.jsonl.gz"


# -- data ------------------------------------------------------------------------------------------
def load_sample(path: Path, articles: int) -> tuple[list[str], int]:
    """The texts of ``articles`` articles evenly spaced through the file, and the file's size."""
    with gzip.open(path, "rt", encoding="utf-8") as handle:
        lines = handle.readlines()
    picks = [i * len(lines) // articles for i in range(articles)]
    return [json.loads(lines[i])["text"] for i in picks], len(lines)


def sentences_of(texts: list[str]) -> list[str]:
    from vnparty.clean import split_sentences

    return [s for text in texts for line in text.splitlines() for s in split_sentences(line)]


# -- what is timed ---------------------------------------------------------------------------------
def pyvi_tokenize(texts):
    from pyvi import ViTokenizer

    for text in texts:
        ViTokenizer.tokenize(text)


def vnparty_segmenter(texts):
    from vnparty.segmenters import PyviSegmenter

    segmenter = PyviSegmenter()
    for text in texts:
        segmenter(text)


def vnparty_segmenter_batches(texts, size=256):
    from vnparty.segmenters import PyviSegmenter

    segmenter = PyviSegmenter()
    for start in range(0, len(texts), size):
        for _ in segmenter.words_and_keys_many(texts[start:start + size]):
            pass


def vnparty_segment(texts):
    from vnparty import segment

    for text in texts:
        segment(text)


def vnparty_preprocess(texts, n_jobs=1):
    from vnparty import preprocess

    preprocess(texts, n_jobs=n_jobs, progress=False)


def cold_cache():
    """Empty every cache vnparty fills while it segments, as in a fresh process."""
    from vnparty import lexicon, segmenters, tokenization

    segmenters._clear_caches()
    tokenization._WORD_LIKE.clear()
    lexicon.syllable_key.cache_clear()


def timed(function, texts, before=None, **options) -> tuple[float, float]:
    if before:
        before()
    wall, cpu = time.perf_counter(), time.process_time()
    function(texts, **options)
    return time.perf_counter() - wall, time.process_time() - cpu


# -- two processes ---------------------------------------------------------------------------------
def _segment_one(text):
    from vnparty import segment

    return len(segment(text))


def _tokenize_one(text):
    from pyvi import ViTokenizer

    return len(ViTokenizer.tokenize(text))


def _ready(_):
    time.sleep(0.5)  # both workers take one each: both are up before the clock starts


def timed_pool(function, texts, processes: int) -> float:
    cold_cache()  # the workers are forked from this process: they start with an empty cache too
    with multiprocessing.get_context("fork").Pool(processes) as pool:
        pool.map(_ready, range(processes), chunksize=1)
        start = time.perf_counter()
        pool.map(function, texts, chunksize=8)
        return time.perf_counter() - start


# -- report ----------------------------------------------------------------------------------------
def machine() -> dict:
    def package(name):
        try:
            return version(name)
        except PackageNotFoundError:
            return "not installed"

    cpu = platform.processor() or "unknown"
    try:
        with open("/proc/cpuinfo", encoding="utf-8") as handle:
            cpu = next(line.split(":", 1)[1].strip() for line in handle
                       if line.startswith("model name"))
    except (OSError, StopIteration):
        pass
    import vnparty

    return {"platform": platform.platform(), "cpu": cpu, "cpus": os.cpu_count(),
            "python": platform.python_version(),
            **{name: package(name) for name in
               ("pyvi", "python-crfsuite", "sklearn-crfsuite", "scikit-learn")},
            "vnparty": vnparty.__version__, "vnparty_path": str(Path(vnparty.__file__).parent)}


def git_commit() -> str:
    def git(*args):
        return subprocess.run(["git", *args], cwd=REPO, capture_output=True, text=True).stdout

    commit = git("rev-parse", "--short", "HEAD").strip() or "unknown"
    changed = git("status", "--porcelain", "--", "vnparty").strip()
    return commit + (" (with uncommitted changes in vnparty/)" if changed else "")


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--articles", type=int, default=1000)
    parser.add_argument("--repeats", type=int, default=5)
    parser.add_argument("--processes", type=int, default=0,
                        help="also time pyvi and vnparty.segment in this many processes")
    parser.add_argument("--pin", type=int, default=None, help="pin the process to this CPU")
    parser.add_argument("--corpus", type=Path, default=DEFAULT_CORPUS)
    parser.add_argument("--json", type=Path, default=None, help="write every number here")
    args = parser.parse_args(argv)
    if not args.corpus.exists():
        print(f"no corpus at {args.corpus}", file=sys.stderr)
        return 2

    cpus = os.sched_getaffinity(0) if hasattr(os, "sched_getaffinity") else set()
    if args.pin is not None:
        os.sched_setaffinity(0, {args.pin})

    from pyvi import ViTokenizer  # noqa: F401 - loads pyvi's model: not timed

    from vnparty import segment
    from vnparty.segmenters import syllable_spans

    texts, total = load_sample(args.corpus, args.articles)
    sentences = sentences_of(texts)
    syllables = sum(len(syllable_spans(text)) for text in texts)
    segment("Khởi động.")  # loads everything vnparty needs: not timed

    info = {"machine": machine(), "commit": git_commit(), "corpus": str(args.corpus.resolve()),
            "sample": {"articles": len(texts), "of": total, "sentences": len(sentences),
                       "syllables": syllables, "characters": sum(map(len, texts)),
                       "pick": "article i * total // n, i = 0 .. n-1, in file order"},
            "repeats": args.repeats, "pinned_to_cpu": args.pin}
    print("Segmentation speed, one core")
    for key, value in info["machine"].items():
        print(f"  {key:17s} {value}")
    print(f"  {'commit':17s} {info['commit']}")
    print(f"  {'corpus':17s} {info['corpus']} ({total:,} articles)")
    print(f"  {'sample':17s} {len(texts):,} articles evenly spaced through the file, "
          f"{len(sentences):,} sentences, {syllables:,} syllables")
    print(f"  {'timing':17s} median of {args.repeats} interleaved repeats, one process, "
          + (f"pinned to CPU {args.pin}" if args.pin is not None else "not pinned")
          + "; vnparty's syllable cache emptied before each of its runs but \"warm cache\"")

    methods = {
        "pyvi documents": (pyvi_tokenize, texts, None),
        "pyvi sentences": (pyvi_tokenize, sentences, None),
        "PyviSegmenter": (vnparty_segmenter, texts, cold_cache),
        "  warm cache": (vnparty_segmenter, texts, None),
        "  256 at a time": (vnparty_segmenter_batches, texts, cold_cache),
        "vnparty.segment": (vnparty_segment, texts, cold_cache),
        "preprocess": (vnparty_preprocess, texts, cold_cache),
    }
    runs = {name: [] for name in methods}
    for repeat in range(args.repeats):
        for name, (function, inputs, before) in methods.items():
            runs[name].append(timed(function, inputs, before))
        print(f"  repeat {repeat + 1}/{args.repeats}: "
              + ", ".join(f"{name} {runs[name][-1][0]:.2f}s" for name in methods), flush=True)

    results = {}
    for name, times in runs.items():
        wall = statistics.median(w for w, _ in times)
        cpu = statistics.median(c for _, c in times)
        results[name] = {"wall_s": wall, "cpu_s": cpu, "syllables_per_s": syllables / wall,
                         "syllables_per_s_cpu": syllables / cpu,
                         "runs": [{"wall_s": w, "cpu_s": c} for w, c in times]}
    base = results["pyvi documents"]
    print()
    print(f"{'':18s}{'median wall':>12s}{'syllables/s':>13s}{'CPU':>9s}{'syllables/s':>13s}"
          f"{'× pyvi documents':>18s}{'(CPU)':>7s}")
    for name, r in results.items():
        r["speedup"] = base["wall_s"] / r["wall_s"]
        r["speedup_cpu"] = base["cpu_s"] / r["cpu_s"]
        print(f"{name:18s}{r['wall_s']:11.2f}s{r['syllables_per_s']:13,.0f}{r['cpu_s']:8.2f}s"
              f"{r['syllables_per_s_cpu']:13,.0f}{r['speedup']:17.2f}×{r['speedup_cpu']:6.2f}×")
    sentences_row = results["pyvi sentences"]
    for name in ("PyviSegmenter", "vnparty.segment", "preprocess"):
        print(f"{name} / pyvi sentences: {sentences_row['wall_s'] / results[name]['wall_s']:.2f}× "
              f"(CPU {sentences_row['cpu_s'] / results[name]['cpu_s']:.2f}×)")

    if args.processes:
        if cpus:
            os.sched_setaffinity(0, cpus)
        pool_runs = {"pyvi documents": [], "vnparty.segment": [], "preprocess": []}
        pyvi_one_core = []  # timed again within each repeat: the ratio to preprocess(n_jobs)
        for _ in range(args.repeats):  # then compares runs a few seconds apart
            pyvi_one_core.append(timed(pyvi_tokenize, texts)[0])
            pool_runs["pyvi documents"].append(timed_pool(_tokenize_one, texts, args.processes))
            pool_runs["vnparty.segment"].append(timed_pool(_segment_one, texts, args.processes))
            pool_runs["preprocess"].append(timed(
                vnparty_preprocess, texts, cold_cache, n_jobs=args.processes)[0])
        print(f"\n{args.processes} processes, median wall of {args.repeats} (preprocess: its own "
              "pool, n_jobs; the others: a multiprocessing fork pool, chunks of 8 articles):")
        pool = {}
        for name, walls in pool_runs.items():
            wall = statistics.median(walls)
            pool[name] = {"wall_s": wall, "syllables_per_s": syllables / wall, "runs": walls,
                          "scaling_vs_one_core": results[name]["wall_s"] / wall}
            print(f"  {name:18s}{wall:8.2f}s{syllables / wall:13,.0f} syllables/s, "
                  f"{pool[name]['scaling_vs_one_core']:.2f}× its one-core speed")
        one_core = results["pyvi documents"]["wall_s"]
        for name in ("vnparty.segment", "preprocess"):
            print(f"  {name} / pyvi documents: "
                  f"{pool['pyvi documents']['wall_s'] / pool[name]['wall_s']:.2f}× pyvi on "
                  f"{args.processes} processes, {one_core / pool[name]['wall_s']:.2f}× pyvi on one")
        ratios = [one / many for one, many in zip(pyvi_one_core, pool_runs["preprocess"])]
        print(f"  preprocess(n_jobs={args.processes}) / pyvi documents on one core, in the same "
              f"repeat: median {statistics.median(ratios):.2f}× "
              f"({', '.join(f'{r:.2f}' for r in ratios)})")
        info["processes"] = {"count": args.processes, "results": pool,
                             "pyvi_one_core_runs": pyvi_one_core,
                             "preprocess_vs_pyvi_one_core": ratios}

    info["results"] = results
    if args.json:
        args.json.write_text(json.dumps(info, indent=2, ensure_ascii=False), encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
