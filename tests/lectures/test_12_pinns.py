"""Claims of lecture 12 (physics-informed neural networks), read from the executed page."""

import json
from pathlib import Path

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
        # Measured 7.4e-2 and 7.8e-2 in two builds (the thread pool's rounding moves it);
        # the benchmark's one-thread run of the same draw: 8.1e-2.
        assert values["pinn_error"] <= 1e-1
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
    assert values["edge_only_over_pinn"] > 4.0  # measured 7.6 (0.595 against 0.078); Adam alone gives 2.6
    assert values["untrained_error"] > 5 * values["pinn_error"]  # measured 12.9x
    # L-BFGS is what brings the error down: after Adam alone it was 0.225 (2026-12-07).
    assert values["pinn_adam_error"] > 2 * values["pinn_error"]


def test_error_concentrates_at_the_front(values):
    # The page says almost all of it (measured 99% in 10% of the domain). A prediction that
    # learned nothing inside (-sin(pi x) held fixed in time) puts 26% there, u = 0 puts 14%.
    assert values["front_area"] == pytest.approx(0.102, abs=0.01)
    assert values["front_share"] > 0.8


def test_combined_method_loss_and_refinement_match_the_toolkit(values):
    # The same float32 operations as sk.burgers_loss: measured 0 and 1.1e-7 in two builds;
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
    # Every training learned something: medians measured 0.21 to 0.36 (ranges 0.21 to
    # 0.42 on 2026-12-07), against about 1 for an untrained network and 0.59 for one fitted
    # to the edges alone. An untrained hard-constrained network already scores 0.59 (it
    # carries the initial profile), so its trained runs must do clearly better than that.
    for key in ("plain", "weighting", "refinement", "hard"):
        assert 0 < values[f"compare_{key}_high"] < values["untrained_error"], key
        assert values[f"compare_{key}"] < 0.5, key
    assert values["compare_hard_high"] < 0.45


def test_remedy_trainings_are_unconverged_as_the_page_says(values):
    # "Every method's error lies between the long training's and the edges-alone network's":
    # ranges 0.21 to 0.42 against 0.078 and 0.595 (2026-12-07). Were the short trainings converged to
    # the long one's accuracy, the lower bound would fail.
    for key in ("plain", "weighting", "refinement", "hard"):
        assert values["pinn_error"] < values[f"compare_{key}_low"], key
        assert values[f"compare_{key}_high"] < values["edge_only_error"], key
    # "the loss was still falling over the last tenth of the L-BFGS steps in every one of
    # them": a converged L-BFGS run gains ~0 there (the parameter-estimation fit: 3e-13).
    # Measured: median 7.6% and 7.1%, smallest 0.4% and 0.9%, in two builds.
    assert values["compare_last_tenth_gain"] > 1e-2
    assert values["compare_last_tenth_gain_smallest"] > 5e-4


def test_cpu_comparison_size(values):
    if values["pinn_profile"] == "cpu":
        assert (values["compare_points"], values["compare_adam"], values["compare_lbfgs"]) == (500, 300, 300)
    # The refinement moves 30% of the points (the text and the figure say so); 0 would be the plain PINN.
    assert values["refine_share"] == pytest.approx(0.3)


def test_hessian_and_nested_jvp_give_the_same_second_derivative(values):
    # float64 rounding (measured 3.5e-18); taking the wrong Hessian entry gives O(1e-1).
    assert values["hessian_agreement"] < 1e-12


def test_classical_solver_is_faster_and_more_accurate(values):
    # Measured: 5.2e-4 against the PINN's 7.8e-2 (152x), 0.31 s against minutes (2026-12-07).
    assert values["classical_error"] < 5e-3
    assert values["classical_accuracy_gain"] == pytest.approx(values["pinn_error"] / values["classical_error"])
    assert values["classical_accuracy_gain"] > 10
    assert values["classical_speedup"] > 10


def committed_pinn_benchmark() -> dict:
    return json.loads((Path(__file__).resolve().parents[2] / "benchmarks/results/pinn_burgers.json").read_text())


def test_deepxde_errors_match_the_benchmarks_last_checkpoints(values):
    # The report's last checkpoint per seed is an independent record of each training's
    # final error (2026-12-07: scimlkit 8.1e-2, 3.9e-2, 8.0e-3; DeepXDE 9.2e-2, 4.3e-2,
    # 4.8e-3). The page's medians and ranges must be those seeds' (3 significant figures
    # in the summary table); reading another column or swapping libraries fails this.
    checkpoints = committed_pinn_benchmark()["tables"][2]["rows"]
    for library, prefix in (("scimlkit", "deepxde_scimlkit"), ("DeepXDE", "deepxde")):
        finals = sorted(float(row[-1]) for row in checkpoints if row[0].startswith(library))
        assert len(finals) == 3
        glued = [values[f"{prefix}_error_low"], values[f"{prefix}_error"], values[f"{prefix}_error_high"]]
        assert glued == pytest.approx(finals, rel=1e-2)
    seed_42 = next(float(row[-1]) for row in checkpoints if row[:2] == ["scimlkit", 42])
    assert values["deepxde_seed42_error"] == pytest.approx(seed_42, rel=1e-3)


def test_deepxde_sentence_reads_the_committed_benchmark(values):
    # 2026-12-07: DeepXDE's L-BFGS iteration 0.70x (0.60 to 0.71x) the toolkit's, the whole
    # training 0.80x (0.66 to 1.38x), time to the 1e-1 target 1.11x (1.05 to 1.48x); both
    # reached it with 3 of 3 seeds.
    report = committed_pinn_benchmark()
    assert values["deepxde_run"] == f"{report['date'][:10]}, on a {report['machine']['cpus']}-core CPU machine"
    ratio_row = dict(zip(report["tables"][1]["columns"], report["tables"][1]["rows"][0]))
    assert values["deepxde_lbfgs_ratio"] == pytest.approx(float(ratio_row["L-BFGS iteration"].split("x")[0]))
    assert values["deepxde_training_ratio"] == pytest.approx(float(ratio_row["training"].split("x")[0]))
    for quantity in ("lbfgs", "training"):
        assert values[f"deepxde_{quantity}_ratio_low"] <= values[f"deepxde_{quantity}_ratio"]
        assert values[f"deepxde_{quantity}_ratio"] <= values[f"deepxde_{quantity}_ratio_high"]
    assert values["deepxde_target_ratio_low"] <= values["deepxde_target_ratio"] <= values["deepxde_target_ratio_high"]
    assert values["deepxde_version"].startswith("DeepXDE ") and "PyTorch" in values["deepxde_version"]
    assert {values["deepxde_threads"], values["deepxde_toolkit_threads"]} <= {1, 2}
    assert values["deepxde_reached"] == values["deepxde_scimlkit_reached"] == "3 of 3"
    # "Both libraries reached this lecture's CPU target": every final error below 1e-1.
    assert max(values["deepxde_error_high"], values["deepxde_scimlkit_error_high"]) < 0.1


def test_deepxde_verdicts_follow_the_numbers(values):
    # The phrases are chosen in the cell from the spreads; a flipped comparison fails here.
    if values["deepxde_lbfgs_ratio_high"] < 1:
        assert values["deepxde_lbfgs_verdict"] == "cheaper in DeepXDE for every seed"
    elif values["deepxde_lbfgs_ratio_low"] > 1:
        assert values["deepxde_lbfgs_verdict"] == "dearer in DeepXDE for every seed"
    else:
        assert values["deepxde_lbfgs_verdict"].startswith("cheaper in one library")
    overlap = (max(values["deepxde_error_low"], values["deepxde_scimlkit_error_low"])
               <= min(values["deepxde_error_high"], values["deepxde_scimlkit_error_high"]))
    assert values["deepxde_error_verdict"].startswith("the two ranges overlap") == overlap


def test_page_and_benchmark_seed_42_trainings_agree_to_the_seed_spread(values):
    # The same draw trained in two processes: measured 7.8e-2 (page, 2026-12-07) against
    # 8.1e-2 (benchmark). The thread pool's rounding parts the paths already in Adam (0.225
    # against 0.407 after it), but a page trained on another configuration (other points,
    # float64, no L-BFGS) lands outside the seeds' range.
    assert values["deepxde_scimlkit_error_low"] / 2 < values["pinn_error"] < 2 * values["deepxde_scimlkit_error_high"]
    # "The two part early": the Adam checkpoints differ (a shared path would agree closely).
    assert abs(values["deepxde_seed42_adam_error"] - values["pinn_adam_error"]) > 0.1 * values["pinn_adam_error"]
