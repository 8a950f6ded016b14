import pytest

from vnparty import Preprocessor, load_articles, preprocess, segment, split_units
from vnparty.names import find_names, join_names, person_names, place_names

SENTENCES = [  # (text, the people it names)
    ("Dự hội nghị có Trưởng ban Tuyên giáo Tỉnh ủy Hà Văn Hùng cùng lãnh đạo một số sở.",
     ["Hà Văn Hùng"]),
    ("Đồng chí Nguyễn Thị Thu Hà, Tỉnh ủy viên, Bí thư Huyện ủy dự sinh hoạt.",
     ["Nguyễn Thị Thu Hà"]),
    ("Bí thư Huyện ủy Châu Thành Lê Phước Dũng nhấn mạnh: phải làm ngay.", ["Lê Phước Dũng"]),
    ("Ông Nguyễn Thanh Tùng, Bí thư Chi bộ kiêm Trưởng thôn Khê Thượng, xã Việt Dân.",
     ["Nguyễn Thanh Tùng"]),
    ("Tổng Bí thư Tô Lâm làm việc tại Hà Nội.", ["Tô Lâm"]),
    ("Các đồng chí Nguyễn Thế Hoàn - Bí thư Huyện ủy, Trần Hữu Thuần - Phó Bí thư Thường trực "
     "Huyện ủy, Vũ Quốc Hưng dự họp.", ["Nguyễn Thế Hoàn", "Trần Hữu Thuần", "Vũ Quốc Hưng"]),
    ("Chi bộ thôn họp. Ảnh: Tiến Cường", ["Tiến Cường"]),
    ("Theo Lê Văn Tám, mọi việc đã xong.", ["Lê Văn Tám"]),
    ("Ngày 25-26/8/2003, Cao Thị Hương mua 2 vé.", ["Cao Thị Hương"]),
]

NOT_PEOPLE = [
    "Ban Thường vụ Huyện ủy Lộc Hà họp; Đảng ủy xã Đầm Hà triển khai.",
    "Đảng bộ tỉnh Hà Tĩnh và Cao Bằng; Hà Nội, Thái Bình, Hoàng Sa.",
    "Đoàn Thanh niên xã ra quân. Phó Bí thư Thường trực Huyện ủy dự.",
    "ĐẠI HỘI ĐẢNG BỘ HUYỆN LỘC HÀ LẦN THỨ XXV. NGUYỄN VĂN AN",
    "Cao điểm là tháng 5. Mai Châu là huyện của Hòa Bình; huyện Cao Lộc.",
    "Đồng chí Bí thư Tỉnh ủy Hà Tĩnh chủ trì.",
    "Lê Phước nói.",  # two syllables, nothing says it is a person
    "Linh cữu quàn tại 40A Phạm Ngọc Thạch, Q.3; nhà số 103/1118B Lê Đức Thọ.",  # streets
    "Công ty Dương Vĩnh Khang; bệnh viện trẻ em Alder Hey; châu Âu Bồ Đào Nha.",
    "Tại sân bay Phuket, Thái Lan Các chuyên gia du lịch đã đến.",  # a missing full stop
]


@pytest.mark.parametrize("text, people", SENTENCES)
def test_people_are_found_in_the_original_casing(text, people):
    assert person_names(text) == people


@pytest.mark.parametrize("text", NOT_PEOPLE)
def test_places_organisations_and_capitals_are_not_people(text):
    assert person_names(text) == []


def test_places_are_listed_with_their_kind():
    assert place_names("Ông Nguyễn Thanh Tùng, Trưởng thôn Khê Thượng, xã Việt Dân, TX Đông "
                       "Triều; Bí thư Huyện ủy Châu Thành Lê Phước Dũng; tỉnh An Giang") == [
        "thôn Khê Thượng", "xã Việt Dân", "thị xã Đông Triều", "huyện Châu Thành", "tỉnh An Giang"]
    assert place_names("Trưởng ban Tuyên giáo Tỉnh ủy Hà Văn Hùng") == []  # a person, no place


def test_hồ_chí_minh_and_bác_stay():
    text = "Học tập và làm theo tư tưởng, đạo đức, phong cách Hồ Chí Minh; Bác Hồ kính yêu."
    assert person_names(text) == []
    [tokens] = preprocess([text])
    assert "hồ_chí_minh" in tokens and "bác" in tokens


@pytest.mark.parametrize("text, name, pieces", [
    ("Trưởng ban Tuyên giáo Tỉnh ủy Hà Văn Hùng ghi nhận.", "Hà_Văn_Hùng", ["Hà_Văn", "Hùng"]),
    ("Bí thư Huyện ủy Châu Thành Lê Phước Dũng nhấn mạnh.", "Lê_Phước_Dũng", ["Lê_Phước", "Dũng"]),
])
def test_a_name_the_segmenter_cut_is_one_token(text, name, pieces):
    tokens = segment(text)
    assert all(piece in tokens for piece in pieces)  # pyvi cuts the name in two
    candidates = Preprocessor().candidates(text)
    assert name in candidates and not {p.lower() for p in pieces} & set(candidates)
    assert name not in preprocess([text])[0]  # and the name layer removes it
    kept = Preprocessor(names=False).candidates(text)
    assert [p.lower() for p in pieces] == [t for t in kept if t in {p.lower() for p in pieces}]


def test_the_given_name_after_a_title_is_a_name_once_the_full_name_is_found():
    text = "Ông Nguyễn Thanh Tùng cho biết. Theo ông Tùng, chi bộ hùng mạnh; ông Tuấn vắng."
    candidates = Preprocessor().candidates(text)
    assert "Nguyễn_Thanh_Tùng" in candidates and "Tùng" in candidates
    assert "tuấn" in candidates  # no full name of his in the text
    assert person_names(text) == ["Nguyễn Thanh Tùng"]


def _spans(text, pieces):
    spans, at = [], 0
    for piece in pieces:
        at = text.index(piece, at)
        spans.append((at, at + len(piece)))
        at += len(piece)
    return spans


def test_join_names_makes_one_token_and_keeps_the_others():
    text = "Tỉnh ủy Hà Văn Hùng ghi nhận."
    joined, names = join_names(text, _spans(text, ["Tỉnh ủy", "Hà", "Văn Hùng", "ghi nhận", "."]))
    assert [text[a:b] for a, b in joined] == ["Tỉnh ủy", "Hà Văn Hùng", "ghi nhận", "."]
    assert names == {1}
    # the segmenter stuck lower-case words to the name ("Tô_Lâm_dự"): they are cut off
    joined, names = join_names(text, _spans(text, ["Tỉnh ủy", "Hà Văn", "Hùng ghi nhận", "."]))
    assert [text[a:b] for a, b in joined] == ["Tỉnh ủy", "Hà Văn Hùng", "ghi nhận", "."]
    assert names == {1}
    # but a capitalised syllable in a word of the dictionary or lexicon is no part of a name
    text = "Trần Hữu Thuần Phó Bí thư Thường trực dự họp."
    tokens = _spans(text, ["Trần Hữu", "Thuần", "Phó Bí thư", "Thường trực", "dự", "họp", "."])
    assert [text[a:b] for a, b in find_names(text, tokens).people] == ["Trần Hữu Thuần"]
    assert find_names(text).people == [(0, 21)]  # without the tokens: "Trần Hữu Thuần Phó Bí"


def test_the_bundled_articles_name_the_people_of_the_issue():
    found = {a.id: person_names(a.text) for a in load_articles()}
    every = {n for names in found.values() for n in names}
    assert {"Hà Văn Hùng", "Nguyễn Thị Thu Hà", "Vũ Quốc Hưng", "Lê Phước Dũng", "Trần Hữu Thuần",
            "Nguyễn Thanh Tùng"} <= every
    assert not every & {"Lộc Hà", "Đầm Hà", "Châu Thành", "Đông Sơn", "Hồ Chí Minh"}
    assert all(len(set(names)) == len(names) for names in found.values())  # each once
    assert found == {a.id: person_names(a.text) for a in load_articles()}  # deterministic


def test_no_name_or_single_article_word_in_the_paragraph_features():
    units = split_units(load_articles(), unit="paragraph")
    texts, groups = [u.text for u in units], [u.article_id for u in units]
    fragments = {"hà_văn", "hùng", "lê_phước", "dũng", "vũ_quốc_hưng", "nguyễn_thị_thu_hà",
                 "nguyễn_thanh_tùng", "trần_hữu_thuần"}
    old = {t for doc in preprocess(texts, names=False) for t in doc}
    assert fragments <= old and "lộc_hà" in old
    names_only = {t for doc in preprocess(texts) for t in doc}
    assert not fragments & names_only and "lộc_hà" in names_only  # a place, not a name
    tokens = preprocess(texts, groups=groups)
    assert tokens == preprocess(texts, groups=groups)
    features = {t for doc in tokens for t in doc}
    assert not (fragments | {"lộc_hà", "đầm_hà", "châu_thành"}) & features
    assert {"đảng_viên", "cấp_ủy", "chi_bộ", "hồ_chí_minh"} <= features


def test_bad_input():
    with pytest.raises(TypeError, match="str"):
        person_names(None)
    assert person_names("") == [] and place_names("   ") == []
