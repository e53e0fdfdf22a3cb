"""The teaching dual numbers and tape against JAX's own jvp and vjp (tolerance 1e-12)."""

from __future__ import annotations

import jax

jax.config.update("jax_enable_x64", True)

import jax.numpy as jnp  # noqa: E402
import numpy as np  # noqa: E402
import pytest  # noqa: E402

from scimlkit import autodiff as ad  # noqa: E402

TOLERANCE = 1e-12


# Each function is written once against a namespace of elementary functions, so the same
# definition runs on JAX arrays and on our dual numbers and tape variables.
def rational(ns, x, y):
    return (x * y + 3.0) / (1.0 + x**2) - y / x


def transcendental(ns, x, y):
    return ns.sin(x * y) + ns.exp(x) * ns.log(y) - ns.tanh(x - y) + ns.sqrt(x * x + y * y)


def powers(ns, x, y):
    return x**y + 2.0**x - (1.0 - y) ** 3 + ns.cos(x) ** 2


def two_outputs(ns, x, y, z):
    return [x * ns.sin(y) * z, ns.exp(-x * x) + y / z]


def reused_intermediate(ns, x, y):
    # The same intermediate feeds several later operations: its adjoint must add up.
    a = x * y
    return a * a + ns.sin(a) - a / (1.0 + a)


SCALAR_CASES = [rational, transcendental, powers, reused_intermediate]
POINT = (1.3, 0.7)


def jax_version(function):
    return lambda *args: jnp.stack(function(jnp, *args)) if function is two_outputs else function(jnp, *args)


def ours(function):
    return lambda *args: function(ad, *args)


@pytest.mark.parametrize("function", SCALAR_CASES, ids=lambda f: f.__name__)
def test_dual_numbers_match_jax_jvp(function):
    tangents = (0.4, -1.1)
    value, slope = ad.jvp(ours(function), POINT, tangents)
    jax_value, jax_slope = jax.jvp(jax_version(function), POINT, tangents)
    assert value == pytest.approx(float(jax_value), abs=TOLERANCE, rel=TOLERANCE)
    assert slope == pytest.approx(float(jax_slope), abs=TOLERANCE, rel=TOLERANCE)


@pytest.mark.parametrize("function", SCALAR_CASES, ids=lambda f: f.__name__)
def test_tape_gradient_matches_jax_vjp(function):
    value, gradient = ad.vjp(ours(function), POINT, 2.5)
    jax_value, pullback = jax.vjp(jax_version(function), *POINT)
    np.testing.assert_allclose(value, jax_value, rtol=TOLERANCE, atol=TOLERANCE)
    np.testing.assert_allclose(gradient, pullback(2.5), rtol=TOLERANCE, atol=TOLERANCE)


def test_jacobians_by_columns_and_by_rows_match_jax():
    point = (0.3, -1.2, 2.0)
    columns = jax.jacfwd(jax_version(two_outputs), argnums=(0, 1, 2))(*point)  # d f / d x_j, one per input
    expected = np.stack(columns, axis=1)
    np.testing.assert_allclose(ad.jacobian_forward(ours(two_outputs), point), expected, rtol=TOLERANCE, atol=TOLERANCE)
    np.testing.assert_allclose(ad.jacobian_reverse(ours(two_outputs), point), expected, rtol=TOLERANCE, atol=TOLERANCE)


def test_vector_output_vjp_matches_jax():
    point, cotangent = (0.3, -1.2, 2.0), (0.5, -2.0)
    values, gradient = ad.vjp(ours(two_outputs), point, cotangent)
    jax_values, pullback = jax.vjp(jax_version(two_outputs), *point)
    np.testing.assert_allclose(values, jax_values, rtol=TOLERANCE)
    np.testing.assert_allclose(gradient, pullback(jnp.asarray(cotangent)), rtol=TOLERANCE, atol=TOLERANCE)


def test_derivative_of_one_variable_and_plain_floats_pass_through():
    assert ad.derivative(lambda x: x * ad.exp(x), 0.0) == pytest.approx(1.0, abs=TOLERANCE)
    assert ad.sin(0.5) == pytest.approx(np.sin(0.5))
    assert ad.gradient(lambda x, y: 3.0, (1.0, 2.0)) == [0.0, 0.0]


def test_bad_input_is_named():
    with pytest.raises(ValueError, match="2 primals but 1 tangents"):
        ad.jvp(lambda x, y: x * y, (1.0, 2.0), (1.0,))
    with pytest.raises(ValueError, match="2 outputs but 1 cotangents"):
        ad.vjp(ours(two_outputs), (1.0, 2.0, 3.0), (1.0,))
    with pytest.raises(TypeError, match="expected a float, Dual or Variable"):
        ad.sin("x")
    with pytest.raises(ValueError, match="two different tapes"):
        ad.Tape().record(1.0) + ad.Tape().record(2.0)
