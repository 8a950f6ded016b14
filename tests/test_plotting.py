import matplotlib.mathtext
import numpy as np
import pandas as pd
import pytest
from matplotlib.text import Text

from vnparty import plotting

# two "$" (mathtext in matplotlib), invalid mathtext, a backslash before "$", a leading "_"
LABELS = ["giá từ $5 đến $10", r"$\frac$ x", r"a\$b $c$", "_ẩn", "$"]


def _shown(fig, monkeypatch):
    """Draw ``fig`` with matplotlib's mathtext parser disabled; return each text as shown."""
    def refuse(*args, **kwargs):
        raise AssertionError("mathtext was parsed")

    monkeypatch.setattr(matplotlib.mathtext.MathTextParser, "parse", refuse)
    plotting.figure_bytes(fig, "png")
    shown = []
    for text in fig.findobj(Text):
        string, math = text._preprocess_math(text.get_text())
        assert not math, text.get_text()
        shown.append(string)
    return shown


def _has_all(shown, labels=LABELS):
    for label in labels:
        assert label in shown, label


def test_top_words_and_titles(monkeypatch):
    words = [["giá_$5", "$10", "w1", "w2", "w3"], ["a$b$c", "x1", "x2", "x3", "x4"]]
    weights = [[5, 4, 3, 2, 1]] * 2
    fig = plotting.plot_top_words(words, weights, titles=LABELS[:2],
                                  glosses={"$10": "ten $ and $"})
    shown = _shown(fig, monkeypatch)
    _has_all(shown, LABELS[:2] + ["giá $5", "$10 (ten $ and $)", "a$b$c"])


def test_heatmap(monkeypatch):
    fig = plotting.plot_heatmap(np.eye(5), LABELS, LABELS, title=LABELS[0], xlabel=LABELS[1],
                                ylabel=LABELS[2])
    shown = _shown(fig, monkeypatch)
    _has_all(shown)


def test_select_k_measures_and_legend(monkeypatch):
    frame = pd.DataFrame([{"method": m, "measure": s, "k": k, "seed": 0, "value": v}
                          for m in ("_lda", "$n$") for s in LABELS[:2]
                          for k, v in ((2, 0.1), (3, 0.2))])
    fig = plotting.plot_select_k(frame)
    _has_all(_shown(fig, monkeypatch), LABELS[:2] + ["_LDA", "$N$"])


def test_prevalence_groups_and_legend(monkeypatch):
    table = pd.DataFrame([[0.5, 0.5], [0.2, 0.8]], index=LABELS[:2], columns=[0, 1])
    fig = plotting.plot_prevalence(table, title=LABELS[2], labels=LABELS[3:5])
    shown = _shown(fig, monkeypatch)
    _has_all(shown, LABELS)
    legend = [t.get_text() for t in fig.axes[0].get_legend().get_texts()]
    assert legend == ["_ẩn", r"\$"]  # none dropped for its leading "_"


def test_wordcloud_titles(monkeypatch):
    fig = plotting.plot_wordclouds([["giá_$5", "$10"]], [[2.0, 1.0]], titles=[LABELS[0]])
    _has_all(_shown(fig, monkeypatch), LABELS[:1])


def test_overview_and_documents_cited(monkeypatch):
    lengths = pd.DataFrame({"label": LABELS[:2], "tokens": [10, 20], "paragraphs": [1, 2]})
    steps = pd.DataFrame({"step": LABELS[2:4], "words": [100, 50]})
    _has_all(_shown(plotting.plot_corpus_overview(lengths, steps), monkeypatch), LABELS[:4])
    cited = pd.DataFrame({"article_id": ["a", "b"], "document": LABELS[:2]})
    fig = plotting.plot_documents_cited(cited, ["a", "b"], labels=LABELS[2:4])
    _has_all(_shown(fig, monkeypatch), LABELS[:4])


@pytest.mark.parametrize("text", LABELS + ["", "no dollar", "$$", r"\$", "\\"])
def test_plain_round_trips(text):
    escaped = plotting._plain(text)
    assert Text(text=escaped)._preprocess_math(escaped) == (text, False)
