"""Claims of lecture 13 (solvers and gradients for fitting), read from the executed page."""

PAGE = "lectures/13_solvers_and_gradients_for_fitting"


def test_gradient_methods_agree_to_1e_5(values):
    # The tolerance: all methods agree to 1e-5 relative on the same problem.
    assert values["largest_method_deviation"] < 1e-5
    assert values["scratch_toolkit_agreement"] < 1e-8


def test_unrolled_reverse_mode_needs_more_memory(values):
    assert values["direct_over_checkpointed_memory"] > 1


def test_the_scaling_study_spans_the_parameter_counts(values):
    assert values["n_params_large"] > 10 * values["n_params_small"]
    # The glued words name the method the glued ratio favours.
    assert values["faster_at_large"] in ("checkpointed reverse mode", "forward mode")
    assert values["speed_ratio_large"] >= 1
    assert values["forward_growth"] > 1


def test_the_tolerance_sets_the_gradient_error(values):
    # "a few tenths of a percent off" at 1e-4; the error falls by orders of magnitude by 1e-9.
    assert values["checkpointed_error_loose"] < 0.01
    assert values["backsolve_error_loose"] < 0.01
    assert values["error_drop"] > 1e3
