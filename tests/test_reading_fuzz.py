"""read_articles on JSONL and CSV files of random texts and ids: every outcome is either the
articles that were written (the same as from a DataFrame of the same texts) or a ValueError that
names the file and says what is wrong, never a silent change."""

import csv
import io
import json

import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from vnparty import read_articles

PIECES = ["\u2028", "\u2029", "\x85", "\f", "\x1e", "\v", '"', "'", ",", ";", "\n", "\r\n", "\r",
          "\x00", "\t", " ", "\\", "{", "}", "Chi bộ", "Đảng viên", "họp.", "Tin liên quan",
          "01/02/2024", "ho\u0301a", "\ufeff"]
TEXTS = st.one_of(
    st.none(),
    st.lists(st.one_of(st.sampled_from(PIECES),
                       st.text(st.characters(blacklist_categories=("Cs",)), max_size=6)),
             max_size=8).map("".join))
IDS = st.one_of(st.none(), st.sampled_from(["", " ", "a", "a ", "b", "c#1", "c#2", "Hòa\u2028"]),
                st.integers(0, 2), st.text(st.characters(blacklist_categories=("Cs",)), max_size=4))
ROWS = st.lists(st.tuples(IDS, TEXTS), min_size=1, max_size=5)


def expected(rows, name):
    """(ids, articles) as a DataFrame of the same texts gives them, or the error the file must
    raise: (None, message without its 'where')."""
    ids, articles = [], []
    for number, (given_id, text) in enumerate(rows, 1):
        article_id = f"c#{number}" if given_id is None or not str(given_id).strip() else str(given_id)
        if article_id in ids:
            return None, f"id {article_id!r} is used twice"
        try:
            [article] = read_articles(pd.DataFrame({"text": [text]}, dtype=object))
        except ValueError as error:
            return None, str(error).removeprefix("DataFrame row 0")
        ids.append(article_id)
        articles.append((article.title, article.paragraphs))
    return ids, articles


def check(path, rows):
    ids, articles = expected(rows, path.name)
    try:
        got = read_articles(path)
    except ValueError as error:
        assert ids is None, f"refused what a DataFrame takes: {error}"
        assert str(path) in str(error) and articles in str(error), (str(error), articles)
        return
    assert ids is not None, f"took what should be refused: {articles}"
    assert [a.id for a in got] == ids
    assert [(a.title, a.paragraphs) for a in got] == articles


@settings(max_examples=150)
@given(ROWS, st.booleans(), st.sampled_from(["\n", "\r\n"]), st.booleans())
def test_jsonl_round_trip_or_clear_error(tmp_path_factory, rows, ascii_only, line_end, omit_null):
    path = tmp_path_factory.mktemp("fuzz") / "c.jsonl"
    lines = []
    for given_id, text in rows:
        record = {"text": text} if given_id is None and omit_null else {"id": given_id, "text": text}
        lines.append(json.dumps(record, ensure_ascii=ascii_only))
    path.write_bytes((line_end.join(lines) + line_end).encode("utf-8"))
    check(path, rows)


@settings(max_examples=150)
@given(ROWS, st.sampled_from([("\r\n", csv.QUOTE_MINIMAL), ("\r\n", csv.QUOTE_ALL),
                              ("\n", csv.QUOTE_ALL)]))
def test_csv_round_trip_or_clear_error(tmp_path_factory, rows, style):
    # not "\n" with QUOTE_MINIMAL: Python's writer then leaves a lone "\r" unquoted, and no
    # reader can tell it from a line end
    line_end, quoting = style
    path = tmp_path_factory.mktemp("fuzz") / "c.csv"
    buffer = io.StringIO(newline="")
    writer = csv.writer(buffer, lineterminator=line_end, quoting=quoting)
    writer.writerow(["id", "text"])
    writer.writerows(["" if i is None else i, "" if t is None else t] for i, t in rows)
    path.write_bytes(buffer.getvalue().encode("utf-8"))
    # a CSV cell cannot tell None from "": both are an empty text
    check(path, [(i, "" if t is None else t) for i, t in rows])


@pytest.mark.parametrize("suffix", [".jsonl", ".csv"])
def test_the_fuzz_oracle_sees_a_changed_text(tmp_path, suffix):
    """check() fails when the file gives other paragraphs than were written."""
    path = tmp_path / f"c{suffix}"
    rows = [("a", "Chi bộ họp.")]
    if suffix == ".csv":
        path.write_text("id,text\na,Đảng bộ họp.\n", encoding="utf-8")
    else:
        path.write_text('{"id": "a", "text": "Đảng bộ họp."}\n', encoding="utf-8")
    with pytest.raises(AssertionError):
        check(path, rows)
