"""An ensemble of small ODE solves written once per trajectory and vectorised with jax.vmap.

Each member is a damped, driven pendulum with its own damping and drive; one jitted,
vmapped fixed-step RK4 solve advances all members together, the layout a GPU wants
(many small independent systems, no Python loop). ``report.ipynb`` imports this file.
"""

from __future__ import annotations

import time
from pathlib import Path

import jax
import jax.numpy as jnp
import numpy as np

FIGURES = Path(__file__).resolve().parent.parent / "figures"
T_END, STEPS = 20.0, 2000


def pendulum(state, t, params):
    angle, velocity = state
    damping, drive = params
    return jnp.array([velocity, -damping * velocity - jnp.sin(angle) + drive * jnp.cos(0.7 * t)])


def solve_one(params):
    """Classical RK4 with a fixed step from angle 0.2 at rest; returns the angle at every step."""
    h = T_END / STEPS
    state0 = jnp.array([0.2, 0.0])

    def step(state, t):
        k1 = pendulum(state, t, params)
        k2 = pendulum(state + h / 2 * k1, t + h / 2, params)
        k3 = pendulum(state + h / 2 * k2, t + h / 2, params)
        k4 = pendulum(state + h * k3, t + h, params)
        new = state + h / 6 * (k1 + 2 * k2 + 2 * k3 + k4)
        return new, new[0]

    _, angles = jax.lax.scan(step, state0, jnp.arange(STEPS) * h)
    return angles


solve_ensemble = jax.jit(jax.vmap(solve_one))
solve_single = jax.jit(solve_one)


def members(n: int, seed: int = 0) -> jnp.ndarray:
    rng = np.random.default_rng(seed)
    return jnp.asarray(np.column_stack([rng.uniform(0.05, 0.5, n), rng.uniform(0.0, 1.2, n)]))


def seconds(function, *args, repeat: int = 3) -> float:
    function(*args).block_until_ready()  # compile and warm up first
    best = np.inf
    for _ in range(repeat):
        start = time.perf_counter()
        function(*args).block_until_ready()
        best = min(best, time.perf_counter() - start)
    return best


LOOP_TIMED_UP_TO = 50  # members; the loop's time above this is extrapolated linearly


def timings(sizes=(1, 10, 100, 1000)) -> dict[str, list]:
    """Wall time of the vmapped ensemble against a Python loop of single solves.

    ``extrapolated[i]`` is True where the loop was timed on ``LOOP_TIMED_UP_TO`` members and
    scaled to ``sizes[i]`` (the loop's cost is linear in the members), not measured.
    """
    vmapped, looped = [], []
    for n in sizes:
        params = members(n)
        vmapped.append(seconds(solve_ensemble, params))
        rows = list(params[: min(n, LOOP_TIMED_UP_TO)])

        def loop(rows=rows):
            for row in rows:
                solve_single(row).block_until_ready()
            return jnp.zeros(())

        looped.append(seconds(loop) * n / len(rows))
    extrapolated = [n > LOOP_TIMED_UP_TO for n in sizes]
    return {"sizes": list(sizes), "vmap": vmapped, "loop": looped, "extrapolated": extrapolated}
