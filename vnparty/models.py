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
import os
import platform
import sys
import warnings
import zipfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Sequence

import numpy as np
import pandas as pd
import scipy.sparse as sp
from scipy.special import digamma

from ._params import (DF, FLAG, MIN_DF, SEED, ParameterError, Rule, check, number, one_of,
                      options, whole)
from .checksums import CHECKSUMS, DamagedFileError, checksums_text, verify
from .features import (as_documents, check_document, check_tokens, count_matrix,
                       document_term_matrix, to_gensim_corpus)
from .gibbs import LDA_TOMOTOPY, tomotopy_lda, versions as tomotopy_versions
from .io import atomic_write_bytes, atomic_write_text
from .parallel import cap_workers
from .streamed import StreamedCorpus

__all__ = ["TopicModel", "fit_lda", "fit_nmf", "lda_doc_topic", "auto_min_df", "FORMAT_VERSION",
           "DamagedFileError", "ParameterError"]

FORMAT_VERSION = 2  # 2: checksums.sha256 covers model.json as well as arrays.npz
_VOCABULARY = {"min_df": "auto", "max_df": 1.0, "max_features": None}
_LDA_GENSIM = {"passes": 20, "iterations": 200, "chunksize": 2000, "alpha": None, "eta": None,
               "decay": 0.5, "offset": 1.0, "gamma_threshold": 0.001, "workers": 1}
_LDA_SKLEARN = {"max_iter": 100, "alpha": None, "eta": None, "learning_method": "batch",
                "batch_size": 128}
_NMF_SKLEARN = {"init": "nndsvda", "max_iter": 1000, "tol": 1e-4, "solver": "cd",
                "beta_loss": "frobenius", "alpha_W": 0.0, "alpha_H": "same", "l1_ratio": 0.0,
                "sublinear_tf": True, "minibatch": False, "batch_size": 2048}

# The allowed values of every parameter above, checked in _split_params before any work (as
# scikit-learn's _parameter_constraints). A name shared by backends has one rule.
_PRIOR = Rule("None (1/k) or a number > 0 (one symmetric prior: 'auto' and 'asymmetric' are "
              "not supported, as the topic shares assume a symmetric prior)",
              one_of(options(None), number(0, above=True)).ok)
_RULES = {
    "min_df": MIN_DF, "max_df": DF, "max_features": one_of(options(None), whole(1)),
    # gensim
    "passes": whole(1), "iterations": whole(1), "chunksize": whole(1), "alpha": _PRIOR,
    "eta": _PRIOR, "decay": number(0, 1, above=True), "offset": number(0, above=True),
    "gamma_threshold": number(0), "workers": whole(1),
    # tomotopy (also alpha, eta, iterations, workers)
    "optim_interval": whole(0), "burn_in": whole(0), "seed_weight": number(0),  # (fit_seeded)
    # scikit-learn (LDA and NMF)
    "max_iter": whole(1), "learning_method": options("batch", "online"), "batch_size": whole(1),
    "init": options(None, "random", "nndsvd", "nndsvda", "nndsvdar"), "tol": number(0),
    "solver": options("cd", "mu"),
    "beta_loss": one_of(options("frobenius", "kullback-leibler", "itakura-saito"),
                        number()),
    "alpha_W": number(0), "alpha_H": one_of(options("same"), number(0)), "l1_ratio": number(0, 1),
    "sublinear_tf": FLAG, "minibatch": FLAG,
}


def _check_together(p: dict, where: str) -> None:
    """Rules that join two parameters."""
    if (p.get("solver") == "cd" and not p.get("minibatch")
            and p.get("beta_loss", "frobenius") not in ("frobenius", 2, 2.0)):
        raise ParameterError(f"{where}: beta_loss={p['beta_loss']!r} needs solver='mu' "
                             "(solver='cd' fits the Frobenius loss only)")


def _versions() -> dict:
    import gensim
    import sklearn

    from . import __version__
    return {"vnparty": __version__, "python": platform.python_version(), "numpy": np.__version__,
            "gensim": gensim.__version__, "scikit-learn": sklearn.__version__,
            **tomotopy_versions()}


def _normalise_rows(matrix: np.ndarray) -> np.ndarray:
    matrix = np.asarray(matrix, dtype=np.float64)
    sums = matrix.sum(axis=1, keepdims=True)
    out = np.full_like(matrix, 1.0 / matrix.shape[1])  # an all-zero row says "no topic": uniform
    np.divide(matrix, sums, out=out, where=sums > 0)
    return out


def lda_doc_topic(counts: sp.csr_matrix, topic_word_weights: np.ndarray, alpha: float, *,
                  max_iter: int = 100, tol: float = 1e-3) -> np.ndarray:
    """Variational E-step of LDA: topic shares of each document given the topic-word
    Dirichlet parameters (k × V) and a document prior ``alpha`` (a number, or one per topic).
    Starts from equal weights, so the result does not depend on any random state."""
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
    topic_names : list of str or None
        One name per topic where the fit gives them (:func:`vnparty.fit_seeded`: the codebook's
        themes, then "free 0", "free 1" …); None otherwise.
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
    topic_names: list[str] | None = None
    topic_stability: np.ndarray | None = None

    @property
    def k(self) -> int:
        return self.topic_word.shape[0]

    def _top(self, n: int) -> np.ndarray:
        check("top_words", "n", n, whole(0))
        return np.argsort(-self.topic_word, axis=1, kind="stable")[:, :n]

    def top_words(self, n: int = 10) -> list[list[str]]:
        """The ``n`` most probable words of each topic, best first (ties by vocabulary order)."""
        return [[self.vocabulary[j] for j in row] for row in self._top(n)]

    def top_weights(self, n: int = 10) -> list[list[float]]:
        """The weights (topic-word probabilities) of :meth:`top_words`, in the same order."""
        return [self.topic_word[t, row].tolist() for t, row in enumerate(self._top(n))]

    def transform(self, tokens: Sequence[Sequence[str]]) -> np.ndarray:
        """Topic shares (n × k, rows sum to 1) of new token lists; words unseen in training
        are ignored and an empty list gets equal shares."""
        if isinstance(tokens, str) or not hasattr(tokens, "__iter__"):
            raise TypeError("transform takes a list of token lists (lists of str)")
        tokens = as_documents(tokens)
        for position, document in enumerate(tokens):
            check_document(position, document)
        if not tokens:
            return np.empty((0, self.k))
        counts = count_matrix(tokens, self.vocabulary)
        if self.kind == "lda":  # tomotopy learns one alpha per topic
            alpha = self.params.get("learned_alpha", self.params["alpha"])
            return lda_doc_topic(counts, self.weights, np.asarray(alpha, dtype=np.float64))
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
        """Write ``path/arrays.npz``, ``path/model.json`` (parameters, seed, versions,
        vocabulary) and ``path/checksums.sha256`` (the SHA-256 of both, as ``sha256sum``
        writes them). Each file is written atomically and the checksums last, so an interrupted
        save leaves a folder that :meth:`load` refuses, never one that loads wrong."""
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
        meta = {"format": "vnparty.TopicModel", "format_version": FORMAT_VERSION,
                "kind": self.kind, "backend": self.backend, "seed": self.seed,
                "params": self.params, "versions": self.versions,
                "vocabulary": self.vocabulary}
        if self.topic_names is not None:
            meta["topic_names"] = list(self.topic_names)
        text = json.dumps(meta, ensure_ascii=False, indent=1, allow_nan=False).encode("utf-8")
        atomic_write_bytes(path / _ARRAYS, data)
        atomic_write_bytes(path / _META, text)
        atomic_write_text(path / CHECKSUMS, checksums_text({_ARRAYS: _sha256(data),
                                                            _META: _sha256(text)}))
        return path

    @classmethod
    def load(cls, path: str | Path) -> "TopicModel":
        """Read a model written by :meth:`save`. Any change to its files (checked against
        ``checksums.sha256``), a missing file or key, or another format version raises
        :class:`~vnparty.checksums.DamagedFileError` (a ``ValueError``) naming the file; a
        folder without any of the files raises ``FileNotFoundError``. Nothing is unpickled."""
        path = Path(path)
        if not any((path / name).exists() for name in (_ARRAYS, _META, CHECKSUMS)):
            raise FileNotFoundError(f"{path} holds no saved model (model.json, arrays.npz and "
                                    f"{CHECKSUMS}); save one with TopicModel.save")
        try:
            data, text = (path / _ARRAYS).read_bytes(), (path / _META).read_bytes()
        except FileNotFoundError as error:
            raise DamagedFileError(f"{error.filename} is missing; {_REMEDY}") from None
        verify(path, {_ARRAYS: _sha256(data), _META: _sha256(text)}, _REMEDY)
        meta = _read_meta(path / _META, text)
        from . import __version__
        written_by = meta["versions"].get("vnparty")
        if written_by != __version__:
            warnings.warn(f"{path} was written by vnparty {written_by}, this is {__version__}",
                          stacklevel=2)
        values = _read_arrays(path / _ARRAYS, data, meta)
        learned = meta["params"].get("learned_alpha")
        if learned is not None and not (
                isinstance(learned, list) and len(learned) == len(values["weights"])
                and all(number(0, above=True).ok(a) for a in learned)):
            raise DamagedFileError(f"{path / _META}: 'learned_alpha' is not one number > 0 per "
                                   f"topic; {_REMEDY}")
        names = meta.get("topic_names")
        if names is not None and (not isinstance(names, list) or len(names) != len(values["weights"])
                                  or not all(isinstance(n, str) for n in names)):
            raise DamagedFileError(f"{path / _META}: 'topic_names' is not a list of one name per "
                                   f"topic; {_REMEDY}")
        return cls(kind=meta["kind"], backend=meta["backend"], vocabulary=meta["vocabulary"],
                   topic_word=values["topic_word"], doc_topic=values["doc_topic"],
                   doc_index=values["doc_index"], weights=values["weights"],
                   params=meta["params"], seed=meta["seed"], idf=values.get("idf"),
                   versions=meta["versions"], topic_names=meta.get("topic_names"),
                   topic_stability=values.get("topic_stability"))

    def __repr__(self) -> str:
        return (f"TopicModel(kind={self.kind!r}, backend={self.backend!r}, k={self.k}, "
                f"documents={self.doc_topic.shape[0]}, vocabulary={len(self.vocabulary)}, "
                f"seed={self.seed})")


# -- reading a saved model (every field is checked: the files are untrusted input) ------------
_ARRAYS, _META = "arrays.npz", "model.json"
_REMEDY = "save the fitted model again (TopicModel.save), or fit it again"
_FIELDS = {"format": str, "format_version": int, "kind": str, "backend": str, "seed": int,
           "params": dict, "versions": dict, "vocabulary": list}


def _sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def _unique_keys(pairs: list) -> dict:
    if len({key for key, _ in pairs}) < len(pairs):
        raise ValueError("a key appears twice")
    return dict(pairs)


def _read_meta(file: Path, text: bytes) -> dict:
    try:
        meta = json.loads(text.decode("utf-8"), object_pairs_hook=_unique_keys)
    except ValueError as error:  # (UnicodeDecodeError and JSONDecodeError are ValueErrors)
        raise DamagedFileError(f"{file} is not valid JSON ({error}); {_REMEDY}") from None
    if not isinstance(meta, dict) or meta.get("format") != "vnparty.TopicModel":
        raise DamagedFileError(f"{file} does not describe a vnparty topic model; {_REMEDY}")
    if meta.get("format_version") != FORMAT_VERSION:
        versions = meta.get("versions")
        written_by = versions.get("vnparty") if isinstance(versions, dict) else None
        raise DamagedFileError(f"{file} was written by vnparty {written_by} in format "
                               f"{meta.get('format_version')}; this vnparty reads format "
                               f"{FORMAT_VERSION}: fit the model again with this version")
    for key, kind in _FIELDS.items():
        if key not in meta:
            raise DamagedFileError(f"{file} lacks the key {key!r}; {_REMEDY}")
        if not isinstance(meta[key], kind) or isinstance(meta[key], bool):
            raise DamagedFileError(f"{file}: {key!r} is not a {kind.__name__}; {_REMEDY}")
    vocabulary, params = meta["vocabulary"], meta["params"]
    if not all(isinstance(word, str) for word in vocabulary) or len(set(vocabulary)) < len(
            vocabulary):
        raise DamagedFileError(f"{file}: the vocabulary is not a list of distinct words; "
                               f"{_REMEDY}")
    needed = {"lda": {"alpha": number(0, above=True)},
              "nmf": {name: _RULES[name] for name in _NMF_SKLEARN}}.get(meta["kind"])
    if needed is None:
        raise DamagedFileError(f"{file}: kind {meta['kind']!r} is not 'lda' or 'nmf'; {_REMEDY}")
    for name, rule in needed.items():
        if name not in params or not rule.ok(params[name]):
            raise DamagedFileError(f"{file}: parameter {name!r} is missing or not "
                                   f"{rule.text}; {_REMEDY}")
    return meta


def _read_arrays(file: Path, data: bytes, meta: dict) -> dict[str, np.ndarray]:
    try:
        with np.load(io.BytesIO(data), allow_pickle=False) as arrays:
            values = {name: arrays[name] for name in arrays.files}
    except (ValueError, OSError, EOFError, KeyError, zipfile.BadZipFile) as error:
        raise DamagedFileError(f"{file} is not a readable .npz file ({error}); "
                               f"{_REMEDY}") from None
    names = ["topic_word", "doc_topic", "doc_index", "weights"] + (
        ["idf"] if meta["kind"] == "nmf" else [])
    missing = [name for name in names if name not in values]
    if missing:
        raise DamagedFileError(f"{file} lacks the array(s) {missing}; {_REMEDY}")
    k = values["weights"].shape[0] if values["weights"].ndim == 2 else -1
    n = len(values["doc_index"]) if values["doc_index"].ndim == 1 else -1
    shapes = {"topic_word": (k, len(meta["vocabulary"])), "weights": (k, len(meta["vocabulary"])),
              "doc_topic": (n, k), "doc_index": (n,), "idf": (len(meta["vocabulary"]),),
              "topic_stability": (k,)}
    for name in names + (["topic_stability"] if "topic_stability" in values else []):
        kind = np.integer if name == "doc_index" else np.floating
        if values[name].shape != shapes[name] or not np.issubdtype(values[name].dtype, kind):
            raise DamagedFileError(f"{file}: array {name!r} has shape {values[name].shape} and "
                                   f"type {values[name].dtype}, which do not match the model "
                                   f"in {_META}; {_REMEDY}")
    return values


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
    if ("solver" in allowed and "solver" not in params
            and merged.get("beta_loss") not in ("frobenius", 2, 2.0)):
        merged["solver"] = "mu"  # scikit-learn's "cd" solver fits the Frobenius loss only
    for name, value in merged.items():
        if name in _RULES:
            check(where, name, value, _RULES[name])
        if isinstance(value, np.generic):  # numpy scalars become Python's (for model.json)
            merged[name] = value.item()
    _check_together(merged, where)
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


def _check_seed(seed, where: str) -> int:
    check(where, "seed", seed, SEED)
    return int(seed)


def _cap_workers(workers: int) -> int:
    """``workers``, at most the CPUs this process may use (a warning at the user's line)."""
    return cap_workers(workers, "workers", stacklevel=_outside_vnparty())


def _outside_vnparty() -> int:
    """The ``stacklevel`` for ``warnings.warn`` that points at the first caller outside vnparty."""
    frame, level, package = sys._getframe(2), 2, os.path.dirname(__file__)
    while frame is not None and frame.f_code.co_filename.startswith(package + os.sep):
        frame, level = frame.f_back, level + 1
    return level


def fit_lda(tokens, k: int, seed: int = 0, backend: str | None = None, **params) -> TopicModel:
    """Fit LDA to token lists.

    ``backend="tomotopy"`` (the default for token lists): collapsed Gibbs sampling; parameters
    alpha (0.1), eta (0.1), iterations (1000), optim_interval (10: re-estimate an asymmetric
    alpha every 10 iterations; 0 keeps it fixed), burn_in, workers (1; see
    :mod:`vnparty.gibbs` on reproducibility). Defaults chosen on VNTC news
    (benchmarks/RESULTS_topic_quality.md).
    ``backend="gensim"`` (LdaModel; parameters passes, iterations, chunksize, alpha, eta, decay,
    offset, gamma_threshold; ``workers > 1`` trains with LdaMulticore, faster on large corpora
    but, as gensim's parallel updates interleave, not bit-for-bit reproducible) or ``"sklearn"``
    (LatentDirichletAllocation; max_iter, alpha, eta, learning_method, batch_size); for these two
    ``alpha`` and ``eta`` are symmetric priors, ``1/k`` by default.
    Vocabulary: min_df (``"auto"`` by default, see :func:`auto_min_df`), max_df, max_features.
    Unknown parameters raise ``TypeError``. ``tokens`` may also be a
    :class:`~vnparty.streamed.StreamedCorpus` (gensim only, the default there; its vocabulary was
    set when it was written): gensim then trains from disk, for corpora larger than memory.

    Examples
    --------
    >>> m = fit_lda([["chi_bộ", "đảng_viên"], ["cấp_ủy", "kiểm_tra"]] * 5, k=2, seed=0)
    >>> m.doc_topic.shape, bool(np.allclose(m.doc_topic.sum(axis=1), 1))
    ((10, 2), True)
    """
    defaults = {"gensim": _LDA_GENSIM, "sklearn": _LDA_SKLEARN, "tomotopy": LDA_TOMOTOPY}
    if backend is None:
        backend = "gensim" if isinstance(tokens, StreamedCorpus) else "tomotopy"
    if backend not in defaults:
        raise ValueError(f"backend must be 'tomotopy', 'gensim' or 'sklearn', not {backend!r}")
    if isinstance(tokens, StreamedCorpus):
        return _fit_lda_streamed(tokens, k, seed, backend, params)
    vocabulary_params, backend_params = _split_params(params, defaults[backend], "fit_lda")
    if "workers" in backend_params:  # (gensim's and tomotopy's; the params record those used)
        backend_params["workers"] = _cap_workers(backend_params["workers"])
    seed = _check_seed(seed, "fit_lda")
    docs, index = check_tokens(tokens)
    k = _check_k(k, len(docs))
    vocabulary_params = _vocabulary_params(vocabulary_params, len(docs))
    counts, vocabulary = document_term_matrix(docs, **vocabulary_params)
    if backend == "tomotopy":
        weights, alpha = tomotopy_lda(counts, vocabulary, k, seed, backend_params)
    elif backend == "gensim":
        alpha = _priors(backend_params, k)
        weights = _gensim_lda(counts, vocabulary, k, seed, backend_params)
    else:
        alpha = _priors(backend_params, k)
        weights = _sklearn_lda(counts, k, seed, backend_params)
    return TopicModel(kind="lda", backend=backend, vocabulary=vocabulary,
                      topic_word=_normalise_rows(weights),
                      doc_topic=lda_doc_topic(counts, weights, alpha),
                      doc_index=index, weights=weights, seed=seed,
                      params={"k": k, **vocabulary_params, **backend_params})


def _priors(p: dict, k: int) -> float:
    """Resolve alpha and eta in ``p`` (1/k when None); return alpha."""
    alpha = 1.0 / k if p["alpha"] is None else float(p["alpha"])
    eta = 1.0 / k if p["eta"] is None else float(p["eta"])  # (> 0: see _RULES)
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
    seed = _check_seed(seed, "fit_lda")
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
    p["workers"] = _cap_workers(p["workers"])  # (the params record the workers used)
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
    scikit-learn's NMF (``beta_loss="kullback-leibler"`` fits with the "mu" solver unless
    another is given); sublinear_tf (default True) for TF-IDF; ``minibatch=True`` fits
    scikit-learn's MiniBatchNMF in batches of ``batch_size`` documents (for large corpora);
    vocabulary: min_df (``"auto"`` by default, see :func:`auto_min_df`), max_df, max_features.
    Unknown parameters raise ``TypeError``.
    """
    if backend != "sklearn":
        raise ValueError(f"fit_nmf has the 'sklearn' backend only, not {backend!r}")
    if isinstance(tokens, StreamedCorpus):
        raise TypeError("fit_nmf needs the token lists in memory (scikit-learn's NMF reads the "
                        "whole matrix), not a StreamedCorpus: train the StreamedCorpus with "
                        "fit_lda, or pass the token lists as a list (e.g. "
                        "list(preprocessor.iter_transform(texts)))")
    from sklearn.decomposition import NMF, MiniBatchNMF
    from sklearn.feature_extraction.text import TfidfTransformer

    vocabulary_params, p = _split_params(params, _NMF_SKLEARN, "fit_nmf")
    seed = _check_seed(seed, "fit_nmf")
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
