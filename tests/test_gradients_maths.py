"""Gradients through a solve against a closed form computed without the toolkit.

The system is linear with a non-symmetric matrix, ``y' = A(p) y``, so ``y(t) = expm(A t) y0``
(SciPy) is the reference, and a transposed Jacobian in the sensitivity equations shows.
The loss weights each saved time differently, so a sum over the wrong axis shows too.
"""

from __future__ import annotations

import jax
import jax.numpy as jnp
import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy.linalg import expm

import scimlkit as sk

jax.config.update("jax_enable_x64", True)

TS = np.array([0.0, 0.4, 1.1, 2.0])
WEIGHTS = jnp.array([0.0, 0.3, 1.0, 2.5])
Y0 = np.array([1.0, -0.5])


def matrix(p):
    return jnp.array([[-p[0], p[1]], [0.5, -p[2]]])


def field(t, y, p):
    return matrix(p) @ y


def loss(ys):
    return jnp.sum(WEIGHTS * jnp.sum(ys**2, axis=1)) + 0.1 * jnp.sum(ys[:, 0])


def exact_loss(p):
    a = np.array([[-p[0], p[1]], [0.5, -p[2]]])
    ys = np.stack([expm(a * t) @ Y0 for t in TS])
    return float(np.sum(np.asarray(WEIGHTS) * np.sum(ys**2, axis=1)) + 0.1 * np.sum(ys[:, 0]))


def exact_gradient(p, h=1e-6):
    p = np.asarray(p, dtype=float)
    return np.array([(exact_loss(p + h * e) - exact_loss(p - h * e)) / (2 * h) for e in np.eye(p.size)])


# Finite differences stay in the fast loop: the cheapest of the three to compile, and the
# one whose arithmetic is the toolkit's own.
@pytest.mark.parametrize("method", [pytest.param("forward_sensitivities", marks=pytest.mark.slow),
                                    "finite_differences", pytest.param("checkpointed", marks=pytest.mark.slow)])
def test_gradient_of_a_non_symmetric_linear_system_matches_the_matrix_exponential(method):
    # A negative and a zero parameter: A = [[-0.8, -1.3], [0.5, 0]] has complex eigenvalues
    # (-0.4 +- 0.7i), and at p = 0 only the finite differences' absolute floor keeps their
    # step from being zero (a relative step alone would divide 0 by 0 there).
    p = np.array([0.8, -1.3, 0.0])
    # Solved to 1e-12: finite differences with a relative step of 1e-6 are then good to ~1e-6.
    value, gradient = sk.loss_gradient(loss, field, TS, Y0, jnp.asarray(p), method=method, rtol=1e-12, atol=1e-12)
    assert float(value) == pytest.approx(exact_loss(p), rel=1e-9)
    np.testing.assert_allclose(gradient, exact_gradient(p), rtol=1e-5, atol=1e-7)


def test_unknown_method_names_are_refused_before_anything_is_solved():
    # The dispatch compares names for equality, and relies on this check: a typo that sorts
    # after 'forward_sensitivities' (or any other unknown name) must not fall through to
    # some method (the mutant method >= 'forward_sensitivities' is listed as equivalent
    # because of it).
    def unsolvable(t, y, p):
        raise AssertionError("no solve should start for an unknown method")

    for name in ("forward_sensitivity", "reverse", "adjoint", "Checkpointed", ""):
        with pytest.raises(ValueError, match=f"unknown gradient method {name!r}"):
            sk.loss_gradient(loss, unsolvable, TS, Y0, jnp.ones(3), method=name)


def test_gradient_keeps_the_structure_of_a_pytree_with_static_parts():
    params = {"p": jnp.array([0.8, 1.3, 0.4]), "label": "linear"}

    def structured(t, y, q):
        assert q["label"] == "linear"
        return field(t, y, q["p"])

    # Without solve options the sensitivity equations are solved to 1e-8.
    value, gradient = sk.loss_gradient(loss, structured, TS, Y0, params, method="forward_sensitivities")
    np.testing.assert_allclose(gradient["p"], exact_gradient(np.array([0.8, 1.3, 0.4])), rtol=1e-5, atol=1e-6)
    assert gradient["label"] is None


@pytest.mark.slow
def test_finite_difference_step_is_relative_with_an_absolute_floor():
    # A loss quadratic in p is differenced exactly by central differences of any step, so
    # only a wrong step (zero, or not shared by the two sides) shows; at p = 0 the floor
    # keeps the step non-zero, and at p = 1e3 the step is relative.
    def quadratic(ys):
        return jnp.sum(ys) ** 2

    def y0_field(t, y, p):
        return jnp.full_like(y, p[0]) + p[1] ** 2

    ts = jnp.array([0.0, 1.0])
    for p in (jnp.array([0.0, 0.0]), jnp.array([1e3, -3.0])):
        value, gradient = sk.loss_gradient(quadratic, y0_field, ts, jnp.zeros(1), p, method="finite_differences",
                                           rtol=1e-12, atol=1e-12)
        # y(1) = p0 + p1**2, y(0) = 0: loss = (p0 + p1**2)**2.
        total = float(p[0] + p[1] ** 2)
        assert float(value) == pytest.approx(total**2, rel=1e-9, abs=1e-12)
        np.testing.assert_allclose(gradient, [2 * total, 4 * total * float(p[1])], rtol=1e-6, atol=1e-6)


@settings(max_examples=2, deadline=None, derandomize=True)
@given(st.lists(st.floats(0.2, 2.0), min_size=3, max_size=3))
@pytest.mark.slow
def test_forward_sensitivities_match_finite_differences_for_any_parameters(p):
    p = jnp.asarray(p)
    options = dict(rtol=1e-12, atol=1e-12)
    _, sensitivities = sk.loss_gradient(loss, field, TS, Y0, p, method="forward_sensitivities", **options)
    _, differences = sk.loss_gradient(loss, field, TS, Y0, p, method="finite_differences", **options)
    np.testing.assert_allclose(sensitivities, differences, rtol=1e-5, atol=1e-7)

