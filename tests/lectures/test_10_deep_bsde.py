"""Claims of lecture 10 (deep BSDE in 100 dimensions), read from the built page's run.

Each headline result stands beside what a network that learns nothing gives (Z = 0:
Y0 = E g(X_T) for HJB, the ODE value for Allen-Cahn), computed in the same run. At the
paper's settings the value u(0, x0) cannot tell them apart (0.22% and 0.19%), and on the
CPU profile the trained loss is not below Z = 0's either: those tests check what the
page says about them. The HJB case with lambda = 10 at x0 = (3, ..., 3) separates the
trained network from Z = 0; against one constant Z fitted by least squares the page's
verdict is chosen from the run, and on the CPU profile it is "no closer than" (the test
holds the ratio to what that run gives); at x0 = 0, where Z must depend on the state,
the CPU profile's network learns nothing (the page's verdict follows the numbers).
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

PAGE = "lectures/10_deep_bsde"


def test_monte_carlo_reference_matches_the_paper(values):
    # 4.5902 (Han, Jentzen and E 2018); the chi-square integral by quadrature gives 4.590162.
    assert values["hjb_reference"] == pytest.approx(4.590162, abs=4 * values["hjb_reference_se"])
    assert values["hjb_reference"] == pytest.approx(4.5902, abs=4 * values["hjb_reference_se"] + 2e-4)
    assert values["hjb_reference_se"] < 2e-4


def test_the_reference_is_the_cole_hopf_formula_on_the_drawn_samples(values):
    # The same chi-square samples through -ln mean exp(-g): equal to rounding. A wrong
    # seed, dimension or lambda in sk.hjb_reference moves it by 1e-4 or more.
    assert values["hjb_reference_recompute_gap"] < 1e-12


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
    # The first exercise's "six thousand iterations are six times this page's HJB run on a CPU".
    assert values["hjb_iterations"] == (2000 if values["bsde_profile"] == "gpu" else 1000)
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
    # The trained error is several times below the Z = 0 error (measured ratio 7.9 on key 2;
    # the reviewer's keys 3 and 4 gave 6.6 and 7.0); Z = 0 itself has ratio 1.
    assert values["strong_error"] < values["strong_zero_z_error"] / 4
    assert values["strong_error_ratio"] == pytest.approx(values["strong_zero_z_error"] / values["strong_error"], rel=1e-12)
    assert abs(values["strong_estimate"] - values["strong_reference"]) == pytest.approx(values["strong_error"], rel=1e-9)
    # The loss, too, falls far below the variance of g(X_T) that Z = 0 leaves (measured
    # 7e-4 against 6.6e-3).
    assert values["strong_final_loss"] < values["strong_zero_z_loss"] / 5


def test_with_lambda_ten_the_network_against_one_constant_z(values):
    # The least-squares constant: its component is near the reference Z_0's 0.00797.
    assert values["strong_constant_z"] == pytest.approx(0.00797, rel=0.05)
    # One number already gets within about 0.004 (measured 0.0043; the reviewer's seeds 5-7:
    # 0.0040-0.0047), about 8x below Z = 0's 0.034.
    assert values["strong_constant_z_error"] < values["strong_zero_z_error"] / 5
    assert values["strong_constant_z_loss"] < values["strong_zero_z_loss"] / 5
    assert values["strong_constant_z_ratio"] == pytest.approx(
        values["strong_error"] / values["strong_constant_z_error"], rel=1e-12
    )
    gap = abs(values["strong_error"] - values["strong_constant_z_error"])
    assert values["strong_constant_z_gap"] == pytest.approx(gap, rel=1e-12)
    # The page's verdicts are chosen from the numbers: "closer than" only by more than the
    # reference's standard error; a flipped or typed verdict fails here.
    closer = values["strong_error"] < values["strong_constant_z_error"] - values["strong_reference_se"]
    assert values["strong_constant_z_verdict"] == ("closer than" if closer else "no closer than")
    assert values["strong_constant_z_gap_verdict"] == ("less than" if gap < values["strong_reference_se"] else "more than")
    assert values["strong_learned"].startswith("more than") == closer
    below = values["strong_final_loss"] < 0.9 * values["strong_constant_z_loss"]
    assert values["strong_loss_verdict"] == ("is below" if below else "is not below")
    if values["bsde_profile"] == "cpu":  # the only profile run on this case so far
        # What the CPU page says: no closer than one constant Z, the errors within the
        # reference's standard error (measured ratio 0.997, gap 1.5e-5 against se 2.9e-4, on
        # key 2; the reviewer's keys 3 and 4 put the trained error at 0.0052 and 0.0049,
        # ratios 1.20 and 1.13), and the loss not below the constant's (6.9e-4 against 6.6e-4).
        # A network that learned the state-dependent part would give a ratio well below 1
        # and a "closer than" verdict and fail the lower bound; Z = 0 in its place gives 7.9.
        assert values["strong_constant_z_verdict"] == "no closer than"
        assert 0.9 < values["strong_constant_z_ratio"] < 1.3
        assert values["strong_loss_verdict"] == "is not below"


def test_at_the_origin_with_lambda_ten_the_verdict_follows_the_numbers(values):
    # The page's reference is sk.hjb_problem's Monte Carlo value (4,000,000 chi-square
    # samples, seed 2018: 4.49268, standard error 1.7e-4); the chi-square integral by
    # quadrature gives u(0, 0) = 4.49293 at lambda = 10. A lambda = 1 reference (4.5902) fails.
    assert values["origin_reference"] == pytest.approx(4.49293, abs=1e-3)
    # Z = 0 there: E g = 4.60023 (quadrature) against 4.49293: 0.1073 above (the page's
    # Monte Carlo values: 0.1075). The tolerance is about 5 combined standard errors.
    assert values["origin_zero_z_error"] == pytest.approx(0.1073, abs=1e-3)
    learned = values["origin_error"] < 0.5 * values["origin_zero_z_error"]
    assert values["origin_verdict"] == ("learns a" if learned else "learns no")
    if values["bsde_profile"] == "cpu":
        # Measured 0.1025 and loss 2.0e-2 ~ Var g(X_T): the CPU run learns nothing, as the page says.
        assert values["origin_verdict"] == "learns no"
        assert values["origin_final_loss"] == pytest.approx(values["hjb_zero_z_loss"], rel=0.3)


def test_the_learned_z0_against_the_exact_gradient(values):
    # Against the reference Z_0 (a Monte Carlo gradient, ~0.2% noise per component).
    # Z = 0 has relative error 1; the random start about 7. Measured 0.27 and 5.5%.
    assert values["strong_z0_error"] < 0.5
    assert values["strong_z0_mean_error_percent"] < 20


def test_allen_cahn_within_two_percent_and_the_verdict_on_the_loss_follows_the_numbers(values):
    assert values["allen_cahn_estimate"] == pytest.approx(0.052802, rel=0.02)
    assert values["allen_cahn_error_percent"] < 2.0
    # What the page says: Z = 0 is as close to the published value (measured 0.19%).
    assert values["allen_cahn_zero_z_value"] == pytest.approx(0.052802, rel=0.005)
    assert values["allen_cahn_zero_z_error_percent"] < 0.5
    # The page's verdict on the loss follows the numbers (CPU: 4.1e-5 against 2.7e-5).
    below = values["allen_cahn_final_loss"] < values["allen_cahn_zero_z_loss"]
    assert values["allen_cahn_loss_verdict"] == ("below" if below else "above")
    # And on the value: the trained error as a multiple of Z = 0's, with the verdict read
    # from the same numbers (CPU: 0.37% against 0.18%, 2.0 times as far).
    ratio = values["allen_cahn_error_percent"] / values["allen_cahn_zero_z_error_percent"]
    assert values["allen_cahn_error_vs_zero_z"] == pytest.approx(ratio, rel=1e-9)
    assert values["allen_cahn_value_verdict"] == ("farther from" if ratio > 1 else "closer to")
    if values["bsde_profile"] == "cpu":
        assert 1.5 < values["allen_cahn_error_vs_zero_z"] < 2.6


def test_per_step_networks_have_many_times_the_weights(values):
    assert values["weights_ratio"] > 15  # 19 networks against one with an extra input


def test_the_papers_default_free_value_is_the_undiscounted_expectation(values):
    # 60.781 (Han, Jentzen and E 2018) against E[min X_T] by Monte Carlo, within 3 standard errors.
    assert values["no_default_expectation"] == pytest.approx(60.781, abs=3 * values["no_default_se"])
    assert values["no_default_discounted"] < 60.781 - 1.0


def test_the_small_exercise_against_z_zero(values):
    # d = 10: Z = 0 gives E g = 2.2593 against u = 2.1570 (quadrature), 4.74% off.
    assert values["small_zero_z_error_percent"] == pytest.approx(4.74, abs=0.1)
    # The short run (measured 2.61%) is closer than Z = 0, not more than that is claimed.
    assert values["small_error_percent"] < values["small_zero_z_error_percent"]


def committed_bsde_benchmark() -> dict:
    return json.loads((Path(__file__).resolve().parents[2] / "benchmarks/results/deep_bsde.json").read_text())


def test_pytorch_sentence_reads_the_committed_benchmark(values):
    # 2026-12-07, 2 cores: PyTorch took 1.40x as long as scimlkit to reach and keep 1%
    # (1.19 to 1.44x over seeds 0, 1, 2). Read here independently of the page's parsing.
    report = committed_bsde_benchmark()
    assert values["pytorch_run"] == f"{report['date'][:10]}, on a {report['machine']['cpus']}-core CPU machine"
    assert values["pytorch_version"] == report["versions"]["torch"]
    goal = next(g for g in report["goals"] if "sooner than plain PyTorch" in g["description"])
    numbers = [float(v) for v in re.findall(r"\d+\.\d+", goal["measured"])[:3]]
    assert [values["pytorch_ratio"], values["pytorch_ratio_low"], values["pytorch_ratio_high"]] == numbers
    assert values["pytorch_ratio_low"] <= values["pytorch_ratio"] <= values["pytorch_ratio_high"]
    assert values["pytorch_seeds"] == 3 and "seeds 0, 1, 2" in report["summary"]
    assert values["pytorch_target_percent"] == 1.0 and "1% error" in report["title"]
    if values["pytorch_ratio_low"] > 1:
        assert values["pytorch_verdict"] == "the toolkit was the faster"
    elif values["pytorch_ratio_high"] < 1:
        assert values["pytorch_verdict"] == "PyTorch was the faster"
    else:
        assert values["pytorch_verdict"] == "neither was the faster"
