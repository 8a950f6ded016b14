import unicodedata

import pytest
from hypothesis import given, strategies as st

import reference
from vnparty import load_articles, normalize_text, normalize_tone_marks
from vnparty.normalize import normalize_d, normalize_spaces

TONED = "àáảãạằắẳẵặầấẩẫậèéẻẽẹềếểễệìíỉĩịòóỏõọồốổỗộờớởỡợùúủũụừứửữựỳýỷỹỵ"


def tone_marks(text):
    return sorted(c for c in unicodedata.normalize("NFD", text) if c in "\u0300\u0301\u0303\u0309\u0323")


def test_issue_example():
    assert normalize_text("nhất thể hoá cấp uỷ quý giá") == "nhất thể hóa cấp ủy quý giá"


@pytest.mark.parametrize("old, new", [
    ("hoá", "hóa"), ("Hoá", "Hóa"), ("HOÁ", "HÓA"), ("uỷ", "ủy"), ("Uỷ", "Ủy"), ("thuỷ", "thủy"),
    ("khoẻ", "khỏe"), ("hoà", "hòa"), ("tuỳ", "tùy"), ("luỹ", "lũy"), ("Thuý", "Thúy"),
])
def test_both_styles(old, new):
    assert normalize_tone_marks(old) == new
    assert normalize_tone_marks(new, style="old") == old


@pytest.mark.parametrize("word", ["quý", "quỷ", "Quý", "QUÝ", "giá", "già", "quả", "hoàn",
                                  "khuyết", "ngoài", "quyết", "thuở", "khuya", "Đảng", "đang"])
def test_words_that_must_not_change(word):
    assert normalize_tone_marks(word) == word
    assert normalize_tone_marks(word, style="old") == word


def test_unicode_d_quotes_and_spaces():
    assert normalize_text("Ðảng ðoàn") == "Đảng đoàn"
    assert normalize_text("ho\u0301a") == "hóa"  # decomposed input is composed
    assert normalize_text("“tự diễn biến”") == '"tự diễn biến"'
    assert normalize_text("“tự”", quotes=False) == "“tự”"
    assert normalize_text("cấp\u00a0ủy\u200b  viên \n\n\n\nđảng") == "cấp ủy viên\n\nđảng"
    assert normalize_spaces("  a \t b  ") == "a b"
    assert normalize_d("ð") == "đ"


def test_bad_input():
    with pytest.raises(ValueError, match="tone style"):
        normalize_tone_marks("hoá", style="modern")
    with pytest.raises(TypeError, match="str"):
        normalize_text(b"hoa")


@given(st.text())
def test_idempotent(text):
    once = normalize_text(text)
    assert normalize_text(once) == once
    assert normalize_text(once, tone_style="old") == normalize_text(text, tone_style="old")


@given(st.text(alphabet=st.sampled_from(TONED + "aeiouyqghđkt ")))
def test_never_removes_tone_marks(text):
    assert tone_marks(normalize_text(text)) == tone_marks(normalize_spaces(text))
    assert tone_marks(normalize_tone_marks(text, style="old")) == tone_marks(text)


# -- the fast code against the straightforward one (tests/reference.py) ------------------------------
VIETNAMESE = ("oaeuyqQhHtTđĐÐðOAUYEÓÁóáòàỏảõãọạúýùỳủỷũỹụỵéèẻẽẹÒÀỎẢÕÃỌẠÙỲỦỶŨỸỤỴ"
              " \n\t\r\u00a0\u200b\u00ad“”‘’«»1_.-")


@given(st.text(alphabet=st.sampled_from(VIETNAMESE)) | st.text())
def test_same_as_reference(text):
    for style in ("new", "old"):
        assert normalize_text(text, tone_style=style) == reference.normalize_text(text,
                                                                                tone_style=style)
        assert normalize_tone_marks(text, style=style) == reference.normalize_tone_marks(text,
                                                                                       style=style)


def test_same_as_reference_on_news():
    texts = [text for article in load_articles() for text in article.paragraphs] + [
        "HOÁ THUỶ Khoẻ qUÝ xoè ngoằn ngoèo thuở hoà\u00a0\u00a0 tủy  \t", "Thuỵ Điển, Hoà Bình"]
    assert len(texts) > 40
    texts += reference.vntc_texts(200)  # when ../shared is beside the repo
    for text in texts:
        for style in ("new", "old"):
            assert normalize_text(text, tone_style=style) == reference.normalize_text(
                text, tone_style=style)
