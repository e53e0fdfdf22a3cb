import jax
import jax.numpy as jnp
import numpy as np
import pytest
from scipy.integrate import solve_ivp

import scimlkit as sk


@pytest.mark.slow
def test_logistic_solution_matches_the_closed_form():
    problem = sk.logistic_growth(r=0.8, K=10.0, u0=0.5)
    ts = jnp.linspace(0.0, 12.0, 61)
    numerical = sk.solve(problem, ts)[:, 0]
    exact = sk.logistic_growth_exact(ts, r=0.8, K=10.0, u0=0.5)
    # rtol = atol = 1e-8 in the solver: the global error stays within a few times that.
    np.testing.assert_allclose(numerical, exact, rtol=0, atol=1e-6)


@pytest.mark.slow
def test_solve_uses_replacement_parameters_and_initial_state():
    problem = sk.logistic_growth()
    ts = jnp.linspace(0.0, 5.0, 11)
    ys = sk.solve(problem, ts, {"r": jnp.asarray(0.3), "K": jnp.asarray(4.0)}, y0=jnp.array([1.0]))
    np.testing.assert_allclose(ys[:, 0], sk.logistic_growth_exact(ts, 0.3, 4.0, 1.0), atol=1e-6)


@pytest.mark.slow
def test_lotka_volterra_defaults_are_the_course_set_up_and_agree_with_scipy():
    problem = sk.lotka_volterra()
    np.testing.assert_array_equal(problem.params, [1.5, 1.0, 3.0, 1.0])
    np.testing.assert_array_equal(problem.y0, [1.0, 1.0])
    assert problem.t_span == (0.0, 10.0)
    ts = np.linspace(0.0, 10.0, 101)
    ours = sk.solve(problem, ts, rtol=1e-10, atol=1e-10)

    def f(t, y):
        a, b, c, d = 1.5, 1.0, 3.0, 1.0
        return [a * y[0] - b * y[0] * y[1], -c * y[1] + d * y[0] * y[1]]

    reference = solve_ivp(f, (0, 10), [1.0, 1.0], t_eval=ts, rtol=1e-11, atol=1e-11, method="DOP853")
    np.testing.assert_allclose(ours, reference.y.T, rtol=1e-7, atol=1e-8)


@pytest.mark.slow
def test_solution_is_differentiable_with_respect_to_parameters():
    problem = sk.logistic_growth()
    ts = jnp.array([0.0, 2.0])

    def final_state(r):
        return sk.solve(problem, ts, {"r": r, "K": jnp.asarray(10.0)})[-1, 0]

    # d/dr of K / (1 + (K/u0 - 1) e^{-r t}) at t = 2, by hand.
    r, K, u0, t = 0.8, 10.0, 0.5, 2.0
    e = (K / u0 - 1) * np.exp(-r * t)
    expected = K * e * t / (1 + e) ** 2
    assert float(jax.grad(final_state)(jnp.asarray(r))) == pytest.approx(expected, rel=1e-6)


@pytest.mark.slow
def test_cubic_spiral_is_the_published_set_up_and_spirals_inwards():
    problem = sk.cubic_spiral()
    np.testing.assert_array_equal(problem.params, [[-0.1, 2.0], [-2.0, -0.1]])
    np.testing.assert_array_equal(problem.y0, [2.0, 0.0])
    assert problem.t_span == (0.0, 1.5)
    # y' = (y**3) A: at (2, 0) the velocity is 8 * (first row of A) = (-0.8, 16).
    np.testing.assert_allclose(problem.vector_field(0.0, problem.y0, problem.params), [-0.8, 16.0])
    radius = jnp.linalg.norm(sk.solve(problem, jnp.linspace(0.0, 1.5, 16)), axis=1)
    assert float(radius[-1]) < float(radius[0])


def test_universal_ode_set_up_uses_the_papers_constants():
    problem = sk.lotka_volterra_ude()
    # (alpha, beta, gamma, delta) = (1.3, 0.9, 0.8, 1.8) in the (a, b, c, d) = (alpha, beta, delta, gamma) order.
    np.testing.assert_array_equal(problem.params, [1.3, 0.9, 1.8, 0.8])
    y = jnp.array([2.0, 3.0])
    full = problem.vector_field(0.0, y, problem.params)
    known = sk.lotka_volterra_known(0.0, y, (1.3, 1.8))
    np.testing.assert_allclose(full - known, [-0.9 * 6.0, 0.8 * 6.0])


def test_cosine_forcing_exact_solves_its_equation():
    t = jnp.linspace(0.0, 1.0, 11)
    derivative = jax.vmap(jax.grad(lambda s: sk.cosine_forcing_exact(s, 1.0)))(t)
    np.testing.assert_allclose(derivative, jnp.cos(2 * jnp.pi * t), atol=1e-12)
    assert float(sk.cosine_forcing_exact(0.0, 1.0)) == 1.0
