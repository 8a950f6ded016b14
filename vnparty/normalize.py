"""Unicode and tone-mark normalisation: small ``str -> str`` functions, composed by
:func:`normalize_text`.

Written by hand because no maintained library moves Vietnamese tone marks between the two
spelling styles without also stripping them; tone marks are never removed here.
"""

from __future__ import annotations

import re
import unicodedata

__all__ = [
    "TONE_STYLES",
    "normalize_unicode",
    "normalize_spaces",
    "normalize_quotes",
    "normalize_d",
    "normalize_tone_marks",
    "normalize_text",
]

#: ``"new"`` puts the tone on the first vowel of open oa/oe/uy (hóa, khỏe, ủy, thủy), the
#: default; ``"old"`` puts it on the second (hoá, khoẻ, uỷ, thuỷ). Names for the two styles vary
#: between authors; the examples are what counts.
TONE_STYLES = ("new", "old")

_TONES = "\u0300\u0301\u0303\u0309\u0323"  # huyền, sắc, ngã, hỏi, nặng
_ZERO_WIDTH = dict.fromkeys("\u200b\u200c\u200d\u2060\ufeff\u00ad", "")
# every run of white space but newlines that is not already one plain space
_SPACES = re.compile(r"[^\S\n]{2,}|[^\S \n]")
_EMPTY_LINES = re.compile(r"\n{3,}")
_QUOTES = {"\u201c": '"', "\u201d": '"', "\u201e": '"', "\u201f": '"', "\u00ab": '"',
           "\u00bb": '"', "\u2018": "'", "\u2019": "'", "\u201a": "'", "\u201b": "'"}
# Eth (Ð ð) and African D (Ɖ ɖ) look like Đ đ and arrive from bad keyboards and OCR.
_D = {"\u00d0": "\u0110", "\u0189": "\u0110", "\u00f0": "\u0111", "\u0256": "\u0111"}


def _replace(text: str, table: dict[str, str]) -> str:
    """``str.translate`` for a few characters, faster on text that has none of them (most text:
    ``in`` and ``replace`` scan in C, translate with a dict looks up every character)."""
    for old, new in table.items():
        if old in text:
            text = text.replace(old, new)
    return text


def _vowel(base: str) -> str:
    """A character class of the vowel with each tone or none, small and capital."""
    forms = [unicodedata.normalize("NFC", base + t) for t in ("",) + tuple(_TONES)]
    return "[" + "".join(forms) + "".join(forms).upper() + "]"


_O, _A, _E, _U, _Y = (_vowel(v) for v in "oaeuy")
# The vowel nucleus oa / oe / uy of a syllable with no final consonant. Its onset (consonants
# back to a non-letter) is checked after a match: a regex starting at the onset would try every
# position of the text, one starting at the nucleus lets the regex engine skip ahead.
_NUCLEUS = re.compile(rf"(?:{_O}{_A}|{_O}{_E}|{_U}{_Y})(?![^\W\d_])")  # re.I is twice as slow
_CONSONANT = re.compile(r"[bcdđghklmnprstvx]", re.IGNORECASE)
_LETTER = re.compile(r"[^\W\d_]")


def normalize_unicode(text: str) -> str:
    """Compose to NFC (``"ho\\u0301a"`` → ``"hóa"``)."""
    return unicodedata.normalize("NFC", text)


def normalize_spaces(text: str) -> str:
    """Drop zero-width characters and soft hyphens, turn every run of spaces (non-breaking ones
    included) into one space, strip each line, and keep at most one empty line between paragraphs."""
    text = _replace(text, _ZERO_WIDTH).replace("\r\n", "\n").replace("\r", "\n")
    text = _SPACES.sub(" ", text).replace(" \n", "\n").replace("\n ", "\n")  # strip each line
    return _EMPTY_LINES.sub("\n\n", text).strip(" \n")


def normalize_quotes(text: str) -> str:
    """Curly and angle quotes become straight ones (“ ” « » → ``"``, ‘ ’ → ``'``)."""
    return _replace(text, _QUOTES)


def normalize_d(text: str) -> str:
    """Ð / ð (Eth) and Ɖ / ɖ become Đ / đ."""
    return _replace(text, _D)


def _move_tone(match: re.Match, style: str) -> str:
    text, nucleus = match.string, match.group(0)
    start = match.start()
    while start and _CONSONANT.match(text, start - 1):
        start -= 1
    if start and _LETTER.match(text, start - 1):  # a vowel or other letter before: not a syllable
        return nucleus
    if text[start:match.start()].lower().endswith("q"):  # "qu" is a consonant: quý, quỷ
        return nucleus
    parts = [unicodedata.normalize("NFD", ch) for ch in nucleus]
    tones = [c for part in parts for c in part if c in _TONES]
    if len(tones) != 1:
        return nucleus
    bare = ["".join(c for c in part if c not in _TONES) for part in parts]
    bare[0 if style == "new" else 1] += tones[0]
    return unicodedata.normalize("NFC", "".join(bare))


def normalize_tone_marks(text: str, *, style: str = "new") -> str:
    """Put the tone of open oa / oe / uy syllables in one place, keeping every tone mark.

    Examples
    --------
    >>> normalize_tone_marks("nhất thể hoá cấp uỷ quý giá")
    'nhất thể hóa cấp ủy quý giá'
    >>> normalize_tone_marks("Hóa THỦY", style="old")
    'Hoá THUỶ'
    """
    if style not in TONE_STYLES:
        raise ValueError(f"tone style {style!r} is not known; use one of {TONE_STYLES}")
    text = unicodedata.normalize("NFC", text)
    return unicodedata.normalize("NFC", _NUCLEUS.sub(lambda m: _move_tone(m, style), text))


def normalize_text(text: str, *, tone_style: str = "new", quotes: bool = True) -> str:
    """The canonical form used before segmentation: NFC, Đ not Ð, one tone-mark style, clean
    spaces and, unless ``quotes=False``, straight quotes. Idempotent; never removes tone marks.

    Examples
    --------
    >>> normalize_text("nhất thể hoá  cấp\\u00a0uỷ quý giá")
    'nhất thể hóa cấp ủy quý giá'
    """
    if not isinstance(text, str):
        raise TypeError(f"normalize_text takes a str, not {type(text).__name__}")
    text = normalize_d(normalize_unicode(normalize_spaces(text)))
    if quotes:
        text = normalize_quotes(text)
    return normalize_tone_marks(text, style=tone_style)
