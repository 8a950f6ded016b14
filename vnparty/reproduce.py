"""Every figure and table of the bundled articles in one call, byte-identical from run to run.

``reproduce(out)`` is :func:`vnparty.report.analyze` on the five bundled articles, with
prevalence by province and source besides the time axis: it writes ``out/figures``,
``out/tables``, ``out/explorer`` and, last, ``out/manifest.json``. Unlike ``analyze`` it
replaces the files of an earlier ``reproduce`` run without ``force`` (they are regenerated bit
for bit). ``check(out)`` regenerates into a temporary folder and lists the files whose hash
differs, and the files on disk that the manifest does not list.
"""

from __future__ import annotations

import tempfile
from pathlib import Path

from .corpus import bundled_data_path, load_articles
from .outputs import Layout, OutputFolder, OutputFolderError, read_manifest
from .report import (_PATTERNS, Settings, _settings, differences, recorded_run, resource_hashes,
                     segment, write_report, _sha256)
from .preprocess import Preprocessor

__all__ = ["Settings", "reproduce", "check", "OutputFolderError"]

LAYOUT = Layout("reproduce", _PATTERNS)
BY = ("province", "source")  # besides the time axis


def _inputs() -> dict[str, str]:
    root = bundled_data_path()
    names = sorted(p.relative_to(root).as_posix() for p in root.rglob("*")
                   if p.is_file() and p.suffix in (".txt", ".csv"))
    return {**{f"data/{n}": _sha256((root / n).read_bytes()) for n in names},
            **resource_hashes()}


def reproduce(out: str | Path, settings: Settings | None = None, *, force: bool = False,
              progress: bool | None = None, n_jobs: int | None = None) -> Path:
    """Write every figure and table of the bundled articles into ``out``; return the manifest.

    Parameters
    ----------
    out : str or Path
        The output folder.
    settings : Settings, optional
        ``Settings()`` by default; ``settings.by`` None means province and source.
    force : bool
        Write into a folder that holds files vnparty did not write (they are never deleted
        or overwritten).
    progress : bool or None
        Progress bars.
    n_jobs : int, optional
        Processes for the choice of k.

    Returns
    -------
    Path
        ``out/manifest.json``.

    Raises
    ------
    OutputFolderError
        ``out`` holds files vnparty did not write (without ``force``), or is a file.
    ValueError
        Bad settings; raised before anything is written.
    """
    settings = _settings(settings)
    OutputFolder(out, LAYOUT, force=force)  # a quick refusal before the work
    corpus = segment(load_articles(), settings.unit, Preprocessor(progress=False),
                     "the bundled articles")
    return write_report(corpus, out, settings, LAYOUT, inputs=_inputs(), force=force,
                        replace=True, progress=progress, n_jobs=n_jobs, default_by=BY)


def check(out: str | Path, settings: Settings | None = None) -> list[str]:
    """Regenerate into a temporary folder; return the outputs whose hash differs from the
    manifest in ``out`` or from the file on disk, the files the manifest lists that are
    missing, and the files on disk it does not list. An empty list means identical.

    A manifest that is not one ``reproduce`` wrote raises ``ValueError`` naming it, before the
    regeneration."""
    recorded, settings = recorded_run(out, LAYOUT, settings)
    with tempfile.TemporaryDirectory(prefix="vnparty-check-") as folder:
        fresh = read_manifest(reproduce(folder, settings, progress=False), LAYOUT)
    return differences(out, recorded["outputs"], fresh["outputs"])
