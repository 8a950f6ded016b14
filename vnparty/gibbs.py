"""LDA by collapsed Gibbs sampling, through tomotopy: ``fit_lda``'s default backend.

tomotopy samples the topic of every word and, every ``optim_interval`` iterations, re-estimates
an asymmetric document prior alpha (Minka's fixed point). vnparty keeps only plain arrays of the
result: the topic-word Dirichlet parameters (the word counts of each topic plus eta) and the
learned alpha (``params["learned_alpha"]``). Document shares, for the training documents and new
ones alike, come from vnparty's deterministic variational E-step
(:func:`vnparty.models.lda_doc_topic`) with that alpha, so a saved model transforms exactly as
the fitted one and no tomotopy object is kept. (tomotopy's own ``infer`` is deterministic too,
but needs the tomotopy model; on VNTC it gave the same NMI within ±0.008.)

Reproducibility:

- tomotopy seeds its own random generator from ``seed`` alone (no global state); with
  ``workers=1`` (the default) the same seed gives the same model bit for bit, in any process.
- With ``workers > 1`` vnparty uses tomotopy's PARTITION scheme (each worker samples its own
  slice of the vocabulary with its own random stream). The same seed and number of workers gave
  the same model in our runs, but tomotopy promises this for one worker only (it warns), and the
  model differs from the one-worker model.
- tomotopy loads a build for the CPU's instruction set (``tomotopy.isa``, recorded in
  ``TopicModel.versions["tomotopy_isa"]``). Builds round differently: on 2,000 VNTC articles
  the avx512 build gave a model slightly different from the avx2 and sse2 builds (which agreed
  with each other): 9 of 10 topics with the same top 10 words. Identical numbers need the same
  build, so vnparty loads the ``sse2`` build, which every x86-64 processor runs, unless the
  environment variable ``TOMOTOPY_ISA`` names another (or tomotopy was imported before the first
  fit). It costs about 8% of the sampling time against the avx512 build (1,000 iterations over
  6,900 short documents: 9.0 s against 8.4 s of CPU).
"""

from __future__ import annotations

import os
import sys
import warnings

import numpy as np
import scipy.sparse as sp

__all__ = ["LDA_TOMOTOPY", "tomotopy_lda", "versions"]

#: Defaults of ``fit_lda(..., backend="tomotopy")``: ``alpha`` (symmetric start value of the
#: document prior, per topic) and ``eta`` (topic-word prior); ``iterations`` of Gibbs sampling;
#: ``optim_interval``: re-estimate alpha every that many iterations (0 = keep it fixed);
#: ``burn_in``: iterations before the first re-estimate; ``workers``: sampling threads.
LDA_TOMOTOPY = {"alpha": 0.1, "eta": 0.1, "iterations": 1000, "optim_interval": 10,
                "burn_in": 0, "workers": 1}


def versions() -> dict:
    """tomotopy's version and the instruction-set build it loaded (``tomotopy.isa``): models
    fitted by different builds can differ in the last digits, and so in sampled topics."""
    try:
        tp = _import()
    except ImportError:
        return {"tomotopy": None}
    return {"tomotopy": tp.__version__, "tomotopy_isa": tp.isa}


def _import():
    if "tomotopy" not in sys.modules:  # the same numbers on any x86-64 machine (see above)
        os.environ.setdefault("TOMOTOPY_ISA", "sse2")
    with warnings.catch_warnings():  # importing tomotopy 0.14 warns about its own _VocabDict
        warnings.simplefilter("ignore", DeprecationWarning)
        import tomotopy
    return tomotopy


def resolved_priors(p: dict, k: int) -> dict:
    """alpha and eta of ``p`` as numbers: None is 1/k, as for the other backends (the values
    were checked by the parameter table of :mod:`vnparty.models`)."""
    return {name: 1.0 / k if p[name] is None else float(p[name]) for name in ("alpha", "eta")}


def train(counts: sp.csr_matrix, vocabulary: list[str], k: int, seed: int, p: dict,
          word_priors: dict[str, list[float]] | None = None):
    """A trained tomotopy LDAModel for a count matrix (documents × ``vocabulary``); ``p`` holds
    checked parameters. Documents the vocabulary emptied are not added. ``word_priors`` maps a
    word to its topic-word prior in each topic (instead of eta), as :func:`vnparty.fit_seeded`
    sets them."""
    tp = _import()
    model = tp.LDAModel(k=k, alpha=p["alpha"], eta=p["eta"], seed=seed)
    model.optim_interval = p["optim_interval"]
    model.burn_in = p["burn_in"]
    counts = sp.csr_matrix(counts).sorted_indices()
    words = np.asarray(vocabulary, dtype=object)
    for d in range(counts.shape[0]):
        ids = counts.indices[counts.indptr[d]:counts.indptr[d + 1]]
        if len(ids):  # a document with no word left has nothing to sample
            model.add_doc(words[np.repeat(ids, counts.data[counts.indptr[d]:counts.indptr[d + 1]])])
    if len(model.docs) == 0:
        raise ValueError("no document has a word in the vocabulary; lower min_df")
    for word, prior in (word_priors or {}).items():
        model.set_word_prior(word, prior)
    parallel = tp.ParallelScheme.NONE if p["workers"] == 1 else tp.ParallelScheme.PARTITION
    model.train(p["iterations"], workers=p["workers"], parallel=parallel)
    return model


def tomotopy_lda(counts: sp.csr_matrix, vocabulary: list[str], k: int, seed: int,
                 p: dict, word_priors: dict[str, list[float]] | None = None
                 ) -> tuple[np.ndarray, np.ndarray]:
    """Train tomotopy's LDAModel on a count matrix (documents × ``vocabulary``).

    Returns the topic-word Dirichlet parameters (k × V: each topic's word counts plus eta, in
    the order of ``vocabulary``) and the learned document prior alpha (k,). ``p`` is checked
    and completed in place: the priors as numbers, and ``learned_alpha`` (a list, for the record and for
    :meth:`~vnparty.models.TopicModel.transform`). ``word_priors`` as in :func:`train`; they
    steer the sampling, while the weights returned hold the sampled counts plus eta (tomotopy
    leaves the word priors out of them)."""
    p.update(resolved_priors(p, k))  # (the seed is checked by the caller: below 2**32)
    model = train(counts, vocabulary, k, seed, p, word_priors)
    # tomotopy numbers the words its own way (by frequency): put its columns in our order
    column = {w: i for i, w in enumerate(model.used_vocabs)}
    order = np.array([column[w] for w in vocabulary])
    weights = np.array([model.get_topic_word_dist(t, normalize=False) for t in range(k)],
                       dtype=np.float64)[:, order]
    alpha = np.asarray(model.alpha, dtype=np.float64).reshape(k)
    p["learned_alpha"] = alpha.tolist()
    return weights, alpha
