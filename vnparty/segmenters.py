"""Word segmenters behind one interface: ``segmenter(text) -> list of words``, each word a list of
``(start, end)`` syllable spans into ``text``. Spans, not strings, so that nothing of the text can
be lost or altered on the way.

:class:`PyviSegmenter` reproduces ``pyvi.ViTokenizer.tokenize`` word for word on a line of text,
calling pyvi's own CRF model; it keeps the original characters (pyvi returns NFC) and cuts long
texts into sentences (pyvi slows down on whole long documents).
"""

from __future__ import annotations

import bisect
import os
import re
import string
import tempfile
import unicodedata
from functools import lru_cache
from operator import add
from typing import NamedTuple, Protocol

__all__ = ["Segmenter", "PyviSegmenter", "UndertheseaSegmenter", "syllable_spans"]

Span = tuple[int, int]

# pyvi's syllable pattern (ViTokenizer.sylabelize) with "\n" left out (lines are cut before) and
# combining marks kept inside a syllable (after its first character), so that text that is not
# NFC is not torn apart.
_SYLLABLE = re.compile(
    r"[A-ZĐ]+\.|Tp\.|Mr\.|Mrs\.|Ms\.|Dr\.|ThS\."
    r"|==>|->|\.\.\.|>>"
    r"|\w+://[^\s]+|[a-zA-Z0-9_.+-]+@(?:[a-zA-Z0-9-]+\.)+[a-zA-Z0-9-]+"
    r"|\d+(?:[\.,_]\d+)+|[^\w\s]|\w[\w\u0300-\u036f]*"
)
_SENTENCE_END = {".", "!", "?", "...", ";"}
MAX_CHUNK = 400  # syllables given to the CRF at once
_LINE_BREAK = re.compile("\n")
_END_MARK = re.compile(r"[.!?;](?=\s|\Z)")  # last character of a sentence end, before a space


class Segmenter(Protocol):
    """Anything that turns text into words made of syllable spans."""

    def __call__(self, text: str) -> list[list[Span]]: ...


def syllable_spans(text: str) -> list[Span]:
    """The ``(start, end)`` of every syllable, punctuation mark and symbol in ``text``."""
    return [m.span() for m in _SYLLABLE.finditer(text)]


def _chunks(text: str, spans: list[Span]) -> list[range]:
    """Ranges of indices of ``spans``, cut at line breaks, after sentence ends and every MAX_CHUNK
    syllables."""
    starts = [start for start, _ in spans]
    cuts = {bisect.bisect_left(starts, match.start()) for match in _LINE_BREAK.finditer(text)}
    for mark in _END_MARK.finditer(text):
        i = bisect.bisect_right(starts, mark.start()) - 1  # the syllable the mark ends
        if spans[i][1] == mark.end() and text[spans[i][0]:mark.end()] in _SENTENCE_END:
            cuts.add(i + 1)
    cuts = sorted(cuts | {0, len(spans)})
    return [range(first, min(first + MAX_CHUNK, end))
            for start, end in zip(cuts, cuts[1:]) for first in range(start, end, MAX_CHUNK)]


class PyviSegmenter:
    """pyvi's CRF segmentation, exactly as ``ViTokenizer.tokenize`` joins words on one line.

    About 2.3 times as fast as pyvi on news on one core (``benchmarks/segmentation_speed.py``),
    with the same output: each distinct syllable's features are built once and cached, and pyvi's
    CRF model is fed directly with the attributes sklearn-crfsuite would make of pyvi's features.
    """

    def __call__(self, text: str) -> list[list[Span]]:
        spans = syllable_spans(text)
        if not spans:
            return []
        crf = _pyvi_crf()
        tag, items = crf.tagger.tag, crf.items
        syllables = [_syllable(text[s:e]) for s, e in spans]
        words: list[list[Span]] = []
        for chunk in _chunks(text, spans):
            start, end = chunk.start, chunk.stop
            sentence = syllables[start:end]
            labels = tag(items(sentence))
            words.append([spans[start]])
            # pyvi's rule for joining a syllable tagged I_W to the one before (tokenize): neither
            # is punctuation or starts with a digit, and no capital follows a small letter
            for span, before, syllable, label in zip(spans[start + 1:end], sentence,
                                                      sentence[1:], labels[1:]):
                if (label == "I_W" and before.free and syllable.free
                        and (before.title or not syllable.title)):
                    words[-1].append(span)
                else:
                    words.append([span])
        return words

    def __repr__(self) -> str:
        return "PyviSegmenter()"


class _Syllable(NamedTuple):
    """What pyvi's features and joining rule need of one syllable (see ViTokenizer)."""

    lower: str              # NFC, lower case: for pyvi's dictionary look-ups
    own: tuple              # crfsuite attributes of the syllable itself
    left: tuple             # its attributes as the syllable before ("-1:..."), by code: without
                            # (0) or with the bigram (1), the trigram (2) or both flags (3)
    right: tuple            # the same as the syllable after ("+1:...")
    free: bool              # neither punctuation nor starting with a digit
    title: bool             # first character is upper case


_EDGE = _Syllable("", (), ((),) * 4, ((),) * 4, False, False)  # before the first, after the last


@lru_cache(maxsize=1 << 14)  # about 14 MB; the commonest 16,384 syllables make 99.8% of news
def _syllable(raw: str) -> _Syllable:
    # pyvi's feature dict of a syllable as python-crfsuite turns it into attributes (to_item):
    # "name:value" for a string, "name" with weight 1.0 for True or 1.0, weight 0.0 for False.
    # Attributes of weight 0 and attributes the model does not know add nothing to any score, so
    # they are left out; the order of the others is kept, since crfsuite adds up the weights in
    # that order.
    word = unicodedata.normalize("NFC", raw)
    lower, upper, title = word.lower(), word.isupper(), word.istitle()
    value = lower.encode("utf-8").split(b"\0", 1)[0]  # crfsuite reads a name up to its first NUL
    known = _pyvi_crf().attributes
    own = _known(known, b"bias", b"word.lower():" + value, upper and b"word.isupper()",
                 title and b"word.istitle()", word.isdigit() and b"word.isdigit()")
    left = _known(known, b"-1:word.lower():" + value, title and b"-1:word.istitle()",
                  upper and b"-1:word.isupper()")
    right = _known(known, b"+1:word.lower():" + value, title and b"+1:word.istitle()",
                   upper and b"+1:word.isupper()")
    return _Syllable(lower, own,
                     _with_grams(left, b"-1:word.bi_gram()", b"-2:word.tri_gram()"),
                     _with_grams(right, b"+1:word.bi_gram()", b"+2:word.tri_gram()"),
                     free=word not in string.punctuation and not word[0].isdigit(),
                     title=word[0].istitle())


def _known(known: frozenset[bytes] | None, *names) -> tuple[bytes, ...]:
    """The names given (not False) that the model knows, in order."""
    return tuple(name for name in names if name and (known is None or name in known))


def _with_grams(base: tuple, bi_gram: bytes, tri_gram: bytes) -> tuple[tuple, ...]:
    """``base`` followed by neither, the first, the second or both flags (codes 0 to 3)."""
    return base, base + (bi_gram,), base + (tri_gram,), base + (bi_gram, tri_gram)


class _PyviCRF:
    """pyvi's CRF model (a ``pycrfsuite.Tagger``) with pyvi's dictionary."""

    def __init__(self, tokenizer):
        self.tagger = tokenizer.model.tagger_
        self.attributes = _model_attributes(self.tagger)
        self.bi_grams = tokenizer.bi_grams
        self.tri_grams = tokenizer.tri_grams
        self.tri_starts = {gram.rsplit(" ", 1)[0] for gram in self.tri_grams}

    def items(self, syllables: list[_Syllable]) -> list[tuple[bytes, ...]]:
        """The attributes of ``ViTokenizer.sent2features``, position by position, in its order."""
        lower = [s.lower for s in syllables]
        pairs = [f"{a} {b}" for a, b in zip(lower, lower[1:])]  # syllables i, i+1
        bi = list(map(self.bi_grams.__contains__, pairs))
        tri = [2 * (pair in self.tri_starts and f"{pair} {c}" in self.tri_grams)  # i, i+1, i+2
               for pair, c in zip(pairs, lower[2:])]
        left_codes = [0, *map(add, bi, [0, *tri])]   # bigram + trigram ending at i
        right_codes = [*map(add, bi, [*tri, 0]), 0]  # ... and starting at i
        return [s.own + p.left[l] + n.right[r] for s, p, l, n, r in zip(
            syllables, [_EDGE, *syllables], left_codes, [*syllables[1:], _EDGE], right_codes)]


def _model_attributes(tagger) -> frozenset[bytes] | None:
    """Every attribute the CRF model knows, read from crfsuite's text dump of the model; None if
    the dump cannot be read (then no attribute is left out)."""
    try:
        with tempfile.TemporaryDirectory() as folder:
            path = os.path.join(folder, "model.txt")
            tagger.dump(path)
            with open(path, "rb") as handle:
                dump = handle.read()
    except OSError:
        return None
    count = re.search(rb"\n +num_attrs: (\d+)\n", dump)
    section = re.search(rb"\nATTRIBUTES = \{\n(.*?)\n\}\n", dump, re.S)
    if not (count and section):
        return None
    # "  %5d: %s\n" for each attribute, in id order; a name may hold a line break
    entries = re.findall(rb"^ *(\d+): (.*?)(?=\n *\d+: |\Z)", section.group(1), re.S | re.M)
    if [int(i) for i, _ in entries] != list(range(int(count.group(1)))):
        return None
    return frozenset(name for _, name in entries)


@lru_cache(maxsize=1)
def _pyvi_crf() -> _PyviCRF:
    return _PyviCRF(_pyvi())


@lru_cache(maxsize=1)
def _pyvi():
    from pyvi.ViTokenizer import ViTokenizer  # loads the CRF model: on first use, not at import

    return ViTokenizer


@lru_cache(maxsize=1)
def pyvi_dictionary() -> frozenset[str]:
    """pyvi's list of two- and three-syllable words, lower case, syllables joined by a space."""
    return frozenset(_pyvi().bi_grams | _pyvi().tri_grams)


class UndertheseaSegmenter:
    """underthesea's ``word_tokenize`` behind the same interface (``pip install
    "vnparty[underthesea]"``)."""

    def __init__(self):
        try:
            from underthesea import word_tokenize
        except ImportError as error:  # pragma: no cover - depends on the extra
            raise ImportError("UndertheseaSegmenter needs underthesea: "
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
        return "UndertheseaSegmenter()"


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
