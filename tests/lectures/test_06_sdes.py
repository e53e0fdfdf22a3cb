"""Claims of lecture 6 (stochastic differential equations), read from the built page's run."""

from __future__ import annotations

import pytest

PAGE = "lectures/06_sdes"


def test_gbm_ensemble_moments_within_three_standard_errors(values):
    assert abs(values["gbm_mean_z"]) < 3
    assert abs(values["gbm_variance_z"]) < 3


def test_the_from_scratch_loop_reproduces_the_toolkit_solve(values):
    assert values["em_toolkit_gap"] < 1e-12


def test_measured_convergence_orders(values):
    # Kloeden and Platen: Euler-Maruyama strong 1/2, weak 1; Milstein strong 1.
    assert values["em_strong_order"] == pytest.approx(0.5, abs=0.1)
    assert values["em_weak_order"] == pytest.approx(1.0, abs=0.2)
    assert values["milstein_strong_order"] == pytest.approx(1.0, abs=0.15)


def test_the_neural_sde_fits_the_ensemble_mean(values):
    assert values["neural_sde_loss_drop"] > 50
    assert values["neural_sde_mean_error"] < 0.3
    # The prose's verdict on the learned noise level follows the number.
    close = abs(values["neural_sde_noise_scale"] - 0.2) < 0.05
    assert values["neural_sde_noise_verdict"] == ("close to" if close else "far from")


def test_ensembles_solve_the_kolmogorov_and_feynman_kac_problems(values):
    assert values["ou_ks_distance"] < 0.02
    assert abs(values["feynman_kac_z"]) < 3
