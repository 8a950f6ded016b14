"""Every figure, table and explorer for a corpus, byte-identical from run to run.

``analyze(source, out)`` reads a user's corpus (a folder of .txt files, a CSV or JSONL file, a
DataFrame) and writes ``out/figures``, ``out/tables``, ``out/explorer`` and, last,
``out/manifest.json`` (versions, settings, seeds, hashes of every input and output).
:func:`vnparty.reproduce.reproduce` is the same run on the bundled articles. The settings and the
data are checked before anything is written; the files are built in a scratch folder and moved
into place when all of them are complete (see :mod:`vnparty.outputs` for what vnparty may
overwrite or delete). ``check(out, source)`` regenerates into a temporary folder and lists the
files whose hash differs.
"""

from __future__ import annotations

import hashlib
import os
import platform
import tempfile
import warnings
from collections import Counter
from dataclasses import asdict, dataclass, field, fields
from importlib import metadata
from pathlib import Path

import numpy as np
import pandas as pd

from . import plotting
from .corpus import UNITS, Article, _name, iter_articles, split_units
from .evaluation import MEASURES
from .models import auto_min_df
from .outputs import MANIFEST, STEM, Layout, OutputFolder, OutputFolderError, listing, read_manifest
from .preprocess import Preprocessor

__all__ = ["Settings", "analyze", "check", "differences", "OutputFolderError", "LAYOUT"]

_PATTERNS = (rf"figures/{STEM}\.(png|svg|pdf)", rf"tables/{STEM}\.csv", rf"explorer/{STEM}\.html")
LAYOUT = Layout("analyze", _PATTERNS)
_PACKAGES = ("numpy", "scipy", "pandas", "scikit-learn", "gensim", "tomotopy", "pyvi",
             "matplotlib", "wordcloud", "stop-words", "tqdm")
_METHODS = ("lda", "nmf")


@dataclass(frozen=True)
class Settings:
    """What a report fits and shows.

    Parameters
    ----------
    k : int or "auto"
        Topics per model; ``"auto"`` takes the k that :func:`vnparty.select_k` recommends for the
        first of ``models`` (one k for every model keeps them comparable topic by topic).
    unit : {"article", "paragraph", "sentence"}
        The documents the models see.
    models : tuple of {"lda", "nmf"}
        The models fitted, each once.
    seed : int
        Seed of the models shown.
    ks : tuple of int
        The numbers of topics compared by :func:`vnparty.select_k`.
    seeds : tuple of int
        Seeds for the choice of k and the stability across seeds (at least two).
    n_runs : int
        Runs behind each model shown: their consensus (:func:`vnparty.fit_ensemble`); 1 for a
        single fit.
    top_n : int
        Top words that make a topic in tables and scores.
    measures : tuple of str
        Scores of the models shown (names of :data:`vnparty.MEASURES`).
    formats : tuple of str
        Figure formats among "png", "svg", "pdf".
    by : tuple of str or None
        Metadata columns for prevalence tables and figures (any column of
        :func:`vnparty.unit_frame`); ``None`` means the corpus's default (none for a user's
        corpus; province and source for the bundled articles). A time axis (``year`` or
        ``month``, see :func:`vnparty.time_axis`) is added when the articles have dates.
    """

    k: int | str = 6
    unit: str = "paragraph"
    models: tuple[str, ...] = ("lda", "nmf")
    seed: int = 0
    ks: tuple[int, ...] = (4, 5, 6, 7, 8)
    seeds: tuple[int, ...] = (0, 1, 2, 3, 4)
    n_runs: int = 20
    top_n: int = 10
    measures: tuple[str, ...] = field(default=("c_v", "c_npmi", "u_mass", "diversity"))
    formats: tuple[str, ...] = plotting.FORMATS
    by: tuple[str, ...] | None = None

    def __post_init__(self):
        # a value such as "k=1: …" names the setting (the command line turns it into "--k 1")
        for name in ("models", "ks", "seeds", "measures", "formats", "by"):
            value = getattr(self, name)
            if value is None and name == "by":
                continue
            if isinstance(value, str) or not isinstance(value, (list, tuple)):
                raise ValueError(f"{name}={value!r}: give a list")
            object.__setattr__(self, name, tuple(value))
        if self.k != "auto":
            _whole("k", self.k, 2, "a model needs at least 2 topics (or k='auto')")
        _whole("seed", self.seed, 0, "seeds are whole numbers from 0 to 2**32 - 1", 2**32 - 1)
        _whole("top_n", self.top_n, 1, "give how many top words make a topic (at least 1)")
        _whole("n_runs", self.n_runs, 1, "give how many runs make each model (1: a single fit; "
               "2 or more: an ensemble, see vnparty.fit_ensemble)")
        if self.unit not in UNITS:
            raise ValueError(f"unit={self.unit!r}: use one of {', '.join(UNITS)}")
        if (not self.models or set(self.models) - set(_METHODS)
                or len(set(self.models)) < len(self.models)):
            raise ValueError(f"models={list(self.models)}: use 'lda', 'nmf' or both, once each")
        if not self.ks:
            raise ValueError("ks=[]: give the numbers of topics to compare (for example 4 5 6)")
        for k in self.ks:
            _whole("ks", k, 2, f"{k!r} is not a number of topics (a whole number, at least 2)",
                   shown=list(self.ks))
        for seed in self.seeds:
            _whole("seeds", seed, 0, f"{seed!r} is not a seed (a whole number from 0 to "
                   "2**32 - 1)", 2**32 - 1, shown=list(self.seeds))
        if len(set(self.seeds)) < 2:
            raise ValueError(f"seeds={list(self.seeds)}: give at least two different seeds (the "
                             "stability of the topics compares runs with different seeds)")
        unknown = [m for m in self.measures if m not in MEASURES]
        if unknown or not self.measures:
            raise ValueError(f"measures={list(self.measures)}: use names from {sorted(MEASURES)}")
        if "perplexity" in self.measures and "nmf" in self.models:
            raise ValueError("measures: perplexity is defined for LDA only; leave it out or fit "
                             "models=('lda',)")
        if not self.formats or set(self.formats) - set(plotting.FORMATS):
            raise ValueError(f"formats={list(self.formats)}: use formats among {plotting.FORMATS}")
        if self.by is not None and (len(set(self.by)) < len(self.by)
                                    or not all(isinstance(b, str) and b for b in self.by)):
            raise ValueError(f"by={list(self.by)}: give column names, each once")
        if self.k != "auto" and self.k not in self.ks:
            object.__setattr__(self, "ks", tuple(sorted(set(self.ks) | {self.k})))


def _whole(name: str, value, low: int, advice: str, high: int | None = None, shown=None) -> None:
    if (isinstance(value, bool) or not isinstance(value, (int, np.integer)) or value < low
            or (high is not None and value > high)):
        raise ValueError(f"{name}={value if shown is None else shown!r}: {advice}")


def _sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def versions() -> dict[str, str]:
    """vnparty, Python and the versions of the packages a report depends on."""
    from . import __version__

    found = {"vnparty": __version__, "python": platform.python_version()}
    for package in _PACKAGES:
        try:
            found[package] = metadata.version(package)
        except metadata.PackageNotFoundError:
            found[package] = "not installed"
    return found


def resource_hashes() -> dict[str, str]:
    """sha256 of the lexicon, stopword lists and codebook bundled with vnparty."""
    root = Path(__file__).parent / "resources"
    names = sorted(p.relative_to(root).as_posix() for p in root.rglob("*") if p.is_file())
    return {f"vnparty/resources/{n}": _sha256((root / n).read_bytes()) for n in names}


def source_hashes(source) -> dict[str, str]:
    """sha256 of what ``source`` holds: each ``.txt`` file of a folder, the file itself, or the
    CSV text of a DataFrame."""
    if isinstance(source, pd.DataFrame):
        return {"input/DataFrame": _sha256(source.to_csv(index=False).encode("utf-8"))}
    path = Path(source)
    if path.is_dir():
        files = sorted(p for p in path.iterdir() if p.suffix.lower() == ".txt" and p.is_file())
        return {f"input/{_name(p.name)}": _sha256(p.read_bytes()) for p in files}
    return {f"input/{_name(path.name)}": _sha256(path.read_bytes())}


@dataclass
class Corpus:
    """What the report is made of: articles, their units and each unit's tokens."""

    articles: list[Article]
    units: list
    candidates: list[list[str]]
    tokens: list[list[str]]
    preprocessor: Preprocessor
    origin: str  # how the input is named in messages


def read_corpus(source, *, text_column: str = "text", unit: str = "paragraph") -> list[Article]:
    """The articles of ``source``, refusing dates that cannot be read (with their count)."""
    origin = "the DataFrame" if isinstance(source, pd.DataFrame) else _name(source)
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        articles = list(iter_articles(source, text_column=text_column))
    for warning in caught:
        if "date(s) could not be read" in str(warning.message):
            raise ValueError(f"column 'date' of {origin}: {warning.message}; or rename the "
                             "column if it does not hold dates")
        warnings.warn_explicit(warning.message, warning.category, warning.filename,
                               warning.lineno)
    if len(articles) < 2:
        raise ValueError(f"{origin} holds {len(articles)} article; a report compares themes "
                         "across articles: give at least 2 (a folder of .txt files, or a CSV / "
                         "JSONL with one article per row)")
    return articles


def segment(articles: list[Article], unit: str, preprocessor: Preprocessor, origin: str) -> Corpus:
    """Cut the articles into units, segment them and learn the stopwords of the corpus."""
    units = split_units(articles, unit=unit)
    candidates = list(preprocessor.iter_candidates([u.text for u in units]))
    # words of one article mark it, not a theme
    preprocessor.fit_candidates(candidates, groups=None if unit == "article" else
                                [u.article_id for u in units])
    stopwords = preprocessor.stopwords_
    tokens = [[t for t in c if t not in stopwords] for c in candidates]
    return Corpus(articles, units, candidates, tokens, preprocessor, origin)


def check_data(settings: Settings, corpus: Corpus) -> None:
    """Refuse, before anything is written, numbers of topics the documents cannot carry and
    prevalence columns the corpus does not have."""
    documents = [set(doc) for doc in corpus.tokens if doc]
    frequency = Counter(w for doc in documents for w in doc)
    words = sum(n >= auto_min_df(len(documents)) for n in frequency.values())
    most = min(len(documents), words)
    fixed = () if settings.k == "auto" else (settings.k,)
    too_many = [k for k in (*fixed, *sorted(settings.ks, reverse=True)) if k > most]
    if too_many:
        k = too_many[0]
        shown = f"k={k}" if k in fixed else f"ks={list(settings.ks)}"
        auto = " (k='auto' chooses among them)" if settings.k == "auto" else ""
        raise ValueError(f"{shown}: {k} topics are more than the {len(documents)} "
                         f"{settings.unit}s with words (and {words} words) of {corpus.origin} "
                         f"can carry{auto}; use k of at most {most}, or a larger corpus")
    from .analysis import unit_frame

    columns = unit_frame(corpus.units[:1], corpus.articles).columns
    for by in settings.by or ():
        if by not in columns:
            raise ValueError(f"by={by!r}: {corpus.origin} has no column {by!r}; its columns are "
                             f"{', '.join(c for c in columns if c not in ('text', 'unit_index'))}")


def _preprocessor(progress, n_jobs, cache, client) -> Preprocessor:
    return Preprocessor(progress=progress, n_jobs=n_jobs or 1, cache=cache, client=client)


def analyze(source, out: str | Path, settings: Settings | None = None, *,
            text_column: str = "text", force: bool = False, progress: bool | None = None,
            n_jobs: int | None = None, cache=None, client=None) -> Path:
    """Write every figure, table and explorer of a corpus into ``out``; return the manifest.

    Parameters
    ----------
    source : str, Path or DataFrame
        A folder of ``.txt`` files, a ``.csv`` or ``.jsonl`` file, or a DataFrame
        (see :func:`vnparty.read_articles`); other columns are metadata for ``settings.by``.
    out : str or Path
        The output folder.
    settings : Settings, optional
        What is fitted and shown; ``Settings()`` by default.
    text_column : str
        The text column of a CSV, JSONL or DataFrame.
    force : bool
        Write into a folder that holds an earlier run or other files: the earlier run's files
        are replaced, other files are never overwritten or deleted.
    progress : bool or None
        Progress bars (None: for larger corpora).
    n_jobs : int, optional
        Processes that segment the text (capped at the CPUs available).
    cache : str or Path, optional
        Folder of the cache of segmented text (see :class:`vnparty.Preprocessor`).
    client : dask.distributed.Client or str, optional
        Segment on a Dask cluster.

    Returns
    -------
    Path
        ``out/manifest.json``.

    Raises
    ------
    OutputFolderError
        ``out`` is a file, holds an earlier run (without ``force``) or files vnparty did not
        write; nothing is written then.
    ValueError
        Bad settings, a corpus of fewer than 2 articles, dates that cannot be read, a ``by``
        column the corpus does not have, or more topics than the documents carry; raised
        before anything is written.
    """
    settings = _settings(settings)
    OutputFolder(out, LAYOUT, force=force, replace=force)  # a quick refusal before the work
    articles = read_corpus(source, text_column=text_column, unit=settings.unit)
    corpus = segment(articles, settings.unit, _preprocessor(progress, n_jobs, cache, client),
                     corpus_name(source))
    inputs = {**source_hashes(source), **resource_hashes()}
    return write_report(corpus, out, settings, LAYOUT, inputs=inputs, force=force,
                        replace=force, progress=progress, n_jobs=n_jobs,
                        fields={"input": {"text_column": text_column}})


def corpus_name(source) -> str:
    return "the DataFrame" if isinstance(source, pd.DataFrame) else _name(source)


def _settings(settings) -> Settings:
    settings = Settings() if settings is None else settings
    if not isinstance(settings, Settings):
        raise TypeError(f"settings must be a vnparty.report.Settings, not "
                        f"{type(settings).__name__}")
    return settings


def write_report(corpus: Corpus, out, settings: Settings, layout: Layout, *, inputs: dict,
                 force: bool, replace: bool, progress, n_jobs, fields: dict | None = None,
                 default_by: tuple[str, ...] = ()) -> Path:
    """Check the data, then build every output in a scratch folder and move it into ``out``."""
    from .report_parts import build

    check_data(settings, corpus)
    folder = OutputFolder(out, layout, force=force, replace=replace)
    n_jobs = n_jobs or min(2, os.cpu_count() or 1)
    with folder:
        chosen_k = build(folder, corpus, settings, default_by, progress=progress, n_jobs=n_jobs)
        return folder.commit({"settings": asdict(settings), "shown_k": chosen_k,
                              "versions": versions(), "inputs": inputs, **(fields or {})})


def check(out: str | Path, source, *, text_column: str | None = None,
          settings: Settings | None = None, n_jobs: int | None = None, cache=None) -> list[str]:
    """Regenerate ``out`` from ``source`` into a temporary folder; return what differs.

    Parameters
    ----------
    out : str or Path
        A folder that :func:`analyze` wrote.
    source : str, Path or DataFrame
        The corpus it was written from.
    text_column : str, optional
        As recorded in the manifest by default.
    settings : Settings, optional
        As recorded in the manifest by default.

    Returns
    -------
    list of str
        The outputs whose hash differs between the manifest, the file on disk and the fresh
        run; files the manifest lists that are missing; files on disk it does not list; and
        ``input/…`` entries whose hash changed since the run. Empty: identical.

    Raises
    ------
    ValueError
        The manifest is not one ``vnparty analyze`` wrote, or its settings were changed.
    """
    recorded, settings = recorded_run(out, LAYOUT, settings)
    saved = recorded.get("input")
    if text_column is None:
        text_column = saved.get("text_column") if isinstance(saved, dict) else None
        if not isinstance(text_column, str):
            raise ValueError(f"{Path(out) / MANIFEST} records no text column; pass text_column=")
    with tempfile.TemporaryDirectory(prefix="vnparty-check-") as folder:
        fresh = read_manifest(analyze(source, folder, settings, text_column=text_column,
                                      progress=False, n_jobs=n_jobs, cache=cache), LAYOUT)
    changed = [name for name in sorted(set(recorded.get("inputs") or {}) | set(fresh["inputs"]))
               if name.startswith("input/")
               and (recorded.get("inputs") or {}).get(name) != fresh["inputs"].get(name)]
    return changed + differences(out, recorded["outputs"], fresh["outputs"])


def recorded_run(out, layout: Layout, settings: Settings | None) -> tuple[dict, Settings]:
    """The manifest of ``out`` and the settings it records (or ``settings``)."""
    path = Path(out) / MANIFEST
    try:
        recorded = read_manifest(path, layout, strict=True)
    except FileNotFoundError as error:
        raise FileNotFoundError(f"{path} not found; run `vnparty {layout.command} --out {out}` "
                                "first") from error
    if settings is None:
        settings = _recorded_settings(recorded, path, layout.command)
    return recorded, settings


def _recorded_settings(recorded: dict, path: Path, command: str) -> Settings:
    saved = recorded.get("settings")
    names = {f.name for f in fields(Settings)}
    if not isinstance(saved, dict) or set(saved) != names:
        keys = sorted(saved) if isinstance(saved, dict) else None
        raise ValueError(f'{path} has no complete "settings" (expected {sorted(names)}, found '
                         f"{keys}); the manifest was changed or written by another version: run "
                         f"`vnparty {command}` again, or pass the settings to check()")
    try:
        return Settings(**saved)
    except (TypeError, ValueError) as error:
        raise ValueError(f"{path}: the recorded settings are not valid ({error}); the manifest "
                         f"was changed: run `vnparty {command}` again") from error


def differences(out: Path, recorded: dict[str, str], fresh: dict[str, str]) -> list[str]:
    """Names whose recorded hash, fresh hash or hash on disk in ``out`` disagree, and the files
    on disk in ``out`` that ``recorded`` does not list (besides the manifest)."""
    out = Path(out)
    on_disk = {name: _sha256((out / name).read_bytes())
               for name in recorded if (out / name).is_file()}
    extra = set(listing(out)) - set(recorded) - {MANIFEST} if out.is_dir() else set()
    return sorted(extra | {name for name in set(recorded) | set(fresh)
                           if recorded.get(name) != fresh.get(name)
                           or on_disk.get(name) != fresh.get(name)})
