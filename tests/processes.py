"""Run the same code in fresh Python processes, each with its own hash seed: what it prints must
not depend on the process (the cross-process determinism tests)."""

from __future__ import annotations

import os
import subprocess
import sys


def outputs_of_two_processes(code: str) -> list[str]:
    """What ``code`` prints in two fresh processes with PYTHONHASHSEED 1 and 2."""
    return [subprocess.run([sys.executable, "-c", code], check=True, capture_output=True,
                           text=True, env={**os.environ, "PYTHONHASHSEED": str(seed)}).stdout
            for seed in (1, 2)]
