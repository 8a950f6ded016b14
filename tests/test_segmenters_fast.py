"""The fast PyviSegmenter against plain pyvi, sentence by sentence, on thousands of real sentences.

PyviSegmenter builds pyvi's CRF features itself and feeds the CRF directly; these tests check that
nothing of pyvi's segmentation changes: the words equal ``ViTokenizer.tokenize`` on every sentence
of the bundled articles and of the first articles of VNTC (when ``../shared/corpora`` is there),
the CRF receives exactly the scores pyvi gives it, and the old slow path (pyvi's ``sent2features``
and sklearn-crfsuite's ``predict``) gives the same words on whole texts and on arbitrary text.
The shortcuts of the fast path (syllables found without the regular expression for runs of
letters, caches of syllables and runs of text) are checked against the plain way too.
"""

import gzip
import itertools
import json
import random
import string
import subprocess
import sys
import unicodedata
from functools import lru_cache
from pathlib import Path

import pytest
from hypothesis import given, strategies as st

from vnparty import load_articles
from vnparty import segmenters
from vnparty.clean import split_sentences
from vnparty.lexicon import syllable_key
from vnparty.segmenters import (MAX_CHUNK, PyviSegmenter, _chunks, _clear_caches, _pyvi_crf,
                                _syllable, syllable_spans)

VNTC = Path(__file__).resolve().parents[2] / "shared" / "corpora" / "vntc_train.jsonl.gz"
VNTC_ARTICLES = 250  # the first articles of the file, in file order: about 5,000 sentences
SENTENCE_END = {".", "!", "?", "...", ";"}
ODD_SENTENCES = [
    "a", "Đảng", "ĐẢNG", "Hà Nội", "Tp. Hồ Chí Minh", "Mr. Dr. ThS. Nguyễn Văn A.",
    "2.114 người, 99,74% và 1_000", "http://vnexpress.net/a?b=c và thư@vnexpress.net",
    "==> -> >> ... … “tự diễn biến”", "UBND TP.HCM, KT-XH, 22-NQ/TW", "x y", "x y z",
    "Ông ΟΔΥΣΣΕΥΣ", "Huyện ủy ban hành nghị quyết", "(NLĐ)- Quỹ hỗ trợ", "!!!", "a\tb  c",
]


def _sentences(texts):
    return [sentence for text in texts for line in text.splitlines()
            for sentence in split_sentences(line)]


@lru_cache(maxsize=1)
def bundled_sentences():
    return _sentences(paragraph for article in load_articles() for paragraph in article.paragraphs)


@lru_cache(maxsize=1)
def vntc_texts():
    if not VNTC.exists():
        pytest.skip(f"VNTC is not at {VNTC}")
    with gzip.open(VNTC, "rt", encoding="utf-8") as handle:
        return [json.loads(line)["text"] for line in itertools.islice(handle, VNTC_ARTICLES)]


def pyvi():
    from pyvi.ViTokenizer import ViTokenizer

    return ViTokenizer


def pyvi_words(sentence):
    """Plain pyvi's words, one ``tokenize`` call for each piece PyviSegmenter tags at once (the
    whole sentence, unless it holds a sentence end such as ";" or "...")."""
    spans = syllable_spans(sentence)
    return [word for chunk in _chunks(sentence, spans) for word in pyvi().tokenize(
        sentence[spans[chunk.start][0]:spans[chunk.stop - 1][1]]).split()]


def our_words(sentence, segmenter=PyviSegmenter()):
    # pyvi returns NFC text; the segmenter keeps the original characters
    return [unicodedata.normalize("NFC", "_".join(sentence[s:e] for s, e in word))
            for word in segmenter(sentence)]


def mismatches(sentences):
    return [(s, our_words(s), pyvi_words(s)) for s in sentences if our_words(s) != pyvi_words(s)]


def reference_segmenter(text):
    """PyviSegmenter as it was before it was made fast: pyvi's own feature dicts
    (``sent2features``) and sklearn-crfsuite's ``predict``, then pyvi's joining rule."""
    spans = syllable_spans(text)
    words = []
    for chunk in _chunks(text, spans):
        chunk_spans = spans[chunk.start:chunk.stop]
        pieces = [unicodedata.normalize("NFC", text[s:e]) for s, e in chunk_spans]
        labels = pyvi().model.predict([pyvi().sent2features(pieces, False)])[0]
        for i, span in enumerate(chunk_spans):
            if i and labels[i] == "I_W" and pieces[i] not in string.punctuation \
                    and pieces[i - 1] not in string.punctuation \
                    and not pieces[i][0].isdigit() and not pieces[i - 1][0].isdigit() \
                    and not (pieces[i][0].istitle() and not pieces[i - 1][0].istitle()):
                words[-1].append(span)
            else:
                words.append([span])
    return words


def reference_chunks(text, spans):
    """_chunks as it was: one pass, cutting before a line break, after a sentence end followed by
    white space or the end of the text, and every MAX_CHUNK syllables."""
    chunks, current = [], []
    for i, (start, end) in enumerate(spans):
        if current and ("\n" in text[spans[current[-1]][1]:start] or len(current) >= MAX_CHUNK):
            chunks.append(current)
            current = []
        current.append(i)
        if text[start:end] in SENTENCE_END and (end == len(text) or text[end].isspace()):
            chunks.append(current)
            current = []
    if current:
        chunks.append(current)
    return chunks


# -- plain pyvi, sentence by sentence --------------------------------------------------------------
def test_same_words_as_pyvi_on_bundled_sentences():
    sentences = bundled_sentences()
    assert len(sentences) >= 90
    assert mismatches(sentences) == []


def test_same_words_as_pyvi_on_vntc_sentences():
    sentences = _sentences(vntc_texts())
    assert len(sentences) >= 3000
    assert sum(len(syllable_spans(s)) for s in sentences) >= 100_000
    found = mismatches(sentences)
    assert found == [], f"{len(found)} of {len(sentences)} sentences differ, e.g. {found[:3]}"


@pytest.mark.parametrize("sentence", ODD_SENTENCES)
def test_same_words_as_pyvi_on_odd_sentences(sentence):
    assert our_words(sentence) == pyvi_words(sentence)


def marginals(features):
    tagger = _pyvi_crf().tagger
    tagger.set(features)
    return [tagger.marginal(label, i) for i in range(len(features)) for label in ("B_W", "I_W")]


def assert_same_scores(sentence):
    # Not only the same labels: the same marginals to the last bit, so the attributes left out
    # (False, unknown to the model) and the order of the others change no score.
    raw = [sentence[s:e] for s, e in syllable_spans(sentence)]
    theirs = pyvi().sent2features([unicodedata.normalize("NFC", r) for r in raw], False)
    ours = _pyvi_crf().items([_syllable(r) for r in raw])
    assert marginals(ours) == marginals(theirs), sentence


def real_sentences(vntc_articles):
    """The bundled sentences, the odd ones and those of the first VNTC articles (if there)."""
    sentences = bundled_sentences() + ODD_SENTENCES
    return sentences + (_sentences(vntc_texts()[:vntc_articles]) if VNTC.exists() else [])


def test_crf_gets_exactly_pyvi_scores():
    for sentence in real_sentences(20):
        assert_same_scores(sentence)


@given(st.text())
def test_crf_gets_exactly_pyvi_scores_on_any_text(text):
    assert_same_scores(text)


@pytest.mark.parametrize("sentence", [
    "đạo Thiên Chúa giáo", "phó văn phòng phẩm", "Thuyết tiến hoá luận .",  # two trigrams, 1 apart
    "phó văn phòng thí nghiệm", "động cơ điện thoại Internet",  # two trigrams sharing a syllable
    "chiến tranh lạnh", "a chiến tranh lạnh", "chiến tranh", "chiến tranh lạnh chiến tranh lạnh",
])
def test_crf_gets_exactly_pyvi_scores_around_trigrams(sentence):
    assert_same_scores(sentence)


# -- the old slow path, on whole texts -------------------------------------------------------------
def test_same_words_as_before_on_whole_articles():
    texts = [article.text for article in load_articles()]
    if VNTC.exists():
        texts += vntc_texts()[:100]
    segmenter = PyviSegmenter()
    for text in texts:
        assert segmenter(text) == reference_segmenter(text)


def test_same_words_as_before_on_a_text_longer_than_a_chunk():
    rng = random.Random(0)
    words = ["Đảng", "bộ", "huyện", "đã", "tập", "trung", "Hà", "Nội", ",", "2.114", "Tp."]
    text = " ".join(rng.choice(words) for _ in range(3 * MAX_CHUNK + 17))
    assert max(map(len, _chunks(text, syllable_spans(text)))) == MAX_CHUNK
    assert PyviSegmenter()(text) == reference_segmenter(text)


@given(st.text())
def test_same_words_as_before_on_any_text(text):
    assert PyviSegmenter()(text) == reference_segmenter(text)


@given(st.lists(st.sampled_from(["Đảng", "bộ", "cấp", "ủy", "Cấp", "ỦY", "nâng", "cao", "\n", ".",
                                 "...", ";", "?", "!", "…", ",", "“", "”", "2.114", "T.Ư", "KT-XH",
                                 "hoá", "hóa", "ho\u0301a", "Σ", "A.", "Tp."]), max_size=60),
       st.sampled_from([" ", "", "\n", "  "]))
def test_same_words_and_chunks_as_before_on_domain_text(words, separator):
    text = separator.join(words)
    spans = syllable_spans(text)
    assert [list(chunk) for chunk in _chunks(text, spans)] == reference_chunks(text, spans)
    assert PyviSegmenter()(text) == reference_segmenter(text)


def test_chunks_as_before_on_long_texts():
    rng = random.Random(0)
    pieces = ["a", "b", ".", ";", "...", "\n", " ", "  ", "\n\n", "1.2", "A."]
    for size in (0, 1, MAX_CHUNK - 1, MAX_CHUNK, MAX_CHUNK + 1, 5 * MAX_CHUNK):
        text = " ".join(rng.choice(pieces) for _ in range(size))
        spans = syllable_spans(text)
        assert [list(chunk) for chunk in _chunks(text, spans)] == reference_chunks(text, spans)
    text = "đảng viên " * 2000
    spans = syllable_spans(text)
    assert [list(chunk) for chunk in _chunks(text, spans)] == reference_chunks(text, spans)


# -- the shortcuts of the fast path ----------------------------------------------------------------
SPACES = " \n\t\r\x0b\x0c\x1c\x85\xa0\u2028\u3000"
TRICKY = st.lists(st.sampled_from(
    list(SPACES) + list(".,;!?…:/@_-=>()“”%") + ["\u0301", "\u0323", "\u02bc"]
    + list("aáĐđÂẦỦyY09²½ⅫΣσς") + ["http://", "a@b.vn", "Tp.", "ThS.", "...", "2.114", "1_0"]
    + ["+", "x.y-z", "@a.", "-@", "A-", "@", "@"]  # e-mail addresses: _run asks once a stretch
)).map("".join)


def regex_spans(text):
    return [match.span() for match in segmenters._SYLLABLE.finditer(text)]


@given(st.one_of(st.text(), TRICKY, st.lists(TRICKY).map(" ".join)))
def test_syllables_as_the_regular_expression_finds_them(text):
    assert syllable_spans(text) == regex_spans(text)
    _clear_caches()  # once with the runs of text cached, once without
    assert syllable_spans(text) == regex_spans(text)


def test_a_run_of_letters_and_digits_is_one_syllable():
    # what lets _split skip the regular expression on such a run: each of its characters is a
    # word character, and every alternative but the last needs some other character
    for code in range(sys.maxunicode + 1):
        run = chr(code) * 3
        if run.isalnum():
            assert [match.group() for match in segmenters._SYLLABLE.finditer(run)] == [run], \
                hex(code)
    assert "2014".isalnum() and "H5N1".isalnum() and not "1_0".isalnum()


def test_syllables_as_the_regular_expression_finds_them_on_vntc():
    for text in vntc_texts()[:100]:
        assert syllable_spans(text) == regex_spans(text)


def words_and_keys_agree(text, segmenter=PyviSegmenter()):
    words, keys = segmenter.words_and_keys(text)
    assert words == segmenter(text)
    assert keys == [syllable_key(text[s:e]) for word in words for s, e in word]


def test_words_and_keys_on_real_sentences():
    for sentence in real_sentences(50):
        words_and_keys_agree(sentence)
    assert PyviSegmenter().words_and_keys("") == ([], [])
    assert PyviSegmenter().words_and_keys(" \n ") == ([], [])


@given(st.one_of(st.text(), TRICKY))
def test_words_and_keys_on_any_text(text):
    words_and_keys_agree(text)


def test_same_words_cold_and_warm_and_with_small_caches(monkeypatch):
    texts = [article.text for article in load_articles()]
    if VNTC.exists():
        texts += vntc_texts()[:30]
    segmenter = PyviSegmenter()
    _clear_caches()
    cold = [segmenter.words_and_keys(text) for text in texts]
    assert [segmenter.words_and_keys(text) for text in texts] == cold
    monkeypatch.setattr(segmenters, "_CACHE_LIMIT", 50)  # the caches start afresh again and again
    _clear_caches()
    assert [segmenter.words_and_keys(text) for text in texts] == cold
    assert len(segmenters._SYLLABLES) <= 50 + max(len(set(syllable_spans(t))) for t in texts)
    assert len(segmenters._RUNS) <= 51
    _clear_caches()
    assert not segmenters._SYLLABLES and not segmenters._RUNS


# -- the model still loads lazily ------------------------------------------------------------------
@pytest.mark.slow
def test_import_loads_no_model():
    code = ("import sys, vnparty, vnparty.segmenters; "
            "loaded = [m for m in sys.modules if m.split('.')[0] in "
            "('pyvi', 'pycrfsuite', 'sklearn_crfsuite')]; "
            "assert not loaded, loaded")
    subprocess.run([sys.executable, "-c", code], check=True,
                   cwd=Path(__file__).resolve().parents[1])
