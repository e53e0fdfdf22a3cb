"""Reaction-diffusion systems on a 2-D grid, as ODE problems for the method of lines.

Both systems store their two species as one flat vector ``concatenate([u.ravel(),
v.ravel()])``, the form implicit solvers and sparse Jacobians work with;
:func:`split_species` undoes it.

- Gierer-Meinhardt (activator ``u``, inhibitor ``v``), the set-up of the original course
  (MIT 18.S096, ``lecture4/pde_stiff.jmd``):
  ``u_t = D1 Lap u + a u^2 / v + ubar - alpha u``, ``v_t = D2 Lap v + a u^2 - beta v``,
  ``(a, alpha, ubar, beta, D1, D2) = (1, 1, 1, 10, 0.001, 100)``, unit grid spacing,
  mirrored (Neumann) boundaries, started near the homogeneous steady state (the original
  adds ``0.01 U(0, 1)`` to ``u``; the default noise here is ten times larger).
- The 2-D Brusselator of the Hairer-Wanner test problems as posed in the DifferentialEquations.jl
  benchmarks: ``N x N`` points of ``[0, 1]^2`` (``dx = 1 / (N - 1)``), periodic indices,
  ``u' = alpha/dx^2 Lap u + B + u^2 v - (A + 1) u + f(x, y, t)``,
  ``v' = alpha/dx^2 Lap v + A u - u^2 v``, ``(A, B, alpha) = (3.4, 1, 10)``, forcing 5 in the
  disc ``(x - 0.3)^2 + (y - 0.6)^2 <= 0.1^2`` from ``t = 1.1``.
"""

from __future__ import annotations

import jax
import jax.numpy as jnp
import numpy as np
from jaxtyping import Array, Float

from .finite_differences import laplacian_stencil
from .problems import ODEProblem

GIERER_MEINHARDT_PARAMS = {"a": 1.0, "alpha": 1.0, "ubar": 1.0, "beta": 10.0, "D1": 0.001, "D2": 100.0}
BRUSSELATOR_PARAMS = {"A": 3.4, "B": 1.0, "alpha": 10.0}
BRUSSELATOR_FORCING_TIME = 1.1


def split_species(y: Float[Array, " 2n"], shape: tuple[int, int]) -> tuple[Float[Array, "nx ny"], Float[Array, "nx ny"]]:
    """The two species' grids from the flat state.

    >>> u, v = sk.split_species(jnp.arange(8.0), (2, 2))
    >>> print(u)
    [[0. 1.]
     [2. 3.]]
    """
    size = shape[0] * shape[1]
    if y.shape[-1] != 2 * size:
        raise ValueError(f"a state of two species on a {shape} grid has {2 * size} entries, not {y.shape[-1]}")
    return y[..., :size].reshape(*y.shape[:-1], *shape), y[..., size:].reshape(*y.shape[:-1], *shape)


def gierer_meinhardt_field(t, y: Float[Array, " 2n"], params: dict) -> Float[Array, " 2n"]:
    """The Gierer-Meinhardt vector field, vectorized: two stencil Laplacians and fused reactions."""
    n = int(round((y.shape[0] // 2) ** 0.5))
    u, v = split_species(y, (n, n))
    a, u2 = params["a"], u * u
    du = params["D1"] * laplacian_stencil(u, dx=1.0, boundary="neumann") + a * u2 / v + params["ubar"] - params["alpha"] * u
    dv = params["D2"] * laplacian_stencil(v, dx=1.0, boundary="neumann") + a * u2 - params["beta"] * v
    return jnp.concatenate([du.ravel(), dv.ravel()])


def gierer_meinhardt_loops(u: np.ndarray, v: np.ndarray, params: dict) -> tuple[np.ndarray, np.ndarray]:
    """The same vector field written point by point in Python: the slow, obviously correct baseline.

    Tests check the vectorized field against it, and the benchmark times it as the first
    rung of the optimization ladder. ``u`` and ``v`` are ``n x n`` NumPy grids.
    """
    n = u.shape[0]
    du, dv = np.empty_like(u), np.empty_like(v)

    def mirror(i):
        return 1 if i < 0 else (n - 2 if i >= n else i)

    for i in range(n):
        for j in range(n):
            around_u = u[mirror(i - 1), j] + u[mirror(i + 1), j] + u[i, mirror(j - 1)] + u[i, mirror(j + 1)]
            around_v = v[mirror(i - 1), j] + v[mirror(i + 1), j] + v[i, mirror(j - 1)] + v[i, mirror(j + 1)]
            reaction = params["a"] * u[i, j] ** 2
            du[i, j] = params["D1"] * (around_u - 4 * u[i, j]) + reaction / v[i, j] + params["ubar"] - params["alpha"] * u[i, j]
            dv[i, j] = params["D2"] * (around_v - 4 * v[i, j]) + reaction - params["beta"] * v[i, j]
    return du, dv


def gierer_meinhardt(n: int = 100, *, t_end: float = 5.0, noise: float = 0.1, seed: int = 0) -> ODEProblem:
    """Gierer-Meinhardt on an ``n x n`` grid, started at the steady state plus uniform noise in ``u``.

    The reactions balance at ``u* = (ubar + beta) / alpha``, ``v* = a u*^2 / beta``;
    ``noise * U(0, 1)`` is added to ``u`` so that the Turing instability has something to
    amplify. The original course used ``noise = 0.01``; the default 0.1 makes the growth
    large by ``t = 5``. At these parameters the instability's fastest wave is shorter than
    the grid spacing, so what grows is the noise itself, cell by cell; lecture 7 shows this
    and a resolved pattern with ``D1 = 0.2`` (pass ``dict(problem.params, D1=0.2)``).
    """
    p = GIERER_MEINHARDT_PARAMS
    u_star = (p["ubar"] + p["beta"]) / p["alpha"]
    v_star = p["a"] / p["beta"] * u_star**2
    u0 = u_star + noise * jax.random.uniform(jax.random.key(seed), (n, n), dtype=jnp.float64)
    v0 = jnp.full((n, n), v_star)
    y0 = jnp.concatenate([u0.ravel(), v0.ravel()])
    return ODEProblem(gierer_meinhardt_field, y0, dict(p), (0.0, t_end), f"Gierer-Meinhardt {n}x{n}")


def brusselator_grid(n: int) -> Float[np.ndarray, " n"]:
    """The ``n`` coordinates ``0, 1/(n-1), ..., 1`` of each axis."""
    return np.linspace(0.0, 1.0, n)


def brusselator_field(t, y: Float[Array, " 2n"], params: dict) -> Float[Array, " 2n"]:
    """The 2-D Brusselator vector field (periodic five-point Laplacian, local reactions, forcing)."""
    n = int(round((y.shape[0] // 2) ** 0.5))
    u, v = split_species(y, (n, n))
    x = jnp.asarray(brusselator_grid(n))
    in_disc = (x[:, None] - 0.3) ** 2 + (x[None, :] - 0.6) ** 2 <= 0.1**2
    forcing = jnp.where(in_disc & (t >= BRUSSELATOR_FORCING_TIME), 5.0, 0.0)
    dx = 1.0 / (n - 1)
    # alpha / dx^2 times the unscaled stencil sum, as the problem is posed: alpha times the Laplacian.
    diffusion = params["alpha"]
    u2v = u * u * v
    du = diffusion * laplacian_stencil(u, dx=dx, boundary="periodic") + params["B"] + u2v - (params["A"] + 1.0) * u + forcing
    dv = diffusion * laplacian_stencil(v, dx=dx, boundary="periodic") + params["A"] * u - u2v
    return jnp.concatenate([du.ravel(), dv.ravel()])


def brusselator_2d(n: int = 32, *, t_end: float = 11.5) -> ODEProblem:
    """The 2-D Brusselator on ``n x n`` points with ``u0 = 22 (y(1-y))^1.5``, ``v0 = 27 (x(1-x))^1.5``."""
    if n < 3:
        raise ValueError(f"the Brusselator grid needs at least 3 points per axis, not n = {n}")
    x = brusselator_grid(n)
    xx, yy = np.meshgrid(x, x, indexing="ij")
    u0 = 22.0 * (yy * (1.0 - yy)) ** 1.5
    v0 = 27.0 * (xx * (1.0 - xx)) ** 1.5
    y0 = jnp.asarray(np.concatenate([u0.ravel(), v0.ravel()]))
    return ODEProblem(brusselator_field, y0, dict(BRUSSELATOR_PARAMS), (0.0, t_end), f"Brusselator {n}x{n}")
