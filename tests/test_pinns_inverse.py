"""The inverse problem's pieces: a trained viscosity in the Burgers residual and loss,
against closed forms (the known field of ``test_pinns_maths``), and its gradient."""

from __future__ import annotations

import jax
import jax.numpy as jnp
import numpy as np
import pytest

import scimlkit as sk
from tests.test_pinns_maths import POINTS, field, field_derivatives

jax.config.update("jax_enable_x64", True)

PROBLEM_NU = 0.23  # the problem's own viscosity, which a passed nu must override
TRAINED_NU = 0.041
DATA = jnp.array([[0.1, 0.4], [0.5, -0.3], [0.9, 0.7]])
OBSERVED = jnp.array([0.2, -0.5, 0.6])


def by_hand(nu):
    residuals = np.array([(u_t + u * u_x - nu * u_xx) for u, u_t, u_x, u_xx in
                          (field_derivatives(t, x) for t, x in POINTS)])
    misfit = np.array([field(p)[0] for p in DATA]) - np.asarray(OBSERVED)
    return residuals, misfit


def test_a_passed_viscosity_replaces_the_problems_in_the_residual():
    problem = sk.Burgers(nu=PROBLEM_NU)
    residuals, _ = by_hand(TRAINED_NU)
    computed = [float(problem.residual(sk.pinn_field(field), jnp.asarray(p), nu=jnp.asarray(TRAINED_NU)))
                for p in POINTS]
    np.testing.assert_allclose(computed, residuals, rtol=1e-12, atol=1e-13)
    # Without nu, the problem's own (a residual that ignored the argument would fail above).
    default = float(problem.residual(sk.pinn_field(field), jnp.asarray(POINTS[0])))
    assert default == pytest.approx(by_hand(PROBLEM_NU)[0][0], rel=1e-12)


def test_inverse_loss_is_data_misfit_plus_residual_and_its_viscosity_gradient_by_hand():
    problem = sk.Burgers(nu=PROBLEM_NU)
    residuals, misfit = by_hand(TRAINED_NU)

    def loss(log_nu):
        return sk.burgers_loss(field, jnp.asarray(POINTS), DATA, OBSERVED, problem=problem, nu=jnp.exp(log_nu))

    log_nu = jnp.log(TRAINED_NU)
    assert float(loss(log_nu)) == pytest.approx(np.mean(residuals**2) + np.mean(misfit**2), rel=1e-12)
    # d/d(log nu) of mean(r**2) = mean(2 r * (-nu u_xx)); the misfit does not depend on nu.
    u_xx = np.array([field_derivatives(t, x)[3] for t, x in POINTS])
    expected = np.mean(2 * residuals * (-TRAINED_NU * u_xx))
    assert float(jax.grad(loss)(log_nu)) == pytest.approx(expected, rel=1e-10)
