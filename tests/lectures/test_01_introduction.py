"""Lecture 1's claims, read from the executed page (``sk.glue``)."""

import math

import pytest

PAGE = "lectures/01_introduction"


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
    # The physics model's loss is at the noise level (within a factor of three)...
    assert values["intro_noise_floor"] / 3 < values["intro_physics_loss"] < 3 * values["intro_noise_floor"]
    # ...and the network's is lower still ("at least as good" by training loss).
    assert values["intro_network_loss"] <= values["intro_physics_loss"]


def test_the_physics_model_extrapolates_far_better_than_the_network(values):
    # The plateau is 10: the physics model's RMS error beyond the data stays below 0.5,
    # and the network's is at least five times larger.
    assert values["intro_physics_rms_beyond"] < 0.5
    assert values["intro_extrapolation_ratio"] >= 5
    assert values["intro_network_rms_beyond"] == pytest.approx(
        values["intro_extrapolation_ratio"] * values["intro_physics_rms_beyond"], rel=1e-9
    )


def test_automatic_and_finite_difference_gradients_agree(values):
    # Centred difference with h = 1e-6 through a solver at tolerance 1e-8: agreement to
    # better than 1e-5 relative; a wrong gradient (or a sign error) is off by order one.
    assert values["intro_gradient_relative_difference"] < 1e-5


def test_the_four_point_exercise_uses_points_before_the_inflection(values):
    assert values["intro_four_points_last_t"] == pytest.approx(4.5 * 3 / 7, rel=1e-12)
    assert values["intro_four_points_last_t"] < values["intro_t_inflection"]
