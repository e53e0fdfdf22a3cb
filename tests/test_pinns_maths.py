"""The PINN pieces against closed forms: the Burgers residual and loss of a known field,
edge points and their values, Latin-hypercube slabs on an untidy box, refinement by hand."""

from __future__ import annotations

import jax
import jax.numpy as jnp
import numpy as np
import pytest

import scimlkit as sk

jax.config.update("jax_enable_x64", True)

NU = 0.23  # not Raissi's 0.01/pi: a residual that drops or misplaces nu shows


def field(point):
    # u(t, x) = exp(-t/2) sin(2 x) + x t**2, returned as a one-output "network".
    t, x = point[0], point[1]
    return jnp.array([jnp.exp(-t / 2) * jnp.sin(2 * x) + x * t**2])


def field_derivatives(t, x):
    u = np.exp(-t / 2) * np.sin(2 * x) + x * t**2
    u_t = -0.5 * np.exp(-t / 2) * np.sin(2 * x) + 2 * x * t
    u_x = 2 * np.exp(-t / 2) * np.cos(2 * x) + t**2
    u_xx = -4 * np.exp(-t / 2) * np.sin(2 * x)
    return u, u_t, u_x, u_xx


POINTS = np.array([[0.3, -0.7], [0.8, 0.25], [0.05, 0.9], [0.6, -0.1]])


def test_burgers_residual_of_a_known_field_by_hand():
    problem = sk.Burgers(nu=NU)
    for t, x in POINTS:
        u, u_t, u_x, u_xx = field_derivatives(t, x)
        computed = problem.residual(sk.pinn_field(field), jnp.array([t, x]))
        assert float(computed) == pytest.approx(u_t + u * u_x - NU * u_xx, rel=1e-12, abs=1e-13)
        derivatives = sk.pinn_derivatives(sk.pinn_field(field), jnp.array([t, x]))
        np.testing.assert_allclose([float(d) for d in derivatives], [u, u_t, u_x, u_xx], rtol=1e-12, atol=1e-13)


@pytest.mark.slow
def test_burgers_loss_is_mean_squared_residual_plus_weighted_edge_misfit():
    problem = sk.Burgers(nu=NU)
    residuals = np.array([(lambda u, u_t, u_x, u_xx: u_t + u * u_x - NU * u_xx)(*field_derivatives(t, x))
                          for t, x in POINTS])
    edges = jnp.array([[0.0, 0.4], [0.5, 1.0], [0.2, -1.0]])
    edge_values = jnp.array([0.1, -0.3, 0.0])
    misfit = np.array([field(p)[0] for p in edges]) - np.asarray(edge_values)
    loss = sk.burgers_loss(field, jnp.asarray(POINTS), edges, edge_values, problem=problem, edge_weight=3.5)
    assert float(loss) == pytest.approx(np.mean(residuals**2) + 3.5 * np.mean(misfit**2), rel=1e-12)
    no_edges = sk.burgers_loss(field, jnp.asarray(POINTS), jnp.zeros((0, 2)), jnp.zeros(0), problem=problem)
    assert float(no_edges) == pytest.approx(np.mean(residuals**2), rel=1e-12)
    # The default problem is Raissi's nu = 0.01/pi.
    default = sk.burgers_loss(field, jnp.asarray(POINTS), jnp.zeros((0, 2)), jnp.zeros(0))
    raissi = sk.burgers_loss(field, jnp.asarray(POINTS), jnp.zeros((0, 2)), jnp.zeros(0),
                             problem=sk.Burgers(nu=0.01 / np.pi))
    assert float(default) == pytest.approx(float(raissi), rel=1e-14)


def test_edge_points_lie_on_the_edges_with_their_values():
    problem = sk.Burgers(t_final=2.5)
    points, values = problem.edge_points(jax.random.key(3), 41)
    points, values = np.asarray(points), np.asarray(values)
    assert points.shape == (41, 2) and values.shape == (41,)
    initial = points[:, 0] == 0.0
    assert initial.sum() == 20  # n // 2 on t = 0
    np.testing.assert_allclose(values[initial], -np.sin(np.pi * points[initial, 1]), rtol=1e-14)
    assert np.all(np.abs(points[initial, 1]) <= 1.0)
    sides = ~initial
    np.testing.assert_array_equal(np.abs(points[sides, 1]), 1.0)
    assert {-1.0, 1.0} <= set(points[sides, 1].tolist())  # both boundaries
    assert np.all((points[sides, 0] >= 0.0) & (points[sides, 0] <= 2.5)) and points[sides, 0].max() > 1.0
    np.testing.assert_array_equal(values[sides], 0.0)
    assert problem.lower == (0.0, -1.0) and problem.upper == (2.5, 1.0)


def test_latin_hypercube_on_an_untidy_box_has_one_point_per_slab():
    lower, upper = np.array([-3.0, 0.5, 10.0]), np.array([1.0, 0.75, 30.0])
    points = np.asarray(sk.latin_hypercube(jax.random.key(1), 16, jnp.asarray(lower), jnp.asarray(upper)))
    assert points.shape == (16, 3)
    slabs = np.floor((points - lower) / (upper - lower) * 16).astype(int)
    for axis in range(3):
        assert sorted(slabs[:, axis].tolist()) == list(range(16))
    # The axes are permuted independently: not all slabs line up along the diagonal.
    assert not np.array_equal(slabs[:, 0], slabs[:, 1])
    with pytest.raises(ValueError, match="at least one point"):
        sk.latin_hypercube(jax.random.key(1), 0, jnp.asarray(lower), jnp.asarray(upper))
    with pytest.raises(ValueError, match="1-D of equal length"):
        sk.latin_hypercube(jax.random.key(1), 3, jnp.zeros(2), jnp.ones(3))
    with pytest.raises(ValueError, match="1-D of equal length"):
        sk.latin_hypercube(jax.random.key(1), 3, jnp.zeros(3), jnp.ones(2))
    # Equal shapes but not 1-D: refused too (so lower.shape[0] is its only axis, the reason
    # the mutant lower.shape[-1] is listed as equivalent).
    with pytest.raises(ValueError, match="1-D of equal length"):
        sk.latin_hypercube(jax.random.key(1), 3, jnp.zeros((2, 3)), jnp.ones((2, 3)))


def test_hard_constrained_model_is_the_formula():
    network = sk.pinn_network(jax.random.key(0), width=4, depth=1)
    model = sk.HardConstrainedBurgers(network=network)
    for t, x in POINTS:
        point = jnp.array([t, x])
        expected = -np.sin(np.pi * x) + t * (1 - x**2) * float(network(point)[0])
        assert float(model(point)[0]) == pytest.approx(expected, rel=1e-12, abs=1e-14)


@pytest.mark.slow
def test_adaptive_refinement_appends_the_largest_residuals_in_any_order():
    problem = sk.Burgers(nu=NU)
    candidates = jnp.asarray(np.random.default_rng(2).uniform([0.0, -1.0], [1.0, 1.0], size=(30, 2)))
    residuals = np.abs([float(problem.residual(sk.pinn_field(field), p)) for p in candidates])
    collocation = jnp.zeros((2, 2))
    refined = sk.add_worst_points(field, collocation, candidates, 4, problem=problem)
    assert refined.shape == (6, 2)
    np.testing.assert_array_equal(refined[:2], 0.0)
    chosen = {tuple(np.asarray(p).round(12)) for p in refined[2:]}
    worst = {tuple(np.asarray(candidates[i]).round(12)) for i in np.argsort(residuals)[-4:]}
    assert chosen == worst
    with pytest.raises(ValueError, match="n_add"):
        sk.add_worst_points(field, collocation, candidates, 31, problem=problem)


def test_relative_l2_error_by_hand():
    reference = np.array([field(p)[0] for p in POINTS]) * 1.1
    predicted = reference / 1.1
    expected = np.linalg.norm(predicted - reference) / np.linalg.norm(reference)
    assert sk.relative_l2_error(field, jnp.asarray(POINTS), reference) == pytest.approx(expected, rel=1e-12)
