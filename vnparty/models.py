"""LDA and NMF behind one result type, :class:`TopicModel`.

Backends do the fitting (gensim's LdaModel, scikit-learn's LatentDirichletAllocation and NMF);
the result keeps plain arrays only, so it can be saved as JSON + ``.npz`` and loaded without
unpickling anything. Document-topic shares of LDA are inferred from those arrays by the usual
variational E-step (:func:`lda_doc_topic`, the same update scikit-learn uses), for the training
documents and new ones alike, so ``m.transform(tokens) == m.doc_topic`` and both backends agree on
what a share means.
"""

from __future__ import annotations

import hashlib
import io
import json
import platform
import warnings
from dataclasses import dataclass, field
from pathlib import Path
from typing import Sequence

import numpy as np
import pandas as pd
import scipy.sparse as sp
from scipy.special import digamma

from .features import check_tokens, count_matrix, document_term_matrix, to_gensim_corpus
from .io import atomic_write_bytes, atomic_write_text
from .streamed import StreamedCorpus

__all__ = ["TopicModel", "fit_lda", "fit_nmf", "lda_doc_topic", "auto_min_df", "FORMAT_VERSION"]

FORMAT_VERSION = 1
_VOCABULARY = {"min_df": "auto", "max_df": 1.0, "max_features": None}
_LDA_GENSIM = {"passes": 20, "iterations": 200, "chunksize": 2000, "alpha": None, "eta": None,
               "decay": 0.5, "offset": 1.0, "gamma_threshold": 0.001, "workers": 1}
_LDA_SKLEARN = {"max_iter": 100, "alpha": None, "eta": None, "learning_method": "batch",
                "batch_size": 128}
_NMF_SKLEARN = {"init": "nndsvda", "max_iter": 1000, "tol": 1e-4, "solver": "cd",
                "beta_loss": "frobenius", "alpha_W": 0.0, "alpha_H": "same", "l1_ratio": 0.0,
                "sublinear_tf": True, "minibatch": False, "batch_size": 2048}


def _versions() -> dict:
    import gensim
    import sklearn

    from . import __version__
    return {"vnparty": __version__, "python": platform.python_version(), "numpy": np.__version__,
            "gensim": gensim.__version__, "scikit-learn": sklearn.__version__}


def _normalise_rows(matrix: np.ndarray) -> np.ndarray:
    matrix = np.asarray(matrix, dtype=np.float64)
    sums = matrix.sum(axis=1, keepdims=True)
    out = np.full_like(matrix, 1.0 / matrix.shape[1])  # an all-zero row says "no topic": uniform
    np.divide(matrix, sums, out=out, where=sums > 0)
    return out


def lda_doc_topic(counts: sp.csr_matrix, topic_word_weights: np.ndarray, alpha: float, *,
                  max_iter: int = 100, tol: float = 1e-3) -> np.ndarray:
    """Variational E-step of LDA: topic shares of each document given the topic-word
    Dirichlet parameters (k × V) and a symmetric document prior ``alpha``. Starts from equal
    weights, so the result does not depend on any random state."""
    counts = sp.csr_matrix(counts, dtype=np.float64).sorted_indices()  # same sums, same order
    weights = np.asarray(topic_word_weights, dtype=np.float64)
    exp_beta = np.exp(digamma(weights) - digamma(weights.sum(axis=1, keepdims=True)))
    theta = np.empty((counts.shape[0], weights.shape[0]))
    for d in range(counts.shape[0]):
        ids = counts.indices[counts.indptr[d]:counts.indptr[d + 1]]
        cts = counts.data[counts.indptr[d]:counts.indptr[d + 1]]
        gamma = np.ones(weights.shape[0])
        if len(ids) == 0:
            theta[d] = gamma / gamma.sum()
            continue
        beta_d = exp_beta[:, ids]
        exp_theta = np.exp(digamma(gamma) - digamma(gamma.sum()))
        for _ in range(max_iter):
            norm = exp_theta @ beta_d + 1e-100
            new = alpha + exp_theta * ((cts / norm) @ beta_d.T)
            exp_theta = np.exp(digamma(new) - digamma(new.sum()))
            done = np.abs(new - gamma).sum() / len(new) < tol  # np.mean, without its overhead
            gamma = new
            if done:
                break
        theta[d] = gamma / gamma.sum()
    return theta


@dataclass(eq=False)
class TopicModel:
    """A fitted topic model as plain arrays.

    Attributes
    ----------
    kind : str
        "lda" or "nmf".
    backend : str
        "gensim" or "sklearn".
    vocabulary : list of str
        The columns of ``topic_word``.
    topic_word : numpy.ndarray
        (k, V), rows sum to 1.
    doc_topic : numpy.ndarray
        (n, k), rows sum to 1, one row per non-empty training document.
    doc_index : numpy.ndarray
        (n,), position of each row in the token lists given to ``fit``.
    weights : numpy.ndarray
        (k, V), what ``transform`` needs: LDA's Dirichlet parameters (lambda) or NMF's
        unnormalised components.
    idf : numpy.ndarray or None
        (V,), NMF's inverse document frequencies.
    params : dict
        Every parameter of the fit, defaults included.
    seed : int
        The seed of the fit.
    versions : dict
        Versions of vnparty, its dependencies and Python at fit time.
    topic_stability : numpy.ndarray or None
        (k,), how much of each topic reappears across the runs of an ensemble, 0 to 1 (see
        :func:`vnparty.fit_ensemble`); None for a single fit.
    """

    kind: str
    backend: str
    vocabulary: list[str]
    topic_word: np.ndarray
    doc_topic: np.ndarray
    doc_index: np.ndarray
    weights: np.ndarray
    params: dict
    seed: int
    idf: np.ndarray | None = None
    versions: dict = field(default_factory=_versions)
    topic_stability: np.ndarray | None = None

    @property
    def k(self) -> int:
        return self.topic_word.shape[0]

    def top_words(self, n: int = 10) -> list[list[str]]:
        """The ``n`` most probable words of each topic, best first (ties by vocabulary order)."""
        order = np.argsort(-self.topic_word, axis=1, kind="stable")[:, :n]
        return [[self.vocabulary[j] for j in row] for row in order]

    def top_weights(self, n: int = 10) -> list[list[float]]:
        """The weights (topic-word probabilities) of :meth:`top_words`, in the same order."""
        order = np.argsort(-self.topic_word, axis=1, kind="stable")[:, :n]
        return [self.topic_word[t, row].tolist() for t, row in enumerate(order)]

    def transform(self, tokens: Sequence[Sequence[str]]) -> np.ndarray:
        """Topic shares (n × k, rows sum to 1) of new token lists; words unseen in training
        are ignored and an empty list gets equal shares."""
        if isinstance(tokens, str):
            raise TypeError("transform takes a list of token lists, not a str")
        counts = count_matrix(list(tokens), self.vocabulary)
        if self.kind == "lda":
            return lda_doc_topic(counts, self.weights, self.params["alpha"])
        return _nmf_doc_topic(counts, self.weights, self.idf, self.params)

    # -- tidy tables ---------------------------------------------------------------------------
    def topics_frame(self, n: int = 10) -> pd.DataFrame:
        """One row per (topic, rank): topic, rank, word, weight; and the topic's stability when
        the model has one (an ensemble's)."""
        rows = [(t, r, w, float(self.topic_word[t, self.vocabulary.index(w)]))
                for t, words in enumerate(self.top_words(n)) for r, w in enumerate(words)]
        frame = pd.DataFrame(rows, columns=["topic", "rank", "word", "weight"])
        if self.topic_stability is not None:
            frame["stability"] = self.topic_stability[frame["topic"].to_numpy()]
        return frame

    def shares_frame(self) -> pd.DataFrame:
        """One row per (document, topic): document (position in the training input), topic,
        share."""
        n, k = self.doc_topic.shape
        return pd.DataFrame({"document": np.repeat(self.doc_index, k),
                             "topic": np.tile(np.arange(k), n),
                             "share": self.doc_topic.ravel()})

    # -- saving --------------------------------------------------------------------------------
    def save(self, path: str | Path) -> Path:
        """Write ``path/model.json`` (parameters, seed, versions, vocabulary, a hash of the
        arrays) and ``path/arrays.npz``. Each file is written atomically."""
        path = Path(path)
        arrays = {"topic_word": self.topic_word, "doc_topic": self.doc_topic,
                  "doc_index": self.doc_index, "weights": self.weights}
        if self.idf is not None:
            arrays["idf"] = self.idf
        if self.topic_stability is not None:
            arrays["topic_stability"] = self.topic_stability
        buffer = io.BytesIO()
        np.savez(buffer, **arrays)
        data = buffer.getvalue()
        atomic_write_bytes(path / "arrays.npz", data)
        meta = {"format": "vnparty.TopicModel", "format_version": FORMAT_VERSION,
                "kind": self.kind, "backend": self.backend, "seed": self.seed,
                "params": self.params, "versions": self.versions,
                "arrays_sha256": hashlib.sha256(data).hexdigest(),
                "vocabulary": self.vocabulary}
        atomic_write_text(path / "model.json", json.dumps(meta, ensure_ascii=False, indent=1))
        return path

    @classmethod
    def load(cls, path: str | Path) -> "TopicModel":
        """Read a model written by :meth:`save`; refuse files that were changed or come from
        another format version. Nothing is unpickled."""
        path = Path(path)
        try:
            meta = json.loads((path / "model.json").read_text(encoding="utf-8"))
            data = (path / "arrays.npz").read_bytes()
        except FileNotFoundError as error:
            raise FileNotFoundError(f"{path} holds no saved model (model.json and arrays.npz); "
                                    "save one with TopicModel.save") from error
        except json.JSONDecodeError as error:
            raise ValueError(f"{path / 'model.json'} is not valid JSON; it was changed or cut "
                             "short: fit and save the model again") from error
        if meta.get("format") != "vnparty.TopicModel":
            raise ValueError(f"{path} is not a vnparty topic model")
        if meta.get("format_version") != FORMAT_VERSION:
            raise ValueError(f"{path} was written by vnparty {meta.get('versions', {}).get('vnparty')}"
                             f" in format {meta.get('format_version')}; this vnparty reads "
                             f"format {FORMAT_VERSION}: fit the model again with this version")
        if hashlib.sha256(data).hexdigest() != meta.get("arrays_sha256"):
            raise ValueError(f"{path / 'arrays.npz'} does not match the hash in model.json: the "
                             "files were changed after saving; fit and save the model again")
        from . import __version__
        written_by = meta["versions"].get("vnparty")
        if written_by != __version__:
            warnings.warn(f"{path} was written by vnparty {written_by}, this is {__version__}",
                          stacklevel=2)
        with np.load(io.BytesIO(data), allow_pickle=False) as arrays:
            values = {name: arrays[name] for name in arrays.files}
        model = cls(kind=meta["kind"], backend=meta["backend"], vocabulary=meta["vocabulary"],
                    topic_word=values["topic_word"], doc_topic=values["doc_topic"],
                    doc_index=values["doc_index"], weights=values["weights"],
                    params=meta["params"], seed=meta["seed"], idf=values.get("idf"),
                    versions=meta["versions"], topic_stability=values.get("topic_stability"))
        if model.topic_word.shape != (model.weights.shape[0], len(model.vocabulary)) or (
                model.topic_stability is not None and model.topic_stability.shape != (model.k,)):
            raise ValueError(f"{path}: array shapes do not match the vocabulary; the model is "
                             "damaged: fit and save it again")
        return model

    def __repr__(self) -> str:
        return (f"TopicModel(kind={self.kind!r}, backend={self.backend!r}, k={self.k}, "
                f"documents={self.doc_topic.shape[0]}, vocabulary={len(self.vocabulary)}, "
                f"seed={self.seed})")


# -- fitting -----------------------------------------------------------------------------------
def auto_min_df(n_documents: int) -> int:
    """``min_df="auto"``: 1 below 100 documents, 2 below 1,000, 5 from 1,000 on. Rare words
    hurt LDA most on large corpora (on 2,000 VNTC news articles, min_df=5 raised LDA's NMI
    with the categories from 0.36 to 0.50), while a handful of documents has no word to spare."""
    return 1 if n_documents < 100 else 2 if n_documents < 1000 else 5


def _vocabulary_params(params: dict, n_documents: int) -> dict:
    if params["min_df"] == "auto":
        return {**params, "min_df": auto_min_df(n_documents)}
    return params


def _split_params(params: dict, backend_defaults: dict, where: str) -> tuple[dict, dict]:
    allowed = {**_VOCABULARY, **backend_defaults}
    unknown = sorted(set(params) - set(allowed))
    if unknown:
        raise TypeError(f"{where} got unknown parameter(s) {unknown}; it takes "
                        f"{sorted(allowed)}")
    merged = {**allowed, **params}
    return ({k: merged[k] for k in _VOCABULARY}, {k: merged[k] for k in backend_defaults})


def _check_k(k, n_documents: int) -> int:
    if isinstance(k, bool) or not isinstance(k, (int, np.integer)):
        raise TypeError(f"k must be a whole number, not {k!r}")
    if k < 2:
        raise ValueError(f"k must be at least 2 (got {k}); one topic is the whole corpus")
    if k > n_documents:
        raise ValueError(f"k={k} is more topics than documents ({n_documents}); use a smaller k "
                         "or smaller units (split_units(..., unit='paragraph'))")
    return int(k)


def _check_seed(seed) -> int:
    if isinstance(seed, bool) or not isinstance(seed, (int, np.integer)) or seed < 0:
        raise TypeError(f"seed must be a whole number >= 0, not {seed!r}")
    return int(seed)


def fit_lda(tokens, k: int, seed: int = 0, backend: str = "gensim", **params) -> TopicModel:
    """Fit LDA to token lists.

    ``backend="gensim"`` (LdaModel; parameters passes, iterations, chunksize, alpha, eta, decay,
    offset, gamma_threshold; ``workers > 1`` trains with LdaMulticore, faster on large corpora
    but, as gensim's parallel updates interleave, not bit-for-bit reproducible) or ``"sklearn"`` (LatentDirichletAllocation; max_iter, alpha, eta,
    learning_method, batch_size). ``alpha`` and ``eta`` are symmetric priors, ``1/k`` by default.
    Vocabulary: min_df (``"auto"`` by default, see :func:`auto_min_df`), max_df, max_features.
    Unknown parameters raise ``TypeError``. ``tokens`` may also be a
    :class:`~vnparty.streamed.StreamedCorpus` (gensim only; its vocabulary was set when it was
    written): gensim then trains from disk, for corpora larger than memory.

    Examples
    --------
    >>> m = fit_lda([["chi_bộ", "đảng_viên"], ["cấp_ủy", "kiểm_tra"]] * 5, k=2, seed=0)
    >>> m.doc_topic.shape, bool(np.allclose(m.doc_topic.sum(axis=1), 1))
    ((10, 2), True)
    """
    defaults = {"gensim": _LDA_GENSIM, "sklearn": _LDA_SKLEARN}
    if backend not in defaults:
        raise ValueError(f"backend must be 'gensim' or 'sklearn', not {backend!r}")
    if isinstance(tokens, StreamedCorpus):
        return _fit_lda_streamed(tokens, k, seed, backend, params)
    vocabulary_params, backend_params = _split_params(params, defaults[backend], "fit_lda")
    seed = _check_seed(seed)
    docs, index = check_tokens(tokens)
    k = _check_k(k, len(docs))
    vocabulary_params = _vocabulary_params(vocabulary_params, len(docs))
    counts, vocabulary = document_term_matrix(docs, **vocabulary_params)
    alpha = _priors(backend_params, k)
    if backend == "gensim":
        weights = _gensim_lda(counts, vocabulary, k, seed, backend_params)
    else:
        weights = _sklearn_lda(counts, k, seed, backend_params)
    return TopicModel(kind="lda", backend=backend, vocabulary=vocabulary,
                      topic_word=_normalise_rows(weights),
                      doc_topic=lda_doc_topic(counts, weights, alpha),
                      doc_index=index, weights=weights, seed=seed,
                      params={"k": k, **vocabulary_params, **backend_params})


def _priors(p: dict, k: int) -> float:
    """Resolve alpha and eta in ``p`` (1/k when None); return alpha."""
    alpha = 1.0 / k if p["alpha"] is None else float(p["alpha"])
    eta = 1.0 / k if p["eta"] is None else float(p["eta"])
    if alpha <= 0 or eta <= 0:
        raise ValueError("alpha and eta must be positive numbers")
    p.update(alpha=alpha, eta=eta)
    return alpha


def _fit_lda_streamed(corpus, k, seed, backend, params) -> TopicModel:
    """:func:`fit_lda` from a :class:`~vnparty.streamed.StreamedCorpus`: gensim reads the file
    a chunk at a time, and so do the document-topic shares."""
    if backend != "gensim":
        raise ValueError("a StreamedCorpus is trained with backend='gensim' (scikit-learn "
                         "needs the whole matrix in memory)")
    _, p = _split_params(params, _LDA_GENSIM, "fit_lda")
    if set(params) & set(_VOCABULARY):
        raise TypeError(f"{', '.join(sorted(set(params) & set(_VOCABULARY)))}: the vocabulary "
                        "of a StreamedCorpus "
                        "is set when it is written (StreamedCorpus.write(..., min_df=, max_df=))")
    seed = _check_seed(seed)
    k = _check_k(k, len(corpus))
    alpha = _priors(p, k)
    weights = _gensim_lda(corpus, corpus.vocabulary, k, seed, p)
    doc_topic, row = np.empty((len(corpus), k)), 0
    for chunk in corpus.chunks(p["chunksize"]):
        doc_topic[row:row + chunk.shape[0]] = lda_doc_topic(chunk, weights, alpha)
        row += chunk.shape[0]
    return TopicModel(kind="lda", backend="gensim", vocabulary=list(corpus.vocabulary),
                      topic_word=_normalise_rows(weights), doc_topic=doc_topic,
                      doc_index=corpus.doc_index, weights=weights, seed=seed,
                      params={"k": k, **corpus.params, "max_features": None, **p})


def _gensim_lda(counts, vocabulary, k, seed, p) -> np.ndarray:
    """LDA's topic-word weights from gensim; ``counts`` a count matrix, or a corpus gensim can
    iterate (a StreamedCorpus)."""
    from gensim.models import LdaModel, LdaMulticore

    corpus = to_gensim_corpus(counts) if sp.issparse(counts) else counts
    common = dict(corpus=corpus, id2word=dict(enumerate(vocabulary)),
                  num_topics=k, random_state=np.random.RandomState(seed), passes=p["passes"],
                  iterations=p["iterations"], chunksize=p["chunksize"], alpha=p["alpha"],
                  eta=p["eta"], decay=p["decay"], offset=p["offset"],
                  gamma_threshold=p["gamma_threshold"], eval_every=None, dtype=np.float64)
    if p["workers"] > 1:
        model = LdaMulticore(workers=p["workers"], **common)
    else:
        model = LdaModel(**common)
    return model.state.get_lambda().astype(np.float64)


def _sklearn_lda(counts, k, seed, p) -> np.ndarray:
    from sklearn.decomposition import LatentDirichletAllocation

    model = LatentDirichletAllocation(
        n_components=k, doc_topic_prior=p["alpha"], topic_word_prior=p["eta"],
        learning_method=p["learning_method"], max_iter=p["max_iter"],
        batch_size=p["batch_size"], random_state=np.random.RandomState(seed))
    model.fit(counts)
    return model.components_.astype(np.float64)


def _tfidf(counts, idf: np.ndarray, sublinear: bool) -> sp.csr_matrix:
    from sklearn.preprocessing import normalize

    tf = sp.csr_matrix(counts, dtype=np.float64)
    if sublinear:
        tf.data = 1.0 + np.log(tf.data)
    return normalize(tf @ sp.diags(idf), norm="l2")


def _nmf_doc_topic(counts, components, idf, p) -> np.ndarray:
    from sklearn.decomposition import non_negative_factorization

    x = _tfidf(counts, idf, p["sublinear_tf"])
    w, _, _ = non_negative_factorization(
        x, H=components, n_components=components.shape[0], init="custom", update_H=False,
        solver=p["solver"], beta_loss=p["beta_loss"], tol=p["tol"], max_iter=p["max_iter"],
        alpha_W=p["alpha_W"], l1_ratio=p["l1_ratio"])
    return _normalise_rows(w)


def fit_nmf(tokens, k: int, seed: int = 0, backend: str = "sklearn", **params) -> TopicModel:
    """Fit NMF (scikit-learn) to the TF-IDF matrix of token lists.

    Parameters init, max_iter, tol, solver, beta_loss, alpha_W, alpha_H, l1_ratio as in
    scikit-learn's NMF; sublinear_tf (default True) for TF-IDF; ``minibatch=True`` fits
    scikit-learn's MiniBatchNMF in batches of ``batch_size`` documents (for large corpora);
    vocabulary: min_df (``"auto"`` by default, see :func:`auto_min_df`), max_df, max_features.
    Unknown parameters raise ``TypeError``.
    """
    if backend != "sklearn":
        raise ValueError(f"fit_nmf has the 'sklearn' backend only, not {backend!r}")
    from sklearn.decomposition import NMF, MiniBatchNMF
    from sklearn.feature_extraction.text import TfidfTransformer

    vocabulary_params, p = _split_params(params, _NMF_SKLEARN, "fit_nmf")
    seed = _check_seed(seed)
    docs, index = check_tokens(tokens)
    k = _check_k(k, len(docs))
    vocabulary_params = _vocabulary_params(vocabulary_params, len(docs))
    counts, vocabulary = document_term_matrix(docs, **vocabulary_params)
    idf = TfidfTransformer(smooth_idf=True).fit(counts).idf_.astype(np.float64)
    x = _tfidf(counts, idf, p["sublinear_tf"])
    common = dict(n_components=k, init=p["init"], beta_loss=p["beta_loss"], tol=p["tol"],
                  max_iter=p["max_iter"], alpha_W=p["alpha_W"], alpha_H=p["alpha_H"],
                  l1_ratio=p["l1_ratio"], random_state=np.random.RandomState(seed))
    if p["minibatch"]:
        model = MiniBatchNMF(batch_size=p["batch_size"], **common)
    else:
        model = NMF(solver=p["solver"], **common)
    w = model.fit_transform(x)
    components = model.components_.astype(np.float64)
    return TopicModel(kind="nmf", backend="sklearn", vocabulary=vocabulary,
                      topic_word=_normalise_rows(components), doc_topic=_normalise_rows(w),
                      doc_index=index, weights=components, idf=idf, seed=seed,
                      params={"k": k, **vocabulary_params, **p})
