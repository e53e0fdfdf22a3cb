"""Property tests: Fornberg's weights reproduce every polynomial up to their order, on any points;
the periodic stencil is a circulant matrix; the heat data decay mode by mode."""

from __future__ import annotations

import math

import jax
import jax.numpy as jnp
import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import scimlkit as sk

jax.config.update("jax_enable_x64", True)


@settings(max_examples=60, deadline=None, derandomize=True)
@given(st.floats(-2.0, 0.0), st.lists(st.floats(0.2, 1.0), min_size=1, max_size=5), st.floats(-1.0, 1.0),
       st.randoms(use_true_random=False), st.data())
def test_fornberg_weights_differentiate_every_polynomial_of_degree_below_the_point_count(start, gaps, x0, rng, data):
    # Distinct points at least 0.2 apart (the moments stay well conditioned), in any order.
    points = start + np.concatenate([[0.0], np.cumsum(gaps)])
    rng.shuffle(points)
    order = data.draw(st.integers(0, len(points) - 1))
    weights = sk.fornberg_weights(x0, points, order=order)
    # sum_i w_i (x_i - x0)^k = d^order/dx^order (x - x0)^k at x0 = k! if k == order else 0.
    for k in range(len(points)):
        moment = np.sum(weights * (points - x0) ** k)
        expected = math.factorial(order) if k == order else 0.0
        scale = np.sum(np.abs(weights) * np.abs(points - x0) ** k) + 1.0
        assert abs(moment - expected) < 1e-10 * scale, (k, order)


def test_fornberg_weights_of_wide_stencils_are_the_textbook_ones():
    # Fornberg (1988), table 1: fourth-order first and second derivatives, and a one-sided first derivative.
    np.testing.assert_allclose(sk.fornberg_weights(0.0, [-2, -1, 0, 1, 2], order=1),
                               [1 / 12, -2 / 3, 0, 2 / 3, -1 / 12], atol=1e-14)
    np.testing.assert_allclose(sk.fornberg_weights(0.0, [-2, -1, 0, 1, 2], order=2),
                               [-1 / 12, 4 / 3, -5 / 2, 4 / 3, -1 / 12], atol=1e-14)
    np.testing.assert_allclose(sk.fornberg_weights(0.0, [0, 1, 2], order=1), [-1.5, 2.0, -0.5], atol=1e-14)
    np.testing.assert_allclose(sk.fornberg_weights(0.5, [0, 1], order=0), [0.5, 0.5], atol=1e-15)


@settings(max_examples=20, deadline=None, derandomize=True)
@given(st.lists(st.floats(-3.0, 3.0), min_size=3, max_size=5).filter(lambda k: len(k) % 2 == 1), st.integers(6, 10))
@pytest.mark.slow
def test_apply_stencil_is_the_circulant_matrix_of_the_kernel(kernel, n):
    # Point i gets sum_j kernel[j] u[i + j - half], indices modulo n.
    kernel = np.array(kernel)
    half = len(kernel) // 2
    u = np.cos(np.arange(n) * 1.7) + np.arange(n) / n
    expected = np.array([sum(kernel[j] * u[(i + j - half) % n] for j in range(len(kernel))) for i in range(n)])
    np.testing.assert_allclose(sk.apply_stencil(jnp.asarray(kernel), jnp.asarray(u)), expected, rtol=1e-12, atol=1e-12)


@pytest.mark.slow
def test_heat_data_decays_each_mode_with_its_diffusivity():
    before, after, dx = sk.heat_step_data(jax.random.key(3), 5, n=32, dt=2e-3, diffusivity=0.7, max_mode=3)
    assert dx == pytest.approx(1 / 32)
    spectrum_before = np.fft.rfft(np.asarray(before), axis=1)
    spectrum_after = np.fft.rfft(np.asarray(after), axis=1)
    for k in range(1, 4):
        ratio = spectrum_after[:, k] / spectrum_before[:, k]
        np.testing.assert_allclose(ratio, np.exp(-0.7 * (2 * np.pi * k) ** 2 * 2e-3), rtol=1e-10)
    np.testing.assert_allclose(spectrum_after[:, 0], spectrum_before[:, 0], rtol=1e-12)  # the mean is kept
    np.testing.assert_allclose(spectrum_before[:, 4:], 0.0, atol=1e-10)  # no modes beyond max_mode
    x, spacing = sk.periodic_grid(8, length=2.0)
    np.testing.assert_allclose(x, np.arange(8) * 0.25)
    assert spacing == 0.25


@pytest.mark.slow
def test_stencil_loss_divides_the_rate_error_by_dt():
    before, after, dx = sk.heat_step_data(jax.random.key(0), 3, n=16, dt=1e-4)
    kernel = jnp.array([0.5, -1.0, 0.5])
    rate = (np.asarray(after) - np.asarray(before)) / 1e-4
    predicted = np.asarray(sk.apply_stencil(kernel, before))
    assert float(sk.stencil_loss(kernel, before, after, 1e-4)) == pytest.approx(np.mean((predicted - rate) ** 2),
                                                                                rel=1e-10)


def test_fornberg_weights_refuse_points_that_are_not_a_flat_list():
    # A column of three distinct points has three unique values, so only the shape check catches it.
    with pytest.raises(ValueError, match="1-D array of distinct values"):
        sk.fornberg_weights(0.0, [[-1.0], [0.0], [1.0]], order=1)
