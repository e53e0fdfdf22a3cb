"""Claims of lecture 14 (surrogates), read from the executed page.

Measured values quoted in the comments are from the runs of 2026-12-07 (a 2-core machine
shared with other builds, so the timings are a few times an idle machine's); the timings
are now each the best of several rounds taken in turns. Trivial
baselines, computed on the same data: the mean of the training outputs is off by 28%
inside the box and 42% outside; an untrained network (keys 0, 1, 2) by 26-29% inside and
36-42% outside (ratio about 1.4), and as a jump classifier it puts 80-110 of the 256
held-out points and 1635-1735 of the 4096 fine points on the wrong side. Each test below
fails for them.
"""

import pytest

PAGE = "lectures/14_surrogates"

# Every spread over the keys 0, 1, 2 of a real-valued error: three different
# initialisations never land on exactly the same error, so low < high fails if one key
# were trained three times (counts of wrong answers can tie, so they are not listed).
KEY_SPREADS = (
    "held_out_error",
    "worst_error",
    "outside_error",
    "jump_error",
    "threshold_error",
    "samples_8_error",
    "samples_16_error",
    "samples_32_error",
    "samples_64_error",
    "samples_128_error",
    "samples_32_long_error",
    "field_network",
)


def test_the_three_keys_are_three_networks(values):
    # A loop over the literal tuple, not a parametrized name, so that the claims check can
    # expand the f-string into the names it reads.
    for name in KEY_SPREADS:
        low, median, high = (values[f"{name}_{label}"] for label in ("low", "median", "high"))
        assert low <= median <= high, name
        assert low < high, name


def test_surrogate_meets_the_accuracy_and_speed_targets(values):
    # The targets: held-out relative error <= 5%, >= 100x faster per query.
    assert values["n_samples"] == 256
    assert values["held_out_error"] <= 0.05
    assert values["scratch_error"] <= 0.05
    # Each timing is the best of five rounds taken in turns (a busy machine can only slow a
    # timing down). Builds of 2026-12-07 (2 shared cores, load 4-14): solver 338-933 us,
    # surrogate 0.52-1.9 us per query in a batch of 256, 490-760x; the mean of three repeats
    # used before gave 138x on a loaded run and about 1000x on a quiet one. The bound is the
    # issue's target, 5x under the lowest of these.
    assert values["speedup"] >= 100
    assert 10 < values["solver_us"] < 5000
    assert values["surrogate_us"] < 20
    assert values["speedup"] == pytest.approx(values["solver_us"] / values["surrogate_us"], rel=1e-12)


def test_one_call_pays_mostly_a_fixed_price(values):
    # One surrogate call against the whole batch of 256, each the fastest of 200 calls timed
    # alone, in turns (load 9-10 on 2 cores): 97-125 us against 165-192 us, a ratio of 0.6-0.75
    # (slicing the query inside the timed call added ~130 us). Review r14b's means of 50
    # calls gave 1.2-1.3; the page's old best of 5 means once gave 521 us against 126 us
    # (load noise), which the upper bound catches. If one call cost a batched query's share,
    # the ratio would be about 1/256 and fail the lower bound.
    ratio = values["call_over_batch"]
    assert 0.1 < ratio < 2
    n = values["n_samples"]
    if 0.67 < ratio < 1.5:
        expected = f"about as long as the whole batch of {n} ({ratio:.1f} times its time)"
    else:
        expected = f"{ratio:.1f} times as long as the whole batch of {n}"
    expected += ": what a call pays is mostly a fixed price for being dispatched, not arithmetic"
    assert values["call_verdict"] == expected


def test_one_at_a_time_the_gain_is_far_smaller(values):
    # Like with like: one unbatched solve (sk.integrate, compiled once) of the held-out
    # points with the fewest and the most steps against one surrogate call. Review r14b:
    # 173 and 1,602 us against 158 us, a gain of about 1 to 10, against ~800 batched; this
    # page (fastest of 200 calls each): 105 and 727 us against 108 us, 0.97 to 6.7x.
    # No timing is compared with another that load could reorder: the dearest solve takes
    # ten times the cheapest's steps, and the batched speed-up is ~80x the one-at-a-time gain.
    single = values["single_query_us"]
    low, high = values["one_at_a_time_low"], values["one_at_a_time_high"]
    assert low == pytest.approx(values["solve_fewest_us"] / single, rel=1e-9)
    assert high == pytest.approx(values["solve_most_us"] / single, rel=1e-9)
    assert values["full_steps_max"] > 5 * values["full_steps_min"]
    assert low < high
    assert high < values["speedup"] / 5  # "far less one query at a time"
    if low >= 1.25:
        expected = f"is only {low:.1f} to {high:.0f} times faster than one unbatched solve"
    elif low > 0.8:
        expected = f"is about as fast as the cheapest unbatched solve and {high:.0f} times faster than the dearest"
    else:
        expected = f"is slower than the cheapest unbatched solve and {high:.0f} times faster than the dearest"
    assert values["one_at_a_time_verdict"] == expected


def test_three_keys_agree(values):
    # Keys 0, 1, 2: held-out errors 0.47%, 0.43%, 0.45%; worst single points 4.0%, 4.3%, 3.4%.
    assert values["held_out_error_low"] <= values["held_out_error_median"] <= values["held_out_error_high"]
    assert values["held_out_error_low"] <= values["held_out_error"] <= values["held_out_error_high"]
    assert values["held_out_error_high"] <= 0.01  # the mean predictor and an untrained net: ~28%
    assert values["held_out_error_high"] < 2 * values["held_out_error_low"]
    assert values["worst_error_low"] <= values["worst_error_median"] <= values["worst_error_high"] < 0.2


def test_a_classical_interpolant_is_far_better_here(values):
    # SciPy's RBFInterpolator on the same 256 points in the unit box: 1.45e-4 (thin-plate)
    # and 4.5e-5 (cubic) against the networks' 4.3e-3 to 4.7e-3, so the best network is 30x
    # worse than the worse interpolant (the reviewer's check: the same numbers). An
    # interpolant only as good as the networks, or the nearest-point lookup, fails.
    assert values["rbf_thin_plate_error"] < values["nearest_baseline_error"]
    assert values["rbf_cubic_error"] < values["nearest_baseline_error"]
    assert values["network_over_rbf"] == pytest.approx(
        values["held_out_error_low"] / max(values["rbf_thin_plate_error"], values["rbf_cubic_error"]),
        rel=1e-12,
    )
    assert values["network_over_rbf"] > 10
    # The summary's "with no training" version is the same interpolant on all 256 points.
    assert values["rbf_256_error"] == pytest.approx(values["rbf_thin_plate_error"], rel=1e-9)


def test_surrogate_beats_the_trivial_predictors(values):
    # Negative controls: the mean of the training outputs is off by 28%, the nearest
    # training point by 2.2%, the networks by 0.43-0.47% (so "at least 4.7 times below").
    assert values["mean_baseline_error"] > 0.1
    assert values["nearest_baseline_error"] < values["mean_baseline_error"]
    assert values["nearest_over_network"] == pytest.approx(
        values["nearest_baseline_error"] / values["held_out_error_high"], rel=1e-12
    )
    assert values["nearest_over_network"] > 3  # an untrained network: about 0.08
    # The from-scratch network too (0.47%): an untrained or broken one would not beat 2.2%.
    assert values["nearest_baseline_error"] > 3 * values["scratch_error"]


def test_break_even_counts_the_training(values):
    # Training (after compilation, at the fastest of nine chunks' pace) cost 870-1,930 solver
    # queries in five builds (the total of one timing gave 1,756, and 5,500 on a heavily
    # loaded machine); the break-even is the training solves plus that, not the 256 alone.
    assert 260 < values["training_in_solves"] < 26_000
    assert values["training_seconds"] > 0
    expected = values["n_samples"] + values["training_in_solves"]
    assert abs(values["break_even_queries"] - expected) < 0.05 * expected
    assert values["break_even_queries"] > 2 * values["n_samples"]


def test_break_even_with_compilation(values):
    # First calls of the training step and the surrogate: 0.18-0.93 s (540-1,600 solver
    # queries) in builds with JAX's persistent cache; the reviewer measured 2.6 s for a cold
    # compile of the step at load 10. Break-even 1,130-2,190 queries without it, 1,800-2,970
    # with it. The whole break-even is 0.42-2.0 s of solving.
    assert values["compile_seconds"] > 0
    expected = values["n_samples"] + values["training_in_solves"] + values["compile_in_solves"]
    assert abs(values["break_even_with_compile"] - expected) < 0.05 * expected
    assert values["break_even_with_compile"] > values["break_even_queries"]
    # "the whole break-even is ... s of solving: no study needs a surrogate to save that"
    assert values["break_even_solver_seconds"] == pytest.approx(
        values["break_even_queries"] * values["solver_us"] * 1e-6, rel=1e-9
    )
    assert values["break_even_solver_seconds"] < 30


def test_batched_solves_run_at_the_slowest_members_steps(values):
    # Steps per held-out solve on its own: 11 to 115, 61.2 on average (deterministic:
    # fixed parameters and tolerances). The batch is stepped 115 times for all.
    assert values["full_steps_min"] < values["full_steps_mean"] < values["full_steps_max"]
    assert values["full_steps_max"] > 1.5 * values["full_steps_mean"]
    assert 80 <= values["full_steps_max"] <= 160
    ratio = values["full_steps_mean"] / values["full_steps_max"]
    assert values["speedup_own_steps"] == pytest.approx(values["speedup"] * ratio, rel=1e-9)
    assert values["speedup_own_steps"] < values["speedup"]


def test_from_scratch_and_toolkit_surrogates_agree(values):
    # sk.fit returns the parameters whose loss was lowest among those it evaluated: with the
    # loss still falling, the ones after update 999 of 1000.
    assert values["toolkit_best_step"] == 999
    # Same network, initialisation, optimizer, data and number of updates: rounding level
    # (measured 4.4e-14). One update more moves the predictions by 2.6e-7; a different
    # initialisation or schedule by 1e-3 or more.
    assert values["scratch_vs_toolkit"] < 1e-10
    assert values["one_update_apart"] > 1e3 * values["scratch_vs_toolkit"]


def test_designs_written_out_match_the_library(values):
    # Sobol from scratch against SciPy's unscrambled Sobol, point by point: the same bits
    # (measured 0.0); a wrong recurrence (m_k = 2 m_(k-1)) gives other points (a gap of
    # 0.5), plain binary order in place of the Gray code the same points in another order.
    assert values["scratch_sobol_gap"] == 0.0
    assert values["sobol_match_phrase"] == "the same numbers, bit for bit, over 256 points"
    # One point per slice on both axes for the toolkit's Latin hypercube (written out in the
    # PINN lecture); the check itself fails random points (the baseline), so it can tell.
    assert values["latin_slices_phrase"].startswith("has exactly one point")
    assert values["random_one_per_slice"] is False


def test_thin_plate_interpolant_written_out_matches_scipy(values):
    # Ours against SciPy's RBFInterpolator over the 256 held-out points: 1.3e-15 in a
    # reviewer's check. On a smooth test function of two variables, dropping the
    # polynomial block moved it by 9e-2 and the cubic kernel in place of the thin plate by
    # 2e-2, so a wrong system fails this bound by far.
    assert values["rbf_by_hand_gap"] < 1e-10


def test_batched_solves_written_out_match_the_toolkit(values):
    # vmap of sk.integrate at the same tolerances against sk.ensemble_solve over the 256
    # training rows: identical (measured 0.0); a different tolerance moves them by ~1e-7.
    assert values["ensemble_by_hand_gap"] < 1e-12
    assert values["ensemble_by_hand_phrase"] == ("exactly" if values["ensemble_by_hand_gap"] == 0.0 else
                                                f"to {values['ensemble_by_hand_gap']:.0e}")


def test_low_discrepancy_designs_are_more_uniform(values):
    # Square roots of SciPy's squared centred discrepancy, 64 points, seed 0: random 8.3e-2,
    # Latin hypercube 2.1e-2, Sobol 1.2e-2 (review r14b: random/LHS 2.2-3.9 over seeds 0-2,
    # so a ratio window alone would pass with a Latin hypercube in place of Sobol).
    random, latin, sobol = (values[f"discrepancy_{d}"] for d in ("random", "latin_hypercube", "sobol"))
    assert sobol < latin < random
    assert 2 < random / sobol < 20


def test_outside_the_box_every_key_fails(values):
    # Outside: 5.1-5.8% over the keys, each at least 11 times its error inside (an
    # untrained network: ratio about 1.4; the mean predictor: 42% against 28%, 1.5).
    assert values["outside_error_low"] <= values["outside_error_median"] <= values["outside_error_high"]
    assert values["outside_error_low"] > 0.02
    assert values["outside_ratio_low"] > 3
    assert (
        values["outside_error_low"] / values["held_out_error_high"]
        <= values["outside_ratio_low"]
        <= values["outside_error_high"] / values["held_out_error_low"]
    )


def test_outside_the_error_grows_with_the_distance_from_the_box(values):
    # The worst of the three keys' errors in each band of r (4-4.5, 4.5-5, 5-5.5, 5.5-6):
    # 1.8%, 3.4%, 6.0%, 8.7% (key 0 in every band in review r14b's run, not enforced: the
    # page says "the worst of the three networks in each band"). The mean predictor's bands: 36%, 39%, 44%, 46% (growing, but 1.3x, not 3x, and
    # far over 5% at the edge); an untrained network's outside error is 36-42%.
    bands = [values[f"outside_band_{band}"] for band in range(4)]
    assert all(near < far for near, far in zip(bands, bands[1:]))
    assert bands[-1] > 3 * bands[0]
    assert bands[0] > values["held_out_error_high"]
    # "Even just past the edge that is N times the worst error inside" (measured 3.8).
    assert values["band_0_over_inside"] == pytest.approx(bands[0] / values["held_out_error_high"], rel=1e-9)
    assert values["band_0_over_inside"] > 1.5


def test_the_jump_is_blurred_and_the_lookup_ties_on_256_points(values):
    # Relative errors 15.9-16.5% (keys), 16.5% for the nearest training point's answer;
    # wrong side of 0.5: 3, 3, 4 of 256 for the networks, 3 for the lookup.
    assert values["jump_error_low"] <= values["jump_error_median"] <= values["jump_error_high"]
    assert values["jump_error_low"] > 5 * values["held_out_error_high"]
    assert values["jump_wrong_low"] <= values["jump_wrong_median"] <= values["jump_wrong_high"]
    assert 1 <= values["jump_wrong_low"] and values["jump_wrong_high"] <= 10  # untrained: 80-110
    # "copying the nearest training point's answer does as well on these points"
    assert values["nearest_jump_wrong"] <= values["jump_wrong_high"]
    assert values["nearest_jump_error"] < 1.1 * values["jump_error_high"]
    # The error sits in the band: 48 of 256 held-out points near an opposite-labelled
    # training point carry 98% of the squared error; spread evenly they would carry ~19%.
    assert values["jump_band_points"] < 0.3 * values["n_samples"]
    assert values["jump_band_share"] > 0.8
    assert values["jump_band_share"] > 3 * values["jump_band_points"] / values["n_samples"]


def test_on_4096_points_the_network_beats_the_lookup(values):
    # Wrong side of 0.5 among 4096: lookup 73, networks 38-42 (an untrained network
    # 1635-1735). A network no better than the lookup would give a ratio near 1.
    assert values["n_fine"] == 4096
    assert values["fine_jump_wrong_low"] <= values["fine_jump_wrong_median"] <= values["fine_jump_wrong_high"]
    assert values["fine_jump_wrong_high"] < 0.02 * values["n_fine"]
    assert values["fine_nearest_wrong"] < 0.05 * values["n_fine"]
    assert values["fine_nearest_over_network"] == pytest.approx(
        values["fine_nearest_wrong"] / values["fine_jump_wrong_high"], rel=1e-12
    )
    assert values["fine_nearest_over_network"] > 1.3  # measured 1.74


def test_pod_galerkin_from_scratch_and_toolkit(values):
    # The reduced field is the projected full field on the span of the modes, and the
    # toolkit's field gives the same rates: rounding level (a missing V^T gives O(1)).
    assert values["galerkin_projection_check"] < 1e-10
    assert values["galerkin_scratch_vs_toolkit"] < 1e-10
    # The verdict printed on the page follows the value (0.0 in every run so far).
    if values["galerkin_scratch_vs_toolkit"] == 0:
        assert values["galerkin_toolkit_verdict"] == "are identical to ours"
    else:
        assert values["galerkin_toolkit_verdict"].startswith("differ by")


def test_pod_model_is_accurate_inside_the_box(values):
    # Measured 1.55%; it must beat looking up the nearest training point (2.2%).
    assert values["pod_error"] < 0.05
    assert values["pod_error"] < values["nearest_baseline_error"]
    assert values["pod_energy"] < 5e-5  # measured 4.7e-6
    # "the network ... is N times faster still"
    assert values["pod_speedup"] < values["speedup"]
    assert values["network_over_pod"] > 3


def test_pod_speedup_comes_from_fewer_steps(values):
    # Deterministic: the slowest full solve takes 115 steps, the slowest reduced one 25
    # (4.6 times fewer); the full model's steps follow D (correlation 0.999), not r (0.01),
    # and the eight modes' fastest diffusion rate is 13.9 times slower than the grid's.
    assert values["reduced_steps_max"] < values["full_steps_max"] / 3
    assert values["steps_ratio"] == pytest.approx(
        values["full_steps_max"] / values["reduced_steps_max"], rel=1e-12
    )
    assert values["steps_follow_d"] > 0.95
    assert abs(values["steps_follow_r"]) < 0.2
    assert values["fastest_rate_ratio"] > 5
    # From timings (POD and the solver now timed in turns, best of five): the speed-up per
    # step was 2.5, 1.4, 0.8, 4.1 and 3.2 in five builds on 2 cores at load 4-14 (1.0 and 1.8
    # in earlier runs), under the 4.6 of the step count each time, but 4.1 is close: the
    # sentence's verdict is chosen in the cell, and the test holds it to the numbers.
    assert values["per_step_ratio"] == pytest.approx(values["pod_speedup"] / values["steps_ratio"], rel=1e-9)
    # Review r14b: per step 3.94 against 4.6 steps, within noise of each other, hence the
    # "about equally" wording within 25%.
    balance = values["per_step_ratio"] / values["steps_ratio"]
    if 0.8 < balance < 1.25:
        assert values["pod_source_verdict"] == "about equally from taking fewer steps and from cheaper ones"
    elif balance <= 0.8:
        assert values["pod_source_verdict"] == "more from taking fewer steps than from cheaper ones"
    else:
        assert values["pod_source_verdict"] == "more from cheaper steps than from fewer ones"
    assert values["per_step_ratio"] < 8  # "not eight times cheaper"
    if 0.8 < values["per_step_ratio"] < 1.25:
        assert values["per_step_verdict"] == "about as much as"
    else:
        assert values["per_step_verdict"] == f"{values['per_step_ratio']:.1f} times"
    # The reduced steps are not set by one stiff mode: they follow r about as much as D
    # (correlations 0.63 with r and 0.75 with D), where the full model's follow D alone
    # (0.999 and 0.01). The per-step ratio, from timings: 1.4 and 2.5 in two builds.
    assert values["reduced_steps_follow_r"] > 0.3
    assert values["reduced_steps_follow_d"] > 0.3
    assert values["reduced_steps_follow_r"] > values["steps_follow_r"] + 0.3


def test_pod_fails_outside_the_box_too(values):
    # Outside the box some reduced solves exhaust max_steps and the rest are no better
    # than the networks; the snapshots there leave the span of the modes.
    assert values["pod_outside_failed"] >= 1
    # Measured: 44% (POD, 3 of 256 solves failed) against at most 5.7% (worst of the three
    # networks); projection errors 2.2e-2 outside, 2.0e-3 inside.
    assert values["pod_outside_error"] > 2 * values["outside_error_finished"]
    # The norm is dominated by a few near-blow-ups (2 points over 100%, the worst 971%); the
    # typical point (median 5.9%) is still no better than the networks' (median at most 2.8%).
    assert 1 <= values["pod_outside_blowups"] <= 10
    assert values["pod_outside_worst"] > 1
    assert values["pod_outside_median"] < 0.5 * values["pod_outside_error"]
    assert values["pod_outside_median"] > values["network_outside_median"]
    assert values["projection_outside"] > 5 * values["projection_inside"]


def test_exercise_solves_for_one_percent(values):
    # Every key under 1% from 16 solves on (16: 0.70-0.71%; 8: 0.89-1.29%, median 1.25%).
    # Thin-plate interpolant on the same prefixes: 3.0%, 0.50%, 0.35%, 0.17%, 0.098%, and
    # 0.015% on all 256: worse than every network at 8 solves, better than every one at 16.
    n = values["solves_for_one_percent"]
    assert n in (8, 16, 32, 64, 128)
    assert values[f"samples_{n}_error_high"] < 0.01
    smaller = [m for m in (8, 16, 32, 64, 128) if m < n]
    assert all(values[f"samples_{m}_error_high"] >= 0.01 for m in smaller)
    assert n <= 32  # "a few dozen solves" suffice for 1%
    # The interpolant keeps gaining from the data where the network stalls.
    assert values["rbf_8_error"] > values["rbf_32_error"] > values["rbf_128_error"] > values["rbf_256_error"]
    assert values["rbf_32_error"] > 5 * values["rbf_256_error"]
    # "with 8 solves (where every network does better), ... with 16 (where none does)"
    assert values["rbf_8_error"] > values["samples_8_error_high"]
    assert values["rbf_16_error"] < values["samples_16_error_low"]


def test_optional_field_surrogate(values):
    # u(T, .) over the held-out set: networks for the 8 POD coefficients (keys 0, 1, 2)
    # 1.45%, 1.24%, 1.38% (review r14b), POD-Galerkin 2.30%, the projection onto the modes
    # (a floor for both) 0.29%, the thin-plate interpolant of all 64 values 0.07%. A
    # mean-field predictor is off by 28%; an untrained coefficient network by tens of percent.
    low, high = values["field_network_low"], values["field_network_high"]
    assert values["field_projection"] < low <= high < values["field_galerkin"]
    assert values["field_interpolant"] < low
    assert high < 0.05


def test_exercise_more_solves_stop_helping_beyond_a_few_dozen(values):
    # Medians over the keys 0.52%, 0.46%, 0.46% for 32, 64, 128 solves (each key under
    # 0.55%); if data were the limit, four times the solves would cut the error several times.
    for n in (32, 64, 128):
        low, median, high = (values[f"samples_{n}_error_{label}"] for label in ("low", "median", "high"))
        assert low <= median <= high < 0.01
    assert values["samples_128_error_median"] > 0.5 * values["samples_32_error_median"]
    # The optimiser's budget is the limit: 4000 steps on the same 32 solves give 0.10-0.15%
    # against 0.50-0.55% after 1000; if data were the limit, more steps would not help.
    long_low, long_median, long_high = (
        values[f"samples_32_long_error_{label}"] for label in ("low", "median", "high")
    )
    assert long_low <= long_median <= long_high < 0.5 * values["samples_32_error_low"]


def test_exercise_thresholding_beats_the_jump_network_on_4096_points(values):
    # On 256 points: 0-1 wrong for the thresholded networks against 3-4: too few to rank.
    assert values["threshold_wrong_low"] <= values["threshold_wrong_median"] <= values["threshold_wrong_high"]
    assert values["threshold_wrong_high"] <= 10
    # On 4096: thresholded 15-19 against 38-42 (jump networks) and 73 (lookup); an untrained
    # network would put about 1700 on the wrong side.
    low, median, high = (values[f"fine_threshold_wrong_{label}"] for label in ("low", "median", "high"))
    assert low <= median <= high < 0.01 * values["n_fine"]
    assert values["fine_jump_over_threshold"] == pytest.approx(
        values["fine_jump_wrong_low"] / values["fine_threshold_wrong_high"], rel=1e-12
    )
    assert values["fine_jump_over_threshold"] > 1.5  # measured 2.0
