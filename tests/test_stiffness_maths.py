"""Stability functions and stiffness ratios with complex spectra and untidy matrices."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import scimlkit as sk
from scimlkit import stiffness

# Points off the real axis: a stability function that takes |z| or Re z for z shows here.
Z = np.array([-0.3 + 0.8j, 0.2 - 1.1j, -2.5 + 0.4j, 1.5j, -0.05 - 0.02j])


def test_stability_functions_are_their_pade_and_taylor_forms_at_complex_points():
    np.testing.assert_allclose(stiffness.explicit_euler_stability(Z), 1 + Z, rtol=1e-15)
    taylor = sum(Z**k / np.prod(np.arange(1, k + 1)) for k in range(5))
    np.testing.assert_allclose(stiffness.rk4_stability(Z), taylor, rtol=1e-14)
    np.testing.assert_allclose(stiffness.implicit_euler_stability(Z), 1 / (1 - Z), rtol=1e-15)
    np.testing.assert_allclose(stiffness.trapezoid_stability(Z), (2 + Z) / (2 - Z), rtol=1e-14)
    # Each agrees with exp(z) to its order: the error shrinks like z**(p + 1).
    for name, order in [("explicit Euler", 1), ("RK4", 4), ("implicit Euler", 1), ("trapezoid", 2)]:
        r = sk.STABILITY_FUNCTIONS[name]
        errors = [abs(r(h * (0.6 + 0.8j)) - np.exp(h * (0.6 + 0.8j))) for h in (1e-2, 5e-3)]
        assert np.log2(errors[0] / errors[1]) == pytest.approx(order + 1, abs=0.05), name


def test_trapezoid_is_stable_exactly_on_the_left_half_plane():
    left = np.array([-1e-3 + 5j, -10 - 10j, -0.5])
    right = -left.conj()
    assert np.all(np.abs(stiffness.trapezoid_stability(left)) < 1)
    assert np.all(np.abs(stiffness.trapezoid_stability(right)) > 1)
    np.testing.assert_allclose(np.abs(stiffness.trapezoid_stability(np.array([3j, -7j]))), 1.0, rtol=1e-14)


def test_real_stability_limit_of_a_custom_function_and_the_search_range():
    # R(z) = 1 + z + z**2/2 (second-order Taylor) is stable on the real axis down to -2;
    # |R| = 1 again exactly at s = 2, so the first unstable grid point is just above 2.
    assert sk.real_stability_limit(lambda z: 1 + z + z**2 / 2) == pytest.approx(2.0, abs=1e-3)
    # R(z) = 1 + z / 10 is stable up to s = 20: beyond a search of 15, the limit is inf.
    assert sk.real_stability_limit(lambda z: 1 + z / 10, search=15.0) == np.inf
    assert sk.real_stability_limit(lambda z: 1 + z / 10, search=50.0) == pytest.approx(20.0, abs=1e-3)


def test_stiffness_ratio_uses_real_parts_of_a_complex_spectrum():
    # Eigenvalues -1 +- 30i and -200: the ratio of decay rates is 200 (the moduli would give
    # 200/30.0, the imaginary parts nothing sensible).
    rotation = np.array([[-1.0, 30.0], [-30.0, -1.0]])
    jacobian = np.zeros((4, 4))
    jacobian[:2, :2] = rotation
    jacobian[2, 2] = -200.0
    jacobian[3, 3] = 0.0  # a conserved quantity: left out
    rng = np.random.default_rng(3)
    basis = rng.normal(size=(4, 4))  # an untidy similarity transform keeps the spectrum
    ratio, eigenvalues = sk.stiffness_ratio(basis @ jacobian @ np.linalg.inv(basis))
    assert ratio == pytest.approx(200.0, rel=1e-9)
    np.testing.assert_allclose(np.sort_complex(eigenvalues), np.sort_complex([-200, -1 - 30j, -1 + 30j, 0]), atol=1e-9)


def test_stiffness_ratio_of_a_growing_mode_and_of_no_decay():
    # A growing mode (Re > 0) is not a decay rate: only -4 and -0.5 count.
    ratio, _ = sk.stiffness_ratio(np.diag([3.0, -4.0, -0.5]))
    assert ratio == pytest.approx(8.0, rel=1e-14)
    # Tiny decay relative to the spectrum's scale counts as zero (a conservation law).
    ratio, _ = sk.stiffness_ratio(np.diag([-1e-15, -2.0, -6.0]))
    assert ratio == pytest.approx(3.0, rel=1e-14)
    with pytest.raises(ValueError, match="no eigenvalue has a negative real part"):
        sk.stiffness_ratio(np.array([[0.0, 1.0], [-1.0, 0.0]]))


@settings(max_examples=25, deadline=None, derandomize=True)
@given(st.lists(st.floats(0.01, 1e4), min_size=2, max_size=6), st.floats(0.0, 50.0))
def test_stiffness_ratio_is_the_spread_of_decay_rates(rates, frequency):
    # Any block-diagonal Jacobian with decay rates r_k (one pair rotating at `frequency`):
    # the ratio is max r / min r, whatever the rotation.
    blocks = [np.array([[-rates[0], frequency], [-frequency, -rates[0]]])] + [np.array([[-r]]) for r in rates[1:]]
    size = sum(b.shape[0] for b in blocks)
    jacobian = np.zeros((size, size))
    start = 0
    for block in blocks:
        jacobian[start : start + block.shape[0], start : start + block.shape[0]] = block
        start += block.shape[0]
    ratio, _ = sk.stiffness_ratio(jacobian)
    assert ratio == pytest.approx(max(rates) / min(rates), rel=1e-9)


def test_stability_plot_draws_the_axes_through_the_origin():
    fig, ax = sk.new_figure()
    sk.plot_stability_region(ax, sk.STABILITY_FUNCTIONS["explicit Euler"], color="C1", extent=3.0, n=51)
    straight = [line for line in ax.get_lines() if len(line.get_xdata()) == 2]
    xs = {tuple(np.asarray(line.get_xdata(), dtype=float)) for line in straight}
    ys = {tuple(np.asarray(line.get_ydata(), dtype=float)) for line in straight}
    assert (0.0, 0.0) in xs and (0.0, 0.0) in ys  # the imaginary and the real axis
    assert ax.get_xlim()[0] <= -3.0 and ax.get_xlim()[1] >= 3.0
    assert ax.get_legend_handles_labels()[1] == []  # no label given, no legend entry


def test_real_stability_limit_takes_search_by_keyword_only():
    with pytest.raises(TypeError):
        sk.real_stability_limit(sk.STABILITY_FUNCTIONS["RK4"], 10.0)
