"""Claims of lecture 8 (parameter estimation and sensitivity), read from the executed page."""

PAGE = "lectures/08_parameter_estimation"


def test_from_scratch_losses_agree_with_the_toolkit(values):
    assert values["loss_agreement"] < 1e-12
    assert values["shooting_agreement"] < 1e-10


def test_single_shooting_landscape_has_local_minima_that_multiple_shooting_removes(values):
    assert values["single_minima"] >= 2
    assert values["shooting_minima"] < values["single_minima"]


def test_multiple_shooting_recovers_parameters_where_single_shooting_fails(values):
    assert values["single_fit_error"] > 0.3  # "ends in a wrong valley"
    assert values["shooting_fit_error"] < 0.1


def test_fisher_standard_errors_cover_the_true_values(values):
    assert values["largest_z"] < 3.0


def test_short_partial_design_is_practically_non_identifiable(values):
    assert values["condition_short"] > 100 * values["condition_full"]
    assert values["short_worst_relative_se"] > 1.0


def test_forward_ad_sensitivities_match_finite_differences(values):
    assert values["sensitivity_fd_difference"] < 1e-5
    assert values["beta_sensitivity_pattern"] is True


def test_fit_leaves_only_the_noise(values):
    assert 0.3 < values["fit_loss_over_noise"] < 3.0


def test_sobol_estimators_within_0_02_of_ishigami_and_agree(values):
    assert values["ishigami_scratch_error"] < 0.02
    assert values["ishigami_toolkit_error"] < 0.02
    assert values["sobol_scratch_agreement"] < 1e-12


def test_sir_sensitivity_study(values):
    assert values["sir_most_important"] in {"beta", "gamma"}
    assert values["sir_least_important"] == "I0"
    assert values["sir_least_total"] < 0.05  # "could be fixed at any value in its range"
    assert values["sir_interaction_share"] < 0.05  # "almost additively"


def test_peak_depends_on_the_rates_through_r0(values):
    assert values["r0_first"] > 0.9
    assert values["r0_gamma_total"] < 0.05


def test_lbfgs_fit_has_converged_within_its_budget(values):
    # "reaches its lowest loss at step n of 40" must mean the loss stopped improving.
    assert values["fit_best_step"] < 40
    assert values["fit_last_ten_steps_gain"] < 1e-6
