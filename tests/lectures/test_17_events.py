"""Claims of lecture 17 (events), read from the executed page."""

import math

PAGE = "lectures/17_events"


def test_event_times_match_the_closed_form(values):
    # Tsit5 integrates the parabolic flights exactly, so the impact times are right to
    # rounding (measured 4e-14 s); a root finder that stopped at the step's end would be
    # off by tenths of a second, one with a loose tolerance by about 1e-6 s.
    assert values["scratch_event_error"] < 1e-12
    assert values["toolkit_event_error"] < 1e-12
    # The toolkit's scan is the same loop: identical to the last bit (measured 0).
    assert values["toolkit_scratch_difference"] < 1e-13
    # "whatever the tolerance": at rtol = atol = 1e-2 the parabola is still integrated
    # exactly (measured 4.1e-14 s, as at 1e-10); a problem the solver could not integrate
    # exactly would be off by about the tolerance, 1e-3 s or more.
    assert values["loose_tolerance_event_error"] < 1e-12


def test_rounding_accumulates_over_the_restarts(values):
    # Measured 2.9e-15 s at the first impact and 4.1e-14 s at the fifth: rounding that
    # grows over the restarts ("from ... to ..."), at rounding level throughout.
    assert values["first_impact_error"] < 1e-14
    assert values["fifth_impact_error"] < 1e-12
    assert values["fifth_impact_error"] > values["first_impact_error"]


def test_the_event_error_follows_the_tolerance_with_linear_drag(values):
    # With drag the solver is no longer exact: measured 2.0e-5 s at tolerance 1e-4 and
    # 9.4e-12 s at 1e-10, at most about 0.2 times the tolerance. An exact (quadratic)
    # problem would give rounding at every tolerance; a broken root finder, the step end.
    assert 1e-7 < values["drag_error_loose"] < 1e-4
    assert 1e-14 < values["drag_error_tight"] < 1e-10
    assert values["drag_error_over_tolerance"] < 1


def test_stepping_across_the_event_is_the_baseline_it_beats(values):
    # Negative control: stopping at the end of the step that crossed the floor misses the
    # impact by 0.01 to 0.4 s (measured); the located event is at least 1e4 times closer at
    # every tolerance. A "located" event that were really the step's end would give a ratio of 1.
    assert 1e-3 < values["stepped_error_smallest"] < 0.1
    assert 0.1 < values["stepped_error_largest"] < 2
    assert values["stepped_over_located"] > 1e3


def test_event_time_derivative_matches_the_analytic_one(values):
    # The implicit-function formula -(dx/dh)/v(t*) evaluated by hand with the solver's
    # impact velocity (measured 6.7e-15 relative): a wrong sign or dx/dh would be O(1) off,
    # the drop speed of another height 1e-2 or more.
    assert values["formula_derivative_error"] < 1e-12
    # Central difference with step 1e-6: truncation plus rounding, measured 2.3e-10; a
    # forward difference would be about 1e-6 off, a step-end event time O(1).
    assert values["central_difference_error"] < 1e-8
    # jax.grad through the from-scratch fall() and through sk.solve_to_event, against the
    # analytic 1/sqrt(2 g h): measured 2.9e-15. A derivative that ignored the event time
    # (only d x / d h) would be O(1) off.
    assert values["scratch_grad_derivative_error"] < 1e-12
    assert values["impact_derivative_error"] < 1e-12
    # The two gradients are the same computation: measured identical (0); the words the
    # page shows must say so.
    difference = values["scratch_impact_derivative_difference"]
    assert difference < 1e-13
    if difference == 0.0:
        assert values["scratch_grad_agreement"] == "to the last bit"
    else:
        assert values["scratch_grad_agreement"].startswith("to a relative")


def test_a_step_end_event_time_has_no_useful_derivative(values):
    # Negative control: diffrax's PID controller stops the gradient through its step
    # sizes, so jax.grad of the end of the step that crossed the floor is exactly 0
    # (measured 0.0), while the impact time's true derivative with drag is -1/v(t*) =
    # 0.244 s/m. If diffrax differentiated the step sizes, this would be nonzero.
    assert values["stepped_derivative"] == 0.0
    # The closed form with linear drag: larger than the drag-free 1/sqrt(2 g h) = 0.226
    # (drag slows the ball), smaller than 0.3; a wrong sign or a missing factor k fails.
    assert 0.226 < values["drag_derivative_exact"] < 0.3
    assert abs(values["stepped_derivative"] - values["drag_derivative_exact"]) > 0.2


def test_doses_are_exact_to_solver_tolerance(values):
    # rtol = atol = 1e-8: measured 4.5e-9. Stepping across the doses would be O(1) off.
    assert values["dose_error"] < 5e-8


def test_the_hybrid_model_learns_from_impact_times(values):
    # Measured: loss fell 107x; held-out error 0.0092 s against 0.39 s without drag (42x).
    assert values["hybrid_loss_drop"] > 20
    # Negative control: the drag-free model; "N times better" than it.
    assert values["hybrid_gain"] > 8
    assert values["hybrid_test_error"] < 0.05
    assert values["hybrid_test_error"] < values["nodrag_test_error"]
    # Negative control: the same network before training, measured 0.77 s (worse than no
    # drag); the trained one must beat it by a wide margin (measured 84x), so a fit that
    # left the network unchanged would fail here.
    assert values["untrained_test_error"] > 0.2
    assert values["untrained_test_error"] > 10 * values["hybrid_test_error"]
    # The text says the untrained network is worse than assuming no drag (0.77 vs 0.39 s).
    assert values["untrained_test_error"] > values["nodrag_test_error"]


def test_impact_times_constrain_the_drag_only_on_the_whole(values):
    # The largest true drag over the plotted velocities is k v_max^2 at the fastest impact,
    # from h_max = 2 m with quadratic drag: k v_max^2 = g (1 - exp(-2 k h_max)) = 3.234
    # m/s^2 (measured within 5e-8, the solver's tolerance 1e-8). The drag-free speed
    # sqrt(2 g h_max) would give 3.924, a grid that missed the fastest impact less.
    assert abs(values["largest_true_drag"] - 9.81 * (1 - math.exp(-2 * 0.1 * 2.0))) < 1e-6
    # "not its exact shape": the learned curve is off by 2.5 m/s^2 (77% of the largest true
    # drag, 3.23) while the impact times are right to 0.009 s. A network that had recovered k v|v|
    # would be well under 20% off; one that learned nothing would be about 100% off.
    assert 0.2 * values["largest_true_drag"] < values["drag_shape_error"] < 3 * values["largest_true_drag"]
