"""Surrogate speed-up per query: Fisher-KPP solves vs the trained network (the surrogates lecture).

The quantity of interest is the occupied fraction at T = 2 of the 1-D Fisher-KPP
equation (64 cells, no-flux ends, D in [1e-3, 1e-2], r in [1, 4]); 256 Sobol training
solves, a 2-32-32-1 tanh surrogate trained with Adam (1000 steps, cosine decay), 256
random held-out parameter sets. Cost per query: batched solves (``sk.ensemble_solve``)
vs the batched surrogate, both compiled, best of three. Run from the repository root:
``python benchmarks/surrogate_speedup.py``.
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

import jax

jax.config.update("jax_enable_x64", True)

import equinox as eqx  # noqa: E402
import jax.numpy as jnp  # noqa: E402
import numpy as np  # noqa: E402

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
import scimlkit as sk  # noqa: E402
from scimlkit.site.appendix.benchmark_report import Goal, Report, Table, write_report  # noqa: E402

N = 256
BOUNDS = np.array([[1e-3, 1e-2], [1.0, 4.0]])


def per_query(fn, queries, repeats=3):
    jax.block_until_ready(fn(queries))
    best = np.inf
    for _ in range(repeats):
        started = time.perf_counter()
        jax.block_until_ready(fn(queries))
        best = min(best, time.perf_counter() - started)
    return best / queries.shape[0]


def main() -> int:
    n_cells = 64
    field = sk.reaction_diffusion_field(sk.neumann_laplacian(n_cells))
    x = (jnp.arange(n_cells) + 0.5) / n_cells
    u0 = jnp.exp(-((x / 0.1) ** 2))
    ts = jnp.linspace(0.0, 2.0, 11)

    def occupied(params):
        ys = sk.ensemble_solve(field, ts, jnp.tile(u0, (params.shape[0], 1)), params, batched_params=True)
        return ys[:, -1].mean(axis=1)

    train = jnp.asarray(sk.sample_parameters(N, BOUNDS, design="sobol"))
    test = jnp.asarray(sk.sample_parameters(N, BOUNDS, design="random", seed=1))
    surrogate, _ = sk.fit_surrogate(train, occupied(train), bounds=BOUNDS, steps=1000, key=jax.random.key(0))
    error = float(sk.relative_error(surrogate(test)[:, 0], occupied(test)))
    solver_cost = per_query(occupied, test)
    surrogate_cost = per_query(eqx.filter_jit(surrogate), test, repeats=100)
    speedup = solver_cost / surrogate_cost
    print(f"held-out error {error:.2%}; solver {solver_cost * 1e6:.0f} us, surrogate {surrogate_cost * 1e6:.2f} us: {speedup:.0f}x")
    report = Report(
        name="surrogate_speedup",
        title="Surrogate of a reaction-diffusion model",
        summary=(
            "Occupied fraction at T = 2 of the 1-D Fisher-KPP equation (64 cells) as a function of (D, r); "
            f"{N} Sobol training solves, a 2-32-32-1 tanh surrogate (1000 Adam steps), {N} random held-out "
            f"parameter sets, on {sk.device_summary()}. Cost per query from batched calls, compiled, best of three."
        ),
        goals=[
            Goal("held-out relative error <= 5%", f"{error:.2%}", error <= 0.05),
            Goal("surrogate >= 100x faster per query than the solver", f"{speedup:.0f}x", speedup >= 100),
        ],
        tables=[
            Table(
                caption="Cost per query",
                columns=["method", "microseconds per query"],
                rows=[["Fisher-KPP solve (batched)", f"{solver_cost * 1e6:.1f}"], ["surrogate", f"{surrogate_cost * 1e6:.3f}"]],
            )
        ],
    )
    print(f"wrote {write_report(report, Path(__file__).resolve().parents[1])}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
