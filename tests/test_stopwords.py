import pytest

from vnparty import Stopwords, normalize_tone_marks
from vnparty.stopwords import generic_stopwords, read_word_list


def test_generic_list_in_segmented_form_and_tone_style():
    generic = generic_stopwords()
    assert "a_lô" in generic and "a lô" not in generic
    assert all(w == w.lower() and " " not in w for w in generic)
    assert all(normalize_tone_marks(w) == w for w in generic)  # one tone style ("new")
    assert "tòa" in generic and "toà" not in generic  # the package spells it "toà"


def test_protected_words_are_kept_and_say_why():
    stopwords = Stopwords()
    for word in ["bác", "tự", "cấp", "cao"]:
        assert word in stopwords.generic  # the generic list would remove them ...
        assert word in stopwords.protected and word not in stopwords  # ... they are kept
        assert stopwords.layer(word) is None


def test_layers_are_reported():
    stopwords = Stopwords(generic={"và", "của", "bác"}, protected={"bác"}, domain={"công_tác"},
                          corpus={"đảng"})
    assert stopwords.layer("và") == "generic"
    assert stopwords.layer("công_tác") == "domain"
    assert stopwords.layer("đảng") == "corpus"
    assert stopwords.layer("bác") is None and stopwords.layer("cấp_ủy") is None
    report = stopwords.report([["và", "công_tác", "bác", "và"], ["và", "đảng"]])
    assert report.to_dict("records") == [
        {"word": "và", "layer": "generic", "count": 3, "documents": 2},
        {"word": "công_tác", "layer": "domain", "count": 1, "documents": 1},
        {"word": "đảng", "layer": "corpus", "count": 1, "documents": 1},
    ]


def test_corpus_layer_by_document_frequency():
    base = Stopwords(generic=set(), protected={"bác"}, domain=set())
    docs = [["đảng", "bác", f"w{i}"] for i in range(30)] + [["chi_bộ"]] * 10
    fitted = base.with_corpus(docs, max_df=0.5, keep={"cấp_ủy"})
    assert fitted.corpus == {"đảng", "bác"} and "bác" not in fitted  # protected wins
    assert "đảng" in fitted and "chi_bộ" not in fitted
    assert base.with_corpus(docs[:5], max_df=0.5).corpus == frozenset()  # too few documents
    assert "cấp_ủy" not in base.with_corpus([["cấp_ủy"]] * 30, keep={"cấp_ủy"})
    with pytest.raises(ValueError, match="max_df"):
        base.with_corpus(docs, max_df=0)


def test_word_list_format():
    assert read_word_list("# comment\nnhà nước  # state\nthuỷ_lợi\n\n") == {"nhà_nước", "thủy_lợi"}


def test_corpus_layer_from_counted_frequencies():
    base = Stopwords(generic=set(), protected={"bác"}, domain=set())
    docs = [["đảng", "bác", f"w{i}"] for i in range(30)] + [["chi_bộ"]] * 10
    counted = {"đảng": 30, "bác": 30, "chi_bộ": 10, "w1": 1}
    assert base.with_frequencies(counted, 40, keep={"w1"}).corpus == \
        base.with_corpus(docs).corpus == {"đảng", "bác"}
    assert base.with_frequencies(counted, 19).corpus == frozenset()  # fewer than 20 documents

    def unread():
        raise AssertionError("the texts were read before max_df was checked")
        yield

    with pytest.raises(ValueError, match="max_df"):
        base.with_corpus(unread(), max_df=1.5)
    with pytest.raises(ValueError, match="max_df"):
        base.with_frequencies(counted, 40, max_df=0)
