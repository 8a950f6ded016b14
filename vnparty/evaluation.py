"""How good is a topic model: coherence, diversity, perplexity, stability, and choosing k.

Named measures live in one registry, :data:`MEASURES`: ``name -> callable(model, tokens, n)``
returning one value per topic (or one value for the model). Coherence is gensim's
CoherenceModel, called exactly as one would call it directly.
"""

from __future__ import annotations

import itertools
import warnings
from concurrent.futures import ProcessPoolExecutor
from contextlib import ExitStack
from typing import Callable, Sequence

import numpy as np
import pandas as pd
from scipy.optimize import linear_sum_assignment
from tqdm import tqdm  # the plain bar: tqdm.auto warns on import in a notebook without ipywidgets

from .features import count_matrix
from .models import TopicModel, fit_lda, fit_nmf
from .parallel import cap_workers

__all__ = ["MEASURES", "SELECT_K_RULE", "coherence", "coherence_per_topic", "topic_diversity",
           "perplexity", "stability", "select_k", "match_topics"]

#: How :func:`select_k` recommends a k, with its ``min_stability`` and first measure to fill in
#: (``SELECT_K_RULE.format(min_stability=0.5, measure="c_v")``); the frame it returns carries
#: the filled-in rule in ``frame.attrs["rule"]``.
SELECT_K_RULE = ("among the k whose stability (mean matched top-word Jaccard of runs on "
                 "resampled documents) is at least {min_stability}, or all k when none is, the "
                 "highest mean {measure}; ties to the smaller k")


def coherence_per_topic(model: TopicModel, tokens: Sequence[Sequence[str]],
                        measure: str = "c_v", n: int = 10) -> np.ndarray:
    """Coherence of each topic's top ``n`` words on ``tokens`` (gensim's CoherenceModel).

    Parameters
    ----------
    model : TopicModel
        A fitted model.
    tokens : sequence of sequences of str
        The reference texts whose word co-occurrences score the topics (empty ones are
        skipped); usually the documents the model was fitted on.
    measure : str
        gensim's coherence name: "c_v", "c_npmi", "u_mass" or "c_uci".
    n : int
        Top words per topic scored; words absent from ``tokens`` are left out.

    Returns
    -------
    numpy.ndarray
        One float per topic, in the model's topic order.

    Raises
    ------
    ValueError
        From gensim, when ``measure`` is not one of its coherence names.
    """
    from gensim.corpora import Dictionary
    from gensim.models import CoherenceModel

    texts = [list(doc) for doc in tokens if len(doc)]
    dictionary = Dictionary(texts)
    topics = [[w for w in words if w in dictionary.token2id] for words in model.top_words(n)]
    scorer = CoherenceModel(topics=topics, texts=texts, dictionary=dictionary, coherence=measure,
                            topn=n, processes=1)
    return np.asarray(scorer.get_coherence_per_topic(), dtype=np.float64)


def topic_diversity(model: TopicModel, n: int = 25) -> float:
    """Share of distinct words among the top ``n`` words of all topics (1 = no overlap).

    Parameters
    ----------
    model : TopicModel
        A fitted model.
    n : int
        Top words per topic (Dieng et al. 2020 use 25).

    Returns
    -------
    float
        Between 1/k (every topic has the same top words) and 1.
    """
    words = [w for topic in model.top_words(n) for w in topic]
    return len(set(words)) / len(words)


def perplexity(model: TopicModel, tokens: Sequence[Sequence[str]]) -> float:
    """Per-word perplexity of ``tokens`` under an LDA model, by document completion.

    Shares are inferred from every other word of a document and the remaining words are
    scored, so the words scored were never seen by the inference (held-out perplexity when
    ``tokens`` were not used for training).

    Parameters
    ----------
    model : TopicModel
        A fitted LDA model (``model.kind == "lda"``).
    tokens : sequence of sequences of str
        The documents to score.

    Returns
    -------
    float
        exp(-log likelihood per scored word); lower is better, 1 is perfect.

    Raises
    ------
    ValueError
        When ``model`` is not LDA, or no scored word of ``tokens`` is in its vocabulary.
    """
    if model.kind != "lda":
        raise ValueError("perplexity is defined for LDA models only")
    observed = [list(doc)[0::2] for doc in tokens]
    scored = count_matrix([list(doc)[1::2] for doc in tokens], model.vocabulary)
    if scored.sum() == 0:
        raise ValueError("no word of these documents is in the model's vocabulary")
    theta = model.transform(observed)
    scored = scored.tocoo()
    likelihood = np.einsum("ik,ki->i", theta[scored.row], model.topic_word[:, scored.col])
    return float(np.exp(-(scored.data * np.log(likelihood)).sum() / scored.data.sum()))


def _coherence_measure(name: str) -> Callable:
    def measure(model, tokens, n):
        return coherence_per_topic(model, tokens, name, n)
    measure.__name__ = name
    return measure


#: ``name -> callable(model, tokens, n)``; per-topic arrays or one float.
MEASURES: dict[str, Callable] = {
    **{name: _coherence_measure(name) for name in ("c_v", "c_npmi", "u_mass", "c_uci")},
    "diversity": lambda model, tokens, n: topic_diversity(model, max(n, 25)),
    "perplexity": lambda model, tokens, n: perplexity(model, tokens),
}


def coherence(model: TopicModel, tokens: Sequence[Sequence[str]], measure: str = "c_v",
              n: int = 10) -> float:
    """Mean coherence of the topics (see :func:`coherence_per_topic`).

    Parameters
    ----------
    model : TopicModel
        A fitted model.
    tokens : sequence of sequences of str
        The reference texts.
    measure : str
        "c_v", "c_npmi", "u_mass" or "c_uci".
    n : int
        Top words per topic scored.

    Returns
    -------
    float
        The mean over topics.

    Raises
    ------
    ValueError
        When ``measure`` is not a coherence measure.
    """
    if measure not in MEASURES or not measure.startswith(("c_", "u_")):
        names = [m for m in MEASURES if m.startswith(("c_", "u_"))]
        raise ValueError(f"unknown coherence measure {measure!r}; use one of {names}")
    return float(np.mean(MEASURES[measure](model, tokens, n)))


# -- stability ---------------------------------------------------------------------------------
def _jaccard(a: Sequence[str], b: Sequence[str]) -> float:
    a, b = set(a), set(b)
    return len(a & b) / len(a | b) if a | b else 0.0


def match_topics(a: list[list[str]], b: list[list[str]]) -> tuple[np.ndarray, np.ndarray]:
    """Best one-to-one matching of two topic lists by top-word Jaccard (Hungarian assignment).

    Parameters
    ----------
    a, b : list of list of str
        The top words of each topic of two models.

    Returns
    -------
    columns : numpy.ndarray
        For each topic of ``a``, the topic of ``b`` matched to it.
    similarity : numpy.ndarray
        For each topic of ``a``, the Jaccard similarity of its top words and its match's.
    """
    similarity = np.array([[_jaccard(x, y) for y in b] for x in a])
    rows, columns = linear_sum_assignment(-similarity)
    return columns[np.argsort(rows)], similarity[rows, columns][np.argsort(rows)]


def stability(models: Sequence[TopicModel], n: int = 10) -> pd.DataFrame:
    """Agreement of models fitted with different seeds: each topic of the first model is
    matched to a topic of every other model (Hungarian assignment on top-``n`` Jaccard).

    Parameters
    ----------
    models : sequence of TopicModel
        At least two models with the same k; the first is the reference.
    n : int
        Top words per topic compared.

    Returns
    -------
    pandas.DataFrame
        One row per topic of the first model: topic, stability (mean matched Jaccard over
        the other models), min (worst match).

    Raises
    ------
    ValueError
        When fewer than two models are given.
    """
    if len(models) < 2:
        raise ValueError("stability needs models from at least two seeds")
    matched = _matched([m.top_words(n) for m in models])
    return pd.DataFrame({"topic": np.arange(matched.shape[1]), "stability": matched.mean(axis=0),
                         "min": matched.min(axis=0)})


def _matched(top_words: list[list[list[str]]]) -> np.ndarray:
    """Matched Jaccard of each topic of the first run in every other run (runs-1 × k)."""
    return np.array([match_topics(top_words[0], other)[1] for other in top_words[1:]])


# -- choosing k ----------------------------------------------------------------------------------
_FIT = {"lda": fit_lda, "nmf": fit_nmf}


def _resample(n_documents: int, share: float, seed: int) -> np.ndarray:
    """Sorted indices of a seeded random ``share`` of the documents (all of them for 1.0)."""
    if share >= 1:
        return np.arange(n_documents)
    size = max(1, round(share * n_documents))
    return np.sort(np.random.default_rng(seed).choice(n_documents, size, replace=False))


def _fit_and_score(job):
    tokens, method, k, seed, measures, n, sample, params = job
    model = _FIT[method]([tokens[i] for i in _resample(len(tokens), sample, seed)], k,
                         seed=seed, **params)
    rows = []
    for name in measures:  # scored on every document, not only the run's sample
        if name == "perplexity" and method != "lda":
            continue
        value = MEASURES[name](model, tokens, n)
        rows.append((k, method, seed, name, float(np.mean(value))))
    return model.top_words(n), rows


def select_k(tokens: Sequence[Sequence[str]], ks: Sequence[int], method: str = "lda",
             seeds: Sequence[int] = (0, 1, 2), *, measures: Sequence[str] = ("c_v", "diversity"),
             n: int = 10, n_jobs: int = 1, min_stability: float = 0.5, sample: float = 0.8,
             progress: bool = False, **params) -> tuple[pd.DataFrame, int]:
    """Fit ``method`` for every k and seed, score each fit and recommend a k.

    Each seed's run is fitted on a random ``sample`` of the documents drawn with that seed
    (the same documents for every k) and seeded with it, as in the stability analysis of
    Greene, O'Callaghan & Cunningham (2014, "How many topics?"): a k whose topics come back
    when the documents change is one the corpus supports. This matters most for NMF, whose
    start (``init="nndsvda"``) hardly depends on the seed, so that runs on the same documents
    agree by construction. Every measure is scored on all documents (coherence: gensim's
    CoherenceModel on all of ``tokens``), then averaged over seeds.

    The recommended k follows :data:`SELECT_K_RULE`: among the k whose stability is at least
    ``min_stability`` (all k, with a warning, when none is), the highest mean of the first
    measure over seeds; ties go to the smaller k.

    Parameters
    ----------
    tokens : sequence of sequences of str
        The documents.
    ks : sequence of int
        The numbers of topics compared.
    method : {"lda", "nmf"}
        The model fitted (:func:`vnparty.fit_lda` or :func:`vnparty.fit_nmf`).
    seeds : sequence of int
        At least two seeds: one run per seed and k.
    measures : sequence of str
        Names from :data:`MEASURES`; the first one chooses k. "perplexity" is skipped for NMF.
    n : int
        Top words per topic for the measures and for stability.
    n_jobs : int
        Fit in that many processes when > 1; the result does not depend on it.
    min_stability : float
        The stability a k needs to be recommended.
    sample : float
        Share of the documents each run is fitted on, in (0, 1]; 1.0 fits every run on all
        documents, so that runs differ by their seed only.
    progress : bool
        Show a progress bar naming the fit under way ("fitting k=5 seed 1").
    **params
        Passed on to the fitting function.

    Returns
    -------
    frame : pandas.DataFrame
        Tidy scores: k, method, seed, measure, value (one row per k, seed and measure, and a
        "stability" row per k, given the first seed: the mean matched top-word Jaccard of the
        other seeds' runs to the first seed's, as :func:`stability`), and recommended (True on
        the rows of the recommended k).
        ``frame.attrs["rule"]`` is the rule, filled in.
    best : int
        The recommended k.

    Raises
    ------
    ValueError
        For an unknown method or measure, no k, fewer than two seeds, or ``sample`` outside
        (0, 1].

    Warns
    -----
    UserWarning
        When no k reaches ``min_stability``.
    """
    if method not in _FIT:
        raise ValueError(f"method must be 'lda' or 'nmf', not {method!r}")
    unknown = [m for m in measures if m not in MEASURES]
    if unknown or not measures:
        raise ValueError(f"unknown measure(s) {unknown}; use names from {sorted(MEASURES)}")
    ks, seeds = sorted(set(ks)), list(dict.fromkeys(seeds))
    if not ks or len(seeds) < 2:
        raise ValueError("select_k needs at least one k and two seeds (for stability)")
    if not 0 < sample <= 1:
        raise ValueError(f"sample is the share of the documents each run is fitted on, in "
                         f"(0, 1], not {sample!r}; 0.8 is usual")
    tokens = [list(doc) for doc in tokens]
    keys = list(itertools.product(ks, seeds))
    jobs = [(tokens, method, k, seed, tuple(measures), n, sample, params) for k, seed in keys]
    results = []
    with ExitStack() as stack:
        fits = map(_fit_and_score, jobs)
        if n_jobs > 1:
            pool = stack.enter_context(ProcessPoolExecutor(max_workers=cap_workers(n_jobs)))
            fits = pool.map(_fit_and_score, jobs)
        bar = stack.enter_context(tqdm(total=len(jobs), unit="fit", disable=not progress,
                                       desc="fitting"))
        for k, seed in keys:  # in order, whatever the processes
            bar.set_description(f"fitting k={k} seed {seed}")
            results.append(next(fits))
            bar.update()
    rows = [row for _, scored in results for row in scored]
    for i, k in enumerate(ks):
        top = [words for words, _ in results[i * len(seeds):(i + 1) * len(seeds)]]
        rows.append((k, method, seeds[0], "stability", float(_matched(top).mean())))
    frame = pd.DataFrame(rows, columns=["k", "method", "seed", "measure", "value"])
    means = frame.groupby(["measure", "k"])["value"].mean()
    stable = [k for k in ks if means["stability", k] >= min_stability]
    if not stable:
        warnings.warn(f"no k reaches stability {min_stability} (best "
                      f"{max(means['stability'][k] for k in ks):.2f}); k is chosen by "
                      f"{measures[0]} alone: read the topics with care", stacklevel=2)
        stable = ks
    best = int(max(stable, key=lambda k: (means[measures[0], k], -k)))
    frame["recommended"] = frame["k"] == best
    frame.attrs["rule"] = SELECT_K_RULE.format(min_stability=min_stability, measure=measures[0])
    return frame, best
