"""mkdocs hook: pages that cannot go stale.

At every build, this hook

* runs ``vnparty.reproduce.reproduce`` (PNG only) into a temporary folder and adds its figures,
  tables, explorer pages and manifest to the site under ``gallery/``, so the gallery always
  shows what the current code produces (a figure the gallery names but reproduce no longer
  writes is a broken link, which fails a strict build);
* makes every figure of the run shown on a page a link to the full-size file (the page shrinks
  wide figures to its width);
* fills the ``<!-- vnparty:... -->`` markers of the pages: tables and numbers of that run,
  figures not yet described on the gallery page, the measured results in ``benchmarks/*.md``,
  the list of top-level names;
* adds an API page for every vnparty module that has no page in ``docs/api/`` yet;
* hides ``# doctest: +...`` directives from the rendered code (tests/test_docs.py runs the
  examples of the pages with doctest).

While writing pages with ``mkdocs serve``, ``VNPARTY_DOCS_RESULTS=results`` (a folder written by
``vnparty reproduce``) skips the ~30 s regeneration at each rebuild; the gallery then says that it
was not regenerated. Builds for publication and the test suite leave it unset.

Nothing is fetched from the network.
"""

from __future__ import annotations

import csv
import inspect
import logging
import os
import pkgutil
import platform
import re
import shutil
import sys
import tempfile
import time
from pathlib import Path

from mkdocs.exceptions import PluginError
from mkdocs.structure.files import File, Files

log = logging.getLogger("mkdocs.hooks.vnparty")

API_SECTION = "API reference"
_STATE: dict = {}
_MARKER = re.compile(r"<!--\s*vnparty:([\w-]+)((?:\s+[^\s>]+)*)\s*-->")
_DOCTEST_DIRECTIVE = re.compile(r"[ \t]+#\s*doctest:[^\n]*")


# -- configuration ---------------------------------------------------------------------------
def _root(config) -> Path:
    return Path(config.config_file_path).resolve().parent


def _modules(root: Path) -> list[str]:
    return sorted(m.name for m in pkgutil.iter_modules([str(root / "vnparty")])
                  if not m.name.startswith("_"))


def on_config(config):
    root = _root(config)
    if str(root) not in sys.path:  # document and run the checkout being built
        sys.path.insert(0, str(root))
    docs = Path(config.docs_dir)
    missing = [m for m in _modules(root) if not (docs / "api" / f"{m}.md").is_file()]
    _STATE.clear()
    _STATE.update(root=root, missing_api=missing)
    if missing and config.nav:
        section = next((item for item in config.nav
                        if isinstance(item, dict) and API_SECTION in item), None)
        if section is None:
            section = {API_SECTION: []}
            config.nav.append(section)
        section[API_SECTION].extend({m: f"api/{m}.md"} for m in missing)
        log.info("API pages generated for modules without a page: %s", ", ".join(missing))
    return config


# -- files -----------------------------------------------------------------------------------
def on_files(files: Files, config) -> Files:
    from vnparty.reproduce import Settings, reproduce

    reuse = os.environ.get("VNPARTY_DOCS_RESULTS")
    if reuse:  # opt-in, for `mkdocs serve` while writing: the gallery is then not regenerated
        results = Path(reuse).resolve()
        if not (results / "manifest.json").is_file():
            raise PluginError(f"VNPARTY_DOCS_RESULTS={reuse} holds no manifest.json; point it "
                              "at a folder written by `vnparty reproduce`, or unset it")
        _STATE["seconds"] = None
        log.info("gallery: reusing %s (VNPARTY_DOCS_RESULTS), not regenerated", results)
    else:
        folder = Path(tempfile.mkdtemp(prefix="vnparty-docs-"))
        _STATE["tmp"] = folder
        results = folder / "results"
        started = time.perf_counter()
        reproduce(results, Settings(formats=("png",)), progress=False)
        _STATE["seconds"] = time.perf_counter() - started
        log.info("vnparty reproduce (PNG) for the gallery: %.1f s", _STATE["seconds"])
    _STATE["results"] = results
    for path in sorted(p for p in results.rglob("*") if p.is_file()):
        uri = "gallery/" + path.relative_to(results).as_posix()
        files.append(File.generated(config, uri, abs_src_path=str(path)))
    for module in _STATE["missing_api"]:
        files.append(File.generated(config, f"api/{module}.md",
                                    content=f"# `vnparty.{module}`\n\n::: vnparty.{module}\n"))
    return files


def on_post_build(config) -> None:
    _cleanup()


def on_build_error(error) -> None:
    _cleanup()


def _cleanup() -> None:
    folder = _STATE.pop("tmp", None)
    if folder is not None:
        shutil.rmtree(folder, ignore_errors=True)


# -- markers ---------------------------------------------------------------------------------
def on_page_markdown(markdown: str, page, config, files) -> str:
    def fill(match: re.Match) -> str:
        name, args = match.group(1), match.group(2).split()
        filler = _FILLERS.get(name)
        if filler is None:
            log.warning("%s: unknown marker vnparty:%s", page.file.src_uri, name)
            return ""
        text = filler(markdown, *args)
        # a marker alone on an indented line (in a tab, a list, an admonition): indent it all
        line = markdown[markdown.rfind("\n", 0, match.start()) + 1:match.start()]
        if line and not line.strip():
            text = text.replace("\n", "\n" + line)
        return text

    markdown = _MARKER.sub(fill, markdown)
    markdown = _FIGURE.sub(_linked, markdown)
    markdown = _MODULE_DIRECTIVE.sub(_module_anchor, markdown)
    return _DOCTEST_DIRECTIVE.sub("", markdown)


_MODULE_DIRECTIVE = re.compile(r"^::: *(vnparty(?:\.\w+)?) *$", re.MULTILINE)
# an image of the run not already inside a link: ![alt](gallery/figures/x.png){ attrs }
_FIGURE = re.compile(r"(?<!\[)!\[([^\]]*)\]\(((?:\.\./)*gallery/figures/[^)\s]+)\)(\{[^}]*\})?")


def _linked(match: re.Match) -> str:
    """The image as a link to itself, so that a reader can open it full size."""
    return f"[{match.group(0)}]({match.group(2)} \"Open full size\")"


def _module_anchor(match: re.Match) -> str:
    """An autorefs anchor for a module rendered without its own heading, so that
    ``:mod:`vnparty.segmenters``` in a docstring can link to its page."""
    return f"[](){{#{match.group(1)}}}\n\n{match.group(0)}"


def _csv(name: str) -> list[dict]:
    path = _STATE["results"] / "tables" / f"{name}.csv"
    with open(path, encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def _cell(value: str) -> str:
    try:
        number = float(value)
    except ValueError:
        return value.replace("|", "\\|").replace("\n", " ")
    if value.lstrip("-").isdigit():
        return value
    return f"{number:.3f}"


def _markdown_table(rows: list[dict], columns: list[str] | None = None) -> str:
    if not rows:
        return "*(empty)*"
    columns = columns or list(rows[0])
    lines = ["| " + " | ".join(columns) + " |", "|" + "---|" * len(columns)]
    lines += ["| " + " | ".join(_cell(row[c]) for c in columns) + " |" for row in rows]
    return "\n".join(lines)


def _table(_, name: str, limit: str = "0") -> str:
    """A table of the run as Markdown (its download link works from the gallery page)."""
    rows = _csv(name)
    if int(limit) and len(rows) > int(limit):
        return (_markdown_table(rows[:int(limit)]) + f"\n\n*First {limit} of {len(rows)} rows; "
                f"the whole table: [{name}.csv](gallery/tables/{name}.csv).*")
    return _markdown_table(rows)


def _topics(_, method: str) -> str:
    rows = _csv(f"topics_{method}")
    words: dict[str, list[str]] = {}
    for row in rows:
        word = row["word"].replace("_", " ")
        words.setdefault(row["topic"], []).append(
            f"{word} *({row['gloss']})*" if row.get("gloss") else word)
    shares = {}
    for row in _csv(f"doc_topic_{method}"):
        for key, value in row.items():
            if key.startswith("topic_"):
                shares.setdefault(key[6:], []).append(float(value))
    lines = ["| topic | mean share | top words (best first) |", "|---|---|---|"]
    for topic, ws in words.items():
        mean = sum(shares[topic]) / len(shares[topic]) if topic in shares else float("nan")
        lines.append(f"| {topic} | {mean:.2f} | {' · '.join(ws)} |")
    return "\n".join(lines)


def _recommended(_, *args) -> str:
    rows = _csv("recommended_k")
    return ", ".join(f"**{r['method'].upper()}: k = {r['recommended_k']}**" for r in rows)


def _other_figures(markdown: str, *args) -> str:
    """Figures of the run that the page does not show yet, with a generic caption."""
    figures = sorted((_STATE["results"] / "figures").glob("*.png"))
    others = [f for f in figures if f"gallery/figures/{f.name}" not in markdown]
    if not others:
        return "Every figure of the run is shown above."
    blocks = []
    for figure in others:
        title = figure.stem.replace("_", " ")
        blocks.append(f"### {title}\n\n![{title}](gallery/figures/{figure.name})"
                      "{ loading=lazy }\n")
    return "\n".join(blocks)


def _downloads(_, *args) -> str:
    results = _STATE["results"]
    files = sorted((results / "tables").glob("*.csv")) + [results / "manifest.json"]
    return "\n".join(f"- [{f.relative_to(results).as_posix()}](gallery/"
                     f"{f.relative_to(results).as_posix()})" for f in files)


def _manifest_excerpt(_, shown: str = "3") -> str:
    """The manifest of this build's run, with inputs and outputs cut to a few entries."""
    import json

    manifest = json.loads((_STATE["results"] / "manifest.json").read_text(encoding="utf-8"))
    for key in ("inputs", "outputs"):
        entries = list(manifest[key].items())
        cut = dict(entries[:int(shown)])
        if len(entries) > int(shown):
            cut["..."] = f"{len(entries) - int(shown)} more"
        manifest[key] = cut
    return "```json\n" + json.dumps(manifest, ensure_ascii=False, indent=1) + "\n```"


def _build_info(_, *args) -> str:
    import json

    manifest = json.loads((_STATE["results"] / "manifest.json").read_text(encoding="utf-8"))
    versions = ", ".join(f"{k} {v}" for k, v in manifest["versions"].items())
    if _STATE["seconds"] is None:
        return (f"**Not regenerated for this build**: the results were reused from "
                f"`VNPARTY_DOCS_RESULTS`. Versions of that run: {versions}.")
    return (f"Generated while this site was built: `reproduce` (PNG only) ran in "
            f"{_STATE['seconds']:.0f} s on {platform.system()} {platform.machine()} with "
            f"{os.cpu_count()} CPU(s). Versions: {versions}.")


def _run_settings(_, *args) -> str:
    """The settings of this build's run, in a sentence."""
    import json

    settings = json.loads((_STATE["results"] / "manifest.json").read_text(
        encoding="utf-8"))["settings"]
    names = {"lda": "LDA (tomotopy)", "nmf": "NMF"}
    models = " and ".join(names.get(m, m) for m in settings["models"])
    ks = ", ".join(map(str, settings["ks"]))
    seeds = ", ".join(map(str, settings["seeds"]))
    runs = settings.get("n_runs", 1)
    each = (f", each model the consensus of {runs} runs "
            "([`fit_ensemble`][vnparty.ensemble.fit_ensemble])" if runs > 1 else "")
    return (f"The run fits {models} with k = {settings['k']} topics on the "
            f"{settings['unit']}s of the articles (seed {settings['seed']}{each}), and compares "
            f"k = {ks} over seeds {seeds}.")


def _reproduce_timing(_, *args) -> str:
    if _STATE["seconds"] is None:
        return ("The gallery was not regenerated for this build (`VNPARTY_DOCS_RESULTS`), so no "
                "timing was taken.")
    return (f"The gallery's `vnparty reproduce` run (PNG only: every fit, the select-k "
            f"comparison and the stability runs for both models, every table and figure) took "
            f"**{_STATE['seconds']:.1f} s** on the machine that built this site "
            f"({_machine(None)}). It is one measurement, on a machine that may have been busy "
            f"with other work: take it as an order of magnitude.")


def _machine(_, *args) -> str:
    return (f"{platform.system()} {platform.machine()}, {os.cpu_count()} CPU(s), "
            f"Python {platform.python_version()}")


def _benchmarks(_, *args) -> str:
    """The measured results committed in benchmarks/*.md, headings moved two levels down."""
    folder = _STATE["root"] / "benchmarks"
    reports = sorted(folder.glob("*.md")) if folder.is_dir() else []
    if not reports:
        return ("!!! note \"No measured results committed yet\"\n    `benchmarks/` holds no "
                "results file (`*.md`) at the time this site was built; run a benchmark below "
                "and commit its output to see the numbers here.")
    parts = []
    for report in reports:
        text = report.read_text(encoding="utf-8")
        parts.append(f"### `benchmarks/{report.name}`\n\n{_demote(text, report.name)}")
    return "\n\n".join(parts)


def _demote(text: str, origin: str) -> str:
    out, fence = [], False
    for line in text.split("\n"):
        if line.lstrip().startswith(("```", "~~~")):
            fence = not fence
        if not fence and re.match(r"#{1,4} ", line):
            line = "###" + line
        elif not fence:  # relative links would point into the site: show them as paths
            line = re.sub(r"!?\[([^\]]*)\]\((?!https?://|#|mailto:)([^)]+)\)",
                          lambda m: f"{m.group(1)} (`benchmarks/{m.group(2)}`)", line)
        out.append(line)
    return "\n".join(out)


def _benchmark_scripts(_, *args) -> str:
    """One entry per benchmarks/*.py: its summary line and the command lines in its docstring."""
    import ast

    folder = _STATE["root"] / "benchmarks"
    scripts = sorted(p for p in folder.glob("*.py") if not p.name.startswith("_")) \
        if folder.is_dir() else []
    if not scripts:
        return "*No benchmark scripts in `benchmarks/`.*"
    blocks = []
    for script in scripts:
        doc = ast.get_docstring(ast.parse(script.read_text(encoding="utf-8"))) or ""
        summary = " ".join(doc.split("\n\n", 1)[0].split())
        commands = [line.strip() for line in doc.splitlines()
                    if line.strip().startswith(("python benchmarks/", "python -m "))]
        commands = commands or [f"python benchmarks/{script.name}"]
        blocks.append(f"`benchmarks/{script.name}`\n:   {summary or '(no description)'}\n\n"
                      "    ```bash\n" + "\n".join(f"    {c}" for c in commands) + "\n    ```\n")
    return "\n".join(blocks)


def _api_toplevel(_, *args) -> str:
    """``vnparty.__all__``, each name linked to its API entry, with its summary line."""
    import importlib

    import vnparty

    modules = {m: importlib.import_module(f"vnparty.{m}") for m in _modules(_STATE["root"])}
    lines = ["| name | module | what it is |", "|---|---|---|"]
    for name in vnparty.__all__:
        if name.startswith("__"):
            continue
        home = next((m for m, mod in modules.items() if name in getattr(mod, "__all__", ())),
                    None)
        if home is None:
            log.warning("api/index.md: vnparty.%s is in no module's __all__", name)
            continue
        value = getattr(vnparty, name)
        doc = inspect.getdoc(value) if inspect.isclass(value) or callable(value) else None
        summary = " ".join((doc or "").split("\n\n", 1)[0].split())
        summary = re.sub(r":\w+:`~?([\w.]+)`", r"\1", summary).replace("|", "\\|")
        lines.append(f"| [`{name}`][vnparty.{home}.{name}] | [`{home}`]({home}.md) "
                     f"| {summary} |")
    return "\n".join(lines)


def _cli_help(_, *args) -> str:
    """``vnparty --help`` and the help of each command, from the parser of this code."""
    import argparse

    from vnparty.cli import build_parser

    parser = build_parser()
    blocks = [("vnparty --help", parser)]
    for action in parser._actions:  # argparse keeps the sub-parsers here
        if isinstance(action, argparse._SubParsersAction):
            blocks += [(f"vnparty {name} --help", sub) for name, sub in action.choices.items()]
    out = []
    for command, sub in blocks:
        text = sub.format_help().rstrip().replace("`", "'")
        out.append(f"```text\n$ {command}\n{text}\n```")
    return "\n\n".join(out)


_FILLERS = {
    "table": _table,
    "topics": _topics,
    "recommended-k": _recommended,
    "other-figures": _other_figures,
    "downloads": _downloads,
    "manifest-excerpt": _manifest_excerpt,
    "build-info": _build_info,
    "reproduce-timing": _reproduce_timing,
    "run-settings": _run_settings,
    "machine": _machine,
    "benchmarks": _benchmarks,
    "benchmark-scripts": _benchmark_scripts,
    "api-toplevel": _api_toplevel,
    "cli-help": _cli_help,
}
