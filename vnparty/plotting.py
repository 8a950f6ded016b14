"""Figures: free functions that take arrays or DataFrames and return a matplotlib Figure.

Nothing here calls ``plt.show()`` or changes matplotlib's global settings; :func:`save_figure`
writes PNG (300 dpi), SVG and PDF that are byte-identical from run to run. Every text drawn
passes through :func:`_plain`, so it shows as given ("$5 đến $10" is not read as mathtext).
"""

from __future__ import annotations

import io
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

from .io import atomic_write_bytes

__all__ = ["vietnamese_font", "plot_top_words", "plot_heatmap", "plot_select_k",
           "plot_prevalence", "plot_wordclouds", "plot_corpus_overview", "plot_documents_cited",
           "save_figure", "FORMATS"]

FORMATS = ("png", "svg", "pdf")
_CHECK = "ĐđẢảỦủẫựỹờặ"  # letters a font without Vietnamese lacks
_FONTS = ("DejaVu Sans", "Noto Sans", "Liberation Sans", "Arial")


@lru_cache(maxsize=1)
def vietnamese_font() -> str:
    """Path of a font that has every Vietnamese letter; raises when none is installed."""
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


def plot_top_words(top_words: Sequence[Sequence[str]], weights: Sequence[Sequence[float]],
                   titles: Sequence[str] | None = None, glosses: dict[str, str] | None = None,
                   columns: int = 3) -> Figure:
    """A bar grid: one panel per topic, its top words and their weights, best on top; with
    ``glosses`` each word carries its English gloss."""
    with _style():
        k = len(top_words)
        rows = -(-k // columns)
        fig = _figure(5.2 * columns, 0.26 * len(top_words[0]) * rows + 0.7 * rows)
        axes = fig.subplots(rows, columns, squeeze=False)
        for t, ax in enumerate(axes.ravel()):
            if t >= k:
                ax.set_axis_off()
                continue
            words = [w.replace("_", " ") + (f" ({glosses[w]})" if glosses and glosses.get(w) else "")
                     for w in top_words[t]]
            y = np.arange(len(words))
            ax.barh(y, weights[t], color=f"C{t % 10}")
            ax.set_yticks(y, [_plain(_shorten(w, 44)) for w in words], fontsize=8)
            ax.invert_yaxis()
            ax.set_title(_plain(_shorten(titles[t], 42)) if titles else f"Topic {t}", fontsize=9)
            ax.xaxis.set_major_locator(matplotlib.ticker.MaxNLocator(2))
            ax.tick_params(axis="x", labelsize=7)
        return fig


def _shorten(text: str, width: int) -> str:
    return text if len(text) <= width else text[:width - 1] + "…"


def plot_heatmap(matrix, row_labels: Sequence[str], column_labels: Sequence[str], *,
                 title: str = "", xlabel: str = "topic", ylabel: str = "",
                 annotate: bool = True, cmap: str = "Blues") -> Figure:
    """A labelled heatmap (document-topic shares, prevalence, model alignment …)."""
    matrix = np.asarray(matrix, dtype=float)
    with _style():
        fig = _figure(1.2 + 0.55 * matrix.shape[1] + 0.06 * max(map(len, row_labels), default=0),
                      0.9 + 0.28 * matrix.shape[0])
        ax = fig.subplots()
        image = ax.imshow(matrix, cmap=cmap, aspect="auto", vmin=0,
                          vmax=max(float(matrix.max()), 1e-12))
        ax.set_xticks(range(matrix.shape[1]), [_plain(c) for c in column_labels])
        ax.set_yticks(range(matrix.shape[0]), [_plain(_shorten(str(r), 45)) for r in row_labels])
        ax.set_xlabel(_plain(xlabel))
        ax.set_ylabel(_plain(ylabel))
        ax.set_title(_plain(title), loc="left")
        if annotate and matrix.size <= 400:
            for (i, j), value in np.ndenumerate(matrix):
                ax.text(j, i, f"{value:.2f}", ha="center", va="center", fontsize=7,
                        color="white" if value > 0.6 * matrix.max() else "black")
        fig.colorbar(image, ax=ax, shrink=0.8)
        return fig


def plot_select_k(frame: pd.DataFrame, recommended: dict[str, int] | None = None, *,
                  shown: int | None = None, note: str = "") -> Figure:
    """Each measure of :func:`vnparty.select_k` against k: mean over seeds with the range as
    a band, one line per method; the recommended k marked (dotted, in the method's colour),
    the k shown elsewhere marked (solid grey) when given, and ``note`` written below."""
    measures = list(dict.fromkeys(frame["measure"]))
    with _style():
        fig = _figure(3.2 * len(measures), 2.8)
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
            ax.set_title(_plain(measure), loc="left")
            ax.set_xlabel("k (topics)")
            ax.xaxis.get_major_locator().set_params(integer=True)
        # handles and labels given, so that a label starting with "_" is not dropped
        axes[0].legend(list(handles.values()), list(handles), frameon=False)
        if note:
            fig.supxlabel(_plain(textwrap.fill(note, 45 * len(measures))), x=0.01, ha="left",
                          fontsize="small")
        return fig


def plot_prevalence(table: pd.DataFrame, *, title: str = "", labels: Sequence[str] | None = None
                    ) -> Figure:
    """Stacked horizontal bars: topic shares per group (rows of :func:`vnparty.prevalence`)."""
    with _style():
        fig = _figure(7.5, 1.2 + 0.4 * len(table))
        ax = fig.subplots()
        left = np.zeros(len(table))
        names = [_plain(i) for i in table.index]
        bars, legend = [], []
        for j, topic in enumerate(table.columns):
            values = table[topic].to_numpy(dtype=float)
            bars.append(ax.barh(names, values, left=left, color=f"C{j % 10}"))
            legend.append(_plain(_shorten(labels[j], 40) if labels else f"Topic {topic}"))
            left += values
        ax.invert_yaxis()
        ax.set_xlim(0, 1)
        ax.set_xlabel("share of the group's text")
        ax.set_title(_plain(title), loc="left")
        ax.legend(bars, legend, loc="upper left", bbox_to_anchor=(1.01, 1), frameon=False,
                  fontsize=7)
        return fig


def plot_wordclouds(top_words: Sequence[Sequence[str]], weights: Sequence[Sequence[float]],
                    *, seed: int = 0, columns: int = 3, titles: Sequence[str] | None = None
                    ) -> Figure:
    """A word cloud per topic (the ``wordcloud`` package, Vietnamese font, fixed layout seed)."""
    from wordcloud import WordCloud

    with _style():
        k = len(top_words)
        rows = -(-k // columns)
        fig = _figure(3.4 * columns, 2.2 * rows)
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
            ax.set_title(_plain(titles[t]) if titles else f"Topic {t}", fontsize=9, loc="left")
        return fig


def plot_corpus_overview(lengths: pd.DataFrame, vocabulary: pd.DataFrame) -> Figure:
    """Left: tokens per article, split by paragraph count. Right: vocabulary size after each
    preprocessing step (``vocabulary``: columns step, words)."""
    with _style():
        fig = _figure(9, 3.2)
        left, right = fig.subplots(1, 2)
        left.barh([_plain(x) for x in lengths["label"]], lengths["tokens"], color="C0")
        for y, (tokens, paragraphs) in enumerate(zip(lengths["tokens"], lengths["paragraphs"])):
            left.text(tokens, y, f" {paragraphs} ¶", va="center", fontsize=7)
        left.invert_yaxis()
        left.set_xlabel("words (segmented) per article")
        left.set_title("Articles", loc="left")
        right.bar([_plain(x) for x in vocabulary["step"]], vocabulary["words"], color="C1")
        for x, words in enumerate(vocabulary["words"]):
            right.text(x, words, f"{words:,}", ha="center", va="bottom", fontsize=7)
        right.set_ylabel("distinct words")
        right.set_title("Vocabulary after each step", loc="left")
        right.tick_params(axis="x", labelsize=7, rotation=20)
        return fig


def plot_documents_cited(cited: pd.DataFrame, articles: Sequence[str],
                         labels: Sequence[str] | None = None) -> Figure:
    """Which Party documents each article cites (``cited``: columns article_id, document);
    ``labels`` name the articles on the axis."""
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
    """The figure as PNG (300 dpi), SVG or PDF, with no dates or random ids in the file."""
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
    """Write ``stem.png``, ``stem.svg`` and ``stem.pdf`` atomically; return their paths."""
    stem = Path(stem)
    return [atomic_write_bytes(stem.with_suffix(f".{fmt}"), figure_bytes(fig, fmt))
            for fmt in formats]


def plot_codebook_comparison(seeded: pd.DataFrame, unsupervised: pd.DataFrame, *,
                             seeded_labels: Sequence[str] | None = None,
                             unsupervised_labels: Sequence[str] | None = None,
                             article_labels: Sequence[str] | None = None) -> Figure:
    """Article by article, the shares of the codebook themes (left) next to the shares of an
    unsupervised model's topics (right): two heatmaps with one row per article on one colour
    scale. ``seeded`` and ``unsupervised`` are articles × topics tables with the same rows
    (:func:`vnparty.article_shares` of a :func:`vnparty.fit_seeded` model and of, say,
    :func:`vnparty.fit_lda`); the labels name their columns and the rows (default: the
    tables' own column and row names)."""
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

    def text(label: str, width: int) -> str:  # corpus text: no mathtext
        return _shorten(label, width).replace("$", r"\$")

    top = max(left.max(initial=0), right.max(initial=0), 1e-12)
    with _style():
        fig = _figure(2.2 + 0.06 * max(map(len, rows), default=0)
                      + 0.5 * (left.shape[1] + right.shape[1]), 2.2 + 0.32 * len(rows))
        axes = fig.subplots(1, 2, width_ratios=[max(left.shape[1], 1), max(right.shape[1], 1)])
        for ax, matrix, names, title in zip(
                axes, (left, right), labels,
                ("Codebook themes (fit_seeded)", "Unsupervised topics")):
            image = ax.imshow(matrix, cmap="Blues", aspect="auto", vmin=0, vmax=top)
            ax.set_xticks(range(matrix.shape[1]), [text(n, 28) for n in names], rotation=40,
                          ha="right", fontsize=7)
            ax.set_yticks(range(len(rows)), [text(r, 40) for r in rows] if ax is axes[0]
                          else [])
            ax.set_title(title, loc="left")
            for (i, j), value in np.ndenumerate(matrix):
                ax.text(j, i, f"{value:.2f}", ha="center", va="center", fontsize=6.5,
                        color="white" if value > 0.6 * top else "black")
        fig.colorbar(image, ax=axes, shrink=0.8, label="share of the article")
        return fig
