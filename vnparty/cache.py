"""An on-disk cache of segmented text, keyed by content hash and pipeline settings.

One SQLite file (the standard library's) with two tables: the words seen, each with a number,
and for each text the numbers of its tokens (4 bytes each). Reading a text back then makes no new
string: its tokens are the words already loaded, which is several times faster than splitting
stored text and takes less memory. Each batch of entries is written in one transaction, so a
failed or interrupted write leaves no entry (and no word) behind; every entry and every word
carries a checksum, so a damaged entry, or one that holds a damaged word, is detected, dropped
and recomputed. Several processes may share the file: words are numbered under SQLite's write
lock, and each process reads the words the others added when it needs them.

The file is marked as vnparty's (``PRAGMA application_id``). A path that holds anything else is
refused and left as it is; only a file recognisably vnparty's that SQLite finds damaged is
started afresh. A file another process keeps locked is waited for, then refused: never reset.
"""

from __future__ import annotations

import hashlib
import os
import sqlite3
import stat
import time
import uuid
import warnings
import zlib
from pathlib import Path
from typing import Iterable

import numpy as np

from .wordnumbers import NUMBER, Numbered, WordNumbers

__all__ = ["LOCK_TIMEOUT", "SegmentCache", "text_key"]

_FORMAT = 3  # PRAGMA user_version; format 1 kept the tokens as text
_APPLICATION_ID = 0x766E7063  # PRAGMA application_id of a vnparty cache ("vnpc")
LOCK_TIMEOUT = 300.0  # seconds to wait for a cache another process keeps locked
_ATTEMPT = 30.0  # (waited in attempts of at most this long, with a warning after the first)
# (AUTOINCREMENT: SQLite remembers the highest number ever given, so that a number whose row was
# lost is never given to another word)
_TABLES = ("CREATE TABLE IF NOT EXISTS words (id INTEGER PRIMARY KEY AUTOINCREMENT, word TEXT, "
           "checksum INT)",
           "CREATE TABLE IF NOT EXISTS documents (key TEXT PRIMARY KEY, ids BLOB, checksum INT)")
_SQLITE = b"SQLite format 3\x00"
# The tables of the caches vnparty wrote before it marked its files, by format: such a file is
# recognised by its exact schema (format 3 is kept, older ones are dropped)
_OLD_SCHEMAS = {
    0: {"entries": "CREATE TABLE entries (key TEXT PRIMARY KEY, tokens TEXT, checksum TEXT)"},
    2: {"words": "CREATE TABLE words (id INTEGER PRIMARY KEY, word TEXT, checksum INT)",
        "documents": "CREATE TABLE documents (key TEXT PRIMARY KEY, ids BLOB, checksum INT)"},
    3: {"words": "CREATE TABLE words (id INTEGER PRIMARY KEY AUTOINCREMENT, word TEXT, "
                 "checksum INT)",
        "sqlite_sequence": "CREATE TABLE sqlite_sequence(name,seq)",
        "documents": "CREATE TABLE documents (key TEXT PRIMARY KEY, ids BLOB, checksum INT)"},
}
_LOCKED, _DAMAGED = {5, 6}, {11, 26}  # SQLITE_BUSY, _LOCKED; SQLITE_CORRUPT, _NOTADB
_SAID = {13: "the disk is full: free some space or give a cache on another disk",
         8: "it cannot be written: give a cache path you may write to",
         14: "it cannot be opened: give a cache path you may write to",
         3: "access is denied: give a cache path you may write to",
         10: "the disk could not be read or written: check the disk, or give another path"}


class NotACacheError(ValueError):
    """The cache path holds a file that is not a vnparty cache (it is left as it is)."""


def text_key(text: str, signature: str) -> str:
    """Cache key of ``text`` under pipeline settings ``signature``."""
    return hashlib.sha256(f"{signature}\0{text}".encode("utf-8", "surrogatepass")).hexdigest()


def _checksum(key: str, value: bytes) -> int:
    # CRC-32: catches damage on disk (not tampering), and costs little per entry
    return zlib.crc32(value, zlib.crc32(key.encode("utf-8", "surrogatepass")))


def _word_checksum(number: int, word: str) -> int:
    return zlib.crc32(word.encode("utf-8", "surrogatepass"), number)


def _code(error: sqlite3.Error) -> int | None:
    """SQLite's primary result code of ``error`` (from its message before Python 3.11)."""
    code = getattr(error, "sqlite_errorcode", None)
    if code is not None:
        return code & 0xFF
    said = str(error)
    for code, words in ((5, "locked"), (11, "malformed"), (26, "not a database"), (13, "full")):
        if words in said:
            return code
    return None


def _header(path: Path) -> bytes:
    """The first 100 bytes of ``path`` (b"" when it does not exist)."""
    try:
        with open(path, "rb") as stream:
            return stream.read(100)
    except FileNotFoundError:
        return b""


def _marked(header: bytes) -> bool:
    """Whether a file's header is that of a vnparty cache."""
    return header.startswith(_SQLITE) and len(header) == 100 \
        and int.from_bytes(header[68:72], "big", signed=True) == _APPLICATION_ID


class SegmentCache:
    """Token lists stored by key. ``get_many`` returns what is there and sound;
    ``put_many`` stores a batch atomically. ``words`` numbers the words (see
    :mod:`vnparty.wordnumbers`); ``get_numbers_many`` and ``put_many`` give the tokens as
    numbers into ``words.table``."""

    def __init__(self, path: str | Path, *, timeout: float | None = None):
        """``path``: a folder (created if missing; the cache is ``segments.sqlite`` in it), or a
        file name with a suffix (``cache.sqlite``), or an existing cache file; ``~`` is the home
        folder. ``timeout``: seconds to wait for a file another process keeps locked before
        giving up with :class:`TimeoutError` (default :data:`LOCK_TIMEOUT`)."""
        self.path = Path(path).expanduser()
        if self.path.is_dir() or not self.path.suffix and not self.path.exists():
            self.path = self.path / "segments.sqlite"
        if self.path.exists() and not self.path.is_file() and not self.path.is_dir():
            raise NotACacheError(f"the cache path {self.path} is not a regular file: give a "
                                 "folder or a new file name")
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
        except (FileExistsError, NotADirectoryError):
            raise NotADirectoryError(f"cannot make the cache folder {self.path.parent}: a file "
                                     "is in the way; give another cache path") from None
        self.timeout = LOCK_TIMEOUT if timeout is None else float(timeout)
        self._connection = None
        self._forget_words()

    def _forget_words(self) -> None:
        self.words = WordNumbers()  # (a damaged word: None, and its number is unusable)
        self._unusable: set[int] = set()

    def _connect(self) -> sqlite3.Connection:
        return self._call(lambda connection: connection)

    def _call(self, action):
        """``action(connection)``, opening the file first if need be. While another process
        keeps the file locked, it is tried again until ``timeout``, then a TimeoutError; a
        damaged vnparty cache is started afresh once (with the words known here, under the same
        numbers) and the action done again; anything else is an error saying what to do."""
        deadline, reset, warned = time.monotonic() + self.timeout, False, False
        while True:
            try:
                if self._connection is None:
                    self._open(keep_words=reset)
                return action(self._connection)
            except sqlite3.DatabaseError as error:
                code = _code(error)
                if code in _LOCKED:
                    self._roll_back()
                    if time.monotonic() >= deadline:
                        raise TimeoutError(
                            f"the cache {self.path} is locked by another process (waited "
                            f"{self.timeout:g} s): try again when that process is done, close "
                            "it, or give another cache path") from None
                    if not warned:
                        warnings.warn(f"the cache {self.path} is locked by another process; "
                                      f"waiting up to {self.timeout:g} s", stacklevel=4)
                        warned = True
                    continue
                self._abandon()
                if code in _DAMAGED and not reset:
                    self._reset(error)
                    reset = True
                    continue
                if code in _DAMAGED:
                    raise OSError(f"the cache {self.path} is damaged again right after it was "
                                  f"started afresh ({error}): check the disk, or give another "
                                  "cache path") from None
                if code in _SAID:
                    raise OSError(f"cannot use the cache {self.path} ({error}): "
                                  f"{_SAID[code]}") from None
                raise

    def _roll_back(self) -> None:
        try:
            if self._connection is not None and self._connection.in_transaction:
                self._connection.rollback()
        except sqlite3.Error:
            self._abandon()

    def _abandon(self) -> None:
        """Close the connection after an error (a transaction left open is rolled back)."""
        if self._connection is not None:
            try:
                self._connection.close()
            except sqlite3.Error:
                pass
            self._connection = None

    def _open(self, keep_words: bool = False) -> None:
        if not keep_words:
            self._forget_words()  # (the file may have been replaced since they were read)
        header = _header(self.path)
        if header and not header.startswith(_SQLITE[:len(header)]):
            raise self._not_ours()  # (not even SQLite: not opened, so not touched)
        connection = sqlite3.connect(self.path, timeout=min(self.timeout, _ATTEMPT))
        try:
            with connection:  # under the write lock: two processes opening at once agree
                connection.execute("BEGIN IMMEDIATE")
                self._adopt(connection)
            self._connection = connection
            if keep_words:  # started afresh here: the file must hold the words known here
                self._check_words()
            self._load_new_words()
        except BaseException:
            connection.close()
            self._connection = None
            raise

    def _adopt(self, connection: sqlite3.Connection) -> None:
        """Make the file a cache of this format, if it is one of vnparty's or new; else refuse."""
        marked = connection.execute("PRAGMA application_id").fetchone()[0] == _APPLICATION_ID
        version = connection.execute("PRAGMA user_version").fetchone()[0]
        tables = {name: sql for name, sql in connection.execute(
            "SELECT name, sql FROM sqlite_master WHERE type = 'table'")}
        if not marked:
            new = self.path.stat().st_size == 0  # (nothing is written before the commit)
            if not new and _OLD_SCHEMAS.get(version) != tables:
                raise self._not_ours()
            connection.execute(f"PRAGMA application_id = {_APPLICATION_ID}")
        if version != _FORMAT:
            for table in ("entries", "words", "documents"):  # an older format: dropped,
                connection.execute(f"DROP TABLE IF EXISTS {table}")  # not misread
            connection.execute(f"PRAGMA user_version = {_FORMAT}")
        for statement in _TABLES:
            connection.execute(statement)

    def _not_ours(self) -> NotACacheError:
        return NotACacheError(
            f"{self.path} is not a vnparty cache (or one too damaged to recognise), so it is "
            "left as it is: give a folder or a new file name as the cache")

    def _reset(self, error: sqlite3.Error) -> None:
        """Replace a damaged cache with a sound one that holds the words known here."""
        if not _marked(_header(self.path)):
            raise self._not_ours() from None
        warnings.warn(f"the cache {self.path} is damaged ({error}); it is started afresh",
                      stacklevel=5)
        temporary = self.path.with_name(f".{self.path.name}.{uuid.uuid4().hex}.tmp")
        try:
            with sqlite3.connect(temporary) as fresh:
                fresh.execute(f"PRAGMA application_id = {_APPLICATION_ID}")
                fresh.execute(f"PRAGMA user_version = {_FORMAT}")
                for statement in _TABLES:
                    fresh.execute(statement)
                fresh.executemany("INSERT INTO words VALUES (?, ?, ?)", [
                    (number, word, _word_checksum(number, word))
                    for number, word in enumerate(self.words.words) if word is not None])
                fresh.execute("DELETE FROM sqlite_sequence")  # (numbers up to here: taken)
                fresh.execute("INSERT INTO sqlite_sequence VALUES ('words', ?)",
                              (len(self.words) - 1,))
            fresh.close()
            try:
                os.chmod(temporary, stat.S_IMODE(self.path.stat().st_mode))
            except FileNotFoundError:
                pass
            os.replace(temporary, self.path)
        except BaseException:
            temporary.unlink(missing_ok=True)
            raise

    def _check_words(self) -> None:
        """After a reset: the file (maybe reset by another process too) must number the words
        known here as they are numbered here, else entries would be misread."""
        rows = dict(self._connection.execute("SELECT id, word FROM words WHERE id < ?",
                                             (len(self.words),)))
        if any(word is not None and rows.get(number) != word
               for number, word in enumerate(self.words.words)):
            raise OSError(f"the cache {self.path} was started afresh by another process at the "
                          "same time: run again")

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
                          "hold them are recomputed", stacklevel=5)

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
        found, damaged = self._call(lambda connection: self._get(connection, keys))
        if damaged:
            warnings.warn(f"{len(damaged)} damaged cache entries in {self.path} were recomputed",
                          stacklevel=3)
            self._call(lambda connection: self._delete(connection, damaged))
        return found

    def _get(self, connection, keys):
        found, damaged = {}, []
        for start in range(0, len(keys), 500):
            batch = keys[start:start + 500]
            rows = connection.execute(
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
        return found, damaged

    @staticmethod
    def _delete(connection, keys) -> None:
        with connection:
            connection.executemany("DELETE FROM documents WHERE key = ?", [(k,) for k in keys])

    def put_many(self, entries: Iterable[tuple[str, list[str] | Numbered]]) -> list[np.ndarray]:
        """Store ``(key, tokens)`` pairs in one transaction (all or nothing); return the tokens
        of each as numbers into ``words.table``. Tokens are a list of words or a
        :class:`~vnparty.wordnumbers.Numbered`."""
        entries = list(entries)
        if not entries:
            return []
        return self._call(lambda connection: self._put(connection, entries))

    def _put(self, connection, entries) -> list[np.ndarray]:
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
        return self._call(lambda connection: connection.execute(
            "SELECT COUNT(*) FROM documents").fetchone()[0])

    def close(self) -> None:
        """Close the database connection (it reopens on next use)."""
        if self._connection is not None:
            self._connection.close()
            self._connection = None

    def __getstate__(self):  # a connection does not cross processes; the words are read anew
        return {"path": self.path, "timeout": self.timeout}

    def __setstate__(self, state):
        self.path, self._connection = state["path"], None
        self.timeout = state.get("timeout", LOCK_TIMEOUT)
        self._forget_words()

    def __repr__(self) -> str:
        return f"SegmentCache({str(self.path)!r})"
