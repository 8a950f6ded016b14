"""``segment``: a segmenter's words, repaired for this press.

After the segmenter (pyvi by default), four repairs, all on spans of the original text:
1. punctuation never sticks to a word;
2. Party-document references, abbreviations and numbers become one token each;
3. lexicon terms become one token each, choosing the matches that cover most syllables
   ("Huyện ủy_ban hành" → "Huyện_ủy ban_hành") and, among those, cut fewest of the words pyvi
   found that its dictionary has ("đào_tạo nguồn" stays);
4. the pieces a repair cut off a segmenter's word rejoin a neighbour when pyvi's dictionary
   knows the pair.
A token is its span of the text with each run of white space replaced by "_".
"""

from __future__ import annotations

import bisect
import functools
import itertools
import operator
import re
from typing import Iterator

from .lexicon import DOCUMENT_PATTERN, NUMBER_PATTERN, Lexicon, default_lexicon, syllable_key
from .segmenters import PyviSegmenter, Segmenter, pyvi_dictionary

__all__ = ["segment", "segment_spans", "segment_spans_many"]

Span = tuple[int, int]
_DEFAULT_SEGMENTER = PyviSegmenter()
_CAPS_PERIOD = re.compile(r"[A-ZĐ]{2,}\.")
_CAPS_PERIOD_END = re.compile(r"[A-ZĐ]{2}\.(?=\s|\Z)")


_SURROGATE = re.compile(r"[\ud800-\udfff]")


def _check_text(text) -> None:
    if not isinstance(text, str):
        raise TypeError(f"segment takes one str, not {type(text).__name__}; "
                        "for many texts use preprocess(texts) or a loop")
    if not text.strip():
        raise ValueError("segment got empty or whitespace-only text; skip such texts first "
                         "(preprocess() returns [] for them)")
    surrogate = _SURROGATE.search(text)
    if surrogate:
        raise ValueError(f"text holds an unpaired surrogate (U+{ord(surrogate.group()):04X} at "
                         f"character {surrogate.start()}), which is not Unicode text (often bytes "
                         "that are not valid UTF-8): decode the bytes with their right encoding, "
                         "or with errors='replace' (bytes.decode('utf-8', errors='replace'))")


def segment(text: str, *, lexicon: Lexicon | None = None,
            segmenter: Segmenter | None = None) -> list[str]:
    """Every word of ``text`` in order, punctuation included, nothing dropped or changed: the
    syllables of a word are joined by "_" and the original casing is kept.

    Examples
    --------
    >>> segment("Huyện ủy ban hành Nghị quyết số 22-NQ/TW về cấp ủy.")
    ['Huyện_ủy', 'ban_hành', 'Nghị_quyết_số_22-NQ/TW', 'về', 'cấp_ủy', '.']
    """
    return ["_".join(text[s:e].split()) for s, e in segment_spans(  # white space runs -> "_"
        text, lexicon=lexicon, segmenter=segmenter)]


def segment_spans(text: str, *, lexicon: Lexicon | None = None,
                  segmenter: Segmenter | None = None) -> list[Span]:
    """The ``(start, end)`` of every token that :func:`segment` returns."""
    return segment_spans_many([text], lexicon=lexicon, segmenter=segmenter)[0]


def segment_spans_many(texts: list[str], *, lexicon: Lexicon | None = None,
                       segmenter: Segmenter | None = None) -> list[list[Span]]:
    """:func:`segment_spans` of each text; faster than one text at a time with the default
    segmenter, which decodes the sentences of all the texts together."""
    for text in texts:
        _check_text(text)
    lexicon = default_lexicon() if lexicon is None else lexicon
    found = _words_and_keys_many(texts, segmenter or _DEFAULT_SEGMENTER)
    return [_spans(text, lexicon, *words_and_keys) for text, words_and_keys in zip(texts, found)]


def _spans(text: str, lexicon: Lexicon, words, syllables, keys) -> list[Span]:
    """The tokens of ``text`` from the segmenter's words, syllables and keys."""
    words, syllables, keys = _split_final_periods(text, words, syllables, keys)
    first = list(itertools.accumulate(map(len, words), initial=0))  # first syllable of word w
    forced = _forced_groups(text, syllables, keys, lexicon, first)
    # Repairs are rare: tokens are the segmenter's words except in the few regions around a
    # forced token, which are worked out syllable by syllable (_repair), and in the words that
    # hold punctuation (_split_punctuation).
    tokens = [(word[0][0], word[-1][1]) for word in words]
    split = _split_punctuation(words, keys, first)
    if not forced and not split:
        return tokens
    out: list[Span] = []
    done = 0  # the tokens of words before this one are in out
    for (word_a, word_b), ranges in _regions(forced, first):
        out += _plain(tokens, split, done, word_a)
        out += _repair(text, syllables, keys, first, word_a, word_b, ranges)
        done = word_b
    return out + _plain(tokens, split, done, len(words))


def _split_punctuation(words, keys, first) -> dict[int, list[Span]]:
    """The tokens of each word that holds punctuation (a syllable with no letter or digit) and
    more than one syllable: the punctuation on its own, the rest together."""
    split = {}
    for i in itertools.compress(itertools.count(), map(operator.not_,
                                                       map(_WORD_LIKE.__getitem__, keys))):
        w = bisect.bisect_right(first, i) - 1
        if len(words[w]) > 1 and w not in split:
            word_keys = keys[first[w]:first[w + 1]]
            split[w] = _runs(words[w], [("word", 0) if _WORD_LIKE[k] else ("alone", j)
                                        for j, k in enumerate(word_keys)])
    return split


def _plain(tokens: list[Span], split: dict[int, list[Span]], start: int, end: int) -> list[Span]:
    """Tokens of words ``start`` to ``end`` (not included), which no forced token touches."""
    if not any(start <= w < end for w in split):
        return tokens[start:end]
    out = []
    for w in range(start, end):
        out += split.get(w) or [tokens[w]]
    return out


def _words_and_keys_many(texts: list[str], segmenter) -> Iterator[tuple]:
    """For each text the segmenter's words, all their syllables in order and each one's
    :func:`syllable_key`."""
    if type(segmenter) is PyviSegmenter:  # it has the keys already, one per distinct syllable
        # (a subclass may change __call__: not used)
        for words, keys in segmenter.words_and_keys_many(texts):
            yield words, list(itertools.chain.from_iterable(words)), keys
        return
    for text in texts:
        words = segmenter(text)
        syllables = list(itertools.chain.from_iterable(words))
        yield words, syllables, [syllable_key(text[s:e]) for s, e in syllables]


def _regions(forced: list[tuple[int, int]], first: list[int]):
    """``((first word, end word), ranges)`` of the words a repair can touch: those holding a
    forced range and two words either side (a cut-off piece may join a neighbour, which may look
    at its own neighbour), merged where they meet."""
    regions: list[list] = []
    for start, last in sorted(forced):
        word_a = max(bisect.bisect_right(first, start) - 3, 0)
        word_b = min(bisect.bisect_right(first, last) + 2, len(first) - 1)
        if regions and word_a <= regions[-1][1]:
            regions[-1][1] = max(regions[-1][1], word_b)
            regions[-1][2].append((start, last))
        else:
            regions.append([word_a, word_b, [(start, last)]])
    return [((a, b), ranges) for a, b, ranges in regions]


def _runs(syllables: list[Span], group: list) -> list[Span]:
    """One token for each run of syllables with the same group label."""
    tokens, i = [], 0
    while i < len(syllables):
        j = i
        while j + 1 < len(syllables) and group[j + 1] == group[i]:
            j += 1
        tokens.append((syllables[i][0], syllables[j][1]))
        i = j + 1
    return tokens


def _repair(text, syllables, keys, first, word_a, word_b, forced) -> list[Span]:
    """Tokens of words ``word_a`` to ``word_b`` (not included), with their forced ranges."""
    start, end = first[word_a], first[word_b]
    owner = [w for w in range(word_a, word_b) for _ in range(first[w], first[w + 1])]
    group = [("word", owner[i - start]) if _WORD_LIKE[keys[i]] else ("alone", i)
             for i in range(start, end)]
    local = [(a - start, b - start) for a, b in forced]
    for a, b in local:
        for i in range(a, b + 1):
            group[i] = ("forced", a)
    _rejoin_fragments(keys[start:end], owner, group, local)
    return _runs(syllables[start:end], group)


def _split_final_periods(text: str, words: list[list[Span]], syllables: list[Span],
                         keys: list[str]):
    """pyvi reads "UBND." as one syllable; at a sentence end the period is its own. Returns
    ``words, syllables, keys`` with those syllables split."""
    ends = [m.end() for m in _CAPS_PERIOD_END.finditer(text)]  # where such a syllable can end
    if not ends:
        return words, syllables, keys
    syllable_ends = list(map(operator.itemgetter(1), syllables))
    split = []
    for end in ends:
        k = bisect.bisect_left(syllable_ends, end)
        if k < len(syllables) and syllable_ends[k] == end \
                and _CAPS_PERIOD.fullmatch(text, syllables[k][0], end):
            split.append(k)
    if not split:
        return words, syllables, keys
    words, syllables, keys = list(words), list(syllables), list(keys)
    first = list(itertools.accumulate(map(len, words), initial=0))
    for k in reversed(split):  # from the end, so that the indices before stay true
        w = bisect.bisect_right(first, k) - 1
        (start, end), j, word = syllables[k], k - first[w], words[w]
        words[w:w + 1] = [piece for piece in (word[:j] + [(start, end - 1)], [(end - 1, end)],
                                              word[j + 1:]) if piece]
        syllables[k:k + 1] = [(start, end - 1), (end - 1, end)]
        keys[k:k + 1] = [syllable_key(text[start:end - 1]), syllable_key(text[end - 1:end])]
    return words, syllables, keys


def _is_word(piece: str) -> bool:
    return piece[:1].isalnum() or any(ch.isalnum() for ch in piece)


class _WordLike(dict):
    """_is_word of each syllable, worked out once (cleared when it grows large). Asked of the
    syllable's key: the key has a letter or digit exactly when the syllable has (checked for every
    character and every character with a combining mark in tests/test_tokenization.py)."""

    def __missing__(self, piece: str) -> bool:
        if len(self) > 100_000:
            self.clear()
        self[piece] = result = _is_word(piece)
        return result


_WORD_LIKE = _WordLike()


def _forced_groups(text: str, syllables: list[Span], keys: list[str], lexicon: Lexicon,
                   word_starts: list[int]) -> list[tuple[int, int]]:
    """Inclusive syllable ranges that must be one token: pattern matches, then lexicon terms
    (``word_starts``: the first syllable of each of the segmenter's words, then their
    number)."""
    starts = list(map(operator.itemgetter(0), syllables))
    ends = list(map(operator.itemgetter(1), syllables))
    taken: set[int] = set()  # syllables in a forced token
    ranges = []
    patterns = [DOCUMENT_PATTERN, lexicon.abbreviation_pattern(), NUMBER_PATTERN]
    for pattern in filter(None, patterns):
        for match in pattern.finditer(text):
            first = bisect.bisect_left(starts, match.start())
            last = bisect.bisect_left(ends, match.end())
            if first == len(starts) or starts[first] != match.start() or last == len(ends) \
                    or ends[last] != match.end() or not taken.isdisjoint(range(first, last + 1)):
                continue  # the match does not fall on syllable edges, or overlaps another
            taken.update(range(first, last + 1))
            if last > first:
                ranges.append((first, last))
    ranges += _lexicon_matches(text, syllables, keys, taken, lexicon, word_starts)
    return ranges


def _lexicon_matches(text, syllables, keys, taken, lexicon,
                     word_starts) -> list[tuple[int, int]]:
    """Lexicon terms, chosen together with the words pyvi's dictionary knows so that a term
    does not take a syllable from a better reading ("xây dựng Đảng bộ" is xây_dựng Đảng_bộ, not
    xây_dựng_Đảng bộ). Best reading: most syllables inside known words, then fewest of the
    segmenter's words that pyvi's dictionary knows cut by a term ("đào_tạo nguồn" stays, not
    đào tạo_nguồn; "tiền_đạo Đức_Cường" stays, not tiền đạo_Đức Cường; "quy_định_giá", not a
    known word, is cut into quy_định giá), then most inside lexicon terms, then fewest words.
    Never across a line break or a forced token.

    The best reading is found only in windows around the terms that occur: a window ends where no
    word can go on (a syllable no term or known word has, a forced one or a line break), so the
    reading inside it does not depend on the text outside."""
    if lexicon.max_length < 2:
        return []
    terms, term_starts = lexicon.terms, lexicon.term_starts
    found = [i for i in itertools.compress(itertools.count(), map(term_starts.__contains__, keys))
             if any(tuple(keys[i:i + length]) in terms for length in term_starts[keys[i]])]
    if not found:
        return []
    in_terms, in_dictionary = lexicon.term_syllables, _dictionary_syllables()

    def joins(k: int) -> bool:  # may syllables k and k + 1 be in one word?
        return all(keys[i] in in_terms or keys[i] in in_dictionary for i in (k, k + 1)) \
            and k not in taken and k + 1 not in taken \
            and "\n" not in text[syllables[k][1]:syllables[k + 1][0]]

    matches, end = [], 0
    for i in found:
        if i < end:
            continue  # in the last window
        start, end = i, i + 1
        while start > 0 and joins(start - 1):
            start -= 1
        while end < len(keys) and joins(end - 1):
            end += 1
        matches += [(start + a, start + b) for a, b in _best_reading(
            text, syllables[start:end], keys[start:end], [k in taken for k in range(start, end)],
            lexicon, _in_known_word(keys, word_starts, start, end))]
    return matches


def _in_known_word(keys: list[str], word_starts: list[int], start: int, end: int) -> list[bool]:
    """For k from ``start`` to ``end``: whether syllables k - 1 and k are in one of the
    segmenter's words and pyvi's dictionary has that word."""
    known = [False] * (end - start + 1)
    dictionary = pyvi_dictionary()
    w = max(bisect.bisect_right(word_starts, start) - 1, 0)
    while w + 1 < len(word_starts) and word_starts[w] < end:
        a, b = word_starts[w], word_starts[w + 1]
        if b - a > 1 and " ".join(keys[a:b]) in dictionary:
            for k in range(max(a + 1, start), min(b, end + 1)):
                known[k - start] = True
        w += 1
    return known


def _best_reading(text, syllables, keys, taken, lexicon, joined) -> list[tuple[int, int]]:
    """The lexicon terms of the best reading of one window (see _lexicon_matches); ``joined``
    as :func:`_in_known_word` gives it for the window."""
    terms, term_starts = lexicon.terms, lexicon.term_starts
    dictionary, dictionary_starts = pyvi_dictionary(), _dictionary_starts()
    n = len(keys)
    blocked = list(itertools.accumulate(taken, initial=0))  # forced syllables before i
    breaks = list(itertools.accumulate(  # line breaks between syllables before i
        ("\n" in text[syllables[k][1]:syllables[k + 1][0]] for k in range(n - 1)), initial=0))
    # (in known words, -known words of the segmenter cut, in terms, -words) from position i on
    best = [(0, 0, 0, 0)] * (n + 1)
    choice = [(0, False)] * (n + 1)
    for i in range(n - 1, -1, -1):
        best[i], choice[i] = best[i + 1], (0, False)
        lengths = term_starts.get(keys[i], _NONE) | dictionary_starts.get(keys[i], _NONE)
        for length in sorted(lengths, reverse=True):
            if i + length > n or blocked[i + length] - blocked[i] \
                    or breaks[i + length - 1] - breaks[i]:
                continue
            words = tuple(keys[i:i + length])
            is_term = words in terms
            if not is_term and " ".join(words) not in dictionary:
                continue
            known, cuts, in_terms, count = best[i + length]
            if is_term:  # the known words of the segmenter it cuts: its edges inside one (the
                # edge after it is counted by the term that follows, if one does)
                end = i + length
                cuts -= joined[i] + (joined[end] and not choice[end][1])
            candidate = (known + length, cuts, in_terms + length * is_term, count - 1)
            if candidate > best[i]:
                best[i], choice[i] = candidate, (length, is_term)
    matches, i = [], 0
    while i < n:
        length, is_term = choice[i]
        if is_term:
            matches.append((i, i + length - 1))
        i += length or 1
    return matches


_NONE: frozenset = frozenset()
@functools.lru_cache(maxsize=1)
def _dictionary_starts() -> dict[str, frozenset]:
    """First syllable of each word of pyvi's dictionary -> the lengths of those words."""
    starts: dict[str, set] = {}
    for word in pyvi_dictionary():
        parts = word.split(" ")
        starts.setdefault(parts[0], set()).add(len(parts))
    return {k: frozenset(v) for k, v in starts.items()}


@functools.lru_cache(maxsize=1)
def _dictionary_syllables() -> frozenset[str]:
    """Every syllable of a word in pyvi's dictionary."""
    return frozenset(part for word in pyvi_dictionary() for part in word.split(" "))


def _rejoin_fragments(keys, owner, group, forced) -> None:
    """A one-syllable piece cut off a segmenter's word joins its free one-syllable neighbour
    when pyvi's dictionary has the pair ("ủy_ban hành" cut by "Huyện ủy" → "ban_hành")."""
    cut = {owner[i] for first, last in forced for i in (first, last)}
    dictionary = pyvi_dictionary()
    n = len(keys)

    def free_single(i: int) -> bool:
        return (0 <= i < n and group[i][0] == "word"
                and (i == 0 or group[i - 1] != group[i])
                and (i == n - 1 or group[i + 1] != group[i]))

    for i in range(n):
        if owner[i] not in cut or not free_single(i):
            continue
        for j in (i + 1, i - 1):
            if free_single(j) and owner[j] != owner[i]:
                a, b = sorted((i, j))
                if f"{keys[a]} {keys[b]}" in dictionary:
                    group[b] = group[a]
                    break
