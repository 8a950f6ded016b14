import json
import os

import numpy as np
import pytest
from sklearn.base import clone
from sklearn.pipeline import Pipeline

import vnparty
from vnparty import LdaTopics, NmfTopics, Preprocessor, TopicModel, fit_lda, fit_nmf
from vnparty.checksums import CHECKSUMS, DamagedFileError, checksums_text, file_sha256
from vnparty.models import FORMAT_VERSION, ParameterError

from processes import outputs_of_two_processes


@pytest.fixture(scope="module")
def tokens():
    units = vnparty.split_units(vnparty.load_articles(), unit="paragraph")
    return vnparty.preprocess([u.text for u in units])


FITS = [("lda", "tomotopy"), ("lda", "gensim"), ("lda", "sklearn"), ("nmf", "sklearn")]


def fit(kind, backend, tokens, k=5, seed=0, **params):
    if kind == "lda":
        return fit_lda(tokens, k, seed=seed, backend=backend, **params)
    return fit_nmf(tokens, k, seed=seed, **params)


@pytest.mark.parametrize("kind, backend", FITS)
def test_topic_model_shapes_and_sums(tokens, kind, backend):
    m = fit(kind, backend, tokens)
    assert m.topic_word.shape == (5, len(m.vocabulary))
    assert m.doc_topic.shape == (len(tokens), 5)
    np.testing.assert_allclose(m.topic_word.sum(axis=1), 1)
    np.testing.assert_allclose(m.doc_topic.sum(axis=1), 1)
    assert m.vocabulary == sorted(m.vocabulary)
    top = m.top_words(8)
    assert len(top) == 5 and all(len(t) == 8 for t in top)
    for t, words in enumerate(top):  # best first
        weights = [m.topic_word[t, m.vocabulary.index(w)] for w in words]
        assert weights == sorted(weights, reverse=True)
    shares = m.transform(tokens[:4] + [["từ_lạ"], []])
    assert shares.shape == (6, 5)
    np.testing.assert_allclose(shares.sum(axis=1), 1)
    np.testing.assert_allclose(shares[-1], 0.2)  # nothing known: equal shares
    assert set(m.topics_frame(3).columns) == {"topic", "rank", "word", "weight"}
    assert len(m.shares_frame()) == len(tokens) * 5


def test_lda_transform_of_training_documents_is_doc_topic(tokens):
    m = fit_lda(tokens, 5)
    np.testing.assert_array_equal(m.transform(tokens), m.doc_topic)


@pytest.mark.parametrize("kind, backend", FITS)
def test_same_seed_same_model_bit_for_bit(tokens, kind, backend):
    a, b = fit(kind, backend, tokens, seed=3), fit(kind, backend, tokens, seed=3)
    assert a.topic_word.tobytes() == b.topic_word.tobytes()
    assert a.doc_topic.tobytes() == b.doc_topic.tobytes()


def test_different_seeds_differ(tokens):
    assert not np.array_equal(fit_lda(tokens, 5, seed=0).topic_word,
                              fit_lda(tokens, 5, seed=1).topic_word)


DIGEST = """
import hashlib, vnparty
units = vnparty.split_units(vnparty.load_articles())
tokens = vnparty.preprocess([u.text for u in units])
for m in (vnparty.fit_lda(tokens, 5, seed=7, backend="gensim"),
          vnparty.fit_lda(tokens, 5, seed=7, backend="sklearn"), vnparty.fit_nmf(tokens, 5, seed=7)):
    print(hashlib.sha256(m.topic_word.tobytes() + m.doc_topic.tobytes()).hexdigest())
"""


@pytest.mark.slow
def test_deterministic_across_processes():
    runs = outputs_of_two_processes(DIGEST)
    assert runs[0] == runs[1] and len(runs[0].split()) == 3


@pytest.mark.parametrize("kind, backend", FITS)
def test_save_and_load(tmp_path, tokens, kind, backend):
    m = fit(kind, backend, tokens)
    m.save(tmp_path / "m")
    loaded = TopicModel.load(tmp_path / "m")
    assert loaded.vocabulary == m.vocabulary and loaded.params == m.params
    np.testing.assert_array_equal(loaded.topic_word, m.topic_word)
    np.testing.assert_array_equal(loaded.transform(tokens[:5]), m.transform(tokens[:5]))
    meta = json.loads((tmp_path / "m" / "model.json").read_text(encoding="utf-8"))
    assert meta["seed"] == 0 and meta["versions"]["vnparty"] == vnparty.__version__
    assert "gensim" in meta["versions"] and meta["params"]["k"] == 5


def _rehash(folder):
    """Checksums for the files as they are: a folder as another vnparty version would write it."""
    (folder / CHECKSUMS).write_text(checksums_text(
        {name: file_sha256(folder / name) for name in ("arrays.npz", "model.json")}))


def _edit_meta(folder, edit):
    meta_path = folder / "model.json"
    meta = json.loads(meta_path.read_text(encoding="utf-8"))
    edit(meta)
    meta_path.write_text(json.dumps(meta), encoding="utf-8")


def test_tampered_or_foreign_model_files_are_refused(tmp_path, tokens):
    m = fit_nmf(tokens, 4)
    m.save(tmp_path / "m")
    arrays = tmp_path / "m" / "arrays.npz"
    data = bytearray(arrays.read_bytes())
    data[-30] ^= 0xFF
    arrays.write_bytes(bytes(data))
    with pytest.raises(DamagedFileError, match="m/arrays.npz does not match its SHA-256.*save"):
        TopicModel.load(tmp_path / "m")

    m.save(tmp_path / "json")  # valid JSON with another word, or alpha 0.25 -> 25: refused
    _edit_meta(tmp_path / "json", lambda meta: meta["vocabulary"].__setitem__(0, "khác"))
    with pytest.raises(DamagedFileError, match="json/model.json does not match its SHA-256"):
        TopicModel.load(tmp_path / "json")

    m.save(tmp_path / "old")
    _edit_meta(tmp_path / "old", lambda meta: meta.update(format_version=FORMAT_VERSION + 1,
                                                          versions={"vnparty": "9.9"}))
    _rehash(tmp_path / "old")
    with pytest.raises(DamagedFileError, match="written by vnparty 9.9.*fit the model again"):
        TopicModel.load(tmp_path / "old")

    m.save(tmp_path / "newer")
    _edit_meta(tmp_path / "newer", lambda meta: meta["versions"].update(vnparty="0.0.1"))
    _rehash(tmp_path / "newer")
    with pytest.warns(UserWarning, match="written by vnparty 0.0.1"):
        TopicModel.load(tmp_path / "newer")

    m.save(tmp_path / "key")
    _edit_meta(tmp_path / "key", lambda meta: meta.pop("vocabulary"))
    _rehash(tmp_path / "key")
    with pytest.raises(DamagedFileError, match="key/model.json lacks the key 'vocabulary'"):
        TopicModel.load(tmp_path / "key")

    m.save(tmp_path / "format1")  # format 1 had no checksums.sha256
    (tmp_path / "format1" / CHECKSUMS).unlink()
    with pytest.raises(DamagedFileError, match="checksums.sha256 is missing.*older vnparty"):
        TopicModel.load(tmp_path / "format1")

    (tmp_path / "cut").mkdir()
    (tmp_path / "cut" / "model.json").write_text('{"format": "vnp', encoding="utf-8")
    with pytest.raises(DamagedFileError, match="cut/arrays.npz is missing"):
        TopicModel.load(tmp_path / "cut")
    (tmp_path / "cut" / "arrays.npz").write_bytes(b"")
    _rehash(tmp_path / "cut")
    with pytest.raises(DamagedFileError, match="cut/model.json is not valid JSON"):
        TopicModel.load(tmp_path / "cut")
    with pytest.raises(FileNotFoundError, match="holds no saved model"):
        TopicModel.load(tmp_path / "nowhere")


@pytest.mark.parametrize("stop", [1, 2])
def test_an_interrupted_save_never_loads_wrong(tmp_path, tokens, monkeypatch, stop):
    """A kill after `stop` of the three files: the folder loads the old model or is refused."""
    import vnparty.models

    old, new = fit_nmf(tokens, 4, seed=0), fit_nmf(tokens, 4, seed=1)
    old.save(tmp_path / "m")
    write, calls = vnparty.io.atomic_write_bytes, []

    def killed(path, data):
        if len(calls) == stop:
            raise KeyboardInterrupt  # what a kill leaves: the files written so far
        calls.append(path)
        return write(path, data)

    monkeypatch.setattr(vnparty.models, "atomic_write_bytes", killed)
    monkeypatch.setattr(vnparty.models, "atomic_write_text",
                        lambda path, text: killed(path, text.encode()))
    with pytest.raises(KeyboardInterrupt):
        new.save(tmp_path / "m")
    with pytest.raises(DamagedFileError, match="does not match its SHA-256"):
        TopicModel.load(tmp_path / "m")


@pytest.mark.parametrize("kind, backend", FITS)
def test_bad_input(tokens, kind, backend):
    with pytest.raises(ValueError, match="at least 2"):
        fit(kind, backend, tokens, k=1)
    with pytest.raises(ValueError, match="more topics than documents"):
        fit(kind, backend, tokens[:3], k=4)
    with pytest.raises(TypeError, match="unknown parameter"):
        fit(kind, backend, tokens, pases=3)
    with pytest.raises(ValueError, match="every token list is empty"):
        fit(kind, backend, [[], []], k=2)
    with pytest.raises(ValueError, match="no word is left"):
        fit(kind, backend, tokens, min_df=1000)
    with pytest.raises(TypeError, match="list of token lists"):
        fit(kind, backend, "một văn bản")
    with pytest.raises(TypeError, match="not a list of str"):
        fit(kind, backend, ["văn bản một", "văn bản hai"])
    with pytest.warns(UserWarning, match="2 of 48 token lists are empty"):
        m = fit(kind, backend, tokens + [[], []])
    assert m.doc_topic.shape[0] == len(tokens) and list(m.doc_index) == list(range(len(tokens)))


def test_unknown_backend(tokens):
    with pytest.raises(ValueError, match="backend"):
        fit_lda(tokens, 4, backend="mallet")
    with pytest.raises(ValueError, match="sklearn"):
        fit_nmf(tokens, 4, backend="gensim")


def test_estimators_in_a_pipeline():
    texts = [u.text for u in vnparty.split_units(vnparty.load_articles())]
    pipeline = Pipeline([("features", Preprocessor()), ("topics", NmfTopics(n_topics=4))])
    shares = pipeline.fit_transform(texts)
    assert shares.shape == (len(texts), 4)
    np.testing.assert_array_equal(pipeline.transform(texts[:3]), pipeline.transform(texts[:3]))
    lda = LdaTopics(n_topics=3, backend="gensim", options={"passes": 5})
    assert clone(lda).get_params() == lda.get_params()
    with pytest.raises(RuntimeError, match="not fitted"):
        lda.transform([["đảng"]])
    with pytest.raises(TypeError, match="unknown parameter"):
        LdaTopics(n_topics=3, options={"pases": 5}).fit([["a", "b"]] * 5)


def test_large_corpus_options(tokens):
    mini = fit_nmf(tokens, 4, minibatch=True, batch_size=16)
    np.testing.assert_allclose(mini.doc_topic.sum(axis=1), 1)
    assert mini.params["minibatch"] is True
    assert mini.topic_word.tobytes() == fit_nmf(tokens, 4, minibatch=True, batch_size=16).topic_word.tobytes()
    multicore = fit_lda(tokens, 4, backend="gensim", workers=2, passes=3)
    assert multicore.params["workers"] == 2 and multicore.doc_topic.shape == (len(tokens), 4)


def test_top_weights_follow_top_words(tokens):
    m = fit_nmf(tokens, 4)
    for t, (words, weights) in enumerate(zip(m.top_words(6), m.top_weights(6))):
        assert weights == [m.topic_word[t, m.vocabulary.index(w)] for w in words]


BAD_PARAMS = [  # (kind, backend, params, what the message says)
    ("lda", "gensim", {"alpha": "auto"}, r"alpha must be None \(1/k\) or a number > 0 .*'auto'"),
    ("lda", "sklearn", {"eta": -1.0}, r"eta must be None \(1/k\) or a number > 0"),
    ("lda", "gensim", {"chunksize": 0}, "chunksize must be a whole number >= 1, not 0"),
    ("lda", "gensim", {"passes": 0}, "passes must be a whole number >= 1, not 0"),
    ("lda", "gensim", {"decay": 2}, "decay must be a number > 0 and <= 1"),
    ("lda", "gensim", {"workers": 0}, "workers must be a whole number >= 1"),
    ("lda", "sklearn", {"learning_method": "fast"}, "'batch' or 'online', not 'fast'"),
    ("nmf", "sklearn", {"min_df": -1}, r"min_df must be 'auto' or a share .* or a whole number"),
    ("lda", "gensim", {"min_df": 2.5}, r"min_df must be .*, not 2.5"),
    ("nmf", "sklearn", {"max_df": "0.5"}, r"max_df must be a share \(float\) from 0.0 to 1.0 "
     "or a whole number >= 1, not '0.5'"),
    ("nmf", "sklearn", {"max_features": 0}, "max_features must be None or a whole number >= 1"),
    ("nmf", "sklearn", {"sublinear_tf": "yes"}, "sublinear_tf must be True or False"),
    ("nmf", "sklearn", {"beta_loss": "kullback-leibler", "solver": "cd"}, "needs solver='mu'"),
    ("nmf", "sklearn", {"tol": float("nan")}, "tol must be a number >= 0"),
]


@pytest.mark.parametrize("kind, backend, params, message", BAD_PARAMS)
def test_bad_parameters_get_a_clear_error_before_any_work(tokens, kind, backend, params,
                                                          message):
    with pytest.raises(ParameterError, match=message):
        fit(kind, backend, tokens, **params)
    estimator = (LdaTopics(3, backend=backend, options=params) if kind == "lda"
                 else NmfTopics(3, options=params))
    with pytest.raises(ParameterError, match=message):  # the estimators say the same
        estimator.fit(tokens)


def test_every_parameter_has_a_rule_that_its_default_keeps():
    from vnparty.models import _LDA_GENSIM, _LDA_SKLEARN, _NMF_SKLEARN, _RULES, _VOCABULARY

    for defaults in (_VOCABULARY, _LDA_GENSIM, _LDA_SKLEARN, _NMF_SKLEARN):
        for name, value in defaults.items():
            assert name in _RULES and _RULES[name].ok(value), name


@pytest.mark.parametrize("kind, backend", FITS)
def test_seeds_outside_numpy_range_and_none_documents(tokens, kind, backend):
    for seed in (2**32, -1, 1.5, True):
        with pytest.raises(ParameterError, match=r"seed must be a whole number from 0 to "
                                                 "4294967295"):
            fit(kind, backend, tokens, seed=seed)
    assert fit(kind, backend, tokens[:10], k=2, seed=2**32 - 1).seed == 2**32 - 1
    assert fit(kind, backend, tokens, seed=np.int64(3)).topic_word.tobytes() == fit(
        kind, backend, tokens, seed=3).topic_word.tobytes()
    with pytest.raises(TypeError, match=r"document 1 is not a list of str \(it is None\)"):
        fit(kind, backend, [tokens[0], None, tokens[1]], k=2)


@pytest.mark.parametrize("kind, backend", FITS)
def test_model_api_edges(tokens, kind, backend):
    m = fit(kind, backend, tokens, k=3)
    for n in (-1, 2.0, "3"):
        with pytest.raises(ParameterError, match="top_words: n must be a whole number >= 0"):
            m.top_words(n)
    with pytest.raises(ParameterError, match="n must be"):
        m.top_weights(-1)
    assert m.top_words(0) == [[], [], []]
    assert len(m.top_words(10**6)[0]) == len(m.vocabulary)
    empty = m.transform([])
    assert empty.shape == (0, 3) and empty.dtype == np.float64
    with pytest.raises(TypeError, match=r"document 1 is not a list of str \(it is None\)"):
        m.transform([["đảng"], None])
    with pytest.raises(TypeError, match=r"document 0 is not a list of str \(it is of type int\)"):
        m.transform([7])
    np.testing.assert_array_equal(m.transform([iter(tokens[0])]), m.transform([tokens[0]]))


def test_nmf_of_a_streamed_corpus_says_what_to_do(tmp_path, tokens):
    corpus = vnparty.StreamedCorpus.write(tokens, tmp_path / "c")
    with pytest.raises(TypeError, match="fit_nmf needs the token lists in memory.*fit_lda"):
        fit_nmf(corpus, 3)
    with pytest.raises(TypeError, match="fit_nmf needs the token lists in memory"):
        NmfTopics(3).fit(corpus)
    with pytest.raises(ParameterError, match="passes must be"):
        fit_lda(corpus, 3, passes=0)


def test_workers_are_capped_at_the_cpus(tokens, monkeypatch):
    monkeypatch.setattr(os, "sched_getaffinity", lambda pid: {0}, raising=False)
    with pytest.warns(UserWarning, match="workers=1000 is more than the 1 CPU") as caught:
        capped = fit_lda(tokens, 3, workers=1000, passes=2, backend="gensim")
    assert caught[0].filename == __file__  # the warning points at the caller
    assert capped.params["workers"] == 1
    one = fit_lda(tokens, 3, workers=1, passes=2, backend="gensim")  # bit for bit
    assert capped.topic_word.tobytes() == one.topic_word.tobytes()
    with pytest.warns(UserWarning, match="workers=1000 is more than the 1 CPU") as caught:
        capped = fit_lda(tokens, 3, workers=1000, iterations=50)  # tomotopy's threads
    assert caught[0].filename == __file__ and capped.params["workers"] == 1


def test_estimator_options_are_checked(tokens):
    with pytest.raises(TypeError, match="options must be a dict"):
        LdaTopics(3, options="passes=3").fit(tokens)
    with pytest.raises(TypeError, match=r"options may not hold \['seed'\]: set the "
                                        "estimator's random_state"):
        NmfTopics(3, options={"seed": 1}).fit(tokens)
    with pytest.raises(RuntimeError, match="not fitted"):
        NmfTopics(3).top_words(3)
    assert NmfTopics(3).fit(tokens).transform([]).shape == (0, 3)
