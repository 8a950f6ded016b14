import datetime as dt
import json
import warnings

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import vnparty
from vnparty import (Article, TopicModel, Unit, align_models, article_shares, fit_lda, fit_nmf,
                     prevalence, representative_units, time_axis, topic_labels, topic_table,
                     unit_frame)


@pytest.fixture(scope="module")
def corpus():
    articles = vnparty.load_articles()
    units = vnparty.split_units(articles)
    tokens = vnparty.preprocess([u.text for u in units])
    return articles, units, tokens, unit_frame(units, articles, tokens)


def test_labels_carry_glosses(corpus):
    _, _, tokens, _ = corpus
    m = fit_nmf(tokens, 5)
    labels = topic_labels(m, 3)
    assert len(labels) == 5
    assert any("(Party" in label for label in labels)
    plain = topic_labels(m, 3, glosses=False)
    assert plain[0] == " · ".join(m.top_words(3)[0])
    table = topic_table(m, 5)
    np.testing.assert_allclose(table["share"].sum(), 1)
    assert "name" not in table and "stability" not in table


def test_the_topic_table_carries_names_and_stability(corpus):
    _, _, tokens, _ = corpus
    ensemble = vnparty.fit_ensemble(tokens, 4, method="nmf", n_runs=3)
    assert topic_table(ensemble)["stability"].tolist() == ensemble.topic_stability.tolist()
    seeded = vnparty.fit_seeded(tokens, k_free=1, iterations=50)
    assert topic_table(seeded)["name"].tolist() == seeded.topic_names


def test_representative_units_have_the_highest_shares(corpus):
    _, units, tokens, frame = corpus
    m = fit_nmf(tokens, 5)
    reps = representative_units(m, frame, n=2, excerpt=50, min_tokens=0)
    assert len(reps) == 10
    for topic, group in reps.groupby("topic"):
        assert group["share"].iloc[0] == m.doc_topic[:, topic].max()
        assert (group["excerpt"].str.len() <= 50).all()
    with pytest.raises(ValueError, match="pass the units the model was fitted on"):
        representative_units(m, frame.iloc[:3])


def test_prevalence_weights_units_by_length(corpus):
    articles, _, tokens, frame = corpus
    m = fit_lda(tokens, 4)
    by_article = article_shares(m, frame)
    assert list(by_article.index) == [a.id for a in articles]
    np.testing.assert_allclose(by_article.sum(axis=1), 1)
    first = frame["article_id"] == articles[0].id
    weights = frame.loc[first, "n_tokens"].to_numpy(float)
    expected = (m.doc_topic[first.to_numpy()] * weights[:, None]).sum(axis=0) / weights.sum()
    np.testing.assert_allclose(by_article.iloc[0].to_numpy(), expected)
    by_article_tidy = prevalence(m, frame, n_boot=0)
    np.testing.assert_allclose(by_article_tidy["share"].to_numpy(), by_article.to_numpy().ravel())
    by_year = prevalence(m, frame, by="year")
    assert list(by_year.columns) == ["year", "topic", "share", "low", "high", "articles", "units"]
    assert by_year["year"].unique().tolist() == [2019, 2024]  # the undated article is left out
    assert by_year["year"].dtype == "Int64"  # years stay whole numbers
    assert by_year["topic"].tolist() == [0, 1, 2, 3] * 2
    np.testing.assert_allclose(by_year.groupby("year")["share"].sum(), 1)
    dated = frame.loc[frame["year"].notna(), ["year", "article_id"]]
    assert by_year.groupby("year")["articles"].first().tolist() == \
        dated.groupby("year")["article_id"].nunique().tolist()
    assert by_year.groupby("year")["units"].first().tolist() == dated["year"].value_counts(
        sort=False).sort_index().tolist()
    assert set(prevalence(m, frame, by="province")["province"]) == {a.province for a in articles}
    with pytest.raises(ValueError, match="no column 'county'"):
        prevalence(m, frame, by="county")


def test_alignment_is_one_to_one(corpus):
    _, _, tokens, _ = corpus
    lda, nmf = fit_lda(tokens, 5), fit_nmf(tokens, 5)
    aligned = align_models(lda, nmf)
    assert sorted(aligned["topic_b"]) == list(range(5))
    itself = align_models(nmf, nmf)
    assert list(itself["topic_b"]) == list(range(5))
    np.testing.assert_allclose(itself["similarity"], 1)
    assert aligned.attrs["similarity"].shape == (5, 5)


def test_representative_units_can_pass_over_short_units(corpus):
    _, _, tokens, frame = corpus
    m = fit_nmf(tokens, 5)
    reps = representative_units(m, frame, n=3, min_tokens=15)
    lengths = dict(zip(zip(frame["article_id"], frame["unit_index"]), frame["n_tokens"]))
    assert all(lengths[(a, i)] >= 15 for a, i in zip(reps["article_id"], reps["unit_index"]))


# --- metadata columns, prevalence with intervals, time axis, captions (issue 14) ---

PARAGRAPH = ("Chi bộ thôn tổ chức sinh hoạt chuyên đề về học tập và làm theo tư tưởng, đạo đức, "
             "phong cách Hồ Chí Minh, đảng viên thảo luận sôi nổi về nhiệm vụ phát triển kinh tế "
             "và xây dựng nông thôn mới của địa phương.")
OTHER = ("Ủy ban kiểm tra huyện ủy tiến hành kiểm tra việc chấp hành điều lệ Đảng, phát hiện "
         "sai phạm trong quản lý đất đai và đề nghị kỷ luật cán bộ có khuyết điểm theo quy định.")
CATEGORIES = ["xây dựng Đảng", "kiểm tra", "xây dựng Đảng", "", "kiểm tra", "xây dựng Đảng"]


@pytest.fixture(scope="module")
def user_corpus(tmp_path_factory):
    """A user's CSV: id, date, source, category (one left blank), year (clashes), text."""
    path = tmp_path_factory.mktemp("csv") / "corpus.csv"
    rows = []
    for i, category in enumerate(CATEGORIES):
        body = "\n\n".join([PARAGRAPH, OTHER][: 1 + i % 2] + ["Ảnh: Chi bộ thôn sinh hoạt."])
        rows.append({"id": f"bai{i}", "date": f"0{1 + i}/03/202{i % 3}", "source": "Báo X",
                     "category": category, "year": "1999", "text": body})
    pd.DataFrame(rows).to_csv(path, index=False)
    with pytest.warns(UserWarning, match=r"\['year'\].*built-in column is kept"):
        articles = vnparty.read_articles(path)
        units = vnparty.split_units(articles)
        tokens = vnparty.preprocess([u.text for u in units])
        frame = unit_frame(units, articles, tokens)
    return articles, units, tokens, frame


def test_metadata_columns_reach_the_frame(user_corpus):
    articles, units, _, frame = user_corpus
    assert list(frame.columns) == ["article_id", "unit_index", "text", "n_tokens", "title",
                                   "province", "district", "source", "byline", "date", "year",
                                   "month", "category"]
    first = frame[frame["article_id"] == "bai1"].iloc[0]
    assert first["category"] == "kiểm tra"  # tone marks kept
    assert first["month"] == "2021-03" and first["year"] == 2021  # built-in year, not "1999"
    assert frame["year"].dtype == "Int64"
    assert frame.loc[frame["article_id"] == "bai3", "category"].isna().all()  # blank: missing


def test_prevalence_by_a_metadata_column_of_a_csv(user_corpus):
    _, _, tokens, frame = user_corpus
    m = fit_nmf(tokens, 2)
    table = prevalence(m, frame, by="category")
    assert table["category"].unique().tolist() == ["kiểm tra", "xây dựng Đảng"]  # sorted
    seen = frame.iloc[m.doc_index]
    expected = seen.dropna(subset=["category"]).groupby("category")
    assert table.groupby("category")["articles"].first().to_dict() == \
        expected["article_id"].nunique().to_dict() == {"kiểm tra": 2, "xây dựng Đảng": 3}
    assert table.groupby("category")["units"].first().to_dict() == expected.size().to_dict()
    np.testing.assert_allclose(table.groupby("category")["share"].sum(), 1)


def test_unit_frame_types_of_metadata():
    articles = [Article("a", "A", ("x",), date=dt.date(2024, 2, 9),
                        metadata={"issue": 3, "score": 0.5, "tag": "  ", "text": "clash"}),
                Article("b", "B", ("y",), metadata={"issue": None, "score": float("nan")})]
    units = vnparty.split_units(articles)
    with pytest.warns(UserWarning, match=r"\['text'\]") as caught:
        frame = unit_frame(units, articles)
    assert len(caught) == 1  # one warning, whatever the number of articles
    assert frame["text"].tolist() == ["x", "y"]  # the unit's text is kept
    assert frame["issue"].dtype == "Int64" and frame["issue"].tolist()[0] == 3
    assert frame["issue"].isna().tolist() == [False, True]
    assert frame["score"].isna().tolist() == [False, True] and frame["tag"].isna().all()
    assert frame["month"].tolist()[0] == "2024-02" and pd.isna(frame["month"].tolist()[1])
    with pytest.raises(ValueError, match="id 'a'"):
        unit_frame(units, articles + articles[:1])
    with pytest.raises(ValueError, match="one list per unit"):
        unit_frame(units, articles, [["x"]])


def _model(doc_topic) -> TopicModel:
    doc_topic = np.asarray(doc_topic, dtype=float)
    k = doc_topic.shape[1]
    return TopicModel(kind="nmf", backend="sklearn", vocabulary=["w"], topic_word=np.ones((k, 1)),
                      doc_topic=doc_topic, doc_index=np.arange(len(doc_topic)),
                      weights=np.ones((k, 1)), params={}, seed=0)


def _synthetic(sizes, seed=0, k=3, units=2):
    """Groups of ``sizes`` articles, ``units`` units each, random shares and lengths."""
    rng = np.random.default_rng(seed)
    group = np.repeat(np.arange(len(sizes)), np.asarray(sizes) * units)
    article = np.repeat(np.arange(sum(sizes)), units)
    frame = pd.DataFrame({"article_id": [f"a{i}" for i in article], "group": group,
                          "n_tokens": rng.integers(5, 60, len(article))})
    return _model(rng.dirichlet(np.ones(k), len(article))), frame


def test_the_bootstrap_is_seeded():
    m, frame = _synthetic([6, 30])
    first = prevalence(m, frame, by="group", seed=3)
    pd.testing.assert_frame_equal(first, prevalence(m, frame, by="group", seed=3))
    other = prevalence(m, frame, by="group", seed=4)
    assert not np.allclose(first["low"], other["low"])
    np.testing.assert_array_equal(first["share"], other["share"])  # the estimate is not drawn
    plain = prevalence(m, frame, by="group", n_boot=0)
    assert plain[["low", "high"]].isna().all().all()
    np.testing.assert_array_equal(plain["share"], first["share"])


@settings(max_examples=25)
@given(sizes=st.lists(st.integers(1, 12), min_size=1, max_size=4), seed=st.integers(0, 99),
       level=st.sampled_from([0.5, 0.9, 0.95]))
def test_intervals_hold_the_share_and_need_two_articles(sizes, seed, level):
    m, frame = _synthetic(sizes, seed)
    table = prevalence(m, frame, by="group", level=level, n_boot=100, seed=seed)
    assert table["articles"].tolist() == np.repeat(sizes, 3).tolist()
    assert table["units"].tolist() == np.repeat(np.asarray(sizes) * 2, 3).tolist()
    np.testing.assert_allclose(table.groupby("group")["share"].sum(), 1)
    single = table["articles"] < 2
    assert table.loc[single, ["low", "high"]].isna().all().all()
    rest = table[~single]
    assert rest[["low", "high"]].notna().all().all()
    assert ((rest["low"] <= rest["share"] + 1e-12) & (rest["share"] <= rest["high"] + 1e-12)).all()


def test_intervals_narrow_with_more_articles():
    for seed in range(5):
        m, frame = _synthetic([5, 50, 500], seed)
        table = prevalence(m, frame, by="group", seed=seed).assign(width=lambda t: t.high - t.low)
        width = table.pivot(index="group", columns="topic", values="width")
        assert (width.diff().iloc[1:] < 0).all().all(), width  # every topic, every step


def test_the_bootstrap_resamples_articles_not_units():
    # every article is half topic 0, half topic 1: any resample of articles gives 0.5 exactly,
    # a resample of units would not
    doc_topic = np.tile([[1.0, 0.0], [0.0, 1.0]], (20, 1))
    frame = pd.DataFrame({"article_id": np.repeat([f"a{i}" for i in range(20)], 2),
                          "group": "all", "n_tokens": 10})
    table = prevalence(_model(doc_topic), frame, by="group")
    np.testing.assert_allclose(table[["share", "low", "high"]].to_numpy(), 0.5)


def test_the_bootstrap_matches_a_plain_loop():
    m, frame = _synthetic([8, 40], seed=1)
    table = prevalence(m, frame, by="group", n_boot=4000, level=0.9, seed=0)
    rng = np.random.default_rng(123)
    weighted = m.doc_topic * frame["n_tokens"].to_numpy()[:, None]
    for g, rows in frame.groupby("group"):
        ids = rows["article_id"].unique()
        sums = np.array([weighted[(frame["article_id"] == a).to_numpy()].sum(axis=0) for a in ids])
        draws = []
        for _ in range(4000):
            pick = sums[rng.integers(0, len(ids), len(ids))].sum(axis=0)
            draws.append(pick / pick.sum())
        low, high = np.quantile(draws, [0.05, 0.95], axis=0)
        mine = table[table["group"] == g]
        np.testing.assert_allclose(mine["low"], low, atol=0.01)
        np.testing.assert_allclose(mine["high"], high, atol=0.01)


def test_prevalence_errors_say_what_to_do(user_corpus):
    _, _, tokens, frame = user_corpus
    m = fit_nmf(tokens, 2)
    with pytest.raises(ValueError, match=r"no column 'county'.*'category'"):
        prevalence(m, frame, by="county")
    with pytest.raises(ValueError, match="'province' has no values"):
        prevalence(m, frame, by="province")
    with pytest.raises(ValueError, match=r"weight=None.*unit_frame\(units, articles, tokens\)"):
        prevalence(m, frame.drop(columns="n_tokens"), by="category")
    equal = prevalence(m, frame.drop(columns="n_tokens"), by="category", weight=None)
    np.testing.assert_allclose(equal.groupby("category")["share"].sum(), 1)
    with pytest.raises(ValueError, match="clash"):
        prevalence(m, frame.rename(columns={"category": "topic"}), by="topic")
    with pytest.raises(ValueError, match="cannot be grouped"):
        prevalence(m, frame.assign(category=[["x"]] * len(frame)), by="category")
    with pytest.raises(ValueError, match="negative"):
        prevalence(m, frame.assign(n_tokens=-1), by="category")
    for bad in ({"n_boot": -1}, {"n_boot": 2.5}, {"level": 1}, {"level": 95}, {"level": 0},
                {"seed": -1}, {"seed": "0"}):
        with pytest.raises(ValueError, match=list(bad)[0]):
            prevalence(m, frame, by="category", **bad)
    with pytest.raises(ValueError, match="n_tokens"):
        article_shares(m, frame.drop(columns="n_tokens"))


def test_time_axis():
    def frame(*dates):
        return pd.DataFrame({"date": list(dates)})
    assert time_axis(frame(dt.date(2023, 12, 1), dt.date(2024, 3, 1))) == "month"
    assert time_axis(frame(dt.date(2022, 12, 1), dt.date(2024, 3, 1))) == "year"
    assert time_axis(frame(dt.date(2019, 1, 1), None, dt.date(2024, 1, 1))) == "year"
    assert time_axis(frame(None, None)) is None
    assert time_axis(pd.DataFrame({"text": ["x"]})) is None
    assert time_axis(pd.DataFrame({"year": pd.array([2020, None], dtype="Int64")})) == "year"
    with pytest.raises(ValueError, match="1 value"):
        time_axis(frame(dt.date(2024, 1, 1), "not a date"))


def test_time_axis_of_a_user_corpus(user_corpus):
    _, _, _, frame = user_corpus  # dates in 2020, 2021 and 2022
    assert time_axis(frame) == "year"
    assert time_axis(frame[frame["year"] < 2022]) == "month"


def test_representative_units_skip_captions_by_default(corpus):
    _, _, tokens, frame = corpus
    m = fit_nmf(tokens, 5)
    lengths = dict(zip(zip(frame["article_id"], frame["unit_index"]), frame["n_tokens"]))
    every = representative_units(m, frame, n=3, min_tokens=0)
    assert min(lengths[key] for key in zip(every["article_id"], every["unit_index"])) < 10
    reps = representative_units(m, frame, n=3)
    assert len(reps) == 15
    assert all(lengths[key] >= 10 for key in zip(reps["article_id"], reps["unit_index"]))
    titles = dict(zip(frame["article_id"], frame["title"]))
    assert reps["title"].tolist() == [titles[a] for a in reps["article_id"]]
    # without n_tokens, lengths are words of the text
    plain = representative_units(m, frame.drop(columns="n_tokens"), n=3)
    words = dict(zip(zip(frame["article_id"], frame["unit_index"]), frame["text"].str.split()))
    assert all(len(words[key]) >= 30 for key in zip(plain["article_id"], plain["unit_index"]))
    assert "title" not in representative_units(m, frame.drop(columns="title"), n=1)


def test_a_topic_of_short_units_still_gets_examples():
    # topic 1 lives only in short units: its examples are its own units, longest first
    doc_topic = [[0.9, 0.1], [0.8, 0.2], [0.1, 0.9], [0.3, 0.7], [0.2, 0.8]]
    frame = pd.DataFrame({"article_id": ["a", "a", "b", "b", "c"], "unit_index": [0, 1, 0, 1, 0],
                          "text": ["long one", "long two", "short", "shorter", "mid"],
                          "n_tokens": [50, 40, 3, 2, 5]})
    reps = representative_units(_model(doc_topic), frame, n=2)
    assert reps.loc[reps["topic"] == 0, "excerpt"].tolist() == ["long one", "long two"]
    assert reps.loc[reps["topic"] == 1, "excerpt"].tolist() == ["mid", "short"]
    assert len(representative_units(_model(doc_topic), frame, n=2, min_tokens=100)) == 4
    empty = representative_units(_model(doc_topic), frame, n=0)
    assert list(empty.columns) == ["topic", "rank", "article_id", "unit_index", "share",
                                   "excerpt"] and empty.empty
