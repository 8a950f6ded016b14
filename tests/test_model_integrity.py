"""Fuzzing the files of a saved model and of a streamed corpus: every byte flip, cut or added
byte is refused with DamagedFileError (a ValueError) naming the folder, or loads what was saved."""

import shutil
import tempfile
import warnings
from pathlib import Path

import numpy as np
import pytest
from hypothesis import given, settings, strategies as st

from vnparty import StreamedCorpus, TopicModel, fit_lda, fit_nmf
from vnparty.checksums import DamagedFileError

TOKENS = [["chi_bộ", "đảng_viên", "sinh_hoạt"], ["cấp_ủy", "kiểm_tra", "kỷ_luật"],
          ["đảng_viên", "kết_nạp", "chi_bộ"], ["kiểm_tra", "giám_sát", "cấp_ủy"],
          ["dân_vận", "nhân_dân", "sinh_hoạt"], ["nhân_dân", "dân_vận", "kết_nạp"]] * 3


def _same(a: TopicModel, b: TopicModel) -> bool:
    arrays = ("topic_word", "doc_topic", "doc_index", "weights", "idf")
    return ((a.kind, a.backend, a.vocabulary, a.params, a.seed, a.versions)
            == (b.kind, b.backend, b.vocabulary, b.params, b.seed, b.versions)
            and all(np.array_equal(getattr(a, n), getattr(b, n)) if getattr(a, n) is not None
                    else getattr(b, n) is None for n in arrays))


@pytest.fixture(scope="module")
def saved(tmp_path_factory):
    folders = {}
    for name, model in [("lda", fit_lda(TOKENS, 3, passes=2, backend="gensim")),
                        ("gibbs", fit_lda(TOKENS, 3, iterations=50)), ("nmf", fit_nmf(TOKENS, 3))]:
        folders[name] = (model, model.save(tmp_path_factory.mktemp(name) / "model"))
    return folders


def _damage(data: bytes, how: str, where: int, value: int) -> bytes:
    where %= len(data)
    if how == "flip":
        return data[:where] + bytes([data[where] ^ value]) + data[where + 1:]
    if how == "cut":
        return data[:where]
    return data[:where] + bytes([value]) + data[where:]  # one byte more


DAMAGE = dict(how=st.sampled_from(["flip", "flip", "cut", "add"]),
              where=st.integers(0, 2**20), value=st.integers(1, 255))


@settings(max_examples=300)
@given(kind=st.sampled_from(["lda", "gibbs", "nmf"]),
       name=st.sampled_from(["model.json", "arrays.npz", "checksums.sha256"]), **DAMAGE)
def test_a_changed_model_is_refused_or_unchanged(saved, kind, name, how, where, value):
    model, folder = saved[kind]
    with tempfile.TemporaryDirectory() as scratch:
        copy = Path(shutil.copytree(folder, Path(scratch) / "model"))
        (copy / name).write_bytes(_damage((copy / name).read_bytes(), how, where, value))
        try:
            with warnings.catch_warnings():
                warnings.simplefilter("error")  # a warning is not a way through either
                loaded = TopicModel.load(copy)
        except DamagedFileError as error:
            assert str(copy) in str(error) and "again" in str(error)
        else:
            assert _same(loaded, model)


@pytest.fixture(scope="module")
def corpus(tmp_path_factory):
    return StreamedCorpus.write(TOKENS, tmp_path_factory.mktemp("streamed") / "c", min_df=1)


def _contents(corpus: StreamedCorpus):
    rows = np.vstack([c.toarray() for c in corpus.chunks(5)])
    return corpus.vocabulary, corpus.doc_index.tolist(), corpus.n_documents, corpus.params, rows


@settings(max_examples=100)
@given(name=st.sampled_from(["corpus.mm", "meta.json", "doc_index.npy", "checksums.sha256"]),
       **DAMAGE)
def test_a_changed_streamed_corpus_is_refused_or_unchanged(corpus, name, how, where, value):
    with tempfile.TemporaryDirectory() as scratch:
        copy = Path(shutil.copytree(corpus.path, Path(scratch) / "c"))
        (copy / name).write_bytes(_damage((copy / name).read_bytes(), how, where, value))
        try:
            opened = StreamedCorpus(copy)
        except DamagedFileError as error:
            assert str(copy) in str(error) and "write it again" in str(error)
        else:
            expected, found = _contents(corpus), _contents(opened)
            assert expected[:4] == found[:4] and np.array_equal(expected[4], found[4])
