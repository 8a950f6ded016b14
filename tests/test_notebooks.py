"""The tutorial notebooks run top to bottom, offline, and their committed outputs are current.

Each notebook is executed in a fresh kernel of this interpreter (``sys.executable``) inside a
temporary copy of notebooks/, which is also the kernel's working directory, so a run never writes
into the checkout. The text outputs of every code cell (``text/plain`` and printed streams) must
equal the committed ones up to trailing white space; images are not compared. When a library change
alters an output on purpose, rebuild the notebooks with ``python notebooks/_build.py`` and commit
them.
"""

from __future__ import annotations

import difflib
import json
import re
import shutil
import sys
from pathlib import Path

import nbformat
import pytest
from jupyter_client.kernelspec import KernelSpecManager
from jupyter_client.manager import AsyncKernelManager
from nbclient import NotebookClient

pytestmark = pytest.mark.slow

NOTEBOOKS = Path(__file__).resolve().parent.parent / "notebooks"
NAMES = sorted(p.name for p in NOTEBOOKS.glob("[0-9][0-9]_*.ipynb"))
EXPECTED = ["01_quickstart.ipynb", "02_vietnamese_preprocessing.ipynb", "03_lda_vs_nmf.ipynb",
            "04_choosing_k_and_stability.ipynb", "05_themes_across_articles.ipynb",
            "06_your_own_corpus.ipynb", "07_codebook_themes.ipynb"]
CELL_TIMEOUT = 120  # seconds per cell
KERNEL = "vnparty-test-python"


def _read(name: str):
    return nbformat.read(NOTEBOOKS / name, as_version=4)


def _kernel_manager(folder: Path) -> AsyncKernelManager:
    """A kernel manager that can only start ``sys.executable``: a kernelspec of its own in
    ``folder``, so that no user or system "python3" kernel of another interpreter is picked."""
    spec = folder / KERNEL
    spec.mkdir(parents=True)
    (spec / "kernel.json").write_text(json.dumps({
        "argv": [sys.executable, "-Xfrozen_modules=off", "-m", "ipykernel_launcher",
                 "-f", "{connection_file}"],
        "display_name": "vnparty tests", "language": "python"}), encoding="utf-8")
    manager = AsyncKernelManager(kernel_name=KERNEL,
                                 kernel_spec_manager=KernelSpecManager(kernel_dirs=[str(folder)]))
    assert manager.kernel_spec.argv[0] == sys.executable
    return manager


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


@pytest.mark.parametrize("name", NAMES)
def test_notebook_runs_and_its_outputs_are_current(name, tmp_path):
    work = tmp_path / "notebooks"
    shutil.copytree(NOTEBOOKS, work, ignore=shutil.ignore_patterns("_build.py", "__pycache__",
                                                                   ".ipynb_checkpoints"))
    committed = _read(name)
    fresh = _read(name)
    client = NotebookClient(fresh, km=_kernel_manager(tmp_path / "kernels"),
                            timeout=CELL_TIMEOUT, record_timing=False,
                            resources={"metadata": {"path": str(work)}})
    client.execute(cleanup_kc=True)  # raises CellExecutionError on the first failing cell

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
