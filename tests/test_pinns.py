import equinox as eqx
import jax
import jax.numpy as jnp
import numpy as np
import optax
import pytest

import scimlkit as sk

T_BASDEVANT = 1.6037 / np.pi


def test_cole_hopf_reference_matches_its_own_refinement_to_1e_6():
    t, x = np.meshgrid(np.linspace(0.0, 1.0, 51), np.linspace(-1.0, 1.0, 201), indexing="ij")
    coarse = sk.burgers_cole_hopf(t, x, n_quadrature=100)
    fine = sk.burgers_cole_hopf(t, x, n_quadrature=200)
    np.testing.assert_allclose(coarse, fine, rtol=0, atol=1e-6)


@pytest.mark.slow
def test_cole_hopf_gives_the_classic_gradient_at_the_front():
    # Basdevant et al. (1986): u_x(0, 1.6037/pi) = -152.00516 for nu = 0.01/pi.
    slope = jax.grad(lambda x: sk.burgers_cole_hopf(T_BASDEVANT, x))(0.0)
    assert float(slope) == pytest.approx(-152.00516, abs=1e-4)


@pytest.mark.slow
def test_cole_hopf_meets_the_initial_and_boundary_conditions():
    x = np.linspace(-1.0, 1.0, 41)
    np.testing.assert_allclose(sk.burgers_cole_hopf(0.0, x), -np.sin(np.pi * x), atol=1e-14)
    t = np.linspace(0.0, 1.0, 21)
    np.testing.assert_allclose(sk.burgers_cole_hopf(t, np.ones_like(t)), 0.0, atol=1e-12)
    np.testing.assert_allclose(sk.burgers_cole_hopf(t, -np.ones_like(t)), 0.0, atol=1e-12)


@pytest.mark.slow
def test_cole_hopf_satisfies_burgers_equation():
    burgers = sk.Burgers()

    def u(point):
        return sk.burgers_cole_hopf(point[0], point[1])

    points = jnp.array([[0.2, -0.5], [0.5, 0.3], [0.9, 0.05], [0.7, -0.8]])
    residuals = jax.vmap(lambda p: burgers.residual(u, p))(points)
    np.testing.assert_allclose(residuals, 0.0, atol=1e-8)


def test_nested_jvp_derivatives_match_a_closed_form():
    def u(point):
        t, x = point
        return jnp.exp(-t) * jnp.sin(3.0 * x) + t * x**2

    t, x = 0.4, -0.7
    value, u_t, u_x, u_xx = sk.pinn_derivatives(u, jnp.array([t, x]))
    np.testing.assert_allclose(value, np.exp(-t) * np.sin(3 * x) + t * x**2, rtol=1e-14)
    np.testing.assert_allclose(u_t, -np.exp(-t) * np.sin(3 * x) + x**2, rtol=1e-14)
    np.testing.assert_allclose(u_x, 3 * np.exp(-t) * np.cos(3 * x) + 2 * t * x, rtol=1e-14)
    np.testing.assert_allclose(u_xx, -9 * np.exp(-t) * np.sin(3 * x) + 2 * t, rtol=1e-14)


@pytest.mark.slow
def test_residual_matches_a_hand_written_autodiff_residual():
    # The residual as a lecture writes it from scratch, with jax.grad, against the toolkit's jvp version.
    network = sk.pinn_network(jax.random.key(0))
    nu = 0.01 / np.pi

    def u(t, x):
        return network(jnp.stack([t, x]))[0]

    def residual(t, x):
        u_t = jax.grad(u, 0)(t, x)
        u_x = jax.grad(u, 1)(t, x)
        u_xx = jax.grad(jax.grad(u, 1), 1)(t, x)
        return u_t + u(t, x) * u_x - nu * u_xx

    points = sk.latin_hypercube(jax.random.key(1), 16, (0.0, -1.0), (1.0, 1.0))
    ours = jax.vmap(lambda p: sk.Burgers().residual(sk.pinn_field(network), p))(points)
    np.testing.assert_allclose(ours, jax.vmap(residual)(points[:, 0], points[:, 1]), rtol=1e-10, atol=1e-12)


@pytest.mark.slow
def test_latin_hypercube_puts_one_point_in_each_slab():
    points = np.asarray(sk.latin_hypercube(jax.random.key(2), 50, (0.0, -1.0), (1.0, 1.0)))
    assert points.shape == (50, 2)
    np.testing.assert_array_equal(np.sort(np.floor(points[:, 0] * 50)), np.arange(50))
    np.testing.assert_array_equal(np.sort(np.floor((points[:, 1] + 1) / 2 * 50)), np.arange(50))


@pytest.mark.slow
def test_hard_constrained_model_meets_the_edges_exactly():
    model = sk.HardConstrainedBurgers(sk.pinn_network(jax.random.key(3)))
    points, values = sk.Burgers().edge_points(jax.random.key(4), 64)
    np.testing.assert_allclose(jax.vmap(sk.pinn_field(model))(points), values, atol=1e-14)


@pytest.mark.slow
def test_adaptive_refinement_adds_the_worst_candidates():
    network = sk.pinn_network(jax.random.key(5), width=8, depth=2)
    burgers = sk.Burgers()
    candidates = sk.latin_hypercube(jax.random.key(6), 200, burgers.lower, burgers.upper)
    start = candidates[:10]
    refined = sk.add_worst_points(network, start, candidates, 5)
    assert refined.shape == (15, 2)
    residuals = np.abs(jax.vmap(lambda p: burgers.residual(sk.pinn_field(network), p))(candidates))
    added = np.abs(jax.vmap(lambda p: burgers.residual(sk.pinn_field(network), p))(refined[10:]))
    np.testing.assert_allclose(np.sort(added), np.sort(residuals)[-5:], rtol=1e-12)


def early_burgers_pinn(seed: int, *, width: int, depth: int, n_collocation: int, n_edges: int):
    """An untrained PINN for Burgers' equation at t <= 0.2, its collocation points and loss."""
    burgers = sk.Burgers(t_final=0.2)
    key_net, key_col, key_edge = jax.random.split(jax.random.key(seed), 3)
    model = sk.pinn_network(key_net, width=width, depth=depth)
    collocation = sk.latin_hypercube(key_col, n_collocation, burgers.lower, burgers.upper)
    edges, values = burgers.edge_points(key_edge, n_edges)

    def loss(model, collocation):
        return sk.burgers_loss(model, collocation, edges, values, problem=burgers)

    return model, collocation, loss


@pytest.mark.slow
def test_small_pinn_learns_the_heat_like_early_burgers_solution():
    # A small, quick PINN at t <= 0.2 (before the front steepens): the loss machinery and
    # the Adam -> L-BFGS schedule must bring the error well below the untrained network's.
    model, collocation, loss = early_burgers_pinn(7, width=16, depth=3, n_collocation=400, n_edges=100)
    adam, lbfgs = sk.train_adam_lbfgs(loss, model, collocation, adam_steps=300, lbfgs_steps=300)
    t, x = np.meshgrid(np.linspace(0.0, 0.2, 11), np.linspace(-1.0, 1.0, 41), indexing="ij")
    grid = jnp.stack([t.ravel(), x.ravel()], axis=1)
    reference = sk.burgers_cole_hopf(grid[:, 0], grid[:, 1])
    before = sk.relative_l2_error(model, grid, reference)
    after = sk.relative_l2_error(lbfgs.params, grid, reference)
    assert lbfgs.best_loss < adam.best_loss
    assert after < 0.1 < 0.5 < before


def test_train_adam_lbfgs_is_the_two_fits_the_pinn_lecture_writes_out():
    # Lecture 12 writes the schedule out as two sk.fit calls, the first with a callback that
    # keeps Adam's last parameters: the same numbers, bit for bit, as the toolkit call.
    model, collocation, loss = early_burgers_pinn(3, width=8, depth=2, n_collocation=100, n_edges=40)
    adam, lbfgs = sk.train_adam_lbfgs(loss, model, collocation, adam_steps=20, lbfgs_steps=5)
    last = {}
    written_adam = sk.fit(loss, model, optax.adam(1e-3), collocation, steps=20,
                          callback=lambda step, params, value: last.update(params=params))
    written_lbfgs = sk.fit(loss, written_adam.params, optax.lbfgs(), collocation, steps=5)
    for toolkit, written in ((adam, written_adam), (lbfgs, written_lbfgs)):
        np.testing.assert_array_equal(toolkit.losses, written.losses)
        for a, b in zip(jax.tree.leaves(eqx.filter(toolkit.params, eqx.is_inexact_array)),
                        jax.tree.leaves(eqx.filter(written.params, eqx.is_inexact_array)), strict=True):
            np.testing.assert_array_equal(a, b)
    assert "params" in last  # the callback saw the steps


def test_bad_input_is_reported_clearly():
    with pytest.raises(ValueError, match="1-D of equal length"):
        sk.latin_hypercube(jax.random.key(0), 5, (0.0,), (1.0, 1.0))
    network = sk.pinn_network(jax.random.key(0), width=4, depth=1)
    with pytest.raises(ValueError, match="n_add"):
        sk.add_worst_points(network, jnp.zeros((2, 2)), jnp.zeros((3, 2)), 4)
    with pytest.raises(ValueError, match="n_add must be between 1"):  # adding nothing is a mistake, not a no-op
        sk.add_worst_points(network, jnp.zeros((2, 2)), jnp.zeros((3, 2)), 0)
    with pytest.raises(ValueError, match="steps"):
        sk.train_adam_lbfgs(lambda m: 0.0, network, adam_steps=0, lbfgs_steps=1)


def test_the_default_problem_is_raissi_s_domain():
    """Raissi et al.'s benchmark: t in [0, 1], x in [-1, 1], nu = 0.01 / pi."""
    problem = sk.Burgers()
    assert problem.lower == (0.0, -1.0)
    assert problem.upper == (1.0, 1.0)
    assert problem.nu == pytest.approx(0.01 / np.pi, rel=1e-15)
