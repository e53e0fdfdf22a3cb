"""Lecture 3's claims, read from the executed page (``sk.glue``)."""

PAGE = "lectures/03_jax_for_sciml"


def test_the_page_ran_with_the_locked_versions(values):
    assert values["jax_versions_match_lock"] is True


def test_grad_matches_the_hand_derivative_to_rounding(values):
    # A derivative of size ~0.08: 0 measured, rounding allows ~1e-17; a wrong sign or term
    # is off by order 0.1.
    assert values["grad_vs_hand"] < 1e-14


def test_sk_solve_is_the_written_out_call(values):
    # Same solver, tolerances and first step: identical numbers.
    assert values["lv_solve_vs_toolkit"] < 1e-14


def test_sk_fit_takes_the_same_steps_as_the_hand_written_loop(values):
    # Same network, optimizer and data: the 2000 losses agree to rounding accumulated
    # over the run; a different update rule or a skipped step would differ at order one.
    assert values["fit_vs_scratch_loop"] < 1e-10
    assert values["regression_loss_drop"] > 2000  # 26000 measured; an untrained network: 1


def test_lbfgs_recovers_the_parameters_from_noise_free_data(values):
    # The data come from Dopri8 at 1e-12, the model is Tsit5 at 1e-8: they differ by the
    # model solver's error (not 1e-15, as data made by the model's own solver would).
    # 3.9e-7 measured.
    assert 4e-8 < values["lv_data_solver_difference"] < 4e-6
    # The fit is limited by that solver error (1.0e-8 measured): far inside the 1% a noisy
    # fit allows, and not at the rounding level an inverse crime would reach.
    assert 1e-9 < values["lv_fit_relative_error"] < 1e-7
    assert values["lv_fit_converged_at"] < 40
    # "The fitted parameters reach a loss below the true ones'": the optimizer found the
    # minimum of the numerical model (4.9e-16 against 6.0e-15 measured); the guess's loss,
    # or a fit stopped early, is orders of magnitude above the truth's.
    assert 0 < values["lv_fit_loss"] < values["lv_loss_at_truth"]
    assert values["lv_loss_at_truth"] > 1e-18  # the solver's error (squared), not rounding


def test_noisy_data_move_the_parameters_by_percents(values):
    # 5% noise (of each state's mean) on 101 points: the parameters move by a few percent,
    # far more than the noise-free fit's error and far less than the guess's 40%.
    assert 1e-3 < values["noisy_fit_relative_error"] < 0.1


def test_relu_kinks_cost_the_solver_rejected_steps(values):
    # 38 rejected steps with ReLU, 0 with softplus at tolerance 1e-10: the kinks, not the
    # field's size, cost the steps (equal activations would give equal counts).
    assert values["relu_rejected_steps"] >= values["softplus_rejected_steps"] + 10
    assert values["softplus_rejected_steps"] <= 5


def test_the_trial_solution_by_hand_is_the_toolkit_one(values):
    assert values["trial_scratch_vs_toolkit"] < 1e-12


def test_the_trained_trial_solution_solves_the_ode(values):
    # Max error over 501 points against 1 + sin(2 pi t) / (2 pi); an untrained or
    # wrongly differentiated network is off by 0.1 or more.
    assert values["trial_max_error"] < 1e-3
    # L-BFGS "polishes" Adam's loss: 1.9e-6 after 4.0e-5 measured (a factor of 20); an
    # L-BFGS stage that barely moved would stay near Adam's value.
    assert values["trial_lbfgs_loss"] < 0.2 * values["trial_adam_loss"]


def test_the_network_derivative_agrees_with_a_centred_difference(values):
    # h = 1e-3: truncation h^2/6 |u'''| ~ 7e-6 (6.6e-6 measured); a wrong derivative
    # (a missing chain-rule factor, a sign) would be off by order one.
    assert 1e-6 < values["trial_fd_difference"] < 2e-5


def test_a_classical_solver_is_far_cheaper_than_the_trial_solution(values):
    # Tsit5 at 1e-6: about a hundred evaluations and an error below the network's.
    assert values["classical_evaluations"] < 500
    assert values["classical_max_error"] < values["trial_max_error"]
    # 1800 optimizer steps (1500 Adam + 300 L-BFGS) at 64 collocation points each.
    assert values["trial_network_evaluations"] == 1800 * 64
    assert values["trial_network_evaluations"] > 100 * values["classical_evaluations"]
