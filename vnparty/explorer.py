"""A single, self-contained HTML page to explore one topic model offline.

Written by hand rather than with pyLDAvis, whose page loads d3 from a CDN: everything here (data,
style, a few lines of script) is inline, so the page works with no network. Like pyLDAvis it
ranks a topic's words by relevance (Sievert & Shirley 2014) with a slider for λ.
"""

from __future__ import annotations

import html
import json
import os
import re
from collections.abc import Mapping
from numbers import Real
from pathlib import Path

import numpy as np
import pandas as pd

from ._params import check, whole
from .analysis import _rows, article_shares as _article_shares, representative_units
from .analysis import topic_labels
from .corpus import UNITS
from .io import atomic_write_bytes
from .lexicon import Lexicon, default_lexicon
from .models import TopicModel

__all__ = ["explorer_html", "write_explorer", "relevance_candidates", "LAMBDAS"]

# the slider's steps; the page ranks words at these values of λ only
LAMBDAS = tuple(i / 10 for i in range(11))
_DIGITS = 6  # logs and shares in the page are rounded, so the page is the same on every machine

_PAGE = """<!DOCTYPE html>
<html lang="vi"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{title}</title>
<style>
body {{ font-family: "DejaVu Sans", "Noto Sans", Arial, sans-serif; margin: 1.5em; color: #222; }}
#topics button {{ margin: 0 .3em .3em 0; padding: .3em .6em; border: 1px solid #999;
  background: #f4f4f4; cursor: pointer; border-radius: 3px; }}
#topics button.on {{ background: #1f77b4; color: white; }}
.row {{ display: flex; align-items: center; margin: 2px 0; }}
.word {{ width: 22em; text-align: right; padding-right: .5em; font-size: 90%; }}
.all {{ background: #c6dbef; height: 1em; position: relative; }}
.topic {{ background: #1f77b4; height: 1em; position: absolute; left: 0; top: 0; }}
.note {{ font-size: 85%; color: #555; max-width: 50em; }}
blockquote {{ border-left: 3px solid #ccc; margin: .6em 0; padding-left: .8em; font-size: 90%; }}
blockquote b {{ font-weight: 600; }}
table {{ border-collapse: collapse; font-size: 85%; }} td, th {{ padding: 2px 6px; border-bottom: 1px solid #eee; }}
</style></head><body>
<h1>{title}</h1>
<p>{summary}</p>
<div id="topics"></div>
<h2 id="heading"></h2>
<p><label for="lambda">Relevance λ = <output id="lambda-value">{relevance}</output></label>
<input type="range" id="lambda" min="0" max="1" step="0.1" value="{relevance}"></p>
<p class="note">Words are ranked by relevance λ·log p(w | topic) + (1 − λ)·log(p(w | topic) / p(w)):
λ = 1 lists the words most frequent in the topic, λ = 0 the words most specific to it (lift), and
λ = 0.6 suited readers best in Sievert &amp; Shirley (2014), “LDAvis: A method for visualizing and
interpreting topics”, Workshop on Interactive Language Learning, Visualization, and Interfaces
(ACL), pp. 63–70. Light bar: the word’s share of all words in the corpus; dark bar: the part
of it this topic accounts for.</p>
<div id="words"></div>
{sections}<script id="data" type="application/json">{data}</script>
<script>
const data = JSON.parse(document.getElementById("data").textContent);
const slider = document.getElementById("lambda");
let current = 0;
function el(tag, text) {{ const e = document.createElement(tag); if (text !== undefined) e.textContent = text; return e; }}
function lambda() {{ return Math.round(parseFloat(slider.value) * 10) / 10; }}
function ranked(topic, l) {{
  const relevance = topic.logphi.map((a, i) => l * a + (1 - l) * (a - topic.logp[i]));
  const order = topic.words.map((w, i) => i);
  order.sort((a, b) => relevance[b] - relevance[a]);  // stable: ties keep the order by weight
  return order.slice(0, data.n);
}}
function showWords() {{
  const topic = data.topics[current], l = lambda();
  document.getElementById("lambda-value").textContent = l.toFixed(1);
  const words = document.getElementById("words"); words.replaceChildren();
  const order = ranked(topic, l);
  const most = Math.max(...order.map(i => Math.exp(topic.logp[i])));
  order.forEach(i => {{
    const w = topic.words[i], all = Math.exp(topic.logp[i]);
    const mine = Math.min(all, topic.share * Math.exp(topic.logphi[i]));
    const row = el("div"); row.className = "row";
    const name = el("span", w + (topic.glosses[i] ? " (" + topic.glosses[i] + ")" : "")); name.className = "word";
    const bar = el("span"); bar.className = "all"; bar.style.width = (20 * all / most) + "em";
    const inner = el("span"); inner.className = "topic"; inner.style.width = (100 * mine / all) + "%";
    bar.title = "p(w | topic) = " + Math.exp(topic.logphi[i]).toPrecision(3) + ", p(w) = " + all.toPrecision(3);
    bar.append(inner); row.append(name, bar); words.append(row);
  }});
}}
function show(t) {{
  current = t;
  document.querySelectorAll("#topics button").forEach((b, i) => b.classList.toggle("on", i === t));
  const topic = data.topics[t];
  document.getElementById("heading").textContent =
    "Topic " + t + ": " + topic.label + " (" + (100 * topic.share).toFixed(1) + "% of the corpus)";
  showWords();
  const examples = document.getElementById("examples");
  if (examples) {{
    examples.replaceChildren();
    topic.examples.forEach(x => {{
      const q = el("blockquote"), where = x.unit === null ? x.title : x.title + ", " + data.unit + " " + (x.unit + 1);
      q.append(el("b", where), document.createTextNode(" (" + x.share.toFixed(2) + "): " + x.text));
      examples.append(q);
    }});
  }}
  const table = document.getElementById("articles");
  if (table) {{
    table.replaceChildren();
    data.articles.forEach(a => {{ const tr = el("tr"); tr.append(el("td", a.title), el("td", a.shares[t].toFixed(2))); table.append(tr); }});
  }}
}}
data.topics.forEach((topic, t) => {{
  const b = el("button", t + ": " + topic.label); b.onclick = () => show(t);
  document.getElementById("topics").append(b);
}});
slider.oninput = showWords;
show(0);
</script></body></html>
"""

_EXAMPLES = '<h3>Most representative {units}</h3><div id="examples"></div>\n'
_ARTICLES = '<h3>Share of the topic in each article</h3><table id="articles"></table>\n'


# Inside <script> the HTML parser reacts to "<!--", "<script" and "</": with <, > and & as JSON
# escapes, no data string can end or hide the element. U+2028/9 break older JavaScript parsers.
# Lone surrogates cannot be written as UTF-8 (and crash Chromium as data): they become U+FFFD.
_SCRIPT_UNSAFE = re.compile(r"[<>&\u2028\u2029]")
_LONE_SURROGATE = re.compile(r"[\ud800-\udfff]")


def script_json(value) -> str:
    """``value`` as JSON that is safe to place inside a ``<script>`` element of a page; lone
    surrogates in its strings become U+FFFD."""
    text = _LONE_SURROGATE.sub("\ufffd", json.dumps(value, ensure_ascii=False, sort_keys=True))
    return _SCRIPT_UNSAFE.sub(lambda m: f"\\u{ord(m.group()):04x}", text)


def _html_text(text: str) -> str:
    return html.escape(_LONE_SURROGATE.sub("\ufffd", text))


def _round(value) -> float:
    return round(float(value), _DIGITS)


def _topic_mass(model: TopicModel, rows: pd.DataFrame | None) -> np.ndarray:
    """π: each topic's share of the words of the corpus, Σ_d len_d θ_dt normalised (equal lengths
    when the frame has no n_tokens)."""
    lengths = np.ones(model.doc_topic.shape[0])
    if rows is not None and "n_tokens" in rows.columns:
        lengths = pd.to_numeric(rows["n_tokens"], errors="coerce").to_numpy(dtype=float)
    mass = lengths @ model.doc_topic
    if not (np.isfinite(mass).all() and (mass >= 0).all() and mass.sum() > 0):
        mass = np.ones(model.k)
    return mass / mass.sum()


def relevance_candidates(model: TopicModel, n: int, topic_mass: np.ndarray | None = None
                         ) -> list[dict]:
    """For each topic, the words that can be among its ``n`` most relevant at some λ of
    :data:`LAMBDAS`, in the order of p(w | topic) (ties by vocabulary order), with their
    ``logphi`` = log p(w | topic) and ``logp`` = log p(w), rounded to 6 decimals.

    p(w) = Σ_t π_t p(w | t) with ``topic_mass`` π (equal when None). Relevance, as in LDAvis
    (Sievert & Shirley 2014), is λ·logphi + (1 − λ)·(logphi − logp); ranking the candidates by
    it, stably, gives the top ``n`` words at λ, as the page does. Words with p(w | topic) = 0
    are never candidates."""
    phi = model.topic_word
    mass = np.full(model.k, 1 / model.k) if topic_mass is None else np.asarray(topic_mass, float)
    corpus = np.maximum(mass @ phi, np.finfo(float).tiny)  # a topic no document uses: no log 0
    log_p = np.round(np.log(corpus), _DIGITS)
    out = []
    for t in range(model.k):
        order = np.argsort(-phi[t], kind="stable")
        order = order[phi[t, order] > 0]
        log_phi = np.round(np.log(phi[t, order]), _DIGITS)
        lp = log_p[order]
        chosen: set[int] = set()
        for lam in LAMBDAS:
            relevance = lam * log_phi + (1 - lam) * (log_phi - lp)
            chosen.update(np.argsort(-relevance, kind="stable")[:n].tolist())
        keep = sorted(chosen)
        out.append({"words": [model.vocabulary[j] for j in order[keep]],
                    "logphi": log_phi[keep].tolist(), "logp": lp[keep].tolist()})
    return out


def _gloss(word: str, glosses: Mapping[str, str], lexicon: Lexicon | None) -> str:
    found = lexicon.gloss(word) if lexicon is not None else glosses.get(word)
    return str(found) if found else ""


def _infer_unit(frame: pd.DataFrame | None, examples: pd.DataFrame | None) -> str:
    if frame is not None:
        single = frame.groupby("article_id", sort=False).size().eq(1).all()
        return "article" if single and (frame["unit_index"] == 0).all() else "paragraph"
    if examples is not None and "unit_index" in examples.columns and len(examples):
        return "paragraph" if (examples["unit_index"] > 0).any() else "document"
    return "document"


def _frame_titles(frame: pd.DataFrame | None) -> dict:
    if frame is None or "title" not in frame.columns:
        return {}
    titles = frame[["article_id", "title"]].dropna().drop_duplicates("article_id")
    return {a: str(t) for a, t in zip(titles["article_id"], titles["title"]) if str(t).strip()}


def _topic_columns(shares: pd.DataFrame, k: int) -> np.ndarray:
    """The k topic columns of an article-shares table (0 … k−1, or all when it has just k)."""
    if all(t in shares.columns for t in range(k)):
        return shares.loc[:, list(range(k))].to_numpy(dtype=float)
    if shares.shape[1] == k:
        return shares.to_numpy(dtype=float)
    raise ValueError(f"article_shares has columns {list(shares.columns)} but the model has "
                     f"k = {k} topics; pass vnparty.article_shares(model, frame)")


def _check_frame(model: TopicModel, frame) -> pd.DataFrame | None:
    if frame is None:
        return None
    if not isinstance(frame, pd.DataFrame):
        raise TypeError(f"frame must be a pandas DataFrame from vnparty.unit_frame(units, articles, "
                        f"tokens), not {type(frame).__name__}")
    missing = [c for c in ("article_id", "unit_index", "text") if c not in frame.columns]
    if missing:
        raise ValueError(f"frame has no column {', '.join(map(repr, missing))}; build it with "
                         "vnparty.unit_frame(units, articles, tokens)")
    return _rows(model, frame)


def explorer_html(model: TopicModel, frame: pd.DataFrame | None = None, *,
                  labels: list[str] | None = None, glosses: Mapping[str, str] | None = None,
                  lexicon: Lexicon | None = None, n: int = 30, n_examples: int = 3,
                  title: str | None = None, unit: str | None = None, relevance: float = 0.6,
                  examples: pd.DataFrame | None = None, article_shares: pd.DataFrame | None = None,
                  titles: Mapping[str, str] | None = None) -> str:
    """A self-contained HTML page to explore ``model`` offline.

    Click a topic to see its ``n`` most relevant words (with English glosses, bars for their
    frequency in the topic and in the corpus, and a slider for the relevance weight λ of
    Sievert & Shirley 2014), its most representative units with their article's title, and its
    share in each article. Data, style and script are inline: no network, no CDN, no fonts to
    fetch. Every string is escaped, whatever it holds; the same inputs give the same bytes.

    Parameters
    ----------
    model : TopicModel
        The fitted model.
    frame : pandas.DataFrame, optional
        :func:`vnparty.unit_frame` of the units the model was fitted on (its ``doc_index``
        picks the rows). With its ``n_tokens`` column, the corpus word frequencies and the
        article shares weight each unit by its length. None: a page with topics and words only.
    labels : list of str, optional
        One label per topic. Default: ``model.topic_names`` when the model has them (seeded
        models), otherwise the top three words (:func:`vnparty.topic_labels`).
    glosses : mapping of str to str, optional
        English gloss of each word. Default: from ``lexicon``.
    lexicon : Lexicon, optional
        Where glosses come from when ``glosses`` is None; default :func:`vnparty.default_lexicon`.
    n : int, default 30
        Words shown per topic.
    n_examples : int, default 3
        Representative units per topic (:func:`vnparty.representative_units`); 0 for none.
    title : str, optional
        The page's title; default "LDA topics (k = 10)" and the like.
    unit : {"paragraph", "article", "sentence"}, optional
        What a document of the model is, for the headings. Default: "article" when every
        article of ``frame`` is one unit, otherwise "paragraph".
    relevance : float, default 0.6
        The slider's initial λ, one of 0, 0.1, …, 1: 1 ranks words by p(w | topic), 0 by
        lift p(w | topic) / p(w).
    examples, article_shares, titles : optional
        Precomputed :func:`vnparty.representative_units`, :func:`vnparty.article_shares` and
        a mapping of article id to title; by default computed from ``frame``.

    Returns
    -------
    str
        The page (encode it as UTF-8, or use :func:`write_explorer`).

    Raises
    ------
    TypeError
        ``model`` is not a :class:`vnparty.TopicModel`, or ``frame`` is not a DataFrame.
    ValueError
        ``labels`` has not one entry per topic, ``frame`` has fewer rows than the model has
        documents or lacks unit_frame's columns, ``unit`` or ``relevance`` is not an allowed
        value.

    Examples
    --------
    >>> import vnparty
    >>> articles = [vnparty.Article("a1", "Đại hội chi bộ", ("chi_bộ đảng_viên kết_nạp",) * 3),
    ...             vnparty.Article("a2", "Kỷ luật cán bộ", ("tham_nhũng kỷ_luật vi_phạm",) * 3)]
    >>> units = vnparty.split_units(articles)
    >>> tokens = [u.text.split() for u in units]
    >>> model = vnparty.fit_nmf(tokens, k=2)
    >>> html = vnparty.explorer_html(model, vnparty.unit_frame(units, articles, tokens))
    >>> "Đại hội chi bộ" in html and "Most representative paragraphs" in html
    True
    """
    if not isinstance(model, TopicModel):
        raise TypeError(f"model must be a vnparty.TopicModel (from fit_lda, fit_nmf, fit_seeded "
                        f"or TopicModel.load), not {type(model).__name__}")
    check("explorer_html", "n", n, whole(1))
    check("explorer_html", "n_examples", n_examples, whole(0))
    if unit is not None and unit not in UNITS:
        raise ValueError(f"unit must be one of {', '.join(map(repr, UNITS))} or None, "
                         f"not {unit!r}")
    steps = [lam for lam in LAMBDAS if isinstance(relevance, Real)
             and not isinstance(relevance, bool) and abs(relevance - lam) < 1e-6]
    if not steps:
        raise ValueError(f"relevance must be one of the slider's steps 0, 0.1, …, 1, "
                         f"not {relevance!r}")
    relevance = steps[0]
    rows = _check_frame(model, frame)
    if labels is None:
        labels = (model.topic_names if model.topic_names is not None
                  else topic_labels(model, 3, glosses=False))
    labels = [str(label) for label in labels]
    if len(labels) != model.k:
        raise ValueError(f"labels has {len(labels)} entries but the model has k = {model.k} "
                         "topics; give one label per topic (e.g. vnparty.topic_labels(model))")
    if glosses is not None and not isinstance(glosses, Mapping):
        raise TypeError(f"glosses must map words to glosses (a dict), not {type(glosses).__name__}")
    if glosses is None:
        lexicon = default_lexicon() if lexicon is None else lexicon
        glosses = {}
    else:
        lexicon = None
    if examples is None and frame is not None and n_examples:
        examples = representative_units(model, frame, n=n_examples)
    if article_shares is None and frame is not None:
        article_shares = _article_shares(
            model, frame, weight="n_tokens" if "n_tokens" in frame.columns else None)
    names = {**_frame_titles(frame), **({} if titles is None else dict(titles))}
    unit = unit or _infer_unit(frame, examples)

    mass = _topic_mass(model, rows)
    topics = []
    for t, words in enumerate(relevance_candidates(model, n, mass)):
        chosen = [] if examples is None else examples[examples["topic"] == t].to_dict("records")
        topics.append({
            "label": labels[t], "share": _round(mass[t]), **words,
            "glosses": [_gloss(w, glosses, lexicon) for w in words["words"]],
            "examples": [{"title": names.get(x["article_id"], str(x["article_id"])),
                          "unit": None if unit == "article" or "unit_index" not in x
                          else int(x["unit_index"]),
                          "share": _round(x["share"]), "text": str(x["excerpt"])}
                         for x in chosen]})
    data = {"topics": topics, "n": n, "unit": unit, "articles": []}
    if article_shares is not None:
        matrix = _topic_columns(article_shares, model.k)
        data["articles"] = [{"title": names.get(i, str(i)), "shares": [_round(x) for x in row]}
                            for i, row in zip(article_shares.index, matrix)]
    sections = ""
    if examples is not None:
        sections += _EXAMPLES.format(units=f"{unit}s")
    if article_shares is not None:
        sections += _ARTICLES
    title = title or f"{model.kind.upper()} topics (k = {model.k})"
    summary = (f"{model.kind.upper()} ({model.backend}), k = {model.k}, seed = {model.seed}, "
               f"{model.doc_topic.shape[0]} {unit}s, {len(model.vocabulary)} words. "
               "Click a topic.")
    return _PAGE.format(title=_html_text(str(title)), summary=_html_text(summary),
                        relevance=f"{relevance:.1f}", sections=sections, data=script_json(data))


def write_explorer(model: TopicModel, frame: pd.DataFrame | None, path: str | os.PathLike, *,
                   overwrite: bool = False, **options) -> Path:
    """Write :func:`explorer_html` of ``model`` to ``path`` as UTF-8.

    The file appears whole or not at all (written beside ``path``, then renamed), with the mode
    ``open()`` gives a new file (0o666 minus the umask). Missing parent folders are created.

    Parameters
    ----------
    model : TopicModel
        The fitted model.
    frame : pandas.DataFrame or None
        :func:`vnparty.unit_frame` of the units the model was fitted on, or None.
    path : str or os.PathLike
        The HTML file to write.
    overwrite : bool, default False
        Replace an existing file at ``path``.
    **options
        Any keyword argument of :func:`explorer_html` (labels, glosses, lexicon, n, n_examples,
        title, unit, relevance …).

    Returns
    -------
    pathlib.Path
        ``path``.

    Raises
    ------
    FileExistsError
        ``path`` exists and ``overwrite`` is False.
    IsADirectoryError
        ``path`` is a folder.
    TypeError, ValueError
        As :func:`explorer_html`.

    Examples
    --------
    >>> import vnparty
    >>> articles = [vnparty.Article("a1", "Đại hội chi bộ", ("chi_bộ đảng_viên kết_nạp",) * 3),
    ...             vnparty.Article("a2", "Kỷ luật cán bộ", ("tham_nhũng kỷ_luật vi_phạm",) * 3)]
    >>> units = vnparty.split_units(articles)
    >>> tokens = [u.text.split() for u in units]
    >>> model = vnparty.fit_nmf(tokens, k=2)
    >>> frame = vnparty.unit_frame(units, articles, tokens)
    >>> vnparty.write_explorer(model, frame, "explorer.html")  # doctest: +SKIP
    PosixPath('explorer.html')
    """
    path = Path(path)
    if path.is_dir():
        raise IsADirectoryError(f"{path} is a folder; give the path of the HTML file to write, "
                                f"such as {path / 'explorer.html'}")
    if not isinstance(overwrite, bool):
        raise TypeError(f"overwrite must be True or False, not {overwrite!r}")
    if (path.exists() or path.is_symlink()) and not overwrite:
        raise FileExistsError(f"{path} exists; pass overwrite=True to replace it or choose "
                              "another path")
    page = explorer_html(model, frame, **options)
    return atomic_write_bytes(path, page.encode("utf-8"))
