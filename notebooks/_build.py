"""Write the tutorial notebooks from the cells below and execute them in place, outputs included.

    python notebooks/_build.py                 # all notebooks
    python notebooks/_build.py 03 05           # only those whose name starts so

The notebooks are committed with their outputs; tests/test_notebooks.py runs them again and fails
when a committed text output differs from a fresh run. After changing the library or a cell, run
this script and commit the .ipynb files. Each notebook runs in the kernel of this interpreter
(``sys.executable``), with notebooks/ as its working directory.
"""

from __future__ import annotations

import json
import sys
import tempfile
import time
from pathlib import Path

import nbformat
from jupyter_client.kernelspec import KernelSpecManager
from jupyter_client.manager import AsyncKernelManager
from nbclient import NotebookClient

HERE = Path(__file__).resolve().parent
KERNELSPEC = {"name": "python3", "display_name": "Python 3 (ipykernel)", "language": "python"}

SETUP = '''\
%matplotlib inline
import pandas as pd
import vnparty

pd.set_option("display.width", 120)
pd.set_option("display.max_colwidth", 70)
pd.set_option("display.precision", 3)'''

LOAD = '''\
articles = vnparty.load_articles()
units = vnparty.split_units(articles, unit="paragraph")
tokens = vnparty.preprocess([u.text for u in units], groups=[u.article_id for u in units],
                            progress=False)
print(f"{len(articles)} articles, {len(units)} paragraphs, {sum(map(len, tokens))} features")'''


def md(text: str):
    return nbformat.v4.new_markdown_cell(text.strip("\n"))


def code(text: str):
    return nbformat.v4.new_code_cell(text.strip("\n"))


# --------------------------------------------------------------------------------------------
NB01 = [md('''
# Quickstart: the themes of five articles on Party-building

This notebook takes the five newspaper articles bundled with vnparty from raw text to six topics,
and names them. The articles are reports by district and provincial newspapers about
*xây dựng Đảng* (Party-building): how local Party committees educate, recruit, organise and
discipline their members. Everything runs offline in a few seconds, and gives the same numbers
every time: every step is deterministic and the model is fitted with a fixed seed.

Words that come back throughout:

| Vietnamese | English |
|---|---|
| Đảng, đảng viên | the (Communist) Party, Party member |
| chi bộ, sinh hoạt chi bộ | Party cell (the smallest unit of the Party), Party cell meeting |
| cấp ủy | Party committee (at any level) |
| Huyện ủy, Tỉnh ủy | district / provincial Party committee |
| đảng bộ | Party organisation of a level or unit (a district's, a commune's) |
| tổ chức cơ sở đảng | grassroots Party organisation |
'''), code(SETUP), md('''
## The articles

`load_articles()` reads the bundled raw texts and cleans them: comment widgets, "related news"
boxes, datelines and paragraphs printed twice are dropped, and every text is put in one Unicode
and tone-mark form. Each `Article` has an id, a title, a date (`None` when the text gives none),
the newspaper, province, district and its paragraphs.
'''), code('''
articles = vnparty.load_articles()
pd.DataFrame([{"id": a.id[:3], "date": a.date, "province": a.province, "district": a.district,
               "paragraphs": len(a.paragraphs), "title": a.title[:48]} for a in articles])
'''), md('''
Notice how small this corpus is: five articles, two from 2019 (both from Quảng Ninh), two from
2024, and one without a date. Five documents are too few for a topic model, so we model
**paragraphs**: each paragraph is one document.

## From paragraphs to features

`preprocess` turns each text into a list of features: it normalises the text, segments it into
words (the syllables of one word are joined by `_`: `cấp_ủy`, `tự_diễn_biến`), lower-cases,
and drops punctuation, numbers and stopwords. Notebook 02 opens each of these steps.
'''), code('''
units = vnparty.split_units(articles, unit="paragraph")
tokens = vnparty.preprocess([u.text for u in units], groups=[u.article_id for u in units],
                            progress=False)
print(len(units), "paragraphs,", sum(map(len, tokens)), "features in all")
print()
print(units[0].text)
print()
print(tokens[0])
'''), md('''
Notice what survives in the features of this first paragraph: multi-syllable terms such as
`tổ_chức_đảng` (Party organisation), `đảng_bộ` (here the district's Party organisation) and
`kinh_tế_-_xã_hội` (socio-economic) stay whole, while function words (*các*, *của*, *và*), the
boilerplate of this press (*công tác*, "work on …"; *huyện*, district) and *xây dựng* (to build:
it is in most paragraphs of articles about Party-*building*) are gone. So is the district's name,
*Đầm Hà*: `groups` tells `preprocess` which article each paragraph comes from, and words found in
only one article (its places, its people) are removed, because they would pull a topic towards
that article rather than a theme. People's names are always removed. Notebook 02 shows these
layers.

## Six topics with NMF

`fit_nmf` factorises the TF-IDF matrix of the paragraphs into `k` topics. With the same tokens
and the same `seed` it returns the same model on every run. Notebook 04 explains why k = 6.
'''), code('''
model = vnparty.fit_nmf(tokens, k=6, seed=0)
model
'''), code('''
for topic, label in enumerate(vnparty.topic_labels(model, n=3)):
    print(topic, label)
'''), md('''
`topic_labels` writes the three best words of each topic with the English gloss of vnparty's
Party-domain lexicon; words the lexicon does not know (*đổi_mới*, to renew; *dự*, to attend;
*biểu_hiện*, signs/manifestations; *bồi_dưỡng*, to train) carry no gloss. `topic_table` gives
more words and each topic's share of the corpus (its mean share over the paragraphs).
'''), code('''
vnparty.topic_table(model, n=8)[["topic", "top_words", "share"]]
'''), code('''
from vnparty.plotting import plot_top_words

top, weights = model.top_words(10), model.top_weights(10)   # weights in the same order
lexicon = vnparty.default_lexicon()
glosses = {w: lexicon.gloss(w) for words in top for w in words if lexicon.gloss(w)}
fig = plot_top_words(top, weights, glosses=glosses)
fig
'''), md('''
## Read before you name

Top words alone can mislead, so read the two paragraphs that each topic describes best
(`representative_units`, used again in notebook 03) before naming it. `min_tokens=10` passes
over paragraphs of fewer than 10 features, such as photo captions: a handful of words can give a
paragraph a share near 1 without telling much.
'''), code('''
frame = vnparty.unit_frame(units, articles, tokens)
best = vnparty.representative_units(model, frame, n=2, excerpt=130, min_tokens=10)
for row in best.itertuples():
    print(f"topic {row.topic} (article {row.article_id[:3]}, paragraph {row.unit_index}, "
          f"share {row.share:.2f}):\\n  {row.excerpt}\\n")
'''), md('''
## The six themes, in plain English

| topic | theme | what gives it away |
|---|---|---|
| 0 | **Inspection and discipline** | *kiểm tra, giám sát, kỷ luật* (inspection, supervision, discipline), *đấu tranh* (struggle) and *tham nhũng* (corruption); its paragraphs report inspections and the fight against corruption |
| 1 | **Party cell meetings** | *sinh hoạt chi bộ* (Party cell meeting), committee members assigned (*phân công*) to attend (*dự*) them and pass on *thông tin* (information) from above, *thôn* (hamlet) |
| 2 | **Strengthening Party organisations for development** | *phát triển* (development), *giải pháp* (solutions), *quyết liệt* (resolute), *kinh tế - xã hội* (socio-economic), the *sức chiến đấu* (fighting strength) of *tổ chức đảng* and *đảng bộ*; its best paragraphs open and close the Đầm Hà article |
| 3 | **Political and ideological education against "self-evolution" and "self-transformation"** | *tư tưởng, đạo đức, lối sống* (ideology, ethics, lifestyle), *suy thoái* (degradation), *tự diễn biến, tự chuyển hóa*, the example of *Hồ Chí Minh* |
| 4 | **The "four-good" emulation** | *chi bộ bốn tốt, đảng bộ cơ sở bốn tốt* ("four-good" Party cell and grassroots Party organisation, emulation titles), *thi đua* (emulation), *phong trào* (movement) |
| 5 | **Training and recruiting members, and village heads** | *bồi dưỡng* (training), *nghiệp vụ* (professional skills), *đội ngũ* (the body of cadres), *kết nạp* (admitting new members), *trưởng thôn* (village head) |

Two things to notice. Topic 4 is small (a share of 0.06) and comes mostly from one article,
Châu Thành's (003), whose emulation pledge names the two "four-good" titles; they are terms of
vnparty's lexicon, which the one-article rule keeps. Its second-best paragraph has a share of
only 0.27, and notebook 04 shows that the topic disappears without that article. And without `min_tokens`, topic 1's best paragraph would be a
photo caption of three features, *Thôn Văn Bắc, xã Đông Văn - thôn nông thôn mới kiểu mẫu ở
huyện Đông Sơn* ("Văn Bắc hamlet, Đông Văn commune, a model new-style rural hamlet of Đông Sơn
district"), with a share of 1.00 and nothing in it about Party cell meetings.

Next: notebook 02 opens the preprocessing, 03 compares LDA with NMF, 04 asks why k = 6,
05 follows the themes across articles, provinces and years, 06 runs the same analysis on a
corpus of your own, and 07 starts from a codebook of named themes instead.
''')]

# --------------------------------------------------------------------------------------------
NB02 = [md('''
# Vietnamese preprocessing, step by step

Topic models count words, so everything depends on what counts as *one word*. Vietnamese writes
a space between syllables, not between words: *cấp ủy* (Party committee) is one word of two
syllables, *tổ chức cơ sở đảng* (grassroots Party organisation) one word of five. This notebook
follows a text through the steps of `vnparty.preprocess` and shows what each one changes on the
bundled articles:

1. **normalise** Unicode, the letter Đ and the two tone-mark styles;
2. **segment** into words, with the Party-domain lexicon;
3. keep **abbreviations, Party documents and numbers** whole;
4. remove **stopwords**, layer by layer.
'''), code(SETUP), md('''
## 1. Normalisation

Vietnamese has two ways of placing the tone mark on the open syllables *oa, oe, uy*: *hoá* or
*hóa* ("-isation"), *uỷ* or *ủy* (committee). Both are correct, both occur in one newspaper, and a
computer sees two different words. `normalize_text` puts every text in one style (the "new" one
by default, `tone_style="old"` for the other). It never removes a tone mark: *Đảng* (the Party)
and *đang* ("currently") must stay apart. *Quý* and *giá* do not change: there *qu* and *gi* are
consonants, and the tone belongs on the vowel after them.
'''), code('''
examples = ["nhất thể hoá cấp uỷ", "khoẻ mạnh, thuỷ lợi", "quý giá", "Đảng đang", "Ðảng ủy"]
pd.DataFrame({"as written": examples,
              "normalize_text": [vnparty.normalize_text(t) for t in examples],
              'tone_style="old"': [vnparty.normalize_text(t, tone_style="old") for t in examples]})
'''), md('''
The last example looks unchanged but is not: its first letter was *Ð* (U+00D0, Icelandic eth),
which bad keyboards and OCR produce instead of *Đ* (U+0110). They look alike and are different
characters, so "Ðảng" and "Đảng" would be two words:
'''), code('''
for text in ["Ðảng", vnparty.normalize_text("Ðảng")]:
    print(text, [f"U+{ord(c):04X}" for c in text])
'''), md('''
The bundled articles do mix the two styles. One sentence of the raw text of article 002 writes
*cấp uỷ* and *cấp ủy viên* side by side; without normalisation they would be counted as
different words:
'''), code('''
raw = (vnparty.bundled_data_path() / "articles" / "002_4797cb63a39759b1.txt").read_text(encoding="utf-8")
sentence = next(s for s in raw.split(". ") if "cấp uỷ" in s)
print(sentence[sentence.index("cán bộ các ban"):][:70])
print(vnparty.normalize_text(sentence[sentence.index("cán bộ các ban"):][:70]))
'''), md('''
## 2. Word segmentation, with and without the lexicon

vnparty segments with [pyvi](https://pypi.org/project/pyvi/)'s statistical segmenter, then
repairs its output for this press with a lexicon of Party terms. Below, the same sentences three
ways: plain `pyvi.ViTokenizer.tokenize`, `vnparty.segment` with an empty lexicon
(`vnparty.Lexicon()`), and `vnparty.segment` with the bundled lexicon (the default).
'''), code('''
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
'''), md('''
What to notice:

* pyvi leaves *Huyện ủy* (district Party committee) in two pieces; with the lexicon it becomes
  `Huyện_ủy ban_hành` (the district Party committee issued).
* Without the lexicon *cấp ủy viên* (member of a Party committee), *nâng cao* (raise),
  *sức chiến đấu* (fighting strength) and *tự diễn biến* ("self-evolution") fall apart into
  syllables that mean something else on their own (*cấp*, level; *cao*, high; *sức*, strength;
  *tự*, self).
* pyvi cuts *22-NQ/TW* into five tokens; vnparty keeps the reference to a Party document whole,
  with or without the lexicon.
* `segment` never drops anything: punctuation stays, as its own token, and casing is kept.
  Dropping happens later, in `preprocess`.

Segmentation comes after normalisation for a reason. In the old spelling, *Huyện uỷ ban hành*,
pyvi glues all four syllables into one "word", and the lexicon knows *huyện ủy* only in its
normalised key:
'''), code('''
s = "Huyện uỷ ban hành nghị quyết"
print("pyvi                 :", ViTokenizer.tokenize(s))
print("no lexicon           :", vnparty.segment(s, lexicon=vnparty.Lexicon()))
print("normalised + lexicon :", vnparty.segment(vnparty.normalize_text(s)))
'''), md('''
The lexicon has English glosses, and you can add your own terms:
'''), code('''
lexicon = vnparty.default_lexicon()
print(len(lexicon.terms), "terms and", len(lexicon.abbreviations), "abbreviations")
for word in ["cấp_ủy", "tự_diễn_biến", "sức_chiến_đấu", "MTTQ"]:
    print(f"{word:15} {lexicon.gloss(word)}")

mine = lexicon.with_terms({"giao ước thi đua": "emulation pledge"})
s = "Ký kết giao ước thi đua xây dựng chi bộ bốn tốt"
print(vnparty.segment(s))
print(vnparty.segment(s, lexicon=mine))
'''), md('''
## 3. Abbreviations, Party documents and numbers

Abbreviations such as *KT-XH* (kinh tế - xã hội, socio-economic), *MTTQ* (Mặt trận Tổ quốc,
Fatherland Front) or *TP.HCM* (thành phố Hồ Chí Minh, Ho Chi Minh City) stay one token;
`preprocess` then replaces them by the words they stand for, so that *KT-XH* and
*kinh tế - xã hội* count as one feature.
'''), code('''
s = "Phát triển KT-XH gắn với xây dựng Đảng; MTTQ và các đoàn thể CT-XH ở TP.HCM tham gia giám sát."
words = vnparty.segment(s)
print(words)
print([lexicon.expand(w) for w in words])
print(vnparty.Preprocessor()(s))
'''), md('''
Articles cite Party documents constantly: resolutions (*Nghị quyết*), directives (*Chỉ thị*),
conclusions (*Kết luận*). `document_references` lists the ones a text cites, in order of first
mention, each once. It drops the word *số* ("number"), so that article 000's *Chỉ thị số 05* is
listed as *Chỉ thị 05*, and it folds a bare mention into a fuller one of the same text:
article 001 cites *Nghị quyết Trung ương 4 (khóa XII)* (of the 12th Central Committee) and
later, shortened, *Nghị quyết Trung ương 4*, and the list holds that resolution once:
'''), code('''
articles = vnparty.load_articles()
for a in articles:
    print(a.id[:3], vnparty.document_references(a.text))
'''), md('''
Numbers are written the Vietnamese way: "." groups thousands and "," marks decimals, so
*2.114 đảng viên* is two thousand one hundred and fourteen Party members, and *99,74%* is a
percentage. Python's `float("2.114")` would read the first as 2.114. `parse_number` reads them
correctly (and returns `None` for what is not a plain number, such as a date or a ratio), and
`segment` keeps each number one token:
'''), code('''
for token in ["2.114", "36.403", "99,74%", "2020", "1.561/1.565", "29/11/2019"]:
    print(f"{token:12} parse_number → {vnparty.parse_number(token)!r:8} is_number → {vnparty.is_number(token)}")
print(vnparty.segment("Năm 2023 kết nạp 2.114 đảng viên, đạt 99,74% kế hoạch."))
'''), md('''
## 4. Stopwords, layer by layer

Stopwords are removed in layers, and each layer can be audited:

* **generic**: the Vietnamese list of the `stop-words` package (function words: *các, của, và*);
* **protected**: words of that list that carry meaning in this press, kept (see the pitfall below);
* **domain**: boilerplate of Party-building news (*công tác*, "work on"; *thực hiện*, carry out;
  *huyện*, district), and numbers spelled out in words (*hai, ba, …*, two, three, …);
* **corpus**: words found in more than half of a corpus's documents, learned by
  `Preprocessor.fit` (never a lexicon term);
* **name**: people's names (*Hà Văn Hùng*), which vnparty finds before lower-casing and keeps as
  one token in capitals (`Hà_Văn_Hùng`), so that this layer can remove them; *Hồ Chí Minh* is
  kept;
* **articles**: when `fit` is told which article each paragraph comes from (`groups`), the words
  found in only one article (never a lexicon term): a district's name, a person's given name.
'''), code('''
stopwords = vnparty.Stopwords()
print(stopwords)
for word in ["của", "huyện", "cấp", "cấp_ủy", "xây_dựng"]:
    print(f"{word:10} → {stopwords.layer(word)}")
'''), md('''
`Preprocessor().candidates(text)` gives the words of a text *before* stopwords are removed, and
`Stopwords.report` counts what each layer removes from them. On the 46 paragraphs of the bundled
articles:
'''), code('''
paragraphs = vnparty.split_units(articles)
texts = [u.text for u in paragraphs]
candidates = [vnparty.Preprocessor().candidates(t) for t in texts]
report = stopwords.report(candidates)
print(sum(map(len, candidates)), "candidate words,", report["count"].sum(), "removed")
report.groupby("layer").agg(words=("word", "size"), removed=("count", "sum"))
'''), code('''
report.groupby("layer").head(6).sort_values(["layer", "count"], ascending=[True, False])
'''), md('''
Notice that the generic layer removes function words (*các, của, và, trong, đã*), while the
domain layer removes words that are content words elsewhere but boilerplate here: nearly every
paragraph does *công tác* (work) and *thực hiện* (carries out) something in a *huyện*
(district). The name layer removes people's names, such as the provincial propaganda chief
*Hà Văn Hùng* and the district Party secretary *Lê Phước Dũng*. `person_names` and
`place_names` list the people and places one text names (here Lộc Hà's article):
'''), code('''
loc_ha = articles[4]
print(vnparty.person_names(loc_ha.text))
print(vnparty.place_names(loc_ha.text))
'''), md('''
A `Preprocessor` fitted on at least 20 documents (`min_documents`) learns the corpus layer,
`stopwords_`: the words in more than half (`max_df=0.5`) of the documents. Given `groups`, the
article of each paragraph, it also learns the articles layer.
'''), code('''
fitted = vnparty.Preprocessor(progress=False).fit(texts, groups=[u.article_id for u in paragraphs])
print(fitted.stopwords_)
print(sorted(fitted.stopwords_.corpus))
print({w: fitted.stopwords_.layer(w) for w in sorted(fitted.stopwords_.corpus)})
'''), md('''
Most of these frequent words were already removed by an earlier layer; `layer` names the first
layer that removes a word. The corpus layer adds one word of its own here, *xây_dựng* (to build):
in articles about *xây dựng Đảng* it is everywhere, and tells topics apart no better than *và*.
With fewer than 20 documents the corpus layer stays empty, because document frequency means
little on a handful of texts.

The articles layer is large on five articles: every word that only one of them uses. Among the
most frequent are the districts' own names:
'''), code('''
single = fitted.stopwords_.report(candidates).query("layer == 'articles'")
print(len(single), "words,", single["count"].sum(), "removed")
single.head(8)
'''), md('''
*Lộc Hà* and *Đầm Hà* occur in six paragraphs each, all of one article: kept, they would make a
topic of that article. The layer also takes words a theme could use, such as *tham_mưu* (to
advise) and *thi_hành* (to implement), because only one of these five articles uses them; in a
larger corpus more articles share such words, and the layer keeps them.
`Preprocessor(min_articles=...)` sets the rule (2 by default: a word must be in two articles).

## The pitfall: generic lists delete meaning

The generic list holds *bác*, *tự*, *cấp* and *cao*. In everyday text they are "uncle",
"self", "level" and "high"; in this press they are *Bác* (Uncle Hồ, Hồ Chí Minh), the *tự* of
*tự diễn biến* ("self-evolution"), the *cấp* of *cấp ủy* (Party committee) and the *cao* of
*nâng cao* (raise). These four words are exactly vnparty's protected layer:
'''), code('''
print({w: w in stopwords.generic for w in ["bác", "tự", "cấp", "cao"]})
print(sorted(stopwords.protected))
'''), md('''
Take a pipeline as one might build it from common parts: segment without the Party lexicon and
remove the generic list as it is (`Stopwords(protected=[])`). Compare its features with
vnparty's on one sentence, and on the whole corpus:
'''), code('''
naive = vnparty.Preprocessor(lexicon=vnparty.Lexicon(), stopwords=vnparty.Stopwords(protected=[]),
                             progress=False)
s = "Cấp ủy nâng cao sức chiến đấu, phòng chống tự diễn biến, học tập và làm theo Bác."
print("naive  :", naive(s))
print("vnparty:", vnparty.Preprocessor()(s))
'''), code('''
from collections import Counter

naive_counts = Counter(w for doc in naive.fit_transform(texts) for w in doc)
vnparty_counts = Counter(w for doc in vnparty.preprocess(texts, progress=False) for w in doc)
words = ["ủy", "sức", "chiến_đấu", "diễn_biến", "cấp_ủy", "nâng_cao", "sức_chiến_đấu", "tự_diễn_biến"]
pd.DataFrame({"naive": [naive_counts[w] for w in words],
              "vnparty": [vnparty_counts[w] for w in words]}, index=words)
'''), md('''
The naive pipeline leaves a bare *ủy* (a fragment that means nothing alone) 25 times, mostly
from *cấp ủy* whose *cấp* the generic list removed; it splits *sức chiến đấu* and
*tự diễn biến* into pieces that no longer name the idea, and it drops *Bác* (Hồ Chí Minh).
Its corpus layer makes things worse: without the lexicon no term is kept out of it, so the
words found in more than half of the paragraphs go, *đảng* (the Party) and *đảng_viên* (Party
member) among them, and *nâng*, the orphaned half of *nâng cao*:
'''), code('''
print(sorted(naive.stopwords_.corpus))
print(sorted(fitted.stopwords_.corpus))
'''), md('''
Topics built on such features put fragments at the top, or lose the Party altogether. vnparty
keeps the terms whole and out of the corpus layer, so a topic can be read off its top words.


## Summary

`vnparty.preprocess(texts)` runs all of this with the defaults. Every step is an argument of
`vnparty.Preprocessor` (`tone_style`, `lexicon`, `segmenter`, `stopwords`, `max_df`, …), so
you can change one step without touching the others (`min_articles` for the articles layer).
''')]

# --------------------------------------------------------------------------------------------
NB03 = [md('''
# LDA and NMF on the same paragraphs

Two families of topic models are common:

* **LDA** (latent Dirichlet allocation) is a probabilistic model of word *counts*: each
  paragraph is a mixture of topics, each topic a distribution over words. vnparty fits it by
  collapsed Gibbs sampling with tomotopy by default (`backend="gensim"` and `"sklearn"` are
  there too).
* **NMF** (non-negative matrix factorisation) factorises the *TF-IDF* matrix, in which words that
  occur in many paragraphs weigh less. vnparty fits it with scikit-learn.

Both return the same `TopicModel`, so everything below works on either. We fit both with six
topics on the 46 paragraphs of the bundled articles and compare what they find.
'''), code(SETUP), code(LOAD), code('''
lda = vnparty.fit_lda(tokens, k=6, seed=0)
nmf = vnparty.fit_nmf(tokens, k=6, seed=0)
print(lda)
print(nmf)
'''), md('''
## Top words side by side
'''), code('''
pd.DataFrame({"LDA": [" ".join(w) for w in lda.top_words(7)],
              "NMF": [" ".join(w) for w in nmf.top_words(7)]})
'''), md('''
Four rows tell the same story in both columns: inspection (*kiểm_tra, giám_sát*), Party cell
meetings (*sinh_hoạt_chi_bộ*), training and recruiting with village heads (*bồi_dưỡng*,
*trưởng_thôn*) and ideology and ethics (*đạo_đức, tư_tưởng*). Notice LDA's topic 0: *cán_bộ*
(cadre), *nâng_cao* (raise), *đảng_viên* (Party member), *đảng_bộ*, words found in every article.
LDA weighs words by how often they occur, and gathers such words in a topic of their own, while
NMF works on TF-IDF, which weighs them down. NMF, in turn, has a small topic that LDA lacks, the
"four-good" emulation of Châu Thành (topic 4, notebook 01).

## Which topic matches which

The topic numbers of two models mean nothing: topic 0 of LDA need not be topic 0 of NMF.
`align_models` pairs them one to one by the cosine similarity of their word distributions
(Hungarian assignment) and keeps the full similarity matrix in `.attrs["similarity"]`.
'''), code('''
alignment = vnparty.align_models(lda, nmf)
alignment["LDA topic"] = [" ".join(lda.top_words(3)[t]) for t in alignment.topic_a]
alignment["NMF topic"] = [" ".join(nmf.top_words(3)[t]) for t in alignment.topic_b]
alignment.round(2)
'''), code('''
pd.DataFrame(alignment.attrs["similarity"]).round(2).rename_axis(index="LDA", columns="NMF")
'''), md('''
Read the matrix row by row: a row with one clear maximum is an LDA topic that NMF also finds; a
row with several middling values is an LDA topic that mixes what NMF keeps apart. Here four
pairs are close (0.78 to 0.87): the four themes named above. The other two rows are not:

* LDA 0, the words of every article, resembles several NMF topics a little (0.59 training and
  recruiting, 0.52 Party organisations, 0.46 inspection). The assignment pairs it with NMF 4
  (0.18) only because every topic must get one partner.
* LDA 1 (*nghị_quyết, xây_dựng_đảng, chỉ_thị*: resolutions and directives) is half like NMF 2,
  strengthening Party organisations (0.55).

Read the columns too: NMF 4, the "four-good" emulation, has no LDA partner (0.22 at most). Where
do the paragraphs of Châu Thành's article go?
'''), code('''
four_good = {"chi_bộ_bốn_tốt", "đảng_bộ_cơ_sở_bốn_tốt", "thi_đua"}
for topic, words in enumerate(lda.top_words(10)):
    print(f"LDA topic {topic}:", [(rank, w) for rank, w in enumerate(words) if w in four_good])

in_003 = [i for i, u in enumerate(units) if u.article_id.startswith("003")]
print("\\nlargest topic of each paragraph of article 003")
print("  NMF:", nmf.doc_topic[in_003].argmax(axis=1).tolist())
print("  LDA:", lda.doc_topic[in_003].argmax(axis=1).tolist())
'''), md('''
None of the three words makes an LDA top 10. NMF gives two of the 13 paragraphs of article 003
to its topic 4 (paragraph 1, the one-line subheading on the emulation pledge, and paragraph 11,
the district Party secretary's statement); LDA gives them to its inspection topic 5 and to its
topic 0. LDA's topic 0 is the largest topic of 6 of the 13 paragraphs of article 003: the words
of every article take a large part of LDA's paragraphs (more on this below).

## How good are the topics? Coherence and diversity

*Coherence* (`c_v`, gensim's measure) asks whether a topic's top words occur together in the
paragraphs; higher is better, and values are comparable only on the same texts. *Diversity* is
the share of distinct words among all topics' top 25 words (1 means no overlap).
'''), code('''
pd.DataFrame({
    "c_v (mean)": [vnparty.coherence(m, tokens, "c_v") for m in (lda, nmf)],
    "diversity": [vnparty.topic_diversity(m) for m in (lda, nmf)],
    "c_v per topic": [vnparty.coherence_per_topic(m, tokens, "c_v").round(2).tolist() for m in (lda, nmf)],
}, index=["LDA", "NMF"]).round(3)
'''), md('''
On these paragraphs NMF has the higher coherence (0.80 against 0.77) and LDA the higher
diversity (0.87 against 0.84). Take the numbers as a description of these 46 paragraphs, not as
a verdict on the methods: coherence is computed on the same paragraphs the models were fitted
on, the differences are small, and one LDA fit depends on its seed (notebook 04).

## Representative paragraphs

`representative_units` returns, for each topic, the paragraphs with the highest share of it.
It needs `unit_frame(units, articles, tokens)`: one row per paragraph with its text, its length
in features and its article's metadata; `min_tokens=10` passes over photo captions and other
paragraphs of fewer than 10 features (notebook 01).
'''), code('''
frame = vnparty.unit_frame(units, articles, tokens)

def show(model, name):
    reps = vnparty.representative_units(model, frame, n=1, excerpt=110, min_tokens=10)
    print(name)
    for row in reps.itertuples():
        print(f"  {row.topic} [{row.article_id[:3]}:{row.unit_index}, {row.share:.2f}] {row.excerpt}")

show(lda, "LDA")
print()
show(nmf, "NMF")
'''), md('''
## How many topics does a paragraph hold?

LDA's shares depend on a prior, `alpha`, one value per topic, which tomotopy re-estimates while
it samples (`lda.params["learned_alpha"]`); NMF's shares are the normalised rows of its factor
matrix. Compare the learned alpha, and the largest share of each paragraph:
'''), code('''
print("learned alpha:", [round(a, 2) for a in lda.params["learned_alpha"]])
pd.DataFrame({"LDA": lda.doc_topic.max(axis=1), "NMF": nmf.doc_topic.max(axis=1)}).describe().round(2)
'''), md('''
Topic 0, the words of every article, has by far the largest alpha: LDA expects it in every
paragraph. So LDA spreads a paragraph over more topics than NMF (median of the largest share
0.65 against 0.80), usually its own theme plus a part of topic 0. NMF puts more paragraphs
almost wholly into one topic (a quarter of them above 0.92).

## What each finds

* Both find **Party cell meetings** (LDA 2 and NMF 1, similarity 0.87, the closest pair) and
  **ideology and ethics against "self-evolution"** (LDA 4 and NMF 3, 0.84), with the same best
  paragraphs (003:9 and 000:3).
* Both find **inspection and discipline** (LDA 5 and NMF 0, 0.79; the same best paragraph,
  003:7) and **training and recruiting, with village heads** (LDA 3 and NMF 5, 0.78), although
  LDA's best paragraph for the latter (002:8, on recruiting) has a share of only 0.70.
* LDA has a topic of the words of every article (LDA 0) and one of **resolutions and
  directives** (LDA 1), whose best paragraph is the provincial speaker's address at Lộc Hà's
  conference (004:5). NMF has neither, but has **Party organisations and development** (NMF 2,
  Đầm Hà's opening) and the small **"four-good" emulation** (NMF 4).
* So the two methods agree on four themes out of six. A theme found by both is more trustworthy
  than one found by one method only. But this is one LDA fit with one seed: notebook 04 shows
  that another seed moves several LDA topics, and how `fit_ensemble` makes LDA's themes hold
  across seeds.
''')]

# --------------------------------------------------------------------------------------------
NB04 = [md('''
# Choosing k, and how stable the topics are

A topic model does not find "the" number of topics; you choose `k`. `vnparty.select_k` helps by
fitting every `k` with several seeds and scoring each fit:

* **c_v** coherence: do a topic's top words occur together? (higher is better)
* **diversity**: the share of distinct words among all topics' top 25 (1 = no overlap)
* **stability**: fit again with another seed; how much of each topic's top 10 words comes back?
  (mean matched Jaccard similarity to the first seed's topics; 1 = identical)

Its rule: among the `k` whose mean stability is at least 0.5, take the one with the highest mean
c_v; if no `k` is that stable, warn and take the best c_v among all.
'''), code(SETUP), code(LOAD), code('''
# sample=1.0: every seed fits all paragraphs (by default each fits its own random 80%)
nmf_scores, nmf_k = vnparty.select_k(tokens, [4, 5, 6, 7, 8], "nmf", seeds=range(5), sample=1.0)
lda_scores, lda_k = vnparty.select_k(tokens, [4, 5, 6, 7, 8], "lda", seeds=range(5), sample=1.0)
print("recommended k: NMF", nmf_k, "· LDA", lda_k)
'''), md('''
`select_k` returns a tidy frame, one row per (k, method, seed, measure); the summary below is
the mean over the five seeds.
'''), code('''
scores = pd.concat([nmf_scores, lda_scores])
scores.groupby(["method", "k", "measure"])["value"].mean().unstack("measure").round(3)
'''), code('''
from vnparty.plotting import plot_select_k

plot_select_k(scores, recommended={"nmf": nmf_k, "lda": lda_k})
'''), md('''
What the numbers say:

* **NMF** has stability 1 at every k: all five seeds give the same topics (below we see why
  that is a weak test for NMF). Its mean c_v is highest at k = 6 (0.803, against 0.776 at
  k = 4 and 0.770 at k = 5), so the rule picks **6**. k = 6 is not the most diverse (0.840;
  k = 4 has 0.880), and k = 7 and 8 score lower on both c_v and diversity. What would two more
  topics add? See below.
* **LDA** is much less stable: its mean stability is 0.36 to 0.64. Only k = 5 reaches 0.5
  (0.643; k = 6 just misses it at 0.496), so the rule picks **5**, although k = 6 has a slightly
  higher c_v (0.738 against 0.731). Two lists of 10 words with Jaccard similarity J share
  20·J/(1+J) words: at 0.5, about 7 of 10. A single LDA fit here is one draw among several
  answers; the last section shows how to make LDA's topics hold across seeds.

If no k had reached 0.5, `select_k` would have warned and fallen back to the best c_v. Let that
warning show when it comes: it means the topics do not come back with another seed.

## What k = 8 adds

Fit k = 6 and k = 8, match the topics with `align_models` (notebook 03), and read the best
paragraphs of the two topics of k = 8 that have no partner at k = 6:
'''), code('''
k6, k8 = vnparty.fit_nmf(tokens, 6, seed=0), vnparty.fit_nmf(tokens, 8, seed=0)
matched = vnparty.align_models(k6, k8)
print("the six topics of k = 6 at k = 8, similarity:", matched["similarity"].round(2).tolist())

frame = vnparty.unit_frame(units, articles, tokens)
best = vnparty.representative_units(k8, frame, n=2, excerpt=90)   # short paragraphs included
for topic in sorted(set(range(k8.k)) - set(matched["topic_b"])):
    print(f"\\nnew at k = 8, topic {topic}:", " ".join(k8.top_words(6)[topic]))
    for row in best[best.topic == topic].itertuples():
        print(f"  [{row.article_id[:3]}:{row.unit_index}, share {row.share:.2f}] {row.excerpt}")
'''), md('''
The six topics of k = 6 come back at k = 8 (similarity 0.79 or more); the one that changes most
is topic 2, strengthening Party organisations (0.79), which gives up its words on resolutions.
The two new topics:

* topic 2 is about **resolutions and directives** (*nghị_quyết, chỉ_thị, quán_triệt*: to study
  and carry out thoroughly), with the provincial speaker at Lộc Hà's conference (004:5) and Đầm
  Hà's plans (000:2) as its best paragraphs. It is a plausible theme: the codebook of notebook
  07 calls it ideological work;
* topic 7 (*thôn, ảnh, dân, lắng_nghe*: hamlet, photo, people, listen) is led by a photo
  caption of three features (001:1) and a Party cell secretary who is also a village head
  (002:7): not a theme.

The first topic might justify a larger k on a larger corpus. Here k = 8 costs c_v and diversity
(0.750 and 0.800, against 0.803 and 0.840 at k = 6) for one theme and one stray topic, so we
keep k = 6, the rule's choice, and test it harder below.

## Stability of the k = 6 models, topic by topic

`stability` takes models fitted with different seeds and matches each topic of the first to a
topic of every other (Hungarian assignment on top-10 Jaccard): `stability` is the mean over the
other seeds, `min` the worst.
'''), code('''
nmf_runs = [vnparty.fit_nmf(tokens, 6, seed=s) for s in range(5)]
lda_runs = [vnparty.fit_lda(tokens, 6, seed=s) for s in range(5)]
table = pd.concat({"NMF": vnparty.stability(nmf_runs), "LDA": vnparty.stability(lda_runs)}, axis=1)
table.index.name = "topic"
table.drop(columns=[("NMF", "topic"), ("LDA", "topic")]).round(2)
'''), code('''
for name, runs in [("NMF", nmf_runs), ("LDA", lda_runs)]:
    for seed, run in enumerate(runs):
        print(f"{name} seed {seed}:", " | ".join(" ".join(w) for w in run.top_words(2)))
'''), md('''
NMF finds the same six topics, in the same order, with all five seeds. LDA does not. Some of
its themes come back often (inspection, *kiểm_tra giám_sát*, and ideology, *đạo_đức*, each lead
a topic with four of the five seeds), but they move and merge: with seed 4, inspection shares
the ideology topic (*tư_tưởng đạo_đức kiểm_tra giám_sát* are its top four words); with seed 1,
ideology shares a topic with resolutions (*nghị_quyết đạo_đức*).
The per-topic stability of LDA is 0.34 to 0.67, the highest for topic 0, the words of every
article; the worst matches fall to 0 and 0.05. Each seed lands in a different local optimum of
the sampler. So do not report the topics of one LDA fit from a corpus this small.

## Many runs, one answer: `fit_ensemble`

`fit_ensemble` fits a model 20 times (`n_runs=20`, with seeds derived from `seed`), matches the
topics of the runs and averages them. The result is an ordinary `TopicModel`, with
`topic_stability`: for each topic, how much of it reappears across the 20 runs (the mean
matched top-10 Jaccard, as above). Does the ensemble come back with another seed? Fit one for
each of the seeds 0 to 4 (20 runs of tomotopy on 46 paragraphs take about a second):
'''), code('''
lda_ensembles = [vnparty.fit_ensemble(tokens, 6, method="lda", seed=s) for s in range(5)]
print("LDA, mean stability over seeds 0-4:",
      f"single fits {vnparty.stability(lda_runs)['stability'].mean():.2f},",
      f"ensembles of 20 runs {vnparty.stability(lda_ensembles)['stability'].mean():.2f}")

ensemble = lda_ensembles[0]
pd.DataFrame({"top words": [" ".join(w) for w in ensemble.top_words(7)],
              "in its 20 runs": ensemble.topic_stability,
              "across seeds": vnparty.stability(lda_ensembles)["stability"]}).round(2)
'''), md('''
Single LDA fits share a mean Jaccard of 0.50 across the five seeds; ensembles share 0.79
(0.70 to 0.86 per topic). The ensemble's six topics are the themes that single fits find most
often: the words of every article (0), resolutions and directives (1), Party cell meetings (2),
training and recruiting with village heads (3), inspection (4) and ideology (5).

The two columns answer two questions. *In its 20 runs* (`topic_stability`) says how much the
runs agreed on a topic: 0.42 for ideology, whose words the single fits often merge with another
theme, 0.77 for the words of every article. *Across seeds* says whether the consensus comes
back when you start again: 0.70 or more for every topic. Report an LDA topic with its
`topic_stability`, and read a low value as "the runs disagree here", not as "this theme is
absent". For NMF an ensemble changes nothing here: its single fits already agree (1.00).

`vnparty reproduce` does the same: each model it shows, LDA and NMF, is the consensus of 20 runs
(`--runs 1` for a single fit), its figures give each topic's stability, and its stability table
compares the ensembles of the five seeds.

## A harder test for NMF: leave one article out

NMF looks perfectly stable across seeds, but that test is weak for NMF: scikit-learn starts it
from an SVD of the data (`init="nndsvda"`), and the seed only enters through the randomised SVD,
so different seeds start from nearly the same point. A harder test changes the *data*: fit
again without one article and ask, with `align_models`, whether each of the six topics of the
full model is still there (cosine similarity of the matched topics).
'''), code('''
full = nmf_runs[0]
rows = {}
for article in articles:
    kept = [t for t, u in zip(tokens, units) if u.article_id != article.id]
    refit = vnparty.fit_nmf(kept, 6, seed=0)
    rows[f"without {article.id[:3]} ({article.district or article.province})"] = (
        vnparty.align_models(full, refit).set_index("topic_a")["similarity"])
left_out = pd.DataFrame(rows).T.rename_axis(columns="topic")
left_out.round(2)
'''), md('''
Three topics survive the loss of any one article (similarity 0.73 or more): Party cell meetings
(1), strengthening Party organisations (2) and training and recruiting (5). Three depend on
single articles:

* topic 4 (the "four-good" emulation) disappears without article 003 (Châu Thành; similarity
  0.05): it is that article's topic, not a theme of the corpus;
* topic 0 (inspection and discipline) fades without article 003 too (0.29), although Lộc Hà's
  article gives it an even larger share of its text (notebook 05): Châu Thành's paragraphs give
  the topic its words;
* topic 3 (ideology against "self-evolution") fades without article 001 (Đông Sơn; 0.39).

## Why k = 6

* NMF at k = 6 has the best mean c_v (0.803, against 0.776 at k = 4 and 0.770 at k = 5) at
  the same stability as every other k, so `select_k` picks it; k = 8 adds one plausible theme
  and one stray topic at lower c_v and diversity. And the six topics can each be named after
  reading their paragraphs (notebook 01). `select_k` proposes a k; reading the topics decides it.
* It is a choice for *this* corpus of five articles: one of the six topics is a single article's
  emulation pledge, and two more lean on one article each. With more articles, run `select_k`
  again, and repeat the leave-one-out test before you call a topic a theme.
* For LDA, `select_k` recommends k = 5, the only k whose single fits are stable enough. Whatever
  k you use, report LDA topics from `fit_ensemble`, whose themes hold across seeds (0.79 at
  k = 6), not from a single fit (0.50).
''')]

# --------------------------------------------------------------------------------------------
NB05 = [md('''
# Themes across articles, provinces and years

A topic model gives each paragraph a share of each topic. Summed over the paragraphs of an
article, a province or a year, these shares say how much of that group's text is about each
theme. This notebook uses the NMF model of notebook 01 (k = 6, seed 0) and asks how the themes
differ between articles and between 2019 and 2024, and which Party documents each article cites.
'''), code(SETUP), code(LOAD + '''
model = vnparty.fit_nmf(tokens, k=6, seed=0)
# names given in notebook 01 after reading each topic's paragraphs
themes = ["inspection & discipline", "Party cell meetings",
          "Party organisations & development", "ideology vs. self-evolution",
          "four-good emulation", "training & recruiting, village heads"]
for topic, (name, words) in enumerate(zip(themes, model.top_words(4))):
    print(topic, f"{name:37}", " ".join(words))
'''), md('''
## One row per paragraph

`unit_frame` puts each paragraph next to its article's metadata and, given the tokens, its length
in features (`n_tokens`). `prevalence(model, frame, by=...)` weights each paragraph's shares by
that length, so that a long paragraph counts more than a photo caption, and sums them per group;
each row of the result sums to 1.
'''), code('''
frame = vnparty.unit_frame(units, articles, tokens)
frame[["article_id", "unit_index", "n_tokens", "province", "district", "year"]].head()
'''), code('''
short = {a.id: f"{a.id[:3]} {a.district or a.province}" for a in articles}
by_article = vnparty.prevalence(model, frame, by="article_id").rename(index=short)
by_article.round(2)
'''), code('''
from vnparty.plotting import plot_prevalence

plot_prevalence(by_article, title="Themes by article", labels=themes)
'''), md('''
What to notice:

* Each article has its own profile. Đầm Hà (000) spreads its text over three themes (Party
  organisations 0.30, training and recruiting 0.28, ideology 0.23); 002 (Quảng Ninh, *Củng cố
  hạt nhân chính trị ở cơ sở*, "consolidating the political nucleus at the grassroots") is half
  training and recruiting, with its village heads (0.49); Đông Sơn (001) is about ideology
  (0.37) and Party cell meetings (0.27); Châu Thành (003) and Lộc Hà (004) give the most to
  inspection and discipline (0.30 and 0.38).
* Topic 4, the "four-good" emulation, is small everywhere (0.09 at most, in 003): it is one
  article's pledge, not a theme.
* Topic 0, inspection and discipline, has its largest share in Lộc Hà's article (0.38), yet
  notebook 04 shows that it fades when article 003 is left out, not 004. A share says how much
  of a text the topic's words account for, not which texts shaped the topic, nor that the text
  is about the theme: read the paragraphs.

## By province and by year
'''), code('''
vnparty.prevalence(model, frame, by="province").round(2)
'''), code('''
by_year = vnparty.prevalence(model, frame, by="year")
by_year.columns = themes
by_year.T.assign(**{"2024 − 2019": by_year.loc[2024] - by_year.loc[2019]}).round(2)
'''), md('''
Article 001 has no date, so its paragraphs are left out of the table by year: 2019 is articles
000 and 002, 2024 is articles 003 and 004. Read off the table, the 2024 articles give more of
their text to **inspection and discipline** (0.33 against 0.04) and less to **training and
recruiting** (0.18 against 0.40) and to **Party organisations and development** (0.13 against
0.24) than the 2019 articles.

Be cautious before reading a trend into this:

* each year is **two articles**, and both 2019 articles come from one province (Quảng Ninh),
  so year and province cannot be told apart;
* the inspection topic takes its words from one of the two 2024 articles (003, notebook 04);
* the weighting matters a little: with equal weights per paragraph (`weight=None`) the shares
  move by up to 0.06, as below, and the differences between the years keep their sign.

At most this suggests a question to ask of a larger corpus: did reports on Party-building turn
from recruiting to inspection and discipline between 2019 and 2024?

'''), code('''
equal = vnparty.prevalence(model, frame, by="year", weight=None)
equal.columns = themes
(equal - by_year).T.round(2)
'''), md('''
## The Party documents each article cites

Articles anchor their reports in Party documents: resolutions (*Nghị quyết*) of the Central
Committee's plenums (*Hội nghị Trung ương*) and of congresses (*Đại hội*), directives
(*Chỉ thị*) and conclusions (*Kết luận*). `document_references` lists those a text cites.
'''), code('''
cited = pd.DataFrame([{"article_id": a.id, "article": short[a.id],
                       "year": str(a.date.year) if a.date else "undated", "document": d}
                      for a in articles for d in vnparty.document_references(a.text)])
cited[["article", "year", "document"]]
'''), code('''
from vnparty.plotting import plot_documents_cited

plot_documents_cited(cited, [a.id for a in articles], labels=[short[a.id] for a in articles])
'''), md('''
What to notice:

* The **Resolution of the 4th plenum of the Central Committee** (*Nghị quyết Trung ương 4*,
  *khóa XII*: of the 12th Central Committee), which, as article 001 puts it, is about
  "building and rectifying the Party; preventing and pushing back … degradation … and signs of
  'self-evolution' and 'self-transformation'", is cited in 2019 (000), in 2024 (003, which adds
  the 13th Central Committee's: *khóa XII, XIII*) and by the undated 001. It ties topic 3
  (ideology against "self-evolution") together across the years.
* Article 001 mentions that resolution twice, in full and later shortened to *Nghị quyết Trung
  ương 4*; `document_references` folds the bare mention into the fuller one of the same text, so
  that resolution has one row for 001. It merges only within one text, and only a bare mention
  into a fuller one.
* The 2024 article from Châu Thành (003) cites *Chỉ thị 05-CT/TW* (on studying and following Hồ
  Chí Minh's thought, ethics and style) and *Kết luận 21-KL/TW* (a conclusion of the 13th Central
  Committee on building and rectifying the Party and the political system); the 2019 article from
  Đầm Hà (000) cites Directive 05 as *Chỉ thị 05* (its text says *Chỉ thị số 05*, and *số*,
  "number", is dropped), without its code, so across the two articles the two spellings count
  as different strings. Count documents with care.
* Article 002 cites *Nghị quyết 22-NQ/TW* (of the 10th Central Committee, on the leadership
  capacity and fighting strength of grassroots Party organisations) and the provincial
  *Chỉ thị 12-CT/TU* (of the provincial Party committee's standing committee) on holding the
  congresses of Party cells in the same term as the election of village heads, which is the
  subject of much of this article (half of its text is topic 5, with *trưởng_thôn*, village
  head, among its top words). Articles 000 and 004 cite their district
  Party congress resolutions (*Nghị quyết Đại hội Đảng bộ huyện*), and so does 001, by the
  congress's term rather than its number: *Nghị quyết Đại hội Đảng bộ huyện khóa XXV*.

''')]

# --------------------------------------------------------------------------------------------
NB06 = [md('''
# Your own corpus

Everything in notebooks 01–05 works on any collection of Vietnamese texts. `read_articles`
reads

* a **folder** of `.txt` files, one article per file (the file name becomes the article's id);
* a **CSV** or **JSONL** file with a `text` column (name another with `text_column=...`);
* a pandas **DataFrame** with a text column.

Columns `id, title, date, source, province, district, byline` are recognised; other columns go
to `Article.metadata`. Files need not be UTF-8: UTF-16 and the legacy Vietnamese encodings
(Windows-1258, VISCII, TCVN3, VNI) are recognised. Each text is cleaned the same way as the
bundled articles.

This notebook writes a small corpus into a temporary folder, reads it back and runs the same
analysis. Replace the folder with yours.
'''), code(SETUP), md('''
## Write a small corpus

We make the corpus from the bundled articles, so that you can compare: five `.txt` files, each
with the title on the first line and the paragraphs below. To show that the reader copes, one
file is saved in UTF-16 and another in the old tone-mark style (*hoá*, *uỷ*).
'''), code('''
import tempfile
from pathlib import Path

workdir = tempfile.TemporaryDirectory()     # removed at the end of the notebook
root = Path(workdir.name)
folder = root / "articles"
folder.mkdir()

bundled = vnparty.load_articles()
for a in bundled:
    text = a.title + "\\n\\n" + a.text
    name = f"article_{a.id[:3]}.txt"

    if a.id.startswith("001"):
        (folder / name).write_text(text, encoding="utf-16")
    elif a.id.startswith("002"):
        (folder / name).write_text(vnparty.normalize_text(text, tone_style="old"), encoding="utf-8")
    else:
        (folder / name).write_text(text, encoding="utf-8")
print(sorted(p.name for p in folder.iterdir()))
'''), code('''
mine = vnparty.read_articles(folder)
pd.DataFrame([{"id": a.id, "date": a.date, "province": a.province, "paragraphs": len(a.paragraphs),
               "title": a.title} for a in mine])
'''), md('''
What to notice:

* ids come from the file names, and the first line became the title;
* the UTF-16 file (001) reads like the others, and article 002 is back in the default tone style:
  its *uỷ* is *ủy* again;
* a `.txt` file has no metadata beyond what the text says: no province, and a date only when
  the text has one (Lộc Hà's lead says *Chiều ngày 29/2/2024*, "on the afternoon of
  29/2/2024"). For metadata, use a CSV.
'''), code('''
print(any("uỷ" in p for p in mine[2].paragraphs), any("ủy" in p for p in mine[2].paragraphs))
'''), md('''
## A CSV with metadata
'''), code('''
rows = [{"id": a.id[:3], "title": a.title, "date": a.date, "province": a.province,
         "district": a.district, "newspaper": a.source, "text": a.text} for a in bundled]
pd.DataFrame(rows).to_csv(root / "corpus.csv", index=False)

from_csv = vnparty.read_articles(root / "corpus.csv")
pd.DataFrame([{"id": a.id, "date": a.date, "province": a.province, "district": a.district,
               "paragraphs": len(a.paragraphs), "metadata": a.metadata} for a in from_csv])
'''), md('''
`date`, `province` and `district` are recognised; `newspaper` is not one of the known columns,
so it went to `metadata` (the known name is `source`).

Reading runs the cleaning again on your text. It is worth checking that nothing you wanted was
dropped: compare the paragraphs read back with those written.
'''), code('''
for written, read in zip(bundled, from_csv):
    lost = [p for p in written.paragraphs if p not in read.paragraphs]
    print(read.id, len(written.paragraphs), "→", len(read.paragraphs), "paragraphs"
          + "".join(f"\\n    dropped: {p[:90]}" for p in lost))

'''), md('''
Nothing was dropped: every article keeps all its paragraphs. The cleaner treats a short line
without a final full stop as a heading, and when a text has no title of its own it takes such
a line near the top as the title. With a `title` column, as here, the title comes from the
column and no line of the body is taken for it, so article 003 keeps its one-line subheading
(*Ký kết giao ước thi đua …*, "signing the emulation pledge …") and all 13 paragraphs. Without
a `title` column, as in the folder of `.txt` files above, a heading-like line at or near the top
becomes the title: check that it is the one you meant.

## The same analysis

From here on nothing differs from the bundled corpus. With `prevalence` by `province`, the
metadata of the CSV comes into play.
'''), code('''
units = vnparty.split_units(from_csv, unit="paragraph")
tokens = vnparty.preprocess([u.text for u in units], groups=[u.article_id for u in units],
                            progress=False)
model = vnparty.fit_nmf(tokens, k=4, seed=0)
print(model)
vnparty.topic_table(model, n=8)[["topic", "top_words", "share"]]
'''), code('''
frame = vnparty.unit_frame(units, from_csv, tokens)
vnparty.prevalence(model, frame, by="province").round(2)
'''), md('''
With k = 4, four of the six themes of notebook 01 come back almost unchanged: inspection (0),
Party cell meetings (1), Party organisations (2) and ideology (3). The small "four-good"
emulation has no topic of its own, and training and recruiting is split between topic 1, which
now holds the village heads and Party cell secretaries (*trưởng_thôn*, *bí_thư_chi_bộ*), and
topic 2. Quảng Ninh's text, much of it on village heads, goes to topics 1 and 2 (0.40 and 0.41).
Choose k for your corpus with `vnparty.select_k` (notebook 04).


## The same from the command line

The `vnparty` command does the reading, preprocessing and NMF fit in one step and writes the
model and its tables:

```bash
vnparty topics my_articles/ --k 4 --out results/      # a folder of .txt files
vnparty topics corpus.csv --k 4 --out results/        # or a CSV / JSONL with a text column
vnparty select-k corpus.csv --ks 4 5 6 7 8            # compare k first
```

`results/` then holds `model/` (the fitted model, reloadable with `vnparty.TopicModel.load`),
`topics.csv` (top words with glosses), `representative.csv` (the best paragraphs of each topic)
and `doc_topic.csv` (every paragraph's topic shares). Add `--model lda --runs 20` for an LDA
ensemble of 20 runs (notebook 04; `topics.csv` then has each topic's stability), and
`--unit sentence` or `--unit article` for other units.
'''), code('''
workdir.cleanup()
'''), md('''
## Checklist for a corpus of your own

* One article per file or row; paragraphs separated by line breaks.
* Metadata (date, province, …) in CSV/JSONL columns, dates as `YYYY-MM-DD`.
* Check what the cleaning dropped, as above.
* Add terms your press uses and the lexicon lacks with `vnparty.default_lexicon().with_terms(...)`
  and pass the result as `Preprocessor(lexicon=...)` (notebook 02).
* Pass `groups=[u.article_id for u in units]` to `preprocess` when you model paragraphs, so that
  the words of a single article (its places, its people) do not make topics (notebook 02).
* Choose k with several seeds, and check which topics survive when one article is left out
  (notebook 04). For LDA, report `fit_ensemble` models, not single fits.
''')]

NB07 = [md('''
# Theory-driven themes: a codebook of Party-building work

The models of notebooks 01–05 are *unsupervised*: they find whatever themes the words suggest, and
we name them afterwards. A researcher often starts from the other end, with themes that a theory
or the sources themselves name, and asks how much of each text is about each of them.

The Party names the branches of its own Party-building work in its resolutions: building the Party
*"về chính trị, tư tưởng, đạo đức, tổ chức và cán bộ"* (politically, ideologically, ethically,
organisationally and in cadre work; Văn kiện Đại hội XIII, 2021), with inspection and discipline,
mass mobilisation (*dân vận*) and the fight against corruption as further tasks. vnparty ships
these eight themes as a **codebook**: each theme has a name, an English gloss, the document it
comes from and a few **seed words**.

`fit_seeded` fits LDA whose first topics are the codebook's themes, in its order, with free topics
after them for what the codebook misses. A seed word gets a higher prior in its theme (the design
of the seededlda and keyATM packages for R), so the sampler starts each theme from its seed words
and gathers the words that go with them in this corpus.
'''), code(SETUP), code(LOAD), md('''
## The codebook

The bundled codebook is a plain tab-separated file, `codebook.tsv` in vnparty's `resources`
folder (`vnparty.bundled_codebook_path()` gives its path). `default_codebook()` reads it.
'''), code('''
codebook = vnparty.default_codebook()
for theme in codebook:
    print(f"{theme.name}: {theme.gloss}\\n    source: {theme.source}\\n    "
          f"{len(theme.seed_words)} seed words: {' '.join(theme.seed_words[:6])} …")
'''), md('''
## Audit the codebook first

Seed words only help if they occur. `codebook_audit` counts each seed word in the token lists
(`tokens`: occurrences, `documents`: paragraphs that have it) and warns about seed words that never
occur, themes none of whose seed words occurs, and seed words listed under two themes (which
`fit_seeded` refuses). The warnings are caught and printed here so that you can read them.
'''), code('''
import warnings

with warnings.catch_warnings(record=True) as caught:
    warnings.simplefilter("always")
    audit = vnparty.codebook_audit(codebook, tokens)
for warning in caught:
    print("warning:", warning.message)

audit.groupby("theme", sort=False).agg(
    seed_words=("seed_word", "size"), occurring=("tokens", lambda n: int((n > 0).sum())),
    occurrences=("tokens", "sum"))
'''), md('''
Thirteen seed words are not among the features. Six never occur in these five articles: the
words for appointing, planning and rotating cadres (*bổ_nhiệm*, *quy_hoạch*, *luân_chuyển*), the
Party's line (*đường_lối*), the inspection commission (*ủy_ban_kiểm_tra*) and asset declarations
(*kê_khai*). The other seven (*đào_tạo*, to train; *vi_phạm*, violation; *dân_chủ*, democracy;
*tiết_kiệm*, thrift; …) occur in one article only, and the articles layer of notebook 02 removed
them. They stay in the codebook: they are the documents' own words and a larger corpus will
have them. Every theme has at least four seed words that do occur. The theme with the least
evidence is anti-corruption: 20 occurrences of its seed words in all.

## Fit

With the bundled codebook (`codebook=None`) and `k_free=2` free topics, the model has ten topics:
the eight themes, then "free 0" and "free 1". `model.topic_names` names them. Below, the seed
words among each topic's top words are in capitals.
'''), code('''
model = vnparty.fit_seeded(tokens, seed=0)
print(model, "\\n")
seeds = {t.name: set(t.seed_words) for t in codebook}
for name, words in zip(model.topic_names, model.top_words(7)):
    print(f"{name:24}", " ".join(w.upper() if w in seeds.get(name, ()) else w for w in words))
'''), md('''
What to notice:

* Every theme has seed words at the top, and next to them words the codebook did not give:
  *kế_hoạch*, *chỉ_thị* and *chỉ_đạo* (plan, directive, to direct) with ideological work,
  *lớp* and *nghiệp_vụ* (class, professional skills) with cadre work, *bộ_máy* and *chặt_chẽ*
  (apparatus, tight) with inspection.
* The two free topics hold what the codebook does not cover: "free 0" the village heads and
  Party cell secretaries of Quảng Ninh (*trưởng_thôn*, *bí_thư_chi_bộ*), "free 1" the words of
  every article (*đảng_viên*, *đảng*, *nâng_cao*, *đảng_bộ*). A free topic of general words
  keeps them out of the themes.
* A theme can also take in one event: anti-corruption has only two of its seed words in its top
  seven, next to *xây_dựng_đảng*, *huyện_ủy* and *tỉnh_ủy*, and further down *điều_lệ_đảng* and
  *hội_nghị*: the words of Lộc Hà's conference on the Party Statutes, whose report also speaks
  of fighting corruption. Read the paragraphs of a theme before trusting it
  (`representative_units`, notebook 01).
* A seed word can end up elsewhere when the corpus says so: *bí_thư_chi_bộ* (Party cell
  secretary) is a seed word of organisational work but ranks higher in "free 0" (sixth) than in
  its own theme (twelfth). The seed priors steer the sampling; the top words are what the
  sampler put in each topic.

## Codebook themes against unsupervised topics

Does an unsupervised model find these themes by itself? Fit LDA with as many topics (k = 10, the
same sampler, the same seed), and compare each codebook theme with each LDA topic by the cosine
similarity of their word distributions (`align_models`).
'''), code('''
from vnparty.plotting import plot_heatmap

lda = vnparty.fit_lda(tokens, k=model.k, seed=0)
lda_labels = [f"{t}: {', '.join(words)}" for t, words in enumerate(lda.top_words(2))]
similarity = vnparty.align_models(model, lda).attrs["similarity"]
plot_heatmap(similarity, model.topic_names, [str(t) for t in range(lda.k)],
             title="Cosine similarity: codebook themes × LDA topics", xlabel="LDA topic")
'''), code('''
for label in lda_labels:
    print(label)
'''), md('''
Inspection and discipline (LDA topic 9, *kiểm_tra, giám_sát*: a similarity of 0.76), ethics
(0: 0.69), ideological work (6, *nghị_quyết*: 0.67) and organisational work (3: 0.50) each have
an LDA topic that resembles them: the unsupervised model finds these themes without being told.
The other four are different:

* cadre work is closest to LDA topic 1 (0.44), which mixes *cán_bộ* with the words of every
  article (it is the twin of "free 1", 0.80);
* mass mobilisation (2, *dân, lắng_nghe*: 0.42) and political building (7, *phát_huy, chỉ_đạo*:
  0.40) half resemble one LDA topic each;
* anti-corruption resembles no LDA topic (0.31 at most, with the resolutions topic 6, and 0.29
  with inspection): left to itself, LDA spreads its words over other topics, and only the
  codebook pulls them together.

## Article by article

`article_shares` sums each model's paragraph shares per article (weighted by length).
`plot_codebook_comparison` puts the two side by side, one row per article, on one colour scale.
'''), code('''
from vnparty.plotting import plot_codebook_comparison

frame = vnparty.unit_frame(units, articles, tokens)
names = [f"{a.id[:3]} {a.district or a.province}" for a in articles]
plot_codebook_comparison(vnparty.article_shares(model, frame), vnparty.article_shares(lda, frame),
                         seeded_labels=model.topic_names, unsupervised_labels=lda_labels,
                         article_labels=names)
'''), md('''
Read the left panel row by row: the codebook gives every article a profile on the same eight named
themes, which makes the articles comparable. Đầm Hà (000, 0.20) and Lộc Hà (004, 0.15) give the
most to ideological work, and Lộc Hà by far the most to anti-corruption (0.22, its conference,
as above); article 002 (Quảng Ninh) gives the most to "free 0" (0.30, its village heads);
Châu Thành (003) the most to political building (0.13) and cadre work (0.12). The general words
of "free 1" take 0.26 to 0.42 of every article. On the right, the unsupervised topics draw their
own lines: LDA's topic of general words (1) takes 0.27 to 0.34 of every article, and its
resolutions topic (6) is largest in Lộc Hà's article (0.23).

## Your own codebook

Copy the bundled file, edit it in a text editor or a spreadsheet (save as tab-separated UTF-8:
columns `theme`, `gloss`, `source`, `seed_words`; seed words are tokens as `preprocess` writes
them, separated by spaces), audit it, and pass its path: `vnparty.fit_seeded(tokens,
codebook="my_codebook.tsv")`. A line in the wrong format is an error that names the line. For a
quick try, a mapping works too:
'''), code('''
mine = {"inspection": ["kiểm_tra", "giám_sát", "kỷ_luật"],
        "Party cells": ["chi_bộ", "sinh_hoạt_chi_bộ", "bí_thư_chi_bộ"]}
small = vnparty.fit_seeded(tokens, mine, k_free=4, seed=0)
for name, words in zip(small.topic_names, small.top_words(6)):
    print(f"{name:12}", " ".join(words))
'''), md('''
Things to keep in mind:

* **Seeding names themes; it does not find them better.** On news with known categories
  (`benchmarks/RESULTS_seeded.md`), themes seeded with five or six words per category match the
  categories about as well as unsupervised LDA topics do after the best matching to the
  categories, no better. What the codebook adds is that each theme has its name from the start,
  whatever the seed; on a corpus as small as this one, the words a theme gathers beyond its seed
  words still change from seed to seed.
* **Free topics matter.** Without them, general words and themes the codebook misses are forced
  into the named themes. `k_free=2` is the default.
* **Seed words in two themes are refused**: which theme a word belongs to is a decision for the
  researcher, and `codebook_audit` lists every such word.
* `seed_weight` (default 1: a seed word's prior in its theme is raised by its count in the
  corpus, seededlda's default) sets how hard the seeds pull; on the news benchmark 0.3 to 3 gave
  about the same, 10 made things worse.
''')]

NOTEBOOKS = {
    "01_quickstart.ipynb": NB01,
    "02_vietnamese_preprocessing.ipynb": NB02,
    "03_lda_vs_nmf.ipynb": NB03,
    "04_choosing_k_and_stability.ipynb": NB04,
    "05_themes_across_articles.ipynb": NB05,
    "06_your_own_corpus.ipynb": NB06,
    "07_codebook_themes.ipynb": NB07,
}


# --------------------------------------------------------------------------------------------
def kernel_manager(folder: Path) -> AsyncKernelManager:
    """A kernel manager whose only kernel runs ``sys.executable`` (a kernelspec in ``folder``)."""
    spec = folder / "kernels" / "vnparty-python"
    spec.mkdir(parents=True, exist_ok=True)
    (spec / "kernel.json").write_text(json.dumps({
        "argv": [sys.executable, "-Xfrozen_modules=off", "-m", "ipykernel_launcher",
                 "-f", "{connection_file}"],
        "display_name": "vnparty", "language": "python"}))
    specs = KernelSpecManager(kernel_dirs=[str(folder / "kernels")])
    return AsyncKernelManager(kernel_name="vnparty-python", kernel_spec_manager=specs)


def execute(nb, cwd: Path, timeout: int = 120):
    """Run ``nb`` top to bottom in the kernel of ``sys.executable`` with ``cwd`` as working
    directory; raise on the first error."""
    with tempfile.TemporaryDirectory() as spec_folder:
        client = NotebookClient(nb, km=kernel_manager(Path(spec_folder)), timeout=timeout,
                                record_timing=False,
                                resources={"metadata": {"path": str(cwd)}})
        client.execute(cleanup_kc=True)  # shut the kernel down: the client does not own km
    nb.metadata["kernelspec"] = dict(KERNELSPEC)
    merge_streams(nb)
    return nb


def merge_streams(nb) -> None:
    """Join consecutive outputs of one stream: how the kernel cuts printed text into pieces
    depends on timing, not on the code."""
    for cell in nb.cells:
        merged = []
        for output in cell.get("outputs", []):
            if (merged and output.output_type == "stream" and merged[-1].output_type == "stream"
                    and merged[-1].name == output.name):
                merged[-1].text += output.text
            else:
                merged.append(output)
        if cell.cell_type == "code":
            cell.outputs = merged



def build(name: str) -> float:
    nb = nbformat.v4.new_notebook()
    nb.cells = [nbformat.from_dict(dict(c)) for c in NOTEBOOKS[name]]
    for number, cell in enumerate(nb.cells):
        cell["id"] = f"{name[:2]}-{number:02d}"  # stable ids: rebuilding changes no line
    nb.metadata["kernelspec"] = dict(KERNELSPEC)
    nb.metadata["language_info"] = {"name": "python"}
    start = time.perf_counter()
    execute(nb, HERE)
    seconds = time.perf_counter() - start
    nb.metadata["language_info"] = {"name": "python"}  # no interpreter version in the file
    nbformat.validate(nb)
    nbformat.write(nb, HERE / name)
    return seconds


def main(prefixes: list[str]) -> None:
    for name in NOTEBOOKS:
        if not prefixes or any(name.startswith(p) for p in prefixes):
            print(f"{name}: {build(name):.1f} s", flush=True)


if __name__ == "__main__":
    main(sys.argv[1:])
