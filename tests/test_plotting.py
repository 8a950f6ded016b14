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


def test_prevalence_groups_and_topic_names(monkeypatch):
    # the earlier wide form (index: groups, columns: topics) is still drawn
    table = pd.DataFrame([[0.5, 0.5], [0.2, 0.8]], index=LABELS[:2], columns=[0, 1])
    fig = plotting.plot_prevalence(table, title=LABELS[2], labels=LABELS[3:5])
    shown = _shown(fig, monkeypatch)
    _has_all(shown, LABELS)
    names = [ax.get_title("left") for ax in fig.axes if ax.get_visible() and ax.axison]
    assert names == ["_ẩn", r"\$"]  # one panel per topic, none dropped for its leading "_"


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


# -- wrapping, group sizes, large heatmaps (issue 14, item 7) -----------------------------------
TITLE = "LDA 2: trưởng_thôn · thống_nhất · vững_mạnh · tổ_chức_cơ_sở_đảng (stability 0.93)"
GLOSS = "Party organisation of a level or unit, from the commune to the province"
RULE = ("among the k whose stability across seeds is at least 0.5, the highest mean c_v; "
        "ties to the smaller k")


def _drawn(fig):
    """Lay ``fig`` out and draw it; return (text, its window extent) for every text drawn."""
    from matplotlib.backends.backend_agg import FigureCanvasAgg

    renderer = FigureCanvasAgg(fig).get_renderer()
    fig.draw(renderer)
    texts = [t for t in fig.findobj(Text) if t.get_visible() and t.get_text().strip()]
    for ax in fig.axes:  # tick labels of hidden axes and of ticks outside the view: not drawn
        if not ax.axison:
            texts = [t for t in texts if t not in ax.get_xticklabels() + ax.get_yticklabels()]
        for axis, low, high in ((ax.xaxis, *ax.get_xlim()), (ax.yaxis, *ax.get_ylim())):
            low, high = sorted((low, high))
            for tick in axis.get_major_ticks():
                if not low - 1e-9 <= tick.get_loc() <= high + 1e-9:
                    texts = [t for t in texts if t not in (tick.label1, tick.label2)]
    return [(t, t.get_window_extent(renderer)) for t in texts]


def _outside(fig) -> list[str]:
    box = fig.bbox
    return [t.get_text() for t, e in _drawn(fig)
            if e.x0 < box.x0 - 1 or e.x1 > box.x1 + 1 or e.y0 < box.y0 - 1 or e.y1 > box.y1 + 1]


def _joined(text: str) -> str:
    return " ".join(text.replace("\\$", "$").split())


def _figure_with_long_texts(name):
    words = [["trưởng_thôn", "tổ_chức_đảng", "thống_nhất"]] * 4
    weights = [[3.0, 2.0, 1.0]] * 4
    titles = [TITLE.replace("LDA 2", f"LDA {t}") for t in range(4)]
    glosses = {"tổ_chức_đảng": GLOSS}
    tidy = _tidy_table(["Thành phố Hồ Chí Minh", "Bà Rịa – Vũng Tàu", "Quảng Ninh"], 4)
    frame = pd.DataFrame([{"method": "lda", "measure": m, "k": k, "seed": 0, "value": k / 10}
                          for m in ("c_v", "diversity") for k in (2, 3, 4)])
    return {
        "top_words": lambda: plotting.plot_top_words(words, weights, titles, glosses),
        "wordclouds": lambda: plotting.plot_wordclouds(words, weights, titles=titles),
        "prevalence": lambda: plotting.plot_prevalence(tidy, title=TITLE, labels=titles),
        "heatmap": lambda: plotting.plot_heatmap(np.eye(3), [TITLE] * 3, ["0", "1", "2"],
                                                 title=TITLE),
        "select_k": lambda: plotting.plot_select_k(frame, {"lda": 3}, shown=4,
                                                   note=f"{TITLE} {RULE}"),
    }[name]()


@pytest.mark.parametrize("name", ["top_words", "wordclouds", "prevalence", "heatmap",
                                  "select_k"])
def test_long_texts_are_wrapped_inside_the_figure_and_whole(name):
    fig = _figure_with_long_texts(name)
    assert _outside(fig) == []
    drawn = [_joined(t.get_text()) for t, _ in _drawn(fig)]
    title = _joined(TITLE)
    if name != "heatmap":  # a heatmap row label may be shortened (after a whole word)
        assert any(title in text for text in drawn), drawn
    assert not any("…" in text for text in drawn if name != "heatmap")
    assert any("\n" in t.get_text() for t, _ in _drawn(fig))  # something was wrapped


def test_glosses_are_wrapped_not_cut_mid_word():
    fig = plotting.plot_top_words([["tổ_chức_đảng", "xã"]], [[2.0, 1.0]],
                                  glosses={"tổ_chức_đảng": GLOSS}, columns=1)
    labels = [t.get_text() for t in fig.axes[0].get_yticklabels()]
    assert "…" not in "".join(labels)
    assert _joined(labels[0]) == f"tổ chức đảng ({GLOSS})"
    # the syllables of one segmented word stay on one line
    assert any("tổ chức đảng" in line for line in labels[0].split("\n"))


def test_wrap_never_cuts_a_word():
    long = "tổ_chức_cơ_sở_đảng_và_chính_quyền_địa_phương"
    assert plotting._wrap(f"a {long} b", 10) == f"a\n{long}\nb"
    short = plotting._wrap("one two three four five six", 9, max_lines=2)
    assert short == "one two\nthree … " .strip()  # " …" after a whole word


def _tidy_table(groups, k, articles=None, by="province"):
    rows = []
    for g, group in enumerate(groups):
        n = articles[g] if articles else 2 + g
        for t in range(k):
            share = (t + 1) / (k * (k + 1) / 2)
            low, high = (np.nan, np.nan) if n < 2 else (share * 0.8, min(1.0, share * 1.2))
            rows.append((group, t, share, low, high, n, 7 * n))
    return pd.DataFrame(rows, columns=[by, "topic", "share", "low", "high", "articles", "units"])


def test_prevalence_shows_group_sizes_and_intervals():
    table = _tidy_table([2019, 2020, 2021], 3, articles=[1, 2, 30], by="year")
    fig = plotting.plot_prevalence(table, labels=["a", "b", "c"])
    ticks = [t.get_text() for t in fig.axes[0].get_yticklabels()]
    assert ticks == ["2019\n1 article · 7 paragraphs", "2020\n2 articles · 14 paragraphs",
                     "2021\n30 articles · 210 paragraphs"]
    # a time axis: the interval is a band, open where a group has none (2019: one article)
    band = [c for c in fig.axes[0].collections if len(c.get_paths())]
    assert band and len(band[0].get_paths()[0].vertices) < 2 * 3 + 3
    fig = plotting.plot_prevalence(table.rename(columns={"year": "source"}), unit="article")
    ticks = [t.get_text() for t in fig.axes[0].get_yticklabels()]
    assert ticks[1] == "2020\n2 articles"  # units are articles: said once
    lines = fig.axes[0].collections[0].get_segments()  # one interval per group of ≥ 2 articles
    assert len(lines) == 2 and np.allclose(lines[0][:, 1], 1)


def test_prevalence_checks_its_input():
    table = _tidy_table(["a", "b"], 3)
    with pytest.raises(ValueError, match="by='year'"):
        plotting.plot_prevalence(table, by="year")
    with pytest.raises(ValueError, match="2 labels for 3 topics"):
        plotting.plot_prevalence(table, labels=["x", "y"])
    with pytest.raises(TypeError, match="DataFrame"):
        plotting.plot_prevalence(table.to_numpy())
    fig = plotting.plot_prevalence(table, by="province")
    assert len([ax for ax in fig.axes if ax.axison]) == 3  # one panel per topic


def test_prevalence_fits_fifteen_groups_and_twelve_topics():
    groups = [f"Thành phố Hồ Chí Minh {i}" for i in range(15)]
    fig = plotting.plot_prevalence(_tidy_table(groups, 12), title=TITLE, labels=[TITLE] * 12)
    assert _outside(fig) == []
    width, height = fig.get_size_inches()
    assert width <= 18 and height <= 14
    groups = [f"tỉnh số {i} của vùng đồng bằng sông Cửu Long" for i in range(15)]  # long names
    assert _outside(plotting.plot_prevalence(_tidy_table(groups, 12), labels=[TITLE] * 12)) == []


def test_large_heatmap_is_capped_and_labels_thinned():
    rows = [f"Bài {i}: công tác xây dựng Đảng ở cơ sở và chính quyền địa phương" for i in range(300)]
    fig = plotting.plot_heatmap(np.random.default_rng(0).random((300, 6)), rows, range(6),
                                title="shares per paragraph", annotate=False)
    assert fig.get_size_inches()[1] <= 9.0 == plotting.MAX_HEATMAP_HEIGHT
    labels = [t.get_text() for t in fig.axes[0].get_yticklabels()]
    assert 20 <= len(labels) <= 60
    step = 300 // len(labels) + (300 % len(labels) > 0)
    assert f"1 row in {step} labelled, of 300" in fig.axes[0].get_ylabel()
    for label, tick in zip(labels, fig.axes[0].get_yticks()):
        kept = label.removesuffix(" …")
        full = rows[int(tick)]
        assert full.startswith(kept) and full[len(kept):][:1] in ("", " ")  # whole words
    assert _outside(fig) == []
    small = plotting.plot_heatmap(np.eye(4), ["a", "b", "c", "d"], range(4))
    assert small.get_size_inches()[1] < 3 and len(small.axes[0].get_yticklabels()) == 4


def test_select_k_explains_its_lines():
    frame = pd.DataFrame([{"method": m, "measure": "c_v", "k": k, "seed": 0, "value": k / 10}
                          for m in ("lda", "nmf") for k in (2, 3, 4)])
    fig = plotting.plot_select_k(frame, {"lda": 3, "nmf": 2}, shown=4, rule=RULE)
    legend = [t.get_text() for t in fig.legends[0].get_texts()]
    assert legend == ["LDA", "NMF", "recommended k", "k shown"]
    assert _joined(fig._supxlabel.get_text()) == f"Recommended k (dotted): {RULE}"
    assert "\n" in fig._supxlabel.get_text()
    with pytest.raises(ValueError, match="select_k"):
        plotting.plot_select_k(frame.drop(columns="value"))


def test_figure_bytes_are_deterministic():
    table = _tidy_table(["Quảng Ninh", "Hà Tĩnh"], 3, by="year")
    for fmt in plotting.FORMATS:
        first = plotting.figure_bytes(plotting.plot_prevalence(table, title=TITLE), fmt)
        again = plotting.figure_bytes(plotting.plot_prevalence(table, title=TITLE), fmt)
        assert first == again, fmt


def test_public_functions_are_exported_and_documented():
    import inspect

    assert "plot_codebook_comparison" in plotting.__all__
    for name in plotting.__all__:
        value = getattr(plotting, name)
        if inspect.isfunction(value):
            doc = inspect.getdoc(value)
            assert "Returns\n-------" in doc, name
            if list(inspect.signature(value).parameters):
                assert "Parameters\n----------" in doc, name
