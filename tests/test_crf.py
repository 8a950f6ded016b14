"""pyvi's CRF read directly (vnparty.crf) against crfsuite itself.

The numpy decoder must give crfsuite's labels exactly: the same as a plain, one-label-at-a-time
Viterbi written from crfsuite's C code (tests/reference.py) on generated scores, ties included;
the same as pycrfsuite's tagger on thousands of real sentences; and the weights read from the
model file must be those of the model's own text dump.
"""

import os
import re
import tempfile

import numpy as np
import pytest
from hypothesis import given, strategies as st

import reference
from test_segmenters_fast import ODD_SENTENCES, TRICKY, _sentences, bundled_sentences
from vnparty import crf, load_articles, segmenters
from vnparty.segmenters import (PyviSegmenter, _EDGE, _clear_caches, _pyvi_crf, _syllable,
                                syllable_spans)


def model():
    return _pyvi_crf()


def weights():
    assert model().weights is not None, "pyvi's model file could not be read"
    return model().weights


def items_of(sentence):
    return model().items([_syllable(sentence[s:e]) for s, e in syllable_spans(sentence)])


def real_sentences():
    return bundled_sentences() + ODD_SENTENCES + _sentences(reference.vntc_texts(120))


# -- the weights -----------------------------------------------------------------------------------
def test_weights_are_those_of_the_model_dump():
    with tempfile.TemporaryDirectory() as folder:
        path = os.path.join(folder, "model.txt")
        model().tagger.dump(path)
        dump = open(path, "rb").read().decode("utf-8", "replace")
    state = re.findall(r"^  \(0\) (.*) --> (\S+): (-?\d+\.\d+)$", dump, re.M)
    transitions = re.findall(r"^  \(1\) (\S+) --> (\S+): (-?\d+\.\d+)$", dump, re.M)
    read = weights()
    # (a few attribute names hold a line break, which this pattern does not follow)
    assert 0 <= sum(w != 0 for ws in read.state.values() for w in ws) - len(state) <= 5
    assert len(state) > 10_000
    for attribute, label, weight in state:
        got = read.state[attribute.encode("utf-8")][read.labels.index(label)]
        assert abs(got - float(weight)) <= 5e-7, attribute
    assert len(transitions) == read.transition.size
    for source, target, weight in transitions:
        got = read.transition[read.labels.index(source), read.labels.index(target)]
        assert abs(got - float(weight)) <= 5e-7


def test_read_weights_refuses_what_is_not_a_model(tmp_path):
    from pyvi.ViTokenizer import ViTokenizer

    path = tmp_path / "model.crfsuite"
    good = open(ViTokenizer.model.modelfile.name, "rb").read()
    labels = weights().labels
    attributes = segmenters._model_attributes(model().tagger)
    assert crf.read_weights(ViTokenizer.model.modelfile.name, attributes, labels) is not None
    for damaged in (b"", good[:30], good[:200], b"xCRF" + good[4:], good.replace(b"FEAT", b"TAEF")):
        path.write_bytes(damaged)
        assert crf.read_weights(path, attributes, labels) is None
    assert crf.read_weights(tmp_path / "missing", attributes, labels) is None
    assert crf.read_weights(ViTokenizer.model.modelfile.name, attributes[:-1], labels) is None
    offset = int.from_bytes(good[28:32], "little") + 12  # the first feature
    for record in ((1, 5, 0), (0, len(attributes), 0), (0, 0, 2), (7, 0, 0)):
        # a transition from label 5, an attribute past the last, label 2, a feature of type 7
        damaged = bytearray(good)
        damaged[offset:offset + 12] = b"".join(n.to_bytes(4, "little") for n in record)
        path.write_bytes(bytes(damaged))
        assert crf.read_weights(path, attributes, labels) is None, record
    assert crf.read_weights(ViTokenizer.model.modelfile.name, attributes, ["B_W"]) is None


def test_weights_that_tag_otherwise_are_not_used(monkeypatch):
    read = crf.read_weights

    def swapped(*args):  # the transitions of the two labels swapped: a misread file
        found = read(*args)
        return crf.Weights(found.labels, found.state, found.transition[::-1, ::-1].copy())

    monkeypatch.setattr(segmenters, "read_weights", swapped)
    from pyvi.ViTokenizer import ViTokenizer

    names = segmenters._model_attributes(model().tagger)
    assert segmenters._checked_weights(ViTokenizer.model, names) is None
    monkeypatch.undo()
    again = segmenters._checked_weights(ViTokenizer.model, names)
    assert again.state == weights().state
    assert np.array_equal(again.transition, weights().transition)


# -- the decoder -----------------------------------------------------------------------------------
SCORES = st.one_of(st.integers(-3, 3).map(float),  # small integers: many exact ties
                   st.floats(-50, 50, allow_nan=False, allow_infinity=False))


@given(st.lists(st.lists(st.tuples(SCORES, SCORES), min_size=1, max_size=12), max_size=8),
       st.lists(SCORES, min_size=4, max_size=4))
def test_viterbi_many_is_a_plain_viterbi_on_each_sequence(sequences, transition):
    transition = np.array(transition).reshape(2, 2)
    state = np.array([pair for sequence in sequences for pair in sequence] + [(9.0, 9.0)])
    lengths = np.array([len(s) for s in sequences], dtype=np.intp)
    starts = np.cumsum(lengths) - lengths
    found = crf.viterbi_many(state, starts, lengths, transition)
    for start, sequence in zip(starts, sequences):
        expected = reference.viterbi(sequence, transition.tolist())
        assert found[start:start + len(sequence)].tolist() == expected


def test_viterbi_many_with_three_labels_and_sequences_in_any_order():
    rng = np.random.default_rng(0)
    state = rng.integers(-2, 3, size=(200, 3)).astype(float)
    transition = rng.integers(-2, 3, size=(3, 3)).astype(float)
    starts, lengths = np.array([150, 0, 40, 190, 7]), np.array([40, 7, 33, 10, 0])
    found = crf.viterbi_many(state, starts, lengths, transition)
    for start, length in zip(starts, lengths):
        expected = reference.viterbi(state[start:start + length].tolist(), transition.tolist())
        assert found[start:start + length].tolist() == expected
    assert crf.viterbi_many(state, np.array([], np.intp), np.array([], np.intp),
                            transition).tolist() == [0] * 200


def test_viterbi_many_gives_crfsuite_labels_on_real_sentences():
    sentences = real_sentences()
    items = [items_of(s) for s in sentences if syllable_spans(s)]
    assert sum(map(len, items)) > 30_000
    state = np.array([weights().total(item) for these in items for item in these])
    lengths = np.array([len(these) for these in items])
    found = crf.viterbi_many(state, np.cumsum(lengths) - lengths, lengths,
                             weights().transition)
    expected = [label for these in items for label in model().tagger.tag(these)]
    assert [weights().labels[i] for i in found] == expected


def assert_state_scores_add_up_the_items(text):
    syllables = [_syllable(text[s:e]) for s, e in syllable_spans(text)]
    sequence = [_EDGE, *syllables, _EDGE]
    if not syllables:
        return
    expected = np.array([weights().total(item) for item in model().items(syllables)])
    assert np.array_equal(model().state_scores(sequence), expected), text  # bit for bit


def test_state_scores_are_the_items_added_up_in_order():
    for sentence in real_sentences()[:800]:
        assert_state_scores_add_up_the_items(sentence)
    assert_state_scores_add_up_the_items("đạo Thiên Chúa giáo phó văn phòng thí nghiệm")


def test_state_scores_of_pieces_joined_by_edges():
    pieces = [[_syllable(s[a:b]) for a, b in syllable_spans(s)] for s in real_sentences()[:300]]
    joined = [syllable for piece in pieces if piece for syllable in piece + [_EDGE]][:-1]
    expected = np.array([weights().total(item) for item in model().items(joined)])
    state = model().state_scores([_EDGE, *joined, _EDGE])
    edges = [i for i, syllable in enumerate(joined) if syllable is _EDGE]
    assert len(edges) > 200
    keep = np.ones(len(joined), bool)
    keep[edges] = False  # an edge's own score is never used
    assert np.array_equal(state[keep], expected[keep])


@given(st.one_of(st.text(), TRICKY))
def test_state_scores_are_the_items_added_up_in_order_on_any_text(text):
    assert_state_scores_add_up_the_items(text)


# -- the segmenter, many texts at once -------------------------------------------------------------
def by_crfsuite(texts):
    """words_and_keys of each text, decoded by crfsuite whatever their length."""
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(model(), "weights", None)
        _clear_caches()
        try:
            return [PyviSegmenter().words_and_keys(text) for text in texts]
        finally:
            _clear_caches()  # (the syllables made meanwhile have no weights)


def test_many_texts_at_once_as_one_by_one():
    texts = [article.text for article in load_articles()] + list(reference.vntc_texts(60))
    expected = by_crfsuite(texts)
    segmenter = PyviSegmenter()
    for size in (len(texts), 17, 3):
        found = [r for k in range(0, len(texts), size)
                 for r in segmenter.words_and_keys_many(texts[k:k + size])]
        assert found == expected, size


def test_many_sentences_at_once_as_pyvi():
    from test_segmenters_fast import pyvi_words

    sentences = real_sentences()
    found = PyviSegmenter().words_and_keys_many(sentences)
    for sentence, (words, _) in zip(sentences, found):
        ours = ["_".join(sentence[s:e] for s, e in word) for word in words]
        assert [reference.unicodedata.normalize("NFC", w) for w in ours] == pyvi_words(sentence)


@given(st.lists(st.one_of(st.text(max_size=400), TRICKY, st.lists(TRICKY).map(" ".join)),
                max_size=6))
def test_numpy_and_crfsuite_decode_alike_on_any_texts(texts):
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(segmenters, "_BATCH_ABOVE", 0)  # numpy, however few the syllables
        by_numpy = list(PyviSegmenter().words_and_keys_many(texts))
    assert by_numpy == by_crfsuite(texts)


def test_few_syllables_go_to_crfsuite_and_many_to_numpy(monkeypatch):
    calls = []
    decode = crf.viterbi_many
    monkeypatch.setattr(segmenters, "viterbi_many", lambda *a: calls.append(1) or decode(*a))
    text = load_articles()[0].text
    PyviSegmenter()(text)
    assert calls == []
    list(PyviSegmenter().words_and_keys_many([text] * 30))
    assert calls == [1]
