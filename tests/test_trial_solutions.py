import equinox as eqx
import jax
import jax.numpy as jnp
import numpy as np
import pytest

import scimlkit as sk


def forcing(t, u, args):
    return jnp.cos(2 * jnp.pi * t) * jnp.ones_like(u)


def test_trial_solution_satisfies_the_initial_condition_for_any_weights():
    for seed in range(3):
        model = sk.TrialSolution(u0=[1.0, -2.0], width=8, depth=1, key=jax.random.key(seed))
        np.testing.assert_array_equal(model(0.0), [1.0, -2.0])


def test_derivative_is_the_exact_derivative_of_the_network():
    model = sk.TrialSolution(u0=0.5, width=8, depth=2, key=jax.random.key(0))
    h = 1e-5
    central = (model(0.3 + h) - model(0.3 - h)) / (2 * h)
    np.testing.assert_allclose(model.derivative(0.3), central, rtol=1e-7)


@pytest.mark.slow
def test_residual_loss_vanishes_for_an_exact_trial_function():
    # With the network's last layer zeroed and its bias set to c, u(t) = u0 + c t solves
    # u' = c exactly: the residual loss is zero, and it is c^2 for u' = 0.
    model = sk.TrialSolution(u0=2.0, width=4, depth=1, key=jax.random.key(0))
    last = model.network.layers[-1]
    model = eqx.tree_at(lambda m: (m.network.layers[-1].weight, m.network.layers[-1].bias), model,
                        (jnp.zeros_like(last.weight), jnp.full_like(last.bias, 3.0)))
    ts = jnp.linspace(0.0, 1.0, 7)
    assert float(sk.ode_residual_loss(model, lambda t, u, args: 3.0 * jnp.ones_like(u), ts)) == pytest.approx(0.0, abs=1e-24)
    assert float(sk.ode_residual_loss(model, lambda t, u, args: jnp.zeros_like(u), ts)) == pytest.approx(9.0)
