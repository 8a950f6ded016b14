"""An on-disk cache of segmented text, keyed by content hash and pipeline settings.

One SQLite file (the standard library's) with two tables: the words seen, each with a number,
and for each text the numbers of its tokens (4 bytes each). Reading a text back then makes no new
string: its tokens are the words already loaded, which is several times faster than splitting
stored text and takes less memory. Each batch of entries is written in one transaction, so a
failed or interrupted write leaves no entry (and no word) behind; every entry and every word
carries a checksum, so a damaged entry is detected, dropped and recomputed, and a damaged word
list starts the cache afresh.
"""

from __future__ import annotations

import hashlib
import sqlite3
import warnings
import zlib
from pathlib import Path
from typing import Iterable

import numpy as np

__all__ = ["SegmentCache", "text_key"]

_FORMAT = 2  # PRAGMA user_version; format 1 kept the tokens as text
_SCHEMA = ("CREATE TABLE IF NOT EXISTS words (id INTEGER PRIMARY KEY, word TEXT, checksum INT);"
           "CREATE TABLE IF NOT EXISTS documents (key TEXT PRIMARY KEY, ids BLOB, checksum INT);"
           f"PRAGMA user_version = {_FORMAT}")
_ID = np.dtype("<u4")


def text_key(text: str, signature: str) -> str:
    """Cache key of ``text`` under pipeline settings ``signature``."""
    return hashlib.sha256(f"{signature}\0{text}".encode("utf-8", "surrogatepass")).hexdigest()


def _checksum(key: str, value: bytes) -> int:
    # CRC-32: catches damage on disk (not tampering), and costs little per entry
    return zlib.crc32(value, zlib.crc32(key.encode("utf-8", "surrogatepass")))


def _word_checksum(number: int, word: str) -> int:
    return zlib.crc32(word.encode("utf-8", "surrogatepass"), number)


class _Damaged(sqlite3.DatabaseError):
    """The word list of the cache file does not match its checksums."""


class SegmentCache:
    """Token lists stored by key. ``get_many`` returns what is there and sound;
    ``put_many`` stores a batch atomically."""

    def __init__(self, path: str | Path):
        """``path``: a folder (created if missing; the cache is ``segments.sqlite`` in it), or a
        file name with a suffix (``cache.sqlite``)."""
        self.path = Path(path)
        if self.path.is_dir() or not self.path.suffix:
            self.path = self.path / "segments.sqlite"
        self.path.parent.mkdir(parents=True, exist_ok=True)
        self._connection = None
        self._words: list[str] = []  # word number i -> the word
        self._numbers: dict[str, int] = {}  # and back
        self._table = np.empty(0, dtype=object)  # self._words as an array, to index by numbers

    def _connect(self) -> sqlite3.Connection:
        if self._connection is None:
            try:
                self._open()
            except sqlite3.DatabaseError as error:  # not a database, or damaged words
                self._start_afresh(error)
        return self._connection

    def _reload(self) -> None:
        """Read the words another process has added since (or start afresh if damaged)."""
        try:
            self._load_new_words()
        except _Damaged as error:
            self._start_afresh(error)

    def _start_afresh(self, error: Exception) -> None:
        warnings.warn(f"the cache {self.path} is damaged ({error}); it is started afresh",
                      stacklevel=4)
        self.close()
        self.path.unlink(missing_ok=True)
        self._open()

    def _open(self) -> None:
        self._connection = sqlite3.connect(self.path, timeout=30)
        if self._connection.execute("PRAGMA user_version").fetchone()[0] != _FORMAT:
            with self._connection:  # an older format: its entries are dropped, not misread
                self._connection.execute("DROP TABLE IF EXISTS entries")
                self._connection.execute("DROP TABLE IF EXISTS words")
                self._connection.execute("DROP TABLE IF EXISTS documents")
        self._connection.executescript(_SCHEMA)
        self._words, self._numbers = [], {}
        self._load_new_words()

    def _load_new_words(self) -> None:
        """Read the words added since the last read (by this or another process)."""
        rows = self._connection.execute("SELECT id, word, checksum FROM words WHERE id >= ? "
                                        "ORDER BY id", (len(self._words),)).fetchall()
        for number, word, checksum in rows:
            if number != len(self._words) or not isinstance(word, str) \
                    or checksum != _word_checksum(number, word):
                raise _Damaged(f"word number {number}")
            self._numbers[word] = number
            self._words.append(word)
        if rows:
            self._table = np.array(self._words, dtype=object)

    def get_many(self, keys: list[str]) -> dict[str, list[str]]:
        """The sound entries among ``keys``; damaged ones are deleted (and so recomputed)."""
        found, damaged = {}, []
        self._connect()
        for start in range(0, len(keys), 500):
            batch = keys[start:start + 500]
            rows = self._connection.execute(  # (self's: _reload may start the cache afresh)
                f"SELECT key, ids, checksum FROM documents WHERE key IN "
                f"({','.join('?' * len(batch))})", batch).fetchall()
            for key, value, checksum in rows:
                if not isinstance(value, bytes) or len(value) % 4 \
                        or checksum != _checksum(key, value):
                    damaged.append(key)
                    continue
                numbers = np.frombuffer(value, dtype=_ID)
                try:
                    found[key] = self._table[numbers].tolist()
                except IndexError:  # a word written by another process since: read it
                    self._reload()
                    try:
                        found[key] = self._table[numbers].tolist()
                    except IndexError:
                        damaged.append(key)
        if damaged:
            warnings.warn(f"{len(damaged)} damaged cache entries in {self.path} were recomputed",
                          stacklevel=3)
            with self._connection:
                self._connection.executemany("DELETE FROM documents WHERE key = ?",
                                             [(k,) for k in damaged])
        return found

    def put_many(self, entries: Iterable[tuple[str, list[str]]]) -> None:
        """Store ``(key, tokens)`` pairs in one transaction (all or nothing)."""
        entries = list(entries)
        if not entries:
            return
        self._connect()
        self._reload()  # (which may start the cache afresh, on a new connection)
        connection = self._connection
        new: list[str] = []  # words numbered here, not yet in the file
        try:
            with connection:  # commits, or rolls back on any error
                connection.execute("BEGIN IMMEDIATE")  # no other writer until the commit
                self._load_new_words()  # any another process added just before
                numbers, first = self._numbers, len(self._words)
                rows = []
                for key, tokens in entries:
                    for word in dict.fromkeys(tokens):
                        if word not in numbers:
                            numbers[word] = first + len(new)
                            new.append(word)
                    value = np.fromiter(map(numbers.__getitem__, tokens), _ID,
                                        len(tokens)).tobytes()
                    rows.append((key, value, _checksum(key, value)))
                connection.executemany(
                    "INSERT INTO words VALUES (?, ?, ?)",
                    [(first + i, w, _word_checksum(first + i, w)) for i, w in enumerate(new)])
                connection.executemany("INSERT OR REPLACE INTO documents VALUES (?, ?, ?)", rows)
        except BaseException:
            for word in new:  # not in the file: forget their numbers
                del self._numbers[word]
            raise
        if new:
            self._words += new
            self._table = np.array(self._words, dtype=object)

    def __len__(self) -> int:
        return self._connect().execute("SELECT COUNT(*) FROM documents").fetchone()[0]

    def close(self) -> None:
        """Close the database connection (it reopens on next use)."""
        if self._connection is not None:
            self._connection.close()
            self._connection = None

    def __getstate__(self):  # a connection does not cross processes
        return {"path": self.path, "_connection": None, "_words": [], "_numbers": {},
                "_table": np.empty(0, dtype=object)}

    def __repr__(self) -> str:
        return f"SegmentCache({str(self.path)!r})"
