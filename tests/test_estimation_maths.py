"""Sobol indices of functions whose indices are known in closed form, and the estimators by hand."""

from __future__ import annotations

import jax
import jax.numpy as jnp
import numpy as np
import pytest

import scimlkit as sk
from scimlkit.estimation import saltelli_estimates, saltelli_matrices
from scimlkit.shooting import shooting_guess, solve_segments

jax.config.update("jax_enable_x64", True)


def test_sobol_indices_of_an_additive_function_with_one_interaction():
    # f = 2 x1 + x2 x3 with x uniform on [-1, 1]^3 (variance 1/3 each): V1 = 4/3 from x1
    # alone, V23 = 1/9 from the product only. S = (12/13, 0, 0), S_T = (12/13, 1/13, 1/13).
    # Swapping first and total indices, or the A and B samples, breaks both.
    indices = sk.sobol_indices(lambda x: 2 * x[:, 0] + x[:, 1] * x[:, 2], [[-1.0, 1.0]] * 3, n=4096, seed=1)
    np.testing.assert_allclose(indices.first, [12 / 13, 0.0, 0.0], atol=0.02)
    np.testing.assert_allclose(indices.total, [12 / 13, 1 / 13, 1 / 13], atol=0.01)
    assert indices.evaluations == 4096 * 5


def test_sobol_indices_on_an_untidy_box_weigh_inputs_by_their_ranges():
    # f = x1 + x2, x1 uniform on [0, 3] (variance 3/4), x2 on [10, 11] (variance 1/12):
    # S1 = 9/10, S2 = 1/10, and additive: first = total.
    indices = sk.sobol_indices(lambda x: x[:, 0] + x[:, 1], [[0.0, 3.0], [10.0, 11.0]], n=2048)
    np.testing.assert_allclose(indices.first, [0.9, 0.1], atol=0.02)
    np.testing.assert_allclose(indices.total, [0.9, 0.1], atol=0.01)
    with pytest.raises(ValueError, match="one value per input row"):
        sk.sobol_indices(lambda x: x, [[0.0, 1.0], [0.0, 1.0]], n=8)


def test_saltelli_estimators_by_hand():
    rng = np.random.default_rng(3)
    f_a, f_b, f_ab = rng.normal(size=8), rng.normal(size=8) + 1.0, rng.normal(size=(2, 8)) * 2.0
    everything = np.concatenate([f_a, f_b, f_ab.ravel()])
    mean, std = everything.mean(), everything.std()
    a, b, ab = (f_a - mean) / std, (f_b - mean) / std, (f_ab - mean) / std
    variance = np.var(np.concatenate([a, b]))
    first, total = saltelli_estimates(f_a, f_b, f_ab)
    for i in range(2):
        assert first[i] == pytest.approx(np.mean(b * (ab[i] - a)) / variance, rel=1e-12)
        assert total[i] == pytest.approx(np.mean((a - ab[i]) ** 2) / 2 / variance, rel=1e-12)


def test_saltelli_matrices_on_an_untidy_box():
    bounds = np.array([[-2.0, 5.0], [0.1, 0.2], [100.0, 300.0]])
    a, b, ab = saltelli_matrices(64, bounds, seed=2)
    for sample in (a, b):
        assert np.all(sample >= bounds[:, 0]) and np.all(sample <= bounds[:, 1])
        assert np.all(sample.max(axis=0) - sample.min(axis=0) > 0.9 * (bounds[:, 1] - bounds[:, 0]))
    assert not np.allclose(a, b)
    for i in range(3):
        np.testing.assert_array_equal(ab[i][:, i], b[:, i])
        np.testing.assert_array_equal(np.delete(ab[i], i, axis=1), np.delete(a, i, axis=1))
    with pytest.raises(ValueError, match="low < high"):
        saltelli_matrices(4, [[1.0, 0.0]])
    with pytest.raises(TypeError):  # the seed is keyword-only: a third positional number is refused
        saltelli_matrices(4, bounds, 2)  # type: ignore[misc]


def test_ishigami_function_at_points_by_hand():
    x = np.array([[0.3, -1.2, 2.0], [-2.5, 0.7, -0.4]])
    expected = np.sin(x[:, 0]) + 3.0 * np.sin(x[:, 1]) ** 2 + 0.2 * x[:, 2] ** 4 * np.sin(x[:, 0])
    np.testing.assert_allclose(sk.ishigami(x, a=3.0, b=0.2), expected, rtol=1e-14)
    # Its indices with other constants (Sobol and Levitan 1999's formulas): they sum to
    # one with the x1-x3 interaction, and x3 acts only through it.
    indices = sk.ishigami_indices(a=3.0, b=0.2)
    v13 = 0.2**2 * np.pi**8 * (1 / 18 - 1 / 50)
    assert indices.first.sum() + (indices.total[2]) == pytest.approx(1.0, rel=1e-12)
    assert indices.first[2] == 0.0
    variance = 0.5 * (1 + 0.2 * np.pi**4 / 5) ** 2 + 9 / 8 + v13
    assert indices.total[2] == pytest.approx(v13 / variance, rel=1e-12)


def test_shooting_guess_starts_each_segment_at_its_data():
    data = jnp.arange(26.0).reshape(13, 2)
    guess = shooting_guess({"k": 1.0}, data, 4)
    np.testing.assert_array_equal(guess["starts"], data[jnp.array([0, 3, 6, 9])])
    assert guess["params"] == {"k": 1.0}


def test_bounds_of_the_wrong_shape_are_refused():
    with pytest.raises(ValueError, match="bounds must be"):
        saltelli_matrices(4, np.array([[[0.0, 1.0], [2.0, 3.0]]]))  # three axes
    with pytest.raises(ValueError, match="bounds must be"):
        saltelli_matrices(4, np.array([[0.0, 1.0, 2.0]]))


@pytest.mark.slow
def test_multiple_shooting_loss_weighs_the_gaps_ten_times_by_default_for_a_problem_or_its_field():
    problem = sk.logistic_growth(r=0.9, K=4.0, u0=0.5)
    ts = jnp.linspace(0.0, 3.0, 7)
    data = sk.logistic_growth_exact(ts, 0.9, 4.0, 0.5)[:, None] + 0.01 * jnp.arange(7.0)[:, None]
    guess = shooting_guess(problem.params, data, 3)
    guess["starts"] = guess["starts"] + 0.05  # gaps open at both joints
    ts_segments, data_segments = sk.split_into_segments(ts, data, 3)
    pieces = solve_segments(problem.vector_field, problem.params, guess["starts"], ts_segments, rtol=1e-8, atol=1e-8)
    gaps = pieces[:-1, -1] - guess["starts"][1:]
    expected = jnp.mean((pieces - data_segments) ** 2) + 10.0 * jnp.mean(gaps**2)
    loss = sk.multiple_shooting_loss(guess, problem, ts, data)
    assert float(loss) == pytest.approx(float(expected), rel=1e-12)
    by_field = sk.multiple_shooting_loss(guess, problem.vector_field, ts, data)
    assert float(by_field) == float(loss)
    no_penalty = sk.multiple_shooting_loss(guess, problem, ts, data, continuity_weight=0.0)
    assert float(loss) > float(no_penalty) + 1e-4
