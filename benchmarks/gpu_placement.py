"""Does each GPU cell pay where it is used? Every ``gpu``-tagged cell of every lecture, timed.

Finds the lectures with code cells tagged ``gpu`` (today 05, 08, 10, 12 and 18) and
executes each lecture with the real build driver (one lecture at a time, an empty
execution cache, no compilation cache, so every cell's time includes its compilation),
at the CPU profile's sizes:

- on the CPU only (``JAX_PLATFORMS=cpu``): the CPU column;
- when JAX sees a GPU, once more with per-cell placement: the ``gpu`` cells on the
  accelerator at the same sizes, every other cell on the CPU: the GPU column.

Both columns use the same sizes, so their ratio says whether moving the cell pays. (At
the GPU profile's sizes the CPU column would take hours; ``--gpu-sizes`` adds a third
run, those sizes on the accelerator, without a CPU comparison.) The per-cell times are
the kernel's own records (``scimlkit.site.build.placement``). On a machine without a GPU the
report has the CPU column and says that no GPU was measured. Writes
``benchmarks/results/gpu_placement.json``; on a GPU machine it takes about twice the
five lectures' CPU execution time (under ten minutes on a 16-core machine)::

    python benchmarks/gpu_placement.py [--lectures 12_pinns 18_gpu] [--add] [--gpu-sizes]
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from datetime import datetime, timezone
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from scimlkit.site.appendix.benchmark_report import (  # noqa: E402
    RESULTS_DIR,
    Goal,
    Report,
    Table,
    read_report,
    write_report,
)

REPO = Path(__file__).resolve().parents[1]
GPU_TAG = "gpu"
CPU_SIZES_ON_CPU = {"SCIMLKIT_PROFILE": "cpu", "JAX_PLATFORMS": "cpu"}
CPU_SIZES_PLACED = {"SCIMLKIT_PROFILE": "cpu"}
GPU_SIZES_PLACED = {"SCIMLKIT_PROFILE": "gpu"}


def gpu_lectures() -> dict[str, list[int]]:
    """Each lecture with ``gpu`` cells, and those cells' numbers among its code cells."""
    from myst_nb.core.read import read_myst_markdown_notebook

    found = {}
    for path in sorted((REPO / "lectures").glob("*.md")):
        notebook = read_myst_markdown_notebook(path.read_text(encoding="utf-8"))
        code = [cell for cell in notebook.cells if cell.cell_type == "code"]
        numbers = [n for n, cell in enumerate(code, start=1) if GPU_TAG in cell.metadata.get("tags", [])]
        if numbers:
            found[path.stem] = numbers
    return found


def gpu_visible() -> str | None:
    """JAX's accelerator, described, or None on a CPU-only machine."""
    code = "import jax; d = jax.devices()[0]; print(d.platform, '|', d.device_kind)"
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=False,
                          env={key: value for key, value in os.environ.items() if key != "JAX_PLATFORMS"})
    if done.returncode != 0:
        return None
    platform, _, kind = done.stdout.strip().splitlines()[-1].partition(" | ")
    return f"{platform}: {kind}" if platform in {"gpu", "cuda", "rocm"} else None


def execute(stem: str, folder: Path, env: dict[str, str]) -> tuple[float, list[dict]]:
    """Wall time of executing one lecture alone, and the kernel's record of each cell."""
    bundle = folder / "bundle"
    command = [
        sys.executable, "-m", "scimlkit.site.build", "--root", str(REPO), "--only", stem, "--jobs", "1",
        "--execute-only", "--no-compilation-cache", "--bundle", str(bundle), "--path-output", str(folder / "out"),
    ]
    # Only the run's own variables decide the platform and the profile.
    variables = {key: value for key, value in os.environ.items() if key not in {"JAX_PLATFORMS", *env}}
    variables.update(env, SCIMLKIT_EXECUTION_CACHE=str(folder / "cache"))
    started = time.perf_counter()
    done = subprocess.run(command, cwd=REPO, env=variables, capture_output=True, text=True, check=False)
    seconds = time.perf_counter() - started
    if done.returncode != 0:
        raise SystemExit(f"{stem} failed:\n{done.stdout[-3000:]}\n{done.stderr[-3000:]}")
    (entry,) = json.loads((bundle / "bundle.json").read_text())["notebooks"]
    return seconds, entry["cells"]


def gpu_cell_times(cells: list[dict]) -> dict[int, tuple[str, float]]:
    """Device and seconds of each gpu-tagged cell, by cell number."""
    return {cell["cell"]: (cell["device"], cell["seconds"]) for cell in cells if GPU_TAG in cell["tags"]}


def cell_rows(lectures: dict[str, list[int]], cells: dict[str, dict], accelerator: str | None):
    """One row per gpu cell (lecture, cell, CPU seconds, then device, GPU seconds and their
    ratio, or "no GPU measured"), and on a GPU machine one goal per cell: faster there."""
    rows, goals = [], []
    for stem in lectures:
        # The kernel's records name the gpu cells as executed (an edit during the run moves them).
        for number, (_, cpu_seconds) in sorted(cells["CPU"][stem].items()):
            row = [stem, number, round(cpu_seconds, 2)]
            if accelerator:
                gpu_device, gpu_seconds = cells["GPU"][stem][number]
                ratio = cpu_seconds / gpu_seconds
                row += [gpu_device, round(gpu_seconds, 2), f"{ratio:.2f}x"]
                goals.append(Goal(f"{stem} cell {number}: faster on the accelerator than on the CPU at the same size",
                                  f"{gpu_seconds:.2f} s vs {cpu_seconds:.2f} s ({ratio:.2f}x)", ratio > 1.0))
                if "GPU, gpu sizes" in cells:
                    row.append(round(cells["GPU, gpu sizes"][stem][number][1], 2))
            else:
                row += ["no GPU measured", "", ""]
            rows.append(row)
    return rows, goals


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--lectures", nargs="*", help="only these lecture stems (default: every lecture with gpu cells)")
    parser.add_argument("--gpu-sizes", action="store_true", help="also run the GPU profile's sizes on the accelerator")
    parser.add_argument("--add", action="store_true",
                        help="keep the committed report's rows of the lectures not run now (same machine and columns)")
    arguments = parser.parse_args()
    lectures = gpu_lectures()
    left_out = [stem for stem in lectures if arguments.lectures and stem not in arguments.lectures]
    lectures = {stem: cells for stem, cells in lectures.items() if stem not in left_out}
    accelerator = gpu_visible()
    runs = {"CPU": CPU_SIZES_ON_CPU}
    if accelerator:
        runs["GPU"] = CPU_SIZES_PLACED
        if arguments.gpu_sizes:
            runs["GPU, gpu sizes"] = GPU_SIZES_PLACED
    totals = {run: {} for run in runs}
    cells = {run: {} for run in runs}
    # When each lecture's runs started and the load average (1 min) before and after them:
    # the rows kept by --add come from other runs, so each lecture carries its own note.
    run_notes = {}
    with tempfile.TemporaryDirectory(prefix="gpu-placement-") as folder:
        for stem in lectures:
            started, load_before = datetime.now(timezone.utc).strftime("%Y-%m-%d %H:%M UTC"), os.getloadavg()[0]
            for run, env in runs.items():
                seconds, records = execute(stem, Path(folder) / f"{run}-{stem}".replace(" ", "_"), env)
                totals[run][stem] = seconds
                cells[run][stem] = gpu_cell_times(records)
                print(f"{run}: {stem} in {seconds:.1f} s; gpu cells {cells[run][stem]}", flush=True)
            run_notes[stem] = [started, f"{load_before:.1f}, {os.getloadavg()[0]:.1f}"]

    rows, goals = cell_rows(lectures, cells, accelerator)
    lecture_rows = [[stem, *(round(totals[run][stem], 1) for run in runs), *run_notes[stem]] for stem in lectures]
    lecture_columns = ["lecture", *runs, "started", "load average before, after"]
    if arguments.add:
        previous = read_report(REPO / RESULTS_DIR / "gpu_placement.json")
        if previous["tables"][1]["columns"] != lecture_columns:
            raise SystemExit("--add: the committed report has other columns (another machine, or a report from "
                             "before each lecture carried its start and load); run every lecture without --add")
        kept = [stem for stem in left_out if any(row[0] == stem for row in previous["tables"][0]["rows"])]
        rows = [row for row in previous["tables"][0]["rows"] if row[0] in kept] + rows
        lecture_rows = [row for row in previous["tables"][1]["rows"] if row[0] in kept] + lecture_rows
        left_out = [stem for stem in left_out if stem not in kept]
    columns = ["lecture", "code cell", "CPU (s)", "device", "GPU (s)", "CPU / GPU"]
    if "GPU, gpu sizes" in cells:
        columns.append("GPU at the GPU profile's sizes (s)")
    where = f"on {accelerator} and the CPU" if accelerator else "on a machine without a GPU: no GPU measured"
    report = Report(
        name="gpu_placement",
        title="GPU cells: each one timed on the CPU and on the accelerator",
        summary=(
            f"The code cells tagged `gpu` in {len(lecture_rows)} lectures ({len(rows)} cells"
            + (f"; not run this time: the gpu cells of {', '.join(left_out)}" if left_out else "; every gpu cell")
            + "), "
            f"executed {where}, at the CPU profile's sizes in both columns; each lecture executed alone by the "
            "build driver with empty caches and no compilation cache, so every time includes compilation. Times "
            "are the kernel's own record of each cell (one execution each). "
            + ("" if accelerator else "Run `python benchmarks/gpu_placement.py` on a GPU machine to fill the GPU "
               "column. ")
            + f"Each lecture's runs are dated in the second table, with the load average (1 min) before and after "
            f"them, on {os.cpu_count()} CPUs (a lecture run with --add keeps the rows of the others from earlier runs)."
        ),
        goals=goals,
        tables=[
            Table("Each gpu cell, at the CPU profile's sizes (seconds, compilation included)", columns, rows),
            Table("Executing each lecture (seconds, wall clock), when, and under what load", lecture_columns,
                  lecture_rows),
        ],
    )
    path = write_report(report, REPO)
    print(report.summary)
    print(f"wrote {path}")


if __name__ == "__main__":
    main()
