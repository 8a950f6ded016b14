import numpy as np
import pytest

import vnparty
from vnparty import StreamedCorpus, TopicModel, fit_ensemble, fit_lda, fit_nmf
from vnparty.ensemble import consensus, run_seeds

from processes import outputs_of_two_processes


@pytest.fixture(scope="module")
def tokens():
    units = vnparty.split_units(vnparty.load_articles(), unit="paragraph")
    return vnparty.preprocess([u.text for u in units])


def same(a: TopicModel, b: TopicModel) -> bool:
    return (a.topic_word.tobytes() == b.topic_word.tobytes()
            and a.doc_topic.tobytes() == b.doc_topic.tobytes()
            and a.topic_stability.tobytes() == b.topic_stability.tobytes())


@pytest.mark.parametrize("method, combine", [("lda", "average"), ("lda", "central"),
                                             ("nmf", "average")])
def test_same_seed_same_ensemble_bit_for_bit(tokens, method, combine):
    a = fit_ensemble(tokens, 4, method=method, n_runs=3, seed=5, combine=combine)
    b = fit_ensemble(tokens, 4, method=method, n_runs=3, seed=5, combine=combine)
    assert same(a, b)
    assert a.kind == method and a.seed == 5 and a.params["ensemble"]["combine"] == combine
    c = fit_ensemble(tokens, 4, method="lda", n_runs=3, seed=6, combine=combine)
    assert c.params["ensemble"]["seeds"] != a.params["ensemble"]["seeds"]


DIGEST = """
import hashlib, vnparty
units = vnparty.split_units(vnparty.load_articles(), unit="paragraph")
tokens = vnparty.preprocess([u.text for u in units])
for method in ("lda", "nmf"):
    m = vnparty.fit_ensemble(tokens, 5, method=method, n_runs=3, seed=7)
    print(hashlib.sha256(m.topic_word.tobytes() + m.doc_topic.tobytes()
                         + m.topic_stability.tobytes()).hexdigest())
"""


@pytest.mark.slow
def test_deterministic_across_processes():
    runs = outputs_of_two_processes(DIGEST)
    assert runs[0] == runs[1] and len(runs[0].split()) == 2


def test_run_seeds_come_from_a_seed_sequence(tokens):
    seeds = run_seeds(3, 5)
    assert seeds == [int(s) for s in np.random.SeedSequence(3).generate_state(5)]
    assert run_seeds(3, 2) == seeds[:2] and run_seeds(4, 5) != seeds
    m = fit_ensemble(tokens, 4, n_runs=3, seed=3, combine="central")
    assert m.params["ensemble"]["seeds"] == seeds[:3]
    # the central run is returned unchanged: it is the fit with its own seed
    run = fit_lda(tokens, 4, seed=seeds[m.params["ensemble"]["central_run"]])
    assert m.topic_word.tobytes() == run.topic_word.tobytes()
    assert m.doc_topic.tobytes() == run.doc_topic.tobytes()


def test_fit_params_are_passed_to_every_run(tokens):
    m = fit_ensemble(tokens, 3, n_runs=2, backend="sklearn", max_iter=5, min_df=2)
    assert m.backend == "sklearn" and m.params["max_iter"] == 5 and m.params["min_df"] == 2
    assert m.vocabulary == fit_lda(tokens, 3, backend="sklearn", max_iter=5,
                                   min_df=2).vocabulary


def test_stability_shape_range_frame_and_saved(tokens, tmp_path):
    m = fit_ensemble(tokens, 5, n_runs=4, seed=0)
    assert m.topic_stability.shape == (5,)
    assert ((m.topic_stability >= 0) & (m.topic_stability <= 1)).all()
    runs = [fit_lda(tokens, 5, seed=s) for s in m.params["ensemble"]["seeds"]]
    np.testing.assert_array_equal(m.topic_stability,
                                  vnparty.stability([m, *runs])["stability"])
    frame = m.topics_frame(3)
    assert frame["stability"].tolist() == np.repeat(m.topic_stability, 3).tolist()
    assert "stability" not in fit_lda(tokens, 5).topics_frame(3).columns
    np.testing.assert_allclose(m.doc_topic.sum(axis=1), 1)
    np.testing.assert_array_equal(m.transform(tokens), m.doc_topic)

    m.save(tmp_path / "m")
    loaded = TopicModel.load(tmp_path / "m")
    np.testing.assert_array_equal(loaded.topic_stability, m.topic_stability)
    assert loaded.params["ensemble"] == m.params["ensemble"]
    assert TopicModel.load(fit_nmf(tokens, 3).save(tmp_path / "single")).topic_stability is None

    m.topic_stability = m.topic_stability[:2]  # one value per topic, or the model is damaged
    m.save(tmp_path / "bad")
    with pytest.raises(ValueError, match=r"array .topic_stability. has shape \(2,\)"):
        TopicModel.load(tmp_path / "bad")


def test_ensembles_agree_across_seeds_more_than_single_fits(tokens):
    single = [fit_lda(tokens, 6, seed=s) for s in range(3)]
    ensembles = [fit_ensemble(tokens, 6, n_runs=10, seed=s) for s in range(3)]
    before = vnparty.stability(single)["stability"].mean()
    after = vnparty.stability(ensembles)["stability"].mean()
    assert after > before + 0.15


# -- constructed runs ----------------------------------------------------------------------------
WORDS = [f"w{i}" for i in range(16)]


def run(rows, shares=None, **params) -> TopicModel:
    """An LDA model with these topic-word rows (Dirichlet parameters) over WORDS and these
    document shares (the same for its four documents; equal by default)."""
    weights = np.asarray(rows, dtype=np.float64)
    shares = np.full(len(rows), 1 / len(rows)) if shares is None else np.asarray(shares)
    return TopicModel(kind="lda", backend="test", vocabulary=WORDS,
                      topic_word=weights / weights.sum(axis=1, keepdims=True),
                      doc_topic=np.tile(shares, (4, 1)), doc_index=np.arange(4),
                      weights=weights, seed=0, params={"alpha": 0.5, **params})


def topic(*heavy):
    row = np.full(len(WORDS), 0.1)
    row[list(heavy)] = 10.0
    return row


DOCS = [["w0", "w1"], ["w2", "w3"], ["w6", "w7"], ["w8"]]


def test_most_central_run_on_a_constructed_case():
    a, b = topic(0, 1, 2, 3), topic(4, 5, 6, 7)
    runs = [run([a, topic(3, 4, 5, 6)]),                   # a, and b with one word changed
            run([b, a]),                                   # a and b: closest to all the others
            run([topic(0, 1, 2, 4), b]),                   # b, and a with one word changed
            run([topic(8, 9, 10, 11), topic(12, 13, 14, 15)])]  # nothing in common
    model = consensus(runs, DOCS, combine="central", n=4)
    assert model.params["ensemble"]["central_run"] == 1
    assert model.topic_word is runs[1].topic_word and model.seed == runs[1].seed
    # b and a each reappear in the other runs with all 4 top words (Jaccard 1), 3 of 4 (3/5)
    # and none (0)
    np.testing.assert_allclose(model.topic_stability, [1.6 / 3, 1.6 / 3])


def test_average_aligns_topics_before_averaging():
    a, b = topic(0, 1, 2), topic(6, 7, 8)
    runs = [run([a, b], shares=[0.4, 0.6], learned_alpha=[0.2, 0.4]),
            run([b * 3, a * 2], shares=[0.8, 0.2], learned_alpha=[0.6, 0.1]),  # other order
            run([a * 4, b], shares=[0.3, 0.7], learned_alpha=[0.3, 0.5])]
    model = consensus(runs, DOCS, combine="average")
    # aligned: b = (b, 3b, b) / 3 and a = (a, 2a, 4a) / 3; b has the larger mean share: first
    np.testing.assert_allclose(model.weights, [b * 5 / 3, a * 7 / 3])
    np.testing.assert_allclose(model.topic_word[1], a / a.sum())
    np.testing.assert_allclose(model.params["learned_alpha"], [0.5, 0.2], rtol=0, atol=1e-12)
    assert model.params["alpha"] == 0.5
    np.testing.assert_array_equal(model.topic_stability, [1, 1])
    np.testing.assert_array_equal(model.doc_topic, model.transform(DOCS))


# -- bad input ------------------------------------------------------------------------------------
@pytest.mark.parametrize("kwargs, error, match", [
    ({"n_runs": 1}, ValueError, "n_runs must be at least 2.*call fit_lda"),
    ({"n_runs": 2.5}, TypeError, "n_runs must be a whole number"),
    ({"n_runs": True}, TypeError, "n_runs must be a whole number"),
    ({"method": "lsa"}, ValueError, "method must be 'lda' or 'nmf'"),
    ({"combine": "median"}, ValueError, "combine must be one of"),
    ({"n": 0}, ValueError, "n .top words compared. must be"),
    ({"n_jobs": 0}, ValueError, "n_jobs must be"),
    ({"seed": -1}, TypeError, "seed must be a whole number from 0 to 4294967295"),
    ({"passes_": 3}, TypeError, "fit_lda got unknown parameter"),
])
def test_bad_arguments_are_refused(tokens, kwargs, error, match):
    with pytest.raises(error, match=match):
        fit_ensemble(tokens, 3, **{"n_runs": 2, **kwargs})


def test_bad_tokens_and_runs_are_refused(tmp_path, tokens):
    with pytest.raises(TypeError, match="list of token lists"):
        fit_ensemble("chi_bộ đảng_viên", 2)
    corpus = StreamedCorpus.write(tokens, tmp_path / "c")
    with pytest.raises(TypeError, match="not a StreamedCorpus"):
        fit_ensemble(corpus, 2)
    a, b = topic(0, 1, 2), topic(6, 7, 8)
    with pytest.raises(ValueError, match="at least two TopicModel runs"):
        consensus([run([a, b])], DOCS)
    other = run([a, b])
    other.vocabulary = [w.upper() for w in WORDS]
    with pytest.raises(ValueError, match="differ in kind, backend, k, vocabulary"):
        consensus([run([a, b]), other], DOCS)


@pytest.mark.slow
def test_processes_do_not_change_the_result(tokens):
    a = fit_ensemble(tokens, 4, method="nmf", n_runs=3, seed=1)
    b = fit_ensemble(tokens, 4, method="nmf", n_runs=3, seed=1, n_jobs=2)
    assert same(a, b)


def test_combine_defaults_to_average_for_both_methods(tokens):
    for method in ("lda", "nmf"):
        m = fit_ensemble(tokens, 3, method=method, n_runs=2)
        assert m.params["ensemble"]["combine"] == "average"
