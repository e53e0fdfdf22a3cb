"""Claims of lecture 11 (parameter estimation and sensitivity), read from the executed page."""

PAGE = "lectures/11_parameter_estimation"


def test_from_scratch_losses_agree_with_the_toolkit(values):
    # Rounding (measured 0 and 9e-15); a misplaced window or gap term changes the loss by O(1).
    assert values["loss_agreement"] < 1e-12
    assert values["shooting_agreement"] < 1e-12


def test_single_shooting_landscape_has_local_minima_that_multiple_shooting_removes(values):
    assert values["single_minima"] >= 2
    assert values["shooting_minima"] < values["single_minima"]
    # The figure's alt text: "the multiple-shooting curve has a single valley".
    assert values["shooting_minima"] == 1


def test_fewer_segments_bring_local_minima_back(values):
    # Exercise: measured 2, 1, 1 local minima with 2, 5 and 20 segments (10 in the text: 1).
    assert values["minima_2_segments"] > values["shooting_minima"]
    assert values["minima_20_segments"] <= values["minima_2_segments"]
    assert values["minima_5_segments"] <= values["minima_2_segments"]


def test_multiple_shooting_recovers_parameters_where_single_shooting_fails(values):
    assert values["single_fit_error"] > 0.3
    # "ends in a wrong valley": it descended (measured 367 -> 199 times the noise variance;
    # no fit at all would keep the starting loss) but stays far above the noise level a
    # fit in the right valley reaches (about 1, as the L-BFGS fit shows).
    assert values["single_fit_loss_over_noise"] < 0.9 * values["single_fit_start_over_noise"]
    assert values["single_fit_loss_over_noise"] > 20
    assert values["shooting_fit_error"] < 0.1
    # "the segments join": the largest gap left, over the smaller noise level, measured
    # 0.09; segments started at the data and never trained leave gaps of order one or more.
    assert values["shooting_largest_gap_over_noise"] < 0.5


def test_fisher_information_by_hand_is_the_toolkits(values):
    # The same sum in another order: float64 rounding (relative ~1e-16). Forgetting the
    # noise scaling or one species changes it by O(1).
    assert values["fisher_agreement"] < 1e-12
    words = "exactly" if values["fisher_agreement"] == 0 else f"to {values['fisher_agreement']:.0e}"
    assert values["fisher_agreement_words"] == words


def test_fisher_standard_errors_cover_the_true_values(values):
    assert values["largest_z"] < 3.0


def test_fisher_standard_errors_have_the_size_of_the_profile_likelihood_interval(values):
    # The z-scores alone pass with standard errors far too large (noise_std 10x: largest z
    # 0.06), and the by-hand/toolkit agreement passes when both drop the noise weighting.
    # The profile likelihood's 95% half-width over 1.96 Fisher standard errors of a is
    # computed without the Fisher matrix or the linearisation (measured 1.16). An error
    # confined to the Fisher call fails it: dropping the noise weighting there (noise_std
    # = 1 in F only, where the noise levels are near 0.1) makes the Fisher errors about
    # tenfold and the ratio near 0.1. The profile's rise is scaled by the same noise_std,
    # so a noise_std wrong by a factor c at its definition scales both widths by c and
    # leaves this ratio unchanged: that error is caught by test_fit_leaves_only_the_noise
    # (loss over noise variance 1.05 -> about 0.01 at 10x too large, 100 at 10x too
    # small). The profile is of the
    # unweighted loss, whose own errors are up to 1.2x the weighted fit's (below): hence
    # the band.
    assert 0.75 < values["profile_over_fisher"] < 1.35
    # "linear theory predicts ... for the pooled-variance loss it profiles" (sqrt of the mean
    # variance times [(J^T J)^-1]_aa, over the Fisher standard error): measured 1.159
    # against the profile's 1.160; "what is left is the nonlinearity, small here". A profile
    # computed wrongly (a mis-scaled rise, a parabola through the wrong points) or a model
    # far from linear over +-4 standard errors would leave a gap of several percent or more.
    assert abs(values["profile_over_fisher"] / values["profile_linear_prediction"] - 1) < 0.03


def test_unweighted_fit_pays_little_for_ignoring_the_two_noise_levels(values):
    # Linearised (sandwich) standard errors of the unweighted least squares over the
    # weighted fit's (F^-1): measured 1.02 to 1.18 (b to c). Gauss-Markov: never below 1 (up
    # to rounding). The wrong sandwiches: F^-1 itself gives 1 for every parameter; one
    # without Sigma about 10 (the noise levels are near 0.1); one with the mean variance
    # for both species (the homoscedastic formula) up to 1.38.
    assert values["unweighted_se_ratio_low"] > 1 - 1e-9
    assert values["unweighted_se_ratio_high"] > 1.01
    assert values["unweighted_se_ratio_high"] < 1.3  # "the price ... is small here"


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


def test_beta_sensitivity_turns_negative_after_the_peak_not_at_it(values):
    # dI/dbeta: one sign change, positive before it and negative after it to day 100.
    assert values["beta_sensitivity_pattern"] is True
    # Peak of I on day 19.5; dI/dbeta still +40% of its maximum there (a larger beta makes
    # the peak higher as well as earlier) and not positive from day 22.5 on. A sentence
    # "negative after the peak" would need the turn at the peak day.
    assert 15 < values["infected_peak_day"] < 25
    assert values["beta_sensitivity_at_peak"] > 0.1
    # "a few days after it" (the figure's alt text): measured 3.0.
    assert 0 < values["beta_sign_change_day"] - values["infected_peak_day"] < 6


def test_fit_leaves_only_the_noise(values):
    # Best loss over the mean noise variance: 82 residuals, 4 fitted rates, so about
    # chi^2_78 / 82 (mean 0.95, spread about 0.18 with the two noise levels; measured
    # 1.05). A fit stuck away from the minimum leaves a systematic misfit (the starting
    # guess gives ~500); 4 rates cannot fit the noise away. Bounds: about two spreads.
    assert 0.7 < values["fit_loss_over_noise"] < 1.4


def test_sobol_estimators_within_0_02_of_ishigami_and_agree(values):
    assert values["ishigami_scratch_error"] < 0.02
    assert values["ishigami_toolkit_error"] < 0.02
    # "one run of each below illustrates" the faster convergence of the quasi-random design
    # (the page glues both errors): with a quarter of the runs it must still be closer (measured 0.0022 against 0.0090). Both seeds are fixed, so this is deterministic.
    assert values["ishigami_toolkit_error"] < values["ishigami_scratch_error"]
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


def test_gradient_by_sensitivities_is_reverse_modes(values):
    # sum_i S_i^T r_i from sk.forward_sensitivities at the loss's own tolerances against
    # jax.grad(sk.trajectory_loss): the same steps differentiated, so rounding (measured
    # 2e-15). A missing factor 2/(mn) or a transposed S gives O(1).
    assert values["sensitivity_gradient_agreement"] < 1e-12
