"""Figures: free functions that take arrays or DataFrames and return a matplotlib Figure.

Nothing here calls ``plt.show()`` or changes matplotlib's global settings; :func:`save_figure`
writes PNG (300 dpi), SVG and PDF that are byte-identical from run to run. Every text drawn
passes through :func:`_plain`, so it shows as given ("$5 đến $10" is not read as mathtext).
Long titles, labels and glosses are wrapped at spaces (never cut inside a word; "trưởng_thôn"
is one word) and the figure grows to hold them.
"""

from __future__ import annotations

import io
import math
import textwrap
from contextlib import contextmanager
from functools import lru_cache
from pathlib import Path
from typing import Sequence

import matplotlib
import matplotlib.ticker
import numpy as np
import pandas as pd
from matplotlib.figure import Figure
from matplotlib.lines import Line2D

from .io import atomic_write_bytes

__all__ = ["vietnamese_font", "plot_top_words", "plot_heatmap", "plot_select_k",
           "plot_prevalence", "plot_wordclouds", "plot_corpus_overview", "plot_documents_cited",
           "plot_codebook_comparison", "figure_bytes", "save_figure", "FORMATS",
           "MAX_HEATMAP_HEIGHT"]

FORMATS = ("png", "svg", "pdf")
#: Height cap of :func:`plot_heatmap`, in inches (2,700 px in the 300 dpi PNG).
MAX_HEATMAP_HEIGHT = 9.0
_CHECK = "ĐđẢảỦủẫựỹờặ"  # letters a font without Vietnamese lacks
_FONTS = ("DejaVu Sans", "Noto Sans", "Liberation Sans", "Arial")
_NBSP = "\u00a0"  # joins the syllables of a word while wrapping (textwrap breaks at ASCII space)
_TIME = ("year", "month")  # group columns drawn as an ordered time axis


@lru_cache(maxsize=1)
def vietnamese_font() -> str:
    """Path of an installed font that has every Vietnamese letter.

    Returns
    -------
    str
        The font file of the first of DejaVu Sans, Noto Sans, Liberation Sans and Arial that
        has all the letters.

    Raises
    ------
    RuntimeError
        When none of them is installed with the Vietnamese letters.
    """
    from matplotlib import font_manager
    from matplotlib.ft2font import FT2Font

    for family in _FONTS:
        try:
            path = font_manager.findfont(family, fallback_to_default=False)
        except ValueError:
            continue
        charmap = FT2Font(path).get_charmap()
        if all(ord(c) in charmap for c in _CHECK):
            return path
    raise RuntimeError(f"no font with Vietnamese letters found (tried {', '.join(_FONTS)}); "
                       "install DejaVu Sans or Noto Sans (e.g. apt-get install fonts-dejavu)")


@contextmanager
def _style():
    from matplotlib import font_manager

    name = font_manager.FontProperties(fname=vietnamese_font()).get_name()
    with matplotlib.rc_context({"font.family": name, "font.size": 9, "svg.hashsalt": "vnparty",
                                "axes.spines.top": False, "axes.spines.right": False}):
        yield


def _plain(text) -> str:
    """``text`` as matplotlib shows it literally: each ``$`` escaped, so that two of them never
    start mathtext (matplotlib turns ``\\$`` back into ``$`` when it draws)."""
    return str(text).replace("$", r"\$")


def _figure(width: float, height: float) -> Figure:
    return Figure(figsize=(width, height), layout="constrained")


def _wrap(text, width: int, max_lines: int | None = None) -> str:
    """``text`` wrapped at spaces into lines of at most ``width`` characters. A word is never
    cut: a longer one gets a line of its own. With ``max_lines``, the lines after them are
    dropped and " …" follows the last whole word kept. Line breaks in ``text`` are kept."""
    lines = []
    for part in str(text).split("\n"):
        lines += textwrap.wrap(part, max(width, 1), break_long_words=False,
                               break_on_hyphens=False) or [""]
    if max_lines is not None and len(lines) > max_lines:
        lines = lines[:max_lines]
        lines[-1] += " …"
    return "\n".join(lines)


def _lines(text: str) -> int:
    return text.count("\n") + 1


def _chars(inches: float, size: float) -> int:
    """How many characters of a ``size``-point font fit in ``inches`` (wide letters assumed)."""
    return max(12, int(inches * 72 / (0.62 * size)))


def _words(word: str) -> str:
    """A segmented word as shown: syllables joined by spaces that wrapping does not break."""
    return word.replace("_", _NBSP)


def _shown(text: str) -> str:
    return text.replace(_NBSP, " ")


def plot_top_words(top_words: Sequence[Sequence[str]], weights: Sequence[Sequence[float]],
                   titles: Sequence[str] | None = None, glosses: dict[str, str] | None = None,
                   columns: int = 3) -> Figure:
    """A bar grid: one panel per topic, its top words and their weights, best on top.

    Parameters
    ----------
    top_words : sequence of sequences of str
        Per topic, its words, best first (``TopicModel.top_words``).
    weights : sequence of sequences of float
        Per topic, the weight of each word (``TopicModel.top_weights``).
    titles : sequence of str, optional
        One panel title per topic (default "Topic 0", "Topic 1" …); long ones are wrapped.
    glosses : dict, optional
        English gloss per word, shown after it in brackets; long labels are wrapped at spaces,
        a word's syllables kept on one line.
    columns : int
        Panels per row.

    Returns
    -------
    matplotlib.figure.Figure
        The figure; its height grows with the lines of the wrapped labels and titles.
    """
    k = len(top_words)
    rows = -(-k // columns)
    labels = [[_wrap(_words(w) + (f" ({glosses[w]})" if glosses and glosses.get(w) else ""), 34)
               for w in words] for words in top_words]
    label_chars = max((len(line) for ls in labels for label in ls
                       for line in label.split("\n")), default=10)
    title_chars = _chars(max(5.2 - 0.058 * label_chars - 0.6, 1.8), 9)
    names = [_wrap(titles[t], title_chars) if titles else f"Topic {t}" for t in range(k)]
    height = 0.0
    for r in range(rows):
        panels = range(r * columns, min((r + 1) * columns, k))
        slot = max(0.26, max(0.13 * _lines(label) + 0.07 for t in panels for label in labels[t]))
        n = max(len(labels[t]) for t in panels)
        height += n * slot + 0.16 * max(_lines(names[t]) for t in panels) + 0.5
    with _style():
        fig = _figure(5.2 * columns, height)
        axes = fig.subplots(rows, columns, squeeze=False)
        for t, ax in enumerate(axes.ravel()):
            if t >= k:
                ax.set_axis_off()
                continue
            y = np.arange(len(labels[t]))
            ax.barh(y, weights[t], color=f"C{t % 10}")
            ax.set_yticks(y, [_plain(_shown(w)) for w in labels[t]], fontsize=8)
            ax.invert_yaxis()
            ax.set_title(_plain(names[t]), fontsize=9, loc="left")
            ax.xaxis.set_major_locator(matplotlib.ticker.MaxNLocator(2))
            ax.tick_params(axis="x", labelsize=7)
        return fig


def plot_heatmap(matrix, row_labels: Sequence[str], column_labels: Sequence[str], *,
                 title: str = "", xlabel: str = "topic", ylabel: str = "",
                 annotate: bool = True, cmap: str = "Blues") -> Figure:
    """A labelled heatmap (document-topic shares, prevalence, model alignment …).

    Rows get 0.28 in each up to :data:`MAX_HEATMAP_HEIGHT` (9 in); more rows are drawn
    narrower inside that cap, and when a row is too narrow for its label only every n-th row
    is labelled (the y label says which: "1 row in 3 labelled, of 130"). Row labels are
    wrapped (two lines) or, in a tall heatmap, shortened after a whole word with " …".
    One figure is returned whatever the number of rows.

    Parameters
    ----------
    matrix : array-like, shape (rows, columns)
        Values, non-negative; the colour scale runs from 0 to the largest.
    row_labels, column_labels : sequence of str
        One label per row and per column.
    title, xlabel, ylabel : str
        Texts drawn (the title wrapped).
    annotate : bool
        Write each value in its cell, when there are at most 400 cells and rows are tall
        enough for the digits.
    cmap : str
        A matplotlib colour map.

    Returns
    -------
    matplotlib.figure.Figure

    Raises
    ------
    ValueError
        When ``matrix`` is not two-dimensional or the labels do not match its shape.
    """
    matrix = np.asarray(matrix, dtype=float)
    if matrix.ndim != 2:
        raise ValueError(f"matrix must be two-dimensional (rows × columns), not {matrix.shape}")
    n, m = matrix.shape
    if len(row_labels) != n or len(column_labels) != m:
        raise ValueError(f"{len(row_labels)} row and {len(column_labels)} column labels for a "
                         f"{n} × {m} matrix: give one label per row and per column")
    fixed = 1.3  # title, column labels, x label
    pitch = min(0.28, (MAX_HEATMAP_HEIGHT - fixed) / max(n, 1))
    size = 8 if pitch >= 0.2 else 7
    step = 1 if pitch >= 0.15 else math.ceil(0.15 / pitch)
    rows = [_wrap(r, 40, max_lines=2 if pitch >= 0.28 else 1) for r in map(str, row_labels)]
    label_chars = max((len(line) for r in rows[::step] for line in r.split("\n")), default=0)
    width = 1.6 + 0.55 * m + 0.075 * label_chars
    title = _wrap(title, _chars(0.55 * m + 1.0, 9))
    with _style():
        fig = _figure(width, min(MAX_HEATMAP_HEIGHT,
                                 fixed + 0.16 * (_lines(title) - 1) + pitch * n))
        ax = fig.subplots()
        image = ax.imshow(matrix, cmap=cmap, aspect="auto", vmin=0,
                          vmax=max(float(matrix.max(initial=0)), 1e-12))
        ax.set_xticks(range(m), [_plain(c) for c in column_labels])
        shown = range(0, n, step)
        ax.set_yticks(list(shown), [_plain(rows[i]) for i in shown], fontsize=size)
        ax.set_xlabel(_plain(xlabel))
        if step > 1:
            ylabel = f"{ylabel} (1 row in {step} labelled, of {n})".strip()
        ax.set_ylabel(_plain(ylabel))
        ax.set_title(_plain(title), loc="left")
        if annotate and matrix.size <= 400 and pitch >= 0.2:
            for (i, j), value in np.ndenumerate(matrix):
                ax.text(j, i, f"{value:.2f}", ha="center", va="center", fontsize=7,
                        color="white" if value > 0.6 * matrix.max() else "black")
        fig.colorbar(image, ax=ax, shrink=0.8)
        return fig


def plot_select_k(frame: pd.DataFrame, recommended: dict[str, int] | None = None, *,
                  shown: int | None = None, note: str | None = None, rule: str | None = None
                  ) -> Figure:
    """Each measure of :func:`vnparty.select_k` against k, one panel per measure.

    A line per method is the mean over seeds, its band the range. The legend names the methods
    and the two kinds of vertical line: the recommended k of each method (dotted, in its
    colour) and the k shown elsewhere (solid grey). ``rule`` and ``note`` are written under
    the panels, wrapped.

    Parameters
    ----------
    frame : pandas.DataFrame
        The tidy output of :func:`vnparty.select_k`: columns method, measure, k, seed, value.
    recommended : dict, optional
        Method → recommended k, drawn dotted.
    shown : int, optional
        The k of the models shown in the other figures, drawn solid grey.
    note : str, optional
        Any text to write under the panels.
    rule : str, optional
        The rule that chose the recommended k ("among the k whose stability …"), written
        under the panels after "Recommended k (dotted):".

    Returns
    -------
    matplotlib.figure.Figure

    Raises
    ------
    ValueError
        When ``frame`` lacks one of the columns method, measure, k, value.
    """
    missing = [c for c in ("method", "measure", "k", "value") if c not in frame.columns]
    if missing:
        raise ValueError(f"frame lacks the column(s) {missing}: pass the table of select_k")
    measures = list(dict.fromkeys(frame["measure"]))
    width = 3.2 * max(len(measures), 1)
    text = []
    if rule:
        text.append(f"Recommended k (dotted): {rule}")
    if note:
        text.append(note)
    text = "\n".join(_wrap(t, _chars(width - 0.3, 7.5)) for t in text)
    with _style():
        fig = _figure(width, 3.0 + 0.14 * (_lines(text) if text else 0))
        axes = fig.subplots(1, len(measures), squeeze=False)[0]
        handles = {}
        for ax, measure in zip(axes, measures):
            for i, (method, group) in enumerate(frame[frame.measure == measure].groupby("method")):
                stats = group.groupby("k")["value"].agg(["mean", "min", "max"])
                line, = ax.plot(stats.index, stats["mean"], marker="o", color=f"C{i}")
                if ax is axes[0]:
                    handles[_plain(str(method).upper())] = line
                ax.fill_between(stats.index, stats["min"], stats["max"], color=f"C{i}", alpha=0.2)
                if recommended and method in recommended:
                    ax.axvline(recommended[method], color=f"C{i}", linestyle=":", linewidth=1)
            if shown is not None:
                ax.axvline(shown, color="0.5", linewidth=0.8, zorder=0)
            ax.set_title(_plain(_wrap(measure, _chars(3.0, 9))), loc="left")
            ax.set_xlabel("k (topics)")
            ax.xaxis.get_major_locator().set_params(integer=True)
        if recommended:
            handles["recommended k"] = Line2D([], [], color="0.2", linestyle=":", linewidth=1)
        if shown is not None:
            handles["k shown"] = Line2D([], [], color="0.5", linewidth=0.8)
        # handles and labels given, so that a label starting with "_" is not dropped
        fig.legend(list(handles.values()), list(handles), loc="outside upper left",
                   ncols=max(1, min(len(handles), int(width / 1.1))), frameon=False)
        if text:
            fig.supxlabel(_plain(text), x=0.01, ha="left", fontsize="small")
        return fig


def _tidy(table: pd.DataFrame, by: str | None) -> tuple[pd.DataFrame, str]:
    """The prevalence table in the tidy form (one row per group × topic), and its group column.
    A wide table (index: groups, columns: topics) is turned into that form, without sizes or
    intervals."""
    if not isinstance(table, pd.DataFrame):
        raise TypeError(f"table must be a pandas DataFrame (vnparty.prevalence), not "
                        f"{type(table).__name__}")
    if {"topic", "share"} <= set(map(str, table.columns)):
        by = table.columns[0] if by is None else by
        if by not in table.columns or by in ("topic", "share"):
            raise ValueError(f"by={by!r} is not a group column of the table; its columns are "
                             f"{list(table.columns)}")
        return table, by
    # the earlier wide form of vnparty.prevalence: index = groups, columns = topics
    by = by or table.index.name or "group"
    values = table.to_numpy(dtype=float)
    rows = [(group, topic, values[i, j]) for i, group in enumerate(table.index)
            for j, topic in enumerate(table.columns)]
    return pd.DataFrame(rows, columns=[by, "topic", "share"]), by


def _group_name(value) -> str:
    if isinstance(value, float) and value.is_integer():
        value = int(value)  # a year read with missing values is a float
    return str(value)


def _sizes(row: pd.Series, unit: str) -> str:
    def count(value, word):
        value = int(value)
        return f"{value:,} {word}{'' if value == 1 else 's'}"

    parts = []
    if "articles" in row and pd.notna(row["articles"]):
        parts.append(count(row["articles"], "article"))
    if "units" in row and pd.notna(row["units"]) and unit != "article":
        parts.append(count(row["units"], unit))
    return " · ".join(parts)


def plot_prevalence(table: pd.DataFrame, *, by: str | None = None, title: str = "",
                    labels: Sequence[str] | None = None, unit: str = "paragraph") -> Figure:
    """Topic prevalence per group with its uncertainty: one panel per topic (small multiples
    with the groups on a shared vertical axis), so that 2 to ~15 groups and 3 to ~12 topics
    stay readable.

    In each panel a dot is the group's share of the topic and a horizontal line its bootstrap
    interval (low to high); for an ordered time axis (``by`` "year" or "month") the dots are
    joined and the interval is a band. Each group's label says how many articles and units it
    holds ("2019" over "2 articles · 14 paragraphs"), so a share from two articles reads as
    what it is. Groups without an interval (fewer than 2 articles, or no bootstrap) have a dot
    only.

    Parameters
    ----------
    table : pandas.DataFrame
        The tidy output of :func:`vnparty.prevalence`: columns ``[<by>, "topic", "share",
        "low", "high", "articles", "units"]``, one row per group × topic (low, high, articles,
        units may be missing or NaN). For compatibility, a wide table (index: groups, columns:
        topics, values: shares) is accepted too and drawn without sizes or intervals.
    by : str, optional
        The group column; by default the table's first column.
    title : str
        Figure title (wrapped).
    labels : sequence of str, optional
        One name per topic, in the order the topics first appear (default "Topic <t>");
        wrapped over the panels.
    unit : str
        What a unit is ("paragraph" or "article"), for the group sizes. With "article" only
        the number of articles is shown.

    Returns
    -------
    matplotlib.figure.Figure

    Raises
    ------
    TypeError
        When ``table`` is not a DataFrame.
    ValueError
        When ``by`` is not a column of the tidy table, the table is empty, or ``labels`` does
        not have one name per topic.
    """
    tidy, by = _tidy(table, by)
    if tidy.empty:
        raise ValueError("the prevalence table is empty: no group has a value of "
                         f"{by!r}; choose another column")
    groups = list(dict.fromkeys(tidy[by]))
    topics = list(dict.fromkeys(tidy["topic"]))
    if labels is not None and len(labels) != len(topics):
        raise ValueError(f"{len(labels)} labels for {len(topics)} topics: give one per topic")
    first = tidy.drop_duplicates(by).set_index(by)
    ticks = []
    for group in groups:
        name, sizes = _wrap(_group_name(group), 26), _sizes(first.loc[group], unit)
        ticks.append(f"{name}\n{sizes}" if sizes else name)
    columns = min(len(topics), 4 if len(topics) <= 8 else 6)
    panels = -(-len(topics) // columns)
    names = [_wrap(labels[j] if labels is not None else f"Topic {t}", _chars(1.9, 8))
             for j, t in enumerate(topics)]
    tick_chars = max(len(line) for t in ticks for line in t.split("\n"))
    slot = max(0.28, 0.125 * max(map(_lines, ticks)) + 0.06)
    time = str(by) in _TIME
    has_interval = {"low", "high"} <= set(tidy.columns) and bool(
        tidy[["low", "high"]].notna().all(axis=1).any())
    footnote = "share of the group's text"
    if has_interval:
        footnote += ("; " + ("band" if time else "line") + ": bootstrap interval over articles "
                     "(none for a group of fewer than 2 articles)")
    width = 0.7 + 0.068 * tick_chars + 2.1 * columns
    footnote = _wrap(footnote, _chars(width - 0.3, 7.5))
    title = _wrap(title, _chars(width - 0.3, 10))
    name_lines = max(map(_lines, names))
    height = (panels * (len(groups) * slot + 0.16 * name_lines + 0.45) + 0.2 * _lines(footnote)
              + (0.2 * _lines(title) if title else 0))
    top = max(float(np.nanmax(tidy[[c for c in ("share", "high") if c in tidy]].to_numpy(
        dtype=float))), 1e-6)
    with _style():
        fig = _figure(width, height)
        axes = fig.subplots(panels, columns, sharey=True, squeeze=False)
        y = np.arange(len(groups))
        for j, ax in enumerate(axes.ravel()):
            if j >= len(topics):
                ax.set_axis_off()
                continue
            rows = tidy[tidy["topic"] == topics[j]].set_index(by).reindex(groups)
            share = rows["share"].to_numpy(dtype=float)
            colour = f"C{j % 10}"
            if has_interval:
                low, high = rows["low"].to_numpy(dtype=float), rows["high"].to_numpy(dtype=float)
                if time:
                    ax.fill_betweenx(y, low, high, color=colour, alpha=0.25, linewidth=0)
                else:
                    ok = np.isfinite(low) & np.isfinite(high)
                    ax.hlines(y[ok], low[ok], high[ok], color=colour, linewidth=1.5)
            ax.plot(share, y, marker="o", markersize=4, color=colour,
                    linestyle="-" if time else "none", clip_on=False)
            ax.set_xlim(0, min(1.0, top * 1.08))
            ax.xaxis.set_major_locator(matplotlib.ticker.MaxNLocator(3))
            ax.tick_params(axis="x", labelsize=7)
            ax.tick_params(axis="y", labelsize=7.5)
            ax.grid(True, axis="x", linewidth=0.3)
            ax.set_title(_plain(names[j]), loc="left", fontsize=8)
        axes[0, 0].set_yticks(y, [_plain(t) for t in ticks])
        axes[0, 0].set_ylim(len(groups) - 0.5, -0.5)
        fig.supxlabel(_plain(footnote), fontsize="small")
        if title:
            fig.suptitle(_plain(title), x=0.01, ha="left", fontsize=10)
        return fig


def plot_wordclouds(top_words: Sequence[Sequence[str]], weights: Sequence[Sequence[float]],
                    *, seed: int = 0, columns: int = 3, titles: Sequence[str] | None = None
                    ) -> Figure:
    """A word cloud per topic (the ``wordcloud`` package, Vietnamese font, fixed layout seed).

    Parameters
    ----------
    top_words : sequence of sequences of str
        Per topic, its words.
    weights : sequence of sequences of float
        Per topic, the weight of each word (its size in the cloud).
    seed : int
        Layout seed; topic ``t`` uses ``seed + t``.
    columns : int
        Clouds per row.
    titles : sequence of str, optional
        One title per topic (default "Topic 0" …), wrapped.

    Returns
    -------
    matplotlib.figure.Figure
    """
    from wordcloud import WordCloud

    k = len(top_words)
    rows = -(-k // columns)
    names = [_wrap(titles[t], _chars(3.2, 9)) if titles else f"Topic {t}" for t in range(k)]
    extra = sum(0.16 * (max(map(_lines, names[r * columns:(r + 1) * columns])) - 1)
                for r in range(rows))
    with _style():
        fig = _figure(3.4 * columns, 2.2 * rows + extra)
        axes = fig.subplots(rows, columns, squeeze=False)
        for t, ax in enumerate(axes.ravel()):
            ax.set_axis_off()
            if t >= k:
                continue
            cloud = WordCloud(font_path=vietnamese_font(), width=600, height=360,
                              background_color="white", random_state=seed + t,
                              prefer_horizontal=1.0, colormap="viridis")
            cloud.generate_from_frequencies({w.replace("_", " "): float(x)
                                             for w, x in zip(top_words[t], weights[t])})
            ax.imshow(cloud.to_array(), interpolation="bilinear")
            ax.set_title(_plain(names[t]), fontsize=9, loc="left")
        return fig


def plot_corpus_overview(lengths: pd.DataFrame, vocabulary: pd.DataFrame, *,
                         total: int | None = None) -> Figure:
    """Left: tokens per article, with its paragraph count. Right: vocabulary size after each
    preprocessing step.

    Parameters
    ----------
    lengths : pandas.DataFrame
        One row per article: columns label, tokens, paragraphs.
    vocabulary : pandas.DataFrame
        One row per preprocessing step: columns step, words.
    total : int, optional
        The number of articles in the corpus when ``lengths`` shows only some of them (the
        longest, say); the panel's title says so.

    Returns
    -------
    matplotlib.figure.Figure
    """
    with _style():
        fig = _figure(9, max(3.2, 0.9 + 0.24 * len(lengths)))
        left, right = fig.subplots(1, 2)
        left.barh([_plain(_wrap(x, 30)) for x in lengths["label"]], lengths["tokens"],
                  color="C0")
        for y, (tokens, paragraphs) in enumerate(zip(lengths["tokens"], lengths["paragraphs"])):
            left.text(tokens, y, f" {paragraphs} ¶", va="center", fontsize=7)
        left.invert_yaxis()
        left.set_xlabel("words (segmented) per article")
        shown = len(lengths)
        left.set_title("Articles" if total is None or total <= shown else
                       f"The {shown} longest of {total:,} articles", loc="left")
        right.bar([_plain(_wrap(x, 20)) for x in vocabulary["step"]], vocabulary["words"],
                  color="C1")
        for x, words in enumerate(vocabulary["words"]):
            right.text(x, words, f"{words:,}", ha="center", va="bottom", fontsize=7)
        right.set_ylabel("distinct words")
        right.set_title("Vocabulary after each step", loc="left")
        right.tick_params(axis="x", labelsize=7, rotation=20)
        return fig


def plot_documents_cited(cited: pd.DataFrame, articles: Sequence[str],
                         labels: Sequence[str] | None = None) -> Figure:
    """Which Party documents each article cites: a dot per (document, article).

    Parameters
    ----------
    cited : pandas.DataFrame
        Columns article_id, document (:func:`vnparty.lexicon.document_references`).
    articles : sequence of str
        The article ids, in the order of the axis.
    labels : sequence of str, optional
        Names of the articles on the axis (default: their ids).

    Returns
    -------
    matplotlib.figure.Figure

    Raises
    ------
    ValueError
        When ``cited`` names an article that is not in ``articles``.
    """
    unknown = sorted(set(cited["article_id"]) - set(articles))
    if unknown:
        raise ValueError(f"cited names articles not in articles: {unknown[:5]}")
    documents = sorted(set(cited["document"]))
    matrix = np.zeros((len(documents), len(articles)))
    for _, row in cited.iterrows():
        matrix[documents.index(row["document"]), list(articles).index(row["article_id"])] = 1
    with _style():
        fig = _figure(2.5 + 0.9 * len(articles), 0.8 + 0.3 * len(documents))
        ax = fig.subplots()
        ys, xs = np.nonzero(matrix)
        ax.scatter(xs, ys, s=60, color="C3")
        ax.set_xticks(range(len(articles)), [_plain(a) for a in labels or articles], rotation=30,
                      ha="right", fontsize=7)
        ax.set_yticks(range(len(documents)), [_plain(d) for d in documents], fontsize=7)
        ax.set_xlim(-0.5, len(articles) - 0.5)
        ax.set_ylim(len(documents) - 0.5, -0.5)
        ax.grid(True, linewidth=0.3)
        ax.set_title("Party documents cited", loc="left")
        return fig


def figure_bytes(fig: Figure, fmt: str) -> bytes:
    """The figure as PNG (300 dpi), SVG or PDF, with no dates or random ids in the file.

    Parameters
    ----------
    fig : matplotlib.figure.Figure
    fmt : {"png", "svg", "pdf"}

    Returns
    -------
    bytes
        The same bytes for the same figure, run after run.

    Raises
    ------
    ValueError
        When ``fmt`` is not one of :data:`FORMATS`.
    """
    if fmt not in FORMATS:
        raise ValueError(f"format must be one of {FORMATS}, not {fmt!r}")
    metadata = {"png": {"Software": "vnparty"}, "svg": {"Date": None, "Creator": "vnparty"},
                "pdf": {"CreationDate": None, "ModDate": None, "Creator": "vnparty",
                        "Producer": "vnparty"}}[fmt]
    buffer = io.BytesIO()
    with _style():
        fig.savefig(buffer, format=fmt, dpi=300, metadata=metadata)
    return buffer.getvalue()


def save_figure(fig: Figure, stem: str | Path, formats: Sequence[str] = FORMATS) -> list[Path]:
    """Write ``stem.png``, ``stem.svg`` and ``stem.pdf`` atomically.

    Parameters
    ----------
    fig : matplotlib.figure.Figure
    stem : str or pathlib.Path
        Path without the suffix.
    formats : sequence of str
        Among :data:`FORMATS`.

    Returns
    -------
    list of pathlib.Path
        The files written, in the order of ``formats``.

    Raises
    ------
    ValueError
        When a format is not one of :data:`FORMATS` (nothing is written for it).
    OSError
        When a file cannot be written.
    """
    stem = Path(stem)
    return [atomic_write_bytes(stem.with_suffix(f".{fmt}"), figure_bytes(fig, fmt))
            for fmt in formats]


def plot_codebook_comparison(seeded: pd.DataFrame, unsupervised: pd.DataFrame, *,
                             seeded_labels: Sequence[str] | None = None,
                             unsupervised_labels: Sequence[str] | None = None,
                             article_labels: Sequence[str] | None = None) -> Figure:
    """Article by article, the shares of the codebook themes (left) next to the shares of an
    unsupervised model's topics (right): two heatmaps with one row per article on one colour
    scale.

    Parameters
    ----------
    seeded, unsupervised : pandas.DataFrame
        Articles × topics tables with the same rows in the same order
        (:func:`vnparty.article_shares` of a :func:`vnparty.fit_seeded` model and of, say,
        :func:`vnparty.fit_lda`).
    seeded_labels, unsupervised_labels : sequence of str, optional
        Names of the columns of each table (default: the tables' column names); long ones
        are wrapped to two lines and shortened after a whole word.
    article_labels : sequence of str, optional
        Names of the rows (default: the tables' index), shortened after a whole word.

    Returns
    -------
    matplotlib.figure.Figure

    Raises
    ------
    ValueError
        When the tables have different rows, or a list of labels has the wrong length.
    """
    if list(seeded.index) != list(unsupervised.index):
        raise ValueError("the two tables must have the same articles in the same order")
    left, right = seeded.to_numpy(dtype=float), unsupervised.to_numpy(dtype=float)
    labels = [list(map(str, given if given is not None else frame.columns))
              for given, frame in ((seeded_labels, seeded), (unsupervised_labels, unsupervised))]
    rows = list(map(str, article_labels if article_labels is not None else seeded.index))
    for given, width in ((labels[0], left.shape[1]), (labels[1], right.shape[1]),
                         (rows, left.shape[0])):
        if len(given) != width:
            raise ValueError(f"{len(given)} labels for {width} rows or columns")
    rows = [_wrap(r, 40, max_lines=1) for r in rows]
    labels = [[_wrap(n, 24, max_lines=2) for n in names] for names in labels]

    top = max(left.max(initial=0), right.max(initial=0), 1e-12)
    with _style():
        fig = _figure(2.2 + 0.07 * max(map(len, rows), default=0)
                      + 0.5 * (left.shape[1] + right.shape[1]), 2.4 + 0.32 * len(rows))
        axes = fig.subplots(1, 2, width_ratios=[max(left.shape[1], 1), max(right.shape[1], 1)])
        for ax, matrix, names, title in zip(
                axes, (left, right), labels,
                ("Codebook themes (fit_seeded)", "Unsupervised topics")):
            image = ax.imshow(matrix, cmap="Blues", aspect="auto", vmin=0, vmax=top)
            ax.set_xticks(range(matrix.shape[1]), [_plain(n) for n in names], rotation=40,
                          ha="right", fontsize=7)
            ax.set_yticks(range(len(rows)), [_plain(r) for r in rows] if ax is axes[0]
                          else [])
            ax.set_title(title, loc="left")
            for (i, j), value in np.ndenumerate(matrix):
                ax.text(j, i, f"{value:.2f}", ha="center", va="center", fontsize=6.5,
                        color="white" if value > 0.6 * top else "black")
        fig.colorbar(image, ax=axes, shrink=0.8, label="share of the article")
        return fig
