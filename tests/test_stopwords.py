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


def test_name_layer_removes_what_the_preprocessor_kept_in_capitals():
    from vnparty.stopwords import LAYERS

    assert LAYERS == ("generic", "domain", "corpus", "name", "articles")
    stopwords = Stopwords(generic={"và"}, protected=set(), domain={"công_tác"})
    assert "Hà_Văn_Hùng" in stopwords and stopwords.layer("Hà_Văn_Hùng") == "name"
    assert "hà_văn" not in stopwords and stopwords.layer("hà_văn") is None
    assert stopwords.remove_from(["Hà_Văn_Hùng", "và", "chi_bộ", "Tùng", "công_tác"]) == ["chi_bộ"]
    keeping = Stopwords(generic={"và"}, protected=set(), domain=set(), names=False)
    assert "Hà_Văn_Hùng" not in keeping and keeping.layer("Hà_Văn_Hùng") is None
    assert keeping.remove_from(["Hà_Văn_Hùng", "và"]) == ["Hà_Văn_Hùng"]
    report = stopwords.report([["Hà_Văn_Hùng", "và"], ["Hà_Văn_Hùng"]])
    assert report.to_dict("records")[0] == {"word": "Hà_Văn_Hùng", "layer": "name", "count": 2,
                                            "documents": 2}
    assert stopwords.with_frequencies({"đảng": 30}, 40).names  # kept by the corpus layer's copy
    assert not keeping.with_articles({"x": 1}, 5).names


def test_articles_layer_removes_words_of_too_few_articles():
    base = Stopwords(generic=set(), protected={"bác"}, domain=set())
    frequency = {"lộc_hà": 1, "đảng": 5, "bác": 1, "cấp_ủy": 1, "chi_bộ": 2}
    fitted = base.with_articles(frequency, 5, min_articles=2, keep={"cấp_ủy"})
    assert fitted.articles == {"lộc_hà", "bác"}
    assert "lộc_hà" in fitted and fitted.layer("lộc_hà") == "articles"
    assert "bác" not in fitted and fitted.layer("bác") is None  # protected wins
    assert "cấp_ủy" not in fitted and "chi_bộ" not in fitted and "đảng" not in fitted
    assert base.with_articles(frequency, 5, min_articles=3).articles == {"lộc_hà", "bác", "cấp_ủy",
                                                                        "chi_bộ"}
    assert base.with_articles(frequency, 2, min_articles=2).articles == frozenset()  # too few
    assert base.with_articles(frequency, 5, min_articles=1).articles == frozenset()  # off
    kept = fitted.with_frequencies({"đảng": 30, "lộc_hà": 1}, 40)
    assert kept.articles == fitted.articles and kept.corpus == {"đảng"}
    report = fitted.report([["lộc_hà", "đảng"]])
    assert report.to_dict("records") == [{"word": "lộc_hà", "layer": "articles", "count": 1,
                                          "documents": 1}]
    for bad in (0, 1.5, True, "2"):
        with pytest.raises(ValueError, match="min_articles"):
            base.with_articles(frequency, 5, min_articles=bad)
