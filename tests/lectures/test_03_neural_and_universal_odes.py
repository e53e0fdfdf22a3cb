"""Lecture 3's claims, read from the executed page (``sk.glue``)."""

PAGE = "lectures/03_neural_and_universal_odes"


def test_training_through_the_solver_moves_the_equilibrium_to_the_start(values):
    assert values["control_loss_best"] < values["control_loss_start"] / 100
    assert values["control_equilibrium_distance"] < 0.1


def test_the_fitted_initial_state_beats_the_first_measurement(values):
    assert values["initial_state_fitted_error"] < values["initial_state_first_error"]
    assert values["initial_state_fitted_error"] < 0.05


def test_the_hand_written_models_are_the_toolkit_models(values):
    # Same weights, same solver settings: agreement to rounding.
    assert values["node_scratch_vs_toolkit"] < 1e-10
    assert values["augmented_scratch_vs_toolkit"] < 1e-10
    assert values["ude_scratch_vs_toolkit"] < 1e-10


def test_the_neural_ode_learns_the_cubic_spiral(values):
    # The loss falls at least 100x and the trajectory passes within 0.1 of every sample
    # (radius 2); the untrained model misses by more than 1.
    assert values["spiral_loss_drop"] >= 100
    assert values["spiral_max_error"] < 0.1


def test_a_residual_network_converges_to_the_neural_ode_at_first_order(values):
    # Euler's method: ten times more layers, ten times smaller error (8 to 12.5 allowed);
    # a second-order scheme would give ~100, a wrong limit ~1.
    assert 8 < values["resnet_error_ratio"] < 12.5


def test_the_checkpointed_gradient_is_the_exact_gradient_of_the_numerical_solve(values):
    # At tolerance 1e-6 against a 1e-12 reference, both gradients are close; words match numbers.
    assert values["checkpoint_gradient_error"] < 1e-3
    assert values["backsolve_gradient_error"] < 1e-1
    expected = "checkpointing" if values["checkpoint_gradient_error"] < values["backsolve_gradient_error"] else "the backsolve adjoint"
    assert values["more_accurate_gradient"] == expected


def test_no_flow_swaps_two_points_but_an_augmented_one_does(values):
    # For any increasing map the loss is at least 1 (both points sent to 0): the plain
    # model ends within 10% of that bound (100 Adam steps), and the augmented one fits
    # the swap; a model that could swap would get below 1.
    assert 1.0 - 1e-6 <= values["swap_plain_loss"] < 1.1
    assert values["swap_augmented_loss"] < 1e-3


def test_augmentation_lowers_the_loss_and_the_real_cost_on_the_circles(values):
    assert values["circles_loss_ratio"] >= 3
    assert values["circles_augmented_nfe"] < values["circles_plain_nfe"]


def test_the_universal_ode_fits_its_constants_and_forecasts_better(values):
    # The constants were trained (moved from the guess (1.1, 1.6)), and the words the
    # prose uses for the direction match the numbers.
    for name, guess, truth in (("alpha", 1.1, 1.3), ("delta", 1.6, 1.8)):
        fitted = values[f"ude_fitted_{name}"]
        assert abs(fitted - guess) > 1e-3
        assert values[f"ude_{name}_direction"] == ("towards" if abs(fitted - truth) < abs(guess - truth) else "away from")
    # Fits the data: within 0.3 of the noise-free states on [0, 3] (noise sd ~0.1-0.15).
    assert values["ude_fit_error"] < 0.3
    # Forecasts the unseen [3, 4] at least twice as well as the pure neural ODE.
    assert values["forecast_error_ratio"] >= 2
    expected = "the universal ODE" if values["ude_training_loss"] < values["pure_training_loss"] else "the pure neural ODE"
    assert values["lower_training_loss"] == expected


def test_the_neural_ode_classifies_digits(values):
    # At least 95% test accuracy (the untrained model is near chance, 10%), and the MLP
    # baseline of similar size is itself a working classifier.
    assert values["digits_node_accuracy"] >= 0.95
    assert values["digits_node_untrained_accuracy"] < 0.3
    assert values["digits_mlp_accuracy"] >= 0.93
