"""Claims of lecture 10 (deep BSDE in 100 dimensions), read from the built page's run.

Each headline result stands beside what a network that learns nothing gives (Z = 0:
Y0 = E g(X_T) for HJB, the ODE value for Allen-Cahn), computed in the same run. At the
paper's settings the value u(0, x0) cannot tell them apart (0.22% and 0.19%), and on the
CPU profile the trained loss is not below Z = 0's either: those tests check what the
page says about them. The HJB case with lambda = 10 at x0 = (3, ..., 3) separates the
trained network from Z = 0; against one constant Z fitted by least squares (by quadrature,
free of sampling noise) the page's verdicts (value and loss) are chosen from three training
keys with one criterion (better only if better on every key), and on the CPU profile the
value is "no closer than" (farther on every key); at
x0 = 0, where Z must depend on the state, the CPU profile's network learns nothing (the
page's verdict follows the numbers). The loss the N = 20 scheme has with the exact Z is
far below the trained losses: the limit is the learned Z, not the time step.
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
    # The sentence reads "exactly equal" only when the gap is 0, a gap otherwise.
    assert values["bsde_scratch_agreement"] == (
        "The two are exactly equal" if values["bsde_scratch_gap"] == 0
        else f"The two differ by {values['bsde_scratch_gap']:.0e} (relative): rounding"
    )
    gap = values["hjb_reference_recompute_gap"]
    assert values["hjb_reference_recompute_text"] == ("the same number" if gap == 0 else f"to {gap:.0e}")


def test_at_lambda_one_the_value_cannot_tell_a_trained_network_from_none(values):
    # What the page says: Z = 0 (E g(X_T), measured 4.6002) is within 0.22% of the reference.
    assert values["hjb_zero_z_value"] == pytest.approx(4.6002, abs=1e-3)
    assert 0.1 < values["hjb_zero_z_error_percent"] < 0.4
    assert values["hjb_zero_z_loss"] == pytest.approx(0.02, rel=0.3)  # Var g(X_T)


def test_hjb_estimate_within_tolerance_of_the_reference_which_z_zero_also_meets(values):
    # Not a test of learning: Z = 0 with its best Y0 is 0.22% off, inside both bounds (the
    # page says so, and the lambda = 10 tests below are the ones a network that learns
    # nothing fails). It checks the estimate the page reports, the iteration count and the
    # verdict on the loss.
    tolerance_percent = 0.5 if values["bsde_profile"] == "gpu" else 1.0
    assert values["hjb_error_percent"] < tolerance_percent
    assert abs(values["hjb_estimate"] - values["hjb_reference"]) / values["hjb_reference"] * 100 == pytest.approx(
        values["hjb_error_percent"], rel=1e-9
    )
    # -1 when the run never came within 1%; from a start in [0, 1] it cannot be there at 0.
    assert 0 < values["hjb_first_within_one_percent"] < values["hjb_iterations"]
    assert values["hjb_network"] == ("per_step" if values["bsde_profile"] == "gpu" else "recurrent")
    # The first exercise's "six thousand iterations are six times this page's HJB run on a CPU".
    assert values["hjb_iterations"] == (2000 if values["bsde_profile"] == "gpu" else 1000)
    # The page's verdict on the loss follows the numbers (CPU: 0.0222 against 0.0200).
    below = values["hjb_final_loss"] < values["hjb_zero_z_loss"]
    assert values["hjb_loss_verdict"] == ("is below" if below else "is not below")
    if values["bsde_profile"] == "cpu":  # the paper's longer GPU run may learn more
        assert values["hjb_final_loss"] == pytest.approx(values["hjb_zero_z_loss"], rel=0.5)


def test_hjb_figure_description(values):
    # The alt text: the loss "falls steeply at first and then levels off". Measured: the
    # first 20 iterations average 540 times the last 100 (0.022); the 100 before the last
    # are 1.05 times the last. A loss still falling, or one that never fell, fails.
    assert values["hjb_loss_fall"] > 100
    assert 0.8 < values["hjb_loss_late_drift"] < 1.25


def test_with_the_exact_z_the_loss_is_far_below_the_trained_one(values):
    # The product Gauss rule reproduces u(0, 0) (quadrature 4.590162; the page's Monte Carlo
    # 4.590145 +- 7e-5): within 3 standard errors. A wrong lambda or dimension is off by 1e-2.
    assert values["hjb_quadrature_gap_in_se"] < 3
    # The N = 20 scheme with the exact Z: 1.0e-3 at lambda = 1, x0 = 0 (the reviewer's
    # independent spline-and-ncx2 computation on 20,000 paths: 1.0e-3; 2,048 paths here, about
    # 2% noise); 3.4e-5 at lambda = 10, x0 = (3, ..., 3) (reviewer 3.5e-5); 1.07e-3 at
    # lambda = 10, x0 = 0. Z = 0 in place of the exact Z would give Var g (2e-2, 6.6e-3).
    assert values["hjb_exact_z_loss"] == pytest.approx(1.0e-3, rel=0.1)
    assert values["strong_exact_z_loss"] == pytest.approx(3.4e-5, rel=0.1)
    assert values["origin_exact_z_loss"] == pytest.approx(1.07e-3, rel=0.1)
    # "The trained network's loss is N times that bound" and "far below both": the trained
    # losses (2.2e-2, 6.9e-4, 2.0e-2 on the CPU run) are many times the exact-Z loss, so the
    # time step is not what stops them. A network that learned the exact Z would sit near it.
    assert values["hjb_trained_over_exact_z_loss"] == pytest.approx(
        values["hjb_final_loss"] / values["hjb_exact_z_loss"], rel=1e-12
    )
    assert values["hjb_trained_over_exact_z_loss"] > 5
    assert values["strong_exact_z_loss"] < min(values["strong_loss_min"], values["strong_constant_z_loss"]) / 5
    assert values["origin_exact_z_loss"] < values["origin_final_loss"] / 5


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
    # The least-squares constant is the slope of g(X_T) on sum_i W_T^i, not the reference
    # Z_0 component (0.00797). The page computes it, its Y0 and its loss by the 12 x 12 Gauss
    # rule (no sampling noise; 16 and 24 nodes agree to 1e-15): c = 0.0077299, Y0 = 6.277642,
    # loss 6.641e-4. Independent Monte Carlo (reviewer r10b): c 0.007728-0.007733, Y0
    # 6.27763-6.27766 on 2e6 samples (se 1.8e-5) and 6.27764 on 2e7; loss 6.638e-4 and
    # 6.645e-4 on 2^21 samples (se 6e-7). The page's former fit on its 2^17 samples gave
    # Y0 = 6.277755 (std 1.3e-4 from draw to draw), noise as large as the gaps judged below.
    assert values["strong_constant_z"] == pytest.approx(0.00773, rel=0.001)
    constant_value = values["strong_reference"] + values["strong_constant_z_error"]  # the value lies above
    assert constant_value == pytest.approx(6.27764, abs=5e-5)  # about 3 se of the 2e6-sample checks
    assert values["strong_constant_z_loss"] == pytest.approx(6.641e-4, rel=0.005)
    # One number already gets within about 0.004 (measured 0.0042), about 8x below Z = 0's 0.034.
    assert values["strong_constant_z_error"] < values["strong_zero_z_error"] / 5
    assert values["strong_constant_z_loss"] < values["strong_zero_z_loss"] / 5
    # Three training keys (2, 3, 4): errors 0.00433, 0.00493, 0.00473 and losses 6.92e-4,
    # 6.81e-4, 6.99e-4 on the CPU run. The first key is the one the page describes.
    assert values["strong_keys"] == 3
    assert values["strong_error_min"] <= values["strong_error"] <= values["strong_error_max"]
    assert values["strong_loss_min"] <= values["strong_final_loss"] <= values["strong_loss_max"]
    # "All these values lie above the reference by at least N of its standard errors", so the
    # reference's error cancels from the comparison (measured about 15).
    assert values["strong_values_above_reference_in_se"] > 5
    # The verdicts: one criterion for the value and the loss, better or worse only if so on
    # every key; a flipped or typed verdict fails here. The constant carries no sampling
    # noise (quadrature error below 1e-14), so no gap is a tie by noise and the comparisons
    # are strict.
    errors = (values["strong_error_min"], values["strong_error_max"])
    constant = values["strong_constant_z_error"]
    value_verdict = (
        "closer than one constant Z's on every key" if errors[1] < constant
        else "farther than one constant Z's on every key" if errors[0] > constant
        else "closer on some keys and farther on others"
    )
    assert values["strong_value_verdict"] == value_verdict
    closer = errors[1] < constant
    assert values["strong_constant_z_verdict"] == ("closer than" if closer else "no closer than")
    assert values["strong_learned"].startswith("more than") == closer
    losses, constant_loss = (values["strong_loss_min"], values["strong_loss_max"]), values["strong_constant_z_loss"]
    assert values["strong_loss_verdict"] == (
        "below the constant's on every key" if losses[1] < constant_loss
        else "above the constant's on every key" if losses[0] > constant_loss
        else "below the constant's on some keys and above on others"
    )
    if values["bsde_profile"] == "cpu":  # the only profile run on this case so far
        # What the CPU page says: no closer than one constant Z. Against the noise-free
        # constant (Y0 6.277642) the trained values 6.27774, 6.27834 and 6.27814 are all
        # farther, by 1e-4 and more: the reviewer's predicted verdict. The loss is not below
        # the constant's on every key. A network that learned the state-dependent part would
        # be closer on every key and fail here; Z = 0 in its place fails the tests above.
        assert values["strong_constant_z_verdict"] == "no closer than"
        assert values["strong_value_verdict"] == "farther than one constant Z's on every key"
        assert values["strong_loss_verdict"] != "below the constant's on every key"
        # The keys' spread (a few 1e-4) is larger than the gaps it has to judge.
        assert 1.0 < values["strong_error_min"] / constant < 1.1 and values["strong_error_max"] / constant < 1.3


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
    # Z = 0 has relative error 1; the random start about 7. Measured 0.27 and 5.3%.
    assert values["strong_z0_error"] < 0.5
    assert values["strong_z0_mean_error_percent"] < 20
    # "mostly the noise of the individual components": the mean's error is a small part of
    # the total (0.053 against 0.27).
    assert values["strong_z0_mean_error_percent"] / 100 < values["strong_z0_error"] / 2


def test_allen_cahn_estimate_which_z_zero_also_meets_and_the_verdicts_follow_the_numbers(values):
    # Not a test of learning: Z = 0 is 0.18% from the published value, inside the 2% bound;
    # it checks the estimate the page reports and its verdicts.
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


def test_allen_cahn_figure_description(values):
    # The alt text: the estimate "falls from its random start between 0.3 and 0.5" (the
    # authors' range; measured start 0.411) on a logarithmic panel, so it must stay positive
    # (lowest 0.0528); the loss "falls by orders of magnitude" (first 20 iterations 1.6e3
    # times the last 100, 3.8e-5).
    assert 0.3 <= values["allen_cahn_first_estimate"] <= 0.5
    assert values["allen_cahn_lowest_estimate"] > 0
    assert values["allen_cahn_loss_fall"] > 100


def test_per_step_networks_have_many_times_the_weights(values):
    assert values["weights_ratio"] > 15  # 19 networks against one with an extra input


def test_the_papers_default_free_value_is_the_undiscounted_expectation(values):
    # 60.781 (Han, Jentzen and E 2018) against E[min X_T] by Monte Carlo, within 3 standard errors.
    assert values["no_default_expectation"] == pytest.approx(60.781, abs=3 * values["no_default_se"])
    assert values["no_default_discounted"] < 60.781 - 1.0


def test_the_small_exercise_against_z_zero(values):
    # d = 10: Z = 0 gives E g = 2.2593 against u = 2.1570 (quadrature), 4.74% off.
    assert values["small_zero_z_error_percent"] == pytest.approx(4.74, abs=0.1)
    # The short run (measured 2.61%) is clearly closer than Z = 0: a network that learns
    # nothing ends near E g plus Adam noise, about as far as Z = 0, and fails this margin.
    # At x0 = 0 the least-squares constant Z is 0 by symmetry, so this is also what "the
    # network beats one constant Z as well" rests on.
    assert values["small_error_percent"] < 0.75 * values["small_zero_z_error_percent"]


def committed_bsde_benchmark() -> dict:
    return json.loads((Path(__file__).resolve().parents[2] / "benchmarks/results/deep_bsde.json").read_text())


def test_pytorch_sentence_reads_the_committed_benchmark(values):
    # 2026-12-07, 2 cores: per warm iteration 16.8 ms (scimlkit) against 26.4 ms (PyTorch),
    # 1.6x (1.5 to 1.6x); to reach and keep 1%, PyTorch took 1.40x as long (1.19 to 1.44x over
    # seeds 0, 1, 2), with 378 and 421 iterations to get there (medians). Read here
    # independently of the page's parsing.
    report = committed_bsde_benchmark()
    assert values["pytorch_run"] == f"{report['date'][:10]}, on a {report['machine']['cpus']}-core CPU machine"
    assert values["pytorch_version"] == report["versions"]["torch"]
    goal = next(g for g in report["goals"] if "sooner than plain PyTorch" in g["description"])
    numbers = [float(v) for v in re.findall(r"\d+\.\d+", goal["measured"])[:3]]
    assert [values["pytorch_ratio"], values["pytorch_ratio_low"], values["pytorch_ratio_high"]] == numbers
    assert values["pytorch_ratio_low"] <= values["pytorch_ratio"] <= values["pytorch_ratio_high"]
    assert values["pytorch_seeds"] == 3 and "seeds 0, 1, 2" in report["summary"]
    assert values["pytorch_target_percent"] == 1.0 and "1% error" in report["title"]
    # The warm per-iteration ratio, as the report's summary states it, and the medians of the table.
    warm = re.search(r"per warm iteration scimlkit was (\S+)x \((\S+) to (\S+)x\) faster", report["summary"])
    assert (values["pytorch_warm_ratio"], values["pytorch_warm_ratio_low"], values["pytorch_warm_ratio_high"]) == tuple(
        float(v) for v in warm.groups()
    )
    rows = {row[0]: dict(zip(report["tables"][0]["columns"], row)) for row in report["tables"][0]["rows"]}
    toolkit, pytorch = rows["scimlkit"], rows["PyTorch (plain)"]
    assert values["toolkit_warm_ms"] == float(toolkit["ms per iteration (warm)"].split(" (")[0])
    assert values["pytorch_warm_ms"] == float(pytorch["ms per iteration (warm)"].split(" (")[0])
    # The per-iteration ratio agrees with the medians' ratio to the summary's one digit.
    assert values["pytorch_warm_ms"] / values["toolkit_warm_ms"] == pytest.approx(values["pytorch_warm_ratio"], abs=0.05)
    # "the toolkit's runs needed N iterations to get there and PyTorch's M" (medians).
    assert values["toolkit_iterations_to_target"] == int(toolkit["iterations to 1%"].split(" (")[0])
    assert values["pytorch_iterations_to_target"] == int(pytorch["iterations to 1%"].split(" (")[0])
    # "each side at its faster thread count, 1 and 2": the table's threads, each the faster in its trial.
    for side, row in (("toolkit", toolkit), ("pytorch", pytorch)):
        assert values[f"{side}_threads"] == int(row["threads used"])
        trial = [float(v) for v in row["trial ms/iteration at 1, 2 threads"].split(",")]
        assert values[f"{side}_threads"] == 1 + trial.index(min(trial))
    # The sentence on "the luck of the paths" needs the two to differ, as in the committed run (378, 421).
    assert values["toolkit_iterations_to_target"] != values["pytorch_iterations_to_target"]
