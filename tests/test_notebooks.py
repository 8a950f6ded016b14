"""The tutorial notebooks run top to bottom, offline, and their committed outputs are current.

Each notebook is executed by the builder's own runner (``notebooks/_build.py``: a fresh kernel of
this interpreter, ``sys.executable``, inside a temporary copy of notebooks/, which is also the
kernel's working directory, so a run never writes into the checkout). The text outputs of every
code cell (``text/plain`` and printed streams) must equal the committed ones up to trailing white
space; images are not compared. Each notebook's source ``NN_name.py`` (jupytext percent format)
and its committed ``NN_name.ipynb`` must hold the same cells, so neither can be edited alone.
When a library change alters an output on purpose, rebuild the notebooks with
``python notebooks/_build.py`` and commit them.
"""

from __future__ import annotations

import difflib
import importlib.util
import re
from pathlib import Path

import nbformat
import pytest

pytestmark = pytest.mark.slow

NOTEBOOKS = Path(__file__).resolve().parent.parent / "notebooks"
NAMES = sorted(p.name for p in NOTEBOOKS.glob("[0-9][0-9]_*.ipynb"))
SOURCES = sorted(p.name for p in NOTEBOOKS.glob("[0-9][0-9]_*.py"))
EXPECTED = ["01_quickstart.ipynb", "02_vietnamese_preprocessing.ipynb", "03_lda_vs_nmf.ipynb",
            "04_choosing_k_and_stability.ipynb", "05_themes_across_articles.ipynb",
            "06_your_own_corpus.ipynb", "07_codebook_themes.ipynb"]


def _builder():
    """notebooks/_build.py, the one runner of the notebooks (it is not a package module)."""
    spec = importlib.util.spec_from_file_location("vnparty_notebooks_build",
                                                  NOTEBOOKS / "_build.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _read(name: str):
    return nbformat.read(NOTEBOOKS / name, as_version=4)


def _text_outputs(cell) -> list[tuple[str, str]]:
    """What a reader sees as text: streams (consecutive pieces of one stream joined) and the
    text/plain of results and displays, each with trailing white space removed per line;
    errors by name. Images and HTML are left out."""
    found: list[tuple[str, str]] = []
    for output in cell.get("outputs", []):
        kind = output["output_type"]
        if kind == "stream":
            if found and found[-1][0] == f"stream:{output['name']}":
                found[-1] = (found[-1][0], found[-1][1] + output["text"])
            else:
                found.append((f"stream:{output['name']}", output["text"]))
        elif kind in ("execute_result", "display_data"):
            found.append(("text/plain", output.get("data", {}).get("text/plain", "")))
        elif kind == "error":
            found.append(("error", output["ename"]))
    return [(kind, "\n".join(line.rstrip() for line in text.rstrip().splitlines()))
            for kind, text in found]


def test_the_tutorial_notebooks_are_there():
    assert NAMES == EXPECTED
    assert SOURCES == [name.replace(".ipynb", ".py") for name in EXPECTED]


def _cells(nb) -> list[tuple[str, str]]:
    return [(cell.cell_type, cell.source.strip()) for cell in nb.cells]


@pytest.mark.parametrize("name", NAMES)
def test_source_and_notebook_hold_the_same_cells(name):
    """The percent-format source and the committed .ipynb are one notebook: same cells, same
    order, same text; and the .ipynb declares the pairing, so Jupyter with jupytext keeps the
    two in step."""
    jupytext = pytest.importorskip("jupytext")
    source = NOTEBOOKS / name.replace(".ipynb", ".py")
    text = source.read_text(encoding="utf-8")
    assert "# %% [markdown]" in text and "formats: ipynb,py:percent" in text
    from_source = _cells(jupytext.read(source))
    committed = _read(name)
    assert committed.metadata.get("jupytext", {}).get("formats") == "ipynb,py:percent", name
    from_notebook = _cells(committed)
    if from_source != from_notebook:
        diff = difflib.unified_diff(
            [f"{kind}: {line}" for kind, text in from_notebook for line in text.splitlines()],
            [f"{kind}: {line}" for kind, text in from_source for line in text.splitlines()],
            name, source.name, lineterm="", n=1)
        pytest.fail(f"{source.name} and {name} differ; edit the .py and run "
                    "`python notebooks/_build.py " + name[:2] + "`\n" + "\n".join(list(diff)[:40]),
                    pytrace=False)


@pytest.mark.parametrize("name", NAMES)
def test_notebook_runs_and_its_outputs_are_current(name):
    committed = _read(name)
    fresh = _builder().execute(_read(name))  # raises CellExecutionError on a failing cell

    stale = []
    for number, (old, new) in enumerate(zip(committed.cells, fresh.cells)):
        if old.cell_type != "code":
            continue
        before, after = _text_outputs(old), _text_outputs(new)
        if before != after:
            diff = difflib.unified_diff(
                [f"{k}: {line}" for k, text in before for line in text.splitlines()],
                [f"{k}: {line}" for k, text in after for line in text.splitlines()],
                "committed", "fresh run", lineterm="", n=1)
            stale.append(f"cell {number} ({old.source.splitlines()[0][:60]!r}):\n"
                         + "\n".join(list(diff)[:40]))
    if stale:
        pytest.fail(f"{name}: committed outputs differ from a fresh run; rebuild with "
                    "`python notebooks/_build.py` and read the prose again\n\n"
                    + "\n\n".join(stale), pytrace=False)


@pytest.mark.parametrize("name", NAMES)
def test_notebook_is_committed_executed_and_clean(name):
    nb = _read(name)
    code = [c for c in nb.cells if c.cell_type == "code"]
    markdown = [c for c in nb.cells if c.cell_type == "markdown"]
    assert len(markdown) * 3 >= len(nb.cells), f"{name}: fewer than a third of its cells are prose"
    assert all(c.execution_count is not None for c in code), f"{name}: a code cell never ran"
    assert nb.metadata["kernelspec"]["name"] == "python3"
    for cell in code:
        for kind, text in _text_outputs(cell):
            assert kind != "error", f"{name}: committed with an error output"
            assert kind != "stream:stderr", f"{name}: warnings or progress bars in the outputs"
            assert not re.search(r"/tmp/|/home/|[A-Z]:\\|0x[0-9a-f]{8,}", text), \
                f"{name}: absolute path or memory address in an output: {text[:200]}"


def test_quickstart_names_the_themes():
    nb = _read("01_quickstart.ipynb")
    prose = "\n".join(c.source for c in nb.cells if c.cell_type == "markdown").lower()
    themes = ["inspection and discipline", "party cell meetings", "fighting strength",
              "self-evolution", "four-good", "training and recruiting"]
    assert [t for t in themes if t not in prose] == []
    # the themes are named in one place, a table with a row per topic
    table = next(c.source for c in nb.cells if c.cell_type == "markdown"
                 and "themes, in plain english" in c.source.lower())
    assert len(re.findall(r"^\| [0-5] \|", table, flags=re.MULTILINE)) == 6
