"""Execute the tutorial notebooks from their sources and write the .ipynb files, outputs included.

    python notebooks/_build.py                 # all notebooks
    python notebooks/_build.py 03 05           # only those whose name starts so

Each notebook has two paired files (jupytext, ``formats: ipynb,py:percent``): the source
``NN_name.py`` (``# %%`` and ``# %% [markdown]`` cells; edit it in any editor, or open the
.ipynb in Jupyter with jupytext installed, which keeps both in step) and the committed
``NN_name.ipynb`` with its outputs. This script reads each source, runs it top to bottom in a
fresh kernel of this interpreter (``sys.executable``) inside a temporary copy of notebooks/
(also the kernel's working directory, so a run never writes into the checkout) and writes the
.ipynb. tests/test_notebooks.py runs the same function and fails when a committed text output
differs from a fresh run, or when a source and its .ipynb hold different cells.
"""

from __future__ import annotations

import json
import shutil
import sys
import tempfile
import time
from pathlib import Path

import jupytext
import nbformat
from jupyter_client.kernelspec import KernelSpecManager
from jupyter_client.manager import AsyncKernelManager
from nbclient import NotebookClient

HERE = Path(__file__).resolve().parent
KERNELSPEC = {"name": "python3", "display_name": "Python 3 (ipykernel)", "language": "python"}
PAIRING = {"formats": "ipynb,py:percent"}
KERNEL = "vnparty-python"
CELL_TIMEOUT = 180  # seconds per cell
IGNORED = shutil.ignore_patterns("_build.py", "__pycache__", ".ipynb_checkpoints")


def sources() -> list[Path]:
    """The notebook sources, ``NN_name.py``, in order."""
    return sorted(HERE.glob("[0-9][0-9]_*.py"))


def read_source(path: Path):
    """The notebook of a percent-format source, with stable cell ids and no outputs."""
    nb = jupytext.read(path)
    for number, cell in enumerate(nb.cells):
        cell["id"] = f"{path.name[:2]}-{number:02d}"  # stable ids: rebuilding changes no line
    nb.metadata = {"jupytext": dict(PAIRING), "kernelspec": dict(KERNELSPEC),
                   "language_info": {"name": "python"}}
    return nb


def kernel_manager(folder: Path) -> AsyncKernelManager:
    """A kernel manager that can only start ``sys.executable``: a kernelspec of its own in
    ``folder``, so that no user or system "python3" kernel of another interpreter is picked."""
    spec = folder / KERNEL
    spec.mkdir(parents=True, exist_ok=True)
    (spec / "kernel.json").write_text(json.dumps({
        "argv": [sys.executable, "-Xfrozen_modules=off", "-m", "ipykernel_launcher",
                 "-f", "{connection_file}"],
        "display_name": "vnparty", "language": "python"}), encoding="utf-8")
    manager = AsyncKernelManager(kernel_name=KERNEL,
                                 kernel_spec_manager=KernelSpecManager(kernel_dirs=[str(folder)]))
    if manager.kernel_spec.argv[0] != sys.executable:
        raise RuntimeError(f"the kernel would run {manager.kernel_spec.argv[0]}, not "
                           f"{sys.executable}")
    return manager


def execute(nb, timeout: int = CELL_TIMEOUT):
    """Run ``nb`` top to bottom in a fresh kernel of ``sys.executable``, in a temporary copy of
    notebooks/; raise ``nbclient.exceptions.CellExecutionError`` on the first failing cell.
    Returns ``nb`` with its outputs."""
    with tempfile.TemporaryDirectory(prefix="vnparty-notebook-") as scratch:
        work = Path(scratch) / "notebooks"
        shutil.copytree(HERE, work, ignore=IGNORED)
        client = NotebookClient(nb, km=kernel_manager(Path(scratch) / "kernels"),
                                timeout=timeout, record_timing=False,
                                resources={"metadata": {"path": str(work)}})
        client.execute(cleanup_kc=True)  # shut the kernel down: the client does not own km
    nb.metadata["kernelspec"] = dict(KERNELSPEC)
    nb.metadata["language_info"] = {"name": "python"}  # no interpreter version in the file
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


def build(source: Path) -> float:
    """Execute ``source`` and write its paired .ipynb; return the seconds taken."""
    nb = read_source(source)
    start = time.perf_counter()
    execute(nb)
    seconds = time.perf_counter() - start
    nbformat.validate(nb)
    target = source.with_suffix(".ipynb")
    partial = target.with_suffix(".ipynb.part")
    nbformat.write(nb, partial)
    partial.replace(target)
    return seconds


def main(prefixes: list[str]) -> None:
    chosen = [s for s in sources() if not prefixes or any(s.name.startswith(p) for p in prefixes)]
    if not chosen:
        raise SystemExit(f"no notebook source in {HERE} starts with {' or '.join(prefixes)}")
    for source in chosen:
        print(f"{source.stem}.ipynb: {build(source):.1f} s", flush=True)


if __name__ == "__main__":
    main(sys.argv[1:])
