"""Word segmenters behind one interface: ``segmenter(text) -> list of words``, each word a list of
``(start, end)`` syllable spans into ``text``. Spans, not strings, so that nothing of the text can
be lost or altered on the way.

:class:`PyviSegmenter` reproduces ``pyvi.ViTokenizer.tokenize`` word for word on a line of text,
calling pyvi's own CRF model; it keeps the original characters (pyvi returns NFC) and cuts long
texts into sentences (pyvi slows down on whole long documents).
"""

from __future__ import annotations

import os
import re
import string
import tempfile
import unicodedata
from functools import lru_cache
from itertools import accumulate, compress, count
from operator import attrgetter, methodcaller, not_
from typing import Iterator, Protocol

import numpy as np

from .crf import Weights, read_weights, viterbi_many
from .lexicon import syllable_key

__all__ = ["Segmenter", "PyviSegmenter", "UndertheseaSegmenter", "syllable_spans"]

Span = tuple[int, int]

# pyvi's syllable pattern (ViTokenizer.sylabelize) with "\n" left out (lines are cut before) and
# combining marks kept inside a syllable (after its first character), so that text that is not
# NFC is not torn apart.
_BEFORE_EMAIL = (r"[A-ZĐ]+\.|Tp\.|Mr\.|Mrs\.|Ms\.|Dr\.|ThS\."
                 r"|==>|->|\.\.\.|>>"
                 r"|\w+://[^\s]+")
_EMAIL_LOCAL = r"[a-zA-Z0-9_.+-]+"
_EMAIL_DOMAIN = r"@(?:[a-zA-Z0-9-]+\.)+[a-zA-Z0-9-]+"
_AFTER_EMAIL = r"\d+(?:[\.,_]\d+)+|[^\w\s]|\w[\w\u0300-\u036f]*"
_SYLLABLE = re.compile(f"{_BEFORE_EMAIL}|{_EMAIL_LOCAL}{_EMAIL_DOMAIN}|{_AFTER_EMAIL}")
# The e-mail alternative scans the whole stretch of [a-zA-Z0-9_.+-] from every syllable that
# starts in it: quadratic on a long run of "-" or "a-a-a-". Without "@" it cannot match, and with
# "@" _run asks it once per stretch.
_NO_EMAIL = re.compile(f"{_BEFORE_EMAIL}|{_AFTER_EMAIL}")
_BEFORE, _AFTER = re.compile(_BEFORE_EMAIL), re.compile(_AFTER_EMAIL)
_LOCAL, _DOMAIN = re.compile(_EMAIL_LOCAL), re.compile(_EMAIL_DOMAIN)
_SENTENCE_END = {".", "!", "?", "...", ";"}
MAX_CHUNK = 400  # syllables given to the CRF at once
_CACHE_LIMIT = 50_000  # entries a cache holds before it starts afresh (rare ones pile up)


class Segmenter(Protocol):
    """Anything that turns text into words made of syllable spans."""

    def __call__(self, text: str) -> list[list[Span]]: ...


def syllable_spans(text: str) -> list[Span]:
    """The ``(start, end)`` of every syllable, punctuation mark and symbol in ``text``."""
    return _split(text)[1]


def _split(text: str) -> tuple[list[str], list[Span], set[int]]:
    """The syllables of ``text`` (as ``_SYLLABLE`` finds them), their spans, and the indices of
    the syllables that start a piece for the CRF: the first of a line, the one after a sentence
    end followed by white space.

    No syllable holds white space, so the text is cut at line breaks and spaces first, which is
    much faster than the regular expression; a run of letters and digits between two spaces,
    most runs, is one syllable (every alternative of the expression but the last needs some
    other character), and the syllables of other runs are cached.
    """
    syllables: list[str] = []
    spans: list[Span] = []
    starts = set()
    position = 0
    for line in text.split("\n"):
        starts.add(len(syllables))
        for run in line.split(" "):
            end = position + len(run)
            if run.isalnum():
                syllables.append(run)
                spans.append((position, end))
            elif run:
                for syllable, start, stop, last in _RUNS.get(run) or _run(run):
                    syllables.append(syllable)
                    spans.append((position + start, position + stop))
                    if last:
                        starts.add(len(syllables))
            position = end + 1  # after the space or line break that ends the run
    return syllables, spans, starts


_RUNS: dict[str, tuple[tuple[str, int, int, bool], ...]] = {}  # run of text -> its syllables


def _run(run: str) -> tuple[tuple[str, int, int, bool], ...]:
    """The syllables of a run of text without spaces or line breaks: each with its span in the
    run and whether it ends a sentence (is a sentence end followed by white space or nothing)."""
    if len(_RUNS) > _CACHE_LIMIT:
        _RUNS.clear()
    found = []
    spans = _email_run_spans(run) if "@" in run else map(_SPAN, _NO_EMAIL.finditer(run))
    for start, end in spans:
        syllable = run[start:end]
        last = syllable in _SENTENCE_END and (end == len(run) or run[end].isspace())
        found.append((syllable, start, end, last))
    _RUNS[run] = tuple(found)
    return _RUNS[run]


_SPAN = methodcaller("span")


def _email_run_spans(run: str) -> list[Span]:
    """The spans ``_SYLLABLE.finditer(run)`` finds, in linear time. An e-mail address starting
    anywhere in a stretch of [a-zA-Z0-9_.+-] takes the rest of the stretch (the class holds no
    "@"), so whether one follows is asked once for each stretch."""
    stretch = {}  # position -> end of the stretch it is in
    for match in _LOCAL.finditer(run):
        stretch.update(dict.fromkeys(range(*match.span()), match.end()))
    email_end: dict[int, int] = {}  # end of a stretch -> end of the address, 0 for none
    spans, position = [], 0
    while position < len(run):
        match = _BEFORE.match(run, position)
        if match is None and position in stretch:
            end = stretch[position]
            if end not in email_end:
                domain = _DOMAIN.match(run, end)
                email_end[end] = domain.end() if domain else 0
            if email_end[end]:
                spans.append((position, email_end[end]))
                position = email_end[end]
                continue
        match = match or _AFTER.match(run, position)
        if match is None:  # white space other than " " and "\n"
            position += 1
            continue
        spans.append(match.span())
        position = match.end()
    return spans


def _chunks(text: str, spans: list[Span]) -> list[range]:
    """Ranges of indices of ``spans`` (the ``syllable_spans`` of ``text``), cut at line breaks,
    after sentence ends and every MAX_CHUNK syllables."""
    return _pieces(_split(text)[2], len(spans))


def _pieces(starts: set[int], size: int) -> list[range]:
    """Ranges of indices of ``size`` syllables, from each start to the next, of at most
    MAX_CHUNK syllables each."""
    cuts = sorted(starts | {0, size})
    return [range(first, min(first + MAX_CHUNK, end))
            for start, end in zip(cuts, cuts[1:]) for first in range(start, end, MAX_CHUNK)]


class PyviSegmenter:
    """pyvi's CRF segmentation, exactly as ``ViTokenizer.tokenize`` joins words on one line.

    About 3 times as fast as pyvi on news on one core, text by text, and 5 times given 256 texts
    at once (``benchmarks/segmentation_speed.py``), with the same output: each distinct
    syllable's features are built once and cached; one text's sentences go to pyvi's CRF model
    with the attributes sklearn-crfsuite would make of pyvi's features, and the sentences of
    many texts are decoded together by :mod:`vnparty.crf`, with the model's own weights.
    """

    def __call__(self, text: str) -> list[list[Span]]:
        return next(_segment_many([text]))[0]

    def words_and_keys(self, text: str) -> tuple[list[list[Span]], list[str]]:
        """The words of ``text``, as ``self(text)``, and the ``lexicon.syllable_key`` of each
        syllable of the words, in order."""
        return next(self.words_and_keys_many([text]))

    def words_and_keys_many(self, texts: list[str]) -> Iterator[tuple[list[list[Span]], list[str]]]:
        """:meth:`words_and_keys` of each text, in order; faster than one text at a time, since
        the sentences of all the texts are decoded together (when the first is asked for)."""
        for words, syllables in _segment_many(texts):
            yield words, list(map(_KEY, syllables))

    def __repr__(self) -> str:
        return "PyviSegmenter()"


def _segment_many(texts: list[str]) -> Iterator[tuple[list[list[Span]], list[_Syllable]]]:
    """The words of each text and the records of its syllables, in order: all texts are labelled
    at once, their words made one text at a time (so that they do not all pile up in memory)."""
    split = [_split(text) for text in texts]
    syllables = [_syllables(strings) for strings, _, _ in split]
    pieces = [_pieces(starts, len(strings)) for strings, _, starts in split]
    labels = _labels_many(syllables, pieces)
    for (_, spans, _), these, labelled in zip(split, syllables, labels):
        yield _words(spans, these, labelled), these


_BATCH_ABOVE = 20  # syllables per syllable of the longest piece, above which numpy decodes


def _labels_many(syllables: list[list[_Syllable]], pieces: list[list[range]]) -> list[list[str]]:
    """The labels of the syllables of several texts, as :func:`_labels` gives them text by text.
    numpy decodes all the pieces together, one position per step, when there are enough of
    them to pay for the steps (more than _BATCH_ABOVE syllables per step); otherwise crfsuite
    tags them one by one."""
    crf = _pyvi_crf()
    longest = max((len(piece) for these in pieces for piece in these), default=0)
    if crf.weights is None or sum(map(len, syllables)) <= _BATCH_ABOVE * longest:
        return list(map(_labels, syllables, pieces))
    sequence: list[_Syllable] = [_EDGE]  # every piece, each followed by an edge
    for these, cuts in zip(syllables, pieces):
        for piece in cuts:
            sequence += these[piece.start:piece.stop]
            sequence.append(_EDGE)
    lengths = np.array([len(piece) for cuts in pieces for piece in cuts])
    starts = np.cumsum(lengths + 1) - lengths - 1  # in the positions of sequence[1:-1]
    found = viterbi_many(crf.state_scores(sequence), starts, lengths, crf.weights.transition)
    found[starts] = crf.weights.labels.index("B_W")  # each piece starts a word
    found = np.delete(found, starts[1:] - 1)  # the edges between pieces
    names = np.array(crf.weights.labels, dtype=object)[found].tolist()
    ends = accumulate(map(len, syllables))
    return [names[end - len(these):end] for these, end in zip(syllables, ends)]


def _labels(syllables: list[_Syllable], pieces: list[range]) -> list[str]:
    """The CRF's label of each syllable, each piece tagged on its own; the first of a piece is
    "B_W" whatever its label, since no word goes on from one piece to the next."""
    crf = _pyvi_crf()
    # The items of all pieces in one go: an edge after each piece, so that the items of piece k
    # are k places further on than its syllables
    sequence: list[_Syllable] = []
    for piece in pieces:
        sequence += syllables[piece.start:piece.stop]
        sequence.append(_EDGE)
    items = crf.items(sequence)
    # (the list made at its full size: growing it between two calls of the tagger costs more,
    # as glibc's malloc then gathers the many small blocks the tagger has just freed)
    labels = [""] * len(syllables)
    for shift, piece in enumerate(pieces):
        tags = crf.tagger.tag(items[piece.start + shift:piece.stop + shift])
        tags[0] = "B_W"
        labels[piece.start:piece.stop] = tags
    return labels


def _words(spans: list[Span], syllables: list[_Syllable], labels: list[str]) -> list[list[Span]]:
    """pyvi's rule for joining a syllable labelled I_W to the one before (tokenize): neither is
    punctuation or starts with a digit, and no capital follows a small letter."""
    words: list[list[Span]] = []
    # (the first syllable, after _EDGE, starts a word whatever its label)
    for span, label, before, syllable in zip(spans, labels, [_EDGE, *syllables], syllables):
        if label == "I_W" and syllable.second <= before.first:
            word.append(span)
        else:
            word = [span]
            words.append(word)
    return words


class _Syllable:
    """What pyvi's features and joining rule need of one syllable (see ViTokenizer)."""

    __slots__ = ("neighbour", "own", "lower", "bi_next", "tri_next", "first", "second", "key",
                 "scores")

    def __init__(self, neighbour, own, lower, bi_next, tri_next, first, second, key, scores):
        # crfsuite attributes of the syllable as a neighbour's: "-1:..." as the syllable before,
        # "+1:..." (from 4 on) as the one after, each plain, with the bigram flag, with the
        # trigram flag, with both; so the bigram flag (0 or 1) plus the trigram flag (0 or 2),
        # plus 4 for the one after, is the index
        self.neighbour: tuple[tuple[bytes, ...], ...] = neighbour
        self.own: tuple[bytes, ...] = own  # crfsuite attributes of the syllable itself
        self.lower: str = lower  # NFC, lower case, as in pyvi's dictionary
        self.bi_next: frozenset[str] = bi_next  # the syllables after it in two-syllable words
        # second syllable -> the thirds, of the three-syllable words it starts
        self.tri_next: dict[str, frozenset[str]] | frozenset = tri_next
        # joining to the one before: as the first of two 0 never (punctuation, or a digit
        # first), 1 (small letter or other) or 2 (capital); as the second 1, 2 or 3 never;
        # joined if second <= first
        self.first: int = first
        self.second: int = second
        self.key: str = key  # lexicon.syllable_key of the original characters
        # the weights of these attributes, row 0 the own ones added up, then the neighbour ones
        # (see _PyviCRF.scores); None where the model's weights could not be read
        self.scores: np.ndarray | None = scores


_KEY = attrgetter("key")
_NOTHING: frozenset[str] = frozenset()

# Before the first syllable of a piece and after the last: no attributes, and a lower case that
# no dictionary word holds (a syllable holds no white space), so no word reaches across it.
_EDGE = _Syllable(((),) * 8, (), "\n", _NOTHING, _NOTHING, 0, 3, "", None)

_SYLLABLES: dict[str, _Syllable] = {}  # syllable as in the text -> its record
_SHARED: dict[tuple, tuple] = {}  # attributes of the syllables -> the same, one copy
_SCORES: dict[tuple, np.ndarray] = {}  # (own, neighbour) attributes -> their weights


def _clear_caches() -> None:
    """Forget every syllable and run of text seen (segment the next texts as a fresh process)."""
    _forget_syllables()
    _RUNS.clear()


def _forget_syllables() -> None:
    """Empty the caches of syllable records and of what they share."""
    _SYLLABLES.clear()
    _SHARED.clear()
    _SCORES.clear()


def _syllables(strings: list[str]) -> list[_Syllable]:
    """The record of each syllable, from the cache; made and cached for the new ones."""
    syllables = list(map(_SYLLABLES.get, strings))
    if None in syllables:
        if len(_SYLLABLES) > _CACHE_LIMIT:
            _forget_syllables()
        for i in compress(count(), map(not_, syllables)):  # the new ones
            syllable = _SYLLABLES.get(strings[i])  # (made already, if twice in the text)
            if syllable is None:
                syllable = _SYLLABLES[strings[i]] = _syllable(strings[i])
            syllables[i] = syllable
    return syllables


def _syllable(raw: str) -> _Syllable:
    # pyvi's feature dict of a syllable as python-crfsuite turns it into attributes (to_item):
    # "name:value" for a string, "name" with weight 1.0 for True or 1.0, weight 0.0 for False.
    # Attributes of weight 0 and attributes the model does not know add nothing to any score, so
    # they are left out; the order of the others is kept, since crfsuite adds up the weights in
    # that order.
    word = unicodedata.normalize("NFC", raw)
    lower, upper, title = word.lower(), word.isupper(), word.istitle()
    value = lower.encode("utf-8").split(b"\0", 1)[0]  # crfsuite reads a name up to its first NUL
    crf = _pyvi_crf()
    known = crf.attributes
    own = _known(known, b"bias", b"word.lower():" + value, upper and b"word.isupper()",
                 title and b"word.istitle()", word.isdigit() and b"word.isdigit()")
    before = _known(known, b"-1:word.lower():" + value, title and b"-1:word.istitle()",
                    upper and b"-1:word.isupper()")
    after = _known(known, b"+1:word.lower():" + value, title and b"+1:word.istitle()",
                   upper and b"+1:word.isupper()")
    neighbour = (_with_grams(before, b"-1:word.bi_gram()", b"-2:word.tri_gram()")
                 + _with_grams(after, b"+1:word.bi_gram()", b"+2:word.tri_gram()"))
    # Most syllables of a corpus are rare ones the model does not know, whose attributes are
    # only flags: shared by all such syllables, they take less memory and stay in the CPU cache
    neighbour, own = _SHARED.setdefault(neighbour, neighbour), _SHARED.setdefault(own, own)
    scores = _SCORES.get((own, neighbour))
    if scores is None:
        scores = _SCORES[own, neighbour] = crf.scores(own, neighbour)
    joins = word not in string.punctuation and not word[0].isdigit()
    capital = word[0].istitle()
    return _Syllable(neighbour, own=own, lower=lower, bi_next=crf.bi_next.get(lower, _NOTHING),
                     tri_next=crf.tri_next.get(lower, _NOTHING),
                     first=1 + capital if joins else 0, second=1 + capital if joins else 3,
                     key=syllable_key(raw), scores=scores)


def _known(known: frozenset[bytes] | None, *names) -> tuple[bytes, ...]:
    """The names given (not False) that the model knows, in order."""
    names = filter(None, names)
    return tuple(names if known is None else filter(known.__contains__, names))


def _with_grams(base: tuple, bi_gram: bytes, tri_gram: bytes) -> tuple[tuple, ...]:
    """``base`` followed by neither, the first, the second or both flags."""
    return base, base + (bi_gram,), base + (tri_gram,), base + (bi_gram, tri_gram)


class _PyviCRF:
    """pyvi's CRF model (a ``pycrfsuite.Tagger``) with pyvi's dictionary, and its weights."""

    def __init__(self, tokenizer):
        self.tagger = tokenizer.model.tagger_
        names = _model_attributes(self.tagger)
        self.attributes = None if names is None else frozenset(names)
        self.weights = None if names is None else _checked_weights(tokenizer.model, names)
        # pyvi looks "a b" up in bi_grams and "a b c" in tri_grams; since a syllable holds no
        # white space, that is: b in bi_next[a], c in tri_next[a][b]
        self.bi_next: dict[str, frozenset[str]] = {}
        self.tri_next: dict[str, dict[str, frozenset[str]]] = {}
        for gram in tokenizer.bi_grams:
            a, b = gram.split(" ")
            self.bi_next[a] = self.bi_next.get(a, _NOTHING) | {b}
        for gram in tokenizer.tri_grams:
            a, b, c = gram.split(" ")
            thirds = self.tri_next.setdefault(a, {})
            thirds[b] = thirds.get(b, _NOTHING) | {c}

    def items(self, syllables: list[_Syllable]) -> list[tuple[bytes, ...]]:
        """The attributes of ``ViTokenizer.sent2features``, position by position, in its order.
        An ``_EDGE`` in the list cuts it in two: the syllables on either side do not see each
        other."""
        syllables = [_EDGE, *syllables, _EDGE]
        left, right = _ways(syllables)
        # each syllable's own attributes, those of the one before and those of the one after
        return [syllable.own + before.neighbour[way_before] + after.neighbour[4 + way_after]
                for before, syllable, after, way_before, way_after in zip(
                    syllables, syllables[1:], syllables[2:], left.tolist(), right.tolist())]

    def scores(self, own: tuple, neighbour: tuple) -> np.ndarray | None:
        """A syllable's weights: row 0 its own attributes' added up, then for each of the 8 ways
        it is a neighbour (see _Syllable) one row per attribute, _NEIGHBOUR rows in all."""
        if self.weights is None:
            return None
        weight, nothing = self.weights.state.get, (0.0,) * len(self.weights.labels)
        rows = [self.weights.total(own)]
        for attributes in neighbour:
            rows += [weight(attribute, nothing) for attribute in attributes]
            rows += [nothing] * (_NEIGHBOUR - len(attributes))
        return np.array(rows)

    def state_scores(self, sequence: list[_Syllable]) -> np.ndarray:
        """The score of each label at each position of ``sequence`` but the first and the last
        (which are _EDGE), as crfsuite adds them up from :meth:`items`: the own attributes', then
        one by one those of the syllable before and of the one after."""
        left, right = _ways(sequence)
        distinct = dict.fromkeys(sequence)  # a table of the distinct syllables' weights
        for row, syllable in enumerate(distinct):
            distinct[syllable] = row
        rows = np.fromiter(map(distinct.__getitem__, sequence), np.intp, len(sequence))
        nothing = np.zeros_like(next(s.scores for s in distinct if s is not _EDGE))
        table = np.stack([nothing if s is _EDGE else s.scores for s in distinct])
        state = table[rows[1:-1], 0]
        columns = np.arange(_NEIGHBOUR)
        before = table[rows[:-2, None], 1 + left[:, None] * _NEIGHBOUR + columns]
        after = table[rows[2:, None], 1 + (4 + right[:, None]) * _NEIGHBOUR + columns]
        for k in range(_NEIGHBOUR):  # one at a time, in order: crfsuite's rounding
            state += before[:, k]
        for k in range(_NEIGHBOUR):
            state += after[:, k]
        return state


# Attributes of a syllable as a neighbour, at most: word.lower(), istitle, isupper and the two flags
_NEIGHBOUR = 5


def _ways(syllables: list[_Syllable]) -> tuple[np.ndarray, np.ndarray]:
    """For each syllable but the first and the last, the way (see _Syllable) the one before it
    and the one after it (from 4 on) are seen: 1 if the two make a word of pyvi's dictionary,
    plus 2 if they are in a three-syllable word of it that starts or ends at this syllable."""
    lower = [syllable.lower for syllable in syllables]
    # bi[i]: 1 where syllables i, i+1 make a word
    bi = np.array([1 if b in a.bi_next else 0 for a, b in zip(syllables, lower[1:])], np.intp)
    starts = [b in a.tri_next for a, b in zip(syllables, lower[1:])]  # i, i+1 start one
    trigram = np.zeros(len(syllables) + 1, np.intp)  # [i + 1]: syllables i, i+1, i+2 make one
    trigram[[i + 1 for i in compress(count(), starts)
             if lower[i + 2] in syllables[i].tri_next[lower[i + 1]]]] = 1
    return bi[:-1] + 2 * trigram[:len(syllables) - 2], bi[1:] + 2 * trigram[2:len(syllables)]


def _checked_weights(model, names: tuple[bytes, ...]) -> Weights | None:
    """The weights of pyvi's model (an sklearn-crfsuite CRF), read from its file; None unless
    decoding with them gives the tagger's labels on a sequence using every attribute."""
    tagger = model.tagger_
    weights = read_weights(getattr(model.modelfile, "name", None) or "", names, tagger.labels())
    if weights is None:
        return None
    items = [names[i:i + 7] for i in range(0, len(names), 7)]
    state = np.array([weights.total(item) for item in items])
    lengths = np.array([len(items) // 3, len(items) - len(items) // 3])
    found = viterbi_many(state, np.array([0, lengths[0]]), lengths, weights.transition)
    expected = tagger.tag(items[:lengths[0]]) + tagger.tag(items[lengths[0]:])
    return weights if [weights.labels[i] for i in found] == expected else None


def _model_attributes(tagger) -> tuple[bytes, ...] | None:
    """Every attribute the CRF model knows, in id order, read from crfsuite's text dump of the
    model; None if the dump cannot be read (then no attribute is left out)."""
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
    return tuple(name for _, name in entries)


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
