from collections import Counter

import pytest
from sklearn.base import clone
from sklearn.feature_extraction.text import CountVectorizer

import reference
from vnparty import Preprocessor, default_lexicon, load_articles, preprocess, segment

FRAGMENTS = {"ủy", "uỷ", "nâng", "tự", "diễn", "chuyển", "chiến", "đấu", "viên", "bộ"}


@pytest.fixture(scope="module")
def article_tokens():
    return preprocess([a.text for a in load_articles()])


def test_top_features_hold_no_fragments(article_tokens):
    counts = Counter(t for doc in article_tokens for t in doc)
    top = [w for w, _ in counts.most_common(30)]
    assert not FRAGMENTS & set(top), top
    assert {"đảng_viên", "cấp_ủy", "chi_bộ", "nâng_cao"} <= set(top)
    for word in ["ủy", "uỷ", "diễn", "chuyển"]:
        assert counts[word] <= 1, word  # at most a real one-syllable use ("được ủy quyền" is joined)


def test_every_tu_dien_bien_survives_as_one_feature(article_tokens):
    counts = Counter(t for doc in article_tokens for t in doc)
    articles = load_articles()
    for term in ["tự diễn biến", "tự chuyển hóa"]:
        in_text = sum(a.text.lower().count(term) for a in articles)
        assert in_text >= 5
        assert counts[term.replace(" ", "_")] == in_text


def test_features_are_lowercase_words_without_numbers_or_punctuation(article_tokens):
    for doc in article_tokens:
        for token in doc:
            assert token == token.lower() and len(token) >= 2
            assert any(c.isalpha() for c in token)
            assert token not in {"và", "của", "các", "những", "được"}


def test_abbreviations_are_expanded_by_default():
    [tokens] = preprocess(["BTV Huyện ủy bàn về KT-XH và MTTQ"])
    assert "ban_thường_vụ" in tokens and "kinh_tế_-_xã_hội" in tokens and "mặt_trận_tổ_quốc" in tokens
    [kept] = preprocess(["BTV Huyện ủy bàn về KT-XH"], expand_abbreviations=False)
    assert "btv" in kept and "kt-xh" in kept


def test_tone_styles_meet():
    old, new = preprocess(["nhất thể hoá cấp uỷ", "nhất thể hóa cấp ủy"])
    assert old == new
    [styled] = preprocess(["cấp ủy"], tone_style="old")
    assert styled == ["cấp_uỷ"]


def test_sklearn_conventions():
    pre = Preprocessor(min_length=3)
    assert pre.get_params()["min_length"] == 3
    assert clone(pre).get_params() == pre.get_params()
    vectorizer = CountVectorizer(analyzer=Preprocessor())
    matrix = vectorizer.fit_transform(["Cấp ủy chi bộ họp.", "Đảng viên mới, cấp ủy mới."])
    assert "cấp_ủy" in vectorizer.vocabulary_ and matrix.shape[0] == 2
    with pytest.raises(RuntimeError, match="not fitted"):
        Preprocessor().transform(["x"])
    with pytest.raises(TypeError, match="unexpected keyword"):
        Preprocessor(stopword=None)


def test_bad_input():
    with pytest.raises(TypeError, match="list of texts"):
        preprocess("một văn bản")
    with pytest.warns(UserWarning, match="1 of 3 texts are empty"):
        result = preprocess(["đảng viên", "   ", "cấp ủy"])
    assert result[1] == []
    with pytest.raises(ValueError, match="tone_style"):
        preprocess(["x"], tone_style="modern")


def test_deterministic_and_consistent_with_segment():
    text = "Đảng bộ huyện Đầm Hà nâng cao sức chiến đấu của tổ chức cơ sở đảng."
    assert preprocess([text]) == preprocess([text])
    segmented = {t.lower() for t in segment(text)}
    assert set(preprocess([text])[0]) <= segmented


def test_candidates_same_as_reference_under_every_setting():
    # candidates keep each distinct token's form in a cache; it must follow setting changes
    # (the reference does not join people's names: test_names checks them)
    texts = [a.text for a in load_articles()] + list(reference.vntc_texts(100))
    preprocessor = Preprocessor(names=False)
    for params in [{}, {"expand_abbreviations": False}, {"drop_numbers": False},
                   {"drop_punctuation": False, "min_length": 1}, {"min_length": 4},
                   {"tone_style": "old"},
                   {"lexicon": default_lexicon().with_terms({"ban hành": "issue"})}, {}]:
        preprocessor.set_params(**{**params, "names": False})
        for text in texts:
            assert preprocessor.candidates(text) == reference.candidates(preprocessor, text)
        preprocessor.set_params(**Preprocessor(names=False).get_params())


def test_many_texts_at_once_as_one_by_one():
    # a worker hands a whole chunk to the segmenter, which decodes its sentences together
    from vnparty.tokenization import segment_spans, segment_spans_many

    texts = [a.text for a in load_articles()] + list(reference.vntc_texts(40))
    odd = ["", "  \n ", "\u200b", "Đảng", "UBND.", "2.114 người"]
    preprocessor = Preprocessor()
    mixed = odd[:3] + texts[:3] + odd[3:] + texts[3:]
    assert preprocessor._candidates_many(mixed) == [preprocessor.candidates(t) for t in mixed]
    assert preprocessor._candidates_many([]) == []
    spans = segment_spans_many(texts + odd[3:])
    assert spans == [segment_spans(t) for t in texts + odd[3:]]
    with pytest.raises(ValueError, match="empty"):
        segment_spans_many(texts[:2] + [" "])


def test_a_chunk_with_a_text_that_fails_keeps_the_others():
    from test_scale import DiesOnMarker

    texts = [a.text for a in load_articles()]
    pre = Preprocessor(progress=False, chunk_size=3, segmenter=DiesOnMarker())
    with pytest.warns(UserWarning, match=r"1 of 6 texts failed.*#4: RuntimeError"):
        tokens = pre.fit_transform(texts[:4] + ["LỖI"] + texts[4:])
    assert tokens[:4] + tokens[5:] == Preprocessor(progress=False).fit_transform(texts)


@pytest.mark.parametrize("enabled", [True, False])
def test_the_collector_is_paused_only_while_a_chunk_is_segmented(enabled):
    import gc

    from vnparty.preprocess import _collector_paused

    was = gc.isenabled()
    try:
        (gc.enable if enabled else gc.disable)()
        with _collector_paused():
            assert not gc.isenabled()
        assert gc.isenabled() is enabled
        with pytest.raises(KeyError), _collector_paused():
            raise KeyError
        assert gc.isenabled() is enabled
    finally:
        (gc.enable if was else gc.disable)()


def test_token_form_cache_is_not_pickled():
    import pickle

    preprocessor = Preprocessor()
    text = load_articles()[0].text
    expected = preprocessor.candidates(text)
    assert len(preprocessor.__dict__["_forms"]) > 100
    copy = pickle.loads(pickle.dumps(preprocessor))  # what a worker process receives
    assert "_forms" not in copy.__dict__
    assert copy.candidates(text) == expected


@pytest.mark.parametrize("cache, n_jobs", [(False, 1), (True, 1), (True, 2)])
def test_fit_and_transform_follow_the_stopword_rule_on_strings(tmp_path, cache, n_jobs):
    # fit and transform count and remove on word numbers (workers send their own numbering);
    # the rule, on lists of strings, is Stopwords.with_corpus and remove_from
    from vnparty import split_units

    texts = [u.text for u in split_units(load_articles())] + list(reference.vntc_texts(60))
    params = {"progress": False, "max_df": 0.2, "cache": tmp_path / "c" if cache else None,
              "n_jobs": n_jobs, "chunk_size": 16}
    candidates = [Preprocessor().candidates(t) for t in texts]
    rule = Preprocessor()._base_stopwords().with_corpus(
        candidates[:-5], max_df=0.2, keep=default_lexicon().term_words())
    assert len(rule.corpus) >= 3
    expected = [rule.remove_from(c) for c in candidates]
    for _ in range(1 + cache):  # with a cache: cold, then warm
        fitted = Preprocessor(**params).fit(texts[:-5])
        assert fitted.stopwords_.corpus == rule.corpus
        assert fitted.n_documents_ == len(texts) - 5
        assert fitted.transform(texts[-5:][::-1]) == expected[-5:][::-1]
        assert Preprocessor(**params).fit_transform(texts[:-5]) == expected[:-5]
    again = Preprocessor(max_df=0.2).fit_candidates(candidates[:-5])
    assert again.stopwords_.corpus == rule.corpus


ARTICLES = {  # paragraphs of three articles; "lộc" (Lộc Hà) and "Tô Lâm" belong to one each
    "a": ["Huyện ủy Lộc Hà triển khai nghị quyết về công tác cán bộ.",
          "Lộc Hà chú trọng kết nạp đảng viên mới, nâng cao chất lượng sinh hoạt chi bộ."],
    "b": ["Tổng Bí thư Tô Lâm dự hội nghị; Tô Lâm nhấn mạnh công tác cán bộ.",
          "Chi bộ thôn nâng cao chất lượng sinh hoạt chi bộ và kết nạp đảng viên."],
    "c": ["Đảng bộ xã triển khai nghị quyết, kết nạp đảng viên, tự phê bình.",
          "Cấp ủy nhấn mạnh nâng cao chất lượng sinh hoạt chi bộ."],
}


def _paragraphs():
    texts = [t for paragraphs in ARTICLES.values() for t in paragraphs]
    groups = [a for a, paragraphs in ARTICLES.items() for _ in paragraphs]
    return texts, groups


def test_words_of_a_single_article_are_removed_when_the_articles_are_known():
    texts, groups = _paragraphs()
    plain = Counter(t for doc in preprocess(texts) for t in doc)
    assert plain["lộc"] == 2  # in two paragraphs, both of one article
    pre = Preprocessor(min_articles=2)
    tokens = pre.fit_transform(texts, groups=groups)
    counts = Counter(t for doc in tokens for t in doc)
    assert counts["lộc"] == 0 and pre.stopwords_.layer("lộc") == "articles"
    assert counts["tự_phê_bình"] == 1  # a lexicon term stays
    assert counts["đảng_viên"] == 3 and counts["nhấn_mạnh"] == 2
    assert "Tô_Lâm" in pre.candidates(texts[2]) and pre.stopwords_.layer("Tô_Lâm") == "name"
    assert pre.n_articles_ == 3 and Preprocessor().fit(texts).n_articles_ is None
    assert pre.stopwords_.articles == Preprocessor().fit(iter(texts), groups=iter(groups)) \
        .stopwords_.articles  # counted batch by batch as in fit_transform
    assert Preprocessor(chunk_size=1).fit(texts, groups=groups).transform(texts) == tokens
    assert preprocess(texts, groups=groups) == tokens
    assert preprocess(texts, groups=groups, min_articles=1) == preprocess(texts)  # rule off
    texts, groups = texts + ["Đảng viên họp."], groups + ["d"]
    three = Counter(t for doc in preprocess(texts, groups=groups, min_articles=3) for t in doc)
    assert three["đảng_viên"] == 4 and three["nhấn_mạnh"] == 0  # in two articles of four


def test_article_rule_checks_its_input():
    texts, groups = _paragraphs()
    with pytest.raises(ValueError, match="5 labels for 6 texts"):
        preprocess(texts, groups=groups[:-1])
    with pytest.raises(ValueError, match="fewer labels"):
        Preprocessor().fit(iter(texts), groups=iter(groups[:-1]))
    with pytest.raises(ValueError, match="more labels"):
        Preprocessor().fit(iter(texts), groups=iter(groups + ["d"]))
    with pytest.raises(TypeError, match="not a str"):
        preprocess(texts[:1], groups="a")
    with pytest.raises(ValueError, match="min_articles"):
        preprocess(texts, min_articles=0)
    with pytest.warns(UserWarning, match="min_articles=2 is not applied.*2 articles"):
        tokens = preprocess(texts[:4], groups=groups[:4])
    assert tokens == preprocess(texts[:4])


def test_cached_candidates_follow_the_name_setting(tmp_path):
    texts = ["Trưởng ban Tuyên giáo Tỉnh ủy Hà Văn Hùng ghi nhận kết quả."]
    cache = tmp_path / "cache"
    without = Preprocessor(names=False, cache=cache, progress=False)
    assert list(without.iter_candidates(texts))[0][3:5] == ["hà_văn", "hùng"]
    named = Preprocessor(cache=cache, progress=False)
    assert list(named.iter_candidates(texts))[0][3] == "Hà_Văn_Hùng"
    assert list(without.iter_candidates(texts))[0][3:5] == ["hà_văn", "hùng"]
