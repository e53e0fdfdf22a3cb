"""Claims of lecture 6b (deep BSDE in 100 dimensions), read from the built page's run.

Each headline result stands beside what a network that learns nothing gives (Z = 0:
Y0 = E g(X_T) for HJB, the ODE value for Allen-Cahn), computed in the same run. At the
paper's settings the value u(0, x0) cannot tell them apart (0.22% and 0.19%), and on the
CPU profile the trained loss is not below Z = 0's either: those tests check what the
page says about them. The HJB case with lambda = 10 at x0 = (3, ..., 3) is the headline
that fails under Z = 0: value, loss and Z_0.
"""

from __future__ import annotations

import pytest

PAGE = "lectures/06b_deep_bsde"


def test_monte_carlo_reference_matches_the_paper(values):
    assert values["hjb_reference"] == pytest.approx(4.5902, abs=4 * values["hjb_reference_se"] + 2e-4)
    assert values["hjb_reference_se"] < 2e-4


def test_from_scratch_loss_equals_the_toolkit_loss(values):
    assert values["bsde_scratch_gap"] < 1e-12


def test_at_lambda_one_the_value_cannot_tell_a_trained_network_from_none(values):
    # What the page says: Z = 0 (E g(X_T), measured 4.6002) is within 0.22% of the reference.
    assert values["hjb_zero_z_value"] == pytest.approx(4.6002, abs=1e-3)
    assert 0.1 < values["hjb_zero_z_error_percent"] < 0.4
    assert values["hjb_zero_z_loss"] == pytest.approx(0.02, rel=0.3)  # Var g(X_T)


def test_hjb_in_100_dimensions_within_tolerance_of_the_reference(values):
    tolerance_percent = 0.5 if values["bsde_profile"] == "gpu" else 1.0
    assert values["hjb_error_percent"] < tolerance_percent
    assert abs(values["hjb_estimate"] - values["hjb_reference"]) / values["hjb_reference"] * 100 == pytest.approx(
        values["hjb_error_percent"], rel=1e-9
    )
    assert values["hjb_first_within_one_percent"] < values["hjb_iterations"]
    assert values["hjb_network"] == ("per_step" if values["bsde_profile"] == "gpu" else "recurrent")
    # The page's verdict on the loss follows the numbers (CPU: 0.0222 against 0.0200).
    below = values["hjb_final_loss"] < values["hjb_zero_z_loss"]
    assert values["hjb_loss_verdict"] == ("is below" if below else "is not below")
    if values["bsde_profile"] == "cpu":  # the paper's longer GPU run may learn more
        assert values["hjb_final_loss"] == pytest.approx(values["hjb_zero_z_loss"], rel=0.5)


def test_with_lambda_ten_the_trained_value_is_far_closer_than_z_zero(values):
    # The Monte Carlo reference: 2^17 samples, delta-method standard error.
    assert values["strong_reference_se"] < 1e-3
    # The case discriminates: Z = 0 lies far above the reference, in standard errors.
    assert values["strong_zero_z"] > values["strong_reference"] + 30 * values["strong_reference_se"]
    assert values["strong_zero_z_error"] == pytest.approx(values["strong_zero_z"] - values["strong_reference"], rel=1e-12)
    # Headline: the trained error is at least five times below the Z = 0 error.
    assert values["strong_error"] < values["strong_zero_z_error"] / 5
    assert values["strong_error_ratio"] == pytest.approx(values["strong_zero_z_error"] / values["strong_error"], rel=1e-12)
    assert abs(values["strong_estimate"] - values["strong_reference"]) == pytest.approx(values["strong_error"], rel=1e-9)
    # The loss, too, falls far below the variance of g(X_T) that Z = 0 leaves (measured
    # 7e-4 against 6.6e-3).
    assert values["strong_final_loss"] < values["strong_zero_z_loss"] / 5


def test_the_learned_z0_against_the_exact_gradient(values):
    # Z = 0 has relative error 1; the random start about 7. Measured 0.27 and 5.5%.
    assert values["strong_z0_error"] < 0.5
    assert values["strong_z0_mean_error_percent"] < 20


def test_allen_cahn_within_two_percent_and_the_loss_shows_learning(values):
    assert values["allen_cahn_estimate"] == pytest.approx(0.052802, rel=0.02)
    assert values["allen_cahn_error_percent"] < 2.0
    # What the page says: Z = 0 is as close to the published value (measured 0.19%).
    assert values["allen_cahn_zero_z_value"] == pytest.approx(0.052802, rel=0.005)
    assert values["allen_cahn_zero_z_error_percent"] < 0.5
    # The page's verdict on the loss follows the numbers (CPU: 4.1e-5 against 2.7e-5).
    below = values["allen_cahn_final_loss"] < values["allen_cahn_zero_z_loss"]
    assert values["allen_cahn_loss_verdict"] == ("below" if below else "above")


def test_per_step_networks_have_many_times_the_weights(values):
    assert values["weights_ratio"] > 15  # 19 networks against one with an extra input


def test_the_papers_default_free_value_is_the_undiscounted_expectation(values):
    # 60.781 (Han, Jentzen and E 2018) against E[min X_T] by Monte Carlo, within 3 standard errors.
    assert values["no_default_expectation"] == pytest.approx(60.781, abs=3 * values["no_default_se"])
    assert values["no_default_discounted"] < 60.781 - 1.0
