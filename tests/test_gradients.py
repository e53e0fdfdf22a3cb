"""Gradient methods through an ODE solve agree with each other and with a closed form."""

import diffrax
import jax.numpy as jnp
import numpy as np
import pytest

import scimlkit as sk
from scimlkit.gradients import diffrax_adjoint


def decay(t, y, params):
    return -params["k"] * y + params["b"]


@pytest.mark.slow
def test_every_method_matches_the_closed_form_gradient():
    # y' = -k y + b, y(0) = 1: y(t) = b/k + (1 - b/k) e^(-k t), differentiated by hand.
    ts = jnp.linspace(0.0, 2.0, 5)
    k, b = 0.7, 0.3
    params = {"k": jnp.asarray(k), "b": jnp.asarray(b)}

    def exact_y(k, b):
        return b / k + (1 - b / k) * jnp.exp(-k * ts)

    eps = 1e-7
    dy_dk = (exact_y(k + eps, b) - exact_y(k - eps, b)) / (2 * eps)
    dy_db = (exact_y(k, b + eps) - exact_y(k, b - eps)) / (2 * eps)
    y = exact_y(k, b)
    # loss = sum y^2, so dloss/dp = sum 2 y dy/dp
    expected = {"k": float(jnp.sum(2 * y * dy_dk)), "b": float(jnp.sum(2 * y * dy_db))}
    for method in sk.GRADIENT_METHODS:
        value, gradient = sk.loss_gradient(
            lambda ys: jnp.sum(ys**2), decay, ts, jnp.ones(1), params, method=method, rtol=1e-11, atol=1e-11
        )
        np.testing.assert_allclose(value, jnp.sum(y**2), rtol=1e-9, err_msg=method)
        for name in ("k", "b"):
            np.testing.assert_allclose(gradient[name], expected[name], rtol=1e-6, err_msg=f"{method}, {name}")


@pytest.mark.slow
def test_methods_agree_to_1e_5_on_a_lotka_volterra_fit():
    # The tolerance: every method within 1e-5 (relative, largest component) of
    # reverse mode through the solver.
    lv = sk.lotka_volterra()
    ts = jnp.linspace(0.0, 10.0, 21)
    data = sk.solve(lv, ts)

    def loss(ys):
        return jnp.sum((ys - data) ** 2)

    start = jnp.array([1.6, 1.4, 2.0, 0.8])
    gradients = {
        method: sk.loss_gradient(loss, lv.vector_field, ts, lv.y0, start, method=method, rtol=1e-10, atol=1e-10)[1]
        for method in sk.GRADIENT_METHODS
    }
    reference = gradients["checkpointed"]
    for method, gradient in gradients.items():
        assert float(jnp.max(jnp.abs(gradient - reference)) / jnp.max(jnp.abs(reference))) < 1e-5, method


def test_the_switch_maps_to_diffrax_adjoints():
    assert isinstance(diffrax_adjoint("backsolve"), diffrax.BacksolveAdjoint)
    assert isinstance(diffrax_adjoint("checkpointed"), diffrax.RecursiveCheckpointAdjoint)
    assert isinstance(diffrax_adjoint("direct"), diffrax.DirectAdjoint)
    assert isinstance(diffrax_adjoint("forward_mode"), diffrax.ForwardMode)
    with pytest.raises(ValueError, match="no diffrax adjoint"):
        diffrax_adjoint("finite_differences")
    with pytest.raises(ValueError, match="unknown gradient method 'adjoint'"):
        sk.loss_gradient(jnp.sum, decay, jnp.linspace(0, 1, 3), jnp.ones(1), {"k": 1.0, "b": 0.0}, method="adjoint")
