"""Gradient methods through an ODE solve: error, time and memory against the number of parameters.

A neural ODE y' = MLP(y) (2 -> width -> 2, tanh) fitted to a fixed trajectory of 21
points on t in [0, 10], Tsit5 with rtol = atol = 1e-8, float64. For each width, every
method of ``sk.loss_gradient`` is compiled once, its scratch memory read from XLA's
memory analysis, and its run time measured (best of three); its error is the largest
deviation from checkpointed reverse mode, relative to the gradient's largest entry.
The lecture (13) shows the small version of this table. Run from the repository root:
``python benchmarks/gradient_methods.py``.
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

import jax

jax.config.update("jax_enable_x64", True)

import equinox as eqx  # noqa: E402
import jax.numpy as jnp  # noqa: E402
from jax.flatten_util import ravel_pytree  # noqa: E402

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
import scimlkit as sk  # noqa: E402
from scimlkit.site.appendix.benchmark_report import Goal, Report, Table, write_report  # noqa: E402

WIDTHS = (4, 16, 64)
TOL = 1e-8


def field(t, y, mlp):
    return mlp(y)


def main() -> int:
    ts = jnp.linspace(0.0, 10.0, 21)
    y0 = jnp.array([0.25, 0.25])
    target = sk.trajectory(field, ts, y0, eqx.nn.MLP(2, 2, 8, 1, activation=jnp.tanh, key=jax.random.key(1)))

    def loss(ys):
        return jnp.sum((ys - target) ** 2)

    rows, worst_deviation, crossover = [], 0.0, {}
    for width in WIDTHS:
        mlp = eqx.nn.MLP(2, 2, width, 1, activation=jnp.tanh, key=jax.random.key(2))
        arrays, static = eqx.partition(mlp, eqx.is_inexact_array)
        n_params = ravel_pytree(arrays)[0].size
        results = {}
        for method in sk.GRADIENT_METHODS:
            def gradient(arrays, method=method, static=static):
                model = eqx.combine(arrays, static)
                return ravel_pytree(sk.loss_gradient(loss, field, ts, y0, model, method=method, rtol=TOL, atol=TOL)[1])[0]

            compiled = jax.jit(gradient).lower(arrays).compile()
            jax.block_until_ready(compiled(arrays))
            times = []
            for _ in range(3):
                started = time.perf_counter()
                value = jax.block_until_ready(compiled(arrays))
                times.append(time.perf_counter() - started)
            results[method] = (value, min(times), compiled.memory_analysis().temp_size_in_bytes)
        reference = results["checkpointed"][0]
        for method, (value, seconds, memory) in results.items():
            deviation = float(jnp.max(jnp.abs(value - reference)) / jnp.max(jnp.abs(reference)))
            if method != "finite_differences":
                worst_deviation = max(worst_deviation, deviation)
            rows.append([n_params, method, f"{deviation:.1e}", f"{1e3 * seconds:.2f}", f"{memory / 1024:.0f}"])
            print(rows[-1])
        crossover[n_params] = results["forward_mode"][1] / results["checkpointed"][1]
    largest = max(crossover)
    report = Report(
        name="gradient_methods",
        title="Gradient methods through an ODE solve",
        summary=(
            f"Neural ODE y' = MLP(y), widths {', '.join(map(str, WIDTHS))} (P parameters), 21 points on [0, 10], "
            f"Tsit5 rtol = atol = {TOL:g}, float64, on {sk.device_summary()}. Deviation: largest difference from "
            "checkpointed reverse mode relative to the largest gradient entry. Memory: XLA's planned scratch "
            "memory for the compiled gradient. Best of three warm runs."
        ),
        goals=[
            Goal("AD and sensitivity methods agree to 1e-5 relative", f"{worst_deviation:.1e}", worst_deviation <= 1e-5),
            Goal(
                f"reverse mode faster than forward mode at P = {largest}",
                f"{crossover[largest]:.1f}x",
                crossover[largest] > 1.0,
            ),
        ],
        tables=[
            Table(
                caption="Gradient error, time and memory by method and number of parameters",
                columns=["P", "method", "deviation", "ms per gradient", "scratch KiB"],
                rows=rows,
            )
        ],
    )
    print(f"wrote {write_report(report, Path(__file__).resolve().parents[1])}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
