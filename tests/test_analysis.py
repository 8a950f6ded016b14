import numpy as np
import pytest

import vnparty
from vnparty import (align_models, article_shares, fit_lda, fit_nmf, prevalence,
                     representative_units, topic_labels, topic_table, unit_frame)


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
    reps = representative_units(m, frame, n=2, excerpt=50)
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
    by_year = prevalence(m, frame, by="year")
    assert list(by_year.index) == [2019, 2024]  # the undated article is left out
    assert set(prevalence(m, frame, by="province").index) == {a.province for a in articles}
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
    with pytest.raises(ValueError, match="unit lengths"):
        representative_units(m, frame.drop(columns="n_tokens"), min_tokens=5)
