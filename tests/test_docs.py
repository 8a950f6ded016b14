"""The documentation site (mkdocs.yml, docs/): a strict, offline build; an API page for every
module; a gallery made from the current code; nothing loaded from other hosts; and the examples
of the pages run with doctest, so they cannot rot."""

from __future__ import annotations

import doctest
import json
import os
import pkgutil
import re
import subprocess
import sys
import time
from html.parser import HTMLParser
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
DOCS = ROOT / "docs"
MODULES = sorted(m.name for m in pkgutil.iter_modules([str(ROOT / "vnparty")])
                 if not m.name.startswith("_"))


# -- the build -----------------------------------------------------------------------------------
@pytest.fixture(scope="module")
def site(tmp_path_factory):
    for package in ("mkdocs", "material", "mkdocstrings", "mkdocstrings_handlers.python"):
        pytest.importorskip(package)
    out = tmp_path_factory.mktemp("site")
    env = {k: v for k, v in os.environ.items() if k != "VNPARTY_DOCS_RESULTS"}  # regenerate
    env.update(NO_MKDOCS_2_WARNING="1", MPLBACKEND="Agg", PYTHONHASHSEED="0",
               # offline: any attempt to fetch something (inventories, fonts) fails at once
               HTTP_PROXY="http://127.0.0.1:9", HTTPS_PROXY="http://127.0.0.1:9",
               http_proxy="http://127.0.0.1:9", https_proxy="http://127.0.0.1:9",
               NO_PROXY="", no_proxy="")
    started = time.perf_counter()
    result = subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "--strict", "--config-file",
         str(ROOT / "mkdocs.yml"), "--site-dir", str(out)],
        cwd=ROOT, env=env, capture_output=True, text=True, timeout=600)
    seconds = time.perf_counter() - started
    log = result.stdout + result.stderr
    assert result.returncode == 0, f"mkdocs build --strict failed after {seconds:.0f} s:\n{log}"
    assert not re.search(r"^(WARNING|ERROR)\b", log, re.MULTILINE), log
    print(f"docs built in {seconds:.1f} s")
    return out


def _html(path: Path) -> str:
    return path.read_text(encoding="utf-8")


@pytest.mark.slow
def test_every_module_has_an_api_page_with_its_names(site):
    for module in MODULES:
        assert (site / "api" / module / "index.html").is_file(), f"no API page for {module}"
    expected = {"normalize": ["normalize_text", "normalize_tone_marks"],
                "models": ["fit_lda", "fit_nmf", "TopicModel", "lda_doc_topic"],
                "tokenization": ["segment", "segment_spans"],
                "corpus": ["load_articles", "read_articles", "split_units"],
                "evaluation": ["coherence", "select_k", "stability", "perplexity"],
                "stopwords": ["Stopwords"], "preprocess": ["Preprocessor", "preprocess"],
                "reproduce": ["Settings", "reproduce", "check"]}
    for module, names in expected.items():
        page = _html(site / "api" / module / "index.html")
        for name in names:
            assert f'id="vnparty.{module}.{name}"' in page, f"{name} not documented on {module}"
    index = _html(site / "api" / "index.html")
    assert 'href="normalize/#vnparty.normalize.normalize_text"' in index


@pytest.mark.slow
def test_docstrings_render_as_markdown(site):
    for page in (site / "api").rglob("*.html"):
        text = _html(page)
        # Sphinx roles are turned into links or code, doctest lines into code blocks
        assert not re.search(r":(func|class|meth|mod|data|attr):(`|<code>)", text), page
        assert "<blockquote>\n<blockquote>" not in text, page


@pytest.mark.slow
def test_gallery_shows_the_figures_of_a_fresh_run(site):
    gallery = site / "gallery"
    manifest = json.loads((gallery / "manifest.json").read_text(encoding="utf-8"))
    made = sorted(name for name in manifest["outputs"] if name.endswith(".png"))
    assert len(made) >= 10 and manifest["settings"]["formats"] == ["png"]
    page = _html(gallery / "index.html")
    for name in made:
        figure = gallery / name
        assert figure.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n", name
        assert f'src="{name}"' in page, f"{name} is not shown in the gallery"
    shown = set(re.findall(r'<img[^>]*src="(figures/[^"]+)"', page))
    assert shown == set(made)
    # each figure opens full size: the image is a link to its own file
    linked = set(re.findall(r'<a href="(figures/[^"]+)"[^>]*>\s*<img[^>]*src="\1"', page))
    assert linked == set(made)
    for model in ("lda", "nmf"):
        assert (gallery / "explorer" / f"{model}.html").is_file()
        assert f'href="explorer/{model}.html"' in page


@pytest.mark.slow
def test_pages_exist(site):
    for page in ["index.html", "gallery/index.html", "reproducibility/index.html",
                 "performance/index.html", "method/index.html", "method/pitfalls/index.html"]:
        assert (site / page).is_file(), page
    performance = _html(site / "performance" / "index.html")
    for script in (ROOT / "benchmarks").glob("*.py"):
        if not script.name.startswith("_"):
            assert f"benchmarks/{script.name}" in performance, script.name


@pytest.mark.slow
def test_every_notebook_has_a_page_with_its_outputs(site):
    """docs/hooks/notebooks.py: a page per notebooks/NN_name.ipynb under "Notebooks", its PNG
    outputs as image files beside it, the .ipynb for download, and no script from another host."""
    notebooks = sorted((ROOT / "notebooks").glob("[0-9][0-9]_*.ipynb"))
    assert len(notebooks) >= 7
    index = _html(site / "notebooks" / "index.html")
    home = _html(site / "index.html")
    for notebook in notebooks:
        page = site / "notebooks" / notebook.stem / "index.html"
        assert page.is_file(), f"no page for {notebook.name}"
        text = _html(page)
        assert f'href="{notebook.stem}/"' in index and f'href="notebooks/{notebook.stem}/"' in home
        assert (site / "notebooks" / notebook.name).read_bytes() == notebook.read_bytes()
        cells = json.loads(notebook.read_text(encoding="utf-8"))["cells"]
        images = sum("image/png" in o.get("data", {}) for c in cells for o in c.get("outputs", []))
        shown = re.findall(r'<img[^>]*src="(out-[^"]+\.png)"', text)
        assert len(shown) == images, notebook.name
        for name in shown:
            assert (page.parent / name).read_bytes()[:8] == b"\x89PNG\r\n\x1a\n", name
        scripts = re.findall(r"<script[^>]*\bsrc=[\"']?([^\"' >]+)", text, re.IGNORECASE)
        assert scripts and not [s for s in scripts if re.match(r"(?i)(https?:)?//", s)], scripts
    # the outputs are shown: a number printed by notebook 05 appears on its page
    assert "0.49" in _html(site / "notebooks" / "05_themes_across_articles" / "index.html")


class _Resources(HTMLParser):
    """Every URL a page loads by itself (not the ones a reader may follow)."""

    LOADED = {"script": "src", "img": "src", "iframe": "src", "source": "src", "audio": "src",
              "video": "src", "embed": "src", "object": "data", "link": "href"}

    def __init__(self):
        super().__init__()
        self.urls: list[str] = []
        self.styles: list[str] = []
        self._in_style = False

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        name = self.LOADED.get(tag)
        if name and attrs.get(name):
            if tag != "link" or attrs.get("rel", "") not in ("next", "prev", "canonical"):
                self.urls.append(attrs[name])
        if attrs.get("style"):
            self.styles.append(attrs["style"])
        self._in_style = tag == "style"

    def handle_endtag(self, tag):
        self._in_style = False

    def handle_data(self, data):
        if self._in_style:
            self.styles.append(data)


_EXTERNAL = re.compile(r"^(?:[a-z][a-z0-9+.-]*:)?//", re.IGNORECASE)
_CSS_EXTERNAL = re.compile(r"(?:url\(\s*['\"]?|@import\s+['\"])\s*(?:https?:)?//", re.IGNORECASE)


@pytest.mark.slow
def test_nothing_is_loaded_from_other_hosts(site):
    pages = list(site.rglob("*.html"))
    assert len(pages) > 20
    for page in pages:
        text = _html(page)
        parser = _Resources()
        parser.feed(text)
        external = [u for u in parser.urls if _EXTERNAL.match(u.strip())]
        assert not external, f"{page.relative_to(site)} loads {external}"
        assert not any(_CSS_EXTERNAL.search(s) for s in parser.styles), page
        assert "fonts.googleapis" not in text and "fonts.gstatic" not in text, page
    for sheet in site.rglob("*.css"):
        assert not _CSS_EXTERNAL.search(sheet.read_text(encoding="utf-8")), sheet


# -- the examples of the pages --------------------------------------------------------------------
_FENCE = re.compile(r"^(?P<indent>[ \t]*)```(?P<lang>[\w-]*)[^\n]*\n(?P<body>.*?)^(?P=indent)```",
                    re.MULTILINE | re.DOTALL)
PAGES = sorted(p for p in DOCS.rglob("*.md") if "hooks" not in p.parts)


def _python_blocks(path: Path):
    """(line number, code) of each ```python / ```pycon block of a page."""
    text = path.read_text(encoding="utf-8")
    for match in _FENCE.finditer(text):
        if match.group("lang") in ("python", "pycon", "py"):
            body = re.sub(rf"^{match.group('indent')}", "", match.group("body"), flags=re.MULTILINE)
            yield text.count("\n", 0, match.start()) + 1, body


def _pages_with_examples():
    return [p for p in PAGES if any(">>>" in code for _, code in _python_blocks(p))]


def test_the_pages_hold_examples():
    examples = sum(code.count(">>> ") for p in PAGES for _, code in _python_blocks(p))
    assert len(_pages_with_examples()) >= 8 and examples >= 60, examples


@pytest.mark.parametrize("page", _pages_with_examples(),
                         ids=lambda p: p.relative_to(DOCS).as_posix())
def test_examples_of_the_page_run(page):
    """The >>> examples of a page, in order, sharing one namespace (as a reader would type
    them); python blocks without prompts must at least compile."""
    parser = doctest.DocTestParser()
    runner = doctest.DocTestRunner(optionflags=doctest.ELLIPSIS | doctest.NORMALIZE_WHITESPACE)
    namespace = {"__name__": "docs_example"}
    report: list[str] = []
    for line, code in _python_blocks(page):
        name = f"{page.relative_to(DOCS).as_posix()}:{line}"
        if ">>>" not in code:
            compile(code, name, "exec")
            continue
        test = parser.get_doctest(code, namespace, name, str(page), line)
        runner.run(test, out=report.append, clear_globs=False)
        namespace = test.globs  # (get_doctest copies the namespace) the next block goes on
    result = runner.summarize(verbose=False)
    assert result.failed == 0, "".join(report)
