import diffrax
import jax
import jax.numpy as jnp
import numpy as np
import optax
import pytest
from SALib.analyze import sobol as salib_sobol
from SALib.sample import sobol as salib_sample

import scimlkit as sk
from scimlkit.estimation import saltelli_matrices

ISHIGAMI_BOUNDS = [[-np.pi, np.pi]] * 3


def test_ishigami_analytic_indices_are_the_published_values():
    # Saltelli et al. (2010) list S = (0.3139, 0.4424, 0) and S_T = (0.5576, 0.4424, 0.2437).
    exact = sk.ishigami_indices()
    np.testing.assert_allclose(exact.first, [0.3139, 0.4424, 0.0], atol=1e-4)
    np.testing.assert_allclose(exact.total, [0.5576, 0.4424, 0.2437], atol=1e-4)


def test_sobol_indices_of_ishigami_within_0_02_of_the_analytic_values():
    estimate = sk.sobol_indices(sk.ishigami, ISHIGAMI_BOUNDS, n=2**13, seed=1)
    exact = sk.ishigami_indices()
    np.testing.assert_allclose(estimate.first, exact.first, atol=0.02)
    np.testing.assert_allclose(estimate.total, exact.total, atol=0.02)
    assert estimate.evaluations == 2**13 * 5


def test_sobol_indices_agree_with_salib_on_salibs_own_sample():
    # Same design and same estimators: on SALib's sample our formulas give SALib's numbers.
    problem = {"num_vars": 3, "names": ["x1", "x2", "x3"], "bounds": ISHIGAMI_BOUNDS}
    n = 2**12
    sample = salib_sample.sample(problem, n, calc_second_order=False, seed=3)
    outputs = sk.ishigami(sample)
    theirs = salib_sobol.analyze(problem, outputs, calc_second_order=False, print_to_console=False, seed=3)
    blocks = outputs.reshape(n, 5)  # SALib's row order: A, AB_1, AB_2, AB_3, B for each base point
    first, total = sk.saltelli_estimates(blocks[:, 0], blocks[:, 4], blocks[:, 1:4].T)
    np.testing.assert_allclose(first, theirs["S1"], rtol=1e-10)
    np.testing.assert_allclose(total, theirs["ST"], rtol=1e-10)
    ours = sk.sobol_indices(sk.ishigami, ISHIGAMI_BOUNDS, n=n, seed=3)
    np.testing.assert_allclose(ours.first, theirs["S1"], atol=0.03)
    np.testing.assert_allclose(ours.total, theirs["ST"], atol=0.03)


def test_saltelli_matrices_swap_one_column():
    a, b, ab = saltelli_matrices(64, [[0.0, 1.0], [2.0, 5.0]], seed=0)
    assert a.shape == b.shape == (64, 2) and ab.shape == (2, 64, 2)
    np.testing.assert_array_equal(ab[0][:, 0], b[:, 0])
    np.testing.assert_array_equal(ab[0][:, 1], a[:, 1])
    assert a[:, 1].min() >= 2.0 and a[:, 1].max() <= 5.0


@pytest.mark.slow
def test_forward_sensitivities_match_finite_differences_and_the_logistic_closed_form():
    problem = sk.logistic_growth()
    ts = jnp.linspace(0.0, 12.0, 25)
    params = {"r": jnp.asarray(0.8), "K": jnp.asarray(10.0)}
    forward = diffrax.ForwardMode()
    sens = jax.jacfwd(lambda p: sk.solve(problem, ts, p, rtol=1e-10, atol=1e-10, adjoint=forward))(params)
    exact = jax.jacfwd(lambda r: sk.logistic_growth_exact(ts, r, 10.0, 0.5))(0.8)
    np.testing.assert_allclose(sens["r"][:, 0], exact, rtol=1e-6, atol=1e-7)

    lv = sk.lotka_volterra()
    p = jnp.array([1.5, 1.0, 3.0, 1.0])
    ours = sk.forward_sensitivities(lv, ts[:9], p)
    assert ours.shape == (9, 2, 4)
    h = 1e-6
    for j in range(4):
        step = jnp.zeros(4).at[j].set(h)
        central = (sk.solve(lv, ts[:9], p + step, rtol=1e-12, atol=1e-12)
                   - sk.solve(lv, ts[:9], p - step, rtol=1e-12, atol=1e-12)) / (2 * h)
        np.testing.assert_allclose(ours[..., j], central, rtol=1e-4, atol=1e-5)


@pytest.mark.slow
def test_fisher_information_is_sensitivities_squared_over_noise():
    lv = sk.lotka_volterra()
    ts = jnp.linspace(0.0, 5.0, 11)
    p = jnp.array([1.5, 1.0, 3.0, 1.0])
    info = sk.fisher_information(lv, ts, p, noise_std=0.1)
    jac = sk.forward_sensitivities(lv, ts, p).reshape(-1, 4)
    np.testing.assert_allclose(info, jac.T @ jac / 0.01, rtol=1e-12)
    prey_only = sk.fisher_information(lv, ts, p, noise_std=0.1, observed=[True, False])
    jac_prey = sk.forward_sensitivities(lv, ts, p)[:, 0]
    np.testing.assert_allclose(prey_only, jac_prey.T @ jac_prey / 0.01, rtol=1e-12)


@pytest.mark.slow
def test_multiple_shooting_loss_is_the_single_shooting_loss_on_one_segment_and_zero_at_the_truth():
    lv = sk.lotka_volterra()
    ts = jnp.linspace(0.0, 10.0, 41)
    truth = sk.solve(lv, ts)
    p = jnp.array([1.2, 0.8, 2.5, 1.1])
    single = sk.trajectory_loss(p, lv, ts, truth)
    one = sk.multiple_shooting_loss({"params": p, "starts": lv.y0[None]}, lv, ts, truth)
    np.testing.assert_allclose(one, single, rtol=1e-7)
    at_truth = sk.multiple_shooting_loss(sk.shooting_guess(lv.params, truth, 8), lv, ts, truth)
    assert float(at_truth) < 1e-12


@pytest.mark.slow
def test_multiple_shooting_escapes_the_local_minimum_single_shooting_falls_into():
    lv = sk.lotka_volterra()
    ts = jnp.linspace(0.0, 10.0, 41)
    truth = sk.solve(lv, ts)
    start = jnp.array([1.0, 1.5, 2.0, 1.5])  # far from (1.5, 1, 3, 1)
    single = sk.fit(sk.trajectory_loss, start, optax.adam(0.05), lv, ts, truth, steps=300)
    shooting = sk.fit(sk.multiple_shooting_loss, sk.shooting_guess(start, truth, 10), optax.adam(0.05), lv, ts, truth, steps=300)
    single_error = np.abs(single.params - lv.params).max()
    shooting_error = np.abs(shooting.params["params"] - lv.params).max()
    assert shooting_error < 0.1 < 0.3 < single_error


def test_bad_input_is_reported_clearly():
    ts = jnp.linspace(0.0, 1.0, 11)
    with pytest.raises(ValueError, match="cannot cut 11 samples into 3 segments"):
        sk.multiple_shooting_loss({"params": None, "starts": jnp.zeros((3, 2))}, sk.lotka_volterra(), ts, jnp.zeros((11, 2)))
    with pytest.raises(ValueError, match="low < high"):
        sk.sobol_indices(sk.ishigami, [[1.0, 0.0]] * 3, n=8)
    with pytest.raises(ValueError, match="one value per input row"):
        sk.sobol_indices(lambda x: x, ISHIGAMI_BOUNDS, n=8)
