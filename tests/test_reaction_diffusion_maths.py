"""The Brusselator's field term by term against a point-by-point loop, and the problems' set-ups."""

from __future__ import annotations

import jax
import jax.numpy as jnp
import numpy as np
import pytest

import scimlkit as sk
from scimlkit.reaction_diffusion import BRUSSELATOR_PARAMS, GIERER_MEINHARDT_PARAMS, brusselator_field

jax.config.update("jax_enable_x64", True)


def brusselator_by_loops(u, v, t, params):
    # Written from the problem statement (Hairer and Wanner II, section IV.10): periodic
    # indices, dx = 1/(N-1), forcing 5 in the disc around (0.3, 0.6) of radius 0.1 from t = 1.1.
    n = u.shape[0]
    dx = 1.0 / (n - 1)
    x = np.linspace(0.0, 1.0, n)
    du, dv = np.empty_like(u), np.empty_like(v)
    for i in range(n):
        for j in range(n):
            lap_u = u[(i - 1) % n, j] + u[(i + 1) % n, j] + u[i, (j - 1) % n] + u[i, (j + 1) % n] - 4 * u[i, j]
            lap_v = v[(i - 1) % n, j] + v[(i + 1) % n, j] + v[i, (j - 1) % n] + v[i, (j + 1) % n] - 4 * v[i, j]
            forcing = 5.0 if (x[i] - 0.3) ** 2 + (x[j] - 0.6) ** 2 <= 0.01 and t >= 1.1 else 0.0
            du[i, j] = (params["alpha"] / dx**2 * lap_u + params["B"] + u[i, j] ** 2 * v[i, j]
                        - (params["A"] + 1) * u[i, j] + forcing)
            dv[i, j] = params["alpha"] / dx**2 * lap_v + params["A"] * u[i, j] - u[i, j] ** 2 * v[i, j]
    return du, dv


@pytest.mark.parametrize("t", [0.5, 1.1, 2.0])
def test_brusselator_field_is_the_pointwise_problem_statement(t):
    rng = np.random.default_rng(1)
    n = 11  # dx = 0.1: the disc holds grid points, so the forcing shows
    u, v = rng.uniform(0.5, 3.0, size=(n, n)), rng.uniform(0.5, 3.0, size=(n, n))
    # Untidy parameters, so that A, B and alpha each leave a trace.
    params = {"A": 2.7, "B": 1.3, "alpha": 0.02}
    du, dv = brusselator_by_loops(u, v, t, params)
    field = np.asarray(brusselator_field(t, jnp.asarray(np.concatenate([u.ravel(), v.ravel()])), params))
    np.testing.assert_allclose(field[: n * n], du.ravel(), rtol=1e-12, atol=1e-12)
    np.testing.assert_allclose(field[n * n :], dv.ravel(), rtol=1e-12, atol=1e-12)


def test_brusselator_problem_uses_the_published_constants():
    assert BRUSSELATOR_PARAMS == {"A": 3.4, "B": 1.0, "alpha": 10.0}
    problem = sk.brusselator_2d(6, t_end=2.0)
    assert problem.t_span == (0.0, 2.0)
    assert problem.y0.shape == (72,)
    with pytest.raises(ValueError, match="at least 3 points"):
        sk.brusselator_2d(2)


def test_gierer_meinhardt_starts_at_the_steady_state_plus_uniform_noise():
    p = GIERER_MEINHARDT_PARAMS
    u_star = (p["ubar"] + p["beta"]) / p["alpha"]
    v_star = p["a"] * u_star**2 / p["beta"]
    problem = sk.gierer_meinhardt(20, noise=0.3, seed=4, t_end=7.0)
    u, v = (np.asarray(a) for a in sk.split_species(problem.y0, (20, 20)))
    np.testing.assert_allclose(v, v_star, rtol=1e-14)
    noise = u - u_star
    assert noise.min() >= 0.0 and noise.max() <= 0.3
    assert noise.mean() == pytest.approx(0.15, abs=0.03)  # U(0, 0.3) over 400 points
    assert problem.t_span == (0.0, 7.0)
    other = np.asarray(sk.gierer_meinhardt(20, noise=0.3, seed=5).y0)
    assert not np.array_equal(other, np.asarray(problem.y0))
    # The reaction terms balance at the steady state: a u*^2 / v* + ubar = alpha u*, a u*^2 = beta v*.
    assert p["a"] * u_star**2 / v_star + p["ubar"] == pytest.approx(p["alpha"] * u_star)


def test_split_species_keeps_leading_axes():
    y = jnp.arange(24.0).reshape(2, 12)  # two states of a 2 x 3 grid
    u, v = sk.split_species(y, (2, 3))
    assert u.shape == (2, 2, 3)
    np.testing.assert_array_equal(u[1], np.arange(12.0, 18.0).reshape(2, 3))
    np.testing.assert_array_equal(v[0], np.arange(6.0, 12.0).reshape(2, 3))
