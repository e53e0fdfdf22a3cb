"""Claims of lecture 12 (training diagnostics), read from the executed page."""

PAGE = "lectures/12_training_diagnostics"


def test_architecture_claims(values):
    # "ReLU's derivative is off by N times as much"; "the narrow network ends N times higher".
    assert values["relu_slope_over_tanh"] > 2
    assert values["narrow_over_wide"] > 2


def test_unscaled_inputs_fail(values):
    assert values["raw_over_scaled"] > 10


def test_adam_then_lbfgs_beats_adam_alone(values):
    assert values["sequence_gain"] > 2


def test_cosine_schedule_beats_both_constant_rates(values):
    assert values["cosine_vs_high"] > 1
    assert values["cosine_vs_low"] > 1


def test_long_horizon_failure_and_its_remedies(values):
    # Single shooting stalls far from the truth; both remedies recover the parameters.
    assert values["single_error"] > 0.3
    assert values["grown_error"] < 0.1
    assert values["polished_error"] < 0.05
    assert values["polished_error"] < values["single_error"] / 5
    assert values["shooting_error"] < values["single_error"]
    assert values["shooting_loss_agreement"] < 1e-10
