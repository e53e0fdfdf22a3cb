"""Stochastic differential equations with diagonal noise, solved with diffrax.

An Itô SDE ``dy = drift(t, y) dt + diffusion(t, y) * dW`` (element-wise noise: each
component of ``y`` has its own Brownian motion) is solved on a fixed step ``dt`` with

- ``solver="euler_maruyama"``: strong order 1/2, weak order 1 (Kloeden and Platen);
- ``solver="milstein"``: Itô-Milstein, strong order 1 for commutative noise (diagonal
  noise is commutative when each ``diffusion_i`` depends on ``y_i`` alone), at the price
  of one derivative of the diffusion per step.

The Brownian motion is a :func:`brownian_path` (diffrax's ``VirtualBrownianTree``)
made from a fixed key: the same key gives the same path at every step size, which is
what measuring strong convergence needs. :func:`sde_ensemble` solves many paths at once
with ``vmap``; :class:`GeometricBrownianMotion` and :func:`ornstein_uhlenbeck_density`
give the closed forms the lectures check against; :func:`convergence_order` reads an
order off an error-vs-step-size experiment.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Literal

import diffrax
import equinox as eqx
import jax
import jax.numpy as jnp
import lineax as lx
import numpy as np
from jaxtyping import Array, ArrayLike, Float, PRNGKeyArray

VectorField = Callable[[Float[Array, ""], Float[Array, "..."], object], Float[Array, "..."]]
SolverName = Literal["euler_maruyama", "milstein"]

_SOLVERS = {"euler_maruyama": diffrax.Euler, "milstein": diffrax.ItoMilstein}


def brownian_path(
    *, key: PRNGKeyArray, t0: float, t1: float, shape: tuple[int, ...] = (), tolerance: float = 1e-4
) -> diffrax.VirtualBrownianTree:
    """A Brownian motion on ``[t0, t1]`` fixed by ``key``, resolved to ``tolerance`` in time.

    Every query ``path.evaluate(s, t)`` of the same ``key`` sees the same path, so
    solves at different step sizes share their noise (``tolerance`` must be below the
    smallest step).
    """
    return diffrax.VirtualBrownianTree(t0, t1, tol=tolerance, shape=jax.ShapeDtypeStruct(shape, jnp.result_type(float)), key=key)


def solve_sde(
    drift: VectorField,
    diffusion: VectorField,
    y0: Float[ArrayLike, "*state"],
    *,
    ts: Float[ArrayLike, " times"],
    dt: float | Float[Array, ""],
    key: PRNGKeyArray,
    solver: SolverName = "euler_maruyama",
    args: object = None,
    brownian_tolerance: float | None = None,
    max_steps: int | None = None,
) -> Float[Array, " times *state"]:
    """Solve the Itô SDE on a fixed step ``dt`` and return the path at ``ts``.

    ``drift`` and ``diffusion`` are ``f(t, y, args)`` returning an array shaped like
    ``y`` (the diffusion is diagonal: component ``i`` is multiplied by ``dW_i``).
    ``ts`` (concrete: a list or NumPy array) must start at the initial time. The
    Brownian path is resolved to ``brownian_tolerance`` (default ``dt / 8``).

    ``dt`` may be a traced JAX scalar, so that one compilation serves many step sizes
    (``vmap`` over ``dt``); then ``max_steps`` and ``brownian_tolerance`` must be given,
    sized for the smallest step.
    """
    if solver not in _SOLVERS:
        raise ValueError(f"solver must be one of {sorted(_SOLVERS)}, got {solver!r}")
    y0 = jnp.asarray(y0, dtype=jnp.result_type(float))
    try:  # concrete times: the time span is fixed when the solve is traced
        ts = np.asarray(ts, dtype=float)
    except jax.errors.TracerArrayConversionError as error:
        raise ValueError("ts must be concrete (a NumPy array or a list), not a JAX array traced inside jit or vmap") from error
    if ts.ndim != 1 or ts.shape[0] < 2:
        raise ValueError(f"ts must be a 1-D array of at least two times, got shape {ts.shape}")
    t0, t1 = float(ts[0]), float(ts[-1])
    if isinstance(dt, jax.core.Tracer):
        if max_steps is None or brownian_tolerance is None:
            raise ValueError("with a traced dt, give max_steps and brownian_tolerance (sized for the smallest step)")
    else:
        if not dt > 0:
            raise ValueError(f"dt must be positive, got {dt}")
        max_steps = max_steps or int(np.ceil((t1 - t0) / float(dt) - 1e-9)) + 1
        brownian_tolerance = brownian_tolerance or float(dt) / 8
    path = brownian_path(key=key, t0=t0, t1=t1, shape=y0.shape, tolerance=brownian_tolerance)
    terms = diffrax.MultiTerm(
        diffrax.ODETerm(drift),
        diffrax.ControlTerm(lambda t, y, a: lx.DiagonalLinearOperator(diffusion(t, y, a)), path),
    )
    solution = diffrax.diffeqsolve(
        terms, _SOLVERS[solver](), t0, t1, dt, y0, args=args, saveat=diffrax.SaveAt(ts=ts), max_steps=max_steps
    )
    return solution.ys


def euler_maruyama(
    drift: VectorField,
    diffusion: VectorField,
    y0: Float[ArrayLike, "*state"],
    *,
    dt: float,
    increments: Float[ArrayLike, " steps *state"],
    t0: float = 0.0,
    args: object = None,
) -> Float[Array, " steps+1 *state"]:
    """Euler-Maruyama driven by given Brownian ``increments`` (one row per step), as a ``lax.scan``.

    The plain method with no solver machinery: cheap to compile, differentiable, and
    exactly what :func:`solve_sde` computes with ``solver="euler_maruyama"`` when given
    the same increments. Use it inside training loops, where the noise is fixed and the
    model changes.
    """
    y0 = jnp.asarray(y0, dtype=jnp.result_type(float))
    increments = jnp.asarray(increments, dtype=y0.dtype)
    if increments.shape[1:] != y0.shape:
        raise ValueError(f"increments must have shape (steps, *{y0.shape}), got {increments.shape}")

    def step(y, inputs):
        t, dw = inputs
        y_next = y + drift(t, y, args) * dt + diffusion(t, y, args) * dw
        return y_next, y_next

    times = t0 + dt * jnp.arange(increments.shape[0])
    _, path = jax.lax.scan(step, y0, (times, increments))
    return jnp.concatenate([y0[None], path])


def strong_errors(
    drift: VectorField,
    diffusion: VectorField,
    y0: Float[ArrayLike, "*state"],
    exact: Callable[[float, Array], Array],
    *,
    t1: float,
    step_sizes: Float[ArrayLike, " sizes"],
    key: PRNGKeyArray,
    n_paths: int,
    solver: SolverName = "euler_maruyama",
) -> np.ndarray:
    """Strong error ``E|y_dt(t1) - y(t1)|`` for each step size, estimated on ``n_paths`` paths.

    ``exact(t1, W)`` is the true solution driven by the Brownian value ``W = W_{t1}``.
    Every step size sees the same Brownian paths, and one compilation serves them all
    (the step size is traced and vectorised over).
    """
    step_sizes = np.asarray(step_sizes, dtype=float)
    smallest = float(step_sizes.min())
    tolerance = smallest / 8
    max_steps = int(np.ceil(t1 / smallest - 1e-9)) + 1

    def error_on_path(dt, path_key):
        approximate = solve_sde(
            drift, diffusion, y0, ts=[0.0, t1], dt=dt, key=path_key, solver=solver,
            brownian_tolerance=tolerance, max_steps=max_steps,
        )[-1]
        shape = jnp.shape(y0)
        brownian = brownian_path(key=path_key, t0=0.0, t1=t1, shape=shape, tolerance=tolerance).evaluate(0.0, t1)
        return jnp.sum(jnp.abs(approximate - exact(t1, brownian)))

    keys = jax.random.split(key, n_paths)
    per_path = jax.jit(jax.vmap(jax.vmap(error_on_path, in_axes=(None, 0)), in_axes=(0, None)))
    return np.asarray(per_path(jnp.asarray(step_sizes), keys).mean(axis=1))


def sde_ensemble(
    drift: VectorField,
    diffusion: VectorField,
    y0: Float[ArrayLike, "*state"],
    *,
    ts: Float[ArrayLike, " times"],
    dt: float,
    key: PRNGKeyArray,
    n_paths: int,
    solver: SolverName = "euler_maruyama",
    args: object = None,
) -> Float[Array, " paths times *state"]:
    """``n_paths`` independent solutions of the SDE (one key each, split from ``key``), vectorised."""
    if n_paths < 1:
        raise ValueError(f"n_paths must be at least 1, got {n_paths}")

    ts = np.asarray(ts)  # concrete: the solver's time span and step count are fixed at trace time

    def one_path(path_key):
        return solve_sde(drift, diffusion, y0, ts=ts, dt=dt, key=path_key, solver=solver, args=args)

    return jax.jit(jax.vmap(one_path))(jax.random.split(key, n_paths))


class GeometricBrownianMotion(eqx.Module):
    """``dy = mu y dt + sigma y dW``: the SDE with a closed-form solution, mean and variance."""

    mu: float = 1.0
    sigma: float = 1.0
    y0: float = 1.0

    def drift(self, t, y, args=None):
        return self.mu * y

    def diffusion(self, t, y, args=None):
        return self.sigma * y

    def exact(self, t: ArrayLike, brownian: ArrayLike) -> Array:
        """The solution driven by the Brownian value ``W_t``: ``y0 exp((mu - sigma^2/2) t + sigma W_t)``."""
        return self.y0 * jnp.exp((self.mu - 0.5 * self.sigma**2) * t + self.sigma * brownian)

    def mean(self, t: ArrayLike) -> Array:
        return self.y0 * jnp.exp(self.mu * jnp.asarray(t))

    def variance(self, t: ArrayLike) -> Array:
        t = jnp.asarray(t)
        return self.y0**2 * jnp.exp(2 * self.mu * t) * jnp.expm1(self.sigma**2 * t)


def ornstein_uhlenbeck_density(
    x: ArrayLike, t: ArrayLike, *, theta: float, mean_level: float, sigma: float, x0: float
) -> Array:
    """Density at time ``t`` of ``dX = theta (mean_level - X) dt + sigma dW`` from ``X_0 = x0``.

    It is the Gaussian that solves the Kolmogorov forward (Fokker-Planck) equation: mean
    ``mean_level + (x0 - mean_level) e^{-theta t}``, variance ``sigma^2 (1 - e^{-2 theta t}) / (2 theta)``.
    """
    t = jnp.asarray(t)
    mean = mean_level + (x0 - mean_level) * jnp.exp(-theta * t)
    variance = sigma**2 * -jnp.expm1(-2 * theta * t) / (2 * theta)
    return jnp.exp(-((jnp.asarray(x) - mean) ** 2) / (2 * variance)) / jnp.sqrt(2 * jnp.pi * variance)


def convergence_order(step_sizes: ArrayLike, errors: ArrayLike) -> float:
    """The slope of ``log(error)`` against ``log(step size)``, by least squares.

    >>> print(round(sk.convergence_order([0.1, 0.01, 0.001], [0.3, 0.03, 0.003]), 6))
    1.0
    """
    step_sizes, errors = np.asarray(step_sizes, dtype=float), np.asarray(errors, dtype=float)
    if step_sizes.shape != errors.shape or step_sizes.size < 2:
        raise ValueError(f"need matching step sizes and errors, at least two of each; got {step_sizes.shape} and {errors.shape}")
    if np.any(step_sizes <= 0) or np.any(errors <= 0):
        raise ValueError("step sizes and errors must be positive to take logarithms")
    slope, _ = np.polyfit(np.log(step_sizes), np.log(errors), 1)
    return float(slope)
