"""Straightforward versions of code that vnparty runs in a faster form. The tests check that the
fast code gives exactly what these give; they are not used by the package."""

from __future__ import annotations

import gzip
import itertools
import json
import re
import unicodedata
from functools import lru_cache
from pathlib import Path

# -- normalize.py ----------------------------------------------------------------------------------
_TONES = "\u0300\u0301\u0303\u0309\u0323"
_ZERO_WIDTH = dict.fromkeys(map(ord, "\u200b\u200c\u200d\u2060\ufeff\u00ad"), None)
_QUOTES = str.maketrans({"\u201c": '"', "\u201d": '"', "\u201e": '"', "\u201f": '"',
                         "\u00ab": '"', "\u00bb": '"', "\u2018": "'", "\u2019": "'",
                         "\u201a": "'", "\u201b": "'"})
_D = str.maketrans({"\u00d0": "\u0110", "\u0189": "\u0110", "\u00f0": "\u0111", "\u0256": "\u0111"})


def _vowel(base: str) -> str:
    return "[" + "".join(unicodedata.normalize("NFC", base + t) for t in ("",) + tuple(_TONES)) + "]"


_O, _A, _E, _U, _Y = (_vowel(v) for v in "oaeuy")
# onset consonants after a non-letter, then exactly oa / oe / uy, then no letter
_CANDIDATE = re.compile(
    rf"(?<![^\W\d_])([bcdđghklmnprstvx]*)({_O}{_A}|{_O}{_E}|{_U}{_Y})(?![^\W\d_])", re.IGNORECASE)


def _move_tone(match: re.Match, style: str) -> str:
    onset, nucleus = match.group(1), match.group(2)
    if onset.lower().endswith("q"):
        return match.group(0)
    parts = [unicodedata.normalize("NFD", ch) for ch in nucleus]
    tones = [c for part in parts for c in part if c in _TONES]
    if len(tones) != 1:
        return match.group(0)
    bare = ["".join(c for c in part if c not in _TONES) for part in parts]
    bare[0 if style == "new" else 1] += tones[0]
    return onset + unicodedata.normalize("NFC", "".join(bare))


def normalize_tone_marks(text: str, *, style: str = "new") -> str:
    text = unicodedata.normalize("NFC", text)
    return unicodedata.normalize("NFC", _CANDIDATE.sub(lambda m: _move_tone(m, style), text))


def normalize_spaces(text: str) -> str:
    text = text.translate(_ZERO_WIDTH).replace("\r\n", "\n").replace("\r", "\n")
    lines = [re.sub(r"[^\S\n]+", " ", line).strip() for line in text.split("\n")]
    return re.sub(r"\n{3,}", "\n\n", "\n".join(lines)).strip("\n")


def normalize_text(text: str, *, tone_style: str = "new") -> str:
    text = unicodedata.normalize("NFC", normalize_spaces(text)).translate(_D).translate(_QUOTES)
    return normalize_tone_marks(text, style=tone_style)


# -- real news -------------------------------------------------------------------------------------
VNTC = Path(__file__).resolve().parents[2] / "shared" / "corpora" / "vntc_train.jsonl.gz"


@lru_cache(maxsize=4)
def vntc_texts(count: int) -> tuple[str, ...]:
    """The first ``count`` VNTC articles in file order, or none when ``../shared`` is not there."""
    if not VNTC.exists():
        return ()
    with gzip.open(VNTC, "rt", encoding="utf-8") as handle:
        return tuple(json.loads(line)["text"] for line in itertools.islice(handle, count))
