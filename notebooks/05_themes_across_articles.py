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
# # Themes across articles, provinces and years
#
# A topic model gives each paragraph a share of each topic. Summed over the paragraphs of an
# article, a province or a year, these shares say how much of that group's text is about each
# theme. This notebook uses the NMF model of notebook 01 (k = 6, seed 0) and asks how the themes
# differ between articles and between 2019 and 2024, and which Party documents each article cites.

# %%
# %matplotlib inline
import pandas as pd
import vnparty

pd.set_option("display.width", 120)
pd.set_option("display.max_colwidth", 70)
pd.set_option("display.precision", 3)

# %%
articles = vnparty.load_articles()
units = vnparty.split_units(articles, unit="paragraph")
tokens = vnparty.preprocess([u.text for u in units], groups=[u.article_id for u in units],
                            progress=False)
print(f"{len(articles)} articles, {len(units)} paragraphs, {sum(map(len, tokens))} features")
model = vnparty.fit_nmf(tokens, k=6, seed=0)
# names given in notebook 01 after reading each topic's paragraphs
themes = ["inspection & discipline", "Party cell meetings",
          "Party organisations & development", "ideology vs. self-evolution",
          "four-good emulation", "training & recruiting, village heads"]
for topic, (name, words) in enumerate(zip(themes, model.top_words(4))):
    print(topic, f"{name:37}", " ".join(words))

# %% [markdown]
# ## One row per paragraph
#
# `unit_frame` puts each paragraph next to its article's metadata (every column the articles
# carry) and, given the tokens, its length in features (`n_tokens`). `prevalence(model, frame,
# by=...)` weights each paragraph's shares by that length, so that a long paragraph counts more
# than a photo caption, and averages them per group; the shares of a group sum to 1.

# %%
frame = vnparty.unit_frame(units, articles, tokens)
frame[["article_id", "unit_index", "n_tokens", "province", "district", "year"]].head()

# %% [markdown]
# `prevalence` returns a tidy table: one row per group and topic, with the `share`, a 95%
# interval `low`–`high` and the group's size in `articles` and `units` (paragraphs). The interval
# comes from a bootstrap over **articles** (200 draws, seeded): it resamples the group's articles,
# since the paragraphs of one article are not independent. A group of one article has no
# interval (NaN): there is nothing to resample. Here every article is its own group.

# %%
short = {a.id: f"{a.id[:3]} {a.district or a.province}" for a in articles}
by_article = vnparty.prevalence(model, frame, by="article_id")
by_article["article_id"] = by_article["article_id"].map(short)
by_article.head(7)

# %% [markdown]
# For reading across, pivot the tidy table to one row per article and one column per topic:

# %%
by_article.pivot(index="article_id", columns="topic", values="share").round(2)

# %%
from vnparty.plotting import plot_prevalence

plot_prevalence(by_article, by="article_id", title="Themes by article", labels=themes)

# %% [markdown]
# What to notice:
#
# * Each article has its own profile. Đầm Hà (000) spreads its text over three themes (Party
#   organisations 0.30, training and recruiting 0.28, ideology 0.23); 002 (Quảng Ninh, *Củng cố
#   hạt nhân chính trị ở cơ sở*, "consolidating the political nucleus at the grassroots") is half
#   training and recruiting, with its village heads (0.49); Đông Sơn (001) is about ideology
#   (0.37) and Party cell meetings (0.27); Châu Thành (003) and Lộc Hà (004) give the most to
#   inspection and discipline (0.30 and 0.38).
# * Topic 4, the "four-good" emulation, is small everywhere (0.09 at most, in 003): it is one
#   article's pledge, not a theme.
# * Topic 0, inspection and discipline, has its largest share in Lộc Hà's article (0.38), yet
#   notebook 04 shows that it fades when article 003 is left out, not 004. A share says how much
#   of a text the topic's words account for, not which texts shaped the topic, nor that the text
#   is about the theme: read the paragraphs.
#
# ## By province and by year

# %%
by_province = vnparty.prevalence(model, frame, by="province")
by_province.pivot(index="province", columns="topic", values="share").round(2).assign(
    articles=by_province.groupby("province")["articles"].first())

# %% [markdown]
# Only Quảng Ninh has two articles (000 and 002); the other provinces have one each, and their
# shares are those of their article.
#
# A time axis: `time_axis(frame)` says whether the dates call for years or months (years here:
# 2019 to 2024). The table by year, with its intervals:

# %%
print(vnparty.time_axis(frame))
by_year = vnparty.prevalence(model, frame, by="year")
by_year.assign(theme=[themes[t] for t in by_year["topic"]])[
    ["year", "theme", "share", "low", "high", "articles", "units"]].round(2)

# %%
plot_prevalence(by_year, by="year", title="Themes by year", labels=themes)

# %%
wide = by_year.pivot(index="year", columns="topic", values="share")
wide.columns = themes
wide.T.assign(**{"2024 − 2019": wide.loc[2024] - wide.loc[2019]}).round(2)

# %% [markdown]
# Article 001 has no date, so its paragraphs are left out of the table by year: 2019 is articles
# 000 and 002, 2024 is articles 003 and 004. Read off the table, the 2024 articles give more of
# their text to **inspection and discipline** (0.33 against 0.04) and less to **training and
# recruiting** (0.18 against 0.40) and to **Party organisations and development** (0.13 against
# 0.24) than the 2019 articles.
#
# Be cautious before reading a trend into this:
#
# * each year is **two articles** (the figure says so under each year). With two articles the
#   bootstrap can only draw one, the other or both, so an interval runs from one article's share
#   to the other's: 2019's ideology goes from 0.01 (002) to 0.23 (000). Inspection's intervals do
#   not overlap (0.02–0.05 in 2019, 0.30–0.38 in 2024); those of Party organisations do (0.19–0.30
#   and 0.06–0.23). The intervals describe these four articles, not the press of a year;
# * both 2019 articles come from one province (Quảng Ninh), so year and province cannot be told
#   apart;
# * the inspection topic takes its words from one of the two 2024 articles (003, notebook 04);
# * the weighting matters a little: with equal weights per paragraph (`weight=None`) the shares
#   move by up to 0.06, as below, and the differences between the years keep their sign.
#
# At most this suggests a question to ask of a larger corpus: did reports on Party-building turn
# from recruiting to inspection and discipline between 2019 and 2024?

# %%
equal = vnparty.prevalence(model, frame, by="year", weight=None).pivot(
    index="year", columns="topic", values="share")
equal.columns = themes
(equal - wide).T.round(2)

# %% [markdown]
# ## The Party documents each article cites
#
# Articles anchor their reports in Party documents: resolutions (*Nghị quyết*) of the Central
# Committee's plenums (*Hội nghị Trung ương*) and of congresses (*Đại hội*), directives
# (*Chỉ thị*) and conclusions (*Kết luận*). `document_references` lists those a text cites.

# %%
cited = pd.DataFrame([{"article_id": a.id, "article": short[a.id],
                       "year": str(a.date.year) if a.date else "undated", "document": d}
                      for a in articles for d in vnparty.document_references(a.text)])
cited[["article", "year", "document"]]

# %%
from vnparty.plotting import plot_documents_cited

plot_documents_cited(cited, [a.id for a in articles], labels=[short[a.id] for a in articles])

# %% [markdown]
# What to notice:
#
# * The **Resolution of the 4th plenum of the Central Committee** (*Nghị quyết Trung ương 4*,
#   *khóa XII*: of the 12th Central Committee), which, as article 001 puts it, is about
#   "building and rectifying the Party; preventing and pushing back … degradation … and signs of
#   'self-evolution' and 'self-transformation'", is cited in 2019 (000), in 2024 (003, which adds
#   the 13th Central Committee's: *khóa XII, XIII*) and by the undated 001. It ties topic 3
#   (ideology against "self-evolution") together across the years.
# * Article 001 mentions that resolution twice, in full and later shortened to *Nghị quyết Trung
#   ương 4*; `document_references` folds the bare mention into the fuller one of the same text, so
#   that resolution has one row for 001. It merges only within one text, and only a bare mention
#   into a fuller one.
# * The 2024 article from Châu Thành (003) cites *Chỉ thị 05-CT/TW* (on studying and following Hồ
#   Chí Minh's thought, ethics and style) and *Kết luận 21-KL/TW* (a conclusion of the 13th Central
#   Committee on building and rectifying the Party and the political system); the 2019 article from
#   Đầm Hà (000) cites Directive 05 as *Chỉ thị 05* (its text says *Chỉ thị số 05*, and *số*,
#   "number", is dropped), without its code, so across the two articles the two spellings count
#   as different strings. Count documents with care.
# * Article 002 cites *Nghị quyết 22-NQ/TW* (of the 10th Central Committee, on the leadership
#   capacity and fighting strength of grassroots Party organisations) and the provincial
#   *Chỉ thị 12-CT/TU* (of the provincial Party committee's standing committee) on holding the
#   congresses of Party cells in the same term as the election of village heads, which is the
#   subject of much of this article (half of its text is topic 5, with *trưởng_thôn*, village
#   head, among its top words). Articles 000 and 004 cite their district
#   Party congress resolutions (*Nghị quyết Đại hội Đảng bộ huyện*), and so does 001, by the
#   congress's term rather than its number: *Nghị quyết Đại hội Đảng bộ huyện khóa XXV*.
