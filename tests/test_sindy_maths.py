"""STLSQ on badly scaled libraries, derivative estimates exact on polynomials, readable equations.

The threshold applies to the coefficients of the library as given, not to those of its
unit-norm rescaling: with columns whose norms differ by 1e5, the two choices keep
different terms, so these tests can tell them apart.
"""

from __future__ import annotations

import jax.numpy as jnp
import numpy as np
import pytest

import scimlkit as sk


def plain_stlsq(theta, targets, threshold, iterations=20):
    # The textbook loop on the unscaled library: an independent reference.
    xi = np.linalg.lstsq(theta, targets, rcond=None)[0]
    for _ in range(iterations):
        small = np.abs(xi) < threshold
        xi[small] = 0.0
        for j in range(targets.shape[1]):
            keep = ~small[:, j]
            if keep.any():
                xi[keep, j] = np.linalg.lstsq(theta[:, keep], targets[:, j], rcond=None)[0]
    return xi


def test_threshold_applies_to_the_coefficients_of_a_badly_scaled_library():
    rng = np.random.default_rng(4)
    # Orthogonal columns with norms from 1e-2 to 1e3: dropping one term leaves the others'
    # coefficients unchanged, so the expected support is known exactly.
    scales = np.array([1e3, 1.0, 1e-2, 1.0, 1e2])
    theta = np.linalg.qr(rng.standard_normal((300, 5)))[0] * scales
    xi_true = np.zeros((5, 2))
    xi_true[0, 0] = 0.04  # small coefficient on a huge column: below the threshold, dropped
    xi_true[2, 0] = 0.9  # large coefficient on a tiny column: kept
    xi_true[1, 1] = -1.3
    xi_true[4, 1] = 0.02  # dropped although its column contributes as much as column 1
    targets = theta @ xi_true + 1e-4 * rng.standard_normal((300, 2))
    ours = sk.stlsq(theta, targets, threshold=0.1)
    reference = plain_stlsq(theta, targets, 0.1)
    np.testing.assert_array_equal(ours != 0, reference != 0)
    expected_support = np.zeros((5, 2), dtype=bool)
    expected_support[2, 0] = expected_support[1, 1] = True
    np.testing.assert_array_equal(ours != 0, expected_support)
    np.testing.assert_allclose(ours, reference, rtol=1e-9, atol=1e-12)


def test_stlsq_with_a_zero_column_a_one_dimensional_target_and_no_survivors():
    x = np.linspace(-2.0, 3.0, 40)
    theta = np.stack([np.ones_like(x), x, np.zeros_like(x), x**2], axis=1)
    xi = sk.stlsq(theta, 0.5 - 2.0 * x**2, threshold=0.1)
    assert xi.shape == (4, 1)
    np.testing.assert_allclose(xi[:, 0], [0.5, 0.0, 0.0, -2.0], atol=1e-12)
    # A threshold above every coefficient leaves the zero model, not the last fit.
    np.testing.assert_array_equal(sk.stlsq(theta, 0.5 - 2.0 * x**2, threshold=5.0), 0.0)
    with pytest.raises(ValueError, match="non-negative"):
        sk.stlsq(theta, x, threshold=-1.0)


def test_equations_sharing_terms_and_equations_with_different_terms_are_both_exact():
    rng = np.random.default_rng(8)
    theta = rng.standard_normal((120, 6)) * np.array([5.0, 0.1, 1.0, 20.0, 1.0, 0.5])
    xi_true = np.array([
        [0.0, 0.0, 1.5, 0.0],
        [2.0, 3.0, 0.0, 0.0],
        [-1.0, 4.0, 0.0, 0.7],
        [0.0, 0.0, -0.3, 0.0],
        [0.0, 0.0, 0.0, -2.5],
        [0.0, 0.0, 0.0, 0.0],
    ])
    ours = sk.stlsq(theta, theta @ xi_true, threshold=0.2)
    np.testing.assert_allclose(ours, xi_true, atol=1e-10)


def test_a_single_pass_stops_short_of_the_fixed_point():
    # max_iterations=0: one fit and one thresholding, no refit on the survivors.
    rng = np.random.default_rng(2)
    theta = rng.standard_normal((80, 4))
    targets = theta @ np.array([1.0, 0.15, 0.0, 0.0]) + 0.05 * rng.standard_normal(80)
    once = sk.stlsq(theta, targets, threshold=0.12, max_iterations=0)
    full_fit = np.linalg.lstsq(theta, targets, rcond=None)[0]
    expected = np.where(np.abs(full_fit) < 0.12, 0.0, full_fit)
    np.testing.assert_allclose(once[:, 0], expected, atol=1e-12)
    np.testing.assert_allclose(sk.stlsq(theta, targets, threshold=0.12)[:, 0],
                               plain_stlsq(theta, targets[:, None], 0.12)[:, 0], atol=1e-12)


def test_derivative_estimates_are_exact_on_polynomials_up_to_the_ends():
    dt = 0.05
    t = np.arange(0.0, 3.0, dt)
    quadratic = np.stack([1.0 + 2.0 * t - 0.7 * t**2, -3.0 * t**2], axis=1)
    exact = np.stack([2.0 - 1.4 * t, -6.0 * t], axis=1)
    # Second-order central differences inside, second-order one-sided at both ends.
    np.testing.assert_allclose(sk.finite_difference_derivative(quadratic, dt), exact, atol=1e-10)
    cubic = (0.3 * t**3 - t)[:, None]
    np.testing.assert_allclose(sk.smoothed_derivative(cubic, dt, window=11, order=3)[:, 0], 0.9 * t**2 - 1.0, atol=1e-9)
    np.testing.assert_allclose(sk.smoothed_states(cubic, window=11, order=3), cubic, atol=1e-10)
    with pytest.raises(ValueError, match="at least 3 samples"):
        sk.finite_difference_derivative(np.ones((2, 1)), dt)
    with pytest.raises(ValueError, match="at least window=11"):
        sk.smoothed_states(np.ones((9, 1)), window=11)
    with pytest.raises(ValueError, match="larger than order"):
        sk.smoothed_states(np.ones((9, 1)), window=3, order=3)


def test_library_values_and_names_without_bias_and_with_higher_powers():
    library = sk.FeatureLibrary(3, degree=3, include_bias=False)
    names = library.names()
    assert names[:3] == ["x", "y", "z"]
    assert "x^2 y" in names and "z^3" in names and "1" not in names
    assert library.size == 3 + 6 + 10
    x = jnp.array([1.3, -0.4, 2.2])
    values = dict(zip(names, np.asarray(library(x))))
    assert values["x^2 y"] == pytest.approx(1.3**2 * -0.4, rel=1e-14)
    assert values["y z^2"] == pytest.approx(-0.4 * 2.2**2, rel=1e-14)
    assert values["x y z"] == pytest.approx(1.3 * -0.4 * 2.2, rel=1e-14)
    xs = np.array([[1.3, -0.4, 2.2], [0.1, 0.2, -0.3]])
    np.testing.assert_allclose(library.evaluate(xs)[1], library(jnp.asarray(xs[1])), rtol=1e-15)
    trig = sk.FeatureLibrary(1, degree=0, frequencies=(3,), include_bias=False)
    assert trig.names(["s"]) == ["sin(3s)", "cos(3s)"]
    np.testing.assert_allclose(trig(jnp.array([0.2])), [np.sin(0.6), np.cos(0.6)], rtol=1e-14)
    with pytest.raises(ValueError, match="empty"):
        sk.FeatureLibrary(2, degree=0, include_bias=False)
    with pytest.raises(ValueError, match="positive integers"):
        sk.FeatureLibrary(2, frequencies=(0,))
    with pytest.raises(ValueError, match="non-negative"):
        sk.FeatureLibrary(2, degree=-1)
    with pytest.raises(ValueError, match="at least one variable"):
        sk.FeatureLibrary(0)
    assert sk.FeatureLibrary(7, degree=1).names()[1:3] == ["x0", "x1"]


@pytest.mark.slow
def test_model_equations_signs_constants_and_simulation():
    library = sk.FeatureLibrary(2, degree=1)  # 1, x, y
    coefficients = jnp.array([[-0.5, 2.0], [0.0, -1.25], [-0.75, 0.0]])
    model = sk.SINDyModel(library=library, coefficients=coefficients, variables=("p", "q"))
    assert model.equations(precision=2) == ["p' = -0.50 - 0.75 q", "q' = 2.00 - 1.25 p"]
    assert model.n_terms == 4
    np.testing.assert_allclose(model(0.0, jnp.array([2.0, -1.0])), [-0.5 + 0.75, 2.0 - 2.5], rtol=1e-14)
    positive = sk.SINDyModel(library=library, coefficients=jnp.array([[1.0, 0.0], [0.25, 0.0], [0.0, 0.0]]),
                             variables=("p", "q"))
    assert positive.equations(precision=2) == ["p' = 1.00 + 0.25 p", "q' = 0"]
    empty = sk.SINDyModel(library=library, coefficients=jnp.zeros((3, 2)), variables=("p", "q"))
    assert empty.equations() == ["p' = 0", "q' = 0"]
    # x' = -0.4 x: the simulation decays as exp(-0.4 t).
    decay = sk.SINDyModel(library=sk.FeatureLibrary(1, degree=1), coefficients=jnp.array([[0.0], [-0.4]]),
                          variables=("x",))
    ts = jnp.linspace(0.0, 3.0, 7)
    np.testing.assert_allclose(decay.simulate(ts, jnp.array([2.0]))[:, 0], 2.0 * np.exp(-0.4 * ts), rtol=1e-7)


def test_fit_sindy_checks_the_number_of_equations():
    library = sk.FeatureLibrary(2, degree=1)
    xs = np.random.default_rng(0).standard_normal((30, 2))
    derivatives = xs @ np.array([[0.0, 1.0], [-2.0, 0.5]])
    model = sk.fit_sindy(xs, derivatives, library, threshold=0.1, variables=("u", "v"))
    np.testing.assert_allclose(model.coefficients, [[0.0, 0.0], [0.0, 1.0], [-2.0, 0.5]], atol=1e-12)
    assert model.variables == ("u", "v")
    with pytest.raises(ValueError, match="target columns"):
        sk.fit_sindy(xs, derivatives[:, :1], library, threshold=0.1)
    with pytest.raises(ValueError, match="ridge must be non-negative"):
        sk.fit_sindy(xs, derivatives, library, threshold=0.1, ridge=-1e-3)
