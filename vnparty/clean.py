"""Web-page leftovers, duplicates and metadata found in the text itself.

:func:`clean_article` turns one raw page text into title, date, byline and body paragraphs, and
records every line it dropped with the reason, so that the cleaning can be audited.
"""

from __future__ import annotations

import datetime as dt
import re
from collections import Counter
from dataclasses import dataclass, field

from .lexicon import default_lexicon, syllable_key
from .normalize import normalize_text

__all__ = ["CleanedText", "clean_article", "LEFTOVER_PATTERNS", "near_duplicate",
           "split_sentences"]

#: Whole lines that are page furniture, never article text: (reason, pattern).
LEFTOVER_PATTERNS: tuple[tuple[str, re.Pattern], ...] = tuple(
    (reason, re.compile(pattern, re.IGNORECASE)) for reason, pattern in [
        ("row of dots", r"[.\s…·•]+"),
        ("comment widget", r"\{name\}\s*-?\s*\{time\}|\{body\}|Trả lời|\d+ bình luận"
                           r"|Ý kiến của bạn.*|Gửi bình luận|Bình luận"),
        ("related news", r"Tin liên quan|Tin tức liên quan|Tin cùng chuyên mục|Bài liên quan"),
        ("navigation", r"Xem thêm\b.*|Thời tiết|Địa phương|Chia sẻ thông tin với bạn bè!?"
                       r"|Chia sẻ|Tắt \[X\]|In bài viết|Quay lại|Về đầu trang"),
    ])
_WIDGET_TAIL = re.compile(r"\s*\{name\}\s*-?\s*\{time\}\s*$")
_SITE_PREFIX = re.compile(r"^\((?:[\w-]+\.)+(?:vn|com|net|org)\)\s*[-–—]\s*", re.IGNORECASE)
_DASH_PREFIX = re.compile(r"^[-–—]\s+")
_DATELINE = re.compile(
    r"^(?:(?:Thứ \w+|Chủ nhật),\s*)?(\d{1,2})/(\d{1,2})/(\d{4})"
    r"(?:\s*(?:,|-)\s*\d{1,2}:\d{2}(?:\s*\[?GMT\s*\+\s*\d+\]?)?)?$", re.IGNORECASE)
_BYLINE = re.compile(r"^(?:(?:Bài và ảnh|Bài, ảnh|Bài|Tin, ảnh|Tin và ảnh|Tin)\s*:\s*)?"
                     r"((?:[A-ZĐ][\w]*\s+){1,3}[A-ZĐ][\w]*)$")
_SENTENCE = re.compile(r"(?<=[.!?…])[\"”’)]?\s+(?=[\"“‘(]?[A-ZĐÀ-Ỹ0-9])")


@dataclass(frozen=True)
class CleanedText:
    """The parts of one page text; ``dropped`` lists ``(line, reason)`` for every line removed."""

    title: str | None
    date: dt.date | None
    byline: str | None
    paragraphs: tuple[str, ...]
    dropped: tuple[tuple[str, str], ...] = field(default=())


def split_sentences(text: str) -> list[str]:
    """Sentences of a paragraph: cut after . ! ? … followed by a capital, digit or quote."""
    return [s.strip() for s in _SENTENCE.split(text) if s.strip()]


def _syllable_bigrams(text: str) -> set[tuple[str, str]]:
    lexicon = default_lexicon()
    words = []
    for raw in re.findall(r"[\w-]+", text):
        expansion = lexicon.abbreviations.get(raw, (raw, ""))[0]
        words.extend(syllable_key(w) for w in re.findall(r"\w+", expansion))
    return set(zip(words, words[1:]))


def near_duplicate(a: str, b: str, threshold: float = 0.6) -> bool:
    """True when the texts are of like length and most syllable pairs of the shorter stand in the
    longer, after abbreviations are expanded (a photo caption printed twice with small changes)."""
    return _near_pairs(_syllable_bigrams(a), _syllable_bigrams(b), threshold)


def _near_pairs(x: set, y: set, threshold: float = 0.6) -> bool:
    if min(len(x), len(y)) < 4 or min(len(x), len(y)) < 0.5 * max(len(x), len(y)):
        return False
    return len(x & y) / min(len(x), len(y)) >= threshold


def _is_heading(line: str) -> bool:
    return (len(line.split()) <= 25 and not line.rstrip().endswith((".", "!", "?", ":", ";", "…"))
            and not _DATELINE.match(line))


def _parse_date(match: re.Match) -> dt.date | None:
    day, month, year = (int(g) for g in match.groups())
    try:
        return dt.date(year, month, day)
    except ValueError:
        return None


def clean_article(raw: str, *, window: int = 3, title: str | None = None) -> CleanedText:
    """Split a page text into title, date, byline and body paragraphs.

    Drops page furniture (:data:`LEFTOVER_PATTERNS`), the site prefix "(Baothanhhoa.vn) -",
    the dateline, and paragraphs printed twice: exact repeats anywhere, and near repeats
    (:func:`near_duplicate`) within ``window`` paragraphs, keeping the longer text once. A
    paragraph that begins with an earlier heading glued to it keeps only the rest.

    ``title``: the title when it is known from elsewhere (a metadata column); then no line of
    the body is taken for the title, except a first line equal to it.
    """
    known = normalize_text(title) if title else None
    lines = [line for line in normalize_text(raw).split("\n") if line.strip()]
    dropped: list[tuple[str, str]] = []
    title = date = byline = None
    body: list[str] = []
    for index, line in enumerate(lines):
        if _WIDGET_TAIL.search(line):
            dropped.append((_WIDGET_TAIL.search(line).group(0).strip(), "comment widget"))
            line = _WIDGET_TAIL.sub("", line)
            if not line:
                continue
        reason = next((r for r, p in LEFTOVER_PATTERNS if p.fullmatch(line.strip())), None)
        if reason:
            dropped.append((line, reason))
            continue
        dateline = _DATELINE.match(line)
        if dateline:
            date = date or _parse_date(dateline)
            dropped.append((line, "dateline"))
            continue
        for prefix in (_SITE_PREFIX, _DASH_PREFIX):
            if prefix.match(line):
                dropped.append((prefix.match(line).group(0).strip(), "site prefix"))
                line = prefix.sub("", line)
        if index == 0 and (line == known or (known is None and _is_heading(line))):
            title = line
            continue
        body.append(line)
    body, duplicates = _drop_repeats(body, window)
    dropped += duplicates
    if body and _BYLINE.match(body[-1]) and len(body[-1].split()) <= 8:
        byline = _BYLINE.match(body[-1]).group(1)
        dropped.append((body.pop(), "byline"))
    if title is None and known is None:  # no headline on top: a heading among the first
        heading = next((p for p in body[:3] if _is_heading(p) and len(p.split()) >= 4), None)
        if heading is not None:
            title = heading
            body.remove(heading)
            dropped.append((heading, "title"))
    if date is None and body:  # an event date in the lead: "Chiều ngày 29/2/2024, ..."
        lead = re.match(r"^(?:Sáng|Chiều|Tối|Trưa)?\s*(?:ngày\s+)?(\d{1,2})/(\d{1,2})/(\d{4})",
                        body[0], re.IGNORECASE)
        if lead:
            date = _parse_date(lead)
    return CleanedText(known or title, date, byline, tuple(body), tuple(dropped))


_PREFIX = 8  # kept headings are found by their first characters


def _drop_repeats(paragraphs: list[str], window: int):
    """Exact repeats (anywhere), headings glued to a later paragraph and near repeats (within
    ``window``). Linear in the number of paragraphs: kept texts and headings are looked up in
    dicts, and only the last ``window`` paragraphs are compared word by word."""
    kept: list[str] = []
    pairs: list[set] = []  # syllable pairs of each kept paragraph
    count: Counter = Counter()  # kept texts
    headings: dict[str, set[int]] = {}  # kept headings -> their positions in kept
    lengths: dict[str, Counter] = {}  # first characters of kept headings -> their lengths

    def keep(position: int, text: str, add: int) -> None:
        count[text] += add
        if not _is_heading(text):
            return
        key = text[:_PREFIX]
        if add > 0:
            headings.setdefault(text, set()).add(position)
            lengths.setdefault(key, Counter())[len(text)] += 1
            return
        headings[text].discard(position)
        if not headings[text]:
            del headings[text]
        lengths[key][len(text)] -= 1
        if not lengths[key][len(text)]:
            del lengths[key][len(text)]

    def glued_heading(paragraph: str) -> str | None:
        """The earliest kept heading that starts ``paragraph`` with no space after it."""
        found = None
        for key in {paragraph[:n] for n in range(1, _PREFIX + 1)}:
            for size in lengths.get(key, ()):
                head = paragraph[:size]
                if size < len(paragraph) and not paragraph[size].isspace() and head in headings:
                    first = min(headings[head])
                    if found is None or first < found[0]:
                        found = (first, head)
        return found and found[1]

    dropped = []
    for paragraph in paragraphs:
        if count[paragraph]:
            dropped.append((paragraph, "exact repeat"))
            continue
        glued = glued_heading(paragraph)
        if glued:
            dropped.append((glued, "heading glued to the next paragraph"))
            paragraph = paragraph[len(glued):].strip()
        mine = _syllable_bigrams(paragraph)
        near = next((i for i in range(len(kept) - 1, max(-1, len(kept) - 1 - window), -1)
                     if _near_pairs(pairs[i], mine)), None)
        if near is None:
            kept.append(paragraph)
            pairs.append(mine)
            keep(len(kept) - 1, paragraph, 1)
        elif len(paragraph) > len(kept[near]):
            dropped.append((kept[near], "near repeat"))
            keep(near, kept[near], -1)
            kept[near], pairs[near] = paragraph, mine
            keep(near, paragraph, 1)
        else:
            dropped.append((paragraph, "near repeat"))
    return kept, dropped
