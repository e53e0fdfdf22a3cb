"""SDE helpers against closed forms: GBM moments, convergence orders, Euler-Maruyama by hand."""

from __future__ import annotations

import jax
import pytest

jax.config.update("jax_enable_x64", True)

import jax.numpy as jnp  # noqa: E402
import numpy as np  # noqa: E402
from scipy import integrate  # noqa: E402

from scimlkit import sdes  # noqa: E402

GBM = sdes.GeometricBrownianMotion(mu=1.0, sigma=1.0, y0=1.0)


@pytest.mark.slow
def test_gbm_ensemble_mean_and_variance_within_three_standard_errors():
    # Milstein with dt = 1/64 has a bias far below the sampling error of 4000 paths.
    paths = sdes.sde_ensemble(
        GBM.drift, GBM.diffusion, 1.0, ts=[0.0, 0.5, 1.0], dt=1 / 64, key=jax.random.key(0), n_paths=4000, solver="milstein"
    )
    final = np.asarray(paths[:, -1])
    n = final.size
    mean_error = abs(final.mean() - float(GBM.mean(1.0)))
    assert mean_error < 3 * final.std(ddof=1) / np.sqrt(n)
    squared_deviation = (final - final.mean()) ** 2
    variance_error = abs(final.var(ddof=1) - float(GBM.variance(1.0)))
    assert variance_error < 3 * squared_deviation.std(ddof=1) / np.sqrt(n)


@pytest.mark.slow
def test_strong_orders_of_euler_maruyama_and_milstein():
    step_sizes = [2.0**-k for k in range(2, 8)]
    orders = {}
    for solver in ("euler_maruyama", "milstein"):
        errors = sdes.strong_errors(
            GBM.drift, GBM.diffusion, 1.0, GBM.exact, t1=1.0, step_sizes=step_sizes,
            key=jax.random.key(1), n_paths=1000, solver=solver,
        )
        orders[solver] = sdes.convergence_order(step_sizes, errors)
    assert orders["euler_maruyama"] == pytest.approx(0.5, abs=0.1)  # Kloeden and Platen: strong order 1/2
    assert orders["milstein"] == pytest.approx(1.0, abs=0.1)  # strong order 1 for diagonal noise


@pytest.mark.slow
def test_solve_sde_is_euler_maruyama_over_the_paths_increments():
    key, dt = jax.random.key(3), 0.05
    grid = np.linspace(0.0, 1.0, 21)
    solved = sdes.solve_sde(GBM.drift, GBM.diffusion, 1.0, ts=grid, dt=dt, key=key)
    path = sdes.brownian_path(key=key, t0=0.0, t1=1.0, tolerance=dt / 8)
    y, by_hand = 1.0, [1.0]
    for t0, t1 in zip(grid[:-1], grid[1:]):
        y = y + GBM.mu * y * dt + GBM.sigma * y * float(path.evaluate(t0, t1))
        by_hand.append(y)
    np.testing.assert_allclose(solved, by_hand, rtol=1e-12)


@pytest.mark.slow
def test_scanned_euler_maruyama_matches_the_diffrax_solve_on_the_same_increments():
    key, dt = jax.random.key(4), 0.1
    grid = np.linspace(0.0, 1.0, 11)
    path = sdes.brownian_path(key=key, t0=0.0, t1=1.0, shape=(2,), tolerance=dt / 8)
    increments = jnp.stack([path.evaluate(a, b) for a, b in zip(grid[:-1], grid[1:])])
    drift = lambda t, y, args: jnp.array([y[1], -jnp.sin(y[0])])  # noqa: E731
    diffusion = lambda t, y, args: 0.3 * jnp.cos(y) + t  # noqa: E731
    scanned = sdes.euler_maruyama(drift, diffusion, [1.0, 0.0], dt=dt, increments=increments)
    solved = sdes.solve_sde(drift, diffusion, [1.0, 0.0], ts=grid, dt=dt, key=key)
    np.testing.assert_allclose(scanned, solved, rtol=1e-12, atol=1e-14)
    with pytest.raises(ValueError, match="increments must have shape"):
        sdes.euler_maruyama(drift, diffusion, [1.0, 0.0], dt=dt, increments=jnp.zeros((10, 3)))


def test_ornstein_uhlenbeck_density_is_a_normalised_gaussian_with_the_right_moments():
    settings = dict(t=0.7, theta=2.0, mean_level=1.0, sigma=0.5, x0=-1.0)
    density = lambda x: float(sdes.ornstein_uhlenbeck_density(x, **settings))  # noqa: E731
    total, _ = integrate.quad(density, -10, 10)
    mean, _ = integrate.quad(lambda x: x * density(x), -10, 10)
    assert total == pytest.approx(1.0, abs=1e-10)
    assert mean == pytest.approx(1.0 - 2.0 * np.exp(-2.0 * 0.7), abs=1e-10)


def test_convergence_order_reads_a_power_law_and_rejects_bad_input():
    h = np.array([0.1, 0.05, 0.025])
    assert sdes.convergence_order(h, 3 * h**1.5) == pytest.approx(1.5, abs=1e-12)
    with pytest.raises(ValueError, match="positive"):
        sdes.convergence_order(h, [1.0, 0.0, 1.0])


def test_bad_arguments_are_named():
    with pytest.raises(ValueError, match="solver must be one of"):
        sdes.solve_sde(GBM.drift, GBM.diffusion, 1.0, ts=[0.0, 1.0], dt=0.1, key=jax.random.key(0), solver="rk4")
    with pytest.raises(ValueError, match="ts must be concrete"):
        jax.jit(lambda ts: sdes.solve_sde(GBM.drift, GBM.diffusion, 1.0, ts=ts, dt=0.1, key=jax.random.key(0)))(
            jnp.array([0.0, 1.0])
        )
    with pytest.raises(ValueError, match="n_paths must be at least 1"):
        sdes.sde_ensemble(GBM.drift, GBM.diffusion, 1.0, ts=[0.0, 1.0], dt=0.1, key=jax.random.key(0), n_paths=0)
