"""A bag-of-words corpus on disk, and LDA trained from it, against the in-memory path."""

import os
import warnings

import numpy as np
import pytest

from vnparty import Preprocessor, StreamedCorpus, fit_lda, load_articles, split_units
from vnparty.checksums import DamagedFileError
from vnparty.features import document_term_matrix
from vnparty.models import auto_min_df


def _write(tokens, path, **params):
    with warnings.catch_warnings():
        warnings.filterwarnings("ignore", r"\d+ of \d+ token lists are empty")
        return StreamedCorpus.write(tokens, path, **params)


@pytest.fixture(scope="module")
def texts():
    return [u.text for u in split_units(load_articles())]


@pytest.fixture(scope="module")
def features(texts):
    return Preprocessor(progress=False).fit_transform(texts)


@pytest.fixture(scope="module")
def tokens(features):
    return features[:3] + [[]] + features[3:] + [[]]  # empty lists are left out, and counted


def test_counts_and_vocabulary_as_in_memory(tmp_path, tokens):
    with pytest.warns(UserWarning, match="2 of 48 token lists are empty and were left out"):
        corpus = StreamedCorpus.write(iter(tokens), tmp_path / "c", min_df=2, max_df=0.5)
    kept = [t for t in tokens if t]
    matrix, vocabulary = document_term_matrix(kept, min_df=2, max_df=0.5)
    assert corpus.vocabulary == vocabulary and len(corpus) == len(kept)
    assert corpus.n_documents == len(tokens)
    assert corpus.doc_index.tolist() == [i for i, t in enumerate(tokens) if t]
    chunks = list(corpus.chunks(7))
    assert [c.shape[0] for c in chunks][:-1] == [7] * (len(chunks) - 1)
    streamed = np.vstack([c.toarray() for c in chunks])
    assert streamed.dtype == matrix.dtype and np.array_equal(streamed, matrix.toarray())
    again = StreamedCorpus(tmp_path / "c")
    assert again.vocabulary == vocabulary and again.params == {"min_df": 2, "max_df": 0.5}


def test_lda_from_disk_as_in_memory(tmp_path, tokens):
    corpus = _write(tokens, tmp_path / "c", min_df=2)
    streamed = fit_lda(corpus, 4, seed=3, passes=3, chunksize=16)
    with pytest.warns(UserWarning, match="2 of 48 token lists are empty"):
        memory = fit_lda(tokens, 4, seed=3, backend="gensim", passes=3, chunksize=16, min_df=2)
    assert streamed.vocabulary == memory.vocabulary
    assert streamed.doc_index.tolist() == memory.doc_index.tolist()
    # the same model up to rounding: only the order a document's words are summed in differs
    np.testing.assert_allclose(streamed.topic_word, memory.topic_word, rtol=1e-6, atol=1e-12)
    np.testing.assert_allclose(streamed.doc_topic, memory.doc_topic, rtol=1e-6, atol=1e-9)
    again = fit_lda(StreamedCorpus(tmp_path / "c"), 4, seed=3, passes=3, chunksize=16)
    assert np.array_equal(again.topic_word, streamed.topic_word)  # same file, same numbers
    assert np.array_equal(again.doc_topic, streamed.doc_topic)
    assert streamed.params["min_df"] == 2 and streamed.params["passes"] == 3


def test_preprocessor_streams_into_a_corpus(tmp_path, texts, features, monkeypatch):
    import importlib

    monkeypatch.setattr(importlib.import_module("vnparty.preprocess"), "_BATCH", 5)
    pre = Preprocessor(progress=False, chunk_size=5).fit(iter(texts))  # counted 5 at a time
    assert pre.stopwords_.corpus == Preprocessor().fit(texts).stopwords_.corpus
    assert pre.n_documents_ == len(texts)
    streamed = list(pre.iter_transform(iter(texts)))
    assert streamed == features == pre.transform(texts)
    corpus = StreamedCorpus.write(pre.iter_transform(iter(texts)), tmp_path / "c")
    assert len(corpus) == len(texts)
    with pytest.warns(UserWarning, match=r"1 of 3 texts are empty"):
        assert list(pre.iter_transform(["", texts[0], "Và"])) == [[], features[0], []]


def test_defaults_and_documents_left_empty_by_the_vocabulary(tmp_path, tokens):
    corpus = _write(tokens, tmp_path / "a")  # min_df "auto", as fit_lda
    kept = [t for t in tokens if t]
    assert corpus.vocabulary == document_term_matrix(kept, min_df=auto_min_df(len(kept)))[1]
    rare = tokens + [["một_lần"], ["hai_lần", "một_lần_nữa"]]  # emptied by min_df=2, last too
    corpus = _write(rare, tmp_path / "b", min_df=2)
    assert len(corpus) == len(kept) + 2 and corpus.doc_index[-1] == len(rare) - 1
    rows = np.vstack([c.toarray() for c in corpus.chunks(1000)])
    assert rows.shape[0] == len(corpus) and not rows[-2:].any()
    matrix, vocabulary = document_term_matrix([t for t in rare if t], min_df=2)
    assert corpus.vocabulary == vocabulary and np.array_equal(rows, matrix.toarray())
    model = fit_lda(corpus, 3, seed=0, passes=1, workers=2)  # LdaMulticore reads it too
    assert model.doc_topic.shape == (len(corpus), 3)


def test_a_damaged_corpus_is_refused(tmp_path, tokens):
    _write(tokens, tmp_path / "c", min_df=2)
    matrix = tmp_path / "c" / "corpus.mm"
    lines = matrix.read_bytes().splitlines(keepends=True)
    matrix.write_bytes(b"".join(lines[:len(lines) // 2]))  # cut at a line's end
    with pytest.raises(DamagedFileError, match="c is not a sound corpus.*corpus.mm does not "
                       "match its SHA-256"):
        StreamedCorpus(tmp_path / "c")
    matrix.unlink()
    with pytest.raises(DamagedFileError, match="not a sound corpus.*corpus.mm"):
        StreamedCorpus(tmp_path / "c")
    (tmp_path / "c" / "meta.json").write_text("[]")
    with pytest.raises(DamagedFileError, match="not a sound corpus"):
        StreamedCorpus(tmp_path / "c")


def test_damage_that_keeps_the_size_is_refused(tmp_path, tokens):
    """A count changed in place (the file keeps its size) and a changed meta.json: refused."""
    _write(tokens, tmp_path / "c", min_df=2)
    matrix = tmp_path / "c" / "corpus.mm"
    text = matrix.read_bytes()
    last = text.rstrip(b"\n").rsplit(b" ", 1)
    changed = b" ".join([last[0], b"9" * len(last[1])]) + b"\n"  # the last count, same width
    assert len(changed) == len(text) and changed != text
    matrix.write_bytes(changed)
    with pytest.raises(DamagedFileError, match="corpus.mm does not match its SHA-256"):
        StreamedCorpus(tmp_path / "c")
    _write(tokens, tmp_path / "d", min_df=2)
    meta = tmp_path / "d" / "meta.json"
    meta.write_text(meta.read_text(encoding="utf-8").replace('"n_documents": 48',
                                                             '"n_documents": 49'),
                    encoding="utf-8")
    with pytest.raises(DamagedFileError, match="meta.json does not match its SHA-256"):
        StreamedCorpus(tmp_path / "d")


def test_bad_input_leaves_nothing_behind(tmp_path, tokens):
    def breaks():
        yield from tokens[:5]
        raise OSError("disk gone")

    with pytest.raises(OSError, match="disk gone"):
        StreamedCorpus.write(breaks(), tmp_path / "c")
    for name, value in [("min_df", 0), ("max_df", 2.0), ("min_df", "2"), ("max_df", "auto")]:
        with pytest.raises(ValueError, match=f"{name} must be"):
            StreamedCorpus.write(tokens, tmp_path / "c", **{name: value})
    assert os.listdir(tmp_path) == []  # neither the corpus nor its scratch folder
    with pytest.raises(TypeError, match="document 1 is not a list of str"):
        StreamedCorpus.write([["đảng"], "một văn bản"], tmp_path / "c")
    with pytest.raises(ValueError, match="every token list is empty"):
        StreamedCorpus.write([[], []], tmp_path / "c")
    with pytest.raises(ValueError, match="no word is left"):
        _write(tokens, tmp_path / "c", min_df=1000)
    assert os.listdir(tmp_path) == []
    _write(tokens, tmp_path / "c")
    with pytest.raises(FileExistsError, match="new folder"):
        StreamedCorpus.write(tokens, tmp_path / "c")
    with pytest.raises(ValueError, match="not a sound corpus written by StreamedCorpus"):
        StreamedCorpus(tmp_path)
    corpus = StreamedCorpus(tmp_path / "c")
    with pytest.raises(TypeError, match="min_df: the vocabulary of a StreamedCorpus"):
        fit_lda(corpus, 3, min_df=2)
    with pytest.raises(ValueError, match="backend='gensim'"):
        fit_lda(corpus, 3, backend="sklearn")


@pytest.mark.parametrize("umask", [0o022, 0o077])
def test_the_folder_and_files_get_the_modes_mkdir_and_open_give(tmp_path, tokens, umask):
    old = os.umask(umask)
    try:
        with warnings.catch_warnings():  # (the fixture's empty token lists are named)
            warnings.simplefilter("ignore")
            StreamedCorpus.write(tokens, tmp_path / "corpus")
    finally:
        os.umask(old)
    assert (tmp_path / "corpus").stat().st_mode & 0o777 == 0o777 & ~umask
    for path in (tmp_path / "corpus").iterdir():
        assert path.stat().st_mode & 0o777 == 0o666 & ~umask, path.name
