"""A single, self-contained HTML page to explore one topic model offline.

Written by hand rather than with pyLDAvis, whose page loads d3 from a CDN: everything here (data,
style, a few lines of script) is inline, so the page works with no network.
"""

from __future__ import annotations

import html
import json
import re

import pandas as pd

from .models import TopicModel

__all__ = ["explorer_html"]

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
.bar {{ background: #1f77b4; height: 1em; }}
blockquote {{ border-left: 3px solid #ccc; margin: .6em 0; padding-left: .8em; font-size: 90%; }}
table {{ border-collapse: collapse; font-size: 85%; }} td, th {{ padding: 2px 6px; border-bottom: 1px solid #eee; }}
</style></head><body>
<h1>{title}</h1>
<p>{summary}</p>
<div id="topics"></div>
<h2 id="heading"></h2><div id="words"></div>
<h3>Most representative paragraphs</h3><div id="examples"></div>
<h3>Share of the topic in each article</h3><table id="articles"></table>
<script id="data" type="application/json">{data}</script>
<script>
const data = JSON.parse(document.getElementById("data").textContent);
function el(tag, text) {{ const e = document.createElement(tag); if (text !== undefined) e.textContent = text; return e; }}
function show(t) {{
  document.querySelectorAll("#topics button").forEach((b, i) => b.classList.toggle("on", i === t));
  const topic = data.topics[t];
  document.getElementById("heading").textContent = "Topic " + t + ": " + topic.label;
  const words = document.getElementById("words"); words.replaceChildren();
  const top = topic.weights[0];
  topic.words.forEach((w, i) => {{
    const row = el("div"); row.className = "row";
    const name = el("span", w + (topic.glosses[i] ? " (" + topic.glosses[i] + ")" : "")); name.className = "word";
    const bar = el("span"); bar.className = "bar"; bar.style.width = (20 * topic.weights[i] / top) + "em";
    row.append(name, bar); words.append(row);
  }});
  const examples = document.getElementById("examples"); examples.replaceChildren();
  topic.examples.forEach(x => examples.append(el("blockquote", x.article + " (" + x.share.toFixed(2) + "): " + x.text)));
  const table = document.getElementById("articles"); table.replaceChildren();
  data.articles.forEach(a => {{ const tr = el("tr"); tr.append(el("td", a.title), el("td", a.shares[t].toFixed(2))); table.append(tr); }});
}}
data.topics.forEach((topic, t) => {{
  const b = el("button", t + ": " + topic.words.slice(0, 3).join(" · ")); b.onclick = () => show(t);
  document.getElementById("topics").append(b);
}});
show(0);
</script></body></html>
"""


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


def explorer_html(model: TopicModel, *, labels: list[str], glosses: dict[str, str],
                  examples: pd.DataFrame, article_shares: pd.DataFrame,
                  titles: dict[str, str], n: int = 20, title: str | None = None) -> str:
    """The page for ``model``: its topics (top ``n`` words with glosses, one of ``labels`` per
    topic), the representative units of each (``examples``, from
    :func:`vnparty.representative_units`) and the topic shares of each article
    (``article_shares``, from :func:`vnparty.article_shares`). Every string is escaped, whatever
    it holds."""
    labels = list(labels)
    if len(labels) != model.k:
        raise ValueError(f"labels has {len(labels)} entries but the model has k = {model.k} "
                         "topics; give one label per topic (e.g. vnparty.topic_labels(model))")
    topics = []
    for t, words in enumerate(model.top_words(n)):
        weights = [float(model.topic_word[t, model.vocabulary.index(w)]) for w in words]
        rows = examples[examples["topic"] == t]
        topics.append({"label": str(labels[t]), "words": words, "weights": weights,
                       "glosses": [glosses.get(w, "") for w in words],
                       "examples": [{"article": str(r.article_id), "share": r.share,
                                     "text": r.excerpt} for r in rows.itertuples()]})
    articles = [{"title": str(titles.get(i, i)), "shares": [float(x) for x in row]}
                for i, row in zip(article_shares.index, article_shares.to_numpy())]
    data = script_json({"topics": topics, "articles": articles})
    title = title or f"{model.kind.upper()} topics (k = {model.k})"
    summary = (f"{model.kind.upper()} ({model.backend}), k = {model.k}, seed = {model.seed}, "
               f"{model.doc_topic.shape[0]} documents, {len(model.vocabulary)} words. "
               "Click a topic.")
    return _PAGE.format(title=_html_text(title), summary=_html_text(summary), data=data)
