"""Claims of lecture 12 (physics-informed neural networks), read from the executed page."""

import pytest

PAGE = "lectures/12_pinns"


def test_reference_solution_matches_its_refinement_and_the_published_slope(values):
    # Measured 2.3e-15: Gauss-Hermite quadrature at machine precision; a wrong weight or
    # node scaling would differ by far more than 1e-12.
    assert values["reference_refinement"] < 1e-12
    assert values["reference_front_slope"] == pytest.approx(-152.00516, abs=1e-4)


def test_scratch_residual_and_loss_agree_with_the_toolkit(values):
    # float64 rounding (measured 9.5e-18); a sign or factor error in one term gives O(1e-2).
    assert values["residual_agreement"] < 1e-12
    assert values["loss_agreement"] < 1e-12


def test_pinn_error_meets_the_profile_target(values):
    # CPU profile: float32, a few thousand points; GPU profile: the paper's 10,000 points.
    # The GPU bound is an expectation, not a measurement: that profile has not been run yet
    # (the page says so), and its first build must confirm or revise it.
    assert values["pinn_profile"] in {"cpu", "gpu"}
    if values["pinn_profile"] == "cpu":
        assert values["pinn_dtype"] == "float32"
        assert values["pinn_error"] <= 1e-1  # measured 7.4e-2
    else:
        assert values["pinn_points"] == 10_000
        assert values["pinn_error"] <= 1e-3


def test_pinn_beats_the_untrained_network_and_the_edges_alone(values):
    # The untrained network predicts about zero (relative error near 1); a network fitted to
    # the initial and boundary values alone does not know how u evolves inside.
    assert values["untrained_error"] > 0.5
    assert values["edge_only_error"] > 0.2
    # The edge-only network does fit its data (a misfit of 1e-4 would be a 1% miss), so its
    # error is the missing physics, not a failed fit.
    assert values["edge_only_loss"] < 1e-4
    # The residual term is what the PINN adds: its error must be well below both baselines.
    assert values["edge_only_over_pinn"] == pytest.approx(values["edge_only_error"] / values["pinn_error"])
    assert values["edge_only_over_pinn"] > 4.0  # measured 8.0 (0.59 against 0.074)
    assert values["untrained_error"] > 5 * values["pinn_error"]  # measured 13.6x


def test_error_concentrates_at_the_front(values):
    assert values["front_share"] > 2 * values["front_area"]


def test_combined_method_loss_and_refinement_match_the_toolkit(values):
    # The same float32 operations in the same order as sk.burgers_loss: measured 0, and
    # float32 rounding of a mean over 4000 residuals would be ~1e-7 relative; dropping the
    # edge term or the hard-constraint wrapper changes the loss by percent.
    assert values["method_loss_agreement"] < 1e-6
    # Same residuals, same sort: the same points, exactly; taking the smallest residuals
    # instead would move every added point.
    assert values["refinement_agreement"] == 0.0


def test_remedy_comparison_is_over_seeds_and_its_verdicts_follow_the_ranges(values):
    assert values["compare_seeds"] >= 3
    plain_low, plain_high = values["compare_plain_low"], values["compare_plain_high"]
    assert plain_low <= values["compare_plain"] <= plain_high
    for key in ("weighting", "refinement", "hard"):
        low, median, high = values[f"compare_{key}_low"], values[f"compare_{key}"], values[f"compare_{key}_high"]
        assert low <= median <= high, key
        if high < plain_low:
            expected = "below the plain PINN's whole range"
        elif low > plain_high:
            expected = "above the plain PINN's whole range"
        else:
            expected = "overlapping the plain PINN's range, so this run cannot tell the two apart"
        assert values[f"compare_{key}_verdict"] == expected, key
    # Every training learned something: medians measured 0.21 to 0.36 (ranges 0.14 to
    # 0.41), against about 1 for an untrained network and 0.59 for one fitted to the edges
    # alone.
    for key in ("plain", "weighting", "refinement", "hard"):
        assert 0 < values[f"compare_{key}_high"] < values["untrained_error"], key
        assert values[f"compare_{key}"] < 0.5, key


def test_remedy_trainings_are_unconverged_as_the_page_says(values):
    # "Every method's error lies between the long training's and the edges-alone network's":
    # ranges 0.14 to 0.41 against 0.074 and 0.59. Were the short trainings converged to
    # the long one's accuracy, the lower bound would fail.
    for key in ("plain", "weighting", "refinement", "hard"):
        assert values["pinn_error"] < values[f"compare_{key}_low"], key
        assert values[f"compare_{key}_high"] < values["edge_only_error"], key
    # "the loss was still falling over the last tenth of the L-BFGS steps in every one of
    # them": a converged L-BFGS run gains ~0 there (lecture 11's fit: 3e-13). Measured:
    # median 7.6%, smallest 0.4%.
    assert values["compare_last_tenth_gain"] > 1e-2
    assert values["compare_last_tenth_gain_smallest"] > 5e-4


def test_cpu_comparison_size(values):
    if values["pinn_profile"] == "cpu":
        assert (values["compare_points"], values["compare_adam"], values["compare_lbfgs"]) == (500, 300, 300)


def test_hessian_and_nested_jvp_give_the_same_second_derivative(values):
    # float64 rounding (measured 3.5e-18); taking the wrong Hessian entry gives O(1e-1).
    assert values["hessian_agreement"] < 1e-12


def test_classical_solver_is_faster_and_more_accurate(values):
    # Measured: 5.2e-4 against the PINN's 7.4e-2 (about 140x), 0.44 s against minutes.
    assert values["classical_error"] < 5e-3
    assert values["classical_accuracy_gain"] == pytest.approx(values["pinn_error"] / values["classical_error"])
    assert values["classical_accuracy_gain"] > 10
    assert values["classical_speedup"] > 10


def test_deepxde_sentence_reads_the_committed_benchmark(values):
    # benchmarks/results/pinn_burgers.json (2026-11-29): L-BFGS iteration 1.96x as long in
    # DeepXDE; median errors 0.123 (scimlkit) and 0.125 (DeepXDE). Reading the iteration
    # count column (1.00) or an error column instead fails these; a rerun of the benchmark
    # at another configuration must revisit the sentence, which describes this one.
    assert 1.2 < values["deepxde_lbfgs_ratio"] < 5
    assert 0.05 < values["deepxde_scimlkit_error"] < 0.5
    assert 0.05 < values["deepxde_error"] < 0.5
    # "the whole training only ... times as long": 1.29 against 1.96 per iteration.
    assert 1.0 < values["deepxde_training_ratio"] < values["deepxde_lbfgs_ratio"]
    assert values["deepxde_backend"] == "PyTorch"
    # optax's default history (10) against torch.optim.LBFGS as DeepXDE sets it (100).
    assert (values["toolkit_lbfgs_history"], values["deepxde_lbfgs_history"]) == (10, 100)
    # Ranges: 0.102 to 0.224 (toolkit) and 0.0646 to 0.136 (DeepXDE). "The ranges overlap,
    # and DeepXDE's best seed beat the toolkit's"; swapped columns or libraries fail these.
    for library in ("deepxde", "deepxde_scimlkit"):
        assert values[f"{library}_error_low"] <= values[f"{library}_error"] <= values[f"{library}_error_high"]
    assert values["deepxde_error_low"] < values["deepxde_scimlkit_error_low"] < values["deepxde_error_high"]
