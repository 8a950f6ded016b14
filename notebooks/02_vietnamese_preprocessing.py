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
# # Vietnamese preprocessing, step by step
#
# Topic models count words, so everything depends on what counts as *one word*. Vietnamese writes
# a space between syllables, not between words: *cấp ủy* (Party committee) is one word of two
# syllables, *tổ chức cơ sở đảng* (grassroots Party organisation) one word of five. This notebook
# follows a text through the steps of `vnparty.preprocess` and shows what each one changes on the
# bundled articles:
#
# 1. **normalise** Unicode, the letter Đ and the two tone-mark styles;
# 2. **segment** into words, with the Party-domain lexicon;
# 3. keep **abbreviations, Party documents and numbers** whole;
# 4. remove **stopwords**, layer by layer.

# %%
# %matplotlib inline
import pandas as pd
import vnparty

pd.set_option("display.width", 120)
pd.set_option("display.max_colwidth", 70)
pd.set_option("display.precision", 3)

# %% [markdown]
# ## 1. Normalisation
#
# Vietnamese has two ways of placing the tone mark on the open syllables *oa, oe, uy*: *hoá* or
# *hóa* ("-isation"), *uỷ* or *ủy* (committee). Both are correct, both occur in one newspaper, and a
# computer sees two different words. `normalize_text` puts every text in one style (the "new" one
# by default, `tone_style="old"` for the other). It never removes a tone mark: *Đảng* (the Party)
# and *đang* ("currently") must stay apart. *Quý* and *giá* do not change: there *qu* and *gi* are
# consonants, and the tone belongs on the vowel after them.

# %%
examples = ["nhất thể hoá cấp uỷ", "khoẻ mạnh, thuỷ lợi", "quý giá", "Đảng đang", "Ðảng ủy"]
pd.DataFrame({"as written": examples,
              "normalize_text": [vnparty.normalize_text(t) for t in examples],
              'tone_style="old"': [vnparty.normalize_text(t, tone_style="old") for t in examples]})

# %% [markdown]
# The last example looks unchanged but is not: its first letter was *Ð* (U+00D0, Icelandic eth),
# which bad keyboards and OCR produce instead of *Đ* (U+0110). They look alike and are different
# characters, so "Ðảng" and "Đảng" would be two words:

# %%
for text in ["Ðảng", vnparty.normalize_text("Ðảng")]:
    print(text, [f"U+{ord(c):04X}" for c in text])

# %% [markdown]
# The bundled articles do mix the two styles. One sentence of the raw text of article 002 writes
# *cấp uỷ* and *cấp ủy viên* side by side; without normalisation they would be counted as
# different words:

# %%
raw = (vnparty.bundled_data_path() / "articles" / "002_4797cb63a39759b1.txt").read_text(encoding="utf-8")
sentence = next(s for s in raw.split(". ") if "cấp uỷ" in s)
print(sentence[sentence.index("cán bộ các ban"):][:70])
print(vnparty.normalize_text(sentence[sentence.index("cán bộ các ban"):][:70]))

# %% [markdown]
# ## 2. Word segmentation, with and without the lexicon
#
# vnparty segments with [pyvi](https://pypi.org/project/pyvi/)'s statistical segmenter, then
# repairs its output for this press with a lexicon of Party terms. Below, the same sentences three
# ways: plain `pyvi.ViTokenizer.tokenize`, `vnparty.segment` with an empty lexicon
# (`vnparty.Lexicon()`), and `vnparty.segment` with the bundled lexicon (the default).

# %%
from pyvi import ViTokenizer

sentences = [
    "Huyện ủy ban hành Nghị quyết số 22-NQ/TW về nâng cao năng lực lãnh đạo và sức chiến đấu của tổ chức cơ sở đảng.",
    "Ban Thường vụ phân công cấp ủy viên dự sinh hoạt chi bộ, phòng chống “tự diễn biến”, “tự chuyển hóa”.",
]
for s in sentences:
    print("pyvi          :", ViTokenizer.tokenize(s))
    print("no lexicon    :", " ".join(vnparty.segment(s, lexicon=vnparty.Lexicon())))
    print("with lexicon  :", " ".join(vnparty.segment(s)))
    print()

# %% [markdown]
# What to notice:
#
# * pyvi leaves *Huyện ủy* (district Party committee) in two pieces; with the lexicon it becomes
#   `Huyện_ủy ban_hành` (the district Party committee issued).
# * Without the lexicon *cấp ủy viên* (member of a Party committee), *nâng cao* (raise),
#   *sức chiến đấu* (fighting strength) and *tự diễn biến* ("self-evolution") fall apart into
#   syllables that mean something else on their own (*cấp*, level; *cao*, high; *sức*, strength;
#   *tự*, self).
# * pyvi cuts *22-NQ/TW* into five tokens; vnparty keeps the reference to a Party document whole,
#   with or without the lexicon.
# * `segment` never drops anything: punctuation stays, as its own token, and casing is kept.
#   Dropping happens later, in `preprocess`.
#
# Segmentation comes after normalisation for a reason. In the old spelling, *Huyện uỷ ban hành*,
# pyvi glues all four syllables into one "word", and the lexicon knows *huyện ủy* only in its
# normalised key:

# %%
s = "Huyện uỷ ban hành nghị quyết"
print("pyvi                 :", ViTokenizer.tokenize(s))
print("no lexicon           :", vnparty.segment(s, lexicon=vnparty.Lexicon()))
print("normalised + lexicon :", vnparty.segment(vnparty.normalize_text(s)))

# %% [markdown]
# The lexicon has English glosses, and you can add your own terms:

# %%
lexicon = vnparty.default_lexicon()
print(len(lexicon.terms), "terms and", len(lexicon.abbreviations), "abbreviations")
for word in ["cấp_ủy", "tự_diễn_biến", "sức_chiến_đấu", "MTTQ"]:
    print(f"{word:15} {lexicon.gloss(word)}")

mine = lexicon.with_terms({"giao ước thi đua": "emulation pledge"})
s = "Ký kết giao ước thi đua xây dựng chi bộ bốn tốt"
print(vnparty.segment(s))
print(vnparty.segment(s, lexicon=mine))

# %% [markdown]
# ## 3. Abbreviations, Party documents and numbers
#
# Abbreviations such as *KT-XH* (kinh tế - xã hội, socio-economic), *MTTQ* (Mặt trận Tổ quốc,
# Fatherland Front) or *TP.HCM* (thành phố Hồ Chí Minh, Ho Chi Minh City) stay one token;
# `preprocess` then replaces them by the words they stand for, so that *KT-XH* and
# *kinh tế - xã hội* count as one feature.

# %%
s = "Phát triển KT-XH gắn với xây dựng Đảng; MTTQ và các đoàn thể CT-XH ở TP.HCM tham gia giám sát."
words = vnparty.segment(s)
print(words)
print([lexicon.expand(w) for w in words])
print(vnparty.Preprocessor()(s))

# %% [markdown]
# Articles cite Party documents constantly: resolutions (*Nghị quyết*), directives (*Chỉ thị*),
# conclusions (*Kết luận*). `document_references` lists the ones a text cites, in order of first
# mention, each once. It drops the word *số* ("number"), so that article 000's *Chỉ thị số 05* is
# listed as *Chỉ thị 05*, and it folds a bare mention into a fuller one of the same text:
# article 001 cites *Nghị quyết Trung ương 4 (khóa XII)* (of the 12th Central Committee) and
# later, shortened, *Nghị quyết Trung ương 4*, and the list holds that resolution once:

# %%
articles = vnparty.load_articles()
for a in articles:
    print(a.id[:3], vnparty.document_references(a.text))

# %% [markdown]
# Numbers are written the Vietnamese way: "." groups thousands and "," marks decimals, so
# *2.114 đảng viên* is two thousand one hundred and fourteen Party members, and *99,74%* is a
# percentage. Python's `float("2.114")` would read the first as 2.114. `parse_number` reads them
# correctly (and returns `None` for what is not a plain number, such as a date or a ratio), and
# `segment` keeps each number one token:

# %%
for token in ["2.114", "36.403", "99,74%", "2020", "1.561/1.565", "29/11/2019"]:
    print(f"{token:12} parse_number → {vnparty.parse_number(token)!r:8} is_number → {vnparty.is_number(token)}")
print(vnparty.segment("Năm 2023 kết nạp 2.114 đảng viên, đạt 99,74% kế hoạch."))

# %% [markdown]
# ## 4. Stopwords, layer by layer
#
# Stopwords are removed in layers, and each layer can be audited:
#
# * **generic**: the Vietnamese list of the `stop-words` package (function words: *các, của, và*);
# * **protected**: words of that list that carry meaning in this press, kept (see the pitfall below);
# * **domain**: boilerplate of Party-building news (*công tác*, "work on"; *thực hiện*, carry out;
#   *huyện*, district), and numbers spelled out in words (*hai, ba, …*, two, three, …);
# * **corpus**: words found in more than half of a corpus's documents, learned by
#   `Preprocessor.fit` (never a lexicon term);
# * **name**: people's names (*Hà Văn Hùng*), which vnparty finds before lower-casing and keeps as
#   one token in capitals (`Hà_Văn_Hùng`), so that this layer can remove them; *Hồ Chí Minh* is
#   kept;
# * **articles**: when `fit` is told which article each paragraph comes from (`groups`), the words
#   found in only one article (never a lexicon term): a district's name, a person's given name.

# %%
stopwords = vnparty.Stopwords()
print(stopwords)
for word in ["của", "huyện", "cấp", "cấp_ủy", "xây_dựng"]:
    print(f"{word:10} → {stopwords.layer(word)}")

# %% [markdown]
# `Preprocessor().candidates(text)` gives the words of a text *before* stopwords are removed, and
# `Stopwords.report` counts what each layer removes from them. On the 46 paragraphs of the bundled
# articles:

# %%
paragraphs = vnparty.split_units(articles)
texts = [u.text for u in paragraphs]
candidates = [vnparty.Preprocessor().candidates(t) for t in texts]
report = stopwords.report(candidates)
print(sum(map(len, candidates)), "candidate words,", report["count"].sum(), "removed")
report.groupby("layer").agg(words=("word", "size"), removed=("count", "sum"))

# %%
report.groupby("layer").head(6).sort_values(["layer", "count"], ascending=[True, False])

# %% [markdown]
# Notice that the generic layer removes function words (*các, của, và, trong, đã*), while the
# domain layer removes words that are content words elsewhere but boilerplate here: nearly every
# paragraph does *công tác* (work) and *thực hiện* (carries out) something in a *huyện*
# (district). The name layer removes people's names, such as the provincial propaganda chief
# *Hà Văn Hùng* and the district Party secretary *Lê Phước Dũng*. `person_names` and
# `place_names` list the people and places one text names (here Lộc Hà's article):

# %%
loc_ha = articles[4]
print(vnparty.person_names(loc_ha.text))
print(vnparty.place_names(loc_ha.text))

# %% [markdown]
# A `Preprocessor` fitted on at least 20 documents (`min_documents`) learns the corpus layer,
# `stopwords_`: the words in more than half (`max_df=0.5`) of the documents. Given `groups`, the
# article of each paragraph, it also learns the articles layer.

# %%
fitted = vnparty.Preprocessor(progress=False).fit(texts, groups=[u.article_id for u in paragraphs])
print(fitted.stopwords_)
print(sorted(fitted.stopwords_.corpus))
print({w: fitted.stopwords_.layer(w) for w in sorted(fitted.stopwords_.corpus)})

# %% [markdown]
# Most of these frequent words were already removed by an earlier layer; `layer` names the first
# layer that removes a word. The corpus layer adds one word of its own here, *xây_dựng* (to build):
# in articles about *xây dựng Đảng* it is everywhere, and tells topics apart no better than *và*.
# With fewer than 20 documents the corpus layer stays empty, because document frequency means
# little on a handful of texts.
#
# The articles layer is large on five articles: every word that only one of them uses. Among the
# most frequent are the districts' own names:

# %%
single = fitted.stopwords_.report(candidates).query("layer == 'articles'")
print(len(single), "words,", single["count"].sum(), "removed")
single.head(8)

# %% [markdown]
# *Lộc Hà* and *Đầm Hà* occur in six paragraphs each, all of one article: kept, they would make a
# topic of that article. The layer also takes words a theme could use, such as *tham_mưu* (to
# advise) and *thi_hành* (to implement), because only one of these five articles uses them; in a
# larger corpus more articles share such words, and the layer keeps them.
# `Preprocessor(min_articles=...)` sets the rule (2 by default: a word must be in two articles).
#
# ## The pitfall: generic lists delete meaning
#
# The generic list holds *bác*, *tự*, *cấp* and *cao*. In everyday text they are "uncle",
# "self", "level" and "high"; in this press they are *Bác* (Uncle Hồ, Hồ Chí Minh), the *tự* of
# *tự diễn biến* ("self-evolution"), the *cấp* of *cấp ủy* (Party committee) and the *cao* of
# *nâng cao* (raise). These four words are exactly vnparty's protected layer:

# %%
print({w: w in stopwords.generic for w in ["bác", "tự", "cấp", "cao"]})
print(sorted(stopwords.protected))

# %% [markdown]
# Take a pipeline as one might build it from common parts: segment without the Party lexicon and
# remove the generic list as it is (`Stopwords(protected=[])`). Compare its features with
# vnparty's on one sentence, and on the whole corpus:

# %%
naive = vnparty.Preprocessor(lexicon=vnparty.Lexicon(), stopwords=vnparty.Stopwords(protected=[]),
                             progress=False)
s = "Cấp ủy nâng cao sức chiến đấu, phòng chống tự diễn biến, học tập và làm theo Bác."
print("naive  :", naive(s))
print("vnparty:", vnparty.Preprocessor()(s))

# %%
from collections import Counter

naive_counts = Counter(w for doc in naive.fit_transform(texts) for w in doc)
vnparty_counts = Counter(w for doc in vnparty.preprocess(texts, progress=False) for w in doc)
words = ["ủy", "sức", "chiến_đấu", "diễn_biến", "cấp_ủy", "nâng_cao", "sức_chiến_đấu", "tự_diễn_biến"]
pd.DataFrame({"naive": [naive_counts[w] for w in words],
              "vnparty": [vnparty_counts[w] for w in words]}, index=words)

# %% [markdown]
# The naive pipeline leaves a bare *ủy* (a fragment that means nothing alone) 25 times, mostly
# from *cấp ủy* whose *cấp* the generic list removed; it splits *sức chiến đấu* and
# *tự diễn biến* into pieces that no longer name the idea, and it drops *Bác* (Hồ Chí Minh).
# Its corpus layer makes things worse: without the lexicon no term is kept out of it, so the
# words found in more than half of the paragraphs go, *đảng* (the Party) and *đảng_viên* (Party
# member) among them, and *nâng*, the orphaned half of *nâng cao*:

# %%
print(sorted(naive.stopwords_.corpus))
print(sorted(fitted.stopwords_.corpus))

# %% [markdown]
# Topics built on such features put fragments at the top, or lose the Party altogether. vnparty
# keeps the terms whole and out of the corpus layer, so a topic can be read off its top words.
#
#
# ## Summary
#
# `vnparty.preprocess(texts)` runs all of this with the defaults. Every step is an argument of
# `vnparty.Preprocessor` (`tone_style`, `lexicon`, `segmenter`, `stopwords`, `max_df`, …), so
# you can change one step without touching the others (`min_articles` for the articles layer).
