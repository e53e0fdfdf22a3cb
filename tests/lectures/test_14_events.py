"""Claims of lecture 14 (events), read from the executed page."""

PAGE = "lectures/14_events"


def test_event_times_match_the_closed_form(values):
    # The tolerance: event times within 1e-8 s of the analytic impact times.
    assert values["scratch_event_error"] < 1e-8
    assert values["toolkit_event_error"] < 1e-8
    assert values["toolkit_scratch_difference"] < 1e-10


def test_event_time_derivative_matches_the_analytic_one(values):
    assert values["impact_derivative_error"] < 1e-8


def test_doses_are_exact_to_solver_tolerance(values):
    assert values["dose_error"] < 1e-6


def test_the_hybrid_model_learns_from_impact_times(values):
    assert values["hybrid_loss_drop"] > 10
    # "N times better" than the drag-free model at the held-out height.
    assert values["hybrid_gain"] > 2
    assert values["hybrid_test_error"] < values["nodrag_test_error"]
