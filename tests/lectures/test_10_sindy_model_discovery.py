"""Claims of lecture 10 (SINDy), read from the executed page."""

import pytest

PAGE = "lectures/10_sindy_model_discovery"


def test_scratch_and_toolkit_stlsq_agree(values):
    assert values["stlsq_agreement"] < 1e-9


def test_noise_free_lorenz_gives_exactly_the_seven_true_terms_within_one_percent(values):
    assert values["lorenz_terms"] == 7
    assert values["lorenz_right_terms"] is True
    assert values["lorenz_error"] < 0.01


def test_found_lorenz_model_follows_the_data_for_a_while(values):
    # "reproduces the data until t ~ ..." : chaos separates them, but not at once.
    assert 1.0 < values["lorenz_divergence_time"] < 10.0


def test_threshold_sweep_has_a_plateau_of_seven_terms_around_the_chosen_threshold(values):
    assert values["threshold_terms_smallest"] > 7
    assert values["threshold_seven_low"] <= 0.1 <= values["threshold_seven_high"]
    assert values["threshold_seven_high"] / values["threshold_seven_low"] > 10  # "wide"


def test_smoothing_states_and_derivative_beats_finite_differences_on_noisy_data(values):
    assert values["noisy_both_error"] < values["noisy_fd_error"]
    assert values["noisy_both_error"] < values["noisy_sg_error"]
    derivative_only_helps = values["noisy_sg_error"] < values["noisy_fd_error"]
    assert values["noisy_derivative_only_words"] == ("helps a little" if derivative_only_helps else "does not help")


def test_trigonometric_library_recovers_the_pendulum_exactly(values):
    assert values["pendulum_trig_equation"] == "ω' = -1.00 sin(θ)"


def test_ude_plus_sindy_recovers_the_two_interaction_terms_within_ten_percent(values):
    assert values["ude_only_xy"] is True
    assert values["ude_beta"] == pytest.approx(0.9, rel=0.10)
    assert values["ude_gamma"] == pytest.approx(0.8, rel=0.10)
    assert values["ude_beta_error"] < 0.10 and values["ude_gamma_error"] < 0.10


def test_recovered_equations_extrapolate_better_than_the_network(values):
    assert values["extrapolation_recovered"] < values["extrapolation_network"]
    assert values["extrapolation_recovered"] < 1.0
