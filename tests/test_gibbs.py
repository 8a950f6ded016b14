"""LDA by Gibbs sampling (tomotopy backend) and NMF with the Kullback-Leibler loss."""

import os
import random
import subprocess
import sys

import numpy as np
import pytest
from sklearn.decomposition import non_negative_factorization

import vnparty
from vnparty import StreamedCorpus, TopicModel, fit_lda, fit_nmf
from vnparty.features import document_term_matrix
from vnparty.models import _tfidf, lda_doc_topic

from processes import outputs_of_two_processes


@pytest.fixture(scope="module")
def tokens():
    units = vnparty.split_units(vnparty.load_articles(), unit="paragraph")
    return vnparty.preprocess([u.text for u in units])


def gibbs(tokens, k=5, seed=0, **params):
    return fit_lda(tokens, k, seed=seed, backend="tomotopy", **params)


def test_result_has_the_shape_of_the_other_backends(tokens):
    m = gibbs(tokens, min_df=2)
    counts, vocabulary = document_term_matrix(tokens, min_df=2)
    assert m.kind == "lda" and m.backend == "tomotopy"
    assert m.vocabulary == vocabulary == fit_lda(tokens, 5, backend="sklearn", min_df=2,
                                                  max_iter=2).vocabulary
    assert m.topic_word.shape == m.weights.shape == (5, len(vocabulary))
    np.testing.assert_allclose(m.topic_word.sum(axis=1), 1)
    np.testing.assert_allclose(m.doc_topic.sum(axis=1), 1)
    assert list(m.doc_index) == list(range(len(tokens)))
    # the weights are each topic's word counts plus eta, in vnparty's column order: summed over
    # topics they give every word's count in the corpus (a column mix-up would not)
    np.testing.assert_allclose((m.weights - m.params["eta"]).sum(axis=0),
                               np.asarray(counts.sum(axis=0)).ravel(), rtol=1e-5)
    assert {"alpha", "eta", "iterations", "optim_interval", "burn_in", "workers",
            "learned_alpha", "k", "min_df", "max_df"} <= set(m.params)
    assert m.params["k"] == 5 and m.params["min_df"] == 2
    import tomotopy  # the build that sampled is on record: builds round differently
    assert m.versions["tomotopy"] == tomotopy.__version__
    assert m.versions["tomotopy_isa"] == tomotopy.isa


def test_documents_emptied_by_the_vocabulary_get_equal_shares(tokens):
    m = gibbs(tokens + [["từ_hiếm_một_lần"]], min_df=2)
    assert m.doc_topic.shape[0] == len(tokens) + 1
    np.testing.assert_allclose(m.doc_topic[-1], 0.2)


def test_alpha_is_learned_only_when_asked(tokens):
    fixed = gibbs(tokens, optim_interval=0, alpha=0.3)
    np.testing.assert_allclose(fixed.params["learned_alpha"], 0.3, rtol=1e-6)  # float32 in C++
    learned = gibbs(tokens, optim_interval=10, alpha=0.3)
    assert len(learned.params["learned_alpha"]) == 5
    assert not np.allclose(learned.params["learned_alpha"], 0.3)
    # the shares use the learned alpha, not the starting value
    counts, _ = document_term_matrix(tokens)
    np.testing.assert_array_equal(
        learned.doc_topic,
        lda_doc_topic(counts, learned.weights, np.array(learned.params["learned_alpha"])))
    assert not np.array_equal(learned.doc_topic, lda_doc_topic(counts, learned.weights, 0.3))


def test_same_seed_same_model_whatever_else_ran(tokens):
    a = gibbs(tokens, seed=3, iterations=200)
    np.random.seed(123)
    random.seed(123)
    other = gibbs(tokens, seed=4, iterations=200)  # tomotopy keeps no state between models
    b = gibbs(tokens, seed=3, iterations=200)
    assert a.topic_word.tobytes() == b.topic_word.tobytes()
    assert a.doc_topic.tobytes() == b.doc_topic.tobytes()
    assert a.params == b.params
    assert not np.array_equal(a.topic_word, other.topic_word)


def test_same_seed_same_model_with_two_workers(tokens):
    with pytest.warns(RuntimeWarning, match="workers"):  # tomotopy's caution
        a, b = (gibbs(tokens, seed=5, iterations=200, workers=2) for _ in range(2))
    assert a.topic_word.tobytes() == b.topic_word.tobytes()
    assert a.params["workers"] == 2


DIGEST = """
import hashlib, vnparty
units = vnparty.split_units(vnparty.load_articles(), unit="paragraph")
tokens = vnparty.preprocess([u.text for u in units])
m = vnparty.fit_lda(tokens, 5, seed=7, backend="tomotopy", iterations=300)
print(hashlib.sha256(m.topic_word.tobytes() + m.doc_topic.tobytes()).hexdigest(),
      m.params["learned_alpha"])
m = vnparty.fit_nmf(tokens, 5, seed=7, beta_loss="kullback-leibler")
print(hashlib.sha256(m.topic_word.tobytes() + m.doc_topic.tobytes()).hexdigest())
"""


@pytest.mark.slow
def test_deterministic_across_processes():
    runs = outputs_of_two_processes(DIGEST)
    assert runs[0] == runs[1] and len(runs[0].splitlines()) == 2


def test_transform_is_deterministic_and_matches_the_training_shares(tokens):
    m = gibbs(tokens)
    np.testing.assert_array_equal(m.transform(tokens), m.doc_topic)
    new = [["chi_bộ", "đảng_viên", "sinh_hoạt", "từ_lạ"], ["nghị_quyết"], []]
    shares = m.transform(new)
    np.testing.assert_array_equal(shares, m.transform(new))
    np.testing.assert_allclose(shares.sum(axis=1), 1)
    np.testing.assert_allclose(shares[-1], 0.2)


def test_save_and_load_transform_identically(tmp_path, tokens):
    m = gibbs(tokens)
    m.save(tmp_path / "m")
    loaded = TopicModel.load(tmp_path / "m")
    assert loaded.backend == "tomotopy" and loaded.params == m.params
    assert loaded.params["learned_alpha"] == m.params["learned_alpha"]  # exact through JSON
    np.testing.assert_array_equal(loaded.topic_word, m.topic_word)
    np.testing.assert_array_equal(loaded.doc_topic, m.doc_topic)
    np.testing.assert_array_equal(loaded.transform(tokens), m.transform(tokens))
    assert sorted(p.name for p in (tmp_path / "m").iterdir()) == ["arrays.npz", "checksums.sha256", "model.json"]


@pytest.mark.parametrize("params, error, message", [
    ({"alpha": 0}, ValueError, "alpha must be None .1/k. or a number > 0"),
    ({"eta": -0.01}, ValueError, "eta must be None .1/k. or a number > 0"),
    ({"eta": float("nan")}, ValueError, "eta must be None .1/k. or a number > 0"),
    ({"alpha": "0.1"}, ValueError, "alpha must be None .1/k. or a number > 0"),
    ({"iterations": 0}, ValueError, "iterations must be a whole number >= 1"),
    ({"iterations": 10.5}, TypeError, "iterations must be a whole number"),
    ({"optim_interval": -1}, ValueError, "optim_interval must be a whole number >= 0"),
    ({"burn_in": True}, TypeError, "burn_in must be a whole number"),
    ({"workers": 0}, ValueError, "workers must be a whole number >= 1"),
    ({"passes": 20}, TypeError, "unknown parameter.*passes"),
])
def test_bad_parameters_are_named(tokens, params, error, message):
    with pytest.raises(error, match=message):
        gibbs(tokens, **params)


def test_bad_input_is_refused_as_by_the_other_backends(tokens, tmp_path):
    with pytest.raises(ValueError, match="at least 2"):
        gibbs(tokens, k=1)
    with pytest.raises(ValueError, match="no word is left"):
        gibbs(tokens, min_df=1000)
    with pytest.raises(TypeError, match="seed"):
        gibbs(tokens, seed=-1)
    # tomotopy would take 2**32 + 5 as 5: refused, as numpy refuses it for the other backends
    with pytest.raises(ValueError, match=r"seed must be a whole number from 0 to 4294967295"):
        gibbs(tokens, seed=2 ** 32 + 5)
    assert gibbs(tokens, seed=2 ** 32 - 1, iterations=10).seed == 2 ** 32 - 1
    with pytest.raises(ValueError, match="backend must be 'tomotopy', 'gensim' or 'sklearn'"):
        fit_lda(tokens, 4, backend="tomotopi")
    corpus = StreamedCorpus.write(tokens, tmp_path / "c")
    with pytest.raises(ValueError, match="backend='gensim'"):
        fit_lda(corpus, 4, backend="tomotopy")


# -- NMF with the Kullback-Leibler loss ----------------------------------------------------------
def _generalised_kl(x, w, h):
    x = x.toarray()
    approx = w @ h
    mask = x > 0
    return float((x[mask] * np.log(x[mask] / approx[mask])).sum() - x.sum() + approx.sum())


def test_kl_nmf_fits_the_kl_loss_and_is_deterministic(tokens):
    kl = fit_nmf(tokens, 5, beta_loss="kullback-leibler")
    assert kl.params["beta_loss"] == "kullback-leibler" and kl.params["solver"] == "mu"
    np.testing.assert_allclose(kl.topic_word.sum(axis=1), 1)
    np.testing.assert_allclose(kl.doc_topic.sum(axis=1), 1)
    again = fit_nmf(tokens, 5, beta_loss="kullback-leibler")
    assert kl.topic_word.tobytes() == again.topic_word.tobytes()
    assert kl.doc_topic.tobytes() == again.doc_topic.tobytes()
    shares = kl.transform(tokens[:3])
    np.testing.assert_array_equal(shares, kl.transform(tokens[:3]))
    # each model is better at its own loss: the KL fit reconstructs the TF-IDF matrix with a
    # smaller KL divergence than the Frobenius fit does, and the other way round
    frobenius = fit_nmf(tokens, 5, beta_loss="frobenius")
    assert frobenius.params["solver"] == "cd"
    counts, _ = document_term_matrix(tokens)
    x = _tfidf(counts, kl.idf, True)

    def refit_w(m):  # the unnormalised document weights of each fit
        w, _, _ = non_negative_factorization(
            x, H=m.weights, n_components=5, init="custom", update_H=False,
            solver=m.params["solver"], beta_loss=m.params["beta_loss"], max_iter=1000)
        return w

    w_kl, w_fro = refit_w(kl), refit_w(frobenius)
    assert _generalised_kl(x, w_kl, kl.weights) < _generalised_kl(x, w_fro, frobenius.weights)
    assert np.linalg.norm(x.toarray() - w_fro @ frobenius.weights) < \
        np.linalg.norm(x.toarray() - w_kl @ kl.weights)


def test_kl_with_a_solver_that_cannot_fit_it_is_refused(tokens):
    with pytest.raises(ValueError, match="cd"):
        fit_nmf(tokens, 4, beta_loss="kullback-leibler", solver="cd")


ISA = "import vnparty; m = vnparty.fit_lda([['a', 'b'], ['c', 'd']] * 5, 2, iterations=5); " \
      "print(m.versions['tomotopy_isa'])"


def test_the_portable_build_unless_the_user_names_one():
    env = {k: v for k, v in os.environ.items() if k != "TOMOTOPY_ISA"}
    run = [sys.executable, "-c", ISA]
    assert subprocess.run(run, check=True, capture_output=True, text=True,
                          env=env).stdout.strip() == "sse2"
    named = subprocess.run(run, check=True, capture_output=True, text=True,
                           env={**env, "TOMOTOPY_ISA": "avx2"}).stdout.strip()
    assert named == "avx2"
