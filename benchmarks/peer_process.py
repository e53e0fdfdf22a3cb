"""Run one framework's side of a benchmark in a process of its own, at a chosen thread count.

The peer benchmarks (``deep_bsde.py``, ``pinn_burgers.py``, ``sindy.py``,
``ensemble_throughput.py``) call themselves again with ``--worker NAME --threads N``:
the child process imports only what its framework needs, sets every thread pool it
could use (OpenMP, MKL, OpenBLAS, XLA's CPU backend, PyTorch) to ``N`` before the
import, runs, and prints one JSON line, which the parent reads. Each framework is
tried at one and two threads and keeps the faster (``fastest_threads``).
"""

from __future__ import annotations

import json
import os
import statistics
import subprocess
import sys
from pathlib import Path

RESULT_MARK = "RESULT "


def thread_environment(threads: int) -> dict[str, str]:
    """Environment variables that cap every thread pool of NumPy, PyTorch and XLA at ``threads``."""
    xla = (
        "--xla_cpu_multi_thread_eigen=false intra_op_parallelism_threads=1"
        if threads == 1
        else f"--xla_cpu_multi_thread_eigen=true intra_op_parallelism_threads={threads}"
    )
    pools = ("OMP_NUM_THREADS", "MKL_NUM_THREADS", "OPENBLAS_NUM_THREADS")
    return {**{name: str(threads) for name in pools}, "XLA_FLAGS": xla}


def run_worker(script: Path, worker: str, threads: int, *arguments: str, timeout: float = 900) -> dict:
    """Run ``script --worker worker --threads threads arguments`` and return its JSON result."""
    command = [sys.executable, str(script), "--worker", worker, "--threads", str(threads), *arguments]
    environment = {**os.environ, **thread_environment(threads), "PYTHONUNBUFFERED": "1"}
    done = subprocess.run(command, env=environment, capture_output=True, text=True, timeout=timeout, check=False)
    results = [line[len(RESULT_MARK):] for line in done.stdout.splitlines() if line.startswith(RESULT_MARK)]
    if done.returncode != 0 or not results:
        raise RuntimeError(f"{worker} at {threads} threads failed:\n{done.stdout[-2000:]}\n{done.stderr[-4000:]}")
    return json.loads(results[-1])


def report_result(result: dict) -> None:
    """The worker's side: print the result as the one line the parent reads."""
    print(RESULT_MARK + json.dumps(result), flush=True)


def fastest_threads(script: Path, worker: str, key: str, *arguments: str, options=(1, 2)) -> tuple[int, dict]:
    """Run the worker's trial at each thread count; return the count with the smallest
    ``result[key]`` and every trial's result (by thread count)."""
    trials = {threads: run_worker(script, worker, threads, *arguments) for threads in options}
    best = min(trials, key=lambda threads: trials[threads][key])
    return best, trials


def spread(values) -> tuple[float, float, float]:
    """Median, minimum and maximum."""
    values = list(values)
    return statistics.median(values), min(values), max(values)


def format_spread(values, fmt: str = ".2f", suffix: str = "") -> str:
    """``"median (min to max)"``."""
    median, low, high = spread(values)
    return f"{median:{fmt}}{suffix} ({low:{fmt}} to {high:{fmt}}{suffix})"


def paired_ratio(numerator, denominator) -> tuple[float, float, float]:
    """Ratio of two sets of timings (say, a peer's seconds over ours): the medians' ratio,
    then the least and the most favourable pairing of single timings (the smallest
    numerator over the largest denominator, and the largest over the smallest)."""
    top, bottom = spread(numerator), spread(denominator)
    return top[0] / bottom[0], top[1] / bottom[2], top[2] / bottom[1]


def goal_verdict(median: float, worst: float, target: float) -> str:
    """How a ratio goal of at least ``target`` is met: by the whole spread, by the median only, or not."""
    if worst >= target:
        return "over the whole spread"
    return "at the median only" if median >= target else "not met"


def load_average() -> float:
    return os.getloadavg()[0]
