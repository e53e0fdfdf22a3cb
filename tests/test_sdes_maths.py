"""The SDE module's maths, checked in every quantity against independent references.

Second moments (a Brownian increment's variance is dt, not dt**2 or sqrt(dt)), every
closed form of geometric Brownian motion and the Ornstein-Uhlenbeck density (mass, mean,
*variance*, and the Fokker-Planck equation it solves), Milstein written out by hand, and
an ensemble member equal to its single solve. Those that compile a solve take a second or
more each and are marked slow; the closed forms run in the inner loop.
"""

from __future__ import annotations

import jax
import pytest

jax.config.update("jax_enable_x64", True)

import jax.numpy as jnp  # noqa: E402
import numpy as np  # noqa: E402
from scipy import integrate, stats  # noqa: E402

from scimlkit import sdes  # noqa: E402

# Untidy parameters: a closed form that swaps mu and sigma, or drops y0, shows.
GBM = sdes.GeometricBrownianMotion(mu=0.3, sigma=0.7, y0=2.0)
OU = dict(theta=1.7, mean_level=0.4, sigma=0.9, x0=-1.3)


@pytest.mark.slow
def test_solved_brownian_motion_has_variance_t_and_drift_a_t():
    # dy = a dt + b dW from y0: y(t) = y0 + a t + b W_t, so the mean is y0 + a t and the
    # variance b**2 t. 4000 paths: the sample variance has a relative standard error of
    # sqrt(2/4000) = 2.2%; a variance of dt**2 or sqrt(dt) per step is off by 3x or more.
    a, b, y0 = 0.8, 1.5, 0.25
    ts = np.array([0.0, 0.3, 1.0])
    paths = sdes.sde_ensemble(
        lambda t, y, args: a * jnp.ones_like(y), lambda t, y, args: b * jnp.ones_like(y), y0,
        ts=ts, dt=0.1, key=jax.random.key(11), n_paths=4000,
    )
    final = np.asarray(paths)
    assert final.shape == (4000, 3)
    np.testing.assert_array_equal(final[:, 0], y0)
    for k in (1, 2):
        t = ts[k]
        spread = b * np.sqrt(t)
        assert abs(final[:, k].mean() - (y0 + a * t)) < 4 * spread / np.sqrt(4000)
        assert final[:, k].var(ddof=1) == pytest.approx(b**2 * t, rel=4 * np.sqrt(2 / 4000))
    # Increments over disjoint intervals are independent: their correlation is ~0 (not 1).
    first, second = final[:, 1] - final[:, 0], final[:, 2] - final[:, 1]
    assert abs(np.corrcoef(first, second)[0, 1]) < 4 / np.sqrt(4000)


@pytest.mark.slow
def test_brownian_path_increments_are_gaussian_with_variance_of_the_interval():
    # Over 4000 keys, W(0.45) - W(0.2) is N(0, 0.25): variance and a normality test.
    def increment(key):
        return sdes.brownian_path(key=key, t0=0.0, t1=1.0, shape=(2,), tolerance=1e-3).evaluate(0.2, 0.45)

    samples = np.asarray(jax.vmap(increment)(jax.random.split(jax.random.key(5), 4000)))
    assert samples.shape == (4000, 2)
    np.testing.assert_allclose(samples.var(axis=0, ddof=1), 0.25, rtol=4 * np.sqrt(2 / 4000))
    assert stats.kstest(samples[:, 0] / 0.5, "norm").pvalue > 1e-3


def _gaussian_expectation(g, t):
    # E g(W_t) for W_t ~ N(0, t), by quadrature (an independent reference for the closed forms).
    s = np.sqrt(t)
    value, _ = integrate.quad(lambda w: g(w) * np.exp(-(w**2) / (2 * t)) / np.sqrt(2 * np.pi * t), -14 * s, 14 * s,
                              epsabs=1e-13, epsrel=1e-12)
    return value


def test_geometric_brownian_motion_closed_forms_agree_in_mean_and_variance():
    t = 1.3
    exact = lambda w: float(GBM.exact(t, w))  # noqa: E731
    mean = _gaussian_expectation(exact, t)
    second = _gaussian_expectation(lambda w: exact(w) ** 2, t)
    assert float(GBM.mean(t)) == pytest.approx(mean, rel=1e-9)
    assert float(GBM.variance(t)) == pytest.approx(second - mean**2, rel=1e-8)
    # ... and the textbook values themselves (Kloeden and Platen, section 4.4).
    assert float(GBM.mean(t)) == pytest.approx(2.0 * np.exp(0.3 * t), rel=1e-14)
    assert float(GBM.variance(t)) == pytest.approx(4.0 * np.exp(0.6 * t) * (np.exp(0.49 * t) - 1), rel=1e-13)
    # The drift and diffusion are the SDE's: mu y and sigma y.
    assert float(GBM.drift(0.0, 3.0)) == pytest.approx(0.9)
    assert float(GBM.diffusion(0.0, 3.0)) == pytest.approx(2.1)


def test_ornstein_uhlenbeck_density_has_the_closed_form_variance():
    t = 0.45
    density = lambda x: float(sdes.ornstein_uhlenbeck_density(x, t, **OU))  # noqa: E731
    mean_exact = OU["mean_level"] + (OU["x0"] - OU["mean_level"]) * np.exp(-OU["theta"] * t)
    variance_exact = OU["sigma"] ** 2 * (1 - np.exp(-2 * OU["theta"] * t)) / (2 * OU["theta"])
    moments = [integrate.quad(lambda x, k=k: x**k * density(x), -12, 12, epsabs=1e-13)[0] for k in range(3)]
    assert moments[0] == pytest.approx(1.0, abs=1e-10)
    assert moments[1] == pytest.approx(mean_exact, abs=1e-10)
    assert moments[2] - moments[1] ** 2 == pytest.approx(variance_exact, rel=1e-9)
    # Long after the start it is the stationary law N(mean_level, sigma**2 / (2 theta)).
    stationary = stats.norm(OU["mean_level"], OU["sigma"] / np.sqrt(2 * OU["theta"]))
    np.testing.assert_allclose(sdes.ornstein_uhlenbeck_density(np.array([-0.5, 0.4, 1.2]), 30.0, **OU),
                               stationary.pdf([-0.5, 0.4, 1.2]), rtol=1e-12)


def test_ornstein_uhlenbeck_density_solves_the_fokker_planck_equation():
    # p_t = -d/dx [theta (m - x) p] + sigma**2 / 2 p_xx, checked with autodiff at scattered points.
    theta, m, sigma = OU["theta"], OU["mean_level"], OU["sigma"]
    p = lambda x, t: sdes.ornstein_uhlenbeck_density(x, t, **OU)  # noqa: E731
    p_t = jax.grad(p, argnums=1)
    p_x = jax.grad(p, argnums=0)
    p_xx = jax.grad(p_x, argnums=0)
    for x, t in [(-1.1, 0.2), (0.3, 0.5), (0.9, 1.4), (-0.2, 0.8)]:
        flux_divergence = -theta * p(x, t) + theta * (m - x) * p_x(x, t)  # d/dx [theta (m - x) p]
        residual = p_t(x, t) - (-flux_divergence + sigma**2 / 2 * p_xx(x, t))
        assert abs(float(residual)) < 1e-10 * max(1.0, abs(float(p_t(x, t))))


@pytest.mark.slow
def test_milstein_solve_is_the_milstein_step_written_out():
    # Ito-Milstein for dy = mu y dt + sigma y dW adds sigma**2 y (dW**2 - dt) / 2 to Euler-Maruyama.
    key, dt = jax.random.key(7), 0.1
    grid = np.linspace(0.0, 1.0, 11)
    solved = sdes.solve_sde(GBM.drift, GBM.diffusion, GBM.y0, ts=grid, dt=dt, key=key, solver="milstein")
    path = sdes.brownian_path(key=key, t0=0.0, t1=1.0, tolerance=dt / 8)
    y, by_hand = GBM.y0, [GBM.y0]
    for a, b in zip(grid[:-1], grid[1:]):
        dw = float(path.evaluate(a, b))
        y = y + GBM.mu * y * dt + GBM.sigma * y * dw + 0.5 * GBM.sigma**2 * y * (dw**2 - dt)
        by_hand.append(y)
    np.testing.assert_allclose(solved, by_hand, rtol=1e-12)


def test_scanned_euler_maruyama_uses_the_times_from_t0():
    # With a drift equal to t and no noise, y(t0 + n dt) = y0 + dt * sum_k (t0 + k dt).
    dt, t0, steps = 0.25, 3.0, 6
    path = sdes.euler_maruyama(lambda t, y, args: t * jnp.ones_like(y), lambda t, y, args: jnp.zeros_like(y), [1.0],
                               dt=dt, increments=jnp.ones((steps, 1)), t0=t0)
    times = t0 + dt * np.arange(steps)
    np.testing.assert_allclose(path[:, 0], 1.0 + np.concatenate([[0.0], np.cumsum(dt * times)]), rtol=1e-14)
    # The noise enters as diffusion * dW, once per step.
    noisy = sdes.euler_maruyama(lambda t, y, args: jnp.zeros_like(y), lambda t, y, args: 2.0 * jnp.ones_like(y), [0.0],
                                dt=dt, increments=jnp.arange(1.0, 4.0)[:, None])
    np.testing.assert_allclose(noisy[:, 0], [0.0, 2.0, 6.0, 12.0], rtol=1e-14)


@pytest.mark.slow
def test_ensemble_members_are_the_single_solves_with_split_keys():
    key, ts = jax.random.key(9), np.linspace(0.0, 0.6, 4)
    paths = sdes.sde_ensemble(GBM.drift, GBM.diffusion, GBM.y0, ts=ts, dt=0.05, key=key, n_paths=3)
    keys = jax.random.split(key, 3)
    for index in (0, 2):
        single = sdes.solve_sde(GBM.drift, GBM.diffusion, GBM.y0, ts=ts, dt=0.05, key=keys[index])
        np.testing.assert_allclose(paths[index], single, rtol=1e-13)
    assert not np.allclose(paths[0], paths[1])


@pytest.mark.slow
def test_strong_errors_average_the_per_path_errors():
    # Additive noise: Euler-Maruyama is exact, so against the true solution shifted by 0.1
    # every path's error is 0.1 to rounding, and so is their mean (not a sum over paths, a
    # root mean square of something else, or an error at the wrong Brownian value).
    a, b, y0 = -0.4, 0.6, 1.0
    drift = lambda t, y, args: a * jnp.ones_like(y)  # noqa: E731
    diffusion = lambda t, y, args: b * jnp.ones_like(y)  # noqa: E731
    shifted = lambda t, w: y0 + a * t + b * w + 0.1  # noqa: E731
    # The smaller step is a hair under 1/8: eight steps fall short of t1 by about 1e-11 and a
    # ninth, tiny one finishes, so the step budget must round up with a step to spare.
    errors = sdes.strong_errors(drift, diffusion, y0, shifted, t1=1.0, step_sizes=[0.25, 1 / (8 + 1e-10)],
                                key=jax.random.key(2), n_paths=5)
    assert errors.shape == (2,)
    np.testing.assert_allclose(errors, 0.1, rtol=1e-10)


def test_convergence_order_is_the_least_squares_slope_of_untidy_data():
    h = np.array([0.3, 0.11, 0.05, 0.013])
    errors = 0.7 * h**0.8 * np.array([1.1, 0.95, 1.05, 0.9])
    expected = np.polynomial.polynomial.polyfit(np.log(h), np.log(errors), 1)[1]
    assert sdes.convergence_order(h, errors) == pytest.approx(expected, rel=1e-12)
    with pytest.raises(ValueError, match="matching"):
        sdes.convergence_order(h, errors[:3])
    with pytest.raises(ValueError, match="positive"):
        sdes.convergence_order(-h, errors)
