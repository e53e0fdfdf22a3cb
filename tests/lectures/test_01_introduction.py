"""Lecture 1's claims, read from the executed page (``sk.glue``)."""

import math

import pytest

PAGE = "lectures/01_introduction"


def test_the_solver_call_written_out_is_sk_solve(values):
    # The same diffrax call (Tsit5, tolerances 1e-8): identical to rounding; another
    # solver or tolerance would differ by 1e-9 or more.
    assert values["intro_solve_by_hand_vs_toolkit"] < 1e-14


def test_the_noise_is_five_percent_of_each_value(values):
    # Eight draws of a 5% relative error: their sample standard deviation lies within
    # a factor of two of 5% (a noise model scaled by the mean |u| gives ~25-30%).
    assert 0.025 < values["intro_noise_sd"] < 0.1


def test_points_past_the_inflection_point_are_counted_from_its_formula(values):
    assert values["intro_t_inflection"] == pytest.approx(math.log(19) / 0.8, rel=1e-12)
    # t_i = 4.5 i / 7: the last two (3.86 and 4.5) lie past t* = 3.68.
    assert values["intro_points_past_inflection"] == 2


def test_the_physics_model_recovers_both_constants(values):
    # Eight points with 5% noise: r within 5% and K, never observed, within 10%.
    assert values["intro_fitted_r"] == pytest.approx(0.8, rel=0.05)
    assert values["intro_fitted_K"] == pytest.approx(10.0, rel=0.10)


def test_training_losses_are_as_the_prose_says(values):
    # The physics model's loss is at the noise level: a two-parameter least-squares fit
    # leaves between half and all of the noise's mean square (fitting the noise would go
    # lower, missing the signal higher)...
    # (0.59 of it measured.)
    assert 0.4 * values["intro_noise_floor"] < values["intro_physics_loss"] < 1.2 * values["intro_noise_floor"]
    # ...and the network's is lower still ("at least as good" by training loss).
    assert values["intro_network_loss"] <= values["intro_physics_loss"]
    # MLP(1 -> 32 -> 32 -> 1): 64 + 1056 + 33 weights.
    assert values["intro_network_weights"] == 1153


def test_both_models_are_close_to_the_truth_where_there_are_data(values):
    # RMS errors on [0, 4.5], where the population runs from 0.5 to 6.6; a model that
    # missed the data (an untrained network) would be off by several units.
    # 0.074 and 0.138 measured.
    assert values["intro_physics_rms_seen"] < 0.2
    assert values["intro_network_rms_seen"] < 0.5


def test_the_physics_model_extrapolates_far_better_than_the_network(values):
    # The plateau is 10: the physics model's RMS error beyond the data stays below 0.5,
    # and the network's is at least five times larger.
    assert values["intro_physics_rms_beyond"] < 0.5
    assert values["intro_extrapolation_ratio"] >= 5
    assert values["intro_network_rms_beyond"] == pytest.approx(
        values["intro_extrapolation_ratio"] * values["intro_physics_rms_beyond"], rel=1e-9
    )


def test_automatic_and_finite_difference_gradients_agree(values):
    # Centred difference with h = 1e-6 through a solver at tolerance 1e-8: 7e-8 relative
    # (the adaptive-step floor of the exercise); a wrong gradient or a sign error is off
    # by order one.
    assert values["intro_gradient_relative_difference"] < 1e-6


def test_the_four_point_exercise_uses_points_before_the_inflection(values):
    assert values["intro_four_points_last_t"] == pytest.approx(4.5 * 3 / 7, rel=1e-12)
    assert values["intro_four_points_last_t"] < values["intro_t_inflection"]


def test_four_points_leave_K_undetermined_where_eight_fix_it(values):
    # From K = 5 and from K = 20 the four-point fits end 0.37 apart after 400 steps; the
    # eight-point fits (the control) end 2e-6 apart, so the flat valley is the data's
    # doing, not the optimizer's.
    assert values["intro_four_points_K_spread"] == pytest.approx(
        abs(values["intro_four_points_K_from_20"] - values["intro_four_points_K_from_5"]), rel=1e-12
    )
    assert values["intro_four_points_K_spread"] > 0.04
    assert values["intro_eight_points_K_spread"] < 2e-5
    assert values["intro_four_points_K_spread"] > 1000 * values["intro_eight_points_K_spread"]
    # Both four-point fits put the plateau near half the true K = 10 (4.90 and 5.28).
    for start in (5, 20):
        assert 3.5 < values[f"intro_four_points_K_from_{start}"] < 7
    # The network refitted on four points misses the plateau by more than the physics
    # model fitted on eight does (0.5 bound above).
    assert values["intro_four_points_network_rms"] > 1


def test_the_finite_difference_floor_is_the_adaptive_steps(values):
    # Error ~3e-7 flat for h = 1e-4 ... 1e-8 (a constant step brings it to ~1e-9, a wrong
    # gradient would leave an order-one error); truncation at h = 1e-2 and rounding at
    # h = 1e-12 are each far above the floor.
    assert 3e-8 < values["intro_fd_best_error"] < 3e-6
    assert values["intro_fd_floor_spread"] < 3
    assert values["intro_fd_best_h"] in (1e-4, 1e-6, 1e-8, 1e-10)
    assert values["intro_fd_error_h2"] > 10 * values["intro_fd_best_error"]
    assert values["intro_fd_error_h12"] > 10 * values["intro_fd_best_error"]
