import pytest
from hypothesis import assume, given, strategies as st

import reference
from vnparty import (Lexicon, default_lexicon, document_references, is_number, load_articles,
                     parse_number, segment)
from vnparty.tokenization import segment_spans
from vnparty.segmenters import MAX_CHUNK, PyviSegmenter, _chunks, syllable_spans


def kept_characters(text):
    return [c for c in text if not c.isspace() and c != "_"]


@given(st.text(min_size=1))
def test_segment_loses_no_character(text):
    assume(text.strip())
    assert kept_characters("".join(segment(text))) == kept_characters(text)


@given(st.lists(st.sampled_from(["Đảng", "bộ", "cấp", "ủy", "nâng", "cao", "tự", "diễn", "biến",
                                 "KT-XH", "22-NQ/TW", "2.114", "99,74%", ",", ".", "“", "”", "\n",
                                 "Huyện", "ban", "hành", "chi", "T.Ư", "hoá"]), min_size=1))
def test_segment_loses_no_character_on_domain_text(words):
    text = " ".join(words)
    assume(text.strip())
    tokens = segment(text)
    assert kept_characters("".join(tokens)) == kept_characters(text)
    assert all(token and not any(c.isspace() for c in token) for token in tokens)


def test_casing_and_order_kept():
    text = "Ban Thường vụ Huyện ủy Đầm Hà, MTTQ và UBND."
    tokens = segment(text)
    assert tokens[-1] == "." and "MTTQ" in tokens and "UBND" in tokens
    assert "Ban_Thường_vụ" in tokens and "Huyện_ủy" in tokens


@pytest.mark.parametrize("text, expected", [
    ("Huyện ủy ban hành 2 nghị quyết", ["Huyện_ủy", "ban_hành"]),
    ("các cấp ủy luôn chú trọng", ["cấp_ủy"]),
    ("nâng cao năng lực lãnh đạo, sức chiến đấu", ["nâng_cao", "năng_lực_lãnh_đạo", "sức_chiến_đấu"]),
    ("phòng chống “tự diễn biến”, “tự chuyển hóa” trong nội bộ", ["tự_diễn_biến", "tự_chuyển_hóa"]),
    ("tổ chức cơ sở đảng và Mặt trận Tổ quốc", ["tổ_chức_cơ_sở_đảng", "Mặt_trận_Tổ_quốc"]),
    ("Ban Thường vụ Tỉnh ủy, Ban Chấp hành, Ban Tuyên giáo", ["Ban_Thường_vụ", "Tỉnh_ủy", "Ban_Chấp_hành", "Ban_Tuyên_giáo"]),
    ("chi bộ, đảng bộ, đảng viên, Hồ Chí Minh", ["chi_bộ", "đảng_bộ", "đảng_viên", "Hồ_Chí_Minh"]),
    ("góp phần xây dựng Đảng bộ trong sạch", ["xây_dựng", "Đảng_bộ"]),
    ("đồng chí là đảng ủy viên, phó chủ tịch", ["đảng_ủy_viên"]),
    ("đào tạo, tạo nguồn cán bộ", ["đào_tạo", "tạo_nguồn"]),
])
def test_lexicon_joins_domain_terms(text, expected):
    tokens = segment(text)
    for word in expected:
        assert word in tokens, (word, tokens)


@pytest.mark.parametrize("text, expected", [
    # a term does not cut a word of pyvi's dictionary that pyvi found where another known word
    # covers as many syllables (VNTC: tạo_nguồn took the "tạo" of đào_tạo, đạo_đức took a
    # footballer's name apart)
    ("chú trọng đào tạo nguồn nhân lực", ["chú_trọng", "đào_tạo", "nguồn", "nhân_lực"]),
    ("tiền đạo Đức Cường bị treo giò", ["tiền_đạo", "Đức_Cường", "bị", "treo_giò"]),
    # pyvi's words that its dictionary does not have are still cut by terms
    ("ban hành văn bản quy định giá điện", ["ban_hành", "văn_bản", "quy_định", "giá", "điện"]),
])
def test_lexicon_keeps_the_known_words_pyvi_found(text, expected):
    assert segment(text) == expected


def test_lexicon_repairs_pyvi_missplit():
    # plain pyvi gives "Huyện ủy ban_hành" here; the lexicon makes it right
    assert segment("Chỉ tính từ đầu năm 2019 đến nay, Huyện ủy ban hành 2 nghị quyết")[9:11] == \
        ["Huyện_ủy", "ban_hành"]


def test_abbreviations_and_documents_are_one_token():
    tokens = segment("BTV Huyện ủy, KT-XH, T.Ư và TƯ theo Nghị quyết số 22-NQ/TW, Chỉ thị 05-CT/TW, "
                     "Kết luận 21-KL/TW, Nghị quyết Trung ương 4 (khóa XII)")
    for word in ["BTV", "KT-XH", "T.Ư", "TƯ", "Nghị_quyết_số_22-NQ/TW", "Chỉ_thị_05-CT/TW",
                 "Kết_luận_21-KL/TW", "Nghị_quyết_Trung_ương_4_(khóa_XII)"]:
        assert word in tokens
    lexicon = default_lexicon()
    assert lexicon.expand("KT-XH") == "kinh_tế_-_xã_hội"
    assert lexicon.expand("MTTQ") == "mặt_trận_tổ_quốc"
    assert lexicon.expand("đảng") == "đảng"
    assert lexicon.gloss("cấp_ủy") == "Party committee (at any level)"
    assert lexicon.gloss("Cấp_uỷ") == "Party committee (at any level)"  # any case, any tone style


def test_document_references_listed_in_order_once():
    text = ("Nghị quyết Trung ương 4 (khoá XII, XIII) và Chỉ thị số 12-CT/TU ngày 28/12/2016; "
            "10 năm thực hiện Nghị quyết số 22-NQ/TW, lại Nghị quyết số 22-NQ/TW.")
    assert document_references(text) == ["Nghị quyết Trung ương 4 (khóa XII, XIII)",
                                         "Chỉ thị 12-CT/TU", "Nghị quyết 22-NQ/TW"]
    assert document_references("theo Nghị quyết Đại hội Đảng bộ huyện khóa XXV, nhiệm kỳ 2020-2025") \
        == ["Nghị quyết Đại hội Đảng bộ huyện khóa XXV"]
    # a bare mention is merged into the fuller one of the same text
    assert document_references("Nghị quyết Trung ương 4 (khóa XII) ... Nghị quyết Trung ương 4 "
                               "và Chỉ thị số 05, Chỉ thị 05-CT/TW") == \
        ["Nghị quyết Trung ương 4 (khóa XII)", "Chỉ thị 05-CT/TW"]


@pytest.mark.parametrize("token, value", [("2.114", 2114), ("36.403", 36403), ("99,74%", 99.74),
                                          ("3,88%", 3.88), ("2019", 2019), ("1.565", 1565)])
def test_vietnamese_numbers(token, value):
    assert parse_number(token) == value
    assert is_number(token)
    assert token in segment(f"có {token} đảng viên")


@pytest.mark.parametrize("token", ["đảng", "KT-XH", "22-NQ/TW", "", "%"])
def test_not_numbers(token):
    assert parse_number(token) is None


def test_custom_lexicon_is_used():
    plain = Lexicon()
    assert "tự_diễn_biến" not in segment("chống tự diễn biến", lexicon=plain)
    extra = default_lexicon().with_terms({"chi bộ bốn tốt": "four-good Party cell"})
    assert "Chi_bộ_bốn_tốt" in segment("xây dựng Chi bộ bốn tốt", lexicon=extra)


def test_pluggable_segmenter():
    def one_word_per_syllable(text):
        return [[span] for span in syllable_spans(text)]

    tokens = segment("đảng viên và cấp ủy", segmenter=one_word_per_syllable, lexicon=Lexicon())
    assert tokens == ["đảng", "viên", "và", "cấp", "ủy"]
    # the lexicon still repairs what a plain segmenter splits
    assert segment("đảng viên và cấp ủy", segmenter=one_word_per_syllable) == \
        ["đảng_viên", "và", "cấp_ủy"]


def test_pyvi_path_matches_pyvi_on_sentences():
    from pyvi import ViTokenizer

    sentences = ["Đảng bộ huyện Đầm Hà đã tập trung triển khai quyết liệt các giải pháp.",
                 "Thống kê từ năm 2016 đến nay, đã có 375 đảng viên được kết nạp.",
                 "Bí thư Chi bộ kiêm Trưởng thôn Khê Thượng, xã Việt Dân, TX Đông Triều."]
    segmenter = PyviSegmenter()
    for sentence in sentences:
        ours = [" ".join(sentence[s:e] for s, e in word) for word in segmenter(sentence)]
        assert [w.replace(" ", "_") for w in ours] == ViTokenizer.tokenize(sentence).split()


@pytest.mark.parametrize("text", ["", "   ", "\n\t "])
def test_empty_text_is_refused(text):
    with pytest.raises(ValueError, match="empty or whitespace-only"):
        segment(text)


def test_not_a_string_is_refused():
    with pytest.raises(TypeError, match="preprocess"):
        segment(["a list", "of texts"])


def test_long_text_is_cut_into_bounded_chunks():
    # a single 5 MB text with no sentence end and no line break: the CRF never sees it whole
    text = "đảng viên " * 500_000
    assert len(text.encode("utf-8")) > 5_000_000
    spans = syllable_spans(text)
    chunks = _chunks(text, spans)
    assert max(map(len, chunks)) == MAX_CHUNK
    assert sum(map(len, chunks)) == len(spans)


def test_underthesea_adapter_aligns_words_to_the_text(monkeypatch):
    import sys
    import types

    from vnparty.segmenters import UndertheseaSegmenter

    fake = types.ModuleType("underthesea")  # underthesea's output shape: words, syllables by space
    fake.word_tokenize = lambda text: ["Chi bộ", "họp", "định kỳ"]
    monkeypatch.setitem(sys.modules, "underthesea", fake)
    text = "Chi bộ  họp định kỳ, cấp ủy dự."
    tokens = segment(text, segmenter=UndertheseaSegmenter())
    # words it missed (", cấp ủy dự .") are kept, and the lexicon still joins cấp_ủy
    assert tokens == ["Chi_bộ", "họp", "định_kỳ", ",", "cấp_ủy", "dự", "."]
    assert kept_characters("".join(tokens)) == kept_characters(text)


# -- the fast repairs against the straightforward ones (tests/reference.py) --------------------------
# segment_spans works out repairs only around the places that need one; reference.segment_spans
# goes over every syllable of the whole text. Same words on news and on text made to need repairs.
DOMAIN_PIECES = ["Đảng", "đảng", "bộ", "viên", "cấp", "ủy", "uỷ", "nâng", "cao", "tự", "diễn", "biến",
                 "Huyện", "ban", "hành", "chi", "xây", "dựng", "Ban", "Thường", "vụ", "Tỉnh", "Nghị",
                 "quyết", "số", "22-NQ/TW", "Trung", "ương", "4", "(khóa", "XII)", "KT-XH", "T.Ư",
                 "UBND.", "HĐND", "2.114", "99,74%", "1.561/1.565", ",", ".", "“", "”", "–", "…",
                 "\n", "_", "==>", "tổ", "chức", "cơ", "sở", "Hồ", "Chí", "Minh", "MTTQ", "TP.HCM"]


def assert_same_as_reference(texts, lexicon=None, segmenter=None):
    lexicon = lexicon or default_lexicon()
    segmenter = segmenter or PyviSegmenter()
    for text in texts:
        if text.strip():
            assert segment_spans(text, lexicon=lexicon, segmenter=segmenter) == \
                reference.segment_spans(text, lexicon, segmenter), text


@pytest.mark.parametrize("text, tokens", [
    # pyvi: "Huyện ủy_ban hành"; the fragment "ban" joins the word after it
    ("Huyện ủy ban hành", ["Huyện_ủy", "ban_hành"]),
    # pyvi: "chỉ tiêu_đề ra"; the term "đề ra" leaves "tiêu", which joins the word before it
    ("vượt mức chỉ tiêu đề ra, sáng nay", ["vượt", "mức", "chỉ_tiêu", "đề_ra", ",", "sáng", "nay"]),
])
def test_cut_off_pieces_join_a_neighbour_on_either_side(text, tokens):
    assert segment(text) == tokens
    assert_same_as_reference([text, f"Ông A nói: {text}. Hết"])


def test_same_tokens_as_reference_on_news():
    texts = [p for article in load_articles() for p in article.paragraphs]
    texts += [a.text for a in load_articles()] + list(reference.vntc_texts(300))
    assert_same_as_reference(texts)


@given(st.lists(st.sampled_from(DOMAIN_PIECES), min_size=1, max_size=40),
       st.lists(st.sampled_from([" ", "  ", "", "\n", " \n "]), min_size=40, max_size=40))
def test_same_tokens_as_reference_on_domain_text(pieces, gaps):
    assert_same_as_reference(["".join(p + g for p, g in zip(pieces, gaps))])


@given(st.text(min_size=1, max_size=60))
def test_same_tokens_as_reference_on_any_text(text):
    assert_same_as_reference([text])


def test_same_tokens_as_reference_with_another_lexicon_and_segmenter():
    lexicon = default_lexicon().with_terms({"chi bộ bốn tốt": "four-good Party cell",
                                            "ban hành": "issue"})
    texts = [a.text for a in load_articles()] + list(reference.vntc_texts(50))
    assert_same_as_reference(texts, lexicon=lexicon)
    assert_same_as_reference(texts[:20], segmenter=lambda text: [[s] for s in syllable_spans(text)])
    # one word of the whole text: punctuation must come out on its own
    assert_same_as_reference(texts[:20], segmenter=lambda text: [syllable_spans(text)])
    assert segment("Chi bộ – họp, cấp ủy…", segmenter=lambda text: [syllable_spans(text)]) == \
        ["Chi_bộ", "–", "họp", ",", "cấp_ủy", "…"]
    assert_same_as_reference(texts[:20], lexicon=Lexicon())


@pytest.mark.parametrize("pattern", ["DOCUMENT_PATTERN", "NUMBER_PATTERN", "abbreviations"])
def test_patterns_match_as_the_reference_ones(pattern):
    from vnparty import lexicon as module

    texts = [a.text for a in load_articles()] + list(reference.vntc_texts(300)) + [
        "XNghị quyết số 5, aNghị quyết Trung ương 4, _Chỉ thị 05-CT/TW, \nKết luận 21-KL/TW",
        "1.5.7 a1 .5 ,6 7% x8 9x 10.000,5 ٣ MTTQ. .MTTQ xMTTQ UBNDx TP.HCM KT-XH3 T.Ư"]
    if pattern == "abbreviations":
        ours, theirs = default_lexicon().abbreviation_pattern(), \
            reference.abbreviation_pattern(default_lexicon())
    else:
        ours, theirs = getattr(module, pattern), getattr(reference, pattern)
    for text in texts:
        assert [m.span() for m in ours.finditer(text)] == [m.span() for m in theirs.finditer(text)]


def test_a_syllable_key_has_a_letter_or_digit_exactly_when_the_syllable_has():
    # segment_spans asks whether a syllable is punctuation of its key, not of its text
    import unicodedata

    from vnparty.lexicon import syllable_key
    from vnparty.tokenization import _is_word

    characters = [chr(c) for c in range(0x30000) if not 0xD800 <= c < 0xE000]
    assert [c for c in characters if _is_word(c) != _is_word(syllable_key(c))] == []
    # and every pair that NFC composes into one character ("o" + U+0301 -> "ó", "=" + U+0338 -> "≠")
    pairs = ["".join(chr(int(code, 16)) for code in d.split())
             for d in map(unicodedata.decomposition, characters) if d and not d.startswith("<")]
    assert len(pairs) > 2000
    assert [p for p in pairs if _is_word(p) != _is_word(syllable_key(p))] == []


HOSTILE_PIECES = ["\x00", "\x07", "\x1c", "\x1f", "\x85", "\t", "\r", "\x0b", "\x0c", "\u2028",
                  "\u2029", "\u202e", "\u200f", "\u200b", "\ufeff", "\u0301", "_", " ", "\n",
                  "\ud800", "\udfff", "\U0001F600", "Đảng", "cấp ủy", "22-NQ/TW", "UBND.", "ủy"]


@given(st.lists(st.one_of(
    st.text(alphabet=st.characters(categories=["Cs", "Cc", "Cf", "Zs", "Zl", "Mn", "L", "P"]),
            max_size=8),
    st.sampled_from(HOSTILE_PIECES),
    st.integers(1, 3000).map(lambda n: "ư" * n)), min_size=1, max_size=12).map("".join))
def test_hostile_text_is_segmented_or_refused_clearly(text):
    """segment's promise on any str: every word in order, nothing dropped; or a clear error."""
    if any(0xD800 <= ord(c) < 0xE000 for c in text):
        with pytest.raises(ValueError, match="unpaired surrogate .* errors='replace'"):
            segment(text)
        return
    if not text.strip():
        with pytest.raises(ValueError, match="empty or whitespace-only"):
            segment(text)
        return
    tokens, spans = segment(text), segment_spans(text)
    assert kept_characters("".join(tokens)) == kept_characters(text)
    assert tokens == ["_".join(text[s:e].split()) for s, e in spans]
    assert all(token and not any(c.isspace() for c in token) for token in tokens)
    edges = [0] + [x for span in spans for x in span] + [len(text)]
    assert edges == sorted(edges) and all(s < e for s, e in spans)
    assert all(text[a:b].isspace() or a == b for a, b in zip(edges[::2], edges[1::2]))


@pytest.mark.parametrize("text", ["\ud800", "Đảng viên \udc80 ở chi bộ", "a\udfffb"])
def test_lone_surrogates_are_refused_clearly(text):
    with pytest.raises(ValueError, match="unpaired surrogate"):
        segment(text)
    with pytest.raises(ValueError, match="unpaired surrogate"):
        segment_spans(text)
