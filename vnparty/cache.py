"""An on-disk cache of segmented text, keyed by content hash and pipeline settings.

One SQLite file (the standard library's) with two tables: the words seen, each with a number,
and for each text the numbers of its tokens (4 bytes each). Reading a text back then makes no new
string: its tokens are the words already loaded, which is several times faster than splitting
stored text and takes less memory. Each batch of entries is written in one transaction, so a
failed or interrupted write leaves no entry (and no word) behind; every entry and every word
carries a checksum, so a damaged entry, or one that holds a damaged word, is detected, dropped
and recomputed. Several processes may share the file: words are numbered under SQLite's write
lock, and each process reads the words the others added when it needs them.
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

_FORMAT = 3  # PRAGMA user_version; format 1 kept the tokens as text
# (AUTOINCREMENT: SQLite remembers the highest number ever given, so that a number whose row was
# lost is never given to another word)
_TABLES = ("CREATE TABLE IF NOT EXISTS words (id INTEGER PRIMARY KEY AUTOINCREMENT, word TEXT, "
           "checksum INT)",
           "CREATE TABLE IF NOT EXISTS documents (key TEXT PRIMARY KEY, ids BLOB, checksum INT)")
_ID = np.dtype("<u4")


def text_key(text: str, signature: str) -> str:
    """Cache key of ``text`` under pipeline settings ``signature``."""
    return hashlib.sha256(f"{signature}\0{text}".encode("utf-8", "surrogatepass")).hexdigest()


def _checksum(key: str, value: bytes) -> int:
    # CRC-32: catches damage on disk (not tampering), and costs little per entry
    return zlib.crc32(value, zlib.crc32(key.encode("utf-8", "surrogatepass")))


def _word_checksum(number: int, word: str) -> int:
    return zlib.crc32(word.encode("utf-8", "surrogatepass"), number)


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
        self._forget_words()

    def _forget_words(self) -> None:
        self._words: list[str | None] = []  # word number i -> the word (None: unusable)
        self._numbers: dict[str, int] = {}  # and back
        self._unusable: set[int] = set()  # numbers of damaged words
        self._buffer = self._table = np.empty(0, dtype=object)  # see _grow_table

    def _connect(self) -> sqlite3.Connection:
        if self._connection is None:
            try:
                self._open()
            except sqlite3.DatabaseError as error:  # not a database
                warnings.warn(f"the cache {self.path} is damaged ({error}); it is started "
                              "afresh", stacklevel=3)
                self.close()
                self.path.unlink(missing_ok=True)
                self._open()
        return self._connection

    def _open(self) -> None:
        self._connection = connection = sqlite3.connect(self.path, timeout=30)
        with connection:  # under the write lock: two processes opening at once agree
            connection.execute("BEGIN IMMEDIATE")
            if connection.execute("PRAGMA user_version").fetchone()[0] != _FORMAT:
                for table in ("entries", "words", "documents"):  # an older format: dropped,
                    connection.execute(f"DROP TABLE IF EXISTS {table}")  # not misread
                for statement in _TABLES:
                    connection.execute(statement)
                connection.execute(f"PRAGMA user_version = {_FORMAT}")
        self._forget_words()
        self._load_new_words()

    def _load_new_words(self) -> None:
        """Read the words added since the last read (by this or another process). A damaged word
        is left unusable: the entries that hold it are recomputed, and the word, if it comes
        again, gets a new number."""
        rows = self._connection.execute("SELECT id, word, checksum FROM words WHERE id >= ? "
                                        "ORDER BY id", (len(self._words),)).fetchall()
        damaged = 0
        for number, word, checksum in rows:
            self._skip_to(number)
            if not isinstance(word, str) or checksum != _word_checksum(number, word):
                damaged += 1
                self._unusable.add(number)
                word = None
            else:
                self._numbers[word] = number
            self._words.append(word)
        highest = self._connection.execute(
            "SELECT seq FROM sqlite_sequence WHERE name = 'words'").fetchone()
        self._skip_to(highest[0] + 1 if highest else 0)  # the last rows may be lost
        if damaged:
            warnings.warn(f"{damaged} damaged words in the cache {self.path}: the entries that "
                          "hold them are recomputed", stacklevel=4)
        self._grow_table()

    def _skip_to(self, number: int) -> None:
        """Numbers below ``number`` whose rows are missing: unusable, never given again."""
        while len(self._words) < number:
            self._unusable.add(len(self._words))
            self._words.append(None)

    def _grow_table(self) -> None:
        """``self._table``: the words as an array, to index by numbers (its buffer doubles)."""
        filled = len(self._table)
        if len(self._words) > len(self._buffer):
            buffer = np.empty(max(1024, 2 * len(self._words)), dtype=object)
            buffer[:filled] = self._table
            self._buffer = buffer
        self._buffer[filled:len(self._words)] = self._words[filled:]
        self._table = self._buffer[:len(self._words)]

    def get_many(self, keys: list[str]) -> dict[str, list[str]]:
        """The sound entries among ``keys``; damaged ones are deleted (and so recomputed)."""
        found, damaged = {}, []
        self._connect()
        for start in range(0, len(keys), 500):
            batch = keys[start:start + 500]
            rows = self._connection.execute(
                f"SELECT key, ids, checksum FROM documents WHERE key IN "
                f"({','.join('?' * len(batch))})", batch).fetchall()
            for key, value, checksum in rows:
                if not isinstance(value, bytes) or len(value) % 4 \
                        or checksum != _checksum(key, value):
                    damaged.append(key)
                    continue
                numbers = np.frombuffer(value, dtype=_ID)
                top = int(numbers.max()) if len(numbers) else -1
                if top >= len(self._words):
                    self._load_new_words()  # written by another process since
                if top >= len(self._words) \
                        or self._unusable and not self._unusable.isdisjoint(numbers.tolist()):
                    damaged.append(key)
                    continue
                found[key] = self._table[numbers].tolist()
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
        connection = self._connect()
        new: list[str] = []  # words numbered here, not yet in the file
        try:
            with connection:  # commits, or rolls back on any error
                connection.execute("BEGIN IMMEDIATE")  # no other writer until the commit
                self._load_new_words()  # those another process added just before
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
            self._grow_table()

    def __len__(self) -> int:
        return self._connect().execute("SELECT COUNT(*) FROM documents").fetchone()[0]

    def close(self) -> None:
        """Close the database connection (it reopens on next use)."""
        if self._connection is not None:
            self._connection.close()
            self._connection = None

    def __getstate__(self):  # a connection does not cross processes; the words are read anew
        return {"path": self.path}

    def __setstate__(self, state):
        self.path, self._connection = state["path"], None
        self._forget_words()

    def __repr__(self) -> str:
        return f"SegmentCache({str(self.path)!r})"
