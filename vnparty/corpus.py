"""Articles: the bundled corpus, a user's corpus (folder, CSV, JSONL, DataFrame) and units."""

from __future__ import annotations

import csv
import datetime as dt
import json
import warnings
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from typing import Iterable, Iterator

import pandas as pd

from .clean import clean_article, split_sentences
from .encodings import decode_bytes

__all__ = ["Article", "Unit", "load_articles", "read_articles", "iter_articles", "split_units",
           "bundled_data_path", "UNITS"]

UNITS = ("article", "paragraph", "sentence")
LARGE_TEXT = 1_000_000  # characters; a warning suggests splitting into units above this
_KNOWN = ("id", "title", "date", "source", "province", "district", "byline")


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
    if value is None or (isinstance(value, float) and pd.isna(value)):
        return None
    value = str(value).strip()
    return value or None


def _parse_date(value) -> dt.date | None:
    value = _none_if_empty(value)
    if value is None:
        return None
    try:
        return pd.Timestamp(value).date()
    except ValueError as error:
        raise ValueError(f"date {value!r} is not a date; write it as YYYY-MM-DD or leave it "
                         "empty") from error


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


def _article(text: str, where: str, record: dict | None = None) -> Article:
    if not isinstance(text, str) or not text.strip():
        raise ValueError(f"{where} has no text; remove it or fill it in")
    if len(text) > LARGE_TEXT:
        warnings.warn(f"{where} holds {len(text):,} characters in one text; it is processed in "
                      "chunks, but topics come out better on split_units(..., unit='paragraph')",
                      stacklevel=3)
    record = dict(record or {})
    cleaned = clean_article(text, title=_none_if_empty(record.get("title")))
    if not cleaned.paragraphs and cleaned.title is None:
        raise ValueError(f"{where} holds nothing but page leftovers after cleaning")
    paragraphs = cleaned.paragraphs or (cleaned.title,)
    extra = {k: v for k, v in record.items() if k not in _KNOWN and k != "text"}
    return Article(
        id=str(record.get("id") or where),
        title=_none_if_empty(record.get("title")) or cleaned.title,
        paragraphs=paragraphs,
        date=_parse_date(record.get("date")) or cleaned.date,
        source=_none_if_empty(record.get("source")),
        province=_none_if_empty(record.get("province")),
        district=_none_if_empty(record.get("district")),
        byline=_none_if_empty(record.get("byline")) or cleaned.byline,
        metadata=extra)


def _read_text(path: Path) -> str:
    return decode_bytes(path.read_bytes(), name=str(path))[0]


def _records_from_frame(frame: pd.DataFrame, text_column: str, origin: str) -> Iterator[dict]:
    if text_column not in frame.columns:
        raise ValueError(f"{origin} has no {text_column!r} column; its columns are "
                         f"{list(frame.columns)}. Name the text column with text_column=...")
    for position, record in enumerate(frame.to_dict("records")):
        record.setdefault("id", None)
        if _none_if_empty(record["id"]) is None:
            record["id"] = f"{origin}#{position}"
        record["text"] = record.pop(text_column)
        yield record


def iter_articles(source, *, text_column: str = "text") -> Iterator[Article]:
    """Like :func:`read_articles`, one article at a time (a folder or JSONL is never held in
    memory whole)."""
    if isinstance(source, pd.DataFrame):
        for record in _records_from_frame(source, text_column, "DataFrame"):
            yield _article(record["text"], record["id"], record)
        return
    path = Path(source)
    if not path.exists():
        raise FileNotFoundError(f"{path} does not exist; give a folder of .txt files, a .csv or "
                                ".jsonl file, or a pandas DataFrame")
    if path.is_dir():
        files = sorted(path.glob("*.txt"))
        if not files:
            raise ValueError(f"{path} holds no .txt files; put one article per .txt file there, "
                             "or pass a .csv / .jsonl file")
        for file in files:
            yield _article(_read_text(file), file.stem, {"id": file.stem})
    elif path.suffix.lower() == ".csv":
        import io
        frame = pd.read_csv(io.StringIO(_read_text(path)), dtype=str, keep_default_na=False)
        for record in _records_from_frame(frame, text_column, str(path)):
            yield _article(record["text"], record["id"], record)
    elif path.suffix.lower() in (".jsonl", ".ndjson"):
        for number, line in enumerate(_read_text(path).splitlines(), 1):
            if not line.strip():
                continue
            try:
                record = json.loads(line)
            except json.JSONDecodeError as error:
                raise ValueError(f"{path}, line {number}: not valid JSON ({error.msg}); each line "
                                 "must be one JSON object") from error
            if not isinstance(record, dict) or text_column not in record:
                raise ValueError(f"{path}, line {number}: no {text_column!r} field; name the text "
                                 "field with text_column=...")
            record.setdefault("id", f"{path.stem}#{number}")
            yield _article(record.pop(text_column), str(record["id"]), record)
    else:
        raise ValueError(f"{path}: cannot read {path.suffix or 'files without a suffix'}; give a "
                         "folder of .txt files, a .csv or .jsonl file, or a pandas DataFrame")


def read_articles(source, *, text_column: str = "text") -> list[Article]:
    """A user's corpus, cleaned: a folder of ``.txt`` files (one article each), a ``.csv`` or
    ``.jsonl`` file or a pandas DataFrame with a text column. Other columns become metadata
    (``id``, ``title``, ``date``, ``source``, ``province``, ``district`` and ``byline`` are
    recognised; the rest go to ``Article.metadata``). Files need not be UTF-8: UTF-16 and the
    legacy Vietnamese encodings are recognised.
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
