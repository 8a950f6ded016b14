"""What the topics say about the corpus: labels, representative units, prevalence by any metadata
column (with a bootstrap interval over articles), article-level shares and the alignment of two
models. Plain DataFrames in, DataFrames out."""

from __future__ import annotations

import math
import warnings
from numbers import Integral, Real
from typing import NamedTuple, Sequence

import numpy as np
import pandas as pd
from scipy import sparse
from scipy.optimize import linear_sum_assignment

from ._params import SEED, Rule, check, one_of, options, whole
from .corpus import Article, Unit
from .lexicon import Lexicon, default_lexicon
from .models import TopicModel

__all__ = ["topic_labels", "topic_table", "representative_units", "unit_frame",
           "article_shares", "prevalence", "time_axis", "align_models"]

# The columns unit_frame makes itself; an Article.metadata key with one of these names is dropped.
_UNIT_COLUMNS = ("article_id", "unit_index", "text", "n_tokens")
_ARTICLE_COLUMNS = ("title", "province", "district", "source", "byline", "date", "year", "month")
_PREVALENCE_COLUMNS = ("topic", "share", "low", "high", "articles", "units")
MIN_TOKENS = 10  # representative_units: a shorter unit (n_tokens) is a caption, not a paragraph
MIN_WORDS = 30  # the same without n_tokens, in words of the text (about 3 per token)
YEARS_FOR_YEAR_AXIS = 3  # time_axis: dates spanning this many calendar years or more -> "year"
_LEVEL = Rule("a number between 0 and 1 (exclusive), such as 0.95",
              lambda v: isinstance(v, Real) and not isinstance(v, bool) and 0 < v < 1)
_CHUNK = 2 ** 22  # bootstrap: numbers held in memory at once (draws x articles or x results)


def topic_labels(model: TopicModel, n: int = 3, *, lexicon: Lexicon | None = None,
                 glosses: bool = True) -> list[str]:
    """A short label per topic: its top words, with English glosses where the lexicon has them.

    Parameters
    ----------
    model : TopicModel
        A fitted model.
    n : int, default 3
        How many top words per label.
    lexicon : Lexicon, optional
        Where the glosses come from; :func:`vnparty.default_lexicon` when None.
    glosses : bool, default True
        False gives the words alone.

    Returns
    -------
    list of str
        One label per topic, such as "cấp_ủy (Party committee) · chi_bộ (Party cell) · …".

    Examples
    --------
    >>> from vnparty import fit_nmf
    >>> m = fit_nmf([["chi_bộ", "đảng_viên"], ["cấp_ủy", "kiểm_tra"]] * 5, k=2)
    >>> topic_labels(m, n=2, glosses=False)
    ['cấp_ủy · kiểm_tra', 'chi_bộ · đảng_viên']
    """
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
    """One row per topic: its top words, their glosses and its share of the corpus.

    Parameters
    ----------
    model : TopicModel
        A fitted model.
    n : int, default 10
        How many top words per topic.
    lexicon : Lexicon, optional
        Where the glosses come from; :func:`vnparty.default_lexicon` when None.

    Returns
    -------
    pandas.DataFrame
        Columns topic, top_words (space-separated), glosses ("word: gloss; …") and share (the
        topic's mean document share; the shares sum to 1); a ``name`` column after ``topic``
        and a ``stability`` column where the model has them (:func:`vnparty.fit_seeded`,
        :func:`vnparty.fit_ensemble`).

    Examples
    --------
    >>> from vnparty import fit_nmf
    >>> m = fit_nmf([["chi_bộ", "đảng_viên"], ["cấp_ủy", "kiểm_tra"]] * 5, k=2)
    >>> list(topic_table(m, n=2).columns)
    ['topic', 'top_words', 'glosses', 'share']
    """
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


def _missing(value) -> bool:
    """None, NaN, NA, NaT or a blank string: no value."""
    if isinstance(value, str):
        return not value.strip()
    return value is None or value is pd.NA or value is pd.NaT or (
        isinstance(value, float) and math.isnan(value))


def _column(values: list):
    """A metadata column: whole numbers (with gaps) as Int64, the rest as pandas infers it."""
    present = [v for v in values if v is not None]
    if present and all(isinstance(v, Integral) and not isinstance(v, bool) for v in present):
        return pd.array(values, dtype="Int64")
    return pd.Series(values, dtype=object).infer_objects()


def unit_frame(units: Sequence[Unit], articles: Sequence[Article] | None = None,
               tokens: Sequence[Sequence[str]] | None = None) -> pd.DataFrame:
    """One row per unit with its article's metadata and its length in tokens.

    Parameters
    ----------
    units : sequence of Unit
        The units a model was (or will be) fitted on, in the same order
        (:func:`vnparty.split_units`).
    articles : sequence of Article, optional
        Their articles; every article's metadata is copied onto its units.
    tokens : sequence of list of str, optional
        The token lists of the units, in the same order; gives ``n_tokens``.

    Returns
    -------
    pandas.DataFrame
        Columns article_id, unit_index, text; n_tokens when ``tokens`` are given; and with
        ``articles``: title, province, district, source, byline, date (``datetime.date``),
        year (Int64), month ("YYYY-MM"), then every key of ``Article.metadata`` (the extra
        columns of a CSV or JSONL file read by :func:`vnparty.read_articles`, such as
        ``category``) in the order first met. Missing values and blank strings are missing
        (None/NA); a metadata key whose values are all whole numbers gives an Int64 column.
        A metadata key named like one of the columns above is dropped, with one warning that
        names the key(s): the built-in column is kept.

    Raises
    ------
    ValueError
        ``tokens`` not one list per unit, or two articles with the same id.

    Examples
    --------
    >>> from vnparty import Article, split_units
    >>> arts = [Article("a1", "Chi bộ họp", ("Chi bộ họp.",), metadata={"category": "xd"})]
    >>> frame = unit_frame(split_units(arts), arts, [["chi_bộ", "họp"]])
    >>> frame.loc[0, "title"], int(frame.loc[0, "n_tokens"]), frame.loc[0, "category"]
    ('Chi bộ họp', 2, 'xd')
    """
    units = list(units)
    frame = pd.DataFrame({"article_id": [u.article_id for u in units],
                          "unit_index": [u.index for u in units],
                          "text": [u.text for u in units]})
    if tokens is not None:
        if len(tokens) != len(units):
            raise ValueError(f"{len(tokens)} token lists for {len(units)} units; give the "
                             "tokens of these units, one list per unit, in the same order")
        frame["n_tokens"] = [len(t) for t in tokens]
    if articles is None:
        return frame
    articles = list(articles)
    ids = pd.Series([a.id for a in articles])
    if ids.duplicated().any():
        raise ValueError(f"two articles have the id {ids[ids.duplicated()].iloc[0]!r}; give "
                         "each article its own id")
    keys = list(dict.fromkeys(key for a in articles for key in a.metadata))
    clashes = [key for key in keys if key in _UNIT_COLUMNS + _ARTICLE_COLUMNS]
    if clashes:
        warnings.warn(f"Article.metadata key(s) {clashes} have the name of a column unit_frame "
                      "makes itself; the built-in column is kept and these metadata values are "
                      "left out. Rename the key(s) to keep them", stacklevel=2)
    meta = pd.DataFrame({
        "article_id": ids,
        "title": [a.title for a in articles],
        "province": [a.province for a in articles],
        "district": [a.district for a in articles],
        "source": [a.source for a in articles],
        "byline": [a.byline for a in articles],
        "date": pd.Series([a.date for a in articles], dtype=object),
        "year": pd.array([a.date.year if a.date else None for a in articles], dtype="Int64"),
        "month": [f"{a.date.year:04d}-{a.date.month:02d}" if a.date else None for a in articles],
    })
    for key in keys:
        if key not in clashes:
            meta[key] = _column([None if _missing(v := a.metadata.get(key)) else v
                                 for a in articles])
    return frame.merge(meta, on="article_id", how="left", validate="many_to_one")


def _rows(model: TopicModel, frame: pd.DataFrame) -> pd.DataFrame:
    if len(frame) <= int(model.doc_index.max()):
        raise ValueError(f"the model was fitted on at least {model.doc_index.max() + 1} documents "
                         f"but {len(frame)} were given; pass the units the model was fitted on")
    return frame.iloc[model.doc_index].reset_index(drop=True)


def representative_units(model: TopicModel, frame: pd.DataFrame, n: int = 3,
                         excerpt: int = 200, min_tokens: int | None = None) -> pd.DataFrame:
    """The units with the highest share of each topic, photo captions passed over.

    Parameters
    ----------
    model : TopicModel
        A fitted model.
    frame : pandas.DataFrame
        :func:`unit_frame` of the units the model was fitted on.
    n : int, default 3
        Units per topic.
    excerpt : int, default 200
        Longest excerpt in characters; a longer text is cut and ends with "…".
    min_tokens : int, optional
        Units shorter than this are passed over (captions, headings, photo credits). A unit's
        length is its ``n_tokens`` when the frame has that column, else the number of words
        (whitespace-separated syllables) of its text. None (the default) means
        ``MIN_TOKENS`` = 10 tokens, or ``MIN_WORDS`` = 30 words when the frame has no
        ``n_tokens``; 0 passes over nothing.

    Returns
    -------
    pandas.DataFrame
        Columns topic, rank (0 = best), article_id, title (when the frame has titles),
        unit_index, share, excerpt; up to ``n`` rows per topic: the units of at least
        ``min_tokens`` with the highest share of the topic (above 0). A topic that dominates
        no unit that long (its share the largest of the unit's), such as a topic of photo
        captions, or that has fewer than ``n`` such units, falls back to the units it
        dominates, longest first, then to the others by share: it never gets no example
        while a unit holds some of it.

    Raises
    ------
    ValueError
        ``frame`` has fewer rows than the model saw, or a parameter is out of range.

    Examples
    --------
    >>> from vnparty import Article, fit_nmf, split_units
    >>> arts = [Article("a1", "Họp", ("chi_bộ họp " * 12, "đảng_viên mới " * 12, "Ảnh: chi_bộ")),
    ...         Article("a2", "Kết nạp", ("đảng_viên mới kết_nạp " * 8,))]
    >>> units = split_units(arts)
    >>> tokens = [u.text.replace(":", "").split() for u in units]
    >>> reps = representative_units(fit_nmf(tokens, k=2), unit_frame(units, arts, tokens), n=1)
    >>> list(reps.columns), 2 in set(reps["unit_index"])  # the caption is passed over
    (['topic', 'rank', 'article_id', 'title', 'unit_index', 'share', 'excerpt'], False)
    """
    check("representative_units", "n", n, whole(0))
    check("representative_units", "excerpt", excerpt, whole(1))
    check("representative_units", "min_tokens", min_tokens, one_of(options(None), whole(0)))
    rows = _rows(model, frame)
    if "n_tokens" in rows.columns:
        lengths = rows["n_tokens"].to_numpy(dtype=float, na_value=0)
        default = MIN_TOKENS
    else:
        lengths = np.array([len(str(text).split()) for text in rows["text"]], dtype=float)
        default = MIN_WORDS
    long = lengths >= (default if min_tokens is None else min_tokens)
    dominant = model.doc_topic.argmax(axis=1)
    columns = ["topic", "rank", "article_id"] + (["title"] if "title" in rows else []) + [
        "unit_index", "share", "excerpt"]
    out = []
    for topic in range(model.k):
        shares, own = model.doc_topic[:, topic], dominant == topic
        best = []
        if (long & own).any():
            best = [i for i in np.argsort(-shares, kind="stable") if long[i] and shares[i] > 0][:n]
        if len(best) < n:  # its own short units, longest first; then the others by share
            order = np.lexsort((-shares, np.where(own, -lengths, 0), ~own))
            best += [i for i in order if i not in best and shares[i] > 0][:n - len(best)]
        for rank, i in enumerate(best):
            text = str(rows.loc[i, "text"])
            row = {"topic": topic, "rank": rank, "article_id": rows.loc[i, "article_id"],
                   "unit_index": int(rows.loc[i, "unit_index"]),
                   "share": float(shares[i]),
                   "excerpt": text if len(text) <= excerpt else text[:excerpt - 1] + "…"}
            if "title" in rows:
                row["title"] = rows.loc[i, "title"]
            out.append(row)
    return pd.DataFrame(out, columns=columns)


class _Clusters(NamedTuple):
    """Per group × article sums: what prevalence and its bootstrap need."""

    groups: pd.Index  # the values of ``by``, sorted, in their own dtype
    group: np.ndarray  # (C,) group of each cluster; clusters sorted by group
    sums: np.ndarray  # (C, k) weighted topic shares added up per cluster
    totals: np.ndarray  # (C,) weights added up per cluster
    units: np.ndarray  # (G,) units per group


def _clusters(model: TopicModel, frame: pd.DataFrame, by, weight: str | None) -> _Clusters:
    rows = _rows(model, frame)
    if by not in rows.columns:
        raise ValueError(f"no column {by!r} in the frame; choose one of {list(rows.columns)} "
                         "(build the frame with unit_frame(units, articles, tokens) to get every "
                         "metadata column of the articles)")
    if by in _PREVALENCE_COLUMNS:
        raise ValueError(f"a column named {by!r} would clash with prevalence's own column of "
                         f"that name; rename it, e.g. frame.rename(columns={{{by!r}: 'my_{by}'}})")
    if "article_id" not in rows.columns or rows["article_id"].isna().any():
        raise ValueError("the frame needs an article_id for every unit; build it with "
                         "unit_frame(units, articles, tokens)")
    present = rows[by].notna().to_numpy()
    if pd.api.types.is_object_dtype(rows[by]) or pd.api.types.is_string_dtype(rows[by]):
        present = present & ~rows[by].map(_missing).to_numpy(dtype=bool)  # blank text: none
    if not present.any():
        raise ValueError(f"column {by!r} has no values (it is missing for every unit); fill it "
                         "in the articles or group by another column")
    rows = rows[present]
    try:
        codes, groups = pd.factorize(rows[by], sort=True)
    except TypeError as error:
        raise ValueError(f"column {by!r} holds values that cannot be grouped ({error}); group "
                         "by a column of text, numbers or dates") from error
    if weight is None:
        weights = np.ones(len(rows))
    else:
        if weight not in rows.columns:
            raise ValueError(f"no weight column {weight!r} in the frame; pass weight=None for "
                             "equal weights, or build the frame with unit_frame(units, articles, "
                             "tokens) to weight units by their length in tokens")
        try:
            weights = rows[weight].to_numpy(dtype=float, na_value=np.nan)
        except (TypeError, ValueError) as error:
            raise ValueError(f"weight column {weight!r} is not numeric ({error}); pass a column "
                             "of numbers or weight=None") from error
        bad = ~np.isfinite(weights) | (weights < 0)
        if bad.any():
            raise ValueError(f"weight column {weight!r} is missing, infinite or negative for "
                             f"{bad.sum()} unit(s); fill it in or pass weight=None")
    articles = pd.factorize(rows["article_id"])[0]
    cluster, pairs = pd.factorize(codes * (articles.max() + 1) + articles, sort=True)
    group = pairs // (articles.max() + 1)
    members = sparse.csr_matrix((weights, (cluster, np.arange(len(rows)))),
                                shape=(len(pairs), len(rows)))
    doc_topic = model.doc_topic[present]
    return _Clusters(groups=groups, group=group, sums=np.asarray(members @ doc_topic),
                     totals=np.bincount(cluster, weights=weights, minlength=len(pairs)),
                     units=np.bincount(codes, minlength=len(groups)))


def _shares(clusters: _Clusters, by) -> np.ndarray:
    """(G, k) weighted mean topic share per group."""
    n_groups = len(clusters.groups)
    totals = np.bincount(clusters.group, weights=clusters.totals, minlength=n_groups)
    if (totals <= 0).any():
        raise ValueError(f"the units of {by} = {clusters.groups[np.argmax(totals <= 0)]!r} all "
                         "have weight 0; pass weight=None or leave them out")
    summed = np.stack([np.bincount(clusters.group, weights=column, minlength=n_groups)
                       for column in clusters.sums.T], axis=1)
    return summed / totals[:, None]


def _bootstrap(sums: np.ndarray, totals: np.ndarray, sizes: np.ndarray, n_boot: int,
               level: float, rng: np.random.Generator) -> tuple[np.ndarray, np.ndarray]:
    """Percentile intervals (G, k) of the shares of G groups whose articles are the consecutive
    rows of ``sums`` (C, k) and ``totals`` (C,), ``sizes`` (G,) articles each: each draw picks
    every group's articles with replacement, all groups and draws at once (a sparse matrix of
    the picks, one row per draw and group, adds up the picked rows)."""
    n_groups, n_clusters = len(sizes), len(totals)
    group = np.repeat(np.arange(n_groups), sizes)
    first = np.repeat(np.cumsum(sizes) - sizes, sizes)
    step = max(1, _CHUNK // n_clusters)
    draws = []
    for start in range(0, n_boot, step):
        size = min(step, n_boot - start)
        picks = first + rng.integers(0, sizes[group], size=(size, n_clusters))
        # row (draw, group) holds that group's picks: already the order of picks.ravel()
        ends = np.cumsum(np.tile(sizes, size))
        counts = sparse.csr_matrix((np.ones(picks.size), picks.ravel(), np.r_[0, ends]),
                                   shape=(size * n_groups, n_clusters))
        with np.errstate(invalid="ignore", divide="ignore"):  # draws of weight-0 articles only
            draws.append((counts @ sums) / (counts @ totals)[:, None])
    # (G, k, draws): the draws of one share side by side, which quantile reads fastest
    draws = np.ascontiguousarray(np.moveaxis(np.concatenate(draws).reshape(n_boot, n_groups, -1),
                                             0, -1))
    bounds = [(1 - level) / 2, (1 + level) / 2]
    if not np.isnan(draws).any():
        return tuple(np.quantile(draws, bounds, axis=-1))
    with warnings.catch_warnings():  # (nanquantile is slow: only when needed)
        warnings.simplefilter("ignore", RuntimeWarning)  # all-NaN: every draw had weight 0
        return tuple(np.nanquantile(draws, bounds, axis=-1))


def prevalence(model: TopicModel, frame: pd.DataFrame, by: str = "article_id",
               weight: str | None = "n_tokens", *, n_boot: int = 200, level: float = 0.95,
               seed: int = 0) -> pd.DataFrame:
    """How much of each group's text is about each topic, with a bootstrap interval.

    The share of a topic in a group (a province, a year, a category …) is the mean topic
    share of the group's units, each unit weighted by ``weight`` (its length in tokens by
    default), so a caption does not speak as loudly as a long paragraph. The interval
    resamples the group's *articles* with replacement (a cluster bootstrap: the paragraphs of
    one article are not independent), ``n_boot`` times, and takes the percentiles at
    ``level``: the spread a topic's share would have with other articles of the same kind.
    stm's ``estimateEffect`` (Roberts, Stewart & Tingley) makes the same point: uncertainty
    about prevalence comes with the documents. With two articles in a group the interval is
    wide, as it should be; with one it cannot be estimated, so low and high are NaN for a
    group of fewer than 2 articles (and for every group when ``n_boot=0``). The interval
    treats the topic model as fixed: it shows the sampling of articles, not of the fit.

    Parameters
    ----------
    model : TopicModel
        A fitted model.
    frame : pandas.DataFrame
        :func:`unit_frame` of the units the model was fitted on (with ``articles`` for
        metadata columns, with ``tokens`` for ``n_tokens``).
    by : str, default "article_id"
        The column to group by: any column of the frame (province, year, month, source,
        a metadata column such as category …). Units with no value (missing or blank) are
        left out rather than guessed.
    weight : str or None, default "n_tokens"
        A numeric column of non-negative weights; None gives every unit the same weight.
    n_boot : int, default 200
        Bootstrap draws; 0 skips the bootstrap.
    level : float, default 0.95
        Coverage of the interval, between 0 and 1.
    seed : int, default 0
        Seed of the draws (``numpy.random.default_rng``); the same seed gives the same numbers.

    Returns
    -------
    pandas.DataFrame
        Columns ``[by, "topic", "share", "low", "high", "articles", "units"]``: one row per
        group and topic, groups sorted (with the column's own type: years stay whole
        numbers), topics in order. The shares of a group sum to 1 over topics. ``articles``
        and ``units`` count the group's distinct articles and its units.

    Raises
    ------
    ValueError
        An unknown ``by`` or ``weight`` column (the message lists the columns), a ``by``
        column with no values or with values that cannot be grouped, weights that are missing
        or negative, ``frame`` with fewer rows than the model saw, or ``n_boot``, ``level`` or
        ``seed`` out of range.

    See Also
    --------
    article_shares : the same by article, as a wide table.
    time_axis : whether to group by "year" or "month".

    Examples
    --------
    >>> from vnparty import Article, fit_nmf, split_units
    >>> arts = [Article(f"a{i}", None, ("chi_bộ họp", "đảng_viên mới kết_nạp"),
    ...                 metadata={"category": "xd" if i < 3 else "kt"}) for i in range(5)]
    >>> units = split_units(arts)
    >>> tokens = [u.text.split() for u in units]
    >>> table = prevalence(fit_nmf(tokens, k=2), unit_frame(units, arts, tokens), by="category")
    >>> table[["category", "topic", "articles", "units"]].values.tolist()
    [['kt', 0, 2, 4], ['kt', 1, 2, 4], ['xd', 0, 3, 6], ['xd', 1, 3, 6]]
    >>> bool((table["low"] <= table["share"]).all() and (table["share"] <= table["high"]).all())
    True
    """
    check("prevalence", "n_boot", n_boot, whole(0))
    check("prevalence", "level", level, _LEVEL)
    check("prevalence", "seed", seed, SEED)
    clusters = _clusters(model, frame, by, weight)
    shares = _shares(clusters, by)
    n_groups, k = shares.shape
    n_articles = np.bincount(clusters.group, minlength=n_groups)
    low, high = np.full_like(shares, np.nan), np.full_like(shares, np.nan)
    if n_boot:
        rng = np.random.default_rng(seed)
        starts = np.concatenate([[0], np.cumsum(n_articles)])
        # groups of 2+ articles in batches of at most _CHUNK draws x (groups x topics) results
        # and _CHUNK draws x articles picks (one larger group alone makes a batch)
        batch, held = [], 0
        for g in [*np.flatnonzero(n_articles >= 2), None]:
            if batch and (g is None or n_boot * max((len(batch) + 1) * k,
                                                    held + n_articles[g]) > _CHUNK):
                rows = np.concatenate([np.arange(starts[b], starts[b + 1]) for b in batch])
                low[batch], high[batch] = _bootstrap(clusters.sums[rows], clusters.totals[rows],
                                                     n_articles[batch], n_boot, level, rng)
                batch, held = [], 0
            if g is not None:
                batch.append(g)
                held += n_articles[g]
    return pd.DataFrame({
        by: clusters.groups.take(np.repeat(np.arange(n_groups), k)),
        "topic": np.tile(np.arange(k), n_groups),
        "share": shares.ravel(), "low": low.ravel(), "high": high.ravel(),
        "articles": np.repeat(n_articles, k), "units": np.repeat(clusters.units, k)})


def article_shares(model: TopicModel, frame: pd.DataFrame,
                   weight: str | None = "n_tokens") -> pd.DataFrame:
    """Topic shares of whole articles: their units' shares weighted by length in tokens.

    Parameters
    ----------
    model : TopicModel
        A fitted model.
    frame : pandas.DataFrame
        :func:`unit_frame` of the units the model was fitted on, with ``tokens`` (for
        ``n_tokens``).
    weight : str or None
        The column that weights each unit (its length in tokens by default); ``None``: equal
        weights (for a frame built without tokens).

    Returns
    -------
    pandas.DataFrame
        Index article_id (sorted), one column per topic (columns named "topic"); each row
        sums to 1. The wide form of ``prevalence(model, frame, by="article_id")`` without
        the interval.

    Raises
    ------
    ValueError
        The frame has no ``n_tokens`` or fewer rows than the model saw.

    Examples
    --------
    >>> from vnparty import Article, fit_nmf, split_units
    >>> arts = [Article(f"a{i}", None, ("chi_bộ họp " * i + "chi_bộ", "đảng_viên mới kết_nạp"))
    ...         for i in range(3)]
    >>> units = split_units(arts)
    >>> tokens = [u.text.split() for u in units]
    >>> shares = article_shares(fit_nmf(tokens, k=2), unit_frame(units, arts, tokens))
    >>> list(shares.index), shares.sum(axis=1).round(6).tolist()
    (['a0', 'a1', 'a2'], [1.0, 1.0, 1.0])
    """
    clusters = _clusters(model, frame, "article_id", weight)
    return pd.DataFrame(_shares(clusters, "article_id"),
                        index=pd.Index(clusters.groups, name="article_id"),
                        columns=pd.RangeIndex(model.k, name="topic"))


def time_axis(frame: pd.DataFrame) -> str | None:
    """The time column that suits a frame's dates: "year" or "month".

    Parameters
    ----------
    frame : pandas.DataFrame
        A :func:`unit_frame` (its ``date`` column; without one, its ``year`` column).

    Returns
    -------
    str or None
        "year" when the dates span ``YEARS_FOR_YEAR_AXIS`` = 3 calendar years or more (from
        the first year to the last, both counted: 2019 and 2024 span 6), "month" when they
        span one or two; "year" for a frame with a ``year`` column but no ``date`` column;
        None when the frame has no dates at all.

    Raises
    ------
    ValueError
        The ``date`` column holds values that are not dates (the message counts them).

    Examples
    --------
    >>> import datetime as dt
    >>> time_axis(pd.DataFrame({"date": [dt.date(2023, 5, 1), dt.date(2024, 1, 2)]}))
    'month'
    >>> time_axis(pd.DataFrame({"date": [dt.date(2019, 5, 1), dt.date(2024, 1, 2)]}))
    'year'
    >>> time_axis(pd.DataFrame({"date": [None, None]})) is None
    True
    """
    if "date" not in frame.columns:
        return "year" if "year" in frame.columns and frame["year"].notna().any() else None
    present = frame["date"].dropna()
    dates = pd.to_datetime(present, errors="coerce")
    if dates.isna().any():
        raise ValueError(f"the date column holds {int(dates.isna().sum())} value(s) that are not "
                         f"dates, such as {present[dates.isna()].iloc[0]!r}; give dates "
                         "(datetime.date, or YYYY-MM-DD text) or leave them empty")
    if dates.empty:
        return None
    span = dates.dt.year.max() - dates.dt.year.min() + 1
    return "year" if span >= YEARS_FOR_YEAR_AXIS else "month"


def align_models(a: TopicModel, b: TopicModel) -> pd.DataFrame:
    """Which topic of ``b`` matches each topic of ``a``, and how well.

    Parameters
    ----------
    a, b : TopicModel
        Two fitted models (any kinds, any vocabularies).

    Returns
    -------
    pandas.DataFrame
        Columns topic_a, topic_b, similarity: the cosine similarity of the two topics' word
        distributions over the union of the vocabularies, paired one to one by the Hungarian
        assignment (``min(k_a, k_b)`` rows); the full k_a × k_b matrix is in
        ``.attrs["similarity"]``.

    Examples
    --------
    >>> from vnparty import fit_nmf
    >>> m = fit_nmf([["chi_bộ", "đảng_viên"], ["cấp_ủy", "kiểm_tra"]] * 5, k=2)
    >>> align_models(m, m)["similarity"].round(6).tolist()
    [1.0, 1.0]
    """
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
