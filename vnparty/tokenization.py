"""``segment``: a segmenter's words, repaired for this press.

After the segmenter (pyvi by default), four repairs, all on spans of the original text:
1. punctuation never sticks to a word;
2. Party-document references, abbreviations and numbers become one token each;
3. lexicon terms become one token each, choosing the matches that cover most syllables
   ("Huyện ủy_ban hành" → "Huyện_ủy ban_hành");
4. the pieces a repair cut off a segmenter's word rejoin a neighbour when pyvi's dictionary
   knows the pair.
A token is its span of the text with each run of white space replaced by "_".
"""

from __future__ import annotations

import functools
import itertools
import re

from .lexicon import DOCUMENT_PATTERN, NUMBER_PATTERN, Lexicon, default_lexicon, syllable_key
from .segmenters import PyviSegmenter, Segmenter, pyvi_dictionary

__all__ = ["segment", "segment_spans"]

Span = tuple[int, int]
_DEFAULT_SEGMENTER = PyviSegmenter()
_CAPS_PERIOD = re.compile(r"[A-ZĐ]{2,}\.")
_CAPS_PERIOD_END = re.compile(r"[A-ZĐ]{2}\.(?:\s|$)")


def _check_text(text) -> None:
    if not isinstance(text, str):
        raise TypeError(f"segment takes one str, not {type(text).__name__}; "
                        "for many texts use preprocess(texts) or a loop")
    if not text.strip():
        raise ValueError("segment got empty or whitespace-only text; skip such texts first "
                         "(preprocess() returns [] for them)")


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
    _check_text(text)
    lexicon = default_lexicon() if lexicon is None else lexicon
    words = _split_final_periods(text, (segmenter or _DEFAULT_SEGMENTER)(text))
    syllables = [span for word in words for span in word]
    owner = [w for w, word in enumerate(words) for _ in word]
    group = _free_groups(text, syllables, owner)
    forced = _forced_groups(text, syllables, lexicon)
    for first, last in forced:
        for i in range(first, last + 1):
            group[i] = ("forced", first)
    _rejoin_fragments(text, syllables, owner, group, forced)
    tokens, i = [], 0
    while i < len(syllables):
        j = i
        while j + 1 < len(syllables) and group[j + 1] == group[i]:
            j += 1
        tokens.append((syllables[i][0], syllables[j][1]))
        i = j + 1
    return tokens


def _split_final_periods(text: str, words: list[list[Span]]) -> list[list[Span]]:
    """pyvi reads "UBND." as one syllable; at a sentence end the period is its own."""
    if not _CAPS_PERIOD_END.search(text):
        return words
    out = []
    for word in words:
        out.append([])
        for start, end in word:
            if (text[end - 1] == "." and (end == len(text) or text[end].isspace())
                    and _CAPS_PERIOD.fullmatch(text, start, end)):
                out[-1].append((start, end - 1))
                out.append([(end - 1, end)])
                out.append([])
            else:
                out[-1].append((start, end))
    return [word for word in out if word]


def _is_word(piece: str) -> bool:
    return piece[:1].isalnum() or any(ch.isalnum() for ch in piece)


def _free_groups(text: str, syllables: list[Span], owner: list[int]) -> list[tuple]:
    """Group label of each syllable: the segmenter's word, with punctuation on its own."""
    return [("word", owner[i]) if _is_word(text[s:e]) else ("alone", i)
            for i, (s, e) in enumerate(syllables)]


def _forced_groups(text: str, syllables: list[Span], lexicon: Lexicon) -> list[tuple[int, int]]:
    """Inclusive syllable ranges that must be one token: pattern matches, then lexicon terms."""
    starts = {s: i for i, (s, _) in enumerate(syllables)}
    ends = {e: i for i, (_, e) in enumerate(syllables)}
    taken = [False] * len(syllables)
    ranges = []
    patterns = [DOCUMENT_PATTERN, lexicon.abbreviation_pattern(), NUMBER_PATTERN]
    for pattern in filter(None, patterns):
        for match in pattern.finditer(text):
            first, last = starts.get(match.start()), ends.get(match.end())
            if first is None or last is None or any(taken[first:last + 1]):
                continue  # the match does not fall on syllable edges, or overlaps another
            taken[first:last + 1] = [True] * (last - first + 1)
            if last > first:
                ranges.append((first, last))
    ranges += _lexicon_matches(text, syllables, taken, lexicon)
    return ranges


def _lexicon_matches(text, syllables, taken, lexicon) -> list[tuple[int, int]]:
    """Lexicon terms, chosen together with the words pyvi's dictionary knows so that a term
    does not take a syllable from a better reading ("xây dựng Đảng bộ" is xây_dựng Đảng_bộ, not
    xây_dựng_Đảng bộ). Best reading: most syllables inside known words, then inside lexicon
    terms, then fewest words. Never across a line break or a forced token."""
    if lexicon.max_length < 2:
        return []
    terms, term_starts = lexicon.terms, lexicon.term_starts
    dictionary, dictionary_starts = pyvi_dictionary(), _dictionary_starts()
    keys = [syllable_key(text[s:e]) for s, e in syllables]
    n = len(keys)
    blocked = list(itertools.accumulate(taken, initial=0))  # forced syllables before i
    breaks = list(itertools.accumulate(  # line breaks between syllables before i
        ("\n" in text[syllables[k][1]:syllables[k + 1][0]] for k in range(n - 1)), initial=0))
    best = [(0, 0, 0)] * (n + 1)  # (in known words, in terms, -words) from position i on
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
            known, in_terms, count = best[i + length]
            candidate = (known + length, in_terms + length * is_term, count - 1)
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


def _rejoin_fragments(text, syllables, owner, group, forced) -> None:
    """A one-syllable piece cut off a segmenter's word joins its free one-syllable neighbour
    when pyvi's dictionary has the pair ("ủy_ban hành" cut by "Huyện ủy" → "ban_hành")."""
    cut = {owner[i] for first, last in forced for i in (first, last)}
    dictionary = pyvi_dictionary()
    n = len(syllables)

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
                pair = f"{syllable_key(text[slice(*syllables[a])])} " \
                       f"{syllable_key(text[slice(*syllables[b])])}"
                if pair in dictionary:
                    group[b] = group[a]
                    break
