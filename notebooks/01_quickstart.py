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
# # Quickstart: the themes of five articles on Party-building
#
# This notebook takes the five newspaper articles bundled with vnparty from raw text to six topics,
# and names them. The articles are reports by district and provincial newspapers about
# *xây dựng Đảng* (Party-building): how local Party committees educate, recruit, organise and
# discipline their members. Everything runs offline in a few seconds, and gives the same numbers
# every time: every step is deterministic and the model is fitted with a fixed seed.
#
# Words that come back throughout:
#
# | Vietnamese | English |
# |---|---|
# | Đảng, đảng viên | the (Communist) Party, Party member |
# | chi bộ, sinh hoạt chi bộ | Party cell (the smallest unit of the Party), Party cell meeting |
# | cấp ủy | Party committee (at any level) |
# | Huyện ủy, Tỉnh ủy | district / provincial Party committee |
# | đảng bộ | Party organisation of a level or unit (a district's, a commune's) |
# | tổ chức cơ sở đảng | grassroots Party organisation |

# %%
# %matplotlib inline
import pandas as pd
import vnparty

pd.set_option("display.width", 120)
pd.set_option("display.max_colwidth", 70)
pd.set_option("display.precision", 3)

# %% [markdown]
# ## The articles
#
# `load_articles()` reads the bundled raw texts and cleans them: comment widgets, "related news"
# boxes, datelines and paragraphs printed twice are dropped, and every text is put in one Unicode
# and tone-mark form. Each `Article` has an id, a title, a date (`None` when the text gives none),
# the newspaper, province, district and its paragraphs.

# %%
articles = vnparty.load_articles()
pd.DataFrame([{"id": a.id[:3], "date": a.date, "province": a.province, "district": a.district,
               "paragraphs": len(a.paragraphs), "title": a.title[:48]} for a in articles])

# %% [markdown]
# Notice how small this corpus is: five articles, two from 2019 (both from Quảng Ninh), two from
# 2024, and one without a date. Five documents are too few for a topic model, so we model
# **paragraphs**: each paragraph is one document.
#
# ## From paragraphs to features
#
# `preprocess` turns each text into a list of features: it normalises the text, segments it into
# words (the syllables of one word are joined by `_`: `cấp_ủy`, `tự_diễn_biến`), lower-cases,
# and drops punctuation, numbers and stopwords. Notebook 02 opens each of these steps.

# %%
units = vnparty.split_units(articles, unit="paragraph")
tokens = vnparty.preprocess([u.text for u in units], groups=[u.article_id for u in units],
                            progress=False)
print(len(units), "paragraphs,", sum(map(len, tokens)), "features in all")
print()
print(units[0].text)
print()
print(tokens[0])

# %% [markdown]
# Notice what survives in the features of this first paragraph: multi-syllable terms such as
# `tổ_chức_đảng` (Party organisation), `đảng_bộ` (here the district's Party organisation) and
# `kinh_tế_-_xã_hội` (socio-economic) stay whole, while function words (*các*, *của*, *và*), the
# boilerplate of this press (*công tác*, "work on …"; *huyện*, district) and *xây dựng* (to build:
# it is in most paragraphs of articles about Party-*building*) are gone. So is the district's name,
# *Đầm Hà*: `groups` tells `preprocess` which article each paragraph comes from, and words found in
# only one article (its places, its people) are removed, because they would pull a topic towards
# that article rather than a theme. People's names are always removed. Notebook 02 shows these
# layers.
#
# ## Six topics with NMF
#
# `fit_nmf` factorises the TF-IDF matrix of the paragraphs into `k` topics. With the same tokens
# and the same `seed` it returns the same model on every run. Notebook 04 explains why k = 6.

# %%
model = vnparty.fit_nmf(tokens, k=6, seed=0)
model

# %%
for topic, label in enumerate(vnparty.topic_labels(model, n=3)):
    print(topic, label)

# %% [markdown]
# `topic_labels` writes the three best words of each topic with the English gloss of vnparty's
# Party-domain lexicon; words the lexicon does not know (*đổi_mới*, to renew; *dự*, to attend;
# *biểu_hiện*, signs/manifestations; *bồi_dưỡng*, to train) carry no gloss. `topic_table` gives
# more words and each topic's share of the corpus (its mean share over the paragraphs).

# %%
vnparty.topic_table(model, n=8)[["topic", "top_words", "share"]]

# %%
from vnparty.plotting import plot_top_words

top, weights = model.top_words(10), model.top_weights(10)   # weights in the same order
lexicon = vnparty.default_lexicon()
glosses = {w: lexicon.gloss(w) for words in top for w in words if lexicon.gloss(w)}
fig = plot_top_words(top, weights, glosses=glosses)
fig

# %% [markdown]
# ## Read before you name
#
# Top words alone can mislead, so read the two paragraphs that each topic describes best
# (`representative_units`, used again in notebook 03) before naming it. By default it passes over
# paragraphs of fewer than 10 features (`min_tokens`), such as photo captions: a handful of words
# can give a paragraph a share near 1 without telling much.

# %%
frame = vnparty.unit_frame(units, articles, tokens)
best = vnparty.representative_units(model, frame, n=2, excerpt=130)
for row in best.itertuples():
    print(f"topic {row.topic} (article {row.article_id[:3]}, paragraph {row.unit_index}, "
          f"share {row.share:.2f}):\n  {row.excerpt}\n")

# %% [markdown]
# ## The six themes, in plain English
#
# | topic | theme | what gives it away |
# |---|---|---|
# | 0 | **Inspection and discipline** | *kiểm tra, giám sát, kỷ luật* (inspection, supervision, discipline), *đấu tranh* (struggle) and *tham nhũng* (corruption); its paragraphs report inspections and the fight against corruption |
# | 1 | **Party cell meetings** | *sinh hoạt chi bộ* (Party cell meeting), committee members assigned (*phân công*) to attend (*dự*) them and pass on *thông tin* (information) from above, *thôn* (hamlet) |
# | 2 | **Strengthening Party organisations for development** | *phát triển* (development), *giải pháp* (solutions), *quyết liệt* (resolute), *kinh tế - xã hội* (socio-economic), the *sức chiến đấu* (fighting strength) of *tổ chức đảng* and *đảng bộ*; its best paragraphs open and close the Đầm Hà article |
# | 3 | **Political and ideological education against "self-evolution" and "self-transformation"** | *tư tưởng, đạo đức, lối sống* (ideology, ethics, lifestyle), *suy thoái* (degradation), *tự diễn biến, tự chuyển hóa*, the example of *Hồ Chí Minh* |
# | 4 | **The "four-good" emulation** | *chi bộ bốn tốt, đảng bộ cơ sở bốn tốt* ("four-good" Party cell and grassroots Party organisation, emulation titles), *thi đua* (emulation), *phong trào* (movement) |
# | 5 | **Training and recruiting members, and village heads** | *bồi dưỡng* (training), *nghiệp vụ* (professional skills), *đội ngũ* (the body of cadres), *kết nạp* (admitting new members), *trưởng thôn* (village head) |
#
# Two things to notice. Topic 4 is small (a share of 0.06) and comes mostly from one article,
# Châu Thành's (003), whose emulation pledge names the two "four-good" titles; they are terms of
# vnparty's lexicon, which the one-article rule keeps. Its second-best paragraph has a share of
# only 0.27, and notebook 04 shows that the topic disappears without that article. And with
# `min_tokens=0` (nothing passed over), topic 1's best paragraph would be a photo caption of three
# features, *Thôn Văn Bắc, xã Đông Văn - thôn nông thôn mới kiểu mẫu ở
# huyện Đông Sơn* ("Văn Bắc hamlet, Đông Văn commune, a model new-style rural hamlet of Đông Sơn
# district"), with a share of 1.00 and nothing in it about Party cell meetings.
#
# Next: notebook 02 opens the preprocessing, 03 compares LDA with NMF, 04 asks why k = 6,
# 05 follows the themes across articles, provinces and years, 06 runs the same analysis on a
# corpus of your own, and 07 starts from a codebook of named themes instead.
