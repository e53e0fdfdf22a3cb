"""Multiple shooting: fit a trajectory piece by piece to avoid the local minima of long horizons.

Fitting ``y' = f(t, y, p)`` to data over a long time span (single shooting) gives a
loss that is a wildly oscillating function of ``p``: a slightly wrong frequency puts
the model out of phase with the data, and gradient descent stalls in one of many local
minima. Multiple shooting (Bock and Plitt 1984; for neural ODEs Turan and Jäschke 2022)
cuts the span into segments, gives each segment its own trainable initial state, and
adds a penalty for the gaps between the end of one segment and the start of the next.
Each segment is short, so its loss is benign; at convergence the gaps close and the
pieces form one trajectory.

:func:`scimlkit.multiple_shooting_loss` (in ``estimation.py``) is the same loss for an
:class:`~scimlkit.problems.ODEProblem` and data not yet split into segments.
"""

from __future__ import annotations

from typing import Any, Callable

import diffrax
import jax
import jax.numpy as jnp
from jaxtyping import Array, ArrayLike, Float

from .solvers import integrate

VectorField = Callable[[Any, Array, Any], Array]


def split_into_segments(
    ts: Float[ArrayLike, " m"], ys: Float[ArrayLike, "m n"], n_segments: int
) -> tuple[Float[Array, "k l"], Float[Array, "k l n"]]:
    """Cut ``(ts, ys)`` into ``n_segments`` pieces of equal length sharing their end points.

    Segment ``k`` covers samples ``k (l - 1)`` to ``(k + 1)(l - 1)``, so the last sample
    of one segment is the first of the next; ``m - 1`` must be divisible by
    ``n_segments``.

    >>> ts = jnp.linspace(0.0, 1.0, 7)
    >>> ts_segments, ys_segments = sk.split_into_segments(ts, jnp.stack([ts, ts**2], axis=1), 3)
    >>> ts_segments.shape, ys_segments.shape
    ((3, 3), (3, 3, 2))
    """
    ts, ys = jnp.asarray(ts), jnp.asarray(ys)
    m = ts.shape[0]
    if n_segments < 1 or (m - 1) % n_segments:
        raise ValueError(
            f"cannot cut {m} samples into {n_segments} segments sharing end points: "
            f"m - 1 = {m - 1} must be a multiple of n_segments"
        )
    step = (m - 1) // n_segments
    index = jnp.arange(n_segments)[:, None] * step + jnp.arange(step + 1)[None, :]
    return ts[index], ys[index]


def solve_segments(
    vector_field: VectorField,
    params: Any,
    starts: Float[Array, "k n"],
    ts_segments: Float[Array, "k l"],
    *,
    solver: diffrax.AbstractSolver | None = None,
    rtol: float = 1e-6,
    atol: float = 1e-6,
    max_steps: int = 4096,
) -> Float[Array, "k l n"]:
    """Solve every segment from its own initial state, all segments at once (``vmap``)."""

    def one(y0, ts):
        return integrate(vector_field, ts, y0, params, solver=solver, rtol=rtol, atol=atol, max_steps=max_steps).ys

    return jax.vmap(one)(starts, ts_segments)


def segmented_shooting_loss(
    vector_field: VectorField,
    params: Any,
    starts: Float[Array, "k n"],
    ts_segments: Float[Array, "k l"],
    ys_segments: Float[Array, "k l n"],
    *,
    continuity_weight: float = 10.0,
    **solve_options: Any,
) -> Float[Array, ""]:
    """Mean squared misfit of all segments plus ``continuity_weight`` times the mean squared gaps.

    A gap is the difference between where segment ``k`` ends and where segment ``k + 1``
    starts. ``solve_options`` go to :func:`solve_segments`.
    """
    predicted = solve_segments(vector_field, params, starts, ts_segments, **solve_options)
    misfit = jnp.mean((predicted - ys_segments) ** 2)
    if starts.shape[0] == 1:
        return misfit
    gaps = predicted[:-1, -1] - starts[1:]
    return misfit + continuity_weight * jnp.mean(gaps**2)
