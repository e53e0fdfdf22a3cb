"""Ensembles of small ODE solves: many initial states or parameter sets at once.

An ensemble (uncertainty propagation, parameter sweeps, the data set of a surrogate)
solves the same small system thousands of times. Solving them one by one from Python
pays the dispatch cost thousands of times; :func:`ensemble_solve` instead ``vmap``s one
solve over the batch, so the whole ensemble is one compiled program that runs as wide
array operations, which is what a GPU is built for (Utkarsh et al. 2024 take the idea
further with one GPU kernel per trajectory). With ``shard=True`` the batch is also split
across all of JAX's devices.
"""

from __future__ import annotations

from typing import Any, Callable

import diffrax
import jax
import jax.numpy as jnp
from jaxtyping import Array, ArrayLike, Float, PyTree

from .devices import batch_sharding, pad_batch
from .solvers import integrate

VectorField = Callable[[Any, Array, Any], Array]


def _solve_one(vector_field, ts, y0, params, solver, rtol, atol, max_steps):
    return integrate(vector_field, ts, y0, params, solver=solver, rtol=rtol, atol=atol, max_steps=max_steps).ys


def ensemble_solve(
    vector_field: VectorField,
    ts: Float[ArrayLike, " m"],
    y0s: Float[ArrayLike, "b n"],
    params: PyTree = None,
    *,
    batched_params: bool = False,
    solver: diffrax.AbstractSolver | None = None,
    rtol: float = 1e-6,
    atol: float = 1e-6,
    max_steps: int = 4096,
    shard: bool = False,
) -> Float[Array, "b m n"]:
    """Solve ``y' = vector_field(t, y, params)`` from every row of ``y0s``, saving at ``ts``.

    ``params`` is shared by all members, or, with ``batched_params=True``, a pytree whose
    arrays have the batch as their leading axis (one parameter set per member). Each
    member keeps its own adaptive step size; the batch runs until its slowest member is
    done. ``shard=True`` splits the batch over ``jax.devices()`` (padding it to a multiple
    of the device count); on one device it changes nothing.

    >>> ys = sk.ensemble_solve(lambda t, y, p: -y, jnp.array([0.0, 1.0]), jnp.array([[1.0], [2.0]]))
    >>> ys.shape
    (2, 2, 1)
    >>> print(round(float(ys[1, -1, 0]), 6))
    0.735759
    """
    ts = jnp.asarray(ts)
    y0s = jnp.asarray(y0s)
    if y0s.ndim != 2:
        raise ValueError(f"y0s must have shape (batch, state), got {y0s.shape}")
    batch = y0s.shape[0]
    if batched_params:
        sizes = {leaf.shape[0] if leaf.ndim else None for leaf in jax.tree.leaves(params)}
        if sizes != {batch}:
            raise ValueError(
                f"batched_params=True needs every parameter array to have the batch ({batch}) as its "
                f"leading axis; got leading sizes {sorted(map(str, sizes))}"
            )
    solver = solver if solver is not None else diffrax.Tsit5()

    if shard:
        members = (y0s, params) if batched_params else y0s
        members = jax.device_put(pad_batch(members, jax.device_count()), batch_sharding())
        y0s, params = members if batched_params else (members, params)

    ys = _compiled_batched_solve(vector_field, batched_params, solver, max_steps)(ts, y0s, params, rtol, atol)
    return ys[:batch]


_COMPILED: dict[tuple, Callable] = {}


def _compiled_batched_solve(vector_field, batched_params, solver, max_steps) -> Callable:
    """One jitted, vmapped solve per (field, batching, solver, max_steps): calls reuse it.

    Tolerances are arguments (traced), so changing them does not recompile.
    """
    key = (vector_field, batched_params, solver, max_steps)
    if key not in _COMPILED:

        @jax.jit
        def batched(ts, y0s, params, rtol, atol):
            one = lambda y0, p: _solve_one(vector_field, ts, y0, p, solver, rtol, atol, max_steps)  # noqa: E731
            return jax.vmap(one, in_axes=(0, 0 if batched_params else None))(y0s, params)

        _COMPILED[key] = batched
    return _COMPILED[key]


def solve_one_by_one(
    vector_field: VectorField,
    ts: Float[ArrayLike, " m"],
    y0s: Float[ArrayLike, "b n"],
    params: PyTree = None,
    *,
    batched_params: bool = False,
    solver: diffrax.AbstractSolver | None = None,
    rtol: float = 1e-6,
    atol: float = 1e-6,
    max_steps: int = 4096,
) -> Float[Array, "b m n"]:
    """The same ensemble as :func:`ensemble_solve`, solved by a Python loop of single solves.

    The reference the ensemble is tested against, and the baseline it is timed against.
    """
    ts = jnp.asarray(ts)
    y0s = jnp.asarray(y0s)
    solver = solver if solver is not None else diffrax.Tsit5()
    single = _compiled_single_solve(vector_field, solver, max_steps)
    rows = []
    for index in range(y0s.shape[0]):
        p = jax.tree.map(lambda leaf, index=index: leaf[index], params) if batched_params else params
        rows.append(single(ts, y0s[index], p, rtol, atol))
    return jnp.stack(rows)


_COMPILED_SINGLE: dict[tuple, Callable] = {}


def _compiled_single_solve(vector_field, solver, max_steps) -> Callable:
    key = (vector_field, solver, max_steps)
    if key not in _COMPILED_SINGLE:
        _COMPILED_SINGLE[key] = jax.jit(
            lambda ts, y0, p, rtol, atol: _solve_one(vector_field, ts, y0, p, solver, rtol, atol, max_steps)
        )
    return _COMPILED_SINGLE[key]
