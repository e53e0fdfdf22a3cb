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


def test_solver_choice_sets_the_cost_of_the_gradient(values):
    solvers = ("Heun", "Tsit5", "Kvaerno5")
    # The same gradient from each solver at tolerance 1e-6: all close to the 1e-12 reference.
    for name in solvers:
        assert 0 < values[f"{name.lower()}_gradient_error"] < 1e-3
    # "a low order pays in steps": Heun (order 2) needs many times Tsit5's (order 5) steps.
    assert values["heun_over_tsit5_steps"] > 10
    assert values["heun_steps"] > 10 * values["tsit5_steps"]
    # "an implicit method pays on every step": Kvaerno5's gradient costs more than Tsit5's.
    assert values["kvaerno5_over_tsit5_time"] > 1
    # The glued names are the solvers the measured times and errors rank first and second.
    assert values["fastest_solver"] in solvers
    assert values["runner_up_solver"] in solvers
    assert values["runner_up_solver"] != values["fastest_solver"]
    assert values["fastest_margin"] >= 1
    assert values["most_accurate_solver"] in solvers
