"""Articles: the bundled corpus, a user's corpus (folder, CSV, JSONL, DataFrame) and units."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import math
import os
import re
import stat
import warnings
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from typing import Iterable, Iterator

import pandas as pd

from .clean import _DATELINE, clean_article, split_sentences
from .encodings import decode_bytes

__all__ = ["Article", "Unit", "load_articles", "read_articles", "iter_articles", "split_units",
           "bundled_data_path", "UNITS"]

UNITS = ("article", "paragraph", "sentence")
LARGE_TEXT = 1_000_000  # characters; a warning suggests splitting into units above this
_KNOWN = ("id", "title", "date", "source", "province", "district", "byline")
_SOURCES = "give a folder of .txt files, a .csv or .jsonl file, or a pandas DataFrame"
_LETTER = re.compile(r"[^\W\d_]")
_SURROGATE = re.compile("[\ud800-\udfff]")
_TIME = r"(?:\s*[,T\s-]\s*\d{1,2}:\d{2}(?::\d{2})?)?"
_YEAR_FIRST = re.compile(r"(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})" + _TIME)
_DAY_FIRST = re.compile(r"(?:ngày\s+)?(\d{1,2})[-/.](\d{1,2})[-/.](\d{4})" + _TIME, re.IGNORECASE)
_IN_WORDS = re.compile(r"(?:ngày\s+)?(\d{1,2})\s+tháng\s+(\d{1,2})\s*(?:,|năm)\s*(\d{4})",
                       re.IGNORECASE)


@dataclass(frozen=True)
class Article:
    """One cleaned article. ``text`` is the body, its paragraphs joined by blank lines."""

    id: str
    title: str | None
    paragraphs: tuple[str, ...]
    date: dt.date | None = None
    source: str | None = None
    province: str | None = None
    district: str | None = None
    byline: str | None = None
    metadata: dict = field(default_factory=dict, compare=False)

    @property
    def text(self) -> str:
        return "\n\n".join(self.paragraphs)


@dataclass(frozen=True)
class Unit:
    """A piece of an article that a topic model sees as one document."""

    article_id: str
    index: int
    text: str
    unit: str


def bundled_data_path() -> Path:
    """Folder of the bundled articles: inside the installed wheel, or ``data/`` of a checkout."""
    packaged = Path(str(resources.files("vnparty"))) / "_bundled"
    return packaged if packaged.is_dir() else Path(__file__).resolve().parent.parent / "data"


def _none_if_empty(value) -> str | None:
    if value is None or value is pd.NaT or value is pd.NA or (isinstance(value, float) and math.isnan(value)):
        return None
    value = str(value).strip()
    return value or None


def _parse_date(value) -> dt.date | None:
    """A date from a table: ISO (2024-02-13, also with a time), year first (2024/02/13) or, as
    Vietnamese write it, day first (13/02/2024, 13-2-2024, "ngày 13 tháng 2 năm 2024")."""
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    value = _none_if_empty(value)
    if value is None:
        return None
    try:
        return dt.datetime.fromisoformat(value).date()
    except ValueError:
        pass
    for pattern, order in ((_YEAR_FIRST, (0, 1, 2)), (_DAY_FIRST, (2, 1, 0)),
                           (_IN_WORDS, (2, 1, 0)), (_DATELINE, (2, 1, 0))):
        match = pattern.fullmatch(value)
        if match:
            year, month, day = (int(match.group(1 + i)) for i in order)
            try:
                return dt.date(year, month, day)
            except ValueError:
                break
    raise ValueError(f"date {value!r} is not a date; write it as YYYY-MM-DD or DD/MM/YYYY, "
                     "or leave it empty")


def load_articles() -> list[Article]:
    """The five bundled articles, cleaned, with the metadata of ``data/metadata.csv``.

    Examples
    --------
    >>> [a.id[:3] for a in load_articles()]
    ['000', '001', '002', '003', '004']
    """
    root = bundled_data_path()
    with open(root / "metadata.csv", encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    articles = []
    for row in rows:
        raw = (root / "articles" / row["source_file"]).read_bytes()
        cleaned = clean_article(decode_bytes(raw, name=row["source_file"])[0])
        articles.append(Article(
            id=row["id"], title=row["title"], paragraphs=cleaned.paragraphs,
            date=_parse_date(row["date"]), source=_none_if_empty(row["newspaper"]),
            province=_none_if_empty(row["province"]), district=_none_if_empty(row["district"]),
            byline=_none_if_empty(row["byline"]),
            metadata={"date_note": row["date_note"], "source_file": row["source_file"]}))
    return articles


def _article(text, article_id: str, where: str, record: dict, bad_dates: list) -> Article:
    if _none_if_empty(text) is None:
        raise ValueError(f"{where} has no text; remove it or fill it in")
    if not isinstance(text, str):
        raise ValueError(f"{where}: the text is a {type(text).__name__}, not a string; give the "
                         "article's text or remove the row")
    if not _LETTER.search(text):
        raise ValueError(f"{where} holds no letters (binary data, NUL bytes or only numbers and "
                         "signs); it is not an article: remove it")
    if len(text) > LARGE_TEXT:
        warnings.warn(f"{where} holds {len(text):,} characters in one text; it is processed in "
                      "chunks, but topics come out better on split_units(..., unit='paragraph')",
                      stacklevel=3)
    cleaned = clean_article(text, title=_none_if_empty(record.get("title")))
    if not cleaned.paragraphs and cleaned.title is None:
        raise ValueError(f"{where} holds nothing but page leftovers after cleaning")
    paragraphs = cleaned.paragraphs or (cleaned.title,)
    try:
        date = _parse_date(record.get("date"))
    except ValueError:
        bad_dates.append((record.get("date"), where))
        date = None
    extra = {k: v for k, v in record.items() if k not in _KNOWN and k != "text"}
    return Article(
        id=article_id,
        title=_none_if_empty(record.get("title")) or cleaned.title,
        paragraphs=paragraphs,
        date=date or cleaned.date,
        source=_none_if_empty(record.get("source")),
        province=_none_if_empty(record.get("province")),
        district=_none_if_empty(record.get("district")),
        byline=_none_if_empty(record.get("byline")) or cleaned.byline,
        metadata=extra)


def _name(path) -> str:
    """A path as text for ids and messages; bytes that are not UTF-8 are written as \\xNN, so
    the name is a valid string and different names stay different."""
    return os.fsencode(path).decode("utf-8", "backslashreplace")


def _read_text(path: Path, *, nfc: bool = True) -> str:
    """The decoded text of a regular file. The file is opened without blocking and refused if it
    is a FIFO, socket or device, which could otherwise be waited on for ever."""
    flags = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_BINARY", 0)
    with open(os.open(path, flags), "rb") as handle:
        if not stat.S_ISREG(os.fstat(handle.fileno()).st_mode):
            raise ValueError(f"{_name(path)} is not a regular file (a FIFO, socket or device); "
                             f"{_SOURCES}")
        data = handle.read()
    return decode_bytes(data, name=_name(path), nfc=nfc)[0]


def _id(value, generated: str, where: str) -> str:
    if _none_if_empty(value) is None:
        return generated
    if isinstance(value, (dict, list)):
        raise ValueError(f"{where}: the id is a {type(value).__name__}; give a string or a number")
    return str(value)


def _frame_rows(frame: pd.DataFrame, text_column: str) -> Iterator[tuple[str, str, dict]]:
    if text_column not in frame.columns:
        raise ValueError(f"DataFrame has no {text_column!r} column; its columns are "
                         f"{list(frame.columns)}. Name the text column with text_column=...")
    for position, record in enumerate(frame.to_dict("records")):
        where = f"DataFrame row {position}"
        yield _id(record.get("id"), f"DataFrame#{position}", where), where, record


def _csv_rows(path: Path, text_column: str) -> Iterator[tuple[str, str, dict]]:
    name, text = _name(path), _read_text(path, nfc=False)
    limit = csv.field_size_limit()
    csv.field_size_limit(max(limit, len(text) + 1))  # a field may be one long article
    try:
        rows = csv.reader(io.StringIO(text, newline=""))
        header = next(rows, None)
        if not header:
            raise ValueError(f"{name} is empty; a CSV needs a header line naming its columns "
                             f"(one of them {text_column!r}) and one row per article")
        header = [column or f"Unnamed: {i}" for i, column in enumerate(header)]
        twice = sorted({column for column in header if header.count(column) > 1})
        if twice:
            raise ValueError(f"{name}: the header names the column(s) {twice} twice; give each "
                             "column its own name")
        if text_column not in header:
            raise ValueError(f"{name} has no {text_column!r} column; its columns are {header}. "
                             "Name the text column with text_column=...")
        records = []
        for row in rows:
            if not row:
                continue  # a blank line
            where = f"{name}, row {len(records) + 1} (line {rows.line_num})"
            if len(row) != len(header):
                raise ValueError(f"{where} has {len(row)} fields where the header has "
                                 f"{len(header)}; give one value per column (quote a text that "
                                 "holds commas or line breaks)")
            records.append((where, dict(zip(header, row))))
    except csv.Error as error:
        raise ValueError(f"{name}, line {rows.line_num}: not a readable CSV ({error})") from error
    finally:
        csv.field_size_limit(limit)
    for number, (where, record) in enumerate(records, 1):
        yield _id(record.get("id"), f"{_name(path.stem)}#{number}", where), where, record


def _jsonl_rows(path: Path, text_column: str) -> Iterator[tuple[str, str, dict]]:
    name = _name(path)
    # only "\n" ends a line: U+2028, U+0085, form feed and the like may stand inside a string
    for number, line in enumerate(_read_text(path, nfc=False).split("\n"), 1):
        line = line.removesuffix("\r")
        if not line.strip():
            continue
        where = f"{name}, line {number}"
        try:
            record = json.loads(line, strict=False)  # tabs and the like may stand in strings
        except json.JSONDecodeError as error:
            raise ValueError(f"{where}: not valid JSON ({error.msg}, column {error.colno}); each "
                             "line must be one JSON object") from error
        if not isinstance(record, dict):
            raise ValueError(f"{where} is a JSON {type(record).__name__}, not an object; each "
                             "line must be one JSON object such as {\"id\": ..., \"text\": ...}")
        if text_column not in record:
            raise ValueError(f"{where}: no {text_column!r} field; name the text field with "
                             "text_column=...")
        if any(_SURROGATE.search(v) for v in record.values() if isinstance(v, str)):
            raise ValueError(f"{where} holds a lone surrogate (an escape such as \\ud800 "
                             "that is half of a character); fix the program that wrote it")
        yield _id(record.get("id"), f"{_name(path.stem)}#{number}", where), where, record


def _folder_rows(path: Path, text_column: str) -> Iterator[tuple[str, str, dict]]:
    entries = [(p, p.is_file()) for p in sorted(path.iterdir()) if p.suffix.lower() == ".txt"]
    files = [p for p, regular in entries if regular]
    others = [_name(p.name) for p, regular in entries if not regular]
    if others:
        warnings.warn(f"{_name(path)}: skipped {len(others)} .txt name(s) that are not regular "
                      f"files (folders, FIFOs, sockets, devices or broken links): "
                      f"{', '.join(others[:5])}{' ...' if len(others) > 5 else ''}", stacklevel=3)
    if not files:
        raise ValueError(f"{_name(path)} holds no .txt files; put one article per .txt file "
                         "there, or pass a .csv / .jsonl file")
    for file in files:
        yield _name(file.stem), _name(file), {text_column: _read_text(file)}


def _rows(source, text_column: str) -> Iterator[tuple[str, str, dict]]:
    if isinstance(source, pd.DataFrame):
        return _frame_rows(source, text_column)
    path = Path(source)
    if not path.exists():
        raise FileNotFoundError(f"{_name(path)} does not exist; {_SOURCES}")
    if path.is_dir():
        return _folder_rows(path, text_column)
    suffix = path.suffix.lower()
    if suffix not in (".csv", ".jsonl", ".ndjson"):
        raise ValueError(f"{_name(path)}: cannot read {path.suffix or 'files without a suffix'}; "
                         f"{_SOURCES}")
    if not path.is_file():
        raise ValueError(f"{_name(path)} is not a regular file (a FIFO, socket or device); "
                         f"{_SOURCES}")
    return _csv_rows(path, text_column) if suffix == ".csv" else _jsonl_rows(path, text_column)


def iter_articles(source, *, text_column: str = "text") -> Iterator[Article]:
    """Like :func:`read_articles`, one article at a time (a folder is read one file at a
    time)."""
    origin = "DataFrame" if isinstance(source, pd.DataFrame) else _name(source)
    seen: dict[str, str] = {}
    bad_dates: list = []
    for article_id, where, record in _rows(source, text_column):
        if article_id in seen:
            raise ValueError(f"id {article_id!r} is used twice, by {seen[article_id]} and by "
                             f"{where}; give every article its own id, or leave the id empty to "
                             "have one made")
        seen[article_id] = where
        record = {**record, "id": article_id}
        yield _article(record.pop(text_column), article_id, where, record, bad_dates)
    if not seen:
        raise ValueError(f"{origin} holds no articles; {_SOURCES} with at least one text")
    if bad_dates:
        value, where = bad_dates[0]
        warnings.warn(f"{origin}: {len(bad_dates)} date(s) could not be read and are left "
                      f"empty, e.g. {value!r} in {where}; write dates as YYYY-MM-DD or "
                      "DD/MM/YYYY", stacklevel=2)


def read_articles(source, *, text_column: str = "text") -> list[Article]:
    """A user's corpus, cleaned: a folder of ``.txt`` files (one article each), a ``.csv`` or
    ``.jsonl`` file or a pandas DataFrame with a text column. Other columns become metadata
    (``id``, ``title``, ``date``, ``source``, ``province``, ``district`` and ``byline`` are
    recognised; the rest go to ``Article.metadata``). Files need not be UTF-8: UTF-16 and the
    legacy Vietnamese encodings are recognised.

    Only regular files are read: in a folder, ``*.txt`` names (any case) that are FIFOs,
    sockets, devices or folders are skipped with a warning; such a file given as the CSV/JSONL
    is a ValueError. Ids are unique: an empty id becomes ``<file stem>#<line or row>``
    (``DataFrame#<position>``), a repeated one is a ValueError naming both rows, and a file name
    that is not UTF-8 gives an id with ``\\xNN`` for the odd bytes. Dates are read day first
    (13/02/2024) unless the year comes first (2024-02-13); dates that cannot be read are left
    empty and counted in one warning. A text that is missing, not a string, or holds no letters
    is a ValueError naming its file and row.
    """
    return list(iter_articles(source, text_column=text_column))


def split_units(articles: Iterable[Article], unit: str = "paragraph") -> list[Unit]:
    """Cut articles into the documents a topic model sees: whole articles, paragraphs or
    sentences. ``Unit.index`` counts within its article."""
    if unit not in UNITS:
        raise ValueError(f"unit must be one of {UNITS}, not {unit!r}")
    units = []
    for article in articles:
        if unit == "article":
            pieces = [article.text]
        elif unit == "paragraph":
            pieces = list(article.paragraphs)
        else:
            pieces = [s for p in article.paragraphs for s in split_sentences(p)]
        units += [Unit(article.id, i, text, unit) for i, text in enumerate(pieces)]
    return units
