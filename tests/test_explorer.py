import html
import json
import re

import numpy as np
import pandas as pd
import pytest

from vnparty.explorer import explorer_html, script_json
from vnparty.models import TopicModel

HOSTILE = ["<!--<script>", "</script><script>alert(1)</script>", "a & b <b>", "-->", "<!--",
           "x\u2028y\u2029z", "lone \ud800 surrogate", "\"quoted\" 'single' \\", "]]>", "</"]


def _model(vocabulary):
    k, v = 2, len(vocabulary)
    topic_word = np.arange(1, 2 * v + 1, dtype=float).reshape(k, v)
    topic_word[1] = topic_word[1][::-1]
    topic_word /= topic_word.sum(axis=1, keepdims=True)
    doc_topic = np.array([[0.7, 0.3], [0.2, 0.8]])
    return TopicModel(kind="nmf", backend="sklearn", vocabulary=list(vocabulary),
                      topic_word=topic_word, doc_topic=doc_topic, doc_index=np.arange(2),
                      weights=topic_word.copy(), params={}, seed=0)


def _page(labels=("<!--<script>", "</b>&amp;"), title="<!--<script> & </title>"):
    model = _model(HOSTILE)
    examples = pd.DataFrame({"topic": [0, 1], "article_id": ["<!--<script>", "a&b"],
                             "share": [0.7, 0.8], "excerpt": ["</script><!--", "x\u2028</"]})
    shares = pd.DataFrame([[0.7, 0.3], [0.2, 0.8]], index=["<!--<script>", "</p>"])
    titles = {"<!--<script>": "<!--<script> title", "</p>": "& </script>"}
    glosses = {w: w + " <!--" for w in HOSTILE}
    page = explorer_html(model, labels=list(labels), glosses=glosses, examples=examples,
                         article_shares=shares, titles=titles, n=len(HOSTILE), title=title)
    return model, page


def _utf8(text):
    return text.replace("\ud800", "\ufffd")  # a lone surrogate cannot be written as UTF-8


def _embedded(page):
    start = page.index('<script id="data" type="application/json">') + 42
    return page[start:page.index("</script>", start)]


def test_hostile_strings_stay_inside_the_data():
    model, page = _page()
    raw = _embedded(page)
    for unsafe in ("<", ">", "&", "\u2028", "\u2029", "\ud800"):
        assert unsafe not in raw
    # the page keeps the template's two scripts and no comment opens anywhere
    assert page.count("<script") == 2 and page.count("</script>") == 2
    assert "<!--" not in page
    data = json.loads(raw)
    assert [t["label"] for t in data["topics"]] == ["<!--<script>", "</b>&amp;"]
    assert data["topics"][0]["words"] == [_utf8(w) for w in model.top_words(len(HOSTILE))[0]]
    assert sorted(data["topics"][1]["words"]) == sorted(map(_utf8, HOSTILE))
    assert data["topics"][0]["glosses"] == [w + " <!--" for w in data["topics"][0]["words"]]
    assert data["topics"][0]["examples"] == [
        {"article": "<!--<script>", "share": 0.7, "text": "</script><!--"}]
    assert data["topics"][1]["examples"][0]["text"] == "x\u2028</"
    assert [a["title"] for a in data["articles"]] == ["<!--<script> title", "& </script>"]
    title = re.search("<title>(.*)</title>", page).group(1)
    assert html.unescape(title) == "<!--<script> & </title>"


def test_page_encodes_as_utf8_whatever_the_strings():
    _, page = _page(title="lone \udfff")
    assert "lone \ufffd" in page.encode("utf-8").decode("utf-8")


def test_script_json_round_trips():
    value = {"a": HOSTILE, "b": "đảng_viên <>&"}
    text = script_json(value)
    assert json.loads(text) == {"a": [_utf8(h) for h in HOSTILE], "b": "đảng_viên <>&"}
    assert "đảng_viên" in text and not set("<>&") & set(text)


@pytest.mark.parametrize("labels", [["only one"], ["a", "b", "c"], []])
def test_label_count_must_match_topics(labels):
    with pytest.raises(ValueError, match="labels has .* k = 2 .*one label per topic"):
        _page(labels=labels)
