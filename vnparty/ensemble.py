"""Ensemble fits: the same themes from any seed.

One LDA fit depends on its seed: on the bundled paragraphs (k=6), two seeds share on average a
third of each topic's top-10 words. :func:`fit_ensemble` fits ``n_runs`` models with seeds
derived from one seed, matches their topics and returns the consensus as an ordinary
:class:`~vnparty.models.TopicModel` whose ``topic_stability`` says how much of each topic
reappeared across the runs.

The consensus is the runs' topics averaged after alignment (``combine="average"``, the default),
or the most central run (``combine="central"``). Alignment: every run's topics are matched one
to one (Hungarian assignment, as :func:`vnparty.evaluation.match_topics`) to a reference by the
cosine of their topic-word rows; the reference starts as the most central run and becomes the
mean of the aligned topics, until no run's matching changes (a k-means over topics in which each
run gives one topic to each cluster). The anchors are gensim's EnsembleLda, which clusters the
topics of many runs, and consensus NMF (Greene, O'Callaghan and Cunningham 2014), which factorises
the stacked topic-word rows of many runs. ``benchmarks/stability.py`` compares the three (results
in ``benchmarks/RESULTS_topic_quality.md``): averaging gave the most stable themes for LDA (gensim
and tomotopy, bundled paragraphs and VNTC news) and for NMF with the Kullback-Leibler loss; the
central run only for NMF started at random, whose runs converge to a few distinct solutions.
"""

from __future__ import annotations

import numbers
from concurrent.futures import ProcessPoolExecutor
from dataclasses import replace
from typing import Sequence

import numpy as np
from scipy.optimize import linear_sum_assignment

from .evaluation import stability
from .models import TopicModel, _check_seed, _normalise_rows, fit_lda, fit_nmf
from .streamed import StreamedCorpus

__all__ = ["fit_ensemble", "consensus", "run_seeds"]

_FIT = {"lda": fit_lda, "nmf": fit_nmf}
_COMBINE = ("average", "central")
_MAX_ROUNDS = 100


def run_seeds(seed: int, n_runs: int) -> list[int]:
    """The seeds of an ensemble's runs: ``numpy.random.SeedSequence(seed).generate_state``.
    The first runs of a larger ensemble are the runs of a smaller one with the same seed."""
    return [int(s) for s in np.random.SeedSequence(_check_seed(seed, "fit_ensemble")).generate_state(n_runs)]


def fit_ensemble(tokens, k: int, *, method: str = "lda", n_runs: int = 20, seed: int = 0,
                 combine: str = "average", n: int = 10, n_jobs: int = 1,
                 **fit_params) -> TopicModel:
    """Fit ``n_runs`` models and return their consensus, so that another seed gives the same
    themes.

    Each run is ``fit_lda`` (``method="lda"``) or ``fit_nmf`` (``"nmf"``) on ``tokens`` with
    ``k`` topics, ``fit_params`` (backend, min_df, passes, …: whatever that function takes) and
    its own seed from :func:`run_seeds` (no global random state). ``n_jobs`` > 1 fits the runs
    in that many processes; the result does not depend on it. See :func:`consensus` for
    ``combine`` and ``n``.

    Returns a :class:`~vnparty.models.TopicModel` of the same kind and backend as the runs, with
    ``seed`` = ``seed``, ``params["ensemble"]`` (n_runs, the run seeds, combine, central_run, n)
    and ``topic_stability``: for each topic, how much of it reappears across the runs, as the
    mean over the runs of the Jaccard similarity of its top-``n`` words with those of the run's
    topic matched to it (one-to-one matching, Hungarian assignment on that Jaccard:
    :func:`vnparty.stability` of the model and the runs). 1.0 = the same top words in every run;
    0.5 = about 7 of 10 top words in common on average; the unit of ``vnparty.stability``.
    Every run is kept in memory until the consensus is made.

    ``n_runs=20``: with tomotopy's LDA, the ensembles of seeds 0-4 share a mean matched top-10
    Jaccard of 0.75 on the bundled paragraphs (k=6; 0.79 with the articles layer, as
    ``vnparty reproduce`` fits them) and 0.79 on 1,000 VNTC news articles (k=10), against 0.41
    (0.50) and 0.59 for single fits; gensim's LDA needs about 40 runs on the paragraphs (0.71;
    0.62 with 20). The time is ``n_runs`` fits (see ``n_jobs``).

    Examples
    --------
    >>> docs = [["chi_bộ", "đảng_viên"], ["cấp_ủy", "kiểm_tra"]] * 5
    >>> m = fit_ensemble(docs, k=2, n_runs=3, seed=0)
    >>> m.topic_stability.shape, m.params["ensemble"]["n_runs"]
    ((2,), 3)
    """
    if method not in _FIT:
        raise ValueError(f"method must be 'lda' or 'nmf', not {method!r}")
    if isinstance(n_runs, bool) or not isinstance(n_runs, numbers.Integral):
        raise TypeError(f"n_runs must be a whole number, not {n_runs!r}")
    if n_runs < 2:
        raise ValueError(f"n_runs must be at least 2 (got {n_runs}); for one run call "
                         f"fit_{method}")
    if isinstance(n_jobs, bool) or not isinstance(n_jobs, numbers.Integral) or n_jobs < 1:
        raise ValueError(f"n_jobs must be a whole number >= 1, not {n_jobs!r}")
    if isinstance(tokens, StreamedCorpus):
        raise TypeError("fit_ensemble takes token lists, not a StreamedCorpus (the consensus "
                        "infers document shares from the token lists)")
    _check_options(combine, n)
    seeds = run_seeds(seed, n_runs)
    if isinstance(tokens, str) or not hasattr(tokens, "__iter__"):
        raise TypeError("tokens must be a list of token lists (one list of str per document), "
                        "as preprocess() returns")
    tokens = list(tokens)
    jobs = [(method, tokens, k, s, fit_params) for s in seeds]
    if n_jobs > 1:
        with ProcessPoolExecutor(max_workers=min(n_jobs, n_runs)) as pool:
            runs = list(pool.map(_fit_run, jobs))
    else:
        runs = [_fit_run(job) for job in jobs]
    model = consensus(runs, tokens, combine=combine, n=n)
    model.seed = _check_seed(seed, "fit_ensemble")
    return model


def _fit_run(job) -> TopicModel:
    method, tokens, k, seed, params = job
    return _FIT[method](tokens, k, seed=seed, **params)


def _check_options(combine, n) -> None:
    if combine not in _COMBINE:
        raise ValueError(f"combine must be one of {list(_COMBINE)}, not {combine!r}")
    if isinstance(n, bool) or not isinstance(n, numbers.Integral) or n < 1:
        raise ValueError(f"n (top words compared) must be a whole number >= 1, not {n!r}")


def consensus(runs: Sequence[TopicModel], tokens, *, combine: str = "average",
              n: int = 10) -> TopicModel:
    """The consensus of models fitted to the same ``tokens`` with the same parameters and
    different seeds (as :func:`fit_ensemble` fits them).

    ``combine="average"``: the runs' topics are aligned (module docstring) and their weights
    averaged topic by topic (LDA's Dirichlet parameters, NMF's components; per-topic parameters,
    lists of k numbers such as a learned alpha, likewise); ``topic_word`` is the normalised
    average, ``doc_topic`` the model's :meth:`~TopicModel.transform` of the training documents,
    and topics are ordered by their mean share in the runs, largest first.
    ``combine="central"``: the run whose topics have the highest mean matched cosine similarity
    to the other runs' (ties: the first run), unchanged.

    ``topic_stability`` is computed against every run (for ``"central"``, every other run): see
    :func:`fit_ensemble`.
    """
    _check_options(combine, n)
    runs = list(runs)
    if len(runs) < 2 or not all(isinstance(m, TopicModel) for m in runs):
        raise ValueError("consensus needs at least two TopicModel runs")
    first = runs[0]
    for m in runs[1:]:
        if (m.kind, m.backend, m.k) != (first.kind, first.backend, first.k) \
                or m.vocabulary != first.vocabulary \
                or not np.array_equal(m.doc_index, first.doc_index):
            raise ValueError("the runs differ in kind, backend, k, vocabulary or documents; "
                             "fit every run on the same tokens with the same parameters")
    central = int(np.argmax(_centrality(runs)))
    if combine == "central":
        model = replace(runs[central], params=dict(runs[central].params))
        others = runs[:central] + runs[central + 1:]
    else:
        model, others = _average(runs, central, tokens), runs
    model.topic_stability = stability([model, *others], n)["stability"].to_numpy()
    model.params["ensemble"] = {"n_runs": len(runs), "combine": combine,
                                "central_run": central, "n": n, "seeds": [m.seed for m in runs]}
    return model


def _cosine(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """Cosine similarity of each row of ``a`` with each row of ``b``."""
    def unit(x):
        norm = np.linalg.norm(x, axis=1, keepdims=True)
        return np.divide(x, norm, out=np.zeros_like(x), where=norm > 0)
    return unit(a) @ unit(b).T


def _align(reference: np.ndarray, rows: np.ndarray) -> tuple[np.ndarray, float]:
    """The row of ``rows`` matched to each row of ``reference`` (Hungarian assignment on
    cosine similarity), and the mean matched similarity."""
    similarity = _cosine(reference, rows)
    _, columns = linear_sum_assignment(-similarity)  # rows come back in order 0..k-1
    return columns, float(similarity[np.arange(len(columns)), columns].mean())


def _centrality(runs: Sequence[TopicModel]) -> np.ndarray:
    """Each run's mean matched cosine similarity to the other runs."""
    r = len(runs)
    similarity = np.zeros((r, r))
    for i, j in zip(*np.triu_indices(r, 1)):
        similarity[i, j] = similarity[j, i] = _align(runs[i].topic_word, runs[j].topic_word)[1]
    return similarity.sum(axis=1) / (r - 1)


def _average(runs: Sequence[TopicModel], central: int, tokens) -> TopicModel:
    reference, matches = runs[central].topic_word, None
    for _ in range(_MAX_ROUNDS):
        new = [_align(reference, m.topic_word)[0] for m in runs]
        if matches is not None and all(map(np.array_equal, new, matches)):
            break
        matches = new
        reference = np.mean([m.topic_word[c] for m, c in zip(runs, matches)], axis=0)
    share = np.mean([m.doc_topic[:, c].mean(axis=0) for m, c in zip(runs, matches)], axis=0)
    order = np.argsort(-share, kind="stable")
    matches = [c[order] for c in matches]
    weights = np.mean([m.weights[c] for m, c in zip(runs, matches)], axis=0)
    base = runs[central]
    params = {key: _average_per_topic(key, base, runs, matches) for key in base.params}
    model = replace(base, topic_word=_normalise_rows(weights), weights=weights, params=params,
                    doc_topic=np.empty((0, base.k)))
    tokens = list(tokens)
    model.doc_topic = model.transform([tokens[i] for i in base.doc_index])
    return model


def _average_per_topic(key: str, base: TopicModel, runs: Sequence[TopicModel],
                       matches: list[np.ndarray]):
    """``base``'s parameter ``key``, or, when every run has a list of k numbers there (one per
    topic, such as a learned alpha), their average over the matched topics."""
    values = [m.params.get(key) for m in runs]
    if all(isinstance(v, (list, tuple)) and len(v) == base.k
           and all(isinstance(x, numbers.Real) and not isinstance(x, bool) for x in v)
           for v in values):
        return np.mean([np.asarray(v, dtype=np.float64)[c] for v, c in zip(values, matches)],
                       axis=0).tolist()
    return base.params[key]
