import math

import jax
import jax.numpy as jnp
import numpy as np
import pytest

import scimlkit as sk


def test_the_second_difference_kernel_is_the_finite_difference_operator():
    x, dx = sk.periodic_grid(128)
    u = jnp.sin(2 * jnp.pi * x)
    second = sk.apply_stencil(sk.second_difference_stencil(dx), u)
    # Central differences are second order: error (2 pi)^4 dx^2 / 12 relative to (2 pi)^2.
    np.testing.assert_allclose(second, -((2 * jnp.pi) ** 2) * u, atol=(2 * np.pi) ** 4 * dx**2 / 12 * 1.01)


def test_apply_stencil_does_not_flip_the_kernel():
    # [0, 0, 1] picks the right neighbour: (k * u)_i = u_{i+1}.
    u = jnp.arange(5.0)
    np.testing.assert_array_equal(sk.apply_stencil(jnp.array([0.0, 0.0, 1.0]), u), [1, 2, 3, 4, 0])


@pytest.mark.slow
def test_heat_data_is_the_exact_solution_operator_mode_by_mode():
    n, dt, diffusivity = 32, 1e-3, 0.7
    before, after, _ = sk.heat_step_data(jax.random.key(1), 4, n=n, dt=dt, diffusivity=diffusivity)
    np.testing.assert_allclose(after.mean(axis=1), before.mean(axis=1), atol=1e-12)
    # Each Fourier mode k is damped by exactly exp(-D (2 pi k)^2 dt); the factor
    # exp(-D k^2 dt) (no 2 pi) or any other decay fails at rtol 1e-10.
    ratio = jnp.fft.rfft(after, axis=1)[:, 1:5] / jnp.fft.rfft(before, axis=1)[:, 1:5]
    expected = jnp.exp(-diffusivity * (2 * jnp.pi * jnp.arange(1, 5)) ** 2 * dt)
    np.testing.assert_allclose(ratio, jnp.broadcast_to(expected, ratio.shape), rtol=1e-10)
    with pytest.raises(TypeError):
        sk.heat_step_data(jax.random.key(1))  # the number of samples is required


def test_stencil_loss_is_zero_for_the_exact_rate_and_measures_the_rate_error():
    x, dx = sk.periodic_grid(16)
    before = jnp.sin(2 * jnp.pi * x)[None]
    kernel = sk.second_difference_stencil(dx)
    dt = 1e-3
    after = before + dt * sk.apply_stencil(kernel, before)
    assert float(sk.stencil_loss(kernel, before, after, dt)) == pytest.approx(0.0, abs=1e-16)
    # Doubling the kernel makes the predicted rate wrong by the rate itself.
    rate = sk.apply_stencil(kernel, before)
    assert float(sk.stencil_loss(2 * kernel, before, after, dt)) == pytest.approx(float(jnp.mean(rate**2)), rel=1e-9)


@pytest.mark.parametrize(
    "points, order, expected",
    [
        ([-1, 0, 1], 2, [1.0, -2.0, 1.0]),
        ([-1, 0, 1], 1, [-0.5, 0.0, 0.5]),
        ([0, 1, 2], 1, [-1.5, 2.0, -0.5]),
        ([-2, -1, 0, 1, 2], 2, [-1 / 12, 4 / 3, -5 / 2, 4 / 3, -1 / 12]),
        ([-2, -1, 0, 1, 2], 4, [1.0, -4.0, 6.0, -4.0, 1.0]),
    ],
)
def test_fornberg_weights_are_the_textbook_stencils(points, order, expected):
    np.testing.assert_allclose(sk.fornberg_weights(0.0, points, order), expected, rtol=1e-13, atol=1e-14)


def test_fornberg_weights_on_uneven_points_solve_the_moment_equations():
    # The weights differentiate every polynomial of degree < len(points) exactly:
    # sum_j w_j (x_j - x0)^m = m! [m == order], the Vandermonde system Fornberg avoids.
    points = np.array([-0.7, -0.2, 0.1, 0.45, 1.3])
    x0 = 0.05
    for order in range(4):
        weights = sk.fornberg_weights(x0, points, order)
        moments = np.array([np.sum(weights * (points - x0) ** m) for m in range(len(points))])
        expected = np.zeros(len(points))
        expected[order] = math.factorial(order)
        np.testing.assert_allclose(moments, expected, atol=1e-11)


@pytest.mark.parametrize("points, order, message", [([0, 0, 1], 1, "distinct"), ([0, 1], 2, "order must be")])
def test_fornberg_weights_refuse_bad_input(points, order, message):
    with pytest.raises(ValueError, match=message):
        sk.fornberg_weights(0.0, points, order)
