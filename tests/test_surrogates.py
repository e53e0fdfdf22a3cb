"""Surrogate helpers: designs, the scaled MLP, relative error, POD and the Galerkin model."""

import jax
import jax.numpy as jnp
import numpy as np
import pytest
from scipy.stats import qmc

import scimlkit as sk

BOUNDS = np.array([[1e-3, 1e-2], [1.0, 4.0]])


def test_designs_fill_the_box_and_beat_random_points():
    for design in ("sobol", "latin_hypercube", "random"):
        points = sk.sample_parameters(64, BOUNDS, design=design)
        assert points.shape == (64, 2)
        assert np.all(points >= BOUNDS[:, 0]) and np.all(points <= BOUNDS[:, 1])
    # A Latin hypercube puts exactly one point in each of the 64 slices of each axis.
    unit = (sk.sample_parameters(64, BOUNDS, design="latin_hypercube") - BOUNDS[:, 0]) / np.ptp(BOUNDS, axis=1)
    for axis in range(2):
        assert sorted(np.floor(unit[:, axis] * 64).astype(int)) == list(range(64))
    # Lower discrepancy: more uniform than random points.
    def discrepancy(design):
        points = sk.sample_parameters(64, BOUNDS, design=design, seed=3)
        return qmc.discrepancy((points - BOUNDS[:, 0]) / np.ptp(BOUNDS, axis=1))

    assert discrepancy("sobol") < discrepancy("random")
    assert discrepancy("latin_hypercube") < discrepancy("random")


@pytest.mark.slow
def test_a_surrogate_learns_a_smooth_function_to_one_percent():
    train = sk.sample_parameters(128, BOUNDS)
    test = sk.sample_parameters(128, BOUNDS, design="random", seed=1)

    def target(p):
        return np.sin(300 * p[:, 0]) + 0.5 * p[:, 1] ** 2

    model, result = sk.fit_surrogate(train, target(train), bounds=BOUNDS, steps=1500, key=jax.random.key(0))
    assert result.best_loss < 1e-3
    assert float(sk.relative_error(model(jnp.asarray(test))[:, 0], target(test))) < 0.01


def test_relative_error_and_its_checks():
    assert float(sk.relative_error(jnp.array([1.1, 2.0]), jnp.array([1.0, 2.0]))) == pytest.approx(0.1 / np.sqrt(5))
    with pytest.raises(ValueError, match="shapes differ"):
        sk.relative_error(jnp.ones(3), jnp.ones(2))
    with pytest.raises(ValueError, match="low < high"):
        sk.sample_parameters(8, [[1.0, 0.0]])
    with pytest.raises(ValueError, match="unknown design"):
        sk.sample_parameters(8, BOUNDS, design="grid")


def test_laplacian_has_no_flux_and_pod_recovers_a_low_rank_set():
    laplacian = sk.neumann_laplacian(32)
    np.testing.assert_allclose(laplacian @ jnp.ones(32), 0.0, atol=1e-9)  # constants are steady
    np.testing.assert_allclose(jnp.ones(32) @ laplacian, 0.0, atol=1e-9)  # mass is conserved
    x = jnp.linspace(0, 1, 32)
    snapshots = jnp.stack([a * jnp.sin(np.pi * x) + b * x for a, b in np.random.default_rng(0).random((10, 2))])
    modes, singular_values = sk.pod_basis(snapshots, 2)
    assert float(singular_values[2] / singular_values[0]) < 1e-12
    np.testing.assert_allclose(snapshots @ modes @ modes.T, snapshots, atol=1e-12)
    with pytest.raises(ValueError, match="rank"):
        sk.pod_basis(snapshots, 0)


@pytest.mark.slow
def test_galerkin_model_with_a_complete_basis_is_the_full_model():
    n = 16
    laplacian = sk.neumann_laplacian(n)
    modes = jnp.linalg.qr(jax.random.normal(jax.random.key(0), (n, n)))[0]
    full, reduced = sk.reaction_diffusion_field(laplacian), sk.galerkin_field(laplacian, modes)
    u = jax.random.uniform(jax.random.key(1), (n,))
    params = jnp.array([0.01, 2.0])
    np.testing.assert_allclose(modes @ reduced(0.0, modes.T @ u, params), full(0.0, u, params), atol=1e-9)
