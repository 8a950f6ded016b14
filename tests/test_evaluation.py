import numpy as np
import pandas as pd
import pytest
from gensim.corpora import Dictionary
from gensim.models import CoherenceModel

import vnparty
from vnparty import MEASURES, coherence, fit_lda, fit_nmf, perplexity, select_k, stability
from vnparty.evaluation import SELECT_K_RULE, coherence_per_topic, match_topics, topic_diversity


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
    with pytest.warns(UserWarning, match="no k reaches stability"):  # (46 short paragraphs)
        frame, best = select_k(tokens, [3, 4, 5], "nmf", seeds=[0, 1])
    assert list(frame.columns) == ["k", "method", "seed", "measure", "value", "recommended"]
    assert set(frame["measure"]) == {"c_v", "diversity", "stability"}
    assert len(frame[frame.measure == "c_v"]) == 6
    means = frame.groupby(["measure", "k"])["value"].mean()
    stable = [k for k in (3, 4, 5) if means["stability", k] >= 0.5] or [3, 4, 5]
    assert best == max(stable, key=lambda k: (means["c_v", k], -k))
    # the rule is written into the table: the recommended rows, and the rule itself
    assert (frame["recommended"] == (frame["k"] == best)).all() and frame["recommended"].any()
    assert frame.attrs["rule"] == SELECT_K_RULE.format(min_stability=0.5, measure="c_v")
    assert "at least 0.5" in frame.attrs["rule"] and "highest mean c_v" in frame.attrs["rule"]
    with pytest.warns(UserWarning, match="no k reaches stability"):
        parallel, best_parallel = select_k(tokens, [3, 4, 5], "nmf", seeds=[0, 1], n_jobs=2)
    pd.testing.assert_frame_equal(frame, parallel)
    assert best == best_parallel and parallel.attrs == frame.attrs


def test_select_k_rule_follows_its_settings(tokens):
    frame, best = select_k(tokens, [3, 4], "nmf", seeds=[0, 1], measures=("diversity", "c_v"),
                           min_stability=0.2)
    assert frame.attrs["rule"] == SELECT_K_RULE.format(min_stability=0.2, measure="diversity")
    means = frame.groupby(["measure", "k"])["value"].mean()
    stable = [k for k in (3, 4) if means["stability", k] >= 0.2] or [3, 4]
    assert best == max(stable, key=lambda k: (means["diversity", k], -k))
    assert set(frame.loc[frame["recommended"], "k"]) == {best}


def test_nmf_stability_in_select_k_comes_from_resampled_documents(tokens):
    """NMF's start hardly depends on the seed: on the same documents two seeds agree (stability
    1 for every k, which is what select_k printed before); each seed now fits its own 80% of
    the documents (Greene et al. 2014), and the runs disagree where the corpus is thin."""
    kwargs = dict(measures=("c_v",), min_stability=0.0)
    resampled, _ = select_k(tokens, [3, 4, 5], "nmf", seeds=[0, 1], **kwargs)
    same_documents, _ = select_k(tokens, [3, 4, 5], "nmf", seeds=[0, 1], sample=1.0, **kwargs)
    assert (same_documents.loc[same_documents.measure == "stability", "value"] == 1).all()
    stability_ = resampled.loc[resampled.measure == "stability", "value"]
    assert ((0 <= stability_) & (stability_ < 0.9)).all()


def test_select_k_fits_each_seed_on_its_sample_and_scores_on_all_documents(tokens):
    frame, _ = select_k(tokens, [3, 4], "nmf", seeds=[5, 6], measures=("c_v",), min_stability=0)
    for k in (3, 4):
        for seed in (5, 6):  # the same documents for every k: a seeded sample of 80%
            rows = np.sort(np.random.default_rng(seed).choice(len(tokens), round(0.8 * len(tokens)),
                                                              replace=False))
            model = fit_nmf([tokens[i] for i in rows], k, seed=seed)
            value = frame.query("k == @k and seed == @seed and measure == 'c_v'")["value"].item()
            assert value == pytest.approx(coherence(model, tokens, "c_v"), abs=1e-12)
    # stability: as vnparty.stability of those runs (the first seed's run is the reference)
    runs = [fit_nmf([tokens[i] for i in np.sort(np.random.default_rng(s).choice(
        len(tokens), round(0.8 * len(tokens)), replace=False))], 3, seed=s) for s in (5, 6)]
    value = frame.query("k == 3 and measure == 'stability'")["value"].item()
    assert value == pytest.approx(stability(runs)["stability"].mean(), abs=1e-12)
    assert 0 <= value < 1


def test_select_k_progress_names_each_fit(tokens, capsys):
    select_k(tokens, [3], "nmf", seeds=[0, 1], measures=("diversity",), min_stability=0,
             progress=True)
    error = capsys.readouterr().err
    assert "fitting k=3 seed 0" in error and "fitting k=3 seed 1" in error
    select_k(tokens, [3], "nmf", seeds=[0, 1], measures=("diversity",), min_stability=0)
    assert capsys.readouterr().err == ""


def test_public_functions_have_numpydoc_sections():
    import inspect

    from vnparty import evaluation

    for name in evaluation.__all__:
        function = getattr(evaluation, name)
        if inspect.isfunction(function):
            doc = inspect.getdoc(function)
            assert "Parameters\n----------" in doc and "Returns\n-------" in doc, name
    assert "SELECT_K_RULE" in evaluation.__all__


def test_select_k_bad_input(tokens):
    with pytest.raises(ValueError, match="method"):
        select_k(tokens, [3], "pca")
    with pytest.raises(ValueError, match="unknown measure"):
        select_k(tokens, [3], measures=["coherence"])
    with pytest.raises(ValueError, match="two seeds"):
        select_k(tokens, [3], seeds=[0])
    for sample in (0, 1.5, -0.2):
        with pytest.raises(ValueError, match=r"sample is the share of the documents .* \(0, 1\]"):
            select_k(tokens, [3], "nmf", sample=sample)


def test_select_k_warns_when_no_k_is_stable(tokens):
    with pytest.warns(UserWarning, match="no k reaches stability 0.99"):
        _, best = select_k(tokens, [3, 4], "lda", seeds=[0, 1], min_stability=0.99,
                           iterations=100)
    assert best in (3, 4)
