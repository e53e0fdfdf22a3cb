"""Multiple shooting: fit a trajectory piece by piece to avoid the local minima of long horizons.

Fitting ``y' = f(t, y, p)`` to data over a long time span (single shooting) gives a
loss that is a wildly oscillating function of ``p``: a slightly wrong frequency puts
the model out of phase with the data, and gradient descent stalls in one of many local
minima. Multiple shooting (Bock and Plitt 1984; for neural ODEs Turan and Jäschke 2022)
cuts the span into segments, gives each segment its own trainable initial state, and
adds a penalty for the gaps between the end of one segment and the start of the next.
Each segment is short, so its loss is benign; at convergence the gaps close and the
pieces form one trajectory.

:func:`multiple_shooting_loss` is the loss, for an :class:`~scimlkit.problems.ODEProblem`
or a bare vector field; :func:`shooting_guess` builds its starting point from the data.
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


def shooting_guess(params: Any, data: Float[ArrayLike, "m n"], n_segments: int) -> dict[str, Any]:
    """Starting point of a multiple-shooting fit: ``params`` and the data at each segment's start."""
    data = jnp.asarray(data)
    length = (data.shape[0] - 1) // n_segments
    return {"params": params, "starts": data[: n_segments * length : length]}


def multiple_shooting_loss(
    guess: dict[str, Any],
    model: Any,
    ts: Float[ArrayLike, " m"],
    data: Float[ArrayLike, "m n"],
    *,
    continuity_weight: float = 10.0,
    solver: diffrax.AbstractSolver | None = None,
    rtol: float = 1e-8,
    atol: float = 1e-8,
    max_steps: int = 4096,
) -> Float[Array, ""]:
    """Multiple-shooting objective for ``guess = {"params": p, "starts": (segments, n)}``.

    ``model`` is an :class:`~scimlkit.problems.ODEProblem` (its ``vector_field`` is used)
    or a vector field ``f(t, y, p)`` itself. ``ts`` and ``data`` are the whole series; it
    is cut into ``guess["starts"].shape[0]`` segments sharing their end points (see
    :func:`split_into_segments`), and each segment is solved from its own trainable
    initial state, all at once (:func:`solve_segments`). The loss is the mean squared
    misfit over every segment plus ``continuity_weight`` times the mean squared gap
    between where segment ``k`` ends and where segment ``k + 1`` starts; with one segment
    it is the misfit alone. Short segments cannot drift far, so the loss is far less
    wiggly in the parameters than a single long solve; as the gaps close, the segments
    join into one trajectory. Hand it to :func:`scimlkit.fit` with ``guess`` as the
    trained parameters.
    """
    vector_field = getattr(model, "vector_field", model)
    starts = jnp.asarray(guess["starts"])
    ts_segments, data_segments = split_into_segments(ts, data, starts.shape[0])
    predicted = solve_segments(
        vector_field, guess["params"], starts, ts_segments, solver=solver, rtol=rtol, atol=atol, max_steps=max_steps
    )
    misfit = jnp.mean((predicted - data_segments) ** 2)
    if starts.shape[0] == 1:
        return misfit
    gaps = predicted[:-1, -1] - starts[1:]
    return misfit + continuity_weight * jnp.mean(gaps**2)
