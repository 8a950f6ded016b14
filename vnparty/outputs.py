"""Output folders: what a vnparty command may write, overwrite and delete in them.

A command that writes a set of files (``reproduce``, ``vnparty topics``) builds them in a scratch
folder inside the output folder (``.vnparty-run-<8 hex digits>``, holding the marker file
``.vnparty-run``), then moves them into place and writes ``manifest.json`` (the sha256 of every
file) last. Before the first move it writes the names and hashes to ``journal.json`` in the
scratch folder, so that the files of a run killed while moving are still known to the next run.

A file in the output folder is vnparty's own only when the manifest (or a journal) lists it, its
name is one the command writes, and its bytes still have the recorded hash. Only such files are
overwritten or deleted. Every other file is foreign: the folder is refused unless ``force``, and
even then a foreign file is never overwritten or deleted. A scratch folder left by a killed run
(its name and marker) is removed by the next run that completes.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import secrets
import shutil
import stat
import tempfile
from dataclasses import dataclass
from pathlib import Path

try:
    import fcntl
except ImportError:  # pragma: no cover (Windows: a second live run in the folder goes unseen)
    fcntl = None

from .io import atomic_write_bytes

__all__ = ["Layout", "OutputFolder", "OutputFolderError", "MANIFEST", "listing", "read_manifest",
           "sha256_file"]

MANIFEST = "manifest.json"
JOURNAL = "journal.json"
MARKER = ".vnparty-run"
MARKER_TEXT = b"vnparty scratch folder; the next vnparty run that completes here removes it\n"
_SCRATCH = re.compile(r"\.vnparty-run-[0-9a-f]{8}")
_SHA256 = re.compile(r"[0-9a-f]{64}")
STEM = r"[A-Za-z0-9_][A-Za-z0-9_.-]*"


class OutputFolderError(OSError):
    """The output folder cannot be used (foreign files, not writable, another run in it)."""


@dataclass(frozen=True)
class Layout:
    """The files a command writes: its name (``manifest.json`` says ``"vnparty_<command>": 1``)
    and regular expressions that every output name matches."""

    command: str
    patterns: tuple[str, ...]

    def allows(self, name) -> bool:
        """Whether ``name`` is a relative name inside the folder that the command writes."""
        if not isinstance(name, str) or "\\" in name or ":" in name or "\0" in name:
            return False
        if name.startswith("/") or any(p in ("", ".", "..") for p in name.split("/")):
            return False
        return any(re.fullmatch(p, name) for p in self.patterns)


def sha256_file(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as stream:
        for block in iter(lambda: stream.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def listing(folder: Path) -> list[str]:
    """Every entry below ``folder`` that is not a folder (files, links, …), as relative names
    with "/"; links are listed, never followed."""
    names: list[str] = []

    def walk(path: str, prefix: str) -> None:
        with os.scandir(path) as entries:
            for entry in entries:
                if entry.is_dir(follow_symlinks=False):
                    walk(entry.path, f"{prefix}{entry.name}/")
                else:
                    names.append(prefix + entry.name)

    walk(os.fspath(folder), "")
    return sorted(names)


def _is_regular(folder: Path, name: str) -> bool:
    """``folder/name`` is a regular file reached through real folders (no link on the way)."""
    path = folder
    *parents, last = name.split("/")
    try:
        for part in parents:
            path = path / part
            if not stat.S_ISDIR(os.lstat(path).st_mode):
                return False
        return stat.S_ISREG(os.lstat(path / last).st_mode)
    except OSError:
        return False


def read_manifest(path: Path, layout: Layout, *, strict: bool = False) -> dict:
    """The manifest at ``path``, checked to be one ``vnparty <command>`` writes: a JSON object
    with ``"vnparty_<command>": 1`` and ``outputs`` (name -> sha256; with ``strict``, every
    name one the command writes and every hash 64 hex digits). Raises ``ValueError`` naming the
    file otherwise (``FileNotFoundError`` when there is none)."""
    again = f"run `vnparty {layout.command}` again into an empty folder"
    try:
        data = json.loads(Path(path).read_bytes().decode("utf-8"))
    except (UnicodeDecodeError, ValueError) as error:
        raise ValueError(f"{path} is not valid JSON ({error}); it was changed or cut short: "
                         f"{again}") from error
    if not isinstance(data, dict) or data.get(f"vnparty_{layout.command}") != 1:
        raise ValueError(f"{path} is not a manifest written by `vnparty {layout.command}` (no "
                         f'"vnparty_{layout.command}": 1 in it); {again}')
    outputs = data.get("outputs")
    if not isinstance(outputs, dict) or not all(
            isinstance(k, str) and isinstance(v, str) for k, v in outputs.items()):
        raise ValueError(f'{path} has no "outputs" (names and sha256 hashes of the files); '
                         f"it was changed: {again}")
    bad = [name for name, digest in outputs.items()
           if not layout.allows(name) or not _SHA256.fullmatch(digest)] if strict else []
    if bad:
        raise ValueError(f"{path} lists {len(bad)} output(s) that `vnparty {layout.command}` "
                         f"does not write ({', '.join(map(repr, bad[:3]))}); it was changed: "
                         f"{again}")
    return data


def _read_journal(path: Path, layout: Layout) -> dict[str, str]:
    try:
        data = json.loads(path.read_bytes().decode("utf-8"))
        outputs = data["outputs"] if data.get("vnparty_journal") == layout.command else {}
        return {k: v for k, v in outputs.items() if isinstance(k, str) and isinstance(v, str)}
    except (OSError, ValueError, AttributeError, KeyError, TypeError):
        return {}


def _first_five(names: list[str]) -> str:
    return ", ".join(names[:5]) + (" …" if len(names) > 5 else "")


def _try_lock(handle) -> bool:
    if fcntl is None:  # pragma: no cover
        return True
    try:
        fcntl.flock(handle.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
    except OSError:
        return False
    return True


def _scratch_folders(out: Path) -> list[Path]:
    """Scratch folders vnparty made in ``out``: the name, and a marker with vnparty's text."""
    found = []
    with os.scandir(out) as entries:
        for entry in entries:
            if entry.is_dir(follow_symlinks=False) and _SCRATCH.fullmatch(entry.name):
                marker = Path(entry.path) / MARKER
                try:
                    if (stat.S_ISREG(os.lstat(marker).st_mode)  # (empty: killed at birth)
                            and marker.read_bytes() in (MARKER_TEXT, b"")):
                        found.append(Path(entry.path))
                except OSError:
                    continue
    return sorted(found)


def _in_use(scratch: Path) -> bool:
    """Whether a live vnparty run holds the lock on this scratch folder's marker."""
    try:
        with open(scratch / MARKER, "rb") as handle:
            return not _try_lock(handle)
    except OSError:
        return False


def _strip(scratch: Path, keep: tuple[str, ...]) -> None:
    with os.scandir(scratch) as entries:
        for entry in list(entries):
            if entry.name in keep:
                continue
            if entry.is_dir(follow_symlinks=False):
                shutil.rmtree(entry.path, ignore_errors=True)
            else:
                Path(entry.path).unlink(missing_ok=True)


class OutputFolder:
    """One run's writes into ``path``, following ``layout``.

    Creating it checks the folder and raises :class:`OutputFolderError` (foreign files without
    ``force``, another run in it, not writable) before anything is written. Then::

        with OutputFolder(out, layout) as folder:
            folder.write("tables/a.csv", data)      # into the scratch folder
            folder.commit({"settings": ...})         # move into place, manifest last

    With ``replace=False`` a folder that holds an earlier run is refused too, unless ``force``.
    An exception inside the ``with`` leaves the folder as it was (or, if it comes while files are
    moved, with a journal that the next run reads)."""

    def __init__(self, path: str | Path, layout: Layout, *, force: bool = False,
                 replace: bool = True):
        self.path, self.layout, self.force, self.replace = Path(path), layout, force, replace
        self.hashes: dict[str, str] = {}
        self.scratch: Path | None = None
        self._lock = None
        self._journal = False
        self._inspect()

    # -- before anything is written ---------------------------------------------------------
    def _inspect(self) -> None:
        out = self.path
        if out.exists() and not out.is_dir():
            raise OutputFolderError(f"{out} is a file; give a folder for the results")
        self._check_writable()
        known: dict[str, set[str]] = {}
        self._leftovers: list[Path] = []
        self._manifest_ours = False
        if out.is_dir():
            self._read_earlier(known)
        self.ours = {}
        for name, digests in sorted(known.items()):
            if self.layout.allows(name) and _is_regular(out, name):
                digest = sha256_file(out / name)
                if digest in digests:
                    self.ours[name] = digest
        if os.path.lexists(out / MANIFEST) and not self._manifest_ours and self.force:
            raise self._foreign_manifest()
        if not self.replace and (self._manifest_ours or self.ours) and not self.force:
            raise OutputFolderError(
                f"{out} holds the results of an earlier `vnparty {self.layout.command}` run; "
                "pass --force to replace them (files vnparty did not write are kept), or "
                "choose another folder")
        if not self.force and out.is_dir():
            leftovers = {scratch.name for scratch in self._leftovers}
            foreign = [name for name in self._listing()
                       if name not in self.ours and name.split("/")[0] not in leftovers
                       and not (name == MANIFEST and self._manifest_ours)]
            if foreign:
                shown = _first_five(foreign)
                raise OutputFolderError(
                    f"{out} holds {len(foreign)} file(s) vnparty did not write or that changed "
                    f"since ({shown}); choose an empty folder, or pass --force to write beside "
                    "them (vnparty never deletes or overwrites files it did not write)")

    def _read_earlier(self, known: dict[str, set[str]]) -> None:
        """What earlier runs wrote: the manifest and the journals of killed runs."""
        out = self.path
        try:
            for scratch in _scratch_folders(out):
                if _in_use(scratch):
                    raise OutputFolderError(
                        f"another vnparty run is writing into {out} ({scratch.name}); wait for it "
                        "to finish, or choose another folder")
                self._leftovers.append(scratch)
                for name, digest in _read_journal(scratch / JOURNAL, self.layout).items():
                    known.setdefault(name, set()).add(digest)
        except OutputFolderError:
            raise
        except OSError as error:
            raise OutputFolderError(f"cannot read {out} ({error.strerror}); choose another "
                                    "folder") from error
        if _is_regular(out, MANIFEST):
            try:
                outputs = read_manifest(out / MANIFEST, self.layout)["outputs"]
            except (OSError, ValueError):
                return
            for name, digest in outputs.items():
                known.setdefault(name, set()).add(digest)
            self._manifest_ours = True

    def _check_writable(self) -> None:
        out = self.path
        try:
            if out.is_dir():
                tempfile.NamedTemporaryFile(dir=out, prefix=".vnparty-probe-").close()
                return
            parent = next(p for p in out.absolute().parents if p.exists())
        except OSError as error:
            raise OutputFolderError(f"cannot write into {out} ({error.strerror}); choose a "
                                    "folder you can write to") from error
        if not parent.is_dir():
            raise OutputFolderError(f"{parent} is a file; give a folder for the results")
        if not os.access(parent, os.W_OK | os.X_OK):
            raise OutputFolderError(f"cannot write into {out} (no permission to create it in "
                                    f"{parent}); choose a folder you can write to")

    def _listing(self) -> list[str]:
        try:
            return listing(self.path)
        except OSError as error:
            raise OutputFolderError(f"cannot read {error.filename} ({error.strerror}); choose "
                                    "another folder") from error

    def _foreign_manifest(self) -> OutputFolderError:
        return OutputFolderError(
            f"{self.path / MANIFEST} was not written by `vnparty {self.layout.command}`, and "
            "vnparty does not overwrite it; move it away, or choose another folder")

    # -- the run ----------------------------------------------------------------------------
    def __enter__(self) -> "OutputFolder":
        try:
            self.path.mkdir(parents=True, exist_ok=True)
            for scratch in self._leftovers:  # keep only what the next run needs: the journal
                _strip(scratch, (MARKER, JOURNAL))
            while True:
                scratch = self.path / f".vnparty-run-{secrets.token_hex(4)}"
                try:
                    scratch.mkdir()
                    break
                except FileExistsError:
                    continue
            self.scratch = scratch
            self._lock = open(scratch / MARKER, "xb")  # locked while this run lives
            _try_lock(self._lock)
            self._lock.write(MARKER_TEXT)
            self._lock.flush()
        except OutputFolderError:
            raise
        except OSError as error:
            self._abort()
            raise OutputFolderError(f"cannot write into {self.path} ({error.strerror}); choose "
                                    "a folder you can write to") from error
        return self

    def __exit__(self, kind, error, trace) -> bool:
        if kind is not None:
            self._abort()
        return False

    def write(self, name: str, data: bytes) -> None:
        """Write ``data`` as ``name`` into the scratch folder (atomically)."""
        self._check_name(name)
        atomic_write_bytes(self.scratch / name, data)
        self.hashes[name] = hashlib.sha256(data).hexdigest()

    def add(self, folder: str) -> None:
        """Take in every file that other code wrote below ``scratch/folder``."""
        for name in listing(self.scratch / folder):
            name = f"{folder}/{name}"
            self._check_name(name)
            self.hashes[name] = sha256_file(self.scratch / name)

    def _check_name(self, name: str) -> None:
        if self.scratch is None:
            raise RuntimeError("write inside `with OutputFolder(...)`")
        if not self.layout.allows(name):
            raise ValueError(f"{name!r} is not a name `vnparty {self.layout.command}` writes")

    def commit(self, fields: dict) -> Path:
        """Move the files into place, delete the files of earlier runs that this one did not
        write, write the manifest (``fields`` and ``outputs``) last; return its path."""
        out = self.path
        blocked = [name for name in sorted(self.hashes) if self._blocked(name)]
        if blocked:
            shown = _first_five(blocked)
            raise OutputFolderError(
                f"{out} holds {len(blocked)} file(s) with the names of this run's outputs that "
                f"vnparty did not write or that changed since ({shown}); vnparty does not "
                "overwrite them: move them away, or choose another folder")
        if os.path.lexists(out / MANIFEST) and not self._manifest_ours:
            raise self._foreign_manifest()
        outputs = dict(sorted(self.hashes.items()))
        journal = {"vnparty_journal": self.layout.command, "outputs": outputs}
        atomic_write_bytes(self.scratch / JOURNAL, json.dumps(journal, indent=1).encode())
        self._journal = True
        for name in outputs:
            (out / name).parent.mkdir(parents=True, exist_ok=True)
            os.replace(self.scratch / name, out / name)
        for name in sorted(set(self.ours) - set(outputs)):
            if _is_regular(out, name) and sha256_file(out / name) == self.ours[name]:
                (out / name).unlink()
                self._remove_empty_parents(name)
        manifest = {f"vnparty_{self.layout.command}": 1, **fields, "outputs": outputs}
        try:
            text = json.dumps(manifest, ensure_ascii=False, indent=1) + "\n"
            data = text.encode("utf-8")
        except UnicodeEncodeError:  # a file name that is not UTF-8: escaped
            data = (json.dumps(manifest, indent=1) + "\n").encode("ascii")
        atomic_write_bytes(self.scratch / MANIFEST, data)
        os.replace(self.scratch / MANIFEST, out / MANIFEST)
        self._manifest_ours = True
        self._finish()
        return out / MANIFEST

    def _blocked(self, name: str) -> bool:
        """Whether writing ``name`` would overwrite a file that is not ours, or go through a
        link or a file where a folder should be."""
        path = self.path
        *parents, last = name.split("/")
        for part in parents:
            path = path / part
            if os.path.lexists(path) and not stat.S_ISDIR(os.lstat(path).st_mode):
                return True
        if not os.path.lexists(path / last):
            return False
        return (name not in self.ours or not _is_regular(self.path, name)
                or sha256_file(self.path / name) != self.ours[name])

    def _remove_empty_parents(self, name: str) -> None:
        parent = (self.path / name).parent
        while parent != self.path:
            try:
                parent.rmdir()
            except OSError:
                return
            parent = parent.parent

    def _finish(self) -> None:
        self._release()
        shutil.rmtree(self.scratch, ignore_errors=True)
        for scratch in self._leftovers:
            if not _in_use(scratch):
                shutil.rmtree(scratch, ignore_errors=True)

    def _abort(self) -> None:
        """After a failure: keep the journal once files may have moved, drop everything else."""
        if self.scratch is not None and self.scratch.is_dir():
            if self._journal:
                _strip(self.scratch, (MARKER, JOURNAL))
            else:
                shutil.rmtree(self.scratch, ignore_errors=True)
        self._release()

    def _release(self) -> None:
        if self._lock is not None:
            self._lock.close()
            self._lock = None
