"""Claims of lecture 11 (parameter estimation and sensitivity), read from the executed page."""

PAGE = "lectures/11_parameter_estimation"


def test_from_scratch_losses_agree_with_the_toolkit(values):
    # Rounding (measured 0 and 9e-15); a misplaced window or gap term changes the loss by O(1).
    assert values["loss_agreement"] < 1e-12
    assert values["shooting_agreement"] < 1e-12


def test_single_shooting_landscape_has_local_minima_that_multiple_shooting_removes(values):
    assert values["single_minima"] >= 2
    assert values["shooting_minima"] < values["single_minima"]


def test_multiple_shooting_recovers_parameters_where_single_shooting_fails(values):
    assert values["single_fit_error"] > 0.3  # "ends in a wrong valley"
    assert values["shooting_fit_error"] < 0.1


def test_fisher_information_by_hand_is_the_toolkits(values):
    # The same sum in another order: float64 rounding (relative ~1e-16). Forgetting the
    # noise scaling or one species changes it by O(1).
    assert values["fisher_agreement"] < 1e-12


def test_fisher_standard_errors_cover_the_true_values(values):
    assert values["largest_z"] < 3.0


def test_short_partial_design_is_practically_non_identifiable(values):
    # Measured 1.2e6 against 1.1e3, and a standard error 49 times the parameter.
    assert values["condition_short"] > 100 * values["condition_full"]
    assert values["short_worst_relative_se"] > 5.0


def test_sensitivity_equations_reproduce_forward_ad_step_by_step(values):
    # Same steps (error control on y alone): rounding, measured 6e-16. A wrong sign or a
    # missing f_p term gives O(1).
    assert values["sensitivity_equations_agreement"] < 1e-12
    # Error control on y and S takes more steps and agrees only to the tolerance (measured
    # 2e-9 at rtol = atol = 1e-10): tolerance level, far above rounding.
    assert values["sensitivity_steps_both"] > values["sensitivity_steps_y_only"]
    assert 100 < values["sensitivity_steps_y_only"] < 200  # measured 141
    assert 1e-11 < values["sensitivity_both_controlled_agreement"] < 1e-7
    assert values["sensitivity_both_controlled_agreement"] > 1e3 * values["sensitivity_equations_agreement"]


def test_forward_ad_sensitivities_match_finite_differences(values):
    # Central differences with step 1e-6 on 1e-12-tolerance solves: measured 3.7e-9, about
    # half of it the AD solve's own tolerance (rtol 1e-10; the page says so). A wrong sign
    # or a swapped parameter gives O(1).
    assert values["sensitivity_fd_difference"] < 5e-8
    assert values["beta_sensitivity_pattern"] is True


def test_fit_leaves_only_the_noise(values):
    # Best loss over the mean noise variance: 82 residuals, 4 fitted rates, so about
    # chi^2_78 / 82 (mean 0.95, spread about 0.18 with the two noise levels; measured
    # 1.05). A fit stuck away from the minimum leaves a systematic misfit (the starting
    # guess gives ~500); 4 rates cannot fit the noise away. Bounds: about two spreads.
    assert 0.7 < values["fit_loss_over_noise"] < 1.4


def test_sobol_estimators_within_0_02_of_ishigami_and_agree(values):
    assert values["ishigami_scratch_error"] < 0.02
    assert values["ishigami_toolkit_error"] < 0.02
    assert values["sobol_scratch_agreement"] < 1e-12


def test_salib_gives_the_from_scratch_indices_on_the_same_runs(values):
    # Same estimators on the same numbers: rounding. Runs in the wrong row order (A and B
    # swapped, or AB blocks shifted) give differences of order 0.1.
    assert values["salib_agreement"] < 1e-12


def test_sir_sensitivity_study(values):
    # The peak depends on the rates through R0 = beta / gamma (exercise), and gamma's range
    # (a factor of 4) moves R0 more than beta's (a factor of 3): total indices measured
    # 0.607 (gamma) and 0.395 (beta). The exercise's text says gamma had the largest.
    assert values["sir_most_important"] == "gamma"
    assert 0.45 < values["sir_gamma_total"] < 0.75
    assert values["sir_least_important"] == "I0"
    assert values["sir_least_total"] < 0.01  # "could be fixed at any value in its range"; measured 0.0012
    assert values["sir_interaction_share"] < 0.02  # "almost additively"; measured 0.003


def test_peak_depends_on_the_rates_through_r0(values):
    # Measured 0.998 and 2e-5; were the peak to depend on gamma apart from R0, its total
    # index would be of order 0.1.
    assert values["r0_first"] > 0.99
    assert values["r0_gamma_total"] < 1e-3


def test_lbfgs_fit_has_converged_within_its_budget(values):
    # "reaches its lowest loss at step n of 40" must mean the loss stopped improving.
    assert values["fit_best_step"] < 40
    assert values["fit_last_ten_steps_gain"] < 1e-10  # measured 2.7e-13: rounding


def test_gradient_by_sensitivities_and_by_the_adjoint(values):
    # Forward and checkpointed reverse differentiate the same steps: rounding (measured
    # 2e-15 in a trial). Backsolve solves a separate adjoint ODE at rtol = atol = 1e-8:
    # tolerance level (about 1e-7), far from rounding; a wrong sign or term gives O(1).
    assert values["forward_reverse_gradient_agreement"] < 1e-12
    assert 1e-12 < values["backsolve_gradient_agreement"] < 1e-5
    assert (values["adjoint_params_small"], values["adjoint_params_large"]) == (12, 322)


def test_forward_gradient_cost_follows_the_parameters_and_the_adjoints_does_not(values):
    # In loss evaluations, fastest of five wall-clock timings. Measured on a quiet run:
    # forward 16.6 -> 98.5, checkpointed reverse 12.5 -> 17.7, backsolve 5.8 -> 18.3 from
    # 12 to 322 parameters; on a heavily loaded machine one run gave forward 58.8 -> 98.2
    # and backsolve 23.6 -> 5.3. Timings that noisy bound only what the page says: forward
    # mode's cost grows with the parameters, at 322 parameters reverse mode is the cheaper
    # one by a margin that widens, and at a dozen forward mode is not the cheapest but of
    # the same order. Swapped labels, or one width's timings used for both, fail these.
    assert values["forward_cost_large"] > values["forward_cost_small"]
    assert values["forward_cost_large"] > values["reverse_cost_large"]
    assert values["forward_cost_large"] > values["backsolve_cost_large"]  # the adjoint solve is reverse mode too
    assert (values["forward_cost_large"] - values["reverse_cost_large"]
            > values["forward_cost_small"] - values["reverse_cost_small"])
    assert values["backsolve_cost_small"] < values["forward_cost_small"] < 10 * values["backsolve_cost_small"]
