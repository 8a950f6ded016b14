"""SHA-256 checksums of the files vnparty writes into a folder (a saved model, a streamed corpus).

The checksums go to ``checksums.sha256`` beside the files, in the format of ``sha256sum``
(``sha256sum -c checksums.sha256`` checks them too), and are compared byte for byte on reading:
any change to any of the files, the checksum file included, is refused with
:class:`DamagedFileError`.
"""

from __future__ import annotations

import hashlib
import re
from pathlib import Path

__all__ = ["CHECKSUMS", "DamagedFileError", "checksums_text", "file_sha256", "verify"]

CHECKSUMS = "checksums.sha256"
_LINE = re.compile(rb"([0-9a-f]{64})  (\S+)\n")


class DamagedFileError(ValueError):
    """A file that vnparty wrote is missing, cut short, changed, or not what it should hold.
    The message names the file and says what to do."""


def file_sha256(path: str | Path) -> str:
    """The SHA-256 of a file, read a block at a time (memory does not grow with the file)."""
    with open(path, "rb") as handle:
        return hashlib.file_digest(handle, "sha256").hexdigest()


def checksums_text(digests: dict[str, str]) -> str:
    """The text of ``checksums.sha256`` for ``{file name: SHA-256}``, sorted by name."""
    return "".join(f"{digests[name]}  {name}\n" for name in sorted(digests))


def verify(folder: Path, digests: dict[str, str], remedy: str = "") -> None:
    """Raise :class:`DamagedFileError` unless ``folder/checksums.sha256`` is exactly the
    checksums of ``digests`` (the files as found). ``remedy`` says what to do."""
    remedy = f"; {remedy}" if remedy else ""
    try:
        stored = (folder / CHECKSUMS).read_bytes()
    except FileNotFoundError:
        raise DamagedFileError(f"{folder / CHECKSUMS} is missing: the folder was written by an "
                               f"older vnparty, or the writing was interrupted{remedy}") from None
    if stored == checksums_text(digests).encode("ascii"):
        return
    found = dict((name.decode("utf-8", "replace"), digest.decode("ascii"))
                 for digest, name in _LINE.findall(stored))
    changed = [name for name in sorted(digests) if name in found and found[name] != digests[name]]
    if changed:
        raise DamagedFileError(f"{folder / changed[0]} does not match its SHA-256 in {CHECKSUMS}: "
                               f"one of the two was changed after writing{remedy}")
    raise DamagedFileError(f"{folder / CHECKSUMS} was changed or cut short{remedy}")
