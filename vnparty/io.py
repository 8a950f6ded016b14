"""Writing files so that a crash never leaves half a file behind, and CSV for spreadsheets."""

from __future__ import annotations

import os
import secrets
from pathlib import Path

import pandas as pd

__all__ = ["atomic_write_bytes", "atomic_write_text", "csv_text", "spreadsheet_safe"]

# cells a spreadsheet would run as a formula (OWASP, "CSV Injection")
_FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def _new_temporary(folder: Path, name: str) -> tuple[int, Path]:
    """Create an empty file beside ``name`` as open() would: mode 0o666 minus the umask."""
    for _ in range(100):
        temporary = folder / f".{name}.{secrets.token_hex(4)}.tmp"
        try:
            return os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o666), temporary
        except FileExistsError:
            continue
    raise FileExistsError(f"cannot create a temporary file in {folder}")


def atomic_write_bytes(path: str | Path, data: bytes) -> Path:
    """Write ``data`` to a temporary file beside ``path``, then rename it into place.

    A new file gets the mode ``open()`` would give it (0o666 minus the umask)."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = _new_temporary(path.parent, path.name)
    try:
        with os.fdopen(handle, "wb") as stream:
            stream.write(data)
            stream.flush()
            os.fsync(stream.fileno())
        os.replace(temporary, path)
    except BaseException:
        temporary.unlink(missing_ok=True)
        raise
    return path


def atomic_write_text(path: str | Path, text: str) -> Path:
    """:func:`atomic_write_bytes` for UTF-8 text with "\\n" line ends."""
    return atomic_write_bytes(path, text.encode("utf-8"))


def spreadsheet_safe(value):
    """``value`` with a leading ``'`` when it is a string that a spreadsheet would run as a
    formula (starting with ``=``, ``+``, ``-``, ``@``, tab or carriage return); anything else
    unchanged."""
    if isinstance(value, str) and value.startswith(_FORMULA_STARTS):
        return "'" + value
    return value


def csv_text(frame: pd.DataFrame, *, index: bool = False, float_format: str | None = None) -> str:
    """``frame`` as CSV text ("\\n" line ends) for spreadsheets: every text cell, column name and
    (with ``index``) index label that starts like a formula gets a leading ``'``; numbers are
    written as they are."""
    safe = frame.rename(columns=spreadsheet_safe)
    for position, column in enumerate(safe.columns):
        values = safe.iloc[:, position]
        if values.dtype == object or isinstance(values.dtype, pd.StringDtype):
            safe.isetitem(position, values.map(spreadsheet_safe))
    if index:
        safe = safe.rename(index=spreadsheet_safe)
        safe.index = safe.index.set_names([spreadsheet_safe(n) for n in safe.index.names])
    return safe.to_csv(index=index, lineterminator="\n", float_format=float_format)
