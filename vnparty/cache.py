"""An on-disk cache of segmented text, keyed by content hash and pipeline settings.

One SQLite file (the standard library's): each batch of entries is written in one transaction,
so a failed or interrupted write leaves no entry behind, and every entry carries a checksum, so
an entry damaged on disk is detected, dropped and recomputed.
"""

from __future__ import annotations

import hashlib
import sqlite3
import sys
import warnings
from pathlib import Path
from typing import Iterable

__all__ = ["SegmentCache", "text_key"]

_SCHEMA = "CREATE TABLE IF NOT EXISTS entries (key TEXT PRIMARY KEY, tokens TEXT, checksum TEXT)"


def text_key(text: str, signature: str) -> str:
    """Cache key of ``text`` under pipeline settings ``signature``."""
    return hashlib.sha256(f"{signature}\0{text}".encode("utf-8", "surrogatepass")).hexdigest()


def _checksum(key: str, value: str) -> str:
    return hashlib.blake2b(f"{key}\0{value}".encode("utf-8"), digest_size=8).hexdigest()


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

    def _connect(self) -> sqlite3.Connection:
        if self._connection is None:
            try:
                self._connection = sqlite3.connect(self.path, timeout=30)
                self._connection.execute(_SCHEMA)
            except sqlite3.DatabaseError as error:
                warnings.warn(f"the cache {self.path} is damaged ({error}); it is started afresh",
                              stacklevel=3)
                self._connection = None
                self.path.unlink(missing_ok=True)
                self._connection = sqlite3.connect(self.path, timeout=30)
                self._connection.execute(_SCHEMA)
        return self._connection

    def get_many(self, keys: list[str]) -> dict[str, list[str]]:
        """The sound entries among ``keys``; damaged ones are deleted (and so recomputed)."""
        found, damaged = {}, []
        connection = self._connect()
        for start in range(0, len(keys), 500):
            batch = keys[start:start + 500]
            rows = connection.execute(
                f"SELECT key, tokens, checksum FROM entries WHERE key IN ({','.join('?' * len(batch))})",
                batch).fetchall()
            for key, value, checksum in rows:
                if checksum != _checksum(key, value):
                    damaged.append(key)
                    continue
                found[key] = list(map(sys.intern, value.split("\n"))) if value else []
        if damaged:
            warnings.warn(f"{len(damaged)} damaged cache entries in {self.path} were recomputed",
                          stacklevel=3)
            with connection:
                connection.executemany("DELETE FROM entries WHERE key = ?", [(k,) for k in damaged])
        return found

    def put_many(self, entries: Iterable[tuple[str, list[str]]]) -> None:
        """Store ``(key, tokens)`` pairs in one transaction (all or nothing)."""
        rows = []
        for key, tokens in entries:
            value = "\n".join(tokens)
            rows.append((key, value, _checksum(key, value)))
        connection = self._connect()
        with connection:  # commits, or rolls back on any error
            connection.executemany("INSERT OR REPLACE INTO entries VALUES (?, ?, ?)", rows)

    def __len__(self) -> int:
        return self._connect().execute("SELECT COUNT(*) FROM entries").fetchone()[0]

    def close(self) -> None:
        """Close the database connection (it reopens on next use)."""
        if self._connection is not None:
            self._connection.close()
            self._connection = None

    def __getstate__(self):  # a connection does not cross processes
        return {"path": self.path, "_connection": None}

    def __repr__(self) -> str:
        return f"SegmentCache({str(self.path)!r})"
