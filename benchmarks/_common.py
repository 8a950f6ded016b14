"""Shared helpers of the benchmark scripts: the machine, the commit, the VNTC corpus, running a
measurement in a fresh process and saving the numbers."""

from __future__ import annotations

import gzip
import json
import os
import platform
import subprocess
import sys
from importlib import metadata
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
VNTC = ROOT.parent / "shared" / "corpora" / "vntc_train.jsonl.gz"


def machine() -> str:
    cpu = "unknown CPU"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    versions = ", ".join(f"{p} {_version(p)}" for p in
                         ("vnparty", "pyvi", "gensim", "scikit-learn", "numpy"))
    return (f"{platform.platform()}; {cpu}; {os.cpu_count()} cores; Python "
            f"{platform.python_version()}; {versions}")


def _version(package: str) -> str:
    try:
        return metadata.version(package)
    except metadata.PackageNotFoundError:
        return "?"


def commit() -> str:
    try:
        return subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=ROOT, check=True,
                              capture_output=True, text=True).stdout.strip()
    except (OSError, subprocess.CalledProcessError):
        return "unknown"


def vntc_texts(limit: int | None = None, path: Path = VNTC):
    """The first ``limit`` VNTC articles in file order, as (id, category, text)."""
    if not path.is_file():
        raise SystemExit(f"{path} not found: the VNTC corpus lives in ../shared/corpora")
    with gzip.open(path, "rt", encoding="utf-8") as handle:
        for number, line in enumerate(handle):
            if limit is not None and number >= limit:
                return
            record = json.loads(line)
            yield record["id"], record["category"], record["text"]


def run_fresh(code: str) -> dict:
    """Run ``code`` in a fresh Python process (so its peak memory is its own); the JSON object
    it prints last (an empty dict when it prints nothing)."""
    result = subprocess.run([sys.executable, "-c", code], check=True, capture_output=True,
                            text=True)
    lines = result.stdout.strip().splitlines()
    return json.loads(lines[-1]) if lines else {}


def save_json(path: str | None, results: dict) -> None:
    """Write ``results`` to ``path`` (nothing when it is None)."""
    if path:
        with open(path, "w", encoding="utf-8") as handle:
            json.dump(results, handle, indent=1)
