"""`vnparty analyze`: a user's corpus gets the report the bundled articles get."""

import json
import os
import stat

import pandas as pd
import pytest

import vnparty
from vnparty.cli import main
from vnparty.outputs import listing
from vnparty.report import Settings, analyze, check

SMALL = Settings(k=3, ks=(3, 4), seeds=(0, 1), n_runs=2, formats=("png",), by=("category",))
FLAGS = ["--k", "3", "--ks", "3", "4", "--seeds", "0", "1", "--runs", "2"]
CATEGORIES = ("Xây dựng Đảng", "Kinh tế", "Xã hội")


@pytest.fixture(scope="module")
def corpus(tmp_path_factory):
    """The bundled articles cut into 4-paragraph pieces: a CSV with id, date, source,
    category and text, as a user brings it."""
    rows = []
    for a in vnparty.load_articles():
        for start in range(0, len(a.paragraphs), 4):
            n = len(rows)
            rows.append({"id": f"{a.id[:3]}-{start}", "date": f"{1 + n % 27}/{1 + n % 12}/20{19 + n % 3}",
                         "source": a.source, "category": CATEGORIES[n % 3],
                         "text": "\n\n".join(a.paragraphs[start:start + 4])})
    path = tmp_path_factory.mktemp("corpus") / "corpus.csv"
    pd.DataFrame(rows).to_csv(path, index=False)
    return path


@pytest.fixture(scope="module")
def report(corpus, tmp_path_factory):
    out = tmp_path_factory.mktemp("report") / "out"
    old = os.umask(0o022)
    try:
        analyze(corpus, out, SMALL, progress=False)
    finally:
        os.umask(old)
    return out


def test_writes_figures_explorer_tables_by_category_and_a_manifest(report):
    names = set(listing(report))
    for name in ["tables/prevalence_category_lda.csv", "figures/prevalence_category_nmf.png",
                 "tables/prevalence_year_lda.csv", "figures/top_words_lda.png",
                 "figures/select_k.png", "explorer/lda.html", "explorer/nmf.html",
                 "tables/doc_topic_nmf.csv", "tables/articles.csv", "manifest.json"]:
        assert name in names, name
    manifest = json.loads((report / "manifest.json").read_text(encoding="utf-8"))
    assert manifest["vnparty_analyze"] == 1 and manifest["settings"]["by"] == ["category"]
    assert manifest["input"]["text_column"] == "text"
    assert list(manifest["inputs"])[0] == "input/corpus.csv"
    table = pd.read_csv(report / "tables" / "prevalence_category_lda.csv")
    assert set(table["category"]) == set(CATEGORIES)
    assert {"share", "low", "high", "articles", "units"} <= set(table.columns)
    assert (table.groupby("category")["share"].sum().round(6) == 1).all()
    doc_topic = pd.read_csv(report / "tables" / "doc_topic_nmf.csv")
    assert {"category", "source", "date", "topic_0"} <= set(doc_topic.columns)


def test_every_file_is_readable_by_group_and_others_under_umask_022(report):
    for name in listing(report):
        assert stat.S_IMODE((report / name).stat().st_mode) == 0o644, name


def test_explorer_shows_titles_or_ids_not_paragraph_hashes(report):
    page = (report / "explorer" / "nmf.html").read_text(encoding="utf-8")
    assert "<script src" not in page and "https://" not in page
    assert "000-0" in page  # the user's ids (the CSV has no titles)


def test_check_passes_and_a_rerun_is_refused_without_force(report, corpus, capsys):
    assert check(report, corpus) == []
    assert main(["analyze", str(corpus), "--out", str(report), *FLAGS]) == 1
    error = capsys.readouterr().err
    assert "earlier `vnparty analyze` run" in error and "--force" in error


def test_check_names_a_changed_input(report, corpus, tmp_path):
    changed = tmp_path / "corpus.csv"
    frame = pd.read_csv(corpus)
    frame.loc[0, "category"] = "Thể thao"
    frame.to_csv(changed, index=False)
    different = check(report, changed)
    assert different[0] == "input/corpus.csv"
    assert "tables/prevalence_category_lda.csv" in different


def test_cli_writes_and_checks(corpus, tmp_path, capsys):
    out = tmp_path / "out"
    flags = [*FLAGS, "--models", "nmf", "--by", "category", "--by", "source"]
    assert main(["analyze", str(corpus), "--out", str(out), *flags]) == 0
    assert (out / "figures" / "prevalence_source_nmf.png").is_file()
    assert "wrote" in capsys.readouterr().out
    assert main(["analyze", str(corpus), "--check", str(out)]) == 0
    assert "identical" in capsys.readouterr().out
    assert main(["analyze", str(corpus), "--out", str(out), *flags, "--force"]) == 0


def last_error(capsys) -> str:
    error = capsys.readouterr().err
    assert "Traceback" not in error and error.count("vnparty: error:") == 1
    return error.strip()


@pytest.mark.parametrize("flags, expected", [
    (["--by", "chuyên_mục"], "--by chuyên_mục: .* has no column 'chuyên_mục'; its columns are .*category"),
    (["--k", "1"], "--k 1: a model needs at least 2 topics"),
    (["--k", "many"], "'many' is not a number of topics"),
])
def test_bad_flags_name_the_flag_and_write_nothing(corpus, tmp_path, capsys, flags, expected):
    out = tmp_path / "out"
    try:
        code = main(["analyze", str(corpus), "--out", str(out), *FLAGS[2:], *flags])
    except SystemExit as exit:  # argparse: the command line cannot be read
        code = exit.code
    assert code in (1, 2)
    error = capsys.readouterr().err
    assert __import__("re").search(expected, error), error
    assert not out.exists()


def test_bad_input_gets_a_clear_error(tmp_path, capsys):
    dates = tmp_path / "dates.csv"
    pd.DataFrame({"text": ["Đảng bộ xã tổ chức hội nghị."] * 3,
                  "date": ["2024-01-02", "hôm qua", "32/13/2024"]}).to_csv(dates, index=False)
    assert main(["analyze", str(dates), "--out", str(tmp_path / "a")]) == 1
    assert "column 'date'" in (line := last_error(capsys)) and "2 date(s)" in line

    one = tmp_path / "one.csv"
    pd.DataFrame({"text": ["Đảng bộ xã tổ chức hội nghị."]}).to_csv(one, index=False)
    assert main(["analyze", str(one), "--out", str(tmp_path / "b")]) == 1
    assert "holds 1 article" in last_error(capsys)

    five = tmp_path / "five"
    five.mkdir()
    for a in vnparty.load_articles():
        (five / f"{a.id}.txt").write_text(a.text, encoding="utf-8")
    assert main(["analyze", str(five), "--out", str(tmp_path / "c"), "--unit", "article",
                 "--k", "auto"]) == 1
    assert "--ks [4, 5, 6, 7, 8]: 8 topics are more than the 5 articles" in last_error(capsys)

    afile = tmp_path / "file.txt"
    afile.write_text("mine", encoding="utf-8")
    assert main(["analyze", str(five), "--out", str(afile)]) == 1
    assert "is a file; give a folder" in last_error(capsys)
    assert afile.read_text(encoding="utf-8") == "mine"
    for name in "abc":
        assert not (tmp_path / name).exists()


def test_k_auto_takes_the_recommended_k(corpus, tmp_path):
    out = tmp_path / "out"
    settings = Settings(k="auto", ks=(3, 4), seeds=(0, 1), n_runs=1, formats=("png",),
                        models=("nmf",))
    manifest = json.loads(analyze(corpus, out, settings, progress=False).read_text())
    chosen = pd.read_csv(out / "tables" / "recommended_k.csv")
    assert manifest["shown_k"] == chosen.loc[0, "recommended_k"] == chosen.loc[0, "shown_k"]
    assert pd.read_csv(out / "tables" / "topics_nmf.csv")["topic"].nunique() == manifest["shown_k"]


def test_prevalence_by_category_from_python(corpus):
    articles = vnparty.read_articles(corpus)
    units = vnparty.split_units(articles, unit="paragraph")
    tokens = vnparty.preprocess([u.text for u in units], groups=[u.article_id for u in units])
    model = vnparty.fit_nmf(tokens, 3, seed=0)
    table = vnparty.prevalence(model, vnparty.unit_frame(units, articles, tokens), by="category")
    assert set(table["category"]) == set(CATEGORIES)
    sizes = table.drop_duplicates("category").set_index("category")["articles"]
    assert sizes.sum() == len(articles)


def test_file_stems_fold_vietnamese_column_names():
    from vnparty.report_parts import file_stem

    assert file_stem("Chuyên mục") == "chuyen_muc" and file_stem("Đơn vị") == "don_vi"
    assert file_stem("???") == "column"


def test_runs_below_one_are_refused(corpus, tmp_path, capsys):
    with pytest.raises(SystemExit) as exit:
        main(["analyze", str(corpus), "--out", str(tmp_path / "o"), "--runs", "0"])
    assert exit.value.code == 2 and "--runs: 0: give 1 or more" in capsys.readouterr().err
