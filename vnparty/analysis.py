"""What the topics say about the corpus: labels, representative units, prevalence by metadata,
article-level shares and the alignment of two models. Plain DataFrames in, DataFrames out."""

from __future__ import annotations

from typing import Sequence

import numpy as np
import pandas as pd
from scipy.optimize import linear_sum_assignment

from .corpus import Article, Unit
from .lexicon import Lexicon, default_lexicon
from .models import TopicModel

__all__ = ["topic_labels", "topic_table", "representative_units", "unit_frame",
           "article_shares", "prevalence", "align_models"]


def topic_labels(model: TopicModel, n: int = 3, *, lexicon: Lexicon | None = None,
                 glosses: bool = True) -> list[str]:
    """A short label per topic: its top ``n`` words, with English glosses where the lexicon
    has them ("cấp_ủy (Party committee) · chi_bộ (Party cell) · …")."""
    lexicon = default_lexicon() if lexicon is None else lexicon
    labels = []
    for words in model.top_words(n):
        parts = []
        for word in words:
            gloss = lexicon.gloss(word) if glosses else None
            parts.append(f"{word} ({gloss})" if gloss else word)
        labels.append(" · ".join(parts))
    return labels


def topic_table(model: TopicModel, n: int = 10, *, lexicon: Lexicon | None = None) -> pd.DataFrame:
    """One row per topic: topic, top words, their glosses, and the topic's share of the
    corpus (mean document share); its name and stability where the model has them
    (:func:`vnparty.fit_seeded`, :func:`vnparty.fit_ensemble`)."""
    lexicon = default_lexicon() if lexicon is None else lexicon
    top = model.top_words(n)
    table = pd.DataFrame({
        "topic": np.arange(model.k),
        "top_words": [" ".join(words) for words in top],
        "glosses": ["; ".join(f"{w}: {lexicon.gloss(w)}" for w in words if lexicon.gloss(w))
                    for words in top],
        "share": model.doc_topic.mean(axis=0),
    })
    if model.topic_names is not None:
        table.insert(1, "name", model.topic_names)
    if model.topic_stability is not None:
        table["stability"] = model.topic_stability
    return table


def unit_frame(units: Sequence[Unit], articles: Sequence[Article] | None = None,
               tokens: Sequence[Sequence[str]] | None = None) -> pd.DataFrame:
    """Units with their article's metadata (province, district, source, date, year) and, when
    ``tokens`` are given, their length in tokens."""
    frame = pd.DataFrame({"article_id": [u.article_id for u in units],
                          "unit_index": [u.index for u in units],
                          "text": [u.text for u in units]})
    if tokens is not None:
        frame["n_tokens"] = [len(t) for t in tokens]
    if articles is not None:
        meta = pd.DataFrame([{"article_id": a.id, "title": a.title, "province": a.province,
                              "district": a.district, "source": a.source, "date": a.date,
                              "year": a.date.year if a.date else None} for a in articles])
        meta["year"] = meta["year"].astype("Int64")
        frame = frame.merge(meta, on="article_id", how="left", validate="many_to_one")
    return frame


def _rows(model: TopicModel, frame: pd.DataFrame) -> pd.DataFrame:
    if len(frame) <= int(model.doc_index.max()):
        raise ValueError(f"the model was fitted on at least {model.doc_index.max() + 1} documents "
                         f"but {len(frame)} were given; pass the units the model was fitted on")
    return frame.iloc[model.doc_index].reset_index(drop=True)


def representative_units(model: TopicModel, frame: pd.DataFrame, n: int = 3,
                         excerpt: int = 200, min_tokens: int = 0) -> pd.DataFrame:
    """The ``n`` units with the highest share of each topic: topic, rank, article_id,
    unit_index, share, excerpt. ``frame`` is :func:`unit_frame` of the units the model saw;
    with ``min_tokens`` (needs its ``n_tokens`` column) shorter units, such as photo
    captions, are passed over."""
    rows = _rows(model, frame)
    eligible = np.ones(len(rows), dtype=bool)
    if min_tokens:
        if "n_tokens" not in rows.columns:
            raise ValueError("min_tokens needs unit lengths: build the frame with "
                             "unit_frame(units, articles, tokens)")
        eligible = rows["n_tokens"].to_numpy() >= min_tokens
    out = []
    for topic in range(model.k):
        shares = np.where(eligible, model.doc_topic[:, topic], -1.0)
        order = [i for i in np.argsort(-shares, kind="stable")[:n] if eligible[i]]
        for rank, i in enumerate(order):
            text = rows.loc[i, "text"]
            out.append({"topic": topic, "rank": rank, "article_id": rows.loc[i, "article_id"],
                        "unit_index": int(rows.loc[i, "unit_index"]),
                        "share": float(model.doc_topic[i, topic]),
                        "excerpt": text if len(text) <= excerpt else text[:excerpt - 1] + "…"})
    return pd.DataFrame(out)


def prevalence(model: TopicModel, frame: pd.DataFrame, by: str = "article_id",
               weight: str | None = "n_tokens") -> pd.DataFrame:
    """Mean topic share per group of ``by`` (article_id, province, year, source …), each unit
    weighted by ``weight`` (its length in tokens by default; ``None`` for equal weights).
    Rows: groups; columns: topics; rows sum to 1. Units with no value of ``by`` are left out."""
    rows = _rows(model, frame)
    if by not in rows.columns:
        raise ValueError(f"no column {by!r}; choose one of {list(rows.columns)}")
    weights = np.ones(len(rows)) if weight is None else rows[weight].to_numpy(dtype=float)
    shares = pd.DataFrame(model.doc_topic * weights[:, None], columns=range(model.k))
    shares[by] = rows[by].reset_index(drop=True)
    grouped = shares.dropna(subset=[by]).groupby(by, sort=True)
    totals = grouped.sum()
    return totals.div(totals.sum(axis=1), axis=0).rename_axis(columns="topic")


def article_shares(model: TopicModel, frame: pd.DataFrame) -> pd.DataFrame:
    """Topic shares of whole articles: paragraph (unit) shares weighted by length in tokens."""
    return prevalence(model, frame, by="article_id", weight="n_tokens")


def align_models(a: TopicModel, b: TopicModel) -> pd.DataFrame:
    """Which topic of ``b`` matches each topic of ``a``, and how well: cosine similarity of
    their word distributions over the union of the vocabularies, one-to-one by Hungarian
    assignment. Columns: topic_a, topic_b, similarity, plus the full matrix as ``.attrs
    ["similarity"]`` (k_a × k_b)."""
    words = sorted(set(a.vocabulary) | set(b.vocabulary))
    position = {w: i for i, w in enumerate(words)}

    def spread(model):
        matrix = np.zeros((model.k, len(words)))
        matrix[:, [position[w] for w in model.vocabulary]] = model.topic_word
        return matrix / np.linalg.norm(matrix, axis=1, keepdims=True)

    similarity = spread(a) @ spread(b).T
    rows, columns = linear_sum_assignment(-similarity)
    frame = pd.DataFrame({"topic_a": rows, "topic_b": columns,
                          "similarity": similarity[rows, columns]})
    frame.attrs["similarity"] = similarity
    return frame
