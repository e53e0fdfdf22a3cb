"""Every reference problem's vector field written out by hand at an untidy state, and its set-up."""

from __future__ import annotations

import jax
import jax.numpy as jnp
import numpy as np
import pytest

import scimlkit as sk

jax.config.update("jax_enable_x64", True)


def test_robertson_field_and_set_up():
    problem = sk.robertson(t_end=40.0)
    y = jnp.array([0.7, 2e-5, 0.3])
    k1, k2, k3 = 0.04, 3e7, 1e4
    expected = [-k1 * 0.7 + k3 * 2e-5 * 0.3, k1 * 0.7 - k2 * 4e-10 - k3 * 2e-5 * 0.3, k2 * 4e-10]
    np.testing.assert_allclose(problem.vector_field(0.0, y, problem.params), expected, rtol=1e-14)
    assert float(jnp.sum(problem.vector_field(0.0, y, problem.params))) == pytest.approx(0.0, abs=1e-15)  # mass
    np.testing.assert_array_equal(problem.y0, [1.0, 0.0, 0.0])
    np.testing.assert_array_equal(problem.params, [0.04, 3e7, 1e4])
    assert problem.t_span == (0.0, 40.0) and sk.robertson().t_span == (0.0, 1e5)


def test_lorenz_field_and_set_up():
    problem = sk.lorenz(params=(9.0, 25.0, 2.5))
    x, y, z = 1.5, -2.0, 20.0
    expected = [9.0 * (y - x), x * (25.0 - z) - y, x * y - 2.5 * z]
    np.testing.assert_allclose(problem.vector_field(0.0, jnp.array([x, y, z]), problem.params), expected, rtol=1e-14)
    default = sk.lorenz()
    np.testing.assert_allclose(default.params, [10.0, 28.0, 8.0 / 3.0], rtol=1e-15)
    np.testing.assert_array_equal(default.y0, [-8.0, 8.0, 27.0])


def test_pendulum_sir_logistic_and_spiral_fields():
    pendulum = sk.pendulum(g_over_l=2.5)
    np.testing.assert_allclose(pendulum.vector_field(0.0, jnp.array([0.4, -1.1]), pendulum.params),
                               [-1.1, -2.5 * np.sin(0.4)], rtol=1e-14)
    np.testing.assert_array_equal(sk.pendulum().y0, [2.5, 0.0])
    sir = sk.sir(params=(0.5, 0.2), infected0=0.03)
    s, i = 0.6, 0.1
    np.testing.assert_allclose(sir.vector_field(0.0, jnp.array([s, i, 0.3]), sir.params),
                               [-0.5 * s * i, 0.5 * s * i - 0.2 * i, 0.2 * i], rtol=1e-14)
    np.testing.assert_allclose(sir.y0, [0.97, 0.03, 0.0], rtol=1e-15)
    logistic = sk.logistic_growth(r=0.6, K=7.0, u0=0.2)
    np.testing.assert_allclose(logistic.vector_field(0.0, jnp.array([3.0]), logistic.params),
                               [0.6 * 3.0 * (1 - 3.0 / 7.0)], rtol=1e-14)
    np.testing.assert_array_equal(logistic.y0, [0.2])
    spiral = sk.cubic_spiral()
    y = jnp.array([0.5, -1.5])
    a = np.array([[-0.1, 2.0], [-2.0, -0.1]])
    np.testing.assert_allclose(spiral.vector_field(0.0, y, spiral.params), np.asarray(y) ** 3 @ a, rtol=1e-14)
    exact = sk.logistic_growth_exact(jnp.array([0.0, 2.0]), 0.6, 7.0, 0.2)
    np.testing.assert_allclose(exact, [0.2, 7.0 / (1 + (7.0 / 0.2 - 1) * np.exp(-1.2))], rtol=1e-14)
