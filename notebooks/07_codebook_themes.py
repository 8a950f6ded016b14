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
# # Theory-driven themes: a codebook of Party-building work
#
# The models of notebooks 01–05 are *unsupervised*: they find whatever themes the words suggest, and
# we name them afterwards. A researcher often starts from the other end, with themes that a theory
# or the sources themselves name, and asks how much of each text is about each of them.
#
# The Party names the branches of its own Party-building work in its resolutions: building the Party
# *"về chính trị, tư tưởng, đạo đức, tổ chức và cán bộ"* (politically, ideologically, ethically,
# organisationally and in cadre work; Văn kiện Đại hội XIII, 2021), with inspection and discipline,
# mass mobilisation (*dân vận*) and the fight against corruption as further tasks. vnparty ships
# these eight themes as a **codebook**: each theme has a name, an English gloss, the document it
# comes from and a few **seed words**.
#
# `fit_seeded` fits LDA whose first topics are the codebook's themes, in its order, with free topics
# after them for what the codebook misses. A seed word gets a higher prior in its theme (the design
# of the seededlda and keyATM packages for R), so the sampler starts each theme from its seed words
# and gathers the words that go with them in this corpus.

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

# %% [markdown]
# ## The codebook
#
# The bundled codebook is a plain tab-separated file, `codebook.tsv` in vnparty's `resources`
# folder (`vnparty.bundled_codebook_path()` gives its path). `default_codebook()` reads it.

# %%
codebook = vnparty.default_codebook()
for theme in codebook:
    print(f"{theme.name}: {theme.gloss}\n    source: {theme.source}\n    "
          f"{len(theme.seed_words)} seed words: {' '.join(theme.seed_words[:6])} …")

# %% [markdown]
# ## Audit the codebook first
#
# Seed words only help if they occur. `codebook_audit` counts each seed word in the token lists
# (`tokens`: occurrences, `documents`: paragraphs that have it) and warns about seed words that never
# occur, themes none of whose seed words occurs, and seed words listed under two themes (which
# `fit_seeded` refuses). The warnings are caught and printed here so that you can read them.

# %%
import warnings

with warnings.catch_warnings(record=True) as caught:
    warnings.simplefilter("always")
    audit = vnparty.codebook_audit(codebook, tokens)
for warning in caught:
    print("warning:", warning.message)

audit.groupby("theme", sort=False).agg(
    seed_words=("seed_word", "size"), occurring=("tokens", lambda n: int((n > 0).sum())),
    occurrences=("tokens", "sum"))

# %% [markdown]
# Thirteen seed words are not among the features. Six never occur in these five articles: the
# words for appointing, planning and rotating cadres (*bổ_nhiệm*, *quy_hoạch*, *luân_chuyển*), the
# Party's line (*đường_lối*), the inspection commission (*ủy_ban_kiểm_tra*) and asset declarations
# (*kê_khai*). The other seven (*đào_tạo*, to train; *vi_phạm*, violation; *dân_chủ*, democracy;
# *tiết_kiệm*, thrift; …) occur in one article only, and the articles layer of notebook 02 removed
# them. They stay in the codebook: they are the documents' own words and a larger corpus will
# have them. Every theme has at least four seed words that do occur. The theme with the least
# evidence is anti-corruption: 20 occurrences of its seed words in all.
#
# ## Fit
#
# With the bundled codebook (`codebook=None`) and `k_free=2` free topics, the model has ten topics:
# the eight themes, then "free 0" and "free 1". `model.topic_names` names them. Below, the seed
# words among each topic's top words are in capitals.

# %%
model = vnparty.fit_seeded(tokens, seed=0)
print(model, "\n")
seeds = {t.name: set(t.seed_words) for t in codebook}
for name, words in zip(model.topic_names, model.top_words(7)):
    print(f"{name:24}", " ".join(w.upper() if w in seeds.get(name, ()) else w for w in words))

# %% [markdown]
# What to notice:
#
# * Every theme has seed words at the top, and next to them words the codebook did not give:
#   *kế_hoạch*, *chỉ_thị* and *chỉ_đạo* (plan, directive, to direct) with ideological work,
#   *lớp* and *nghiệp_vụ* (class, professional skills) with cadre work, *bộ_máy* and *chặt_chẽ*
#   (apparatus, tight) with inspection.
# * The two free topics hold what the codebook does not cover: "free 0" the village heads and
#   Party cell secretaries of Quảng Ninh (*trưởng_thôn*, *bí_thư_chi_bộ*), "free 1" the words of
#   every article (*đảng_viên*, *đảng*, *nâng_cao*, *đảng_bộ*). A free topic of general words
#   keeps them out of the themes.
# * A theme can also take in one event: anti-corruption has only two of its seed words in its top
#   seven, next to *xây_dựng_đảng*, *huyện_ủy* and *tỉnh_ủy*, and further down *điều_lệ_đảng* and
#   *hội_nghị*: the words of Lộc Hà's conference on the Party Statutes, whose report also speaks
#   of fighting corruption. Read the paragraphs of a theme before trusting it
#   (`representative_units`, notebook 01).
# * A seed word can end up elsewhere when the corpus says so: *bí_thư_chi_bộ* (Party cell
#   secretary) is a seed word of organisational work but ranks higher in "free 0" (sixth) than in
#   its own theme (twelfth). The seed priors steer the sampling; the top words are what the
#   sampler put in each topic.
#
# ## Codebook themes against unsupervised topics
#
# Does an unsupervised model find these themes by itself? Fit LDA with as many topics (k = 10, the
# same sampler, the same seed), and compare each codebook theme with each LDA topic by the cosine
# similarity of their word distributions (`align_models`).

# %%
from vnparty.plotting import plot_heatmap

lda = vnparty.fit_lda(tokens, k=model.k, seed=0)
lda_labels = [f"{t}: {', '.join(words)}" for t, words in enumerate(lda.top_words(2))]
similarity = vnparty.align_models(model, lda).attrs["similarity"]
plot_heatmap(similarity, model.topic_names, [str(t) for t in range(lda.k)],
             title="Cosine similarity: codebook themes × LDA topics", xlabel="LDA topic")

# %%
for label in lda_labels:
    print(label)

# %% [markdown]
# Inspection and discipline (LDA topic 9, *kiểm_tra, giám_sát*: a similarity of 0.76), ethics
# (0: 0.69), ideological work (6, *nghị_quyết*: 0.67) and organisational work (3: 0.50) each have
# an LDA topic that resembles them: the unsupervised model finds these themes without being told.
# The other four are different:
#
# * cadre work is closest to LDA topic 1 (0.44), which mixes *cán_bộ* with the words of every
#   article (it is the twin of "free 1", 0.80);
# * mass mobilisation (2, *dân, lắng_nghe*: 0.42) and political building (7, *phát_huy, chỉ_đạo*:
#   0.40) half resemble one LDA topic each;
# * anti-corruption resembles no LDA topic (0.31 at most, with the resolutions topic 6, and 0.29
#   with inspection): left to itself, LDA spreads its words over other topics, and only the
#   codebook pulls them together.
#
# ## Article by article
#
# `article_shares` sums each model's paragraph shares per article (weighted by length).
# `plot_codebook_comparison` puts the two side by side, one row per article, on one colour scale.

# %%
from vnparty.plotting import plot_codebook_comparison

frame = vnparty.unit_frame(units, articles, tokens)
names = [f"{a.id[:3]} {a.district or a.province}" for a in articles]
plot_codebook_comparison(vnparty.article_shares(model, frame), vnparty.article_shares(lda, frame),
                         seeded_labels=model.topic_names, unsupervised_labels=lda_labels,
                         article_labels=names)

# %% [markdown]
# Read the left panel row by row: the codebook gives every article a profile on the same eight named
# themes, which makes the articles comparable. Đầm Hà (000, 0.20) and Lộc Hà (004, 0.15) give the
# most to ideological work, and Lộc Hà by far the most to anti-corruption (0.22, its conference,
# as above); article 002 (Quảng Ninh) gives the most to "free 0" (0.30, its village heads);
# Châu Thành (003) the most to political building (0.13) and cadre work (0.12). The general words
# of "free 1" take 0.26 to 0.42 of every article. On the right, the unsupervised topics draw their
# own lines: LDA's topic of general words (1) takes 0.27 to 0.34 of every article, and its
# resolutions topic (6) is largest in Lộc Hà's article (0.23).
#
# ## Your own codebook
#
# Copy the bundled file, edit it in a text editor or a spreadsheet (save as tab-separated UTF-8:
# columns `theme`, `gloss`, `source`, `seed_words`; seed words are tokens as `preprocess` writes
# them, separated by spaces), audit it, and pass its path: `vnparty.fit_seeded(tokens,
# codebook="my_codebook.tsv")`. A line in the wrong format is an error that names the line. For a
# quick try, a mapping works too:

# %%
mine = {"inspection": ["kiểm_tra", "giám_sát", "kỷ_luật"],
        "Party cells": ["chi_bộ", "sinh_hoạt_chi_bộ", "bí_thư_chi_bộ"]}
small = vnparty.fit_seeded(tokens, mine, k_free=4, seed=0)
for name, words in zip(small.topic_names, small.top_words(6)):
    print(f"{name:12}", " ".join(words))

# %% [markdown]
# Things to keep in mind:
#
# * **Seeding names themes; it does not find them better.** On news with known categories
#   (`benchmarks/RESULTS_seeded.md`), themes seeded with five or six words per category match the
#   categories about as well as unsupervised LDA topics do after the best matching to the
#   categories, no better. What the codebook adds is that each theme has its name from the start,
#   whatever the seed; on a corpus as small as this one, the words a theme gathers beyond its seed
#   words still change from seed to seed.
# * **Free topics matter.** Without them, general words and themes the codebook misses are forced
#   into the named themes. `k_free=2` is the default.
# * **Seed words in two themes are refused**: which theme a word belongs to is a decision for the
#   researcher, and `codebook_audit` lists every such word.
# * `seed_weight` (default 1: a seed word's prior in its theme is raised by its count in the
#   corpus, seededlda's default) sets how hard the seeds pull; on the news benchmark 0.3 to 3 gave
#   about the same, 10 made things worse.
