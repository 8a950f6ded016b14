"""Theory-driven themes: fit_seeded, the codebook file and its audit."""

import hashlib
import json
import unicodedata
import warnings

import numpy as np
import pytest

import vnparty
from vnparty import Theme, TopicModel, codebook_audit, default_codebook, fit_seeded, read_codebook
from vnparty.checksums import DamagedFileError, checksums_text

from processes import outputs_of_two_processes

THEMES = ["chính trị", "tư tưởng", "đạo đức", "tổ chức", "cán bộ", "kiểm tra, giám sát",
          "dân vận", "phòng, chống tham nhũng"]
TOY = [["chi_bộ", "kết_nạp", "đảng_viên"], ["tham_nhũng", "kỷ_luật", "vi_phạm"]] * 5


@pytest.fixture(scope="module")
def tokens():
    units = vnparty.split_units(vnparty.load_articles(), unit="paragraph")
    return vnparty.preprocess([u.text for u in units], progress=False)


@pytest.fixture(scope="module")
def model(tokens):
    return fit_seeded(tokens)


def write(path, *lines):
    path.write_bytes("\n".join(lines).encode("utf-8") + b"\n")
    return path


HEADER = "theme\tgloss\tsource\tseed_words"


# -- the bundled codebook ------------------------------------------------------------------------
def test_bundled_codebook_is_the_partys_division_of_party_building_work():
    themes = default_codebook()
    assert [t.name for t in themes] == THEMES
    for theme in themes:
        assert theme.gloss and theme.seed_words
        # each theme names at least one Party document that vnparty recognises as one
        assert vnparty.document_references(theme.source), theme.source
        # every seed word is a token vnparty's preprocessing produces (bản_lĩnh_chính_trị, say,
        # is not: pyvi cuts it in two)
        for word in theme.seed_words:
            assert vnparty.preprocess([word.replace("_", " ")], progress=False) == [[word]], word
    assert read_codebook(vnparty.bundled_codebook_path()) == themes


# -- fitting -------------------------------------------------------------------------------------
def test_topics_are_the_named_themes_then_free_topics(model, tokens):
    assert model.topic_names == THEMES + ["free 0", "free 1"]
    assert model.k == 10 and model.kind == "lda" and model.backend == "tomotopy"
    assert model.doc_topic.shape == (len(tokens), 10)
    np.testing.assert_allclose(model.doc_topic.sum(axis=1), 1)
    assert model.params["k_free"] == 2 and model.params["seed_weight"] == 1.0
    assert list(model.params["codebook"]) == THEMES
    assert model.params["codebook"]["dân vận"][0] == "dân_vận"
    np.testing.assert_array_equal(model.transform(tokens), model.doc_topic)


def test_the_seed_prior_raises_seed_words_in_their_theme(model, tokens):
    plain = fit_seeded(tokens, seed_weight=0)  # the same fit with the seed priors off
    themes = default_codebook()

    def seeded_themes(m):
        return [t.name for i, t in enumerate(themes) if set(m.top_words(10)[i]) & set(t.seed_words)]

    assert seeded_themes(model) == THEMES
    assert len(seeded_themes(plain)) <= 3
    for word, theme in [("tham_nhũng", 7), ("kiểm_tra", 5), ("đạo_đức", 2)]:
        j = model.vocabulary.index(word)
        rank = (model.topic_word[theme] > model.topic_word[theme, j]).sum()
        rank_plain = (plain.topic_word[theme] > plain.topic_word[theme, j]).sum()
        assert rank < 3 < rank_plain, (word, rank, rank_plain)


def test_reported_topics_hold_sampled_counts_not_the_prior(model, tokens):
    from vnparty.features import document_term_matrix

    counts, _ = document_term_matrix(tokens)
    # summed over topics, the weights minus eta are each word's corpus count: the seed priors
    # steered the sampling but are not added to what the model reports
    np.testing.assert_allclose((model.weights - model.params["eta"]).sum(axis=0),
                               np.asarray(counts.sum(axis=0)).ravel(), rtol=1e-5)


def test_seed_weight_zero_is_plain_tomotopy_lda(tokens):
    plain = fit_seeded(tokens, seed_weight=0, k_free=2, seed=3, iterations=300)
    lda = vnparty.fit_lda(tokens, 10, seed=3, backend="tomotopy", iterations=300)
    assert plain.topic_word.tobytes() == lda.topic_word.tobytes()
    assert plain.doc_topic.tobytes() == lda.doc_topic.tobytes()


def test_seeds_put_each_cluster_in_its_theme_whatever_the_random_seed():
    book = {"tổ chức": ["chi_bộ"], "kỷ luật": ["kỷ_luật"]}
    seeded = [[sorted(w) for w in fit_seeded(TOY, book, k_free=0, seed=s).top_words(3)]
              for s in range(5)]
    plain = [[sorted(w) for w in fit_seeded(TOY, book, k_free=0, seed=s, seed_weight=0)
              .top_words(3)] for s in range(5)]
    expected = [["chi_bộ", "kết_nạp", "đảng_viên"], ["kỷ_luật", "tham_nhũng", "vi_phạm"]]
    assert all(s == expected for s in seeded)
    assert any(p != expected for p in plain)  # without seeds the order is the sampler's


def test_codebook_as_a_path_a_mapping_or_themes(tmp_path, tokens):
    path = write(tmp_path / "book.tsv", "# my codebook", HEADER,
                 "tổ chức\tParty organisation\tNghị quyết 22-NQ/TW\tchi_bộ kết_nạp",
                 "", "kỷ luật\t\t\tkỷ_luật vi_phạm")
    themes = read_codebook(path)
    assert themes == [Theme("tổ chức", ("chi_bộ", "kết_nạp"), "Party organisation",
                            "Nghị quyết 22-NQ/TW"), Theme("kỷ luật", ("kỷ_luật", "vi_phạm"))]
    a = fit_seeded(tokens, path, k_free=1, iterations=200)
    b = fit_seeded(tokens, {"tổ chức": ["chi_bộ", "kết_nạp"], "kỷ luật": ["kỷ_luật", "vi_phạm"]},
                   k_free=1, iterations=200)
    c = fit_seeded(tokens, themes, k_free=1, iterations=200)
    assert a.topic_names == b.topic_names == c.topic_names == ["tổ chức", "kỷ luật", "free 0"]
    assert a.topic_word.tobytes() == b.topic_word.tobytes() == c.topic_word.tobytes()


def test_seed_words_are_normalised_as_the_tokens_are(tmp_path):
    # a file saved in NFD (as some editors do) or in the old tone-mark style still matches
    nfd = unicodedata.normalize("NFD", "chi_bộ")
    path = write(tmp_path / "nfd.tsv", HEADER, f"a\t\t\t{nfd} tự_chuyển_hoá")
    assert read_codebook(path)[0].seed_words == ("chi_bộ", "tự_chuyển_hóa")


def test_save_and_load_keep_the_topic_names(tmp_path, model, tokens):
    model.save(tmp_path / "m")
    loaded = TopicModel.load(tmp_path / "m")
    assert loaded.topic_names == model.topic_names
    assert loaded.params == model.params
    np.testing.assert_array_equal(loaded.transform(tokens), model.transform(tokens))
    # models without names stay as they were: no key in the file, None when loaded
    plain = vnparty.fit_nmf(tokens, 3)
    plain.save(tmp_path / "plain")
    assert "topic_names" not in json.loads((tmp_path / "plain" / "model.json").read_text("utf-8"))
    assert TopicModel.load(tmp_path / "plain").topic_names is None


@pytest.mark.parametrize("names", [["only one"], "chính trị", [1] * 10])
def test_damaged_topic_names_are_refused(tmp_path, model, names):
    model.save(tmp_path / "m")
    meta = json.loads((tmp_path / "m" / "model.json").read_text("utf-8"))
    meta["topic_names"] = names
    folder = tmp_path / "m"
    (folder / "model.json").write_text(json.dumps(meta), encoding="utf-8")
    with pytest.raises(DamagedFileError, match="does not match its SHA-256"):
        TopicModel.load(folder)
    # changed with its checksums rewritten to match: the names themselves are checked
    (folder / "checksums.sha256").write_text(checksums_text(
        {name: hashlib.sha256((folder / name).read_bytes()).hexdigest()
         for name in ("arrays.npz", "model.json")}), encoding="ascii")
    with pytest.raises(DamagedFileError, match="'topic_names' is not a list of one name per topic"):
        TopicModel.load(folder)


DIGEST = """
import hashlib, vnparty
units = vnparty.split_units(vnparty.load_articles(), unit="paragraph")
tokens = vnparty.preprocess([u.text for u in units], progress=False)
m = vnparty.fit_seeded(tokens, seed=7, iterations=300)
print(hashlib.sha256(m.topic_word.tobytes() + m.doc_topic.tobytes()).hexdigest(),
      m.topic_names, m.params["learned_alpha"])
"""


@pytest.mark.slow
def test_deterministic_across_processes():
    runs = outputs_of_two_processes(DIGEST)
    assert runs[0] == runs[1] and "'free 1'" in runs[0]


# -- the audit -----------------------------------------------------------------------------------
def test_audit_counts_occurrences_and_documents():
    docs = [["a_b", "c", "a_b"], ["a_b"], ["d", "e"], []]
    book = {"x": ["a_b", "zz"], "y": ["c", "d", "e"], "z": ["never", "nor_this"]}
    with pytest.warns(UserWarning) as caught:
        audit = codebook_audit(book, docs)
    assert audit[["theme", "seed_word", "tokens", "documents"]].values.tolist() == [
        ["x", "a_b", 3, 2], ["x", "zz", 0, 0], ["y", "c", 1, 1], ["y", "d", 1, 1],
        ["y", "e", 1, 1], ["z", "never", 0, 0], ["z", "nor_this", 0, 0]]
    assert audit["flag"].tolist() == ["", "never occurs", "", "", "", "never occurs",
                                      "never occurs"]
    assert (audit["themes"] == 1).all()
    messages = [str(w.message) for w in caught]
    assert any("3 seed words never occur" in m and "x: zz; z: never, nor_this" in m
               for m in messages)
    assert any("theme(s) 'z'" in m for m in messages)


def test_audit_flags_seed_words_in_two_themes():
    with pytest.warns(UserWarning, match=r"more than one theme: a_b \(x, y\)"):
        audit = codebook_audit({"x": ["a_b", "c"], "y": ["a_b"]}, [["a_b", "c"]])
    assert audit["themes"].tolist() == [2, 1, 2]
    assert audit["flag"].tolist() == ["in 2 themes: x, y", "", "in 2 themes: x, y"]


def test_audit_of_the_bundled_codebook(tokens):
    with pytest.warns(UserWarning, match="never occur") as caught:
        audit = codebook_audit(None, tokens)
    assert len(audit) == sum(len(t.seed_words) for t in default_codebook())
    row = audit.set_index("seed_word").loc["tham_nhũng"]
    assert (row["tokens"], row["documents"]) == (
        sum(d.count("tham_nhũng") for d in tokens), sum("tham_nhũng" in d for d in tokens))
    assert len(caught) == 1  # no theme without any seed word, no word in two themes


# -- bad input -----------------------------------------------------------------------------------
def test_empty_codebook(tmp_path, tokens):
    with pytest.raises(ValueError, match="no themes"):
        fit_seeded(tokens, {})
    path = write(tmp_path / "empty.tsv", "# nothing yet", HEADER)
    with pytest.raises(ValueError, match=r"empty\.tsv: the codebook has no themes"):
        fit_seeded(tokens, path)


def test_theme_whose_seed_words_never_occur_is_named_in_a_warning(tokens):
    with pytest.warns(UserWarning, match="theme\\(s\\) 'không có' is in the vocabulary"):
        m = fit_seeded(tokens, {"có": ["chi_bộ"], "không có": ["từ_không_có", "cũng_không"]},
                       k_free=1, iterations=100)
    assert m.topic_names == ["có", "không có", "free 0"]


def test_theme_dropped_by_min_df_is_named_too(tokens):
    # nền_tảng_tư_tưởng occurs in one paragraph only
    with pytest.warns(UserWarning, match="'hiếm'.*fewer documents than min_df"):
        fit_seeded(tokens, {"hiếm": ["nền_tảng_tư_tưởng"], "có": ["chi_bộ"]}, min_df=2,
                   iterations=100)


def test_seed_word_in_two_themes_is_refused(tokens):
    with pytest.raises(ValueError, match="'chi_bộ' is listed under 2 themes \\(a, b\\)"):
        fit_seeded(tokens, {"a": ["chi_bộ"], "b": ["kết_nạp", "chi_bộ"]})


@pytest.mark.parametrize("k_free, error, message", [
    (-1, ValueError, "k_free must be at least 0"),
    (1.5, TypeError, "k_free must be a whole number"),
    (True, TypeError, "k_free must be a whole number"),
])
def test_bad_k_free(tokens, k_free, error, message):
    with pytest.raises(error, match=message):
        fit_seeded(tokens, k_free=k_free)


@pytest.mark.parametrize("lines, message", [
    (["theme\tgloss\tseed_words", "a\t\tchi_bộ"], r"bad\.tsv, line 1: expected the header"),
    ([HEADER, "a\tgloss\tchi_bộ"], r"bad\.tsv, line 2: expected 4 columns .* found 3"),
    (["# comment", HEADER, "a\t\t\tchi_bộ", "b\t\t\t\tkết_nạp"],
     r"bad\.tsv, line 4: expected 4 columns .* found 5"),
    ([HEADER, "a\t\t\tchi_bộ", "\tgloss\t\tkết_nạp"], r"bad\.tsv, line 3: a theme needs a name"),
    ([HEADER, "a\tgloss\tsource\t"], r"bad\.tsv, line 2: theme 'a' has no seed words"),
    ([HEADER, "a\t\t\tchi_bộ", "a\t\t\tkết_nạp"], r"theme 'a' is named twice"),
])
def test_codebook_file_in_the_wrong_format(tmp_path, lines, message):
    path = write(tmp_path / "bad.tsv", *lines)
    with pytest.raises(ValueError, match=message):
        read_codebook(path)
    with pytest.raises(ValueError, match=message):
        fit_seeded([["chi_bộ"]] * 3, path)


def test_codebook_file_not_utf8_or_missing(tmp_path):
    path = tmp_path / "latin.tsv"
    path.write_bytes(HEADER.encode() + b"\na\t\t\t\xf0\xe1ng\n")  # "đáng" in a Windows code page
    with pytest.raises(ValueError, match=r"latin\.tsv, line 2: not UTF-8"):
        read_codebook(path)
    with pytest.raises(FileNotFoundError, match="no codebook file there"):
        read_codebook(tmp_path / "missing.tsv")


@pytest.mark.parametrize("codebook, error, message", [
    ({"a": "chi_bộ kết_nạp"}, TypeError, "seed words of theme 'a' must be a list of str"),
    ({"a": ["chi bộ"]}, ValueError, "'chi bộ' is not one token"),
    ({"a": [""]}, ValueError, "is not one token"),
    ({"a": [3]}, TypeError, "a seed word must be a str"),
    ({"": ["chi_bộ"]}, ValueError, "a theme needs a name"),
    ({"a": []}, ValueError, "theme 'a' has no seed words"),
    (42, TypeError, "codebook must be None"),
])
def test_bad_codebook_objects(codebook, error, message):
    with pytest.raises(error, match=message):
        fit_seeded(TOY, codebook)


def test_other_bad_input(tokens, tmp_path):
    with pytest.raises(ValueError, match="make 10 topics, more than the 5 documents"):
        fit_seeded(tokens[:5])
    with pytest.raises(ValueError, match="one theme and no free topic"):
        fit_seeded(TOY, {"a": ["chi_bộ"]}, k_free=0)
    with pytest.raises(ValueError, match="seed_weight must be a number >= 0"):
        fit_seeded(TOY, seed_weight=-1)
    with pytest.raises(TypeError, match="unknown parameter.*passes"):
        fit_seeded(TOY, passes=3)
    with pytest.raises(TypeError, match="not a StreamedCorpus"):
        fit_seeded(vnparty.StreamedCorpus.write(TOY, tmp_path / "corpus"))
    with pytest.raises(TypeError, match="list of token lists"):
        codebook_audit(None, "chi_bộ kết_nạp")
    with pytest.raises(TypeError, match="document 1 is not a list of str"):
        codebook_audit(None, [["chi_bộ"], "kết_nạp"])
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # a good codebook on a corpus that has its words: quiet
        fit_seeded(TOY, {"a": ["chi_bộ"], "b": ["kỷ_luật"]}, k_free=0, iterations=50)


# -- the figure ----------------------------------------------------------------------------------
def test_codebook_comparison_figure(model, tokens):
    import pandas as pd

    from vnparty.plotting import plot_codebook_comparison

    articles = vnparty.load_articles()
    frame = vnparty.unit_frame(vnparty.split_units(articles, unit="paragraph"), articles, tokens)
    seeded = vnparty.article_shares(model, frame)
    lda = vnparty.article_shares(vnparty.fit_lda(tokens, 4, iterations=100), frame)
    fig = plot_codebook_comparison(seeded, lda, seeded_labels=model.topic_names,
                                   unsupervised_labels=["a$b", "b", "c", "d"])
    left, right = fig.axes[:2]
    assert [t.get_text() for t in left.get_xticklabels()] == model.topic_names
    assert [t.get_text() for t in right.get_xticklabels()] == [r"a\$b", "b", "c", "d"]
    assert [t.get_text() for t in left.get_yticklabels()] == [str(i) for i in seeded.index]
    # each cell is annotated with its share; both panels on one colour scale
    assert [t.get_text() for t in left.texts] == [f"{v:.2f}" for v in seeded.to_numpy().ravel()]
    assert left.images[0].get_clim() == right.images[0].get_clim()
    with pytest.raises(ValueError, match="same articles in the same order"):
        plot_codebook_comparison(seeded, lda.iloc[::-1])
    with pytest.raises(ValueError, match="3 labels for 10"):
        plot_codebook_comparison(seeded, lda, seeded_labels=["x", "y", "z"])
    pd.testing.assert_frame_equal(seeded, vnparty.article_shares(model, frame))  # not changed
