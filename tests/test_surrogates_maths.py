"""The surrogate's scalings, the designs' boxes and the reduced-order pieces, checked by hand."""

from __future__ import annotations

import jax
import jax.numpy as jnp
import numpy as np
import pytest

import scimlkit as sk
from scimlkit import surrogates

jax.config.update("jax_enable_x64", True)

# An untidy box: a wrong input scaling (not to [-1, 1], or with low and high swapped) shows.
BOUNDS = np.array([[2.0, 6.0], [-0.5, 0.1]])


def test_surrogate_scales_inputs_to_the_unit_box_and_outputs_to_the_targets_spread():
    targets = np.array([[1.0, 100.0], [3.0, 140.0], [8.0, 90.0], [4.0, 130.0]])
    model = sk.Surrogate(BOUNDS, targets, width=5, depth=1, key=jax.random.key(0))
    np.testing.assert_allclose(model.out_mean, targets.mean(axis=0), rtol=1e-14)
    np.testing.assert_allclose(model.out_scale, targets.std(axis=0) + 1e-12, rtol=1e-14)
    params = jnp.array([[2.0, -0.5], [6.0, 0.1], [4.0, -0.2], [3.0, 0.0]])
    unit = np.array([[-1.0, -1.0], [1.0, 1.0], [0.0, 0.0], [-0.5, 2 * 0.5 / 0.6 - 1]])
    expected = targets.mean(axis=0) + (targets.std(axis=0) + 1e-12) * np.asarray(jax.vmap(model.mlp)(jnp.asarray(unit)))
    np.testing.assert_allclose(model(params), expected, rtol=1e-12)


@pytest.mark.slow
def test_scaled_loss_is_in_units_of_the_targets_spread():
    targets = np.array([[1.0, 100.0], [3.0, 140.0], [8.0, 90.0]])
    model = sk.Surrogate(BOUNDS[:1], targets, width=3, depth=1, key=jax.random.key(1))
    params = jnp.array([[2.5], [4.0], [5.5]])
    residual = (np.asarray(model(params)) - targets) / (targets.std(axis=0) + 1e-12)
    assert float(surrogates._scaled_squared_error(model, params, jnp.asarray(targets))) == pytest.approx(
        np.mean(residual**2), rel=1e-12)


@pytest.mark.parametrize("design", ["sobol", "latin_hypercube", "random"])
def test_every_design_stays_in_its_untidy_box_and_is_seeded(design):
    points = sk.sample_parameters(64, BOUNDS, design=design, seed=3)
    assert points.shape == (64, 2)
    assert np.all(points >= BOUNDS[:, 0]) and np.all(points <= BOUNDS[:, 1])
    # The points reach across the box (not squeezed into a corner or the unit square).
    assert np.all(points.max(axis=0) - points.min(axis=0) > 0.8 * (BOUNDS[:, 1] - BOUNDS[:, 0]))
    np.testing.assert_array_equal(points, sk.sample_parameters(64, BOUNDS, design=design, seed=3))
    assert not np.array_equal(points, sk.sample_parameters(64, BOUNDS, design=design, seed=4))
    if design == "latin_hypercube":
        slabs = np.floor((points - BOUNDS[:, 0]) / (BOUNDS[:, 1] - BOUNDS[:, 0]) * 64).astype(int)
        for axis in range(2):
            assert sorted(slabs[:, axis].tolist()) == list(range(64))


def test_design_arguments_are_checked():
    with pytest.raises(ValueError, match="low < high"):
        sk.sample_parameters(4, [[1.0, 1.0]])
    with pytest.raises(ValueError, match="at least 1"):
        sk.sample_parameters(0, BOUNDS)
    with pytest.raises(ValueError, match="unknown design"):
        sk.sample_parameters(4, BOUNDS, design="grid")
    with pytest.raises(ValueError, match="shapes differ"):
        sk.relative_error(jnp.ones(3), jnp.ones(2))


def test_neumann_laplacian_entries_and_its_action_on_a_quadratic():
    n = 6
    matrix = np.asarray(sk.neumann_laplacian(n))
    dx = 1.0 / n
    assert matrix[0, 0] == pytest.approx(-1.0 / dx**2) and matrix[0, 1] == pytest.approx(1.0 / dx**2)
    assert matrix[2, 2] == pytest.approx(-2.0 / dx**2) and matrix[2, 1] == pytest.approx(1.0 / dx**2)
    assert matrix[-1, -1] == pytest.approx(-1.0 / dx**2)
    np.testing.assert_allclose(matrix, matrix.T, rtol=0, atol=0)
    centres = (np.arange(n) + 0.5) * dx
    # Inside, the second difference of x**2 is exactly 2.
    np.testing.assert_allclose((matrix @ centres**2)[1:-1], 2.0, rtol=1e-12)


def test_reaction_diffusion_and_galerkin_fields_by_hand():
    laplacian = sk.neumann_laplacian(5)
    u = jnp.array([0.1, 0.4, 0.9, 0.3, 0.2])
    params = jnp.array([0.02, 1.7])
    expected = 0.02 * np.asarray(laplacian) @ np.asarray(u) + 1.7 * np.asarray(u) * (1 - np.asarray(u))
    np.testing.assert_allclose(sk.reaction_diffusion_field(laplacian)(0.0, u, params), expected, rtol=1e-13)
    modes = jnp.asarray(np.linalg.qr(np.random.default_rng(0).normal(size=(5, 2)))[0])
    a = jnp.array([0.3, -0.2])
    full = sk.reaction_diffusion_field(laplacian)(0.0, modes @ a, params)
    np.testing.assert_allclose(sk.galerkin_field(laplacian, modes)(0.0, a, params), modes.T @ full, rtol=1e-12)


def test_pod_basis_orders_modes_by_energy_and_checks_its_rank():
    rng = np.random.default_rng(5)
    directions = np.linalg.qr(rng.normal(size=(8, 3)))[0]
    snapshots = rng.normal(size=(20, 3)) * np.array([10.0, 1.0, 0.01]) @ directions.T
    modes, singular_values = sk.pod_basis(snapshots, 2)
    assert modes.shape == (8, 2) and singular_values.shape == (8,)
    np.testing.assert_allclose(np.asarray(modes).T @ np.asarray(modes), np.eye(2), atol=1e-12)
    # The leading mode is the high-energy direction, up to sign.
    assert abs(float(np.asarray(modes)[:, 0] @ directions[:, 0])) > 0.99
    np.testing.assert_allclose(singular_values, np.linalg.svd(snapshots, compute_uv=False), rtol=1e-12)
    with pytest.raises(ValueError, match="rank must be between 1 and 8"):
        sk.pod_basis(snapshots, 9)
    with pytest.raises(ValueError, match="rank must be between"):
        sk.pod_basis(snapshots, 0)


@pytest.mark.slow
def test_surrogate_defaults_are_two_hidden_layers_of_32_tanh_units():
    model = sk.Surrogate(BOUNDS, np.ones((3, 1)) * np.array([[1.0], [2.0], [4.0]]), key=jax.random.key(2))
    assert model.mlp.depth == 2 and model.mlp.width_size == 32
    assert model.mlp.activation is jnp.tanh
    assert model.mlp.in_size == 2 and model.mlp.out_size == 1
