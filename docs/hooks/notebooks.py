"""mkdocs hook: the tutorial notebooks as pages of the site, under "Notebooks".

Each committed ``notebooks/NN_name.ipynb`` (run with its outputs by ``python notebooks/_build.py``)
becomes the page ``notebooks/NN_name.md``: its Markdown cells as they are, its code cells as
Python blocks, printed and text outputs as text blocks, and each PNG output as an image file next
to the page. The .ipynb itself is served beside the page for download. The pages are added to the
"Notebooks" section of the nav in their order, after its index page (``notebooks/index.md``,
generated too, unless docs/ has one). The notebooks are not run again: the committed outputs are
shown, and tests/test_notebooks.py checks that they equal a fresh run.

No converter library is needed (the notebook format is JSON), and nothing is fetched from the
network or loaded from another host: the pages hold no script of their own.
"""

from __future__ import annotations

import base64
import json
import logging
import re
from pathlib import Path

from mkdocs.exceptions import PluginError
from mkdocs.structure.files import File, Files

log = logging.getLogger("mkdocs.hooks.vnparty.notebooks")

SECTION = "Notebooks"
FOLDER = "notebooks"
_STATE: dict = {}


def _notebooks(root: Path) -> list[Path]:
    return sorted((root / FOLDER).glob("[0-9][0-9]_*.ipynb"))


def _read(path: Path) -> dict:
    """The notebook's JSON, checked enough to convert it (it is read back: untrusted)."""
    try:
        nb = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, ValueError) as error:
        raise PluginError(f"{path}: not a readable notebook ({error}); rebuild it with "
                          "`python notebooks/_build.py`") from error
    if not isinstance(nb, dict) or not isinstance(nb.get("cells"), list):
        raise PluginError(f"{path}: no list of cells; rebuild it with `python notebooks/_build.py`")
    return nb


def _text(value) -> str:
    return "".join(value) if isinstance(value, list) else str(value or "")


def _title(nb: dict, path: Path) -> str:
    for cell in nb["cells"]:
        if cell.get("cell_type") == "markdown":
            match = re.search(r"^# +(.+?)\s*$", _text(cell.get("source")), re.MULTILINE)
            if match:
                return match.group(1)
    return path.stem


def _fenced(text: str, lang: str) -> str:
    """``text`` in a code fence longer than any run of backticks inside it."""
    runs = [len(run) for run in re.findall(r"`+", text)]
    fence = "`" * max(3, max(runs, default=0) + 1)
    return f"{fence}{lang}\n{text.rstrip()}\n{fence}"


def convert(nb: dict, stem: str) -> tuple[str, dict[str, bytes]]:
    """Markdown of a notebook and its images: ``{name: png bytes}``, named ``stem/out-C-O.png``
    (cell C, output O) relative to the page."""
    blocks: list[str] = []
    images: dict[str, bytes] = {}
    for number, cell in enumerate(nb["cells"]):
        source = _text(cell.get("source")).strip("\n")
        if cell.get("cell_type") == "markdown":
            blocks.append(source)
            continue
        if cell.get("cell_type") != "code":
            continue
        if source:
            blocks.append(_fenced(source, "python"))
        for index, output in enumerate(cell.get("outputs", [])):
            kind = output.get("output_type")
            data = output.get("data", {})
            if kind == "stream" and output.get("name") == "stdout":
                blocks.append(_fenced(_text(output.get("text")), "text"))
            elif kind in ("execute_result", "display_data") and "image/png" in data:
                name = f"{stem}/out-{number:02d}-{index}.png"
                try:
                    images[name] = base64.b64decode(_text(data["image/png"]), validate=False)
                except ValueError as error:
                    raise PluginError(f"{stem}.ipynb, cell {number}: an image that is not "
                                      f"base64 ({error})") from error
                blocks.append(f"[![output of cell {number}]({name}){{ loading=lazy }}]"
                              f"({name} \"Open full size\")")
            elif kind in ("execute_result", "display_data") and "text/plain" in data:
                blocks.append(_fenced(_text(data["text/plain"]), "text"))
    return "\n\n".join(blocks) + "\n", images


def _index(pages: list[tuple[str, str]]) -> str:
    lines = ["# Notebooks", "",
             "Tutorials that run offline on the bundled articles, shown here with the outputs "
             "of their committed run. To run them yourself: `pip install \".[notebooks]\"`, "
             "then `jupyter lab notebooks/`. Each notebook is a pair: `NN_name.py` (the source, "
             "jupytext percent format) and `NN_name.ipynb` (with outputs); "
             "`python notebooks/_build.py` runs the sources and rewrites the .ipynb files.", ""]
    lines += [f"- [{title}]({uri.split('/', 1)[1]})" for uri, title in pages]
    return "\n".join(lines) + "\n"


def on_config(config):
    root = Path(config.config_file_path).resolve().parent
    pages = []
    for path in _notebooks(root):
        pages.append((f"{FOLDER}/{path.stem}.md", _title(_read(path), path), path))
    _STATE.clear()
    _STATE.update(pages=pages)
    if not pages:
        raise PluginError(f"no notebooks in {root / FOLDER}: the {SECTION} section would be empty")
    if config.nav:
        section = next((item for item in config.nav
                        if isinstance(item, dict) and SECTION in item), None)
        if section is None:
            raise PluginError(f"mkdocs.yml: the nav has no {SECTION!r} section for the notebooks")
        entries = section[SECTION] or []
        entries = [e for e in entries if e != f"{FOLDER}/index.md"]
        section[SECTION] = [f"{FOLDER}/index.md", *entries,
                            *({title: uri} for uri, title, _ in pages)]
    return config


def on_files(files: Files, config) -> Files:
    pages = _STATE.get("pages", [])
    if files.get_file_from_path(f"{FOLDER}/index.md") is None:
        files.append(File.generated(config, f"{FOLDER}/index.md",
                                    content=_index([(u, t) for u, t, _ in pages])))
    for uri, title, path in pages:
        markdown, images = convert(_read(path), path.stem)
        header = (f"*This page shows the notebook [`{path.name}`]({path.name}) with the outputs "
                  f"of its committed run; its source is `notebooks/{path.stem}.py`.*\n\n")
        # the notebook's own first heading stays the page title; the note goes below it
        first, _, rest = markdown.partition("\n")
        markdown = (f"{first}\n\n{header}{rest}" if first.startswith("# ")
                    else f"# {title}\n\n{header}{markdown}")
        files.append(File.generated(config, uri, content=markdown))
        files.append(File.generated(config, f"{FOLDER}/{path.name}", abs_src_path=str(path)))
        for name, data in images.items():
            files.append(File.generated(config, f"{FOLDER}/{name}", content=data))
    log.info("notebooks: %d pages", len(pages))
    return files
