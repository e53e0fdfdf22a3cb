"""Does the GPU pay where it is used? Per-cell placement measured on a GPU machine.

Executes lectures 1-3 three ways on the same machine, each into an empty cache and
without JAX's compilation cache, with the real build driver:

- GPU profile with per-cell placement: `gpu` cells on the accelerator at their gpu
  sizes, every other cell on JAX's CPU backend;
- CPU profile, JAX on the CPU only;
- GPU sizes on the CPU only (for the per-cell comparison).

Goals: the GPU-profile build takes no longer than the CPU-profile one, and each `gpu`
cell runs faster on the accelerator than on the CPU at the same (gpu) size. Per-cell
times come from the kernel's own records (scimlkit.site.placement). Writes
benchmarks/results/gpu_placement.json; on a machine where JAX sees no GPU it says so
and measures nothing.

    python benchmarks/gpu_placement.py
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from scimlkit.site.benchmark_report import BarPlot, Goal, Report, Table, write_report  # noqa: E402

REPO = Path(__file__).resolve().parents[1]
LECTURES = ("01_introduction", "02_jax_for_sciml", "03_neural_and_universal_odes")
CPU_ONLY = {"JAX_PLATFORMS": "cpu"}
RUNS = {
    "GPU profile, per-cell placement": {"SCIMLKIT_PROFILE": "gpu"},
    "CPU profile, CPU only": {"SCIMLKIT_PROFILE": "cpu", **CPU_ONLY},
    "GPU sizes, CPU only": {"SCIMLKIT_PROFILE": "gpu", **CPU_ONLY},
}


def gpu_visible() -> bool:
    code = "import jax; print(jax.default_backend())"
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=False)
    return done.returncode == 0 and done.stdout.strip().splitlines()[-1] in {"gpu", "cuda", "rocm"}


def execute(stem: str, folder: Path, env: dict[str, str]) -> tuple[float, dict]:
    """Wall time of executing one lecture alone, and its bundle entry (per-cell records)."""
    bundle = folder / "bundle"
    command = [
        sys.executable, "-m", "scimlkit.site.build", "--root", str(REPO), "--only", stem, "--jobs", "1",
        "--execute-only", "--no-compilation-cache", "--bundle", str(bundle),
    ]
    variables = {**os.environ, **env, "SCIMLKIT_EXECUTION_CACHE": str(folder / "cache")}
    started = time.perf_counter()
    done = subprocess.run(command, cwd=REPO, env=variables, capture_output=True, text=True, check=False)
    seconds = time.perf_counter() - started
    if done.returncode != 0:
        raise SystemExit(f"{stem} failed:\n{done.stdout[-3000:]}\n{done.stderr[-3000:]}")
    (entry,) = json.loads((bundle / "bundle.json").read_text())["notebooks"]
    return seconds, entry


def gpu_cell_rows(on_gpu: dict[str, dict], on_cpu: dict[str, dict]) -> list[list[object]]:
    """Lecture, cell, device, seconds on the accelerator and on the CPU, and their ratio."""
    rows = []
    for stem in LECTURES:
        cpu_cells = {cell["cell"]: cell for cell in on_cpu[stem]["cells"]}
        for cell in on_gpu[stem]["cells"]:
            if "gpu" in cell["tags"]:
                cpu_seconds = cpu_cells[cell["cell"]]["seconds"]
                ratio = cpu_seconds / cell["seconds"]
                rows.append([stem, cell["cell"], cell["device"], cell["seconds"], cpu_seconds, round(ratio, 2)])
    return rows


def main() -> None:
    if not gpu_visible():
        print("gpu_placement: JAX sees no GPU on this machine; nothing measured")
        return
    totals: dict[str, float] = {}
    entries: dict[str, dict[str, dict]] = {}
    with tempfile.TemporaryDirectory(prefix="gpu-placement-") as folder:
        for index, (run, env) in enumerate(RUNS.items()):
            totals[run], entries[run] = 0.0, {}
            for stem in LECTURES:
                seconds, entry = execute(stem, Path(folder) / f"{index}-{stem}", env)
                totals[run] += seconds
                entries[run][stem] = entry
    placed, cpu_profile = totals["GPU profile, per-cell placement"], totals["CPU profile, CPU only"]
    rows = gpu_cell_rows(entries["GPU profile, per-cell placement"], entries["GPU sizes, CPU only"])
    report = Report(
        name="gpu_placement",
        title="GPU cells that pay off: per-cell placement",
        summary=(
            "Lectures 1-3 executed one at a time on one GPU machine with the build driver, empty "
            "caches and no compilation cache: at the GPU profile (only `gpu` cells on the "
            "accelerator), at the CPU profile on the CPU, and at the GPU sizes on the CPU. The "
            "per-cell times are the kernel's own records of each cell."
        ),
        goals=[
            Goal(
                "lectures 1-3 at the GPU profile take no longer than at the CPU profile",
                f"{placed:.1f} s vs {cpu_profile:.1f} s",
                placed <= cpu_profile,
            ),
            *[
                Goal(
                    f"{stem} cell {cell}: faster on the accelerator than on the CPU at its gpu size",
                    f"{gpu_s:.2f} s vs {cpu_s:.2f} s ({ratio}x)",
                    ratio > 1.0,
                )
                for stem, cell, _, gpu_s, cpu_s, ratio in rows
            ],
        ],
        tables=[
            Table(
                "Executing lectures 1-3 (seconds, wall clock)",
                ["run", "seconds"],
                [[run, round(seconds, 1)] for run, seconds in totals.items()],
            ),
            Table(
                "Each gpu cell at its gpu size (seconds)",
                ["lecture", "cell", "device", "accelerator", "CPU", "CPU / accelerator"],
                rows,
            ),
        ],
        plots=[BarPlot("Lectures 1-3", "seconds", list(totals), [round(s, 1) for s in totals.values()])],
    )
    path = write_report(report, REPO)
    print(f"wrote {path}")
    for goal in report.goals:
        print(f"{'met ' if goal.met else 'MISSED'}  {goal.description}: {goal.measured}")


if __name__ == "__main__":
    main()
