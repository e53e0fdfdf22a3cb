"""Claims of lecture 17 (events), read from the executed page."""

import math

PAGE = "lectures/17_events"


def test_each_solve_stopped_at_an_event(values):
    # "each of the five solves stopped at an impact" and the toolkit's triggered flags: a
    # solve that ran on to t1 = 100 s would make the impact-time errors below ~96 s anyway,
    # but the page says it checks the flag, so the flag is asserted too.
    assert values["scratch_all_found"] is True
    assert values["toolkit_all_triggered"] is True


def test_the_scan_program_does_not_grow_with_the_number_of_events(values):
    # "both ... lines long": the lowered program for 5 and for 50 impacts, measured equal
    # (about 2000 lines: 1978 and 1996 in two runs). An unrolled loop would be about ten times longer for 50.
    assert values["program_lines_5"] == values["program_lines_50"] > 100


def test_diffrax_takes_the_same_first_step_whatever_the_problem(values):
    # "0.01 s for both launch speeds and both tolerances": diffrax 0.7's initial-step
    # heuristic is skipped (the term is wrapped before the controller checks for an
    # ODETerm). Were it applied, a launch speed of 0.04 m/s at tolerance 1e-10 would get
    # about 2.7e-3 s, and the four would differ.
    assert values["default_first_steps_agree"] is True
    assert values["default_first_step"] == 0.01


def test_the_resting_ball_stops_before_the_accumulation_time(values):
    # t_inf = t_1 (1 + 2e/(1-e)) with t_1 = sqrt(2/9.81), e = 0.8: 4.0637 s.
    t_1 = math.sqrt(2 / 9.81)
    assert abs(values["t_infinity"] - t_1 * 9) < 1e-12
    # Rebound speed 0.8^k sqrt(2 g) falls below 0.1 m/s for k = 17: 17 impacts, then rest
    # (measured). Flags: triggered 17 times, then never; the ball stays at (0, 0, 0).
    assert values["rest_impacts"] == 17
    assert values["rest_flags_then_none"] is True
    assert values["rest_state_after_largest"] == 0.0
    # The 17th impact is at the closed-form t_17 (3.9620 s), and the gap to t_inf is the
    # skipped flights 2w/(g(1-e)) to rounding (measured 4e-13 s); a rest rule that
    # dropped a flight too many or too few would be off by a whole flight (>= 0.02 s).
    t_17 = t_1 * (1 + 2 * sum(0.8**j for j in range(1, 17)))
    assert abs(values["rest_time"] - t_17) < 1e-11
    assert abs(values["rest_gap"] - (values["t_infinity"] - values["rest_time"])) < 1e-12
    assert values["rest_gap_error"] < 1e-10
    assert 0 < values["rest_gap"] < 2 * 0.1 / (9.81 * 0.2)


def test_event_times_match_the_closed_form(values):
    # Tsit5 integrates the parabolic flights exactly, so the impact times are right to
    # rounding (measured 4e-14 s); a root finder that stopped at the step's end would be
    # off by tenths of a second, one with a loose tolerance by about 1e-6 s.
    assert values["scratch_event_error"] < 1e-12
    assert values["toolkit_event_error"] < 1e-12
    # The toolkit's scan is the same loop, with a different first step per flight (to the
    # apex, not diffrax's 0.01 s), so its steps and rounding differ: measured 3.6e-14 s.
    assert values["toolkit_scratch_difference"] < 1e-12
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
    # 9.4e-12 s at 1e-10, at most 0.2037 times the tolerance. An exact (quadratic)
    # problem would give rounding at every tolerance; a broken root finder, the step end.
    assert 1e-7 < values["drag_error_loose"] < 1e-4
    assert 1e-14 < values["drag_error_tight"] < 1e-10
    assert values["drag_error_over_tolerance"] < 1
    # "never more than 0.21": the shown bound is rounded up, never below the value (0.2037
    # once showed as "0.20").
    ceiling = values["drag_error_over_tolerance_ceil"]
    assert values["drag_error_over_tolerance"] <= ceiling <= values["drag_error_over_tolerance"] + 0.01


def test_stepping_across_the_event_is_the_baseline_it_beats(values):
    # Negative control: stopping at the end of the step that crossed the floor misses the
    # impact by 0.014 to 0.42 s (measured; where the crossing step ends is luck, so these
    # are not monotone in the tolerance and only loose bounds are asserted: more than
    # rounding, less than the 0.47 s flight). What is robust is the ratio: at every
    # tolerance the step-end error is orders of magnitude above the located one (measured
    # at least 20,511x; asserted 1e3). A "located" event that were really the step's end
    # would give a ratio of 1.
    assert 1e-6 < values["stepped_error_smallest"] <= values["stepped_error_largest"] < 0.5
    assert values["stepped_over_located"] > 1e3
    # "more than 10,000 times": the shown power of ten is at or below the measured ratio.
    power = values["stepped_over_located_power"]
    assert power <= values["stepped_over_located"] < 10 * power
    assert math.log10(power) == round(math.log10(power))


def test_event_time_derivative_matches_the_analytic_one(values):
    # The implicit-function formula -(dx/dh)/v(t*) evaluated by hand with the solver's
    # impact velocity (measured 6.7e-15 relative): a wrong sign or dx/dh would be O(1) off,
    # the drop speed of another height 1e-2 or more.
    assert values["formula_derivative_error"] < 1e-12
    # Central difference with step 1e-6: truncation plus rounding, measured 2.3e-10; a
    # forward difference would be about dh/(4h) = 2.5e-7 off, a step-end event time O(1).
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
    # From scratch against the toolkit at the same times: measured 3.2e-15, rounding (the
    # two take the same steps on each piece); a dose added at the wrong time would be O(1)
    # off, a different solver or tolerance about 1e-9.
    assert values["dose_scratch_toolkit_difference"] < 1e-12


def test_the_hybrid_model_learns_from_impact_times(values):
    # Three keys, measured: loss fell 68x to 108x; held-out error 0.009 to 0.020 s against
    # 0.39 s without drag (19.8x better for the worst key, shown as "at least 19").
    assert values["hybrid_loss_drop_min"] > 20
    assert values["hybrid_loss_drop_max"] >= values["hybrid_loss_drop_min"]
    # Negative control: the drag-free model; "at least N times better" than it.
    gain = values["nodrag_test_error"] / values["hybrid_test_error_max"]
    assert gain > 8
    assert values["hybrid_gain_floor"] == math.floor(gain)
    assert 0 < values["hybrid_test_error_min"] <= values["hybrid_test_error_max"] < 0.05
    # Negative control: the same networks before training, measured 0.34 to 0.77 s; the
    # worst trained one must beat the best untrained one by a wide margin (measured 17x),
    # so a fit that left the networks unchanged would fail here.
    assert 0.1 < values["untrained_test_error_min"] <= values["untrained_test_error_max"] < 2
    assert values["untrained_test_error_min"] > 10 * values["hybrid_test_error_max"]


def test_impact_times_constrain_the_drag_only_on_the_whole(values):
    # The largest true drag over the plotted velocities is k v_max^2 at the fastest impact,
    # from h_max = 2 m with quadratic drag: k v_max^2 = g (1 - exp(-2 k h_max)) = 3.234
    # m/s^2 (measured within 5e-8, the solver's tolerance 1e-8). The drag-free speed
    # sqrt(2 g h_max) would give 3.924, a grid that missed the fastest impact less.
    largest = values["largest_true_drag"]
    assert abs(largest - 9.81 * (1 - math.exp(-2 * 0.1 * 2.0))) < 1e-6
    # Zero drag is off by the largest drag in the max norm, by definition.
    assert abs(values["zero_drag_shape_max_max"] - largest) < 1e-12
    # Baselines, measured: zero drag 3.23 (max) and 1.27 (rms); the untrained networks
    # 2.61 to 4.32 (median 3.58) and 1.06 to 1.89 (median 1.48). Trained: 1.44 to 2.50
    # (median 2.03) and 0.43 to 0.84 (median 0.60). The trained median must beat both
    # baselines in both norms with margin; zero drag or unchanged networks fail here.
    for norm, vs_zero, vs_untrained in (("max", 0.85, 0.8), ("rms", 0.75, 0.7)):
        trained = values[f"trained_shape_{norm}_median"]
        assert values[f"trained_shape_{norm}_min"] <= trained <= values[f"trained_shape_{norm}_max"]
        assert trained < vs_zero * values[f"zero_drag_shape_{norm}_max"], norm
        assert trained < vs_untrained * values[f"untrained_shape_{norm}_median"], norm
        assert values[f"untrained_shape_{norm}_min"] <= values[f"untrained_shape_{norm}_median"] <= values[f"untrained_shape_{norm}_max"]
    # "far from all of it": the median trained curve keeps 0.48 of the no-drag rms error
    # (measured); a network that had recovered k v|v| would keep well under 15% of it.
    ratio = values["trained_shape_rms_median"] / values["zero_drag_shape_rms_max"]
    assert 0.15 < ratio < 0.75
    assert values["trained_shape_max_min"] > 0.2 * largest
    # "differ from each other": the spread is a sizeable part of the true drag, not rounding.
    assert values["learned_drag_spread"] > 0.1 * largest


def test_exercise_restitution_gradient_matches_the_closed_form(values):
    # jax.grad through five resets and event times against the closed form's derivative:
    # rounding level (an error in one reset's derivative would be O(1) off).
    assert values["restitution_gradient_error"] < 1e-9


def test_exercise_zeno_the_short_flight_is_missed_from_scratch_and_found_by_the_toolkit(values):
    # The 22nd flight, 2 e^21 sqrt(2 h / g) = 8.33 ms, is shorter than the 0.01 s first
    # step: the from-scratch loop finds impacts 1-21 and misses the 22nd, returning t1 = 100.
    # (The index is the first False flag, so every impact before it was found.)
    assert values["zeno_first_missed"] == 22
    expected_flight_ms = 2 * 0.8**21 * math.sqrt(2 / 9.81) * 1e3
    assert abs(values["zeno_flight_missed_ms"] - expected_flight_ms) < 1e-9
    assert values["zeno_flight_missed_ms"] < values["default_first_step"] * 1e3
    assert values["zeno_scratch_returned"] == 100.0
    # "the solves after it start there and return it too".
    assert values["zeno_scratch_later_at_t1"] is True
    # The toolkit finds all 25 at the closed-form times (measured 3.5e-13 s), and refuses 120.
    assert values["zeno_toolkit_all_triggered"] is True
    assert values["zeno_toolkit_error"] < 1e-11
    assert values["zeno_refused"] is True


def test_exercise_zeno_rest_times_tend_to_the_accumulation_time(values):
    # Each gap t_inf - t_rest is the skipped flights 2w/(g(1-e)) with w < v_rest: below
    # its bound (measured at most 0.997 of it), and for 1 mm/s under 1e-3 s (measured 9.4e-4).
    assert values["rest_all_rested"] is True
    assert values["rest_gaps_over_bound"] < 1
    assert 0 < values["rest_gap_smallest"] < 2 * 0.001 / (9.81 * 0.2)


def test_optional_a_threshold_learned_from_dose_times(values):
    # The forward solve at the true threshold: first dose at ln(1/0.3)/k, then one every
    # ln(1.3/0.3)/k, to the event solve's tolerance (rtol = atol = 1e-10); a schedule off
    # by one dose would be hours off.
    assert values["threshold_forward_error"] < 1e-7
    # d(dose times)/d(threshold) through the event solves against the closed form's
    # derivative at threshold 0.5: measured 5e-9 relative, the solver's tolerance 1e-10
    # amplified; a derivative that ignored the condition's dependence on the threshold
    # (only the state) would be O(1) off.
    assert values["threshold_jacobian_error"] < 1e-6
    # From 0.5 the dose times are hours off (measured up to 5.4 h); Gauss-Newton recovers
    # 0.3 to rounding (the data come from the same solver): measured ~1e-16.
    assert values["threshold_initial_misfit"] > 1
    assert values["threshold_fit_error"] < 1e-12
    if values["threshold_fit_error"] == 0.0:
        assert values["threshold_fit_words"] == "exactly"
    else:
        assert values["threshold_fit_words"].startswith("to ")
