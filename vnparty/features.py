"""Token lists to a vocabulary and a document-term matrix, and the bridge to gensim.

The vocabulary is sorted (scikit-learn's CountVectorizer does the counting), so the same token
lists always give the same columns in the same order.
"""

from __future__ import annotations

import warnings
from collections.abc import Iterator
from itertools import repeat
from typing import Sequence

import numpy as np
import scipy.sparse as sp
from sklearn.feature_extraction.text import CountVectorizer

__all__ = ["check_tokens", "document_term_matrix", "count_matrix", "to_gensim_corpus",
           "to_gensim_dictionary"]


def _identity(tokens):
    return tokens


def check_document(position: int, tokens) -> None:
    """Raise ``TypeError`` unless ``tokens`` (document ``position``) is a list of str."""
    if (isinstance(tokens, str) or not hasattr(tokens, "__iter__")
            or not all(map(isinstance, tokens, repeat(str)))):  # (loop in C)
        found = ("" if hasattr(tokens, "__iter__") else " (it is None)" if tokens is None
                 else f" (it is of type {type(tokens).__name__})")
        raise TypeError(f"document {position} is not a list of str{found}; pass token lists, "
                        "not texts (see vnparty.preprocess)")


def as_documents(tokens) -> list:
    """``tokens`` as a list, each document that can be read only once (an iterator) as a list."""
    return [list(doc) if isinstance(doc, Iterator) else doc for doc in tokens]


def no_tokens() -> ValueError:
    """The error for a corpus whose token lists are all empty."""
    return ValueError("every token list is empty; check the preprocessing (are all words "
                      "stopwords?) or pass more text")


def check_tokens(tokens) -> tuple[list[list[str]], np.ndarray]:
    """Validate token lists; drop the empty ones with a warning that counts them.

    Returns the non-empty lists and their positions in the input."""
    if isinstance(tokens, str) or not hasattr(tokens, "__iter__"):
        raise TypeError("tokens must be a list of token lists (one list of str per document), "
                        "as preprocess() returns")
    tokens = as_documents(tokens)
    for i, doc in enumerate(tokens):
        check_document(i, doc)
    keep = np.array([i for i, doc in enumerate(tokens) if len(doc)], dtype=np.int64)
    if len(keep) == 0:
        raise no_tokens()
    if len(keep) < len(tokens):
        warnings.warn(f"{len(tokens) - len(keep)} of {len(tokens)} token lists are empty and "
                      "were left out of the model", stacklevel=3)
    kept = map(tokens.__getitem__, keep.tolist())  # (lists are not copied: callers only read)
    return [doc if isinstance(doc, list) else list(doc) for doc in kept], keep


def document_term_matrix(tokens: Sequence[Sequence[str]], *, min_df: float | int = 1,
                         max_df: float | int = 1.0, max_features: int | None = None
                         ) -> tuple[sp.csr_matrix, list[str]]:
    """Count matrix (documents × words) and its sorted vocabulary; ``min_df``, ``max_df`` and
    ``max_features`` as in scikit-learn's CountVectorizer."""
    vectorizer = CountVectorizer(analyzer=_identity, min_df=min_df, max_df=max_df,
                                 max_features=max_features, dtype=np.int64)
    try:
        matrix = vectorizer.fit_transform(tokens)
    except ValueError as error:
        raise ValueError(f"no word is left after the vocabulary filters (min_df={min_df}, "
                         f"max_df={max_df}, max_features={max_features}); loosen them or "
                         "pass more documents") from error
    return matrix.tocsr(), list(vectorizer.get_feature_names_out())


def count_matrix(tokens: Sequence[Sequence[str]], vocabulary: Sequence[str]) -> sp.csr_matrix:
    """Counts of a fixed vocabulary in new token lists (unknown words are ignored)."""
    vectorizer = CountVectorizer(analyzer=_identity, vocabulary=list(vocabulary), dtype=np.int64)
    return vectorizer.transform(tokens).tocsr()


def to_gensim_corpus(matrix: sp.csr_matrix) -> list[list[tuple[int, int]]]:
    """gensim's bag-of-words corpus from a count matrix (column j = word id j)."""
    matrix = sp.csr_matrix(matrix)
    return [list(zip(matrix.indices[a:b].tolist(), matrix.data[a:b].tolist()))
            for a, b in zip(matrix.indptr[:-1], matrix.indptr[1:])]


def to_gensim_dictionary(vocabulary: Sequence[str]):
    """A gensim Dictionary whose word ids are the matrix columns."""
    from gensim.corpora import Dictionary

    dictionary = Dictionary()
    dictionary.token2id = {word: i for i, word in enumerate(vocabulary)}
    dictionary.id2token = dict(enumerate(vocabulary))
    return dictionary
