"""Claims of lecture 12 (training diagnostics), read from the executed page."""

PAGE = "lectures/12_training_diagnostics"


def test_architecture_claims(values):
    # "ReLU's derivative is off by N times as much"; "the narrow network ends N times higher".
    assert values["relu_slope_over_tanh"] > 2
    assert values["narrow_over_wide"] > 2


def test_unscaled_inputs_fail(values):
    # Measured 6.6e4: saturated tanh units barely train.
    assert values["raw_over_scaled"] > 1000


def test_adam_then_lbfgs_beats_adam_alone(values):
    assert values["sequence_gain"] > 2


def test_cosine_schedule_beats_both_constant_rates(values):
    assert values["cosine_vs_high"] > 5  # measured 56: the constant high rate bounces
    assert values["cosine_vs_low"] > 1


def test_long_horizon_failure_and_its_remedies(values):
    # Single shooting stalls far from the truth, at a loss far above the noise-free data's 0.
    assert values["single_error"] > 0.3
    assert values["single_loss"] > 0.1
    assert values["grown_error"] < 0.1
    # Negative control: from the same start, multiple shooting alone beats single shooting
    # (14% against 104%) but only the polish brings it to 0.3%.
    assert values["shooting_error"] < values["single_error"] / 2
    assert 0.05 < values["shooting_error"] < 0.5
    assert values["polished_error"] < 0.01
    assert values["polished_error"] < values["shooting_error"] / 10
    assert values["shooting_loss_agreement"] < 1e-10


def test_stiffness_during_training_and_the_implicit_remedy(values):
    # Both solvers fit the true rate (200); the explicit solver's cost per loss grew more
    # than tenfold as the rate rose, and the implicit one needed several times fewer steps.
    assert values["true_rate"] == 200.0
    assert values["explicit_rate_error"] < 0.02
    assert values["implicit_rate_error"] < 0.02
    assert values["explicit_steps_end"] > 10 * values["explicit_steps_start"]
    assert values["explicit_over_implicit_steps"] > 4
    assert values["implicit_steps_end"] * 4 < values["explicit_steps_end"]
    # The glued word names the direction of the measured time ratio.
    faster = values["explicit_over_implicit_time"] > 1
    assert values["implicit_speed_word"] == ("faster" if faster else "slower")
    assert values["implicit_speed"] >= 1


def test_loose_tolerance_stalls_the_fit_and_tight_fixes_it(values):
    # At 1e-3 the fit stays far below the true rate; the loose gradient points the wrong
    # way and is off by orders of magnitude, while 1e-6 agrees with the 1e-10 reference.
    assert values["loose_rate"] < values["true_rate"] / 2
    assert values["loose_rate_end"] < values["true_rate"] / 2
    assert values["loose_gradient"] * values["reference_gradient"] < 0
    assert values["loose_direction"] == "the wrong way"
    assert values["loose_gradient_error"] > 70  # measured 705
    assert values["tight_gradient_error"] < 1e-4  # measured 1.2e-5


def test_exploding_solve_stops_adam_and_lbfgs_backs_off(values):
    # Adam overshot to a negative crowding, whose solve hit max_steps and blew up before t = 10.
    assert values["blowup_crowding"] < 0
    assert values["blowup_max_steps"] is True
    assert values["blowup_last_finite_time"] < 10
    # Adam's second step is the first with b < 0; the third loss evaluation is infinite.
    assert values["blowup_first_negative_step"] == 2
    assert values["blowup_steps"] == 2
    # Clipping the gradient does not save Adam: it stops after as few steps.
    assert values["clipped_blowup_steps"] <= values["blowup_steps"] + 1
    # L-BFGS met failed (infinite) trial losses, backed off, and converged.
    assert values["lbfgs_failed_trials"] >= 1
    assert values["lbfgs_largest_failed_crowding"] < 0  # "trial points had b < 0 and failed"
    assert values["lbfgs_crowding_error"] < 1e-6  # measured 2.9e-8
