"""Every figure and table of the bundled articles in one call, byte-identical from run to run.

``reproduce(out)`` writes ``out/figures``, ``out/tables``, ``out/explorer`` and, last,
``out/manifest.json`` (versions, parameters, seeds, hashes of every input and output). The
settings are checked before anything is written; the files are built in a scratch folder and
moved into place when all of them are complete (see :mod:`vnparty.outputs` for what vnparty may
overwrite or delete). ``check(out)`` regenerates into a temporary folder and lists the files
whose hash differs, and the files on disk that the manifest does not list.
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
from tqdm import tqdm  # the plain bar: tqdm.auto warns on import in a notebook without ipywidgets

from . import plotting
from .analysis import (align_models, article_shares, prevalence, representative_units,
                       topic_labels, unit_frame)
from .corpus import bundled_data_path, load_articles, split_units
from .evaluation import MEASURES, select_k, stability
from .explorer import explorer_html
from .io import csv_text
from .lexicon import default_lexicon, document_references
from .names import person_names, place_names
from .ensemble import fit_ensemble
from .models import TopicModel, auto_min_df, fit_lda, fit_nmf
from .outputs import (MANIFEST, STEM, Layout, OutputFolder, OutputFolderError, listing,
                      read_manifest)
from .preprocess import Preprocessor
from .stopwords import LAYERS

__all__ = ["Settings", "reproduce", "check", "OutputFolderError"]

_FIT = {"lda": fit_lda, "nmf": fit_nmf}
_UNITS = ("article", "paragraph", "sentence")
LAYOUT = Layout("reproduce", (rf"figures/{STEM}\.(png|svg|pdf)", rf"tables/{STEM}\.csv",
                              rf"explorer/{STEM}\.html"))
_PACKAGES = ("numpy", "scipy", "pandas", "scikit-learn", "gensim", "pyvi", "matplotlib",
             "wordcloud", "stop-words", "tqdm")


@dataclass(frozen=True)
class Settings:
    """What ``reproduce`` fits: ``k`` topics per model at ``seed``, on ``unit`` documents;
    ``ks`` and ``seeds`` for the choice of k and the stability check."""

    k: int = 6
    unit: str = "paragraph"
    models: tuple[str, ...] = ("lda", "nmf")
    seed: int = 0
    ks: tuple[int, ...] = (4, 5, 6, 7, 8)
    seeds: tuple[int, ...] = (0, 1, 2, 3, 4)
    n_runs: int = 20
    top_n: int = 10
    measures: tuple[str, ...] = field(default=("c_v", "c_npmi", "u_mass", "diversity"))
    formats: tuple[str, ...] = plotting.FORMATS

    def __post_init__(self):
        # a value such as "k=1: …" names the setting (the command line turns it into "--k 1")
        for name in ("models", "ks", "seeds", "measures", "formats"):
            value = getattr(self, name)
            if not isinstance(value, (list, tuple)):
                raise ValueError(f"{name}={value!r}: give a list")
            object.__setattr__(self, name, tuple(value))
        _whole("k", self.k, 2, "a model needs at least 2 topics")
        _whole("seed", self.seed, 0, "seeds are whole numbers from 0 to 2**32 - 1", 2**32 - 1)
        _whole("top_n", self.top_n, 1, "give how many top words make a topic (at least 1)")
        _whole("n_runs", self.n_runs, 1, "give how many runs make each model (1: a single fit; "
               "2 or more: an ensemble, see vnparty.fit_ensemble)")
        if self.unit not in _UNITS:
            raise ValueError(f"unit={self.unit!r}: use one of {', '.join(_UNITS)}")
        if not self.models or set(self.models) - set(_FIT) or len(set(self.models)) < len(self.models):
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
        if self.k not in self.ks:
            object.__setattr__(self, "ks", tuple(sorted(set(self.ks) | {self.k})))


def _whole(name: str, value, low: int, advice: str, high: int | None = None, shown=None) -> None:
    if (isinstance(value, bool) or not isinstance(value, (int, np.integer)) or value < low
            or (high is not None and value > high)):
        raise ValueError(f"{name}={value if shown is None else shown!r}: {advice}")


def _check_data(settings: Settings, tokens: list[list[str]]) -> None:
    """Refuse, before anything is written, a number of topics the documents cannot carry."""
    documents = [set(doc) for doc in tokens if doc]
    frequency = Counter(w for doc in documents for w in doc)
    words = sum(n >= auto_min_df(len(documents)) for n in frequency.values())
    most = min(len(documents), words)
    too_many = [k for k in (settings.k, *sorted(settings.ks, reverse=True)) if k > most]
    if too_many:
        k = too_many[0]
        shown = f"k={k}" if k == settings.k else f"ks={list(settings.ks)}"
        raise ValueError(f"{shown}: {k} topics are more than the {len(documents)} "
                         f"{settings.unit}s with words (and {words} words) of the bundled "
                         f"articles can carry; use k of at most {most}")


def _sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def _files(folder: Path) -> list[str]:
    return sorted(p.relative_to(folder).as_posix() for p in folder.rglob("*") if p.is_file())


class _Writer:
    """Collects outputs: writes each file into the scratch folder and remembers its hash."""

    def __init__(self, folder: OutputFolder, formats: tuple[str, ...]):
        self.folder, self.formats = folder, formats

    def bytes(self, relative: str, data: bytes) -> None:
        self.folder.write(relative, data)

    def csv(self, name: str, frame: pd.DataFrame, index: bool = False) -> None:
        text = csv_text(frame, index=index, float_format="%.10g")
        self.bytes(f"tables/{name}.csv", text.encode("utf-8"))

    def figure(self, name: str, fig) -> None:
        for fmt in self.formats:
            self.bytes(f"figures/{name}.{fmt}", plotting.figure_bytes(fig, fmt))


def _inputs() -> dict[str, str]:
    root = bundled_data_path()
    files = {f"data/{p}": (root / p).read_bytes() for p in _files(root)
             if p.endswith((".txt", ".csv"))}
    resources = Path(__file__).parent / "resources"
    files.update({f"vnparty/resources/{p}": (resources / p).read_bytes() for p in _files(resources)})
    return {name: _sha256(data) for name, data in sorted(files.items())}


def _versions() -> dict[str, str]:
    from . import __version__

    versions = {"vnparty": __version__, "python": platform.python_version()}
    for package in _PACKAGES:
        try:
            versions[package] = metadata.version(package)
        except metadata.PackageNotFoundError:
            versions[package] = "not installed"
    return versions


def reproduce(out: str | Path, settings: Settings | None = None, *, force: bool = False,
              progress: bool | None = None, n_jobs: int | None = None) -> Path:
    """Write every figure and table of the bundled articles into ``out``; return the manifest.

    The settings are checked before anything is written, and the files appear only once all of
    them are complete. Refuses a folder that holds files vnparty did not write unless ``force``;
    files an earlier run wrote (listed in its manifest, unchanged since) and this one does not
    are removed; no other file is ever overwritten or deleted."""
    settings = settings or Settings()
    if not isinstance(settings, Settings):
        raise TypeError(f"settings must be a vnparty.reproduce.Settings, not {type(settings).__name__}")
    out = Path(out)
    n_jobs = n_jobs or min(2, os.cpu_count() or 1)
    lexicon = default_lexicon()
    articles = load_articles()
    units = split_units(articles, unit=settings.unit)
    preprocessor = Preprocessor()
    candidates = [preprocessor.candidates(u.text) for u in units]
    preprocessor._fit_candidates(  # words of one article mark it, not a theme
        candidates, groups=None if settings.unit == "article" else [u.article_id for u in units])
    tokens = [[t for t in c if t not in preprocessor.stopwords_] for c in candidates]
    _check_data(settings, tokens)
    folder = OutputFolder(out, LAYOUT, force=force)

    with folder, tqdm(total=7, desc="reproduce", disable=progress is False) as steps:
        write = _Writer(folder, settings.formats)
        frame = unit_frame(units, articles, tokens)
        steps.update()
        _corpus_tables_and_figures(write, articles, units, candidates, tokens, preprocessor, lexicon)
        steps.update()
        models = _fit_models(write, tokens, settings, n_jobs)
        steps.update()

        glosses = {w: g for m in models.values() for t in m.top_words(20) for w in t
                   if (g := lexicon.gloss(w))}
        titles = {a.id: a.title for a in articles}
        for method, model in models.items():
            _model_outputs(write, method, model, frame, glosses, titles, settings)
        steps.update()
        if {"lda", "nmf"} <= set(models):
            aligned = align_models(models["lda"], models["nmf"])
            write.csv("alignment_lda_nmf", aligned)
            write.figure("alignment_lda_nmf", plotting.plot_heatmap(
                aligned.attrs["similarity"], [f"LDA {t}" for t in range(models["lda"].k)],
                [f"NMF {t}" for t in range(models["nmf"].k)], xlabel="NMF topic",
                title="LDA ↔ NMF: cosine similarity of topic-word distributions", cmap="Greens"))
        steps.update()
        manifest = folder.commit({"settings": asdict(settings), "versions": _versions(),
                                  "inputs": _inputs()})
        steps.update(2)
    return manifest


def _why(recommended: int, shown: int) -> str:
    if recommended == shown:
        return "the recommended k"
    return (f"k = {shown} is set (reproduce --k); select_k recommends {recommended}: one k for "
            "every model keeps them comparable topic by topic (tables/alignment_lda_nmf.csv)")


def _shown(method, tokens, k, seed, settings) -> TopicModel:
    """The model shown: the consensus of ``settings.n_runs`` runs (the same themes from any
    seed; see :func:`vnparty.fit_ensemble`), or a single fit when ``n_runs`` is 1."""
    if settings.n_runs == 1:
        return _FIT[method](tokens, k, seed=seed)
    return fit_ensemble(tokens, k, method=method, n_runs=settings.n_runs, seed=seed)


def _fit_models(write, tokens, settings, n_jobs) -> dict[str, TopicModel]:
    """Fit each model, score it, choose k and measure stability; write those tables."""
    models: dict[str, TopicModel] = {}
    scores, selection, recommended = [], [], {}
    for method in settings.models:
        models[method] = model = _shown(method, tokens, settings.k, settings.seed, settings)
        for measure in settings.measures:
            values = np.atleast_1d(MEASURES[measure](model, tokens, settings.top_n))
            scores += [(method, measure, t if len(values) > 1 else "all", float(v))
                       for t, v in enumerate(values)]
        with warnings.catch_warnings(record=True) as caught:  # kept in the table, not lost
            warnings.simplefilter("always")
            chosen, best = select_k(tokens, settings.ks, method, settings.seeds, n_jobs=n_jobs,
                                    measures=("c_v", "c_npmi", "diversity"), n=settings.top_n)
        selection.append(chosen)
        recommended[method] = (best, "; ".join(str(w.message) for w in caught))
        runs = [_shown(method, tokens, settings.k, s, settings) for s in settings.seeds]
        write.csv(f"stability_{method}", stability(runs, settings.top_n))
    selection_frame = pd.concat(selection, ignore_index=True)
    write.csv("select_k", selection_frame)
    rule = ("among the k whose stability across seeds is at least 0.5, the highest mean c_v; "
            "ties to the smaller k")
    shown = [(m, k, settings.k, _why(k, settings.k), rule, note)
             for m, (k, note) in sorted(recommended.items())]
    write.csv("recommended_k", pd.DataFrame(shown, columns=[
        "method", "recommended_k", "shown_k", "why", "rule", "note"]))
    write.figure("select_k", plotting.plot_select_k(
        selection_frame, {m: k for m, (k, _) in recommended.items()}, shown=settings.k,
        note=f"Dotted: the recommended k ({rule}). Grey: the k shown in the other figures and "
             "tables (" + "; ".join(f"{m.upper()}: {why}" for m, _, _, why, _, _ in shown) + ")."))
    write.csv("scores", pd.DataFrame(scores, columns=["model", "measure", "topic", "value"]))
    return models


_STEP_NAMES = {"name": "people's names", "articles": "words of a single article"}


def _corpus_tables_and_figures(write, articles, units, candidates, tokens, preprocessor, lexicon):
    write.csv("articles", pd.DataFrame([{
        "id": a.id, "title": a.title, "newspaper": a.source, "province": a.province,
        "district": a.district, "date": a.date.isoformat() if a.date else "unknown",
        "date_note": a.metadata.get("date_note", ""), "byline": a.byline,
        "paragraphs": len(a.paragraphs), "characters": len(a.text)} for a in articles]))
    counts = Counter(t for doc in tokens for t in doc)
    write.csv("features", pd.DataFrame(
        [(w, n, lexicon.gloss(w) or "") for w, n in sorted(counts.items(), key=lambda x: (-x[1], x[0]))],
        columns=["feature", "count", "gloss"]))
    stopwords = preprocessor.stopwords_
    write.csv("stopwords_removed", stopwords.report(candidates))
    cited = pd.DataFrame([(a.id, ref) for a in articles for ref in document_references(a.text)],
                         columns=["article_id", "document"])
    write.csv("documents_cited", cited)
    for kind, find in (("people", person_names), ("places", place_names)):  # per article
        write.csv(f"{kind}_named", pd.DataFrame(
            [(a.id, name) for a in articles for name in find(a.text)],
            columns=["article_id", "name"]))
    write.figure("documents_cited", plotting.plot_documents_cited(
        cited, [a.id for a in articles], [f"{a.id[:3]} {a.district or a.province}" for a in articles]))

    per_article = Counter()
    for unit, doc in zip(units, candidates):
        per_article[unit.article_id] += len(doc)
    lengths = pd.DataFrame({"label": [f"{a.district or a.province} ({a.date.year if a.date else 'no date'})"
                                      for a in articles],
                            "tokens": [per_article[a.id] for a in articles],
                            "paragraphs": [len(a.paragraphs) for a in articles]})
    vocabulary = [("candidate words", set(t for d in candidates for t in d))]
    for layer in LAYERS:
        kept = {w for w in vocabulary[-1][1] if stopwords.layer(w) != layer}
        vocabulary.append((f"− {_STEP_NAMES.get(layer, layer + ' stopwords')}", kept))
    steps = pd.DataFrame([(s, len(w)) for s, w in vocabulary], columns=["step", "words"])
    write.csv("vocabulary_by_step", steps)
    write.figure("corpus_overview", plotting.plot_corpus_overview(lengths, steps))


def _model_outputs(write, method, model, frame, glosses, titles, settings):
    top, weights = model.top_words(settings.top_n), model.top_weights(settings.top_n)
    labels = topic_labels(model, 3, glosses=False)
    topics = model.topics_frame(settings.top_n)
    topics["gloss"] = [glosses.get(w, "") for w in topics["word"]]
    write.csv(f"topics_{method}", topics)
    rows = frame.iloc[model.doc_index].reset_index(drop=True)
    shares = pd.DataFrame(model.doc_topic, columns=[f"topic_{t}" for t in range(model.k)])
    write.csv(f"doc_topic_{method}", pd.concat([rows[["article_id", "unit_index"]], shares], axis=1))
    by_article = article_shares(model, frame)
    write.csv(f"article_shares_{method}", by_article, index=True)
    examples = representative_units(model, frame, n=3, min_tokens=10)  # no photo captions
    write.csv(f"representative_{method}", examples)
    name = method.upper()
    if model.topic_stability is not None:  # how much of each topic reappears across the runs
        labels = [f"{label} (stability {s:.2f})" for label, s in zip(labels, model.topic_stability)]
    titles_short = [f"{name} {t}: {label}" for t, label in enumerate(labels)]
    write.figure(f"top_words_{method}", plotting.plot_top_words(top, weights, titles_short, glosses))
    write.figure(f"wordclouds_{method}", plotting.plot_wordclouds(top, weights, titles=titles_short))
    write.figure(f"doc_topic_articles_{method}", plotting.plot_heatmap(
        by_article.to_numpy(), [titles[i] for i in by_article.index], list(range(model.k)),
        title=f"{name}: topic shares per article"))
    write.figure(f"doc_topic_paragraphs_{method}", plotting.plot_heatmap(
        model.doc_topic, [f"{a[:3]} ¶{i}" for a, i in zip(rows["article_id"], rows["unit_index"])],
        list(range(model.k)), title=f"{name}: topic shares per paragraph", annotate=False))
    for by in ("province", "year", "source"):
        table = prevalence(model, frame, by=by)
        write.csv(f"prevalence_{by}_{method}", table, index=True)
        if by != "source":
            write.figure(f"prevalence_{by}_{method}", plotting.plot_prevalence(
                table, title=f"{name}: topic prevalence by {by}", labels=titles_short))
    page = explorer_html(model, labels=labels, glosses=glosses, examples=examples,
                         article_shares=by_article, titles=titles)
    write.bytes(f"explorer/{method}.html", page.encode("utf-8"))


def check(out: str | Path, settings: Settings | None = None) -> list[str]:
    """Regenerate into a temporary folder; return the outputs whose hash differs from the
    manifest in ``out`` or from the file on disk, the files the manifest lists that are
    missing, and the files on disk it does not list. An empty list means identical.

    A manifest that is not one ``reproduce`` wrote raises ``ValueError`` naming it, before the
    regeneration."""
    out = Path(out)
    path = out / MANIFEST
    try:
        recorded = read_manifest(path, LAYOUT, strict=True)
    except FileNotFoundError as error:
        raise FileNotFoundError(f"{path} not found; run `vnparty reproduce --out {out}` "
                                "first") from error
    if settings is None:
        settings = _recorded_settings(recorded, path)
    with tempfile.TemporaryDirectory(prefix="vnparty-check-") as folder:
        fresh = read_manifest(reproduce(folder, settings, progress=False), LAYOUT)
    return differences(out, recorded["outputs"], fresh["outputs"])


def _recorded_settings(recorded: dict, path: Path) -> Settings:
    saved = recorded.get("settings")
    names = {f.name for f in fields(Settings)}
    if not isinstance(saved, dict) or set(saved) != names:
        keys = sorted(saved) if isinstance(saved, dict) else None
        raise ValueError(f'{path} has no complete "settings" (expected {sorted(names)}, found '
                         f"{keys}); the manifest was changed: run `vnparty reproduce` again, or "
                         "pass the settings to check()")
    try:
        return Settings(**saved)
    except (TypeError, ValueError) as error:
        raise ValueError(f"{path}: the recorded settings are not valid ({error}); the manifest "
                         "was changed: run `vnparty reproduce` again") from error


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
