"""Word segmenters behind one interface: ``segmenter(text) -> list of words``, each word a list of
``(start, end)`` syllable spans into ``text``. Spans, not strings, so that nothing of the text can
be lost or altered on the way.

:class:`PyviSegmenter` reproduces ``pyvi.ViTokenizer.tokenize`` word for word on a line of text,
calling pyvi's own CRF model; it keeps the original characters (pyvi returns NFC) and cuts long
texts into sentences (pyvi slows down on whole long documents).
"""

from __future__ import annotations

import re
import string
import unicodedata
from functools import lru_cache
from typing import Protocol

__all__ = ["Segmenter", "PyviSegmenter", "UnderthesaSegmenter", "syllable_spans"]

Span = tuple[int, int]

# pyvi's syllable pattern (ViTokenizer.sylabelize) with "\n" left out (lines are cut before) and
# combining marks kept inside a syllable, so that text that is not NFC is not torn apart.
_W = r"(?:\w[\u0300-\u036f]*)"
_SYLLABLE = re.compile(
    r"[A-ZĐ]+\.|Tp\.|Mr\.|Mrs\.|Ms\.|Dr\.|ThS\."
    r"|==>|->|\.\.\.|>>"
    rf"|\w+://[^\s]+|[a-zA-Z0-9_.+-]+@(?:[a-zA-Z0-9-]+\.)+[a-zA-Z0-9-]+"
    rf"|\d+(?:[\.,_]\d+)+|[^\w\s]|{_W}+"
)
_SENTENCE_END = {".", "!", "?", "...", ";"}
MAX_CHUNK = 400  # syllables given to the CRF at once


class Segmenter(Protocol):
    """Anything that turns text into words made of syllable spans."""

    def __call__(self, text: str) -> list[list[Span]]: ...


def syllable_spans(text: str) -> list[Span]:
    """The ``(start, end)`` of every syllable, punctuation mark and symbol in ``text``."""
    return [m.span() for m in _SYLLABLE.finditer(text)]


def _chunks(text: str, spans: list[Span]) -> list[list[int]]:
    """Indices of ``spans`` cut at line breaks, after sentence ends and every MAX_CHUNK syllables."""
    chunks, current = [], []
    for i, (start, end) in enumerate(spans):
        if current and ("\n" in text[spans[current[-1]][1]:start] or len(current) >= MAX_CHUNK):
            chunks.append(current)
            current = []
        current.append(i)
        if text[start:end] in _SENTENCE_END and (end == len(text) or text[end].isspace()):
            chunks.append(current)
            current = []
    if current:
        chunks.append(current)
    return chunks


def _pyvi_joins(pieces: list[str], label: str, i: int) -> bool:
    # pyvi's own rule for joining syllable i to i-1 (ViTokenizer.tokenize), kept as it is.
    return (label == "I_W" and pieces[i] not in string.punctuation
            and pieces[i - 1] not in string.punctuation
            and not pieces[i][0].isdigit() and not pieces[i - 1][0].isdigit()
            and not (pieces[i][0].istitle() and not pieces[i - 1][0].istitle()))


class PyviSegmenter:
    """pyvi's CRF segmentation, exactly as ``ViTokenizer.tokenize`` joins words on one line."""

    def __call__(self, text: str) -> list[list[Span]]:
        spans = syllable_spans(text)
        if not spans:
            return []
        tokenizer = _pyvi()
        chunks = _chunks(text, spans)
        pieces = [[unicodedata.normalize("NFC", text[s:e]) for s, e in (spans[i] for i in c)]
                  for c in chunks]
        labels = tokenizer.model.predict(
            [tokenizer.sent2features(p, False) for p in pieces])
        words: list[list[Span]] = []
        for chunk, chunk_pieces, chunk_labels in zip(chunks, pieces, labels):
            for j, index in enumerate(chunk):
                if j and _pyvi_joins(chunk_pieces, chunk_labels[j], j):
                    words[-1].append(spans[index])
                else:
                    words.append([spans[index]])
        return words

    def __repr__(self) -> str:
        return "PyviSegmenter()"


@lru_cache(maxsize=1)
def _pyvi():
    from pyvi.ViTokenizer import ViTokenizer  # loads the CRF model: on first use, not at import

    return ViTokenizer


@lru_cache(maxsize=1)
def pyvi_dictionary() -> frozenset[str]:
    """pyvi's list of two- and three-syllable words, lower case, syllables joined by a space."""
    return frozenset(_pyvi().bi_grams | _pyvi().tri_grams)


class UnderthesaSegmenter:
    """underthesea's ``word_tokenize`` behind the same interface (``pip install
    "vnparty[underthesea]"``)."""

    def __init__(self):
        try:
            from underthesea import word_tokenize
        except ImportError as error:  # pragma: no cover - depends on the extra
            raise ImportError("UnderthesaSegmenter needs underthesea: "
                              'pip install "vnparty[underthesea]"') from error
        self._tokenize = word_tokenize

    def __call__(self, text: str) -> list[list[Span]]:
        words, position = [], 0
        for word in self._tokenize(text):
            spans = []
            for piece in word.split():
                start = text.find(piece, position)
                if start < 0:  # underthesea changed the text; fall back to its syllables
                    continue
                position = start + len(piece)
                spans.append((start, position))
            if spans:
                words.append(spans)
        return _cover(text, words)

    def __repr__(self) -> str:
        return "UnderthesaSegmenter()"


def _cover(text: str, words: list[list[Span]]) -> list[list[Span]]:
    """Add, as one-syllable words, any non-space text that the words' spans missed."""
    out: list[list[Span]] = []
    last = 0
    for word in words:
        out.extend([(last + s, last + e)] for s, e in syllable_spans(text[last:word[0][0]]))
        out.append(word)
        last = word[-1][1]
    out.extend([(last + s, last + e)] for s, e in syllable_spans(text[last:]))
    return out
