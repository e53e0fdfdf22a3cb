"""Convolutions as stencils: a CNN kernel applied to a grid function is a finite difference.

A one-dimensional convolution layer with kernel ``k`` computes
``(k * u)_i = k_0 u_{i-1} + k_1 u_i + k_2 u_{i+1}``, which is exactly how a three-point
finite-difference stencil acts; ``[1, -2, 1] / dx**2`` is the central second
derivative. So a kernel fitted to data from a diffusion process should *become* that
stencil. This module applies kernels on periodic grids (no boundary to get wrong) and
makes the data for learning one, and computes finite-difference weights for any set of
points by Fornberg's algorithm.
"""

from __future__ import annotations

import jax
import jax.numpy as jnp
import numpy as np
from jaxtyping import Array, ArrayLike, Float, PRNGKeyArray


def second_difference_stencil(dx: float) -> Float[Array, "3"]:
    """The central second-derivative stencil ``[1, -2, 1] / dx**2``.

    >>> print(sk.second_difference_stencil(0.5))
    [ 4. -8.  4.]
    """
    return jnp.array([1.0, -2.0, 1.0]) / dx**2


def apply_stencil(kernel: Float[Array, " k"], u: Float[Array, "... n"]) -> Float[Array, "... n"]:
    """Apply an odd-length ``kernel`` centred on each point of a periodic grid function.

    Written as a sum of shifted copies (what a convolution layer computes, without the
    kernel flip of the mathematical convolution), so it works on any batch shape.
    """
    half = kernel.shape[0] // 2
    return sum(kernel[j] * jnp.roll(u, half - j, axis=-1) for j in range(kernel.shape[0]))


def periodic_grid(n: int, length: float = 1.0) -> tuple[Float[Array, " n"], float]:
    """``n`` equally spaced points on ``[0, length)`` and their spacing."""
    dx = length / n
    return jnp.arange(n) * dx, dx


def heat_step_data(
    key: PRNGKeyArray,
    n_samples: int,
    n: int = 64,
    dt: float = 1e-5,
    diffusivity: float = 1.0,
    max_mode: int = 4,
) -> tuple[Float[Array, "s n"], Float[Array, "s n"], float]:
    """Pairs ``(u(0), u(dt))`` of the periodic heat equation ``u_t = D u_xx`` on [0, 1).

    Each initial state is a random combination of the Fourier modes ``1, ..., max_mode``
    (and a constant), advanced by the *exact* solution operator, which damps mode ``k``
    by ``exp(-D (2 pi k)^2 dt)``. Nothing about finite differences goes into the data, so a
    kernel that recovers ``[1, -2, 1] / dx**2`` has found the stencil on its own.
    Returns the two arrays and the grid spacing ``dx``.
    """
    x, dx = periodic_grid(n)
    k_const, k_cos, k_sin = jax.random.split(key, 3)
    modes = jnp.arange(1, max_mode + 1)
    a = jax.random.normal(k_cos, (n_samples, max_mode)) / modes
    b = jax.random.normal(k_sin, (n_samples, max_mode)) / modes
    c = jax.random.normal(k_const, (n_samples, 1))
    phase = 2.0 * jnp.pi * modes[:, None] * x[None, :]
    decay = jnp.exp(-diffusivity * (2.0 * jnp.pi * modes) ** 2 * dt)

    def state(scale):
        return c + (a * scale) @ jnp.cos(phase) + (b * scale) @ jnp.sin(phase)

    return state(jnp.ones_like(decay)), state(decay), dx


def stencil_loss(
    kernel: Float[Array, " k"], before: Float[Array, "s n"], after: Float[Array, "s n"], dt: float
) -> Float[Array, ""]:
    """Mean squared error of the explicit step ``u + dt * (kernel applied to u)``, in units of ``dt``.

    Dividing by ``dt`` compares the learned operator with the observed rate of change,
    so the loss does not vanish just because the step is small.
    """
    predicted_rate = apply_stencil(kernel, before)
    observed_rate = (after - before) / dt
    return jnp.mean((predicted_rate - observed_rate) ** 2)


def fornberg_weights(x0: float, points: ArrayLike, order: int) -> np.ndarray:
    """Weights ``w`` with ``sum(w * u(points)) ~ u^(order)(x0)``, by Fornberg's algorithm.

    The weights differentiate the polynomial that interpolates ``u`` at ``points`` (any
    distinct points, not necessarily equally spaced); Fornberg (1988) builds them for
    every derivative up to ``order`` by a recurrence over the points, without forming or
    solving a Vandermonde system. On ``[-1, 0, 1]`` with ``order=2`` they are the
    stencil ``[1, -2, 1]``. Computed in NumPy float64: a stencil is a handful of exact
    rational numbers, fixed before any JAX code runs.

    >>> print(sk.fornberg_weights(0.0, [-1.0, 0.0, 1.0], order=2))
    [ 1. -2.  1.]
    """
    x = np.asarray(points, dtype=float)
    if x.ndim != 1 or len(np.unique(x)) != len(x):
        raise ValueError(f"points must be a 1-D array of distinct values, got {points!r}")
    if not 0 <= order < len(x):
        raise ValueError(f"order must be between 0 and len(points) - 1 = {len(x) - 1}, got {order}")
    c = np.zeros((len(x), order + 1))
    c[0, 0] = 1.0
    c1, c4 = 1.0, x[0] - x0
    for i in range(1, len(x)):
        highest = min(i, order)
        c2, c5, c4 = 1.0, c4, x[i] - x0
        for j in range(i):
            c3 = x[i] - x[j]
            c2 *= c3
            if j == i - 1:
                # The new point's weights, from the previous point's (Fornberg's recurrence).
                for k in range(highest, 0, -1):
                    c[i, k] = c1 * (k * c[i - 1, k - 1] - c5 * c[i - 1, k]) / c2
                c[i, 0] = -c1 * c5 * c[i - 1, 0] / c2
            for k in range(highest, 0, -1):
                c[j, k] = (c4 * c[j, k] - k * c[j, k - 1]) / c3
            c[j, 0] = c4 * c[j, 0] / c3
        c1 = c2
    return c[:, order]
