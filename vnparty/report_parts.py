"""The tables, figures and explorer pages of a report (see :mod:`vnparty.report`)."""

from __future__ import annotations

import re
import unicodedata
import warnings
from collections import Counter

import numpy as np
import pandas as pd
from tqdm import tqdm  # the plain bar: tqdm.auto warns on import in a notebook without ipywidgets

from . import plotting
from .analysis import (align_models, article_shares, prevalence, representative_units, time_axis,
                       topic_labels, unit_frame)
from .ensemble import fit_ensemble
from .evaluation import MEASURES, select_k, stability
from .explorer import explorer_html
from .io import csv_text
from .lexicon import default_lexicon, document_references
from .models import TopicModel, fit_lda, fit_nmf
from .names import person_names, place_names
from .stopwords import LAYERS

_FIT = {"lda": fit_lda, "nmf": fit_nmf}
_STEP_NAMES = {"name": "people's names", "articles": "words of a single article"}
_MAX_LISTED = 40  # articles drawn one by one in the corpus figures; more are summarised


class Writer:
    """Writes tables and figures into the scratch folder of a run."""

    def __init__(self, folder, formats: tuple[str, ...]):
        self.folder, self.formats = folder, formats

    def bytes(self, relative: str, data: bytes) -> None:
        self.folder.write(relative, data)

    def csv(self, name: str, frame: pd.DataFrame, index: bool = False) -> None:
        text = csv_text(frame, index=index, float_format="%.10g")
        self.bytes(f"tables/{name}.csv", text.encode("utf-8"))

    def figure(self, name: str, fig) -> None:
        for fmt in self.formats:
            self.bytes(f"figures/{name}.{fmt}", plotting.figure_bytes(fig, fmt))


def file_stem(column: str) -> str:
    """A column name as part of a file name: ASCII letters, digits and _ ("Chuyên mục" ->
    "chuyen_muc"); the column itself keeps its tone marks in every table and figure."""
    folded = unicodedata.normalize("NFKD", column.replace("đ", "d").replace("Đ", "D"))
    folded = "".join(c for c in folded if not unicodedata.combining(c)).lower()
    return re.sub(r"[^a-z0-9]+", "_", folded).strip("_") or "column"


def build(folder, corpus, settings, default_by, *, progress, n_jobs) -> int:
    """Write every output of ``corpus`` into ``folder``; return the k shown."""
    write = Writer(folder, settings.formats)
    lexicon = default_lexicon()
    stages = ["tables of the corpus", "choosing k", *(f"fitting {m.upper()}" for m in
                                                       settings.models),
              *(f"figures of {m.upper()}" for m in settings.models), "alignment"]
    with tqdm(total=len(stages), desc="report", disable=progress is False, leave=False) as bar:
        def stage(name):
            bar.set_description(f"report: {name}")

        stage(stages[0])
        frame = unit_frame(corpus.units, corpus.articles, corpus.tokens)
        corpus_outputs(write, corpus, lexicon)
        bar.update()
        stage(stages[1])
        k = choose_k(write, corpus.tokens, settings, n_jobs)
        bar.update()
        models, scores = {}, []
        for method in settings.models:
            stage(f"fitting {method.upper()}")
            models[method] = fit_and_score(write, method, corpus.tokens, k, settings, scores)
            bar.update()
        write.csv("scores", pd.DataFrame(scores, columns=["model", "measure", "topic", "value"]))
        glosses = {w: g for m in models.values() for t in m.top_words(20) for w in t
                   if (g := lexicon.gloss(w))}
        by = tuple(settings.by if settings.by is not None else default_by)
        if (axis := time_axis(frame)) and axis not in by:
            by = (*by, axis)
        for method, model in models.items():
            stage(f"figures of {method.upper()}")
            model_outputs(write, method, model, frame, glosses, settings, by)
            bar.update()
        stage("alignment")
        if {"lda", "nmf"} <= set(models):
            aligned = align_models(models["lda"], models["nmf"])
            write.csv("alignment_lda_nmf", aligned)
            write.figure("alignment_lda_nmf", plotting.plot_heatmap(
                aligned.attrs["similarity"], [f"LDA {t}" for t in range(models["lda"].k)],
                [f"NMF {t}" for t in range(models["nmf"].k)], xlabel="NMF topic",
                title="LDA ↔ NMF: cosine similarity of topic-word distributions", cmap="Greens"))
        bar.update()
    return k


def shown_model(method, tokens, k, seed, settings) -> TopicModel:
    """The model shown: the consensus of ``settings.n_runs`` runs (the same themes from any
    seed; see :func:`vnparty.fit_ensemble`), or a single fit when ``n_runs`` is 1."""
    if settings.n_runs == 1:
        return _FIT[method](tokens, k, seed=seed)
    return fit_ensemble(tokens, k, method=method, n_runs=settings.n_runs, seed=seed)


def choose_k(write, tokens, settings, n_jobs) -> int:
    """Compare the ks of every model (tables select_k, recommended_k; figure select_k); return
    the k shown: ``settings.k``, or the first model's recommendation when it is "auto"."""
    selection, recommended, rule = [], {}, ""
    for method in settings.models:
        with warnings.catch_warnings(record=True) as caught:  # kept in the table, not lost
            warnings.simplefilter("always")
            chosen, best = select_k(tokens, settings.ks, method, settings.seeds, n_jobs=n_jobs,
                                    measures=("c_v", "c_npmi", "diversity"), n=settings.top_n)
        selection.append(chosen)
        rule = chosen.attrs["rule"]
        recommended[method] = (best, "; ".join(dict.fromkeys(str(w.message) for w in caught)))
    k = recommended[settings.models[0]][0] if settings.k == "auto" else settings.k
    shown = [(m, best, k, _why(m, best, k, settings), rule, note)
             for m, (best, note) in sorted(recommended.items())]
    frame = pd.concat(selection, ignore_index=True)
    write.csv("select_k", frame)
    write.csv("recommended_k", pd.DataFrame(shown, columns=[
        "method", "recommended_k", "shown_k", "why", "rule", "note"]))
    write.figure("select_k", plotting.plot_select_k(
        frame, {m: best for m, (best, _) in recommended.items()}, shown=k, rule=rule,
        note="Grey: the k shown in the other figures and tables ("
             + "; ".join(f"{m.upper()}: {why}" for m, _, _, why, _, _ in shown) + ")."))
    return k


def _why(method, recommended: int, shown: int, settings) -> str:
    if settings.k == "auto":
        first = settings.models[0]
        return ("the recommended k (k = auto)" if method == first else
                f"k = auto takes {first.upper()}'s recommendation for every model")
    if recommended == shown:
        return "the recommended k"
    return (f"k = {shown} is set (--k); select_k recommends {recommended}: one k for every "
            "model keeps them comparable topic by topic (tables/alignment_lda_nmf.csv)")


def fit_and_score(write, method, tokens, k, settings, scores: list) -> TopicModel:
    """The model shown, its scores (added to ``scores``) and its stability across seeds."""
    model = shown_model(method, tokens, k, settings.seed, settings)
    for measure in settings.measures:
        values = np.atleast_1d(MEASURES[measure](model, tokens, settings.top_n))
        scores += [(method, measure, t if len(values) > 1 else "all", float(v))
                   for t, v in enumerate(values)]
    runs = [model if s == settings.seed else shown_model(method, tokens, k, s, settings)
            for s in settings.seeds]
    write.csv(f"stability_{method}", stability(runs, settings.top_n))
    return model


def _article_label(article) -> str:
    place = article.district or article.province
    year = article.date.year if article.date else "no date"
    return f"{place} ({year})" if place else f"{(article.title or article.id)[:40]} ({year})"


def corpus_outputs(write, corpus, lexicon) -> None:
    """Tables and figures of the articles before any model: metadata, features, stopwords,
    documents cited, names, vocabulary by step."""
    articles, units, candidates, tokens = (corpus.articles, corpus.units, corpus.candidates,
                                           corpus.tokens)
    per_article = Counter()
    for unit, doc in zip(units, candidates):
        per_article[unit.article_id] += len(doc)
    rows = []
    for a in articles:
        row = {"id": a.id, "title": a.title, "source": a.source, "province": a.province,
               "district": a.district, "date": a.date.isoformat() if a.date else "",
               "byline": a.byline}
        row.update({k: v for k, v in a.metadata.items() if k not in row})
        row.update({"paragraphs": len(a.paragraphs), "words": per_article[a.id],
                    "characters": len(a.text)})
        rows.append(row)
    write.csv("articles", pd.DataFrame(rows))
    counts = Counter(t for doc in tokens for t in doc)
    write.csv("features", pd.DataFrame(
        [(w, n, lexicon.gloss(w) or "") for w, n in sorted(counts.items(), key=lambda x: (-x[1], x[0]))],
        columns=["feature", "count", "gloss"]))
    stopwords = corpus.preprocessor.stopwords_
    write.csv("stopwords_removed", stopwords.report(candidates))
    cited = pd.DataFrame([(a.id, ref) for a in articles for ref in document_references(a.text)],
                         columns=["article_id", "document"])
    write.csv("documents_cited", cited)
    for kind, find in (("people", person_names), ("places", place_names)):  # per article
        write.csv(f"{kind}_named", pd.DataFrame(
            [(a.id, name) for a in articles for name in find(a.text)],
            columns=["article_id", "name"]))
    if len(articles) <= _MAX_LISTED and len(cited):
        write.figure("documents_cited", plotting.plot_documents_cited(
            cited, [a.id for a in articles], [_article_label(a) for a in articles]))
    listed = sorted(articles, key=lambda a: -per_article[a.id])[:_MAX_LISTED]
    if len(articles) <= _MAX_LISTED:
        listed = articles
    lengths = pd.DataFrame({"label": [_article_label(a) for a in listed],
                            "tokens": [per_article[a.id] for a in listed],
                            "paragraphs": [len(a.paragraphs) for a in listed]})
    vocabulary = [("candidate words", set(t for d in candidates for t in d))]
    for layer in LAYERS:
        kept = {w for w in vocabulary[-1][1] if stopwords.layer(w) != layer}
        vocabulary.append((f"− {_STEP_NAMES.get(layer, layer + ' stopwords')}", kept))
    steps = pd.DataFrame([(s, len(w)) for s, w in vocabulary], columns=["step", "words"])
    write.csv("vocabulary_by_step", steps)
    write.figure("corpus_overview", plotting.plot_corpus_overview(
        lengths, steps, total=len(articles)))


def model_outputs(write, method, model, frame, glosses, settings, by) -> None:
    """Topics, shares, representative units, prevalence by each column of ``by``, figures and
    the explorer page of one model."""
    top, weights = model.top_words(settings.top_n), model.top_weights(settings.top_n)
    labels = (list(model.topic_names) if model.topic_names is not None
              else topic_labels(model, 3, glosses=False))
    topics = model.topics_frame(settings.top_n)
    topics["gloss"] = [glosses.get(w, "") for w in topics["word"]]
    write.csv(f"topics_{method}", topics)
    rows = frame.iloc[model.doc_index].reset_index(drop=True)
    shares = pd.DataFrame(model.doc_topic, columns=[f"topic_{t}" for t in range(model.k)])
    write.csv(f"doc_topic_{method}", pd.concat([rows.drop(columns=["text"]), shares], axis=1))
    by_article = article_shares(model, frame)
    write.csv(f"article_shares_{method}", by_article, index=True)
    examples = representative_units(model, frame, n=3)  # captions are passed over
    write.csv(f"representative_{method}", examples)
    name = method.upper()
    if model.topic_stability is not None:  # how much of each topic reappears across the runs
        labels = [f"{label} (stability {s:.2f})" for label, s in zip(labels, model.topic_stability)]
    panel_titles = [f"{name} {t}: {label}" for t, label in enumerate(labels)]
    write.figure(f"top_words_{method}", plotting.plot_top_words(top, weights, panel_titles, glosses))
    write.figure(f"wordclouds_{method}", plotting.plot_wordclouds(top, weights, titles=panel_titles))
    titles = dict(zip(frame["article_id"], frame["title"].fillna(frame["article_id"])))
    write.figure(f"doc_topic_articles_{method}", plotting.plot_heatmap(
        by_article.to_numpy(), [titles[i] for i in by_article.index], list(range(model.k)),
        title=f"{name}: topic shares per article"))
    if settings.unit != "article":
        write.figure(f"doc_topic_{settings.unit}s_{method}", plotting.plot_heatmap(
            model.doc_topic, [f"{a[:3]} ¶{i}" for a, i in zip(rows["article_id"], rows["unit_index"])],
            list(range(model.k)), title=f"{name}: topic shares per {settings.unit}",
            annotate=False))
    stems: set[str] = set()
    for column in by:
        table = prevalence(model, frame, by=column, seed=settings.seed)
        stem = base = file_stem(column)
        while stem in stems:  # "Năm" and "nam" name different columns
            stem = f"{base}_{len(stems)}"
        stems.add(stem)
        write.csv(f"prevalence_{stem}_{method}", table)
        write.figure(f"prevalence_{stem}_{method}", plotting.plot_prevalence(
            table, by=column, title=f"{name}: topic prevalence by {column}", labels=panel_titles,
            unit=settings.unit))
    page = explorer_html(model, frame, labels=labels, glosses=glosses, unit=settings.unit)
    write.bytes(f"explorer/{method}.html", page.encode("utf-8"))
