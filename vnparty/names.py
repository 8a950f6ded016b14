"""People's and places' names, found in the original casing (before features are lower-cased).

A person's name is a run of capitalised syllables ("Hà Văn Hùng", "Nguyễn Thị Thu Hà"):
1. it starts with a family name (resources/family_names.txt), or with any capitalised syllable
   right after a personal title ("ông", "bà", "đồng chí", "Ảnh:" …);
2. it has three to five syllables, or two with a title before it ("Tổng Bí thư Tô Lâm") or after
   it ("Trần Hữu Thuần - Phó Bí thư"), or it is a name already found in the same text;
3. it is no place: places follow "huyện", "xã", "tỉnh", "thôn", "TX", "Huyện ủy" … ("Bí thư
   Huyện ủy Châu Thành Lê Phước Dũng": place, then name), and resources/place_names.txt lists
   places named without such a word (Hà Nội, Cao Bằng, Hoàng Sa);
4. a capitalised syllable that the segmenter joins to a lower-case one to make a word of its
   dictionary or the lexicon ("Đoàn Thanh_niên", "Phó_Bí_thư") is no part of a name (but
   "Tô_Lâm_dự" is cut: "lâm dự" is no word); all-capital words never are;
5. Hồ Chí Minh is protected: never taken for a name to remove.
A first syllable capitalised only because it starts a sentence ("Ông Nguyễn Thanh Tùng") is
left out. After a name is found, its given name after a personal title ("ông Tùng") is a name.
"""

from __future__ import annotations

import bisect
import re
from functools import lru_cache
from importlib import resources
from typing import NamedTuple, Sequence

from .normalize import normalize_tone_marks, normalize_unicode

__all__ = ["person_names", "place_names", "find_names", "family_names", "known_places",
           "PROTECTED_NAMES"]

PROTECTED_NAMES = frozenset({"Hồ Chí Minh"})

_UPPER = "".join(c for c in map(chr, range(0x41, 0x2000)) if c.isupper() and c.isalpha())
_LOWER = "".join(c for c in map(chr, range(0x61, 0x2000)) if c.islower() and c.isalpha())
_SYLLABLE = rf"[{_UPPER}][{_LOWER}]*(?!\w)"
_RUN = re.compile(rf"(?<!\w){_SYLLABLE}(?:[ \t\u00a0]+{_SYLLABLE})+")  # two or more

# administrative units, streets, schools, whose name follows ("huyện Lộc Hà", "TX Đông Triều")
_ADMIN = {"huyện": "huyện", "xã": "xã", "tỉnh": "tỉnh", "thành phố": "thành phố",
          "thị xã": "thị xã", "thị trấn": "thị trấn", "thôn": "thôn", "phường": "phường",
          "quận": "quận", "xóm": "xóm", "bản": "bản", "ấp": "ấp", "làng": "làng",
          "khu phố": "khu phố", "tổ dân phố": "tổ dân phố", "tp": "thành phố",
          "tx": "thị xã", "tt": "thị trấn", "châu": "châu", "đường": "đường", "phố": "phố",
          "đại lộ": "đại lộ", "cầu": "cầu", "trường": "trường", "thpt": "trường",
          "thcs": "trường", "đh": "trường", "đhdl": "trường",
          # named like people, but neither people nor places
          "công ty": "", "tập đoàn": "", "hợp tác xã": "", "htx": "", "bệnh viện": "",
          "tuyến": ""}
# organisations, followed by a place or by a person ("Tỉnh ủy Hà Văn Hùng")
_ORGANISATIONS = {"huyện ủy": "huyện", "tỉnh ủy": "tỉnh", "thành ủy": "thành phố",
                  "thị ủy": "thị xã", "quận ủy": "quận", "đảng ủy": "", "đảng bộ": "",
                  "chi bộ": "", "ubnd": "", "hđnd": "", "ủy ban nhân dân": "",
                  "hội đồng nhân dân": "", "mttq": "", "huyện đoàn": "huyện",
                  "tỉnh đoàn": "tỉnh", "thành đoàn": "thành phố"}
# personal titles: any capitalised run after them is a name
_PERSONAL = ("ông", "bà", "anh", "chị", "cô", "chú", "cháu", "cụ", "thầy",
             "đồng chí", "đ/c", "ảnh:")
# offices and professions: evidence for a two-syllable name
_OFFICES = ("bí thư", "chủ tịch", "thủ tướng", "bộ trưởng", "thứ trưởng", "giám đốc",
            "trưởng ban", "trưởng phòng", "trưởng thôn", "trưởng ấp", "trưởng bản", "tổ trưởng",
            "chủ nhiệm", "chánh văn phòng", "chánh án", "viện trưởng", "tư lệnh", "chính ủy",
            "đại biểu", "ủy viên", "tuv", "huv", "đại tướng", "thượng tướng", "trung tướng",
            "thiếu tướng", "đại tá", "thượng tá", "trung tá", "thiếu tá", "đại úy", "nhà báo",
            "nhà văn", "nhà thơ", "nhạc sĩ", "họa sĩ", "nghệ sĩ", "ca sĩ", "tác giả", "giáo sư",
            "gs", "pgs", "ts", "ths", "bs", "bác sĩ", "luật sư", "kỹ sư", "hlv", "cầu thủ",
            "thủ môn", "vđv", "sn", "sinh năm", "trú tại")
_SENTENCE_END = tuple(".!?:;…\"'“”‘’([-–—•*\n")


def _word_list(name: str) -> frozenset[str]:
    text = (resources.files("vnparty") / "resources" / name).read_text(encoding="utf-8")
    words = (" ".join(line.split("#", 1)[0].split()) for line in text.splitlines())
    return frozenset(normalize_tone_marks(w) for w in words if w)


@lru_cache(maxsize=1)
def family_names() -> frozenset[str]:
    """The bundled family names ("Nguyễn", "Hà" …), as written."""
    return _word_list("family_names.txt")


@lru_cache(maxsize=1)
def known_places() -> frozenset[str]:
    """The bundled places that look like a person's name ("Hà Nội", "Cao Bằng" …)."""
    return _word_list("place_names.txt")


def _ending(words) -> re.Pattern:
    """A pattern for a text that ends with one of ``words`` as a whole word (the longest)."""
    alternatives = "|".join(map(re.escape, sorted(words, key=len, reverse=True)))
    return re.compile(rf"(?<![^\W_])(?:{alternatives})\Z")


def _ends_with(before: str, pattern: re.Pattern) -> str | None:
    """The word of ``pattern`` that ``before`` (lower case, no trailing space) ends with."""
    match = pattern.search(before)
    return match.group() if match else None


def _preceding(text: str, start: int) -> str:
    return " ".join(text[max(0, start - 40):start].lower().split())


def _sentence_start(text: str, start: int) -> bool:
    before = text[max(0, start - 5):start].rstrip(" \t\u00a0")
    return not before or before.endswith(_SENTENCE_END)


class Found(NamedTuple):
    """What :func:`find_names` finds: ``(start, end)`` of each person's name and
    ``(start, end, kind)`` of each place ("huyện", "xã" …), in text order."""
    people: list[tuple[int, int]]
    places: list[tuple[int, int, str]]


_ADMIN_WORDS, _ORGANISATION_WORDS = _ending(_ADMIN), _ending(_ORGANISATIONS)
_PERSONAL_WORDS, _OFFICE_WORDS = _ending(_PERSONAL), _ending(_OFFICES)
_HOUSE_NUMBER = re.compile(r"(?<!\S)\d+[a-z]?(?:/\d+[a-z]?)*\Z")  # "40A Phạm Ngọc Thạch"
_OFFICE_FIRST = re.compile(rf"(?:{'|'.join(map(re.escape, _OFFICES))})(?![^\W_])")
_ADMIN_SYLLABLES = {"huyện", "xã", "tỉnh", "thôn", "phường", "quận", "xóm", "làng"}  # "Huyện X"


def _pieces(text: str, tokens: Sequence[tuple[int, int]] | None):
    """Runs of capitalised syllables, each a list of syllable spans, cut where a token joins one
    of its syllables to something outside the run."""
    starts = None
    for run in _RUN.finditer(text):
        syllables = [(m.start() + run.start(), m.end() + run.start())
                     for m in re.finditer(r"\S+", run.group())]
        if tokens is None:
            yield syllables
            continue
        if starts is None:
            starts = [s for s, _ in tokens]
        piece = []
        for a, b in syllables:
            k = bisect.bisect_right(starts, a) - 1
            s, e = tokens[k] if k >= 0 else (a, b)
            if s >= run.start() and e <= run.end() and s <= a and b <= e \
                    or not _joins_a_word(text, s, e, run.start(), run.end()):
                piece.append((a, b))
            else:
                if piece:
                    yield piece
                piece = []
        if piece:
            yield piece


@lru_cache(maxsize=1)
def _words() -> frozenset[str]:
    """Words of more than one syllable, lower case: pyvi's dictionary and the lexicon's terms."""
    from .lexicon import default_lexicon
    from .segmenters import pyvi_dictionary

    words = {normalize_tone_marks(w.lower()) for w in pyvi_dictionary() if " " in w}
    return frozenset(words | {" ".join(t) for t in default_lexicon().terms if len(t) > 1})


def _joins_a_word(text: str, start: int, end: int, run_start: int, run_end: int) -> bool:
    """Does the token ``text[start:end]``, which crosses the run of capitalised syllables
    ``[run_start, run_end)``, join them to the rest as a word ("Thanh_niên" in "Đoàn
    Thanh niên")? Or did the segmenter only stick a word to a name ("Tô_Lâm_dự")?"""
    syllables = [(m.start() + start, m.group().lower())
                 for m in re.finditer(r"\S+", text[start:end])]
    if " ".join(w for _, w in syllables) in _words():
        return True
    inside = [run_start <= a < run_end for a, _ in syllables]
    return any(inside[i] != inside[i + 1] and f"{syllables[i][1]} {syllables[i + 1][1]}" in _words()
               for i in range(len(syllables) - 1))


def find_names(text: str, tokens: Sequence[tuple[int, int]] | None = None, *,
               protected: frozenset[str] = PROTECTED_NAMES) -> Found:
    """People's names and places in ``text`` (already normalised). ``tokens``: a segmenter's
    ``(start, end)`` spans of ``text`` (see :func:`vnparty.segment_spans`), which tell where a
    capitalised syllable belongs to a lower-case word."""
    family, places_known = family_names(), known_places()
    candidates, places = [], []  # (span list, evidence)
    for piece in _pieces(text, tokens):
        if len(piece) < 2:  # (a given name alone is found below)
            continue
        words = [text[a:b] for a, b in piece]
        before = _preceding(text, piece[0][0])
        kind = None
        if words[0].lower() in _ADMIN_SYLLABLES and len(words) > 1:  # "Huyện Châu Thành"
            kind, piece, words, before = words[0].lower(), piece[1:], words[1:], words[0].lower()
        admin = _ends_with(before, _ADMIN_WORDS) or _ends_with(before, _HOUSE_NUMBER)
        organisation = None if admin else _ends_with(before, _ORGANISATION_WORDS)
        if admin:
            kind = _ADMIN.get(admin, "")  # (a house number: a street, not reported)
        personal = _ends_with(before, _PERSONAL_WORDS)
        evidence = bool(personal or _ends_with(before, _OFFICE_WORDS))
        start = None
        if kind is not None or organisation:
            first = 0 if organisation and len(words) >= 3 and words[0] in family else 1
            start = next((j for j in range(first, len(words) - 1) if words[j] in family), None)
            place = piece[:start] if start is not None else piece
            kind = kind if kind is not None else _ORGANISATIONS[organisation]
            if place and kind and text[place[0][0]:place[-1][1]].lower() not in _ADMIN:
                places.append((place[0][0], place[-1][1], kind))
            evidence = evidence and start == 0
        elif words[0] in family or personal:
            start = 0
        elif len(words) >= 2 and _sentence_start(text, piece[0][0]):
            # capitalised as the first word of a sentence: "Ông Nguyễn Thanh Tùng", "Theo Lê …"
            evidence = words[0].lower() in _PERSONAL
            start = 1 if evidence or words[1] in family else None
        if start is not None and 2 <= len(words) - start <= 5:
            candidates.append((piece[start:], evidence))
    place_texts = {" ".join(text[a:b].split()) for a, b, _ in places} | places_known
    longest = max(map(str.count, place_texts, [" "] * len(place_texts))) + 1
    accepted, maybe = [], []
    for piece, evidence in candidates:
        name = " ".join(text[piece[0][0]:piece[-1][1]].split())
        words = name.split()
        if name in protected or any(" ".join(words[:n]) in place_texts
                                    for n in range(1, min(len(words), longest) + 1)):
            continue  # a place, or a place run into the next sentence ("Thái Lan Các")
        after = " ".join(text[piece[-1][1]:piece[-1][1] + 40].lower().split())
        after = after.lstrip(" ,-–—(")
        evidence = evidence or bool(_OFFICE_FIRST.match(after))
        (accepted if len(piece) >= 3 or evidence else maybe).append((piece, name))
    names = {name for _, name in accepted}
    accepted += [(p, n) for p, n in maybe if n in names]  # a name already found in the text
    people = [(p[0][0], p[-1][1]) for p, _ in accepted]
    given = {n.rsplit(" ", 1)[1] for n in names}  # "ông Tùng" after "Nguyễn Thanh Tùng"
    if given:
        alone = "|".join(map(re.escape, sorted(given)))
        for match in re.finditer(rf"(?<!\w)(?:{alone})(?!\w)", text):
            if _ends_with(_preceding(text, match.start()), _PERSONAL_WORDS):
                people.append(match.span())
    return Found(_disjoint(people), sorted(places))


def _disjoint(spans: list[tuple[int, int]]) -> list[tuple[int, int]]:
    out = []
    for span in sorted(set(spans)):
        if not out or span[0] >= out[-1][1]:
            out.append(span)
    return out


def _normalised(text: str) -> str:
    if not isinstance(text, str):
        raise TypeError(f"expected a str, not {type(text).__name__}")
    return normalize_tone_marks(normalize_unicode(text))


def person_names(text: str) -> list[str]:
    """The people a text names, in order of first mention, each once (the given name alone,
    "ông Tùng", is not listed again). Hồ Chí Minh is not listed.

    Examples
    --------
    >>> person_names("Dự hội nghị có Trưởng ban Tuyên giáo Tỉnh ủy Hà Văn Hùng. Tổng Bí thư Tô Lâm.")
    ['Hà Văn Hùng', 'Tô Lâm']
    """
    text = _normalised(text)
    found = (" ".join(text[a:b].split()) for a, b in find_names(text).people)
    return list(dict.fromkeys(name for name in found if " " in name))


def place_names(text: str) -> list[str]:
    """The places a text names after "huyện", "xã", "thôn", "Huyện ủy" …, with their kind, in
    order of first mention, each once.

    Examples
    --------
    >>> place_names("Chi bộ thôn Đầm Buôn, xã Đầm Hà; Huyện ủy Lộc Hà")
    ['thôn Đầm Buôn', 'xã Đầm Hà', 'huyện Lộc Hà']
    """
    text = _normalised(text)
    found = (" ".join([kind, *text[a:b].split()]).strip() for a, b, kind in find_names(text).places)
    return list(dict.fromkeys(found))


def join_names(text: str, tokens: list[tuple[int, int]]) -> tuple[list[tuple[int, int]], set[int]]:
    """``tokens`` (spans of ``text``) with each person's name as one token, wherever the
    segmenter cut it ("Hà_Văn" + "Hùng" → "Hà_Văn_Hùng"), and the positions of those tokens."""
    people = find_names(text, tokens).people
    if not people:
        return tokens, set()
    starts, ends = [s for s, _ in tokens], [e for _, e in tokens]
    out, names, done, cursor = [], set(), 0, 0  # tokens[:done] are placed, text[:cursor] too
    for a, b in people:
        i = bisect.bisect_right(ends, a)  # the first token that ends after the name starts
        if i >= done:
            if done and cursor < ends[done - 1]:  # the rest of a token the last name cut
                out += _trimmed(text, cursor, ends[done - 1])
            out += tokens[done:i]
            cursor = starts[i] if i < len(tokens) else a
        out += _trimmed(text, cursor, a)
        names.add(len(out))
        out.append((a, b))
        done, cursor = max(done, bisect.bisect_left(starts, b)), b
    if done and cursor < ends[done - 1]:
        out += _trimmed(text, cursor, ends[done - 1])
    return out + tokens[done:], names


def _trimmed(text: str, start: int, end: int) -> list[tuple[int, int]]:
    """``[(start, end)]`` without the white space at either end; ``[]`` when nothing is left."""
    piece = text[start:end]
    if not piece.strip():
        return []
    return [(start + len(piece) - len(piece.lstrip()), end - len(piece) + len(piece.rstrip()))]


def signature() -> str:
    """What the names found depend on (the rule's version and the bundled lists), for caches."""
    import hashlib

    lists = "\n".join(sorted(family_names()) + ["--"] + sorted(known_places()))
    return "names-1-" + hashlib.sha256(lists.encode("utf-8")).hexdigest()[:16]
