# ---
# jupyter:
#   jupytext:
#     formats: ipynb,py:percent
#     text_representation:
#       extension: .py
#       format_name: percent
#       format_version: '1.3'
#       jupytext_version: 1.19.6
#   kernelspec:
#     display_name: Python 3 (ipykernel)
#     language: python
#     name: python3
# ---

# %% [markdown]
# # Your own corpus
#
# Everything in notebooks 01–05 works on any collection of Vietnamese texts. `read_articles`
# reads
#
# * a **folder** of `.txt` files, one article per file (the file name becomes the article's id);
# * a **CSV** or **JSONL** file with a `text` column (name another with `text_column=...`);
# * a pandas **DataFrame** with a text column.
#
# Columns `id, title, date, source, province, district, byline` are recognised; other columns go
# to `Article.metadata`. Files need not be UTF-8: UTF-16 and the legacy Vietnamese encodings
# (Windows-1258, VISCII, TCVN3, VNI) are recognised. Each text is cleaned the same way as the
# bundled articles.
#
# This notebook writes a small corpus into a temporary folder, reads it back, runs the same
# analysis step by step, and then writes the **full report** (figures, tables, an explorer and a
# manifest, grouped by a column of your own) with one call, or one command. Replace the folder
# with yours.

# %%
# %matplotlib inline
import pandas as pd
import vnparty

pd.set_option("display.width", 120)
pd.set_option("display.max_colwidth", 70)
pd.set_option("display.precision", 3)

# %% [markdown]
# ## Write a small corpus
#
# We make the corpus from the bundled articles, so that you can compare: five `.txt` files, each
# with the title on the first line and the paragraphs below. To show that the reader copes, one
# file is saved in UTF-16 and another in the old tone-mark style (*hoá*, *uỷ*).

# %%
import tempfile
from pathlib import Path

workdir = tempfile.TemporaryDirectory()     # removed at the end of the notebook
root = Path(workdir.name)
folder = root / "articles"
folder.mkdir()

bundled = vnparty.load_articles()
for a in bundled:
    text = a.title + "\n\n" + a.text
    name = f"article_{a.id[:3]}.txt"

    if a.id.startswith("001"):
        (folder / name).write_text(text, encoding="utf-16")
    elif a.id.startswith("002"):
        (folder / name).write_text(vnparty.normalize_text(text, tone_style="old"), encoding="utf-8")
    else:
        (folder / name).write_text(text, encoding="utf-8")
print(sorted(p.name for p in folder.iterdir()))

# %%
mine = vnparty.read_articles(folder)
pd.DataFrame([{"id": a.id, "date": a.date, "province": a.province, "paragraphs": len(a.paragraphs),
               "title": a.title} for a in mine])

# %% [markdown]
# What to notice:
#
# * ids come from the file names, and the first line became the title;
# * the UTF-16 file (001) reads like the others, and article 002 is back in the default tone style:
#   its *uỷ* is *ủy* again;
# * a `.txt` file has no metadata beyond what the text says: no province, and a date only when
#   the text has one (Lộc Hà's lead says *Chiều ngày 29/2/2024*, "on the afternoon of
#   29/2/2024"). For metadata, use a CSV.

# %%
print(any("uỷ" in p for p in mine[2].paragraphs), any("ủy" in p for p in mine[2].paragraphs))

# %% [markdown]
# ## A CSV with metadata

# %%
rows = [{"id": a.id[:3], "title": a.title, "date": a.date, "province": a.province,
         "district": a.district, "newspaper": a.source, "text": a.text} for a in bundled]
pd.DataFrame(rows).to_csv(root / "corpus.csv", index=False)

from_csv = vnparty.read_articles(root / "corpus.csv")
pd.DataFrame([{"id": a.id, "date": a.date, "province": a.province, "district": a.district,
               "paragraphs": len(a.paragraphs), "metadata": a.metadata} for a in from_csv])

# %% [markdown]
# `date`, `province` and `district` are recognised; `newspaper` is not one of the known columns,
# so it went to `metadata` (the known name is `source`).
#
# Reading runs the cleaning again on your text. It is worth checking that nothing you wanted was
# dropped: compare the paragraphs read back with those written.

# %%
for written, read in zip(bundled, from_csv):
    lost = [p for p in written.paragraphs if p not in read.paragraphs]
    print(read.id, len(written.paragraphs), "→", len(read.paragraphs), "paragraphs"
          + "".join(f"\n    dropped: {p[:90]}" for p in lost))

# %% [markdown]
# Nothing was dropped: every article keeps all its paragraphs. The cleaner treats a short line
# without a final full stop as a heading, and when a text has no title of its own it takes such
# a line near the top as the title. With a `title` column, as here, the title comes from the
# column and no line of the body is taken for it, so article 003 keeps its one-line subheading
# (*Ký kết giao ước thi đua …*, "signing the emulation pledge …") and all 13 paragraphs. Without
# a `title` column, as in the folder of `.txt` files above, a heading-like line at or near the top
# becomes the title: check that it is the one you meant.
#
# ## The same analysis
#
# From here on nothing differs from the bundled corpus. With `prevalence` by `province`, the
# metadata of the CSV comes into play.

# %%
units = vnparty.split_units(from_csv, unit="paragraph")
tokens = vnparty.preprocess([u.text for u in units], groups=[u.article_id for u in units],
                            progress=False)
model = vnparty.fit_nmf(tokens, k=4, seed=0)
print(model)
vnparty.topic_table(model, n=8)[["topic", "top_words", "share"]]

# %%
frame = vnparty.unit_frame(units, from_csv, tokens)
vnparty.prevalence(model, frame, by="province").round(2)

# %% [markdown]
# With k = 4, four of the six themes of notebook 01 come back almost unchanged: inspection (0),
# Party cell meetings (1), Party organisations (2) and ideology (3). The small "four-good"
# emulation has no topic of its own, and training and recruiting is split between topic 1, which
# now holds the village heads and Party cell secretaries (*trưởng_thôn*, *bí_thư_chi_bộ*), and
# topic 2. Quảng Ninh's text, much of it on village heads, goes to topics 1 and 2 (0.40 and 0.41).
# Choose k for your corpus with `vnparty.select_k` (notebook 04).
#
# An explorer page for this model (topics, words with a relevance slider, the best paragraphs
# with their article's title) is one call; the file works offline:

# %%
page = vnparty.write_explorer(model, frame, root / "explorer.html")
print(page.name, page.stat().st_size > 0)

# %% [markdown]
# ## The full report, grouped by a column of yours
#
# `vnparty.report.analyze(source, out, settings)` does all of the above and more in one call:
# it reads the corpus (a folder, a CSV or JSONL file, or a DataFrame), preprocesses it, compares
# k with `select_k`, fits the models, and writes figures, tables, an explorer per model and a
# manifest into `out`. `Settings(by=...)` names the columns to break the topics down by, and when
# the corpus has dates it adds prevalence by year or month (`time_axis`).
#
# A corpus often has a column of its own: a site's section, a newspaper's category. The five
# bundled articles have none, so we **make one up** for this example: `category` below is
# invented, not taken from the newspapers. The corpus is a DataFrame, as it would be after
# reading your own data with pandas.

# %%
corpus = pd.DataFrame(rows)
# MADE UP for this example: a section label, as a news site might have
corpus["category"] = ["cơ sở", "tư tưởng", "cơ sở", "tư tưởng", "cơ sở"]
corpus[["id", "date", "province", "category"]]

# %% [markdown]
# Settings kept small so that the notebook runs in seconds: NMF only, k = 4, k compared over
# 3 to 5 with two seeds, PNG figures only. `Settings()` alone gives the defaults of
# `vnparty reproduce` (LDA and NMF, k = 6, PNG, SVG and PDF).

# %%
from vnparty.report import Settings, analyze

settings = Settings(k=4, models=("nmf",), ks=(3, 4, 5), seeds=(0, 1), formats=("png",),
                    by=("category",))
manifest = analyze(corpus, root / "report", settings, progress=False)
report = manifest.parent
for path in sorted(report.rglob("*")):
    if path.is_file():
        print(path.relative_to(report).as_posix())

# %% [markdown]
# The prevalence of each topic by category, with its bootstrap interval and the size of each
# group, is one of the tables; the figure of the same name draws it. The report numbers its
# topics in its own order, so read them off its `topics_nmf.csv` first.

# %%
topics = pd.read_csv(report / "tables" / "topics_nmf.csv")
print(topics.groupby("topic")["word"].apply(lambda words: " ".join(words.head(4))).to_string())
by_category = pd.read_csv(report / "tables" / "prevalence_category_nmf.csv")
by_category.round(2)

# %%
from IPython.display import Image

Image(filename=report / "figures" / "prevalence_category_nmf.png", width=700)

# %% [markdown]
# These are the four topics of the model above, numbered differently: 0 Party cell meetings,
# 1 Party organisations, 2 inspection, 3 ideology. We put articles 001 and 003 in the made-up
# category *tư tưởng* (ideology), so the table finds what we put in: *tư tưởng* gives 0.32 of its
# text to ideology (topic 3), *cơ sở* (grassroots) 0.13; *cơ sở* gives 0.38 to Party
# organisations (topic 1), *tư tưởng* 0.12. With two or three articles a group, the intervals are
# wide (Party cell meetings in *cơ sở*: 0.15 to 0.54), and the figure prints each group's size
# under its name. With a real column and more articles the same call gives a comparison worth
# reading.
#
# ## The same from the command line
#
# Save the corpus as a CSV (or keep your folder of `.txt` files) and run:
#
# ```bash
# vnparty analyze corpus.csv --out report --by category                   # the defaults
# vnparty analyze corpus.csv --out report --by category --k 4 --models nmf --force
# vnparty analyze corpus.csv --check report                               # same bytes again?
# ```
#
# `--by` can be given more than once; `--k auto` takes the k that `select_k` recommends; a second
# run into the same folder is refused unless you add `--force`, and `--check` regenerates the
# report in a temporary folder and lists every file whose bytes differ. Open
# `report/explorer/nmf.html` in a browser. For the topic tables alone, `vnparty topics corpus.csv
# --k 4 --out results/` writes `topics.csv`, `representative.csv` and `doc_topic.csv`, and
# `vnparty select-k corpus.csv --ks 4 5 6 7 8` compares k.

# %%
workdir.cleanup()

# %% [markdown]
# ## Checklist for a corpus of your own
#
# * One article per file or row; paragraphs separated by line breaks.
# * Metadata (date, province, …) in CSV/JSONL columns, dates as `YYYY-MM-DD`.
# * Check what the cleaning dropped, as above.
# * Add terms your press uses and the lexicon lacks with `vnparty.default_lexicon().with_terms(...)`
#   and pass the result as `Preprocessor(lexicon=...)` (notebook 02).
# * Pass `groups=[u.article_id for u in units]` to `preprocess` when you model paragraphs, so that
#   the words of a single article (its places, its people) do not make topics (notebook 02).
# * Choose k with several seeds, and check which topics survive when one article is left out
#   (notebook 04). For LDA, report `fit_ensemble` models, not single fits.
