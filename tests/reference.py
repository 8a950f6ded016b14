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


# -- lexicon.py patterns ---------------------------------------------------------------------------
_KIND = r"(?:Nghị quyết|Chỉ thị|Kết luận|Quy định|Quyết định|Hướng dẫn|Thông tri|Quy chế)"
_ROMAN = r"[IVXL]+"
DOCUMENT_PATTERN = re.compile(
    rf"(?<!\w){_KIND}"
    rf"(?:[ ]+số)?[ ]+\d+(?:[-–][A-ZĐ]+)?(?:/(?:T\.Ư|[A-ZĐƯ]+))?(?!\w)"
    rf"|(?<!\w)Nghị quyết[ ]+(?:Hội nghị[ ]+)?(?:Trung ương|TƯ|T\.Ư|TW)[ ]+\d+"
    rf"(?:[ ]*\((?:khóa|khoá|Khóa|Khoá)[ ]+{_ROMAN}(?:,[ ]*{_ROMAN})*\))?"
    rf"|(?<!\w)Nghị quyết[ ]+Đại hội(?:[ ]+(?:Đảng|đảng)(?:[ ]+bộ)?(?:[ ]+(?:huyện|tỉnh|thành phố|xã))?)?"
    rf"[ ]+(?:lần[ ]+thứ|khóa|khoá)[ ]+{_ROMAN}(?!\w)"
)
NUMBER_PATTERN = re.compile(r"(?<![\w.,])\d+(?:[.,]\d+)*%?(?![\w])")


def abbreviation_pattern(lexicon):
    if not lexicon.abbreviations:
        return None
    alternatives = "|".join(map(re.escape, sorted(lexicon.abbreviations, key=len, reverse=True)))
    return re.compile(rf"(?<![\w.])(?:{alternatives})(?![\w])")


# -- tokenization.py: segment_spans, one syllable at a time over the whole text --------------------
# (vnparty works out the repairs only in regions around forced tokens and lexicon terms)
_CAPS_PERIOD = re.compile(r"[A-ZĐ]{2,}\.")


def segment_spans(text, lexicon, segmenter):
    from vnparty.lexicon import syllable_key
    from vnparty.tokenization import _rejoin_fragments, _runs

    words = _split_final_periods(text, segmenter(text))
    syllables = [span for word in words for span in word]
    owner = [w for w, word in enumerate(words) for _ in word]
    group = [("word", owner[i]) if _is_word(text[s:e]) else ("alone", i)
             for i, (s, e) in enumerate(syllables)]
    keys = [syllable_key(text[s:e]) for s, e in syllables]
    from vnparty.segmenters import pyvi_dictionary

    known = {w for w, word in enumerate(words) if len(word) > 1 and " ".join(
        syllable_key(text[s:e]) for s, e in word) in pyvi_dictionary()}
    # syllables k - 1 and k in one of the segmenter's words that pyvi's dictionary has
    joined = [False] + [a == b and a in known for a, b in zip(owner, owner[1:])] + [False]
    forced = _forced_groups(text, syllables, keys, lexicon, joined)
    for first, last in forced:
        for i in range(first, last + 1):
            group[i] = ("forced", first)
    _rejoin_fragments(keys, owner, group, forced)  # vnparty's own, here over the whole text
    return _runs(syllables, group)  # one token per run of equal labels


def _split_final_periods(text, words):
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


def _is_word(piece):
    return any(ch.isalnum() for ch in piece)


def _forced_groups(text, syllables, keys, lexicon, joined):
    starts = {s: i for i, (s, _) in enumerate(syllables)}
    ends = {e: i for i, (_, e) in enumerate(syllables)}
    taken = [False] * len(syllables)
    ranges = []
    for pattern in filter(None, [DOCUMENT_PATTERN, abbreviation_pattern(lexicon), NUMBER_PATTERN]):
        for match in pattern.finditer(text):
            first, last = starts.get(match.start()), ends.get(match.end())
            if first is None or last is None or any(taken[first:last + 1]):
                continue
            taken[first:last + 1] = [True] * (last - first + 1)
            if last > first:
                ranges.append((first, last))
    return ranges + _lexicon_matches(text, syllables, keys, taken, lexicon, joined)


def _lexicon_matches(text, syllables, keys, taken, lexicon, joined):
    """The best reading of the whole text at once (vnparty reads only windows around the terms
    that occur, each on its own)."""
    from vnparty.tokenization import _best_reading

    if max(map(len, lexicon.terms), default=0) < 2:
        return []
    return _best_reading(text, syllables, keys, taken, lexicon, joined)


# -- preprocess.py: Preprocessor.candidates, token by token ---------------------------------------
def candidates(preprocessor, text):
    from vnparty import default_lexicon, is_number, normalize_text, segment

    text = normalize_text(text, tone_style=preprocessor.tone_style)
    if not text:
        return []
    lexicon = preprocessor.lexicon or default_lexicon()
    out = []
    for token in segment(text, lexicon=lexicon, segmenter=preprocessor.segmenter):
        if preprocessor.expand_abbreviations:
            token = lexicon.expand(token)
        token = token.lower()
        if preprocessor.drop_punctuation and not any(ch.isalnum() for ch in token):
            continue
        if preprocessor.drop_numbers and is_number(token):
            continue
        if len(token) >= preprocessor.min_length:
            out.append(token)
    return out


# -- crf.py: crfsuite's Viterbi (crf1dc_viterbi), one sequence, one position and label at a time ---
def viterbi(state, transition):
    """Label indices of one sequence: ``state[t][j]`` the score of label j at t, in the order of
    crfsuite's C code (a score must beat the best so far to replace it: the first max stays)."""
    if not len(state):
        return []
    labels = range(len(transition))
    score, back = list(state[0]), []
    for t in range(1, len(state)):
        new, came_from = [], []
        for j in labels:
            best, arg = -1.7976931348623157e308, 0
            for i in labels:
                candidate = score[i] + transition[i][j]
                if best < candidate:
                    best, arg = candidate, i
            new.append(best + state[t][j])
            came_from.append(arg)
        score = new
        back.append(came_from)
    best, last = -1.7976931348623157e308, 0
    for i in labels:
        if best < score[i]:
            best, last = score[i], i
    path = [last]
    for came_from in reversed(back):
        path.append(came_from[path[-1]])
    return path[::-1]
