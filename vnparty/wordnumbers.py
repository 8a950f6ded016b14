"""Token lists as arrays of word numbers.

On a large corpus the candidate tokens are many (12 M on the 33.7k VNTC articles), and a list
of strings per document makes every corpus-wide step a hash lookup per token. Numbered, each
document is an array of 4-byte numbers into one table of words: document frequencies and
stopword removal become numpy operations, and strings are made once, for the tokens that are
kept. The on-disk cache stores the same numbers, so a cached text is never turned into strings
and back.
"""

from __future__ import annotations

from typing import Iterable, NamedTuple, Sequence

import numpy as np
import scipy.sparse as sp

__all__ = ["WordNumbers", "Numbered", "document_frequencies", "decode"]

NUMBER = np.dtype("<u4")


class Numbered(NamedTuple):
    """A text's tokens as numbers into ``words``, a list that travels with them. The texts of a
    chunk share one list, which pickle sends once: a worker process sends its results to the
    parent this way, and the parent's work per token is then a numpy index, not a hash look-up."""

    numbers: np.ndarray
    words: list[str]


class WordNumbers:
    """Words numbered in the order they are first seen. ``table[n]`` is word ``n`` (``None``
    for a number that names no word, such as a damaged word of the cache)."""

    def __init__(self):
        self.words: list[str | None] = []
        self.numbers: dict[str, int] = {}
        self._buffer = self._table = np.empty(0, dtype=object)
        self._from = self._into = None  # the last Numbered's words, and their numbers here

    def __len__(self) -> int:
        return len(self.words)

    def append(self, word: str | None) -> None:
        """Give ``word`` the next number (``None``: keep the number unused)."""
        if word is not None:
            self.numbers[word] = len(self.words)
        self.words.append(word)

    def number(self, tokens: Sequence[str] | Numbered) -> np.ndarray:
        """The numbers of ``tokens`` (a list of words, or a :class:`Numbered`); words not seen
        before get the next numbers."""
        if isinstance(tokens, Numbered):
            if tokens.words is not self._from or len(tokens.words) != len(self._into):
                self._into = self.number(tokens.words)  # once for a chunk's shared list
                self._from = tokens.words
            return self._into[tokens.numbers]
        numbers = self.numbers
        for word in dict.fromkeys(tokens):  # (dict.fromkeys: each new word once, in order)
            if word not in numbers:
                self.append(word)
        return np.fromiter(map(numbers.__getitem__, tokens), NUMBER, len(tokens))

    def forget_from(self, first: int) -> None:
        """Forget the words numbered ``first`` and later (their numbers are given again)."""
        for word in self.words[first:]:
            if word is not None:
                del self.numbers[word]
        del self.words[first:]
        self._table = self._table[:first]  # (so the new words' slots are written again)
        self._from = self._into = None

    @property
    def table(self) -> np.ndarray:
        """The words as an object array, to index with numbers (its buffer doubles as it grows,
        so adding words now and then does not copy the whole table each time)."""
        filled, size = len(self._table), len(self.words)
        if size > len(self._buffer):
            buffer = np.empty(max(1024, 2 * size), dtype=object)
            buffer[:filled] = self._table
            self._buffer = buffer
        if size > filled:
            self._buffer[filled:size] = self.words[filled:]
        self._table = self._buffer[:size]
        return self._table

    def decode(self, numbers: np.ndarray) -> list[str]:
        return self.table[numbers].tolist()


def document_frequencies(documents: Iterable[np.ndarray], size: int) -> np.ndarray:
    """How many of ``documents`` hold each of the numbers ``0 … size - 1``."""
    documents = list(documents)
    lengths = np.fromiter(map(len, documents), np.int64, len(documents))
    starts = np.zeros(len(documents) + 1, np.int64)
    np.cumsum(lengths, out=starts[1:])
    flat = np.concatenate(documents) if documents else np.empty(0, NUMBER)
    if len(flat) and flat.max() >= size:
        raise ValueError(f"a document holds a number >= size ({size}); pass the table's length")
    # one row per document; scipy sorts each row and merges repeated numbers in C++ (bool
    # values: merged, they stay True, where a narrow count could wrap round to 0)
    rows = sp.csr_matrix((np.ones(len(flat), bool), flat, starts),
                         shape=(len(documents), size))
    rows.sum_duplicates()
    return np.bincount(rows.indices, minlength=size)


def decode(table: np.ndarray, documents: Iterable[np.ndarray],
           keep: np.ndarray | None = None) -> list[list[str]]:
    """Each document's words, in order; with ``keep`` (a bool per number), only those kept."""
    if keep is None:
        return [table[numbers].tolist() for numbers in documents]
    return [table[numbers[keep[numbers]]].tolist() for numbers in documents]
