"""The repeat removal of clean.py: same result as the plain quadratic version, in linear work."""

from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

from vnparty import clean
from vnparty.clean import _drop_repeats, _is_heading, clean_article, near_duplicate
from vnparty.normalize import normalize_text

ROOT = Path(__file__).resolve().parent.parent


def drop_repeats_reference(paragraphs, window):
    """The version of 3ae0c36: every paragraph against every kept one."""
    kept, dropped = [], []
    for paragraph in paragraphs:
        if paragraph in kept:
            dropped.append((paragraph, "exact repeat"))
            continue
        glued = next((h for h in kept if _is_heading(h) and paragraph.startswith(h)
                      and len(paragraph) > len(h) and not paragraph[len(h)].isspace()), None)
        if glued:
            dropped.append((glued, "heading glued to the next paragraph"))
            paragraph = paragraph[len(glued):].strip()
        near = next((i for i in range(len(kept) - 1, max(-1, len(kept) - 1 - window), -1)
                     if near_duplicate(kept[i], paragraph)), None)
        if near is None:
            kept.append(paragraph)
        elif len(paragraph) > len(kept[near]):
            dropped.append((kept[near], "near repeat"))
            kept[near] = paragraph
        else:
            dropped.append((paragraph, "near repeat"))
    return kept, dropped


HEADINGS = ["Đảng bộ xã Đông Văn", "Đảng bộ xã", "Xây dựng Đảng", "Xây dựng Đảng vững mạnh", "Đ",
            "Ảnh minh họa", "Ảnh"]
SENTENCES = [
    "Chi bộ thôn Đầm Buôn sinh hoạt định kỳ mỗi tháng một lần.",
    "Chi bộ thôn Đầm Buôn sinh hoạt định kỳ mỗi tháng một lần vào ngày mùng 5.",
    "Thôn Văn Bắc, xã Đông Văn tổ chức hội nghị học tập nghị quyết của Đảng.",
    "Thôn Văn Bắc xã Đông Văn tổ chức hội nghị học tập nghị quyết Đảng bộ tỉnh.",
    "Cấp ủy quán triệt nghị quyết đến toàn thể đảng viên trong chi bộ.",
    "Ban Thường vụ Huyện ủy kiểm tra, giám sát tổ chức cơ sở đảng.",
]
PIECES = st.one_of(
    st.sampled_from(HEADINGS + SENTENCES),
    st.tuples(st.sampled_from(HEADINGS), st.sampled_from(["", " "]),
              st.sampled_from(SENTENCES + HEADINGS)).map("".join))


@settings(max_examples=300)
@given(st.lists(PIECES, max_size=14), st.integers(0, 4))
def test_drop_repeats_gives_what_the_quadratic_version_gave(paragraphs, window):
    assert _drop_repeats(paragraphs, window) == drop_repeats_reference(paragraphs, window)


def test_drop_repeats_on_the_bundled_pages():
    for path in sorted((ROOT / "data" / "articles").glob("*.txt")):
        lines = [line for line in normalize_text(path.read_text(encoding="utf-8")).split("\n")
                 if line.strip()]
        assert _drop_repeats(lines, 3) == drop_repeats_reference(lines, 3), path.name


def paragraphs(n):
    """n different paragraphs: every third a heading, the others sentences."""
    return [f"Hội nghị số{i} lần{i} thứ{i} của{i} huyện{i}" if i % 3 == 0 else
            f"Chi bộ số{i} họp{i} bàn{i} việc{i} tháng{i} năm{i}." for i in range(n)]


def test_repeat_removal_does_linear_work(monkeypatch):
    """Each paragraph is tested as a heading once and cut into syllable pairs once, however many
    there are (3ae0c36 tested every kept paragraph for a heading, and cut each paragraph again
    for each of its ``window`` neighbours)."""
    calls = {"heading": 0, "pairs": 0}

    def counted(name, function):
        def wrapper(*args, **kwargs):
            calls[name] += 1
            return function(*args, **kwargs)
        return wrapper

    monkeypatch.setattr(clean, "_is_heading", counted("heading", clean._is_heading))
    monkeypatch.setattr(clean, "_syllable_bigrams", counted("pairs", clean._syllable_bigrams))
    for n in (300, 1200):
        calls.update(heading=0, pairs=0)
        kept, dropped = clean._drop_repeats(paragraphs(n) + paragraphs(n), window=3)
        assert len(kept) == n and len(dropped) == n
        assert calls["heading"] <= n and calls["pairs"] <= 2 * n, (n, calls)


def test_clean_article_keeps_a_glued_heading_rule():
    cleaned = clean_article("Tiêu đề bài viết\nXây dựng Đảng vững mạnh\nChi bộ họp định kỳ.\n"
                            "Xây dựng Đảng vững mạnhThôn Văn Bắc tổ chức hội nghị.")
    assert cleaned.paragraphs == ("Xây dựng Đảng vững mạnh", "Chi bộ họp định kỳ.",
                                  "Thôn Văn Bắc tổ chức hội nghị.")
    assert ("Xây dựng Đảng vững mạnh", "heading glued to the next paragraph") in cleaned.dropped
