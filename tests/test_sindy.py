import jax.numpy as jnp
import numpy as np
import pytest

import scimlkit as sk

LORENZ_TRUE = {  # (equation, term): coefficient
    (0, "x"): -10.0,
    (0, "y"): 10.0,
    (1, "x"): 28.0,
    (1, "y"): -1.0,
    (1, "x z"): -1.0,
    (2, "z"): -8.0 / 3.0,
    (2, "x y"): 1.0,
}


@pytest.fixture(scope="module")
def lorenz_data():
    dt = 0.002
    ts = jnp.arange(0.0, 10.0, dt)
    xs = np.asarray(sk.solve(sk.lorenz(), ts, rtol=1e-10, atol=1e-10))
    return xs, dt


def test_library_names_and_values_follow_the_same_order():
    library = sk.FeatureLibrary(2, degree=2, frequencies=(1, 2))
    names = library.names(("a", "b"))
    assert names[:6] == ["1", "a", "b", "a^2", "a b", "b^2"]
    assert names[6:] == ["sin(a)", "sin(b)", "cos(a)", "cos(b)", "sin(2a)", "sin(2b)", "cos(2a)", "cos(2b)"]
    a, b = 0.3, -1.7
    expected = [1, a, b, a * a, a * b, b * b, np.sin(a), np.sin(b), np.cos(a), np.cos(b),
                np.sin(2 * a), np.sin(2 * b), np.cos(2 * a), np.cos(2 * b)]
    np.testing.assert_allclose(library(jnp.array([a, b])), expected, rtol=1e-14)
    assert library.size == len(names) == 14


def test_library_size_is_the_number_of_monomials():
    # Monomials of degree <= 5 in 3 variables: C(3 + 5, 5) = 56, the SINDy paper's Lorenz library.
    assert sk.FeatureLibrary(3, degree=5).size == 56
    assert sk.FeatureLibrary(3, degree=2, include_bias=False).size == 9


def test_stlsq_matches_a_plain_implementation_on_random_sparse_data():
    rng = np.random.default_rng(0)
    theta = rng.standard_normal((200, 8))
    xi_true = np.zeros((8, 2))
    xi_true[[1, 4], 0] = [2.0, -0.5]
    xi_true[[0, 6], 1] = [1.5, 0.7]
    targets = theta @ xi_true + 0.01 * rng.standard_normal((200, 2))

    # STLSQ as the lecture writes it out: refit on the surviving terms a fixed number of times.
    xi = np.linalg.lstsq(theta, targets, rcond=None)[0]
    for _ in range(10):
        small = np.abs(xi) < 0.2
        xi[small] = 0.0
        for j in range(2):
            keep = ~small[:, j]
            xi[keep, j] = np.linalg.lstsq(theta[:, keep], targets[:, j], rcond=None)[0]

    ours = sk.stlsq(theta, targets, threshold=0.2)
    np.testing.assert_allclose(ours, xi, atol=1e-12)
    np.testing.assert_array_equal(ours != 0, xi_true != 0)
    np.testing.assert_allclose(ours, xi_true, atol=0.01)


@pytest.mark.slow
def test_sindy_recovers_exactly_the_seven_lorenz_terms_within_one_percent(lorenz_data):
    xs, dt = lorenz_data
    library = sk.FeatureLibrary(3, degree=2)
    model = sk.fit_sindy(xs, sk.finite_difference_derivative(xs, dt), library, threshold=0.1)
    names = library.names(("x", "y", "z"))
    coefficients = np.asarray(model.coefficients)
    found = {(j, names[i]): coefficients[i, j] for i, j in zip(*np.nonzero(coefficients))}
    assert set(found) == set(LORENZ_TRUE)
    for key, coefficient in found.items():
        assert coefficient == pytest.approx(LORENZ_TRUE[key], rel=0.01), key
    assert model.n_terms == 7


def test_sindy_order_five_library_still_finds_seven_terms(lorenz_data):
    xs, dt = lorenz_data
    model = sk.fit_sindy(xs, sk.finite_difference_derivative(xs, dt), sk.FeatureLibrary(3, degree=5), threshold=0.1)
    assert model.n_terms == 7


def test_stlsq_fits_the_ill_conditioned_degree_five_library_as_orthogonal_least_squares(lorenz_data):
    xs, dt = lorenz_data
    theta = np.asarray(sk.FeatureLibrary(3, degree=5).evaluate(xs))
    derivatives = sk.finite_difference_derivative(xs, dt)
    norms = np.linalg.norm(theta, axis=0)
    reference = np.linalg.lstsq(theta / norms, derivatives, rcond=None)[0] / norms[:, None]
    # With unit-norm columns this library's condition number is about 6e5; solving the
    # normal equations squares it and moves the unthresholded coefficients by 5.6e-6.
    ours = sk.stlsq(theta, derivatives, threshold=0.0)
    assert np.abs(ours - reference).max() < 1e-9


def test_stlsq_ridge_is_ridge_regression_on_the_unit_norm_library():
    rng = np.random.default_rng(1)
    theta = rng.standard_normal((100, 5)) * np.array([1.0, 10.0, 0.1, 3.0, 1.0])
    targets = rng.standard_normal((100, 2))
    norms = np.linalg.norm(theta, axis=0)
    scaled = theta / norms
    expected = np.linalg.solve(scaled.T @ scaled + 0.5 * np.eye(5), scaled.T @ targets) / norms[:, None]
    # A ridge of 0.5 moves these coefficients by O(0.1); ridge instead of sqrt(ridge) is caught.
    np.testing.assert_allclose(sk.stlsq(theta, targets, threshold=0.0, ridge=0.5), expected, atol=1e-12)


def test_equations_are_readable(lorenz_data):
    xs, dt = lorenz_data
    model = sk.fit_sindy(xs, sk.finite_difference_derivative(xs, dt), sk.FeatureLibrary(3, degree=2), threshold=0.1)
    lines = model.equations(precision=1)
    assert lines == ["x' = -10.0 x + 10.0 y", "y' = 28.0 x - 1.0 y - 1.0 x z", "z' = -2.7 z + 1.0 x y"]


@pytest.mark.slow
def test_found_model_simulates_like_the_truth_for_a_while(lorenz_data):
    xs, dt = lorenz_data
    model = sk.fit_sindy(xs, sk.finite_difference_derivative(xs, dt), sk.FeatureLibrary(3, degree=2), threshold=0.1)
    ts = jnp.arange(0.0, 1.0, dt)
    # Chaos amplifies the 0.1% coefficient errors, but over one time unit they stay small.
    np.testing.assert_allclose(model.simulate(ts, xs[0]), xs[: len(ts)], atol=0.05)


def test_derivative_estimates_on_a_sine():
    dt = 0.01
    t = np.arange(0.0, 6.0, dt)
    xs = np.sin(t)[:, None]
    np.testing.assert_allclose(sk.finite_difference_derivative(xs, dt)[:, 0], np.cos(t), atol=1e-4)
    rng = np.random.default_rng(1)
    noisy = xs + 0.01 * rng.standard_normal(xs.shape)
    smoothed = sk.smoothed_derivative(noisy, dt, window=51, order=3)[25:-25, 0]
    differenced = sk.finite_difference_derivative(noisy, dt)[25:-25, 0]
    exact = np.cos(t)[25:-25]
    # Differencing divides noise of size 0.01 by 2 dt: errors near 0.7; smoothing averages it away.
    assert np.abs(smoothed - exact).max() < 0.1 < np.abs(differenced - exact).max()


@pytest.mark.slow
def test_trigonometric_library_finds_the_pendulum():
    problem = sk.pendulum()
    ts = jnp.linspace(0.0, 20.0, 2001)
    ys = np.asarray(sk.solve(problem, ts))
    library = sk.FeatureLibrary(2, degree=1, frequencies=(1,))
    model = sk.fit_sindy(ys, sk.finite_difference_derivative(ys, 0.01), library, threshold=0.05)
    assert model.equations(precision=2) == ["x' = 1.00 y", "y' = -1.00 sin(x)"]


def test_bad_input_is_reported_clearly():
    with pytest.raises(ValueError, match="one row per sample"):
        sk.stlsq(np.ones((5, 2)), np.ones((4, 1)), threshold=0.1)
    with pytest.raises(ValueError, match="finite"):
        sk.stlsq(np.full((5, 2), np.nan), np.ones((5, 1)), threshold=0.1)
    with pytest.raises(ValueError, match=r"shape \(m, 3\)"):
        sk.FeatureLibrary(3).evaluate(np.ones((4, 2)))
    with pytest.raises(ValueError, match="odd"):
        sk.smoothed_derivative(np.ones((50, 1)), 0.1, window=10)
    with pytest.raises(ValueError, match="2 variable names for 3"):
        sk.FeatureLibrary(3).names(("a", "b"))
