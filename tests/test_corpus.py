import csv
import datetime as dt
import json
import os
import re
import sys
import unicodedata
import warnings
from pathlib import Path

import pandas as pd
import pytest

from vnparty import load_articles, normalize_text, read_articles, split_units
from vnparty.clean import clean_article, near_duplicate, split_sentences
from vnparty.corpus import bundled_data_path

ROOT = Path(__file__).resolve().parent.parent
SEEDS = ROOT.parent / "shared" / "seeds"
LEFTOVERS = ["{name}", "{time}", "{body}", "Trả lời", "bình luận", "Ý kiến của bạn", "Tin liên quan",
             "TIN TỨC LIÊN QUAN", "Xem thêm", "Thời tiết", "Chia sẻ thông tin", "Tắt [X]",
             "(Baothanhhoa.vn)", "GMT+7", "\n.\n"]
REMOVABLE = {"row of dots", "comment widget", "related news", "navigation", "dateline",
             "site prefix", "byline", "title", "exact repeat", "near repeat",
             "heading glued to the next paragraph"}


@pytest.fixture(scope="module")
def articles():
    return load_articles()


@pytest.fixture(scope="module")
def metadata():
    with open(ROOT / "data" / "metadata.csv", encoding="utf-8") as handle:
        return {row["id"]: row for row in csv.DictReader(handle)}


def raw_texts():
    return sorted((ROOT / "data" / "articles").glob("*.txt"))


def test_bundled_files_are_the_seeds_as_received():
    if not SEEDS.is_dir():
        pytest.skip("../shared/seeds is not beside this checkout")
    seeds = sorted(SEEDS.glob("*.txt"))
    assert [p.name for p in seeds] == [p.name for p in raw_texts()]
    for seed, bundled in zip(seeds, raw_texts()):
        assert seed.read_bytes() == bundled.read_bytes()


def test_five_articles_with_titles_and_metadata(articles, metadata):
    assert len(articles) == 5
    assert [a.id for a in articles] == list(metadata)
    for article in articles:
        assert article.title and article.paragraphs and article.text
        assert article.source and article.province
    by_id = {a.id: a for a in articles}
    assert by_id["001_bdb376efc5875dca"].date is None  # the text gives no date
    assert by_id["000_d40f1d647fb4ca63"].date == dt.date(2019, 11, 29)
    assert by_id["002_4797cb63a39759b1"].district is None  # province-wide


def test_cleaner_extracts_what_the_metadata_table_says(metadata):
    for path in raw_texts():
        row = metadata[path.stem]
        cleaned = clean_article(path.read_text(encoding="utf-8"))
        assert cleaned.title == normalize_text(row["title"])
        assert cleaned.byline == row["byline"]
        assert (cleaned.date.isoformat() if cleaned.date else "") == row["date"]


def test_no_leftovers_and_no_paragraph_twice(articles):
    for article in articles:
        for leftover in LEFTOVERS:
            assert leftover not in article.text, (article.id, leftover)
        assert not re.search(r"^\.+$", article.text, re.MULTILINE)
        paragraphs = article.paragraphs
        assert len(set(paragraphs)) == len(paragraphs)
        for i, a in enumerate(paragraphs):
            for b in paragraphs[i + 1:]:
                assert not near_duplicate(a, b), (article.id, a[:60], b[:60])


def test_every_body_sentence_survives(articles):
    """Each sentence of the page either is in the cleaned article, or stood in a line dropped
    for a stated reason; repeats dropped are repeats of text that is kept."""
    by_id = {a.id: a for a in articles}
    for path in raw_texts():
        article = by_id[path.stem]
        kept = normalize_text(article.title + "\n" + article.text)
        cleaned = clean_article(path.read_text(encoding="utf-8"))
        dropped = {}
        for line, reason in cleaned.dropped:
            assert reason in REMOVABLE
            dropped.setdefault(reason, []).append(line)
        for line in dropped.get("exact repeat", []):
            assert line in article.paragraphs
        for line in dropped.get("near repeat", []):
            assert any(near_duplicate(line, p) for p in article.paragraphs)
            assert len(line.split()) <= 40  # only captions printed twice are near repeats
        removed = [line for lines in dropped.values() for line in lines]
        for line in normalize_text(path.read_text(encoding="utf-8")).split("\n"):
            for sentence in split_sentences(line):
                if sentence in kept or any(sentence in r for r in removed):
                    continue
                # a sentence cut from a line that only lost a prefix or a widget tail
                assert any(sentence.startswith(r) or sentence.endswith(r) for r in removed), \
                    (path.stem, sentence)
                stripped = sentence
                for r in removed:
                    stripped = stripped.removeprefix(r).removesuffix(r).strip()
                assert not stripped or stripped in kept, (path.stem, sentence)


def test_known_repeats_are_dropped(articles):
    text = {a.id: a.text for a in articles}
    assert text["001_bdb376efc5875dca"].count("Trong thời gian qua, để xây dựng hệ thống") == 1
    assert text["002_4797cb63a39759b1"].count("21 Đảng bộ cơ sở được Ban Chấp hành") == 1
    assert text["002_4797cb63a39759b1"].count("Khê Thượng") == 1
    assert text["000_d40f1d647fb4ca63"].count("Chi bộ thôn Đầm Buôn") == 1
    # the heading glued to a caption: the caption stays, the heading becomes the title
    assert "Thôn Văn Bắc, xã Đông Văn" in text["001_bdb376efc5875dca"]
    assert "vững mạnhThôn" not in text["001_bdb376efc5875dca"]


def test_split_units(articles):
    paragraphs = split_units(articles, unit="paragraph")
    assert len(paragraphs) == sum(len(a.paragraphs) for a in articles)
    assert {u.article_id for u in paragraphs} == {a.id for a in articles}
    assert all(u.text.strip() for u in paragraphs)
    whole = split_units(articles, unit="article")
    assert [u.text for u in whole] == [a.text for a in articles]
    sentences = split_units(articles, unit="sentence")
    assert len(sentences) > len(paragraphs)
    assert "".join(u.text for u in sentences).replace(" ", "") == \
        "".join(p.text for p in paragraphs).replace(" ", "")
    with pytest.raises(ValueError, match="unit must be one of"):
        split_units(articles, unit="page")


def test_bundled_data_path_points_at_data():
    assert (bundled_data_path() / "metadata.csv").is_file()


# -- a user's corpus ----------------------------------------------------------------------------
ARTICLE = "Chi bộ thôn Đầm Buôn sinh hoạt định kỳ.\n\nCấp ủy quán triệt nghị quyết.\n"


def test_read_folder_csv_jsonl_and_frame(tmp_path):
    folder = tmp_path / "folder"
    folder.mkdir()
    (folder / "a.txt").write_text(ARTICLE, encoding="utf-8")
    (folder / "b.txt").write_bytes(ARTICLE.encode("utf-16"))  # not UTF-8: still read
    (folder / "notes.md").write_text("ignored", encoding="utf-8")
    from_folder = read_articles(folder)
    assert [a.id for a in from_folder] == ["a", "b"]
    assert from_folder[0].paragraphs == from_folder[1].paragraphs

    frame = pd.DataFrame({"id": ["x", "y"], "body": [ARTICLE, ARTICLE],
                          "province": ["An Giang", "Hà Tĩnh"], "topic": ["t1", "t2"],
                          "date": ["2024-01-09", ""]})
    from_frame = read_articles(frame, text_column="body")
    assert [a.province for a in from_frame] == ["An Giang", "Hà Tĩnh"]
    assert from_frame[0].metadata == {"topic": "t1"}
    assert from_frame[0].date == dt.date(2024, 1, 9) and from_frame[1].date is None

    csv_path = tmp_path / "corpus.csv"
    frame.rename(columns={"body": "text"}).to_csv(csv_path, index=False)
    assert [a.paragraphs for a in read_articles(csv_path)] == [a.paragraphs for a in from_frame]

    jsonl = tmp_path / "corpus.jsonl"
    jsonl.write_text("\n".join(json.dumps({"id": i, "text": ARTICLE, "year": 2019})
                               for i in ("p", "q")), encoding="utf-8")
    from_jsonl = read_articles(jsonl)
    assert [a.id for a in from_jsonl] == ["p", "q"] and from_jsonl[0].metadata == {"year": 2019}


def test_missing_path(tmp_path):
    with pytest.raises(FileNotFoundError, match="does not exist"):
        read_articles(tmp_path / "nowhere")


def test_folder_without_txt(tmp_path):
    (tmp_path / "a.md").write_text("x", encoding="utf-8")
    with pytest.raises(ValueError, match="no .txt files"):
        read_articles(tmp_path)


def test_csv_without_text_column(tmp_path):
    path = tmp_path / "c.csv"
    pd.DataFrame({"id": [1], "body": ["x"]}).to_csv(path, index=False)
    with pytest.raises(ValueError, match=r"no 'text' column.*text_column="):
        read_articles(path)


def test_empty_and_whitespace_only_texts(tmp_path):
    (tmp_path / "empty.txt").write_text("", encoding="utf-8")
    with pytest.raises(ValueError, match="empty.*has no text; remove it or fill it in"):
        read_articles(tmp_path)
    with pytest.raises(ValueError, match="has no text"):
        read_articles(pd.DataFrame({"text": ["  \n\t "]}))


def test_file_that_is_not_readable_text(tmp_path):
    (tmp_path / "bad.txt").write_bytes(bytes(range(256)) * 8)
    with pytest.raises(ValueError, match=r"bad\.txt.*UTF-8"):
        read_articles(tmp_path)


def test_legacy_encoding_file(tmp_path):
    from test_encodings import encode_cp1258

    (tmp_path / "cp1258.txt").write_bytes(encode_cp1258(ARTICLE))
    assert read_articles(tmp_path)[0].paragraphs == read_articles(
        pd.DataFrame({"text": [ARTICLE]}))[0].paragraphs


def test_bad_jsonl_and_unknown_suffix(tmp_path):
    bad = tmp_path / "c.jsonl"
    bad.write_text('{"text": "a"}\nnot json\n', encoding="utf-8")
    with pytest.raises(ValueError, match="line 2: not valid JSON"):
        read_articles(bad)
    other = tmp_path / "c.xlsx"
    other.write_bytes(b"x")
    with pytest.raises(ValueError, match="cannot read .xlsx"):
        read_articles(other)


def test_a_single_huge_text_is_read_with_a_warning():
    text = ("Đảng bộ huyện nâng cao năng lực lãnh đạo, sức chiến đấu của tổ chức cơ sở đảng. " * 13_000)
    assert len(text.encode("utf-8")) > 1_000_000
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        [article] = read_articles(pd.DataFrame({"text": [text]}))
    assert any("split_units" in str(w.message) for w in caught)
    assert len(article.text) == len(text.strip())


def test_a_title_column_keeps_every_body_paragraph(articles):
    frame = pd.DataFrame({"id": [a.id for a in articles], "title": [a.title for a in articles],
                          "text": [a.text for a in articles]})
    again = read_articles(frame)
    assert [a.paragraphs for a in again] == [a.paragraphs for a in articles]
    assert [a.title for a in again] == [a.title for a in articles]
    # the title printed on top of the text is not a paragraph
    on_top = read_articles(pd.DataFrame({"title": ["Xây dựng Đảng"],
                                         "text": ["Xây dựng Đảng\n\nChi bộ họp định kỳ."]}))
    assert on_top[0].paragraphs == ("Chi bộ họp định kỳ.",)


# -- hostile and faulty input (issue 12) --------------------------------------------------------
def read_with_guard(source, seconds=60):
    """read_articles in a thread; a FIFO that blocks it is opened for writing to set it free,
    and the test fails."""
    import threading

    outcome = {}

    def run():
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            try:
                outcome["articles"] = read_articles(source)
            except Exception as error:  # noqa: BLE001 - handed to the test
                outcome["error"] = error
            outcome["warnings"] = [str(w.message) for w in caught]

    thread = threading.Thread(target=run, daemon=True)
    thread.start()
    thread.join(seconds)
    if thread.is_alive():
        for fifo in Path(source).parent.rglob("*"):
            if fifo.is_fifo():
                os.close(os.open(fifo, os.O_WRONLY | os.O_NONBLOCK))
        thread.join(seconds)
        pytest.fail(f"read_articles({source}) blocked on a FIFO")
    return outcome


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="no FIFOs here")
def test_a_fifo_in_a_folder_is_skipped_with_a_warning(tmp_path):
    (tmp_path / "a.txt").write_text(ARTICLE, encoding="utf-8")
    os.mkfifo(tmp_path / "x.txt")
    (tmp_path / "dir.txt").mkdir()
    outcome = read_with_guard(tmp_path)
    assert [a.id for a in outcome["articles"]] == ["a"]
    assert any("2 .txt name(s) that are not regular files" in w and "x.txt" in w
               and "dir.txt" in w for w in outcome["warnings"])


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="no FIFOs here")
@pytest.mark.parametrize("name", ["corpus.csv", "corpus.jsonl"])
def test_a_fifo_given_as_the_file_is_refused(tmp_path, name):
    os.mkfifo(tmp_path / name)
    error = read_with_guard(tmp_path / name).get("error")
    assert isinstance(error, ValueError) and f"{name} is not a regular file" in str(error)


def test_jsonl_line_separators_inside_strings(tmp_path):
    texts = ["Chi bộ họp\u2028định kỳ.", "Cấp ủy\u2029quán triệt.", "Đảng viên\x85mới.",
             "Huyện ủy\fkiểm tra.", "Ban\x1ecán sự.", "Tổ chức\vcơ sở.", "Nghị\tquyết."]
    path = tmp_path / "c.jsonl"
    lines = [json.dumps({"id": str(i), "text": t}, ensure_ascii=False) for i, t in enumerate(texts)]
    path.write_bytes(("\r\n".join(lines) + "\r\n").encode("utf-8"))
    got = read_articles(path)
    assert [a.id for a in got] == [str(i) for i in range(len(texts))]
    assert [a.text for a in got] == [a.text for a in read_articles(pd.DataFrame({"text": texts}))]


def test_bad_jsonl_lines_name_the_file_and_line(tmp_path):
    path = tmp_path / "c.jsonl"
    for body, message in [('{"text": "Chi bộ."}\n\n{"text": "a\n', r"c\.jsonl, line 3: not valid JSON"),
                          ('{"text": "Chi bộ."}\n[1, 2]\n', r"c\.jsonl, line 2 is a JSON list"),
                          ('{"text": "Chi bộ."}\n{"body": "x"}\n', r"c\.jsonl, line 2: no 'text'"),
                          ('{"text": "Chi b\\ud800."}\n', r"c\.jsonl, line 1 holds a lone surrogate"),
                          ('\n\n', r"c\.jsonl holds no articles")]:
        path.write_text(body, encoding="utf-8")
        with pytest.raises(ValueError, match=message):
            read_articles(path)


def test_dates_are_day_first_and_unreadable_ones_are_counted(tmp_path):
    dates = ["01/02/2024", "13/02/2024", "2024-02-01", "1-2-2024", "ngày 1 tháng 2 năm 2024",
             "02/13/2024", "soon", "", "31/02/2024"]
    path = tmp_path / "c.csv"
    pd.DataFrame({"text": [ARTICLE] * len(dates), "date": dates}).to_csv(path, index=False)
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        got = read_articles(path)
    feb = dt.date(2024, 2, 1)
    assert [a.date for a in got] == [feb, dt.date(2024, 2, 13), feb, feb, feb, None, None, None,
                                     None]
    [warning] = [str(w.message) for w in caught if "date" in str(w.message)]
    assert "3 date(s) could not be read" in warning and "'02/13/2024'" in warning
    assert "c.csv, row 6" in warning


def test_txt_files_are_found_whatever_the_case_of_the_suffix(tmp_path):
    for name in ("a.txt", "b.TXT", "c.Txt"):
        (tmp_path / name).write_text(ARTICLE, encoding="utf-8")
    assert [a.id for a in read_articles(tmp_path)] == ["a", "b", "c"]
    (tmp_path / "a.TXT").write_text(ARTICLE, encoding="utf-8")
    with pytest.raises(ValueError, match=r"id 'a' is used twice, by .*a\.TXT and by .*a\.txt"):
        read_articles(tmp_path)


@pytest.mark.parametrize("content", [b"\0" * 4096, b"\0", "12/3 - 4,5 %".encode(), b"\x01\x02" * 50])
def test_a_file_without_letters_is_refused(tmp_path, content):
    (tmp_path / "a.txt").write_text(ARTICLE, encoding="utf-8")
    (tmp_path / "junk.txt").write_bytes(content)
    with pytest.raises(ValueError, match=r"junk\.txt holds no letters"):
        read_articles(tmp_path)


def test_empty_ids_are_made_unique(tmp_path):
    jsonl = tmp_path / "c.jsonl"
    jsonl.write_text("\n".join(json.dumps(r) for r in [
        {"id": None, "text": ARTICLE}, {"id": "", "text": ARTICLE}, {"text": ARTICLE},
        {"id": " ", "text": ARTICLE}, {"id": 7, "text": ARTICLE}]), encoding="utf-8")
    assert [a.id for a in read_articles(jsonl)] == ["c#1", "c#2", "c#3", "c#4", "7"]
    path = tmp_path / "c.csv"
    path.write_text(f'id,text\n,"{ARTICLE}"\nx,"{ARTICLE}"\n,"{ARTICLE}"\n', encoding="utf-8")
    assert [a.id for a in read_articles(path)] == ["c#1", "x", "c#3"]
    frame = pd.DataFrame({"id": [None, "y", float("nan")], "text": [ARTICLE] * 3})
    assert [a.id for a in read_articles(frame)] == ["DataFrame#0", "y", "DataFrame#2"]


def test_duplicate_ids_are_refused_with_their_rows(tmp_path):
    path = tmp_path / "c.csv"
    pd.DataFrame({"id": ["p", "q", "p"], "text": [ARTICLE] * 3}).to_csv(path, index=False)
    with pytest.raises(ValueError, match=r"id 'p' is used twice, by .*c\.csv, row 1 .* and by "
                                         r".*c\.csv, row 3"):
        read_articles(path)
    jsonl = tmp_path / "c.jsonl"
    jsonl.write_text('{"id": 1, "text": "Chi bộ."}\n{"id": "1", "text": "Đảng bộ."}\n',
                     encoding="utf-8")
    with pytest.raises(ValueError, match=r"id '1' is used twice.*line 1 .*line 2"):
        read_articles(jsonl)
    with pytest.raises(ValueError, match=r"id 'p' is used twice, by DataFrame row 0 and by "
                                         r"DataFrame row 2"):
        read_articles(pd.DataFrame({"id": ["p", "q", "p"], "text": [ARTICLE] * 3}))


@pytest.mark.parametrize("body, message", [
    (b"", r"c\.csv is empty"),
    (b"\n\n", r"c\.csv is empty"),
    (b"id,text\n", r"c\.csv holds no articles"),
    ("id,text\nx,Chi bộ.,extra\n".encode(), r"c\.csv, row 1 \(line 2\) has 3 fields where the "
                                            r"header has 2"),
    ("id,text\nx,Chi bộ.\ny\n".encode(), r"c\.csv, row 2 \(line 3\) has 1 fields"),
    ("text,id,text\nChi bộ.,x,y\n".encode(), r"c\.csv: the header names the column\(s\) "
                                             r"\['text'\] twice"),
])
def test_empty_or_ragged_csv_names_the_file(tmp_path, body, message):
    (tmp_path / "c.csv").write_bytes(body)
    with pytest.raises(ValueError, match=message):
        read_articles(tmp_path / "c.csv")


def test_csv_ids_and_metadata_stay_as_written(tmp_path):
    nfd = unicodedata.normalize("NFD", "Hòa Bình")
    path = tmp_path / "c.csv"
    path.write_text(f'id,text,note\n{nfd},"{ARTICLE}", a b \n', encoding="utf-8")
    [article] = read_articles(path)
    assert article.id == nfd and article.metadata == {"note": " a b "}
    assert article.paragraphs == read_articles(pd.DataFrame({"text": [ARTICLE]}))[0].paragraphs


@pytest.mark.skipif(os.name != "posix" or sys.platform == "darwin",
                    reason="needs a file system that takes any bytes in names")
def test_file_names_that_are_not_utf8_give_valid_distinct_ids(tmp_path):
    for raw in (b"caf\xe9.txt", b"caf\xe8.txt", b"ok.txt"):
        with open(os.fsencode(tmp_path) + b"/" + raw, "wb") as handle:
            handle.write(ARTICLE.encode("utf-8"))
    ids = [a.id for a in read_articles(tmp_path)]
    assert ids == ["caf\\xe8", "caf\\xe9", "ok"]
    for article_id in ids:
        article_id.encode("utf-8")  # no surrogates: writable to any UTF-8 output


@pytest.mark.skipif(os.name != "posix" or sys.platform == "darwin",
                    reason="needs a file system that takes any bytes in names")
def test_topics_on_files_whose_names_are_not_utf8(tmp_path, articles):
    """3ae0c36 failed after fitting, writing doc_topic.csv ("surrogates not allowed")."""
    from vnparty.cli import main

    folder = tmp_path / "in"
    folder.mkdir()
    for raw, article in zip((b"caf\xe9", b"caf\xe8", b"\xff", b"ok", b"x\x80"), articles):
        with open(os.fsencode(folder) + b"/" + raw + b".txt", "wb") as handle:
            handle.write(f"{article.title}\n\n{article.text}".encode("utf-8"))
    assert main(["topics", str(folder), "--k", "2", "--out", str(tmp_path / "out")]) == 0
    frame = pd.read_csv(tmp_path / "out" / "doc_topic.csv", encoding="utf-8")
    assert sorted(set(frame["article_id"])) == ["\\xff", "caf\\xe8", "caf\\xe9", "ok", "x\\x80"]


@pytest.mark.parametrize("text, message", [
    (None, "DataFrame row 1 has no text"), (float("nan"), "DataFrame row 1 has no text"),
    (5, "DataFrame row 1: the text is a int, not a string"),
    (["Chi bộ."], "DataFrame row 1: the text is a list, not a string")])
def test_a_text_that_is_not_a_string_names_its_row(tmp_path, text, message):
    with pytest.raises(ValueError, match=re.escape(message)):
        read_articles(pd.DataFrame({"text": [ARTICLE, text]}))
    path = tmp_path / "c.jsonl"
    path.write_text(json.dumps({"text": ARTICLE}) + "\n" + json.dumps({"text": text}) + "\n",
                    encoding="utf-8")
    if isinstance(text, float):
        return  # NaN is not JSON
    with pytest.raises(ValueError, match=re.escape(message.replace("DataFrame row 1",
                                                                   f"{path}, line 2"))):
        read_articles(path)
