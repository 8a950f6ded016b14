"""A bag-of-words corpus on disk, for training LDA on corpora larger than memory.

:meth:`StreamedCorpus.write` reads token lists once, from any iterable (such as
:meth:`vnparty.Preprocessor.iter_transform`), and writes gensim's Matrix Market format;
:func:`vnparty.fit_lda` then trains from the file, a chunk of documents at a time. Memory is bounded by the vocabulary and the chunk size, not by the
corpus: the token lists are never all held, nor is the count matrix.

The vocabulary follows :func:`vnparty.features.document_term_matrix` (min_df, max_df; sorted), so the
columns are those of an in-memory fit of the same token lists. Only the order in which a
document's words are summed differs, so the model agrees with the in-memory one up to rounding.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import secrets
import warnings
from array import array
from numbers import Integral
from pathlib import Path
from typing import Iterable, Iterator

import numpy as np
import scipy.sparse as sp

from ._params import DF, MIN_DF, check, whole
from .checksums import CHECKSUMS, DamagedFileError, checksums_text, file_sha256, verify
from .features import check_document, no_tokens
from .wordnumbers import NUMBER, WordNumbers

__all__ = ["StreamedCorpus"]

_FORMAT = 2  # 2: checksums.sha256 covers the three files
_MATRIX, _META, _INDEX = "corpus.mm", "meta.json", "doc_index.npy"


class StreamedCorpus:
    """A corpus written by :meth:`write`: iterate it for gensim's bag-of-words documents (one
    per non-empty token list, in order), or read it as count matrices with :meth:`chunks`.

    Attributes: ``vocabulary`` (column ``j`` is word ``vocabulary[j]``), ``doc_index`` (the
    positions, among the token lists written, of the documents kept: empty lists are left out,
    as :func:`vnparty.fit_lda` does), ``n_documents`` (token lists written), ``params``
    (min_df and max_df as resolved).

    Opening checks every file against ``checksums.sha256`` (read a block at a time): a folder
    that was changed in any way raises :class:`~vnparty.checksums.DamagedFileError`."""

    def __init__(self, path: str | Path):
        self.path = Path(path)
        try:
            text = (self.path / _META).read_bytes()
            verify(self.path, {_META: hashlib.sha256(text).hexdigest(),
                               _INDEX: file_sha256(self.path / _INDEX),
                               _MATRIX: file_sha256(self.path / _MATRIX)})
            meta = json.loads(text.decode("utf-8"))
            if meta["format"] != _FORMAT:
                raise ValueError("it was written in another format")
            self.doc_index = np.load(self.path / _INDEX, allow_pickle=False)
            self.vocabulary: list[str] = meta["vocabulary"]
            self.n_documents: int = meta["n_documents"]
            self.params: dict = meta["params"]
            _check_matrix(self.path / _MATRIX, meta, len(self.doc_index), len(self.vocabulary))
        except (OSError, ValueError, KeyError, TypeError) as error:
            raise DamagedFileError(f"{self.path} is not a sound corpus written by "
                                   f"StreamedCorpus.write ({type(error).__name__}: {error}); "
                                   "write it again") from error

    def __len__(self) -> int:
        return len(self.doc_index)

    def __iter__(self) -> Iterator[list[tuple[int, float]]]:
        from gensim.corpora import MmCorpus

        return iter(MmCorpus(str(self.path / _MATRIX)))

    def chunks(self, size: int = 2000) -> Iterator[sp.csr_matrix]:
        """The documents as count matrices of ``size`` rows (the last may be shorter)."""
        check("StreamedCorpus.chunks", "size", size, whole(1))
        batch: list = []
        for document in self:
            batch.append(document)
            if len(batch) == size:
                yield _matrix(batch, len(self.vocabulary))
                batch = []
        if batch:
            yield _matrix(batch, len(self.vocabulary))

    @classmethod
    def write(cls, token_lists: Iterable[list[str]], path: str | Path, *,
              min_df: float | int | str = "auto", max_df: float | int = 1.0) -> "StreamedCorpus":
        """Write ``token_lists`` to the new folder ``path`` and return the corpus.

        ``min_df`` and ``max_df`` as in scikit-learn's CountVectorizer, with the defaults of
        :func:`vnparty.fit_lda` (``"auto"``: see :func:`vnparty.models.auto_min_df`).
        The lists are read once: they go to a scratch file numbered as they come, which a
        second pass over the file renumbers into the sorted vocabulary. ``path`` appears only
        when everything is written (and flushed to disk)."""
        path = Path(path)
        if isinstance(token_lists, str) or not hasattr(token_lists, "__iter__"):
            raise TypeError("token_lists must be an iterable of token lists (lists of str)")
        check("StreamedCorpus.write", "min_df", min_df, MIN_DF)
        check("StreamedCorpus.write", "max_df", max_df, DF)
        if path.exists():
            raise FileExistsError(f"{path} exists; pass a new folder, or delete it first")
        path.parent.mkdir(parents=True, exist_ok=True)
        work = _new_folder(path.parent, path.name)
        try:
            kept, n_documents, words, frequency = _first_pass(token_lists, work / "scratch")
            vocabulary, columns, params = _vocabulary(words, frequency, len(kept), min_df,
                                                      max_df)
            from gensim.matutils import MmWriter

            nonzero = [0]
            MmWriter.write_corpus(str(work / _MATRIX),
                                  _renumbered(work / "scratch", columns, nonzero),
                                  num_terms=len(vocabulary), progress_cnt=10**9)
            (work / "scratch").unlink()
            np.save(work / _INDEX, np.frombuffer(kept, dtype=np.int64))
            (work / _META).write_text(json.dumps(
                {"format": _FORMAT, "vocabulary": vocabulary, "n_documents": n_documents,
                 "params": params, "nonzero": nonzero[0],
                 "matrix_bytes": (work / _MATRIX).stat().st_size}), encoding="utf-8")
            (work / CHECKSUMS).write_text(checksums_text(
                {name: file_sha256(work / name) for name in (_MATRIX, _INDEX, _META)}),
                encoding="ascii")
            for name in (_MATRIX, _INDEX, _META, CHECKSUMS):
                _flush(work / name)
            os.rename(work, path)  # all or nothing
        except BaseException:
            shutil.rmtree(work, ignore_errors=True)
            raise
        if len(kept) < n_documents:
            warnings.warn(f"{n_documents - len(kept)} of {n_documents} token lists are empty and "
                          "were left out of the corpus", stacklevel=2)
        return cls(path)


def _new_folder(parent: Path, name: str) -> Path:
    """A new empty scratch folder beside ``name``, with the mode ``mkdir`` gives (0o777 minus
    the umask; ``tempfile.mkdtemp`` would make it 0o700)."""
    for _ in range(100):
        work = parent / f".{name}.{secrets.token_hex(4)}"
        try:
            work.mkdir()
            return work
        except FileExistsError:
            continue
    raise FileExistsError(f"cannot create a scratch folder in {parent}")


def _check_matrix(path: Path, meta: dict, rows: int, columns: int) -> None:
    """The matrix file is whole and matches the rest of the folder."""
    from gensim.corpora import MmCorpus

    if path.stat().st_size != meta["matrix_bytes"]:
        raise ValueError(f"{path.name} has {path.stat().st_size} bytes, not "
                         f"{meta['matrix_bytes']}")
    matrix = MmCorpus(str(path))
    if (matrix.num_docs, matrix.num_terms, matrix.num_nnz) != (rows, columns, meta["nonzero"]):
        raise ValueError(f"{path.name} does not match the vocabulary and documents")


def _flush(path: Path) -> None:
    with open(path, "rb+") as handle:
        os.fsync(handle.fileno())


def _first_pass(token_lists, scratch: Path):
    """Each non-empty list's distinct words (numbered as they come) and their counts, to
    ``scratch``; the kept positions, the number of lists, the words, and document frequencies."""
    words, frequency, kept, position = WordNumbers(), np.zeros(0, np.int64), array("q"), -1
    with open(scratch, "wb") as out:
        for position, tokens in enumerate(token_lists):
            if isinstance(tokens, Iterator):
                tokens = list(tokens)
            check_document(position, tokens)
            if not len(tokens):
                continue
            numbers, counts = np.unique(words.number(tokens), return_counts=True)
            if len(words) > len(frequency):
                frequency = np.concatenate([frequency, np.zeros(max(len(words), 2 * len(
                    frequency)) - len(frequency), np.int64)])
            frequency[numbers] += 1
            np.array([len(numbers)], NUMBER).tofile(out)
            numbers.astype(NUMBER).tofile(out)
            counts.astype(NUMBER).tofile(out)
            kept.append(position)
    if not kept:
        raise no_tokens()
    return kept, position + 1, words.words, frequency[:len(words)]


def _vocabulary(words, frequency, n_rows, min_df, max_df):
    """The sorted vocabulary under min_df / max_df (scikit-learn's rule), and each scratch
    number's column (-1: left out)."""
    from .models import auto_min_df

    if min_df == "auto":
        min_df = auto_min_df(n_rows)
    low = min_df if isinstance(min_df, Integral) else min_df * n_rows
    high = max_df if isinstance(max_df, Integral) else max_df * n_rows
    keep = np.flatnonzero((frequency >= low) & (frequency <= high))
    if not len(keep):
        raise ValueError(f"no word is left after the vocabulary filters (min_df={min_df}, "
                         f"max_df={max_df}); loosen them or pass more documents")
    order = sorted(keep.tolist(), key=words.__getitem__)
    columns = np.full(len(words), -1, np.int64)
    columns[order] = np.arange(len(order))
    return [words[i] for i in order], columns, {"min_df": min_df, "max_df": max_df}


def _renumbered(scratch: Path, columns: np.ndarray,
                nonzero: list[int]) -> Iterator[list[tuple[int, int]]]:
    """The scratch file's documents in the vocabulary's columns (``nonzero[0]`` counts the
    entries)."""
    with open(scratch, "rb") as handle:
        while True:
            size = np.fromfile(handle, NUMBER, 1)
            if not len(size):
                return
            numbers = np.fromfile(handle, NUMBER, int(size[0]))
            counts = np.fromfile(handle, NUMBER, int(size[0]))
            where = columns[numbers]
            order = np.argsort(where)
            kept = order[where[order] >= 0]
            nonzero[0] += len(kept)
            yield list(zip(where[kept].tolist(), counts[kept].tolist()))


def _matrix(documents: list, n_columns: int) -> sp.csr_matrix:
    lengths = [len(d) for d in documents]
    indptr = np.concatenate([[0], np.cumsum(lengths)]).astype(np.int64)
    indices = np.fromiter((j for d in documents for j, _ in d), np.int64, indptr[-1])
    # (gensim reads the counts as floats; they are whole numbers, kept as int64 like the
    # in-memory count matrix)
    data = np.fromiter((c for d in documents for _, c in d), np.int64, indptr[-1])
    return sp.csr_matrix((data, indices, indptr), shape=(len(documents), n_columns))
