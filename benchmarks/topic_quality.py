"""Topic quality on real news: do vnparty's default features recover news categories better than
a naive pipeline?

Corpus: VNTC (training half, 10 categories), read from ``../shared/corpora/`` beside the repo; it
is never copied into the project. A stratified sample of ``--per-category`` articles per category
is drawn with ``numpy.random.default_rng(seed)`` over each category's articles sorted by id, so
every run sees the same articles.

Pipelines
---------
naive    pyvi ``ViTokenizer.tokenize`` on the whole document, lower case, split on white space,
         drop the ``stop-words`` package's Vietnamese list and tokens with no letter; then gensim
         LdaModel (passes=10) on an unfiltered Dictionary, and scikit-learn NMF (nndsvda,
         max_iter=500) on TfidfVectorizer of the same tokens.
vnparty  ``vnparty.preprocess(texts)``, then ``vnparty.fit_lda`` / ``vnparty.fit_nmf`` with their
         defaults; extra rows vary the vocabulary filters and LDA passes, and two ablations
         separate preprocessing from the fit defaults.

For every model: NMI and purity of the argmax topic against the category, c_v coherence of the
top-10 words (texts and dictionary: that pipeline's token lists), wall time of preprocessing and
of the fit, vocabulary size.

    python benchmarks/topic_quality.py --per-category 200 --k 10 --seed 0 --json out.json

A benchmark, not a test: it takes minutes and needs the shared corpus.
"""

from __future__ import annotations

import argparse
import gzip
import json
import os
import platform
import subprocess
import sys
import time
import warnings
from collections import Counter, defaultdict
from pathlib import Path

import numpy as np

REPO = Path(__file__).resolve().parents[1]
DEFAULT_CORPUS = REPO / ".." / "shared" / "corpora" / "vntc_train.jsonl.gz"
TOPN = 10


# -- data ------------------------------------------------------------------------------------------
def load_sample(path: Path, per_category: int, seed: int):
    """``per_category`` articles of each category (categories in sorted order, articles sorted by
    id, chosen without replacement by one ``default_rng(seed)``)."""
    by_category: dict[str, list[dict]] = defaultdict(list)
    total = 0
    with gzip.open(path, "rt", encoding="utf-8") as handle:
        for line in handle:
            record = json.loads(line)
            by_category[record["category"]].append(
                {"id": record["id"], "category": record["category"], "text": record["text"]})
            total += 1
    rng = np.random.default_rng(seed)
    sample = []
    for category in sorted(by_category):
        articles = sorted(by_category[category], key=lambda a: a["id"])
        if per_category > len(articles):
            raise SystemExit(f"--per-category {per_category} is more than the {len(articles)} "
                             f"articles of {category!r}")
        chosen = np.sort(rng.choice(len(articles), size=per_category, replace=False))
        sample.extend(articles[i] for i in chosen)
    return sample, total, {c: len(a) for c, a in sorted(by_category.items())}


# -- naive pipeline --------------------------------------------------------------------------------
def naive_stopwords() -> frozenset[str]:
    from stop_words import get_stop_words

    return frozenset("_".join(w.lower().split()) for w in get_stop_words("vietnamese"))


def naive_tokens(texts: list[str]) -> list[list[str]]:
    from pyvi import ViTokenizer

    stop = naive_stopwords()
    out = []
    for text in texts:
        words = ViTokenizer.tokenize(text).lower().split()
        out.append([w for w in words if w not in stop and any(ch.isalpha() for ch in w)])
    return out


def naive_lda(tokens, k: int, seed: int):
    from gensim.corpora import Dictionary
    from gensim.models import LdaModel

    dictionary = Dictionary(tokens)
    corpus = [dictionary.doc2bow(doc) for doc in tokens]
    model = LdaModel(corpus=corpus, id2word=dictionary, num_topics=k, passes=10,
                     random_state=seed)
    shares = np.zeros((len(corpus), k))
    for d, bow in enumerate(corpus):
        for topic, p in model.get_document_topics(bow, minimum_probability=0.0):
            shares[d, topic] = p
    labels = np.where(shares.sum(axis=1) > 0, shares.argmax(axis=1), -1)
    top = [[w for w, _ in model.show_topic(t, topn=TOPN)] for t in range(k)]
    return labels, top, len(dictionary)


def naive_nmf(tokens, k: int, seed: int):
    from sklearn.decomposition import NMF
    from sklearn.feature_extraction.text import TfidfVectorizer

    vectorizer = TfidfVectorizer(analyzer=lambda t: t)
    x = vectorizer.fit_transform(tokens)
    model = NMF(n_components=k, init="nndsvda", random_state=seed, max_iter=500)
    w = model.fit_transform(x)
    labels = np.where(w.sum(axis=1) > 0, w.argmax(axis=1), -1)
    vocabulary = vectorizer.get_feature_names_out()
    top = [[vocabulary[j] for j in np.argsort(-row, kind="stable")[:TOPN]]
           for row in model.components_]
    return labels, top, len(vocabulary)


# -- vnparty ---------------------------------------------------------------------------------------
def vnparty_model(fit, tokens, k: int, seed: int, **params):
    """Argmax topic of every document (-1 for documents the model left out as empty), top words,
    vocabulary size."""
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        m = fit(tokens, k, seed=seed, **params)
    for w in caught:
        print(f"    warning: {w.message}", file=sys.stderr)
    labels = np.full(len(tokens), -1)
    labels[np.asarray(m.doc_index)] = np.asarray(m.doc_topic).argmax(axis=1)
    return labels, m.top_words(TOPN), len(m.vocabulary)


# -- measures --------------------------------------------------------------------------------------
def purity(categories: list[str], labels: np.ndarray) -> float:
    counts: dict[int, Counter] = defaultdict(Counter)
    for c, t in zip(categories, labels):
        counts[int(t)][c] += 1
    return sum(max(c.values()) for c in counts.values()) / len(categories)


def coherence_cv(topics, tokens) -> float:
    from gensim.corpora import Dictionary
    from gensim.models import CoherenceModel

    model = CoherenceModel(topics=topics, texts=tokens, dictionary=Dictionary(tokens),
                           coherence="c_v", topn=TOPN, processes=1)
    return float(model.get_coherence())


def dominant_categories(categories, labels, k):
    """For each topic: its size and its most common category with that category's share."""
    out = []
    for t in range(k):
        members = [c for c, l in zip(categories, labels) if l == t]
        if members:
            c, n = Counter(members).most_common(1)[0]
            out.append({"size": len(members), "category": c, "share": n / len(members)})
        else:
            out.append({"size": 0, "category": None, "share": 0.0})
    return out


# -- context ---------------------------------------------------------------------------------------
def git(*args: str, cwd: Path = REPO) -> str:
    try:
        return subprocess.run(["git", *args], cwd=cwd, capture_output=True, text=True,
                              check=True).stdout.strip()
    except (OSError, subprocess.CalledProcessError):
        return "unknown"


def machine() -> dict:
    import gensim
    import pyvi
    import sklearn

    try:
        from importlib.metadata import version
        pyvi_version = version("pyvi")
    except Exception:  # pragma: no cover
        pyvi_version = getattr(pyvi, "__version__", "unknown")
    import vnparty
    return {"platform": platform.platform(), "cpus": os.cpu_count(),
            "python": platform.python_version(), "numpy": np.__version__,
            "pyvi": pyvi_version, "gensim": gensim.__version__, "scikit-learn": sklearn.__version__,
            "vnparty": vnparty.__version__, "vnparty_path": str(Path(vnparty.__file__).parent)}


# -- main ------------------------------------------------------------------------------------------
def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--per-category", type=int, default=200)
    parser.add_argument("--k", type=int, default=10)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--json", type=Path, default=None, help="write every number here")
    parser.add_argument("--corpus", type=Path, default=DEFAULT_CORPUS)
    parser.add_argument("--no-extra", action="store_true",
                        help="only the four main rows, no exploration of settings")
    args = parser.parse_args(argv)

    import vnparty
    from sklearn.metrics import normalized_mutual_info_score

    started = time.perf_counter()
    # the commit of the vnparty actually imported (PYTHONPATH may point at another tree)
    source = Path(vnparty.__file__).resolve().parents[1]
    commit = git("rev-parse", "--short", "HEAD", cwd=source)
    dirty = git("status", "--porcelain", "--", "vnparty", cwd=source)
    info = {"machine": machine(), "commit": commit,
            "vnparty_tree_changes": dirty.splitlines() if dirty not in ("", "unknown") else [],
            "command": " ".join(["python", "benchmarks/topic_quality.py", *(argv or sys.argv[1:])]),
            "args": {"per_category": args.per_category, "k": args.k, "seed": args.seed,
                     "corpus": str(args.corpus.resolve())}}

    t = time.perf_counter()
    sample, total, sizes = load_sample(args.corpus, args.per_category, args.seed)
    texts = [a["text"] for a in sample]
    categories = [a["category"] for a in sample]
    syllables = sum(len(x.split()) for x in texts)
    info["corpus"] = {"path": str(args.corpus.resolve()), "articles": total, "categories": sizes,
                      "sample_articles": len(sample), "sample_syllables": syllables,
                      "load_s": time.perf_counter() - t}
    print(f"sample: {len(sample)} articles, {syllables} syllables "
          f"(of {total} articles, {len(sizes)} categories)", file=sys.stderr)

    # preprocessing (pyvi's model is loaded before timing, for both)
    from pyvi import ViTokenizer
    ViTokenizer.tokenize("khởi động")
    vnparty.segment("khởi động")

    t = time.perf_counter()
    tokens_naive = naive_tokens(texts)
    prep_naive = time.perf_counter() - t
    print(f"naive preprocessing: {prep_naive:.1f}s", file=sys.stderr)

    t = time.perf_counter()
    tokens_vnp = vnparty.preprocess(texts, progress=False)
    prep_vnp = time.perf_counter() - t
    print(f"vnparty preprocessing: {prep_vnp:.1f}s", file=sys.stderr)

    pipelines = {"naive": (tokens_naive, prep_naive), "vnparty": (tokens_vnp, prep_vnp)}
    # Ablation of the stopword layers: vnparty's preprocessing without its Party-news domain
    # list, and without its protected list (those words are then removed as generic stopwords).
    if not args.no_extra:
        for name, stopwords in (("vnparty-no-domain", vnparty.Stopwords(domain=())),
                                ("vnparty-no-protected", vnparty.Stopwords(protected=()))):
            t = time.perf_counter()
            tokens_ablated = vnparty.preprocess(texts, progress=False, stopwords=stopwords)
            pipelines[name] = (tokens_ablated, time.perf_counter() - t)
            print(f"{name} preprocessing: {pipelines[name][1]:.1f}s", file=sys.stderr)

    k, seed = args.k, args.seed
    runs = [  # (name, tokens key, callable returning (labels, top, vocabulary), group)
        ("naive LDA (gensim, passes=10)", "naive", lambda tk: naive_lda(tk, k, seed), "main"),
        ("naive NMF (tfidf, max_iter=500)", "naive", lambda tk: naive_nmf(tk, k, seed), "main"),
        ("vnparty LDA (defaults)", "vnparty",
         lambda tk: vnparty_model(vnparty.fit_lda, tk, k, seed), "main"),
        ("vnparty NMF (defaults)", "vnparty",
         lambda tk: vnparty_model(vnparty.fit_nmf, tk, k, seed), "main"),
    ]
    if not args.no_extra:
        def lda(**p):
            return lambda tk: vnparty_model(vnparty.fit_lda, tk, k, seed, **p)

        def nmf(**p):
            return lambda tk: vnparty_model(vnparty.fit_nmf, tk, k, seed, **p)

        runs += [
            ("vnparty LDA min_df=5 max_df=0.5", "vnparty", lda(min_df=5, max_df=0.5), "filter"),
            ("vnparty NMF min_df=5 max_df=0.5", "vnparty", nmf(min_df=5, max_df=0.5), "filter"),
            ("vnparty LDA min_df=5 max_df=0.25", "vnparty", lda(min_df=5, max_df=0.25), "filter"),
            ("vnparty NMF min_df=5 max_df=0.25", "vnparty", nmf(min_df=5, max_df=0.25), "filter"),
            ("vnparty LDA min_df=20", "vnparty", lda(min_df=20), "filter"),
            ("vnparty NMF min_df=20", "vnparty", nmf(min_df=20), "filter"),
            ("vnparty LDA passes=10", "vnparty", lda(passes=10), "passes"),
            ("vnparty LDA passes=10 min_df=5 max_df=0.5", "vnparty",
             lda(passes=10, min_df=5, max_df=0.5), "passes"),
            ("vnparty LDA passes=40 min_df=5 max_df=0.5", "vnparty",
             lda(passes=40, min_df=5, max_df=0.5), "passes"),
            ("vnparty NMF sublinear_tf=False", "vnparty", nmf(sublinear_tf=False), "fit"),
            # ablations: which half of the gain is preprocessing, which the fit defaults
            ("ablation: vnparty LDA fit on naive tokens", "naive", lda(), "ablation"),
            ("ablation: vnparty NMF fit on naive tokens", "naive", nmf(), "ablation"),
            ("ablation: vnparty LDA, no domain stopwords", "vnparty-no-domain", lda(), "ablation"),
            ("ablation: vnparty NMF, no domain stopwords", "vnparty-no-domain", nmf(), "ablation"),
            ("ablation: vnparty LDA, no protected words", "vnparty-no-protected", lda(),
             "ablation"),
            ("ablation: vnparty NMF, no protected words", "vnparty-no-protected", nmf(),
             "ablation"),
            ("ablation: vnparty LDA, no protected words, min_df=5 max_df=0.5",
             "vnparty-no-protected", lda(min_df=5, max_df=0.5), "ablation"),
        ]

    rows = []
    for name, key, run, group in runs:
        tokens, prep_s = pipelines[key]
        print(f"fitting {name} …", file=sys.stderr)
        t = time.perf_counter()
        labels, top, vocabulary = run(tokens)
        fit_s = time.perf_counter() - t
        t = time.perf_counter()
        cv = coherence_cv(top, tokens)
        cv_s = time.perf_counter() - t
        row = {"model": name, "group": group, "tokens": key,
               "nmi": float(normalized_mutual_info_score(categories, labels)),
               "purity": purity(categories, labels), "c_v": cv,
               "preprocess_s": prep_s, "fit_s": fit_s, "coherence_s": cv_s,
               "vocabulary": vocabulary, "empty_docs": int((labels == -1).sum()),
               "topics": [{"top_words": words, **dom} for words, dom in
                          zip(top, dominant_categories(categories, labels, k))]}
        rows.append(row)
        print(f"  NMI {row['nmi']:.3f}  purity {row['purity']:.3f}  c_v {cv:.3f}  "
              f"fit {fit_s:.1f}s  V={vocabulary}", file=sys.stderr)

    info["token_stats"] = {
        key: {"tokens": sum(map(len, tk)), "types": len({w for d in tk for w in d}),
              "empty_docs": sum(1 for d in tk if not d),
              "types_ending_in_period": len({w for d in tk for w in d if w.endswith(".")})}
        for key, (tk, _) in pipelines.items()}
    info["rows"] = rows
    info["total_s"] = time.perf_counter() - started

    print(report(info))
    if args.json:
        args.json.write_text(json.dumps(info, ensure_ascii=False, indent=1), encoding="utf-8")
    return 0


def report(info: dict) -> str:
    m, c = info["machine"], info["corpus"]
    lines = [
        f"machine: {m['platform']}, {m['cpus']} CPUs, Python {m['python']}, numpy {m['numpy']}, "
        f"pyvi {m['pyvi']}, gensim {m['gensim']}, scikit-learn {m['scikit-learn']}",
        f"vnparty {m['vnparty']} at commit {info['commit']}"
        + (f" (uncommitted changes in vnparty/: {', '.join(info['vnparty_tree_changes'])})"
           if info["vnparty_tree_changes"] else ""),
        f"corpus: {c['path']} ({c['articles']} articles, {len(c['categories'])} categories)",
        f"sample: {c['sample_articles']} articles ({info['args']['per_category']} per category, "
        f"seed {info['args']['seed']}), {c['sample_syllables']} syllables; k={info['args']['k']}",
        "",
        "| model | NMI | purity | c_v | preprocess s | fit s | vocabulary |",
        "|---|---:|---:|---:|---:|---:|---:|",
    ]
    for r in info["rows"]:
        lines.append(f"| {r['model']} | {r['nmi']:.3f} | {r['purity']:.3f} | {r['c_v']:.3f} | "
                     f"{r['preprocess_s']:.1f} | {r['fit_s']:.1f} | {r['vocabulary']} |")
    lines.append("")
    lines.append(f"total wall time: {info['total_s']:.0f}s")
    return "\n".join(lines)


if __name__ == "__main__":
    sys.exit(main())
