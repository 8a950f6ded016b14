"""How good is a topic model: coherence, diversity, perplexity, stability, and choosing k.

Named measures live in one registry, :data:`MEASURES`: ``name -> callable(model, tokens, n)``
returning one value per topic (or one value for the model). Coherence is gensim's
CoherenceModel, called exactly as one would call it directly.
"""

from __future__ import annotations

import itertools
import warnings
from concurrent.futures import ProcessPoolExecutor
from typing import Callable, Sequence

import numpy as np
import pandas as pd
from scipy.optimize import linear_sum_assignment

from .features import count_matrix
from .models import TopicModel, fit_lda, fit_nmf

__all__ = ["MEASURES", "coherence", "coherence_per_topic", "topic_diversity", "perplexity",
           "stability", "select_k", "match_topics"]


def coherence_per_topic(model: TopicModel, tokens: Sequence[Sequence[str]],
                        measure: str = "c_v", n: int = 10) -> np.ndarray:
    """Coherence of each topic's top ``n`` words on ``tokens`` (gensim's CoherenceModel)."""
    from gensim.corpora import Dictionary
    from gensim.models import CoherenceModel

    texts = [list(doc) for doc in tokens if len(doc)]
    dictionary = Dictionary(texts)
    topics = [[w for w in words if w in dictionary.token2id] for words in model.top_words(n)]
    scorer = CoherenceModel(topics=topics, texts=texts, dictionary=dictionary, coherence=measure,
                            topn=n, processes=1)
    return np.asarray(scorer.get_coherence_per_topic(), dtype=np.float64)


def topic_diversity(model: TopicModel, n: int = 25) -> float:
    """Share of distinct words among the top ``n`` words of all topics (1 = no overlap)."""
    words = [w for topic in model.top_words(n) for w in topic]
    return len(set(words)) / len(words)


def perplexity(model: TopicModel, tokens: Sequence[Sequence[str]]) -> float:
    """Per-word perplexity of ``tokens`` under an LDA model, by document completion: shares are
    inferred from every other word of a document and the remaining words are scored, so the
    words scored were never seen by the inference (held-out perplexity when ``tokens`` were
    not used for training)."""
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
    """Mean coherence of the topics: ``measure`` is "c_v", "c_npmi", "u_mass" or "c_uci"."""
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
    Returns ``columns`` (topic of ``b`` matched to each topic of ``a``) and the similarities."""
    similarity = np.array([[_jaccard(x, y) for y in b] for x in a])
    rows, columns = linear_sum_assignment(-similarity)
    return columns[np.argsort(rows)], similarity[rows, columns][np.argsort(rows)]


def stability(models: Sequence[TopicModel], n: int = 10) -> pd.DataFrame:
    """Agreement of models fitted with different seeds: each topic of the first model is
    matched to a topic of every other model (Hungarian assignment on top-``n`` Jaccard).
    Returns one row per topic of the first model: topic, stability (mean matched Jaccard),
    min (worst match)."""
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


def _fit_and_score(job):
    tokens, method, k, seed, measures, n, params = job
    model = _FIT[method](tokens, k, seed=seed, **params)
    rows = []
    for name in measures:
        if name == "perplexity" and method != "lda":
            continue
        value = MEASURES[name](model, tokens, n)
        rows.append((k, method, seed, name, float(np.mean(value))))
    return model.top_words(n), rows


def select_k(tokens: Sequence[Sequence[str]], ks: Sequence[int], method: str = "lda",
             seeds: Sequence[int] = (0, 1, 2), *, measures: Sequence[str] = ("c_v", "diversity"),
             n: int = 10, n_jobs: int = 1, min_stability: float = 0.5, **params
             ) -> tuple[pd.DataFrame, int]:
    """Fit ``method`` ("lda" or "nmf") for every k and seed and score each fit.

    Returns a tidy frame (k, method, seed, measure, value) — with a "stability" row per k, the
    mean matched top-word Jaccard of the other seeds to the first — and the recommended k.

    Rule: among the k whose stability is at least ``min_stability`` (all k, with a warning,
    when none is), take the one with the highest mean of the first measure (c_v by default)
    over seeds; ties go to the smaller k. ``n_jobs`` > 1 fits in that many processes; the result
    does not depend on it.

    NMF with its default ``init="nndsvda"`` depends on the seed only through the randomised SVD
    that starts it, so its stability across seeds is close to 1 by construction; to see how
    NMF topics depend on the documents, refit on subsets of them.
    """
    if method not in _FIT:
        raise ValueError(f"method must be 'lda' or 'nmf', not {method!r}")
    unknown = [m for m in measures if m not in MEASURES]
    if unknown or not measures:
        raise ValueError(f"unknown measure(s) {unknown}; use names from {sorted(MEASURES)}")
    ks, seeds = sorted(set(ks)), list(dict.fromkeys(seeds))
    if not ks or len(seeds) < 2:
        raise ValueError("select_k needs at least one k and two seeds (for stability)")
    tokens = [list(doc) for doc in tokens]
    jobs = [(tokens, method, k, seed, tuple(measures), n, params)
            for k, seed in itertools.product(ks, seeds)]
    if n_jobs > 1:
        with ProcessPoolExecutor(max_workers=n_jobs) as pool:
            results = list(pool.map(_fit_and_score, jobs))
    else:
        results = [_fit_and_score(job) for job in jobs]
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
    best = max(stable, key=lambda k: (means[measures[0], k], -k))
    return frame, int(best)
