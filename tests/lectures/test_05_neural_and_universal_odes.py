"""Lecture 5's claims, read from the executed page (``sk.glue``)."""

PAGE = "lectures/05_neural_and_universal_odes"


def test_training_through_the_solver_moves_the_equilibrium_to_the_start(values):
    # 4325 -> 0.30 measured; the starting parameters (no training) keep the loss at 4325.
    assert values["control_loss_best"] < values["control_loss_start"] / 1000
    assert values["control_equilibrium_distance"] < 0.1


def test_the_fitted_initial_state_beats_the_first_measurement(values):
    # Medians of three noise draws: 0.024 against 0.104 for the first measurement (the
    # untrained start); the worst draw keeps 50% of its first error (0.067 of 0.132).
    # A fit that did not move would keep 100%.
    assert values["initial_state_fitted_error"] < values["initial_state_first_error"] / 2
    assert values["initial_state_fitted_error"] < 0.05
    assert values["initial_state_fitted_worst"] < 0.8


def test_the_hand_written_models_are_the_toolkit_models(values):
    # Same weights, same solver settings: agreement to rounding.
    assert values["node_scratch_vs_toolkit"] < 1e-12
    assert values["augmented_scratch_vs_toolkit"] < 1e-12
    assert values["ude_scratch_vs_toolkit"] < 1e-12
    # The digits classifier by hand (Heun steps, then readout): a wrong time input or a
    # missing readout would differ by order one.
    assert values["digits_scratch_vs_toolkit"] < 1e-10


def test_the_neural_ode_learns_the_cubic_spiral(values):
    # Measured: loss 11675x lower, 0.061 from the samples (radius 2); the same model
    # untrained (the negative control) misses by order one.
    assert values["spiral_loss_drop"] >= 1000
    assert values["spiral_max_error"] < 0.2
    assert values["spiral_untrained_error"] > 0.5
    assert values["spiral_max_error"] < values["spiral_untrained_error"] / 10


def test_a_residual_network_converges_to_the_neural_ode_at_first_order(values):
    # Euler's method: ten times more layers, ten times smaller error (8 to 12.5 allowed);
    # a second-order scheme would give ~100, a wrong limit ~1.
    assert 8 < values["resnet_error_ratio"] < 12.5
    # 3.2e-3 measured at 10000 layers (first order, error ~ 30 / N).
    assert 1e-3 < values["resnet_10000_error"] < 1e-2


def test_an_adaptive_solver_needs_far_fewer_evaluations_than_the_layers(values):
    # 79 / 319 / 1226 measured; the cost grows like tol^(-1/5), about 4x per three orders,
    # and at 1e-6 stays far below the 10000 layers of the residual network.
    nfe = [values["spiral_nfe_tol_1e3"], values["spiral_nfe_tol_1e6"], values["spiral_nfe_tol_1e9"]]
    assert nfe[0] < nfe[1] < nfe[2]
    assert 2 < nfe[1] / nfe[0] < 8 and 2 < nfe[2] / nfe[1] < 8
    assert values["spiral_nfe_tol_1e6"] < 1000
    # The prediction moves 8e-2 at 1e-3 (as much as the misfit 0.06) and 1e-4 at 1e-6.
    assert values["spiral_change_tol_1e3"] > values["spiral_max_error"] / 3
    assert values["spiral_change_tol_1e6"] < values["spiral_max_error"] / 100


def test_gradient_errors_at_the_initial_and_the_trained_weights(values):
    # Initial weights: a gentle field, 4 accepted steps at 1e-6 (41 at the trained weights).
    assert values["adjoint_steps_initial"] <= 10
    assert 20 <= values["adjoint_steps_trained"] <= 100
    # Against the 1e-12 reference at tolerance 1e-6, initial weights: 3.5e-7 (checkpointing)
    # and 8.8e-9 (backsolve) measured; a gradient with a wrong sign or term is off by order one.
    assert 3e-8 < values["checkpoint_gradient_error"] < 3e-6
    assert 1e-10 < values["backsolve_gradient_error"] < 1e-7
    # Trained weights: the gradient is small (4.8e-3 measured) and both errors are a few
    # percent of it (3.4e-2 and 3.6e-2 measured); order one would mean a wrong gradient.
    assert 5e-4 < values["trained_gradient_norm"] < 5e-2
    assert 3e-3 < values["trained_checkpoint_gradient_error"] < 0.3
    assert 3e-3 < values["trained_backsolve_gradient_error"] < 0.3
    # The prose's point: the relative error depends on the weights, by far more than 10x.
    assert values["trained_checkpoint_gradient_error"] > 1e3 * values["checkpoint_gradient_error"]
    assert values["trained_backsolve_gradient_error"] > 1e3 * values["backsolve_gradient_error"]


def test_no_flow_swaps_two_points_but_an_augmented_one_does(values):
    # For any increasing map the loss is at least 1 (both points sent to 0): the plain
    # model ends within 10% of that bound (100 Adam steps), and the augmented one fits
    # the swap (2.3e-5 measured); a model that could swap would get below 1.
    assert 1.0 - 1e-6 <= values["swap_plain_loss"] < 1.1
    assert values["swap_augmented_loss"] < 3e-4


def test_augmentation_on_the_circles_over_three_seeds(values):
    # Medians of three seeds; the word the prose uses follows from the ranges.
    plain, augmented = values["circles_plain_loss"], values["circles_augmented_loss"]
    assert values["circles_loss_ratio"] == plain / augmented
    # 5.1 measured (medians 0.069 and 0.013); without augmentation the ratio would be ~1.
    assert values["circles_loss_ratio"] >= 2.5
    assert augmented < 0.05
    for name in ("loss", "nfe"):
        low_plain = float(values[f"circles_plain_{name}_range"].split("-")[0])
        high_augmented = float(values[f"circles_augmented_{name}_range"].split("-")[1])
        apart = high_augmented < low_plain
        assert values[f"circles_{name}_verdict"].startswith("do not overlap" if apart else "overlap")
    # Medians of 43-67 evaluations; whether this run reproduces Dupont et al.'s cost
    # finding is decided by the same ranges (49 = 49 measured: it does not).
    assert max(values["circles_augmented_nfe"], values["circles_plain_nfe"]) < 200
    low_plain = float(values["circles_plain_nfe_range"].split("-")[0])
    high_augmented = float(values["circles_augmented_nfe_range"].split("-")[1])
    reproduced = values["circles_nfe_finding"].startswith("This run agrees")
    assert reproduced == (high_augmented < low_plain)


def test_the_universal_ode_fits_its_constants_and_forecasts_better(values):
    # The constants were trained (moved from the guess (1.1, 1.6)), and the phrase the
    # prose uses for each (closer to the truth than the guess, or further) matches the numbers.
    for name, guess, truth in (("alpha", 1.1, 1.3), ("delta", 1.6, 1.8)):
        fitted = values[f"ude_fitted_{name}"]
        assert abs(fitted - guess) > 1e-3
        closer = abs(fitted - truth) < abs(guess - truth)
        assert values[f"ude_{name}_comparison"] == f"{'closer to' if closer else 'further from'} the true {truth} than the guess"
    # Fits the noise-free states on [0, 3] to 0.114 (measured, a maximum over 151 times and
    # two states); the noise sd is 5% of each state's mean over the samples, 0.025 for the
    # prey and 0.051 for the predators.
    assert values["ude_fit_error"] < 0.2
    # The negative control: the known terms alone (network output zero) miss by far more.
    assert values["known_only_fit_error"] > 10 * values["ude_fit_error"]
    assert values["known_only_error_ratio"] == values["known_only_fit_error"] / values["ude_fit_error"]
    # Forecasts the unseen [3, 4] better on the first seed (0.79 against 2.90 measured, 3.7
    # times); the page's "times larger" needs a ratio above 1. How large the factor is over
    # three seeds is held in test_the_forecast_comparison_over_three_seeds.
    assert values["ude_forecast_error"] < 1.5
    assert values["forecast_error_ratio"] == values["pure_forecast_error"] / values["ude_forecast_error"]
    assert values["forecast_error_ratio"] > 1
    # The noise floor: the truth's loss against the data is the mean noise variance,
    # (0.025^2 + 0.051^2) / 2 = 1.6e-3 (1.7e-3 measured); both fits lie above it (3.0e-3
    # and 3.2e-3 measured), as the prose says; a fit below it would be fitting the noise.
    assert 8e-4 < values["truth_training_loss"] < 3.2e-3
    assert values["truth_training_loss"] < min(values["ude_training_loss"], values["pure_training_loss"])
    assert max(values["ude_training_loss"], values["pure_training_loss"]) < 10 * values["truth_training_loss"]
    # The prey on [3, 4] climbs beyond anything observed (the prose's "climbs to ... times").
    assert values["held_out_prey_ratio"] > 1.5
    # The learned terms are off by 56% (rms, relative); a network that learned nothing is off by 100%.
    assert values["missing_terms_relative_error"] < 0.9
    # "after ... on noisy data" names the training the run did: Adam alone on a CPU, with
    # the L-BFGS polish where the GPU profile adds it.
    budget = values["ude_training_budget"]
    assert budget == "200 Adam steps" or (budget.startswith("200 Adam steps and ") and budget.endswith(" L-BFGS steps"))


def test_the_neural_ode_classifies_digits_beyond_the_controls(values):
    # Medians of three seeds. The untrained model is near chance (10%); least squares on
    # the pixels gets 92.5%; softmax regression with the networks' budget 94.7% (100 steps);
    # the trained neural ODE 96.4%.
    assert values["digits_node_untrained_accuracy"] < 0.3
    assert 0.88 < values["digits_linear_accuracy"] < 0.96
    assert values["digits_node_accuracy"] >= 0.95
    # Softmax regression is the stronger linear control (a bug in its training, e.g. no
    # update, would leave it near chance, below least squares).
    assert 0.92 < values["digits_softmax_accuracy"] < 0.99
    assert values["digits_softmax_accuracy"] > values["digits_linear_accuracy"]
    # The prose: the neural ODE does not do much better than a linear model (1.7 points measured).
    assert values["digits_node_margin_over_linear"] == values["digits_node_accuracy"] - values["digits_softmax_accuracy"]
    assert abs(values["digits_node_margin_over_linear"]) < 0.03
    assert values["digits_mlp_accuracy"] >= 0.93
    # Both models have about 9000 weights (9034 and 8970).
    assert abs(values["digits_node_weights"] - values["digits_mlp_weights"]) < 200
    # The verdict follows from the accuracy ranges.
    node = [float(x.rstrip("%")) for x in values["digits_node_accuracy_range"].split("-")]
    mlp = [float(x.rstrip("%")) for x in values["digits_mlp_accuracy_range"].split("-")]
    # Each median lies in its range (to the range's rounding), and the ranges are narrow.
    assert node[0] - 0.05 <= 100 * values["digits_node_accuracy"] <= node[1] + 0.05 and node[1] - node[0] < 3
    assert mlp[0] - 0.05 <= 100 * values["digits_mlp_accuracy"] <= mlp[1] + 0.05 and mlp[1] - mlp[0] < 3
    if node[0] > mlp[1]:
        assert values["digits_verdict"].endswith("the neural ODE is better on every seed")
    elif mlp[0] > node[1]:
        assert values["digits_verdict"].endswith("the MLP is better on every seed")
    else:
        assert values["digits_verdict"].startswith("overlap")


def test_heun_layers_converge_at_second_order(values):
    # 75x measured for ten times more layers (second order: 100; Euler's first order: 10).
    assert 40 < values["heun_error_ratio"] < 200
    # 500 Heun layers (1.4e-4) beat 10000 Euler layers (3.2e-3).
    assert values["heun_500_error"] < values["resnet_10000_error"] / 5


def test_the_forecast_comparison_over_three_seeds(values):
    # Three noise draws, each with fresh initial weights for both networks: medians lie in
    # their ranges, and the verdict the prose shows follows from the ranges.
    ude = [float(x) for x in values["ude_forecast_error_range"].split("-")]
    pure = [float(x) for x in values["pure_forecast_error_range"].split("-")]
    assert ude[0] - 0.005 <= values["ude_forecast_error_median"] <= ude[1] + 0.005
    assert pure[0] - 0.005 <= values["pure_forecast_error_median"] <= pure[1] + 0.005
    apart = ude[1] < pure[0]
    assert values["forecast_verdict"].startswith("do not overlap" if apart else "overlap")
    # The universal ODE's median error on [3, 4] is below the neural ODE's (0.79 against
    # 2.90 on the first seed); a universal ODE whose network ignored the data would not be.
    assert values["ude_forecast_error_median"] < values["pure_forecast_error_median"]
    assert values["ude_forecast_error_median"] < 1.5
    # The factor the page prints, the ratio of the medians: 2.54 / 1.17 = 2.2 measured (the
    # seeds' own ratios 3.7, 2.1 and 1.8). A universal ODE no better than the neural ODE
    # gives about 1.
    assert values["forecast_median_ratio"] == values["pure_forecast_error_median"] / values["ude_forecast_error_median"]
    assert values["forecast_median_ratio"] >= 1.5
