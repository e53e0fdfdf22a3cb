"""Lecture 2's claims, read from the executed page (``sk.glue``)."""

PAGE = "lectures/02_jax_for_sciml"


def test_the_page_ran_with_the_locked_versions(values):
    assert values["jax_versions_match_lock"] is True


def test_sk_fit_takes_the_same_steps_as_the_hand_written_loop(values):
    # Same network, optimizer and data: the 2000 losses agree to rounding accumulated
    # over the run; a different update rule or a skipped step would differ at order one.
    assert values["fit_vs_scratch_loop"] < 1e-6
    assert values["regression_loss_drop"] > 100


def test_lbfgs_recovers_the_parameters_from_noise_free_data(values):
    # Noise-free data and a solver at 1e-8: the fit is exact to solver accuracy, far
    # inside the 1% a noisy fit would allow.
    assert values["lv_fit_relative_error"] < 1e-6
    assert values["lv_fit_converged_at"] < 40


def test_a_failed_solve_becomes_an_infinite_loss(values):
    assert values["failed_solve_loss_is_inf"] is True


def test_the_gradient_is_as_accurate_as_the_tolerance_allows(values):
    # Six orders of magnitude of tolerance buy at least four of gradient accuracy.
    assert values["gradient_error_tol_1e9"] < 1e-4 * values["gradient_error_tol_1e3"]
    assert values["gradient_error_tol_1e9"] < 1e-5


def test_relu_kinks_cost_the_solver_rejected_steps(values):
    assert values["relu_rejected_steps"] > values["softplus_rejected_steps"]


def test_the_trial_solution_by_hand_is_the_toolkit_one(values):
    assert values["trial_scratch_vs_toolkit"] < 1e-12


def test_the_trained_trial_solution_solves_the_ode(values):
    # Max error over 501 points against 1 + sin(2 pi t) / (2 pi); an untrained or
    # wrongly differentiated network is off by 0.1 or more.
    assert values["trial_max_error"] < 1e-3
    assert values["trial_lbfgs_loss"] < values["trial_adam_loss"]
