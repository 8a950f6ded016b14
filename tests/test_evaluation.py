import numpy as np
import pandas as pd
import pytest
from gensim.corpora import Dictionary
from gensim.models import CoherenceModel

import vnparty
from vnparty import MEASURES, coherence, fit_lda, fit_nmf, perplexity, select_k, stability
from vnparty.evaluation import coherence_per_topic, match_topics, topic_diversity


@pytest.fixture(scope="module")
def tokens():
    units = vnparty.split_units(vnparty.load_articles(), unit="paragraph")
    return vnparty.preprocess([u.text for u in units])


@pytest.mark.parametrize("measure", ["c_v", "c_npmi", "u_mass"])
def test_coherence_equals_gensim_called_directly(tokens, measure):
    m = fit_nmf(tokens, 5)
    dictionary = Dictionary(tokens)
    direct = CoherenceModel(topics=m.top_words(10), texts=tokens, dictionary=dictionary,
                            coherence=measure, topn=10)
    assert coherence(m, tokens, measure) == pytest.approx(direct.get_coherence(), abs=1e-12)
    np.testing.assert_allclose(coherence_per_topic(m, tokens, measure),
                               direct.get_coherence_per_topic(), atol=1e-12)


def test_unknown_coherence_measure(tokens):
    with pytest.raises(ValueError, match="unknown coherence measure 'cv'"):
        coherence(fit_nmf(tokens, 3), tokens, "cv")


def test_registry_holds_named_measures():
    assert {"c_v", "c_npmi", "u_mass", "diversity", "perplexity"} <= set(MEASURES)


def test_diversity_counts_distinct_top_words(tokens):
    m = fit_nmf(tokens, 4)
    words = [w for t in m.top_words(25) for w in t]
    assert topic_diversity(m, 25) == len(set(words)) / len(words)
    assert 0 < topic_diversity(m) <= 1


def test_perplexity(tokens):
    m = fit_lda(tokens, 5)
    value = perplexity(m, tokens)
    assert 1 < value < len(m.vocabulary)
    # a model fitted on other documents explains these worse (held-out perplexity)
    half = len(tokens) // 2
    held_out = perplexity(fit_lda(tokens[:half], 5), tokens[half:])
    assert held_out > perplexity(fit_lda(tokens[half:], 5), tokens[half:])
    with pytest.raises(ValueError, match="LDA"):
        perplexity(fit_nmf(tokens, 3), tokens)


def test_match_topics_recovers_a_permutation():
    a = [["a", "b", "c"], ["d", "e", "f"], ["g", "h", "i"]]
    b = [a[2], ["d", "e", "x"], a[0]]
    columns, similarity = match_topics(a, b)
    assert list(columns) == [2, 1, 0]
    np.testing.assert_allclose(similarity, [1, 0.5, 1])


def test_stability(tokens):
    same = stability([fit_lda(tokens, 4, seed=1)] * 3)
    assert (same["stability"] == 1).all()
    varied = stability([fit_lda(tokens, 4, seed=s) for s in range(3)])
    assert list(varied.columns) == ["topic", "stability", "min"]
    assert ((0 <= varied["min"]) & (varied["min"] <= varied["stability"]) & (varied["stability"] <= 1)).all()
    with pytest.raises(ValueError, match="two seeds"):
        stability([fit_lda(tokens, 4)])


def test_select_k(tokens):
    frame, best = select_k(tokens, [3, 4, 5], "nmf", seeds=[0, 1])
    assert list(frame.columns) == ["k", "method", "seed", "measure", "value"]
    assert set(frame["measure"]) == {"c_v", "diversity", "stability"}
    assert len(frame[frame.measure == "c_v"]) == 6
    means = frame.groupby(["measure", "k"])["value"].mean()
    stable = [k for k in (3, 4, 5) if means["stability", k] >= 0.5] or [3, 4, 5]
    assert best == max(stable, key=lambda k: (means["c_v", k], -k))
    parallel, best_parallel = select_k(tokens, [3, 4, 5], "nmf", seeds=[0, 1], n_jobs=2)
    pd.testing.assert_frame_equal(frame, parallel)
    assert best == best_parallel


def test_select_k_bad_input(tokens):
    with pytest.raises(ValueError, match="method"):
        select_k(tokens, [3], "pca")
    with pytest.raises(ValueError, match="unknown measure"):
        select_k(tokens, [3], measures=["coherence"])
    with pytest.raises(ValueError, match="two seeds"):
        select_k(tokens, [3], seeds=[0])


def test_select_k_warns_when_no_k_is_stable(tokens):
    with pytest.warns(UserWarning, match="no k reaches stability 0.99"):
        _, best = select_k(tokens, [3, 4], "lda", seeds=[0, 1], min_stability=0.99,
                           iterations=100)
    assert best in (3, 4)
