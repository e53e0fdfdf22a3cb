"""The GPU placement benchmark: its per-cell comparison, and its refusal to measure without a GPU."""

from __future__ import annotations

import importlib.util
import subprocess
import sys
from pathlib import Path

SCRIPT = Path(__file__).resolve().parents[1] / "benchmarks" / "gpu_placement.py"


def load_script():
    spec = importlib.util.spec_from_file_location("gpu_placement", SCRIPT)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_gpu_cells_are_compared_cell_by_cell():
    script = load_script()

    def entry(*cells):
        return {"cells": [{"cell": n, "tags": tags, "device": device, "seconds": s} for n, tags, device, s in cells]}

    on_gpu = {stem: entry((1, [], "cpu:0", 0.5), (2, ["gpu"], "cuda:0", 2.0)) for stem in script.LECTURES}
    on_cpu = {stem: entry((1, [], "default", 0.5), (2, ["gpu"], "default", 9.0)) for stem in script.LECTURES}
    rows = script.gpu_cell_rows(on_gpu, on_cpu)
    assert rows == [[stem, 2, "cuda:0", 2.0, 9.0, 4.5] for stem in script.LECTURES], "only gpu cells, with CPU/GPU"


def test_without_a_gpu_nothing_is_measured():
    done = subprocess.run(
        [sys.executable, str(SCRIPT)], env={"JAX_PLATFORMS": "cpu", "PATH": "/usr/bin:/bin"},
        capture_output=True, text=True, check=False,
    )
    assert done.returncode == 0, done.stderr
    assert "JAX sees no GPU on this machine; nothing measured" in done.stdout
