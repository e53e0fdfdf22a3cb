"""Ensemble throughput: trajectories per second, Python loop vs ``sk.ensemble_solve``.

Lotka-Volterra (lecture 15's set-up): parameter sets within 20% of (1.5, 1, 3, 1),
21 saved points on t in [0, 10], Tsit5 with rtol = atol = 1e-6, float64. The loop
calls one compiled solve per trajectory from Python (``sk.solve_one_by_one``); the
ensemble is one compiled, vmapped solve over the batch. Each size is compiled before
it is timed (best of three). On a GPU machine the same script measures the GPU.
Run from the repository root: ``python benchmarks/ensemble_throughput.py``.
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

import jax

jax.config.update("jax_enable_x64", True)

import jax.numpy as jnp  # noqa: E402

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
import scimlkit as sk  # noqa: E402
from scimlkit.site.benchmark_report import BarPlot, Goal, Report, Table, write_report  # noqa: E402

LOOP_SIZE = 200
BATCH_SIZES = sk.budget(cpu=(100, 1000, 10_000), gpu=(1000, 100_000, 1_000_000))


def best_time(fn, repeats=3):
    jax.block_until_ready(fn())  # compile
    times = []
    for _ in range(repeats):
        started = time.perf_counter()
        jax.block_until_ready(fn())
        times.append(time.perf_counter() - started)
    return min(times)


def main() -> int:
    lv = sk.lotka_volterra()
    ts = jnp.linspace(0.0, 10.0, 21)

    def parameter_sets(n):
        return lv.params * (1.0 + 0.2 * jax.random.uniform(jax.random.key(0), (n, 4), minval=-1.0, maxval=1.0))

    def run(solve, n):
        params = parameter_sets(n)
        y0s = jnp.tile(lv.y0, (n, 1))
        return lambda: solve(lv.vector_field, ts, y0s, params, batched_params=True)

    loop_rate = LOOP_SIZE / best_time(run(sk.solve_one_by_one, LOOP_SIZE), repeats=1)
    rates = {n: n / best_time(run(sk.ensemble_solve, n)) for n in BATCH_SIZES}
    for n, rate in rates.items():
        print(f"ensemble of {n}: {rate:,.0f} trajectories/s ({rate / loop_rate:.1f}x the loop)")
    best = max(rates.values())
    report = Report(
        name="ensemble_throughput",
        title="Ensembles of small ODE solves",
        summary=(
            f"Lotka-Volterra with parameters within 20% of (1.5, 1, 3, 1), 21 saved points on [0, 10], "
            f"Tsit5 rtol = atol = 1e-6, float64, on {sk.device_summary()}. The loop solves {LOOP_SIZE} "
            "trajectories one compiled solve at a time from Python; the ensemble vmaps one solve over the "
            "batch (`sk.ensemble_solve`). Compilation is excluded; best of three runs."
        ),
        goals=[Goal("batched ensemble >= 2x the loop's throughput", f"{best / loop_rate:.1f}x", best >= 2 * loop_rate)],
        tables=[
            Table(
                caption="Throughput by batch size",
                columns=["method", "trajectories", "trajectories per second", "vs loop"],
                rows=[["Python loop", LOOP_SIZE, f"{loop_rate:,.0f}", "1.0x"]]
                + [["sk.ensemble_solve", n, f"{rate:,.0f}", f"{rate / loop_rate:.1f}x"] for n, rate in rates.items()],
            )
        ],
        plots=[
            BarPlot(
                title="Ensemble throughput",
                ylabel="trajectories per second",
                labels=["loop"] + [f"vmap {n}" for n in rates],
                values=[round(loop_rate, 1)] + [round(rate, 1) for rate in rates.values()],
            )
        ],
    )
    print(f"wrote {write_report(report, Path(__file__).resolve().parents[1])}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
