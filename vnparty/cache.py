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

from .wordnumbers import NUMBER, Numbered, WordNumbers

__all__ = ["SegmentCache", "text_key"]

_FORMAT = 3  # PRAGMA user_version; format 1 kept the tokens as text
# (AUTOINCREMENT: SQLite remembers the highest number ever given, so that a number whose row was
# lost is never given to another word)
_TABLES = ("CREATE TABLE IF NOT EXISTS words (id INTEGER PRIMARY KEY AUTOINCREMENT, word TEXT, "
           "checksum INT)",
           "CREATE TABLE IF NOT EXISTS documents (key TEXT PRIMARY KEY, ids BLOB, checksum INT)")


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
    ``put_many`` stores a batch atomically. ``words`` numbers the words (see
    :mod:`vnparty.wordnumbers`); ``get_numbers_many`` and ``put_many`` give the tokens as
    numbers into ``words.table``."""

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
        self.words = WordNumbers()  # (a damaged word: None, and its number is unusable)
        self._unusable: set[int] = set()

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
        # the highest number first, then the rows up to it: a word another process commits
        # between the two reads is left for the next read, not taken for a lost row
        highest = self._connection.execute(
            "SELECT seq FROM sqlite_sequence WHERE name = 'words'").fetchone()
        highest = highest[0] if highest else -1
        rows = self._connection.execute("SELECT id, word, checksum FROM words WHERE id >= ? AND "
                                        "id <= ? ORDER BY id",
                                        (len(self.words), highest)).fetchall()
        damaged, following = 0, len(self.words)
        for number, word, checksum in rows:
            if number != following:  # (rows are missing before this one)
                self._skip_to(number)
            following = number + 1
            if not isinstance(word, str) or checksum != _word_checksum(number, word):
                damaged += 1
                self._unusable.add(number)
                word = None
            self.words.append(word)
        self._skip_to(highest + 1)  # the last rows may be lost
        if damaged:
            warnings.warn(f"{damaged} damaged words in the cache {self.path}: the entries that "
                          "hold them are recomputed", stacklevel=4)

    def _skip_to(self, number: int) -> None:
        """Numbers below ``number`` whose rows are missing: unusable, never given again."""
        while len(self.words) < number:
            self._unusable.add(len(self.words))
            self.words.append(None)

    def get_many(self, keys: list[str]) -> dict[str, list[str]]:
        """The sound entries among ``keys``; damaged ones are deleted (and so recomputed)."""
        found = self.get_numbers_many(keys)
        table = self.words.table
        return {key: table[numbers].tolist() for key, numbers in found.items()}

    def get_numbers_many(self, keys: list[str]) -> dict[str, np.ndarray]:
        """:meth:`get_many` with each entry's tokens as numbers into ``words.table``."""
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
                numbers = np.frombuffer(value, dtype=NUMBER)
                top = int(numbers.max()) if len(numbers) else -1
                if top >= len(self.words):
                    self._load_new_words()  # written by another process since
                if top >= len(self.words) \
                        or self._unusable and not self._unusable.isdisjoint(numbers.tolist()):
                    damaged.append(key)
                    continue
                found[key] = numbers
        if damaged:
            warnings.warn(f"{len(damaged)} damaged cache entries in {self.path} were recomputed",
                          stacklevel=3)
            with self._connection:
                self._connection.executemany("DELETE FROM documents WHERE key = ?",
                                             [(k,) for k in damaged])
        return found

    def put_many(self, entries: Iterable[tuple[str, list[str] | Numbered]]) -> list[np.ndarray]:
        """Store ``(key, tokens)`` pairs in one transaction (all or nothing); return the tokens
        of each as numbers into ``words.table``. Tokens are a list of words or a
        :class:`~vnparty.wordnumbers.Numbered`."""
        entries = list(entries)
        if not entries:
            return []
        connection = self._connect()
        first = None
        try:
            with connection:  # commits, or rolls back on any error
                connection.execute("BEGIN IMMEDIATE")  # no other writer until the commit
                self._load_new_words()  # those another process added just before
                first = len(self.words)  # the words numbered from here are not in the file yet
                stored, rows = [], []
                for key, tokens in entries:
                    stored.append(self.words.number(tokens))
                    value = stored[-1].tobytes()
                    rows.append((key, value, _checksum(key, value)))
                new = self.words.words[first:]
                connection.executemany(
                    "INSERT INTO words VALUES (?, ?, ?)",
                    [(first + i, w, _word_checksum(first + i, w)) for i, w in enumerate(new)])
                connection.executemany("INSERT OR REPLACE INTO documents VALUES (?, ?, ?)", rows)
        except BaseException:
            if first is not None:  # not in the file: their numbers are forgotten
                self.words.forget_from(first)
            raise
        return stored

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
