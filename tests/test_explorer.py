import html
import json
import os
import re
import shutil
import subprocess

import numpy as np
import pandas as pd
import pytest

import vnparty
from vnparty.corpus import Article
from vnparty.explorer import LAMBDAS, explorer_html, script_json, write_explorer
from vnparty.models import TopicModel

HOSTILE = ["<!--<script>", "</script><script>alert(1)</script>", "a & b <b>", "-->", "<!--",
           "x\u2028y\u2029z", "lone \ud800 surrogate", "\"quoted\" 'single' \\", "]]>", "</"]

# ids as read_articles makes them: hashes, which a reader should never have to see
IDS = ["3f9a0c1d2e4b5a67", "8b7c6d5e4f3a2b1c", "c0ffee00deadbeef"]
TITLES = ["Đại hội Chi bộ thôn Đông", "Kỷ luật cán bộ vi phạm", "Kết nạp đảng viên mới"]
PARAGRAPHS = [
    ("chi_bộ đại_hội nhiệm_kỳ bí_thư chi_bộ", "đại_hội chi_bộ bầu bí_thư nhiệm_kỳ mới",
     "chi_bộ thôn đại_hội thành_công"),
    ("kỷ_luật cán_bộ vi_phạm tham_nhũng", "vi_phạm kỷ_luật cảnh_cáo cán_bộ",
     "tham_nhũng kỷ_luật xử_lý nghiêm"),
    ("kết_nạp đảng_viên mới chi_bộ", "đảng_viên mới tuyên_thệ kết_nạp",
     "kết_nạp quần_chúng ưu_tú đảng_viên"),
]


def _corpus(unit="paragraph"):
    articles = [Article(i, t, p) for i, t, p in zip(IDS, TITLES, PARAGRAPHS)]
    units = vnparty.split_units(articles, unit=unit)
    tokens = [u.text.split() for u in units]
    return articles, units, tokens


@pytest.fixture(scope="module")
def fitted():
    articles, units, tokens = _corpus()
    model = vnparty.fit_nmf(tokens, k=3, seed=0)
    return model, vnparty.unit_frame(units, articles, tokens)


def _embedded(page):
    start = page.index('<script id="data" type="application/json">') + 42
    return page[start:page.index("</script>", start)]


def _data(page):
    return json.loads(_embedded(page))


def _ranked(topic, lam, n):
    """The page's ranking, in Python: stable sort of the candidates by relevance."""
    relevance = [lam * a + (1 - lam) * (a - p) for a, p in zip(topic["logphi"], topic["logp"])]
    order = sorted(range(len(relevance)), key=lambda i: -relevance[i])
    return [topic["words"][i] for i in order[:n]]


# -- the public call with defaults ------------------------------------------------------------

def test_default_call_shows_titles_and_not_hash_ids(fitted):
    model, frame = fitted
    page = vnparty.explorer_html(model, frame)
    data = _data(page)
    shown = [x["title"] for t in data["topics"] for x in t["examples"]]
    assert len(shown) == 3 * model.k and set(shown) <= set(TITLES)
    assert [a["title"] for a in data["articles"]] == [TITLES[IDS.index(i)] for i in sorted(IDS)]
    for article_id in IDS:
        assert article_id not in page
    assert "Most representative paragraphs" in page
    assert data["unit"] == "paragraph"
    # the examples are representative_units' and each names its paragraph
    expected = vnparty.representative_units(model, frame, n=3)
    got = [(x["title"], x["unit"], x["text"]) for t in data["topics"] for x in t["examples"]]
    assert got == [(TITLES[IDS.index(a)], u, e) for a, u, e in
                   zip(expected["article_id"], expected["unit_index"], expected["excerpt"])]
    # default labels: the top three words, without glosses
    assert [t["label"] for t in data["topics"]] == vnparty.topic_labels(model, 3, glosses=False)
    # the article shares are article_shares', length-weighted
    shares = vnparty.article_shares(model, frame)
    assert np.allclose([a["shares"] for a in data["articles"]], shares.to_numpy(), atol=1e-6)


def test_titles_fall_back_to_the_article_id(fitted):
    model, frame = fitted
    data = _data(explorer_html(model, frame.drop(columns="title")))
    assert {a["title"] for a in data["articles"]} == set(IDS)
    untitled = frame.assign(title=[None if a == IDS[0] else t
                                   for a, t in zip(frame["article_id"], frame["title"])])
    data = _data(explorer_html(model, untitled))
    assert {a["title"] for a in data["articles"]} == {IDS[0], TITLES[1], TITLES[2]}


def test_unit_name_is_inferred_or_given():
    articles, units, tokens = _corpus(unit="article")
    model = vnparty.fit_nmf(tokens, k=2, seed=0, min_df=1)
    frame = vnparty.unit_frame(units, articles, tokens)
    page = explorer_html(model, frame)
    assert "Most representative articles" in page and "paragraph" not in page
    data = _data(page)
    assert data["unit"] == "article"
    assert all(x["unit"] is None for t in data["topics"] for x in t["examples"])
    assert "Most representative sentences" in explorer_html(model, frame, unit="sentence")
    with pytest.raises(ValueError, match="unit must be one of 'article', 'paragraph', 'sentence'"):
        explorer_html(model, frame, unit="paragraphs")


def test_without_a_frame_the_page_has_topics_and_words_only(fitted):
    model, _ = fitted
    page = explorer_html(model)
    data = _data(page)
    assert data["articles"] == [] and all(t["examples"] == [] for t in data["topics"])
    assert 'id="examples"' not in page and 'id="articles"' not in page
    assert [t["words"][:5] for t in data["topics"]] == model.top_words(5)


def test_seeded_models_are_labelled_by_their_topic_names(fitted):
    model, frame = fitted
    named = TopicModel(**{**model.__dict__, "topic_names": ["tổ chức", "kỷ luật", "free 0"]})
    assert [t["label"] for t in _data(explorer_html(named, frame))["topics"]] == [
        "tổ chức", "kỷ luật", "free 0"]


def test_glosses_come_from_the_lexicon_or_the_mapping(fitted):
    model, frame = fitted
    lexicon = vnparty.Lexicon(terms={("chi", "bộ"): "Party cell"})
    topics = _data(explorer_html(model, frame, lexicon=lexicon))["topics"]
    pairs = {(w, g) for t in topics for w, g in zip(t["words"], t["glosses"])}
    assert ("chi_bộ", "Party cell") in pairs and all(g == "" for w, g in pairs if w != "chi_bộ")
    topics = _data(explorer_html(model, frame, glosses={"kỷ_luật": "discipline"}))["topics"]
    pairs = {(w, g) for t in topics for w, g in zip(t["words"], t["glosses"])}
    assert ("kỷ_luật", "discipline") in pairs and ("chi_bộ", "") in pairs
    with pytest.raises(TypeError, match="glosses must map words to glosses"):
        explorer_html(model, frame, glosses=["discipline"])


# -- relevance ---------------------------------------------------------------------------------

def _random_model(n_docs=12, k=3, v=80, seed=0):
    rng = np.random.default_rng(seed)
    topic_word = rng.dirichlet(np.full(v, 0.3), size=k)
    topic_word[2, :5] = 0.0  # words a topic never uses are never its candidates
    topic_word /= topic_word.sum(axis=1, keepdims=True)
    doc_topic = rng.dirichlet(np.full(k, 0.5), size=n_docs)
    vocabulary = [f"từ_{i:02d}" for i in range(v)]
    return TopicModel(kind="lda", backend="sklearn", vocabulary=vocabulary, topic_word=topic_word,
                      doc_topic=doc_topic, doc_index=np.arange(n_docs), weights=topic_word,
                      params={}, seed=0)


def _random_frame(n_docs=12):
    return pd.DataFrame({"article_id": [f"a{i // 3}" for i in range(n_docs)],
                         "unit_index": [i % 3 for i in range(n_docs)],
                         "text": [f"đoạn {i}" for i in range(n_docs)],
                         "n_tokens": [5 + 7 * i for i in range(n_docs)],
                         "title": [f"Bài {i // 3}" for i in range(n_docs)]})


def _top_by(values, n):
    order = np.argsort(-values, kind="stable")
    return [int(j) for j in order if np.isfinite(values[j])][:n]


@pytest.mark.parametrize("with_lengths", [True, False])
def test_relevance_ranks_by_weight_at_one_and_by_lift_at_zero(with_lengths):
    n = 10
    model = _random_model()
    frame = _random_frame()
    if not with_lengths:
        frame = frame.drop(columns="n_tokens")
    data = _data(explorer_html(model, frame, n=n))
    lengths = frame["n_tokens"].to_numpy(float) if with_lengths else np.ones(len(frame))
    mass = lengths @ model.doc_topic
    corpus = (mass / mass.sum()) @ model.topic_word  # p(w)
    with np.errstate(divide="ignore", invalid="ignore"):
        for t, topic in enumerate(data["topics"]):
            phi = model.topic_word[t]
            assert np.allclose(np.exp(topic["logp"]),
                               corpus[[model.vocabulary.index(w) for w in topic["words"]]],
                               rtol=1e-5)
            assert topic["share"] == pytest.approx(mass[t] / mass.sum(), abs=1e-6)
            by_weight = [model.vocabulary[j] for j in _top_by(np.log(phi), n)]
            assert _ranked(topic, 1.0, n) == by_weight == model.top_words(n)[t]
            lift = np.where(phi > 0, np.log(phi) - np.log(corpus), -np.inf)
            assert _ranked(topic, 0.0, n) == [model.vocabulary[j] for j in _top_by(lift, n)]
            for lam in LAMBDAS:  # every slider step finds its top n among the candidates
                relevance = np.where(phi > 0, lam * np.log(phi) + (1 - lam) * lift, -np.inf)
                top = {model.vocabulary[j] for j in _top_by(relevance, n)}
                assert top <= set(topic["words"]) and set(_ranked(topic, lam, n)) == top
            if t == 2:
                assert not set(model.vocabulary[:5]) & set(topic["words"])
    assert data["n"] == n


def test_lengths_change_the_corpus_frequencies():
    model, frame = _random_model(), _random_frame()
    weighted = _data(explorer_html(model, frame))["topics"][0]
    equal = _data(explorer_html(model, frame.drop(columns="n_tokens")))["topics"][0]
    assert weighted["logphi"][:5] == equal["logphi"][:5] and weighted["logp"] != equal["logp"]


@pytest.mark.skipif(shutil.which("node") is None, reason="needs node to run the page's script")
def test_the_pages_script_ranks_as_python_does():
    n = 8
    model = _random_model()
    page = explorer_html(model, _random_frame(), n=n)
    ranked = re.search(r"function ranked\(topic, l\) \{.*?\n\}", page, re.S).group()
    program = (f"const data = JSON.parse({json.dumps(_embedded(page))});\n{ranked}\n"
               f"const lambdas = {json.dumps(list(LAMBDAS))};\n"
               "console.log(JSON.stringify(data.topics.map(t => lambdas.map("
               "l => ranked(t, l).map(i => t.words[i])))));")
    out = subprocess.run(["node", "-e", program], capture_output=True, text=True, check=True)
    expected = [[_ranked(t, lam, n) for lam in LAMBDAS] for t in _data(page)["topics"]]
    assert json.loads(out.stdout) == expected


def test_relevance_sets_the_slider_and_must_be_a_step(fitted):
    model, frame = fitted
    assert 'step="0.1" value="0.3"' in explorer_html(model, frame, relevance=0.3)
    assert 'value="0.6"' in explorer_html(model, frame)
    assert 'value="1.0"' in explorer_html(model, frame, relevance=1)
    assert 'value="0.2"' in explorer_html(model, frame, relevance=np.float32(0.2))
    for bad in (0.65, -0.1, 1.5, "0.6", True):
        with pytest.raises(ValueError, match="relevance must be one of the slider's steps"):
            explorer_html(model, frame, relevance=bad)


def test_the_page_explains_lambda_and_stays_offline(fitted):
    page = explorer_html(*fitted)
    assert "Sievert &amp; Shirley (2014)" in page and "log(p(w | topic) / p(w))" in page
    assert "http://" not in page and "https://" not in page and "<link" not in page
    assert "<script src" not in page and "@import" not in page and "url(" not in page


def test_same_inputs_give_the_same_bytes(fitted):
    model, frame = fitted
    first = explorer_html(model, frame)
    assert explorer_html(model, frame.copy()) == first
    again = vnparty.fit_nmf(_corpus()[2], k=3, seed=0)
    assert explorer_html(again, frame) == first


# -- errors ------------------------------------------------------------------------------------

@pytest.mark.parametrize("labels", [["only one"], ["a", "b", "c", "d"], []])
def test_label_count_must_match_topics(fitted, labels):
    with pytest.raises(ValueError, match="labels has .* k = 3 .*one label per topic"):
        explorer_html(*fitted, labels=labels)


def test_a_frame_shorter_than_the_models_documents_is_refused(fitted):
    model, frame = fitted
    with pytest.raises(ValueError, match="fitted on at least 9 documents but 4 were given; pass "
                                         "the units the model was fitted on"):
        explorer_html(model, frame.head(4))
    with pytest.raises(ValueError, match="no column 'unit_index'.*unit_frame"):
        explorer_html(model, frame.drop(columns="unit_index"))
    with pytest.raises(TypeError, match="frame must be a pandas DataFrame"):
        explorer_html(model, frame.to_dict())


def test_the_model_must_be_a_topic_model(fitted):
    _, frame = fitted
    with pytest.raises(TypeError, match="model must be a vnparty.TopicModel.*not DataFrame"):
        explorer_html(frame, frame)
    with pytest.raises(ValueError, match="n must be a whole number >= 1"):
        explorer_html(fitted[0], frame, n=0)


# -- hostile text ------------------------------------------------------------------------------

def _hostile_model():
    k, v = 2, len(HOSTILE)
    topic_word = np.arange(1, 2 * v + 1, dtype=float).reshape(k, v)
    topic_word[1] = topic_word[1][::-1]
    topic_word /= topic_word.sum(axis=1, keepdims=True)
    doc_topic = np.array([[0.7, 0.3], [0.2, 0.8]])
    return TopicModel(kind="nmf", backend="sklearn", vocabulary=list(HOSTILE),
                      topic_word=topic_word, doc_topic=doc_topic, doc_index=np.arange(2),
                      weights=topic_word.copy(), params={}, seed=0)


def _page(labels=("<!--<script>", "</b>&amp;"), title="<!--<script> & </title>"):
    """The page through the old keywords: precomputed examples, shares and titles."""
    model = _hostile_model()
    examples = pd.DataFrame({"topic": [0, 1], "article_id": ["<!--<script>", "a&b"],
                             "unit_index": [0, 2],
                             "share": [0.7, 0.8], "excerpt": ["</script><!--", "x\u2028</"]})
    shares = pd.DataFrame([[0.7, 0.3], [0.2, 0.8]], index=["<!--<script>", "</p>"])
    titles = {"<!--<script>": "<!--<script> title", "</p>": "& </script>"}
    glosses = {w: w + " <!--" for w in HOSTILE}
    page = explorer_html(model, labels=list(labels), glosses=glosses, examples=examples,
                         article_shares=shares, titles=titles, n=len(HOSTILE), title=title)
    return model, page


def _hostile_frame():
    return pd.DataFrame({"article_id": ["</script>", "<!--"], "unit_index": [0, 1],
                         "text": ["<script>alert(1)</script>", "\u2028 & </"],
                         "n_tokens": [3, 4], "title": ["</script><!--", "lone \udfff <b>"]})


def _utf8(text):
    return text.replace("\ud800", "\ufffd").replace("\udfff", "\ufffd")


def _assert_contained(page):
    raw = _embedded(page)
    for unsafe in ("<", ">", "&", "\u2028", "\u2029", "\ud800", "\udfff"):
        assert unsafe not in raw
    # the page keeps the template's two scripts and no comment opens anywhere
    assert page.count("<script") == 2 and page.count("</script>") == 2
    assert "<!--" not in page
    page.encode("utf-8")


def test_hostile_strings_stay_inside_the_data():
    model, page = _page()
    _assert_contained(page)
    data = json.loads(_embedded(page))
    assert [t["label"] for t in data["topics"]] == ["<!--<script>", "</b>&amp;"]
    assert data["topics"][0]["words"] == [_utf8(w) for w in model.top_words(len(HOSTILE))[0]]
    assert sorted(data["topics"][1]["words"]) == sorted(map(_utf8, HOSTILE))
    assert data["topics"][0]["glosses"] == [w + " <!--" for w in data["topics"][0]["words"]]
    assert data["topics"][0]["examples"] == [
        {"title": "<!--<script> title", "unit": 0, "share": 0.7, "text": "</script><!--"}]
    assert data["topics"][1]["examples"][0] == {"title": "a&b", "unit": 2, "share": 0.8,
                                                "text": "x\u2028</"}
    assert [a["title"] for a in data["articles"]] == ["<!--<script> title", "& </script>"]
    title = re.search("<title>(.*)</title>", page).group(1)
    assert html.unescape(title) == "<!--<script> & </title>"


def test_hostile_titles_words_and_labels_through_the_defaults():
    model = _hostile_model()
    lexicon = vnparty.Lexicon(abbreviations={w: ("x", "</script>" + w) for w in HOSTILE[:4]})
    page = explorer_html(model, _hostile_frame(), lexicon=lexicon, n=len(HOSTILE),
                         title="</title><script>")
    _assert_contained(page)
    data = json.loads(_embedded(page))
    assert {a["title"] for a in data["articles"]} == {"</script><!--", "lone \ufffd <b>"}
    assert {x["title"] for t in data["topics"] for x in t["examples"]} <= {
        "</script><!--", "lone \ufffd <b>"}
    assert [t["label"] for t in data["topics"]] == [
        _utf8(label) for label in vnparty.topic_labels(model, 3, glosses=False)]
    assert "</script>" + HOSTILE[0] in data["topics"][0]["glosses"] + data["topics"][1]["glosses"]
    assert html.unescape(re.search("<title>(.*)</title>", page).group(1)) == "</title><script>"


def test_page_encodes_as_utf8_whatever_the_strings():
    _, page = _page(title="lone \udfff")
    assert "lone \ufffd" in page.encode("utf-8").decode("utf-8")


def test_script_json_round_trips():
    value = {"a": HOSTILE, "b": "đảng_viên <>&"}
    text = script_json(value)
    assert json.loads(text) == {"a": [_utf8(h) for h in HOSTILE], "b": "đảng_viên <>&"}
    assert "đảng_viên" in text and not set("<>&") & set(text)


# -- writing -----------------------------------------------------------------------------------

def test_write_explorer_writes_the_page_with_the_mode_open_gives(fitted, tmp_path):
    model, frame = fitted
    old = os.umask(0o022)
    try:
        path = write_explorer(model, frame, tmp_path / "pages" / "nmf.html", n=12)
    finally:
        os.umask(old)
    assert path == tmp_path / "pages" / "nmf.html"
    assert path.read_bytes() == explorer_html(model, frame, n=12).encode("utf-8")
    assert path.stat().st_mode & 0o777 == 0o644
    assert [p.name for p in path.parent.iterdir()] == ["nmf.html"]  # no temporary file left


def test_write_explorer_refuses_an_existing_file_and_a_folder(fitted, tmp_path):
    model, frame = fitted
    path = tmp_path / "explorer.html"
    path.write_text("mine", encoding="utf-8")
    with pytest.raises(FileExistsError, match="pass overwrite=True .* or choose another path"):
        write_explorer(model, frame, path)
    assert path.read_text(encoding="utf-8") == "mine"
    link = tmp_path / "dangling.html"
    link.symlink_to(tmp_path / "nowhere")
    with pytest.raises(FileExistsError, match="overwrite=True"):
        write_explorer(model, frame, link)
    write_explorer(model, frame, path, overwrite=True)
    assert path.read_text(encoding="utf-8") == explorer_html(model, frame)
    with pytest.raises(IsADirectoryError, match="is a folder.*explorer.html"):
        write_explorer(model, frame, tmp_path, overwrite=True)
    assert vnparty.write_explorer is write_explorer and vnparty.explorer_html is explorer_html
    assert {"explorer_html", "write_explorer"} <= set(vnparty.__all__)
