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

Model study (``--study tune|heldout|full``): the model backends and options on vnparty's tokens,
each fitted with model seeds 0, 1, 2 (k=10): NMI, purity, c_v, stability across the seeds (mean
matched top-10 Jaccard, :func:`vnparty.evaluation.stability`), wall and CPU time of the fit.
``tune`` is the sample above (200 per category, sample seed 0); ``heldout`` is a disjoint one
(200 per category from the articles ``tune`` did not take, ``default_rng(1)``); ``full`` fits LDA
with both backends' defaults on all 33,709 articles. Texts go through
``Preprocessor(cache=--cache)``, so a rerun does not segment again.

    nice python benchmarks/topic_quality.py --study tune --json tune.json
    nice python benchmarks/topic_quality.py --study heldout --json heldout.json
    nice python benchmarks/topic_quality.py --study full --json full.json
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


# -- model study -----------------------------------------------------------------------------------
MODEL_SEEDS = (0, 1, 2)
#: tomotopy settings whose document shares are also computed the two other ways
SHARES_STUDIED = [dict(alpha=0.1, eta=eta, iterations=1000, optim_interval=10)
                  for eta in (0.01, 0.1, 0.001)]


def model_rows():
    """(name, kind, backend, params) of every fit the study compares."""
    rows = [("LDA gensim (default at 3ae0c36)", "lda", "gensim", {})]
    tomotopy = [
        ("a0.1 e0.01 it1000 optim0", dict(alpha=0.1, eta=0.01, iterations=1000, optim_interval=0)),
        ("a0.1 e0.01 it1000 optim10", dict(alpha=0.1, eta=0.01, iterations=1000,
                                           optim_interval=10)),
        ("a0.1 e0.1 it1000 optim0", dict(alpha=0.1, eta=0.1, iterations=1000, optim_interval=0)),
        ("a0.1 e0.1 it1000 optim10", dict(alpha=0.1, eta=0.1, iterations=1000, optim_interval=10)),
        ("a0.1 e0.001 it1000 optim10", dict(alpha=0.1, eta=0.001, iterations=1000,
                                            optim_interval=10)),
        ("a1.0 e0.01 it1000 optim0", dict(alpha=1.0, eta=0.01, iterations=1000, optim_interval=0)),
        ("a0.1 e0.01 it500 optim10", dict(alpha=0.1, eta=0.01, iterations=500, optim_interval=10)),
        ("a0.1 e0.01 it2000 optim10", dict(alpha=0.1, eta=0.01, iterations=2000,
                                           optim_interval=10)),
        ("a0.1 e0.01 it1000 optim10 burn100", dict(alpha=0.1, eta=0.01, iterations=1000,
                                                   optim_interval=10, burn_in=100)),
    ]
    rows += [(f"LDA tomotopy {label}", "lda", "tomotopy", params) for label, params in tomotopy]
    rows += [("NMF frobenius/cd (default at 3ae0c36)", "nmf", "sklearn",
              dict(beta_loss="frobenius", solver="cd")),
             ("NMF kullback-leibler/mu", "nmf", "sklearn",
              dict(beta_loss="kullback-leibler", solver="mu"))]
    return rows


def load_samples(path: Path, per_category: int):
    """The tuning sample (exactly :func:`load_sample` with seed 0) and a disjoint held-out one:
    ``per_category`` articles of each category among those the tuning sample did not take,
    chosen by ``default_rng(1)`` over the rest sorted by id."""
    tune, total, sizes = load_sample(path, per_category, 0)
    taken = {a["id"] for a in tune}
    by_category: dict[str, list[dict]] = defaultdict(list)
    with gzip.open(path, "rt", encoding="utf-8") as handle:
        for line in handle:
            record = json.loads(line)
            if record["id"] not in taken:
                by_category[record["category"]].append(
                    {"id": record["id"], "category": record["category"],
                     "text": record["text"]})
    rng = np.random.default_rng(1)
    heldout = []
    for category in sorted(by_category):
        rest = sorted(by_category[category], key=lambda a: a["id"])
        chosen = np.sort(rng.choice(len(rest), size=per_category, replace=False))
        heldout.extend(rest[i] for i in chosen)
    assert not taken & {a["id"] for a in heldout}
    return tune, heldout, total, sizes


def load_all(path: Path):
    with gzip.open(path, "rt", encoding="utf-8") as handle:
        return [json.loads(line) for line in handle]


def timed(function, *args, **kwargs):
    """(result, wall seconds, CPU seconds of this process, all threads)."""
    wall, cpu = time.perf_counter(), time.process_time()
    result = function(*args, **kwargs)
    return result, time.perf_counter() - wall, time.process_time() - cpu


def score(model, tokens, categories):
    from sklearn.metrics import normalized_mutual_info_score

    labels = np.full(len(tokens), -1)
    labels[np.asarray(model.doc_index)] = np.asarray(model.doc_topic).argmax(axis=1)
    return {"nmi": float(normalized_mutual_info_score(categories, labels)),
            "purity": purity(categories, labels)}


def tomotopy_shares(model, tokens, categories):
    """NMI of three ways to get document shares from the same tomotopy fit: vnparty's variational
    E-step with the learned alpha (what fit_lda keeps), tomotopy's own ``infer`` of the training
    documents (Gibbs sampling of each document against the frozen topics, 100 iterations) and
    the final Gibbs sample of training (``doc.get_topic_dist()``)."""
    from sklearn.metrics import normalized_mutual_info_score
    from vnparty.features import document_term_matrix
    from vnparty.gibbs import train

    p = {key: model.params[key] for key in ("alpha", "eta", "iterations", "optim_interval",
                                            "burn_in", "workers")}
    docs = [tokens[i] for i in model.doc_index]
    counts, vocabulary = document_term_matrix(docs, min_df=model.params["min_df"],
                                              max_df=model.params["max_df"])
    assert vocabulary == model.vocabulary
    tm = train(counts, vocabulary, model.k, model.seed, p)  # (params as fitted: checked)
    state = np.array([d.get_topic_dist() for d in tm.docs])
    known = set(vocabulary)
    made = [tm.make_doc([w for w in doc if w in known]) for doc in docs]
    inferred, _ = tm.infer(made, workers=1)
    kept = [categories[i] for i in model.doc_index]

    def nmi(shares):
        return float(normalized_mutual_info_score(kept, np.asarray(shares).argmax(axis=1)))
    return {"variational": nmi(model.doc_topic), "tomotopy_infer": nmi(inferred),
            "gibbs_state": nmi(state),
            "infer_vs_variational_argmax_agree": float(np.mean(
                np.asarray(inferred).argmax(axis=1) == model.doc_topic.argmax(axis=1)))}


def preprocess_cached(texts, cache: Path, label: str):
    import vnparty

    cache.mkdir(parents=True, exist_ok=True)
    (tokens), wall, cpu = timed(vnparty.Preprocessor(cache=cache, progress=False).fit_transform,
                                texts)
    print(f"{label}: preprocessed {len(texts)} texts in {wall:.0f}s wall, {cpu:.0f}s CPU",
          file=sys.stderr)
    return tokens


def models_study(args, argv) -> int:
    import vnparty
    from vnparty.evaluation import stability

    started = time.perf_counter()
    source = Path(vnparty.__file__).resolve().parents[1]
    info = {"machine": machine(), "cpu_model": cpu_model(), "study": args.study,
            "commit": git("rev-parse", "--short", "HEAD", cwd=source),
            "vnparty_tree_changes": [x for x in git("status", "--porcelain", "--", "vnparty",
                                                    cwd=source).splitlines() if x],
            "command": " ".join(["python", "benchmarks/topic_quality.py",
                                 *(argv or sys.argv[1:])]),
            "k": args.k, "model_seeds": list(MODEL_SEEDS)}
    from vnparty.gibbs import versions  # (loads tomotopy's build as fit_lda does)

    info["machine"].update(versions())
    if args.study == "full":
        return full_study(args, info, started)

    tune, heldout, total, _ = load_samples(args.corpus, args.per_category)
    sample = tune if args.study == "tune" else heldout
    info["sample"] = {"name": args.study, "articles": len(sample),
                      "ids_sha256": __import__("hashlib").sha256(
                          "\n".join(a["id"] for a in sample).encode()).hexdigest()}
    texts = [a["text"] for a in sample]
    categories = [a["category"] for a in sample]
    tokens = preprocess_cached(texts, args.cache, args.study)

    fits = {"lda": vnparty.fit_lda, "nmf": vnparty.fit_nmf}
    rows = []
    for name, kind, backend, params in model_rows():
        if args.only and args.only not in name:
            continue
        runs, models = [], []
        for seed in MODEL_SEEDS:
            extra = {"backend": backend} if kind == "lda" else {}
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")
                model, wall, cpu = timed(fits[kind], tokens, args.k, seed=seed, **extra, **params)
            run = {"seed": seed, **score(model, tokens, categories),
                   "c_v": coherence_cv(model.top_words(TOPN), tokens), "fit_s": wall,
                   "cpu_s": cpu, "vocabulary": len(model.vocabulary),
                   "top_words": model.top_words(TOPN)}
            if backend == "tomotopy":
                run["learned_alpha"] = model.params["learned_alpha"]
                if params in SHARES_STUDIED:
                    run["shares"] = tomotopy_shares(model, tokens, categories)
            runs.append(run)
            models.append(model)
            print(f"{name} seed {seed}: NMI {run['nmi']:.3f} purity {run['purity']:.3f} "
                  f"c_v {run['c_v']:.3f} fit {wall:.1f}s ({cpu:.1f}s CPU)", file=sys.stderr)
        row = {"model": name, "kind": kind, "backend": backend, "params": params,
               "params_recorded": models[0].params, "runs": runs,
               "stability": float(stability(models, n=TOPN)["stability"].mean())}
        for key in ("nmi", "purity", "c_v", "fit_s", "cpu_s"):
            row[key] = float(np.mean([r[key] for r in runs]))
        rows.append(row)
        print(f"  {name}: mean NMI {row['nmi']:.3f}, stability {row['stability']:.3f}",
              file=sys.stderr)
    return finish(args, info, rows, started, models_report)


def finish(args, info: dict, rows: list, started: float, render) -> int:
    """Print the report of ``rows`` and write everything to ``--json`` if asked."""
    info["rows"] = rows
    info["total_s"] = time.perf_counter() - started
    print(render(info))
    if args.json:
        args.json.write_text(json.dumps(info, ensure_ascii=False, indent=1), encoding="utf-8")
    return 0


def full_study(args, info, started) -> int:
    import vnparty

    articles = load_all(args.corpus)
    texts = [a["text"] for a in articles]
    categories = [a["category"] for a in articles]
    tokens = preprocess_cached(texts, args.cache, "full")
    info["sample"] = {"name": "full", "articles": len(articles)}
    rows = []
    for name, backend, params in (("LDA tomotopy (defaults)", "tomotopy", {}),
                                  ("LDA gensim (defaults)", "gensim", {}),
                                  ("LDA tomotopy (defaults, workers=2)", "tomotopy",
                                   {"workers": 2})):
        if args.only and args.only not in name:
            continue
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            model, wall, cpu = timed(vnparty.fit_lda, tokens, args.k, seed=0, backend=backend,
                                     **params)
        row = {"model": name, "backend": backend, **score(model, tokens, categories),
               "fit_s": wall, "cpu_s": cpu, "vocabulary": len(model.vocabulary),
               "params_recorded": model.params, "top_words": model.top_words(TOPN)}
        rows.append(row)
        print(f"{name}: NMI {row['nmi']:.3f} fit {wall:.0f}s ({cpu:.0f}s CPU)", file=sys.stderr)
    return finish(args, info, rows, started, models_report)


def cpu_model() -> str:
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return "unknown"


def models_report(info: dict) -> str:
    m = info["machine"]
    lines = [f"machine: {m['platform']}, {m['cpus']} CPUs ({info['cpu_model']}), Python "
             f"{m['python']}, gensim {m['gensim']}, scikit-learn {m['scikit-learn']}, tomotopy "
             f"{m.get('tomotopy')} ({m.get('tomotopy_isa')})",
             f"vnparty at {info['commit']}; sample {info['sample']['name']} "
             f"({info['sample']['articles']} articles); k={info['k']}", ""]
    if info["study"] == "full":
        lines += ["| model | NMI | purity | fit s (wall) | fit s (CPU) | vocabulary |",
                  "|---|---:|---:|---:|---:|---:|"]
        lines += [f"| {r['model']} | {r['nmi']:.3f} | {r['purity']:.3f} | {r['fit_s']:.0f} | "
                  f"{r['cpu_s']:.0f} | {r['vocabulary']} |" for r in info["rows"]]
    else:
        lines += ["| model | NMI (seeds 0, 1, 2) | mean NMI | purity | c_v | stability | "
                  "fit s wall | fit s CPU |", "|---|---|---:|---:|---:|---:|---:|---:|"]
        for r in info["rows"]:
            per_seed = ", ".join(f"{x['nmi']:.3f}" for x in r["runs"])
            lines.append(f"| {r['model']} | {per_seed} | {r['nmi']:.3f} | {r['purity']:.3f} | "
                         f"{r['c_v']:.3f} | {r['stability']:.3f} | {r['fit_s']:.1f} | "
                         f"{r['cpu_s']:.1f} |")
        for r in info["rows"]:
            for run in r["runs"]:
                if "shares" in run:
                    lines.append(f"shares of {r['model']}, seed {run['seed']}: " + ", ".join(
                        f"{key} {value:.3f}" for key, value in run["shares"].items()))
    lines.append(f"\ntotal wall time: {info['total_s']:.0f}s")
    return "\n".join(lines)


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
    parser.add_argument("--study", choices=["categories", "tune", "heldout", "full"],
                        default="categories", help="categories: naive vs vnparty (above); "
                        "tune/heldout/full: the model backends and options")
    parser.add_argument("--cache", type=Path, default=Path("/tmp/vnparty_bench_cache"),
                        help="segmentation cache of the model study")
    parser.add_argument("--only", default=None,
                        help="model study: run only the rows whose name contains this")
    args = parser.parse_args(argv)
    if args.study != "categories":
        return models_study(args, argv)

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
    return finish(args, info, rows, started, report)


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
