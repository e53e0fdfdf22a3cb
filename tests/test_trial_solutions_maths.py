"""The trial solution and its residual loss by hand, from an untidy start time."""

from __future__ import annotations

import jax
import jax.numpy as jnp
import numpy as np
import pytest

import scimlkit as sk

jax.config.update("jax_enable_x64", True)


def test_trial_solution_is_u0_plus_elapsed_time_times_the_network():
    model = sk.TrialSolution(u0=[1.5, -0.5], width=6, depth=1, key=jax.random.key(3), t0=0.4)
    assert model.network.in_size == 1 and model.network.out_size == 2
    for t in (0.4, 1.3, -0.2):
        expected = np.array([1.5, -0.5]) + (t - 0.4) * np.asarray(model.network(jnp.array([t])))
        np.testing.assert_allclose(model(t), expected, rtol=1e-14, atol=1e-15)
    np.testing.assert_array_equal(model(0.4), [1.5, -0.5])


def test_residual_loss_is_the_mean_squared_residual_by_hand():
    model = sk.TrialSolution(u0=0.3, width=5, depth=2, key=jax.random.key(4))
    ts = jnp.array([0.1, 0.5, 0.9])

    def field(t, u, args):
        return args * u + jnp.sin(t)

    residuals = [float(model.derivative(t)[0] - field(t, model(t), 1.7)[0]) for t in ts]
    loss = sk.ode_residual_loss(model, field, ts, 1.7)
    assert float(loss) == pytest.approx(np.mean(np.square(residuals)), rel=1e-12)
    # The derivative is the network's: d/dt [u0 + t N(t)] = N(t) + t N'(t).
    h = 1e-6
    t = 0.5
    by_hand = model.network(jnp.array([t])) + t * (model.network(jnp.array([t + h])) - model.network(jnp.array([t - h]))) / (2 * h)
    np.testing.assert_allclose(model.derivative(t), by_hand, rtol=1e-7)
