"""Compiled Rosenbrock checks that need no long solve: the first step by hand, a scalar state refused."""

from __future__ import annotations

import jax
import jax.numpy as jnp
import numpy as np
import pytest

import scimlkit as sk
from scimlkit.compiled_rosenbrock import DenseW

jax.config.update("jax_enable_x64", True)


def test_dense_w_needs_a_flat_state_vector():
    with pytest.raises(ValueError, match="flat state vector"):
        sk.solve_rosenbrock_w_compiled(lambda t, y: -y, (0.0, 1.0), 1.0, linear_solve=DenseW())
    with pytest.raises(ValueError, match="flat state vector"):
        DenseW().check(jnp.ones((2, 2)))


def hairer_wanner_first_step(f0, y0, rtol, atol):
    """0.01 d0 / d1 with d0, d1 the RMS sizes of y0 and f(t0, y0) scaled by atol + rtol |y0|
    (Hairer, Norsett and Wanner, section II.4, steps a and b), or 1e-6 if either is below 1e-5."""
    scale = atol + rtol * np.abs(y0)
    d0, d1 = np.sqrt(np.mean((y0 / scale) ** 2)), np.sqrt(np.mean((f0 / scale) ** 2))
    return 1e-6 if min(d0, d1) < 1e-5 else 0.01 * d0 / d1


@pytest.mark.parametrize("solve", [sk.solve_rosenbrock_compiled, sk.solve_rosenbrock_w_compiled])
def test_compiled_loops_start_with_the_hairer_wanner_step(solve):
    # A state below atol, of mixed signs, in a rotating and decaying linear field: each
    # scaled component is far from a whole number (0.30, -0.80, 2.00), so truncating or
    # rounding it would change the first step by a third or more.
    matrix = jnp.array([[-1.0, 2.0, 0.0], [-2.0, -1.0, 0.5], [0.0, -0.5, -3.0]])

    def f(t, y):
        return matrix @ y

    y0, rtol, atol = np.array([3e-7, -8e-7, 2e-6]), 1e-3, 1e-6
    h0 = hairer_wanner_first_step(np.asarray(matrix) @ y0, y0, rtol, atol)
    assert h0 == pytest.approx(3.6042e-3, rel=1e-4)

    def run(first_step):
        return solve(f, (0.0, 2.0), y0, linear_solve=DenseW(), rtol=rtol, atol=atol, first_step=first_step)

    own, given = run(None), run(h0)
    assert (own.n_steps, own.n_rejected) == (given.n_steps, given.n_rejected)
    np.testing.assert_allclose(own.ys, given.ys, rtol=1e-12, atol=0)
    # The first step matters here: two thirds of it (what truncating y0 / scale would give)
    # takes another step and ends elsewhere.
    shorter = run(0.65 * h0)
    assert shorter.n_steps != own.n_steps
    assert np.max(np.abs(shorter.ys[-1] - own.ys[-1])) > 1e-9
    # At rest at zero there is no size to go by (d0 = d1 = 0): the first step is 1e-6, and
    # with no error each step is five times the last, so ten steps reach t = 2
    # (nine reach 1e-6 (5**9 - 1) / 4 = 0.49).
    rest = solve(f, (0.0, 2.0), np.zeros(3), linear_solve=DenseW(), rtol=rtol, atol=atol)
    assert (rest.n_steps, rest.n_rejected) == (10, 0)
    np.testing.assert_array_equal(rest.ys, 0.0)


def sine_forced(t, y):
    return -y + jnp.sin(t)


def test_loops_agree_at_a_loose_tolerance_given_the_same_method_and_only_then():
    # y' = -y + sin t from (0.7, 0.2): y(t) = (sin t - cos t) / 2 + (y0 + 1/2) e^-t. At
    # rtol = atol = 0.05 the steps are long and one is rejected, so any difference in the
    # rules (growth, rejection, the df/dt term, the evaluation count) would show.
    y0, save_at = np.array([0.7, 0.2]), np.array([1.0, 3.0])
    exact = 0.5 * (np.sin(save_at) - np.cos(save_at))[:, None] + (y0 + 0.5) * np.exp(-save_at)[:, None]
    options = dict(rtol=0.05, atol=0.05, save_at=save_at)
    host = sk.solve_rosenbrock(sine_forced, (0.0, 3.0), y0, linear_solve=sk.DenseLU(sine_forced), **options)
    compiled = sk.solve_rosenbrock_compiled(sine_forced, (0.0, 3.0), y0, linear_solve=DenseW(), method="shampine",
                                            **options)
    assert host.n_rejected >= 1 and host.n_steps <= 8  # a handful of long steps, one of them redone
    assert (compiled.n_steps, compiled.n_rejected, compiled.n_evaluations) == \
        (host.n_steps, host.n_rejected, host.n_evaluations)
    np.testing.assert_allclose(compiled.ys, host.ys, rtol=1e-12, atol=1e-14)
    # Both are Shampine's method at this tolerance: within it of the exact solution, not much closer.
    assert 0.005 < np.max(np.abs(host.ys[1:] - exact)) < 0.05
    # Left out, the methods differ: the compiled loop defaults to RODAS (closer here), the
    # Python loop to Shampine's, so their answers differ by the tolerance's order, not by rounding.
    rodas = sk.solve_rosenbrock_compiled(sine_forced, (0.0, 3.0), y0, linear_solve=DenseW(), **options)
    assert np.max(np.abs(rodas.ys[1:] - exact)) < 0.005
    assert 0.01 < np.max(np.abs(rodas.ys - host.ys)) < 0.05
