"""Claims of lecture 15 (training diagnostics), read from the executed page."""

PAGE = "lectures/15_training_diagnostics"


def test_architecture_claims(values):
    # "ReLU's derivative is off by N times as much"; "the narrow network ends N times higher"
    # after the same 1000 Adam steps (measured 3), while its loss was still falling (so the
    # page does not call it a lack of capacity; longer L-BFGS training closes most of the gap).
    assert values["relu_slope_over_tanh"] > 2
    assert values["narrow_over_wide"] > 2
    # Measured: the lowest loss fell 750-fold over the last 500 steps and was reached at the
    # last step; a converged network would show a factor near 1 and an earlier best step.
    assert values["narrow_last_500_drop"] > 50
    assert values["narrow_best_step"] >= 990


def test_unscaled_inputs_fail(values):
    # Measured 6.6e4: saturated tanh units barely train.
    assert values["raw_over_scaled"] > 1000


def test_adam_then_lbfgs_beats_adam_alone(values):
    assert values["sequence_gain"] > 2
    # Control at equal step counts: L-BFGS alone for 600 steps ends higher (measured 5.1e-6
    # against 1.2e-6), although it is below Adam for most of the first 300 steps.
    assert values["sequence_over_lbfgs"] > 1.5
    assert values["lbfgs_ahead_share"] > 0.5


def test_counted_in_evaluations_the_sequence_still_wins(values):
    # Evaluations of the loss and gradient, counted by jax.debug.callback (673 and 334
    # measured): one to start, then one per step when the line search accepts its first
    # trial point. "At most steps": fewer than 300 extra evaluations in 600 steps. A
    # counter that never fired (0), or fired twice per evaluation (>= 1200), fails.
    assert 601 <= values["lbfgs_evaluations"] < 900
    assert 301 <= values["sequence_lbfgs_evaluations"] < 450
    # "The comparison is the same": the sequence used no more evaluations than L-BFGS alone.
    assert 300 + values["sequence_lbfgs_evaluations"] <= values["lbfgs_evaluations"]


def test_cosine_schedule_beats_the_high_rate_but_not_surely_the_cautious_one(values):
    assert values["n_inits"] == 8
    # The constant high rate is ahead for most of the run (median 77% of steps) and reaches
    # losses about twice below the cosine schedule's end, but bursts late in 3 of 8 runs.
    assert values["high_ahead_share"] > 0.5
    assert values["high_best_vs_cosine"] > 1
    assert 1 <= values["high_bursts"] <= values["n_inits"]
    # A burst means more than 10x above its best (measured about 110x); no burst gives ~1.
    assert values["high_burst_factor"] > 10
    # Median over the eight runs of the last-50-step losses: the high rate's is 4.3 times the
    # schedule's (identical schedules would give 1).
    assert values["cosine_vs_high"] > 2
    # "No sure winner" against the cautious rate: it ends lower in 5 of 8 runs, with ratios
    # from 0.10 to 8.2 (the first three runs, 1.05 to 1.45, all favour the schedule).
    # At least a quarter of the runs on each side: a schedule that won 7 of 8 would be one.
    assert values["n_inits"] / 4 <= values["cosine_beats_low"] <= 3 * values["n_inits"] / 4
    assert values["cosine_vs_low_worst"] < 1 < values["cosine_vs_low_best"]
    # The phrase names what the first three runs show; "would have misled" needs the eight
    # to disagree with them, which the bound above on cosine_beats_low ensures.
    wins = values["first_three_wins"]
    assert values["first_three_phrase"] == (
        "The first three runs alone would have misled: the schedule wins all three."
        if wins == 3 else f"In the first three runs alone it wins {wins} of 3."
    )


def test_long_horizon_failure_and_its_remedies(values):
    # Single shooting stalls far from the truth, at a loss far above the noise-free data's 0.
    assert values["single_error"] > 0.3
    assert values["single_loss"] > 0.1
    # It trained: the loss fell from its start (measured 4.19 to 2.74); a fit that never
    # moved would keep the start's loss.
    assert values["single_loss"] < 0.9 * values["single_loss_start"]
    # "Stalls": the loss did not move over the last 100 steps (a converging fit changes by
    # percents); the higher rate of multiple shooting does not get single shooting out.
    assert values["single_loss_last_100"] < 1e-3
    assert values["single_fast_error"] > 0.3
    assert abs(values["single_fast_loss"] - values["single_loss"]) < 0.05 * values["single_loss"]
    # The local minimum oscillates at about half the data's frequency (2 prey peaks against
    # 3), meeting two of the data's peaks; the true parameters would meet all of them.
    assert values["single_peaks"] < values["data_peaks"]
    assert values["single_matched_peaks"] >= 1
    assert values["single_matched_peaks"] < values["data_peaks"]
    assert values["grown_error"] < 0.1
    # Negative control: from the same start, multiple shooting alone beats single shooting
    # (14% against 104%) but only the polish brings it to 0.3%.
    assert values["shooting_error"] < values["single_error"] / 2
    assert 0.05 < values["shooting_error"] < 0.5
    assert values["polished_error"] < 0.01
    assert values["polished_error"] < values["shooting_error"] / 10
    # Exercise: 300 more steps of multiple shooting instead of the polish help (14% to 2.4%
    # measured) but stay well above the polish's 0.3%.
    assert values["continued_shooting_error"] < values["shooting_error"]
    assert values["continued_shooting_error"] > 3 * values["polished_error"]


def test_stiffness_during_training_and_the_implicit_remedy(values):
    # Both solvers fit the true rate (200); the explicit solver's cost per loss grew more
    # than tenfold as the rate rose, and the implicit one needed several times fewer steps.
    assert values["true_rate"] == 200.0
    assert values["explicit_rate_error"] < 0.02
    assert values["implicit_rate_error"] < 0.02
    assert values["explicit_steps_end"] > 10 * values["explicit_steps_start"]
    # "(last iterate k = ...)": Adam's last iterate is not the best one; it oscillates about
    # the true rate, and the step count at the end follows it (stability-limited steps grow
    # with k): more than Tsit5's count at k = 200 at the same tolerance (831, tolerance
    # section) when the last iterate lies above 200, fewer when below.
    end, true = values["explicit_rate_end"], values["true_rate"]
    assert 0.5 * true < end < 2 * true
    if end > 1.05 * true:
        assert values["explicit_steps_end"] > values["true_rate_steps_tight"]
    elif end < 0.95 * true:
        assert values["explicit_steps_end"] < values["true_rate_steps_tight"]
    assert values["explicit_over_implicit_steps"] > 4
    assert values["implicit_steps_end"] * 4 < values["explicit_steps_end"]
    # The glued word names the direction of the measured time ratio.
    faster = values["explicit_over_implicit_time"] > 1
    assert values["implicit_speed_word"] == ("faster" if faster else "slower")
    ratio = values["explicit_over_implicit_time"]
    assert abs(values["implicit_speed"] - max(ratio, 1 / ratio)) < 1e-12
    # Measured from 1.4 to 23 over loaded runs (8x fewer solver steps, each dearer): a
    # broken timer would give 0 or inf.
    assert 0.3 < ratio < 200


def test_the_solver_change_makes_the_whole_fit_cheaper(values):
    # Both fits reach k within 1% of 200 after the same loss evaluations (their gradients
    # agree; measured 31), Tsit5 with several times the solver steps (measured 13531
    # against 3526); the time word follows the glued seconds.
    assert abs(values["explicit_reach_evaluations"] - values["implicit_reach_evaluations"]) <= 1
    assert 2 <= values["explicit_reach_evaluations"] <= 50
    assert values["explicit_reach_solver_steps"] > 2 * values["implicit_reach_solver_steps"]
    ratio = values["explicit_reach_seconds"] / values["implicit_reach_seconds"]
    assert values["reach_speed_word"] == ("faster" if ratio > 1 else "slower")
    assert abs(values["reach_speed"] - max(ratio, 1 / ratio)) < 1e-9
    assert 0 < values["implicit_reach_seconds"] < float("inf")


def test_loose_tolerance_stalls_the_fit_and_tight_fixes_it(values):
    # At 1e-3 the fit stays far below the true rate; the loose gradient points the wrong
    # way and is off by orders of magnitude, while 1e-6 agrees with the 1e-10 reference.
    assert values["loose_rate"] < values["true_rate"] / 2
    assert values["loose_rate_end"] < values["true_rate"] / 2
    assert values["loose_gradient"] * values["reference_gradient"] < 0
    assert values["loose_direction"] == "the wrong way"
    assert values["loose_gradient_error"] > 70  # measured 705
    assert values["tight_gradient_error"] < 1e-4  # measured 1.2e-5
    # "Nor would the loose tolerance have made that fit cheap": at k = 200 Tsit5's steps are
    # held by stability (measured 729 at 1e-3 against 831 at 1e-6); were they set by
    # accuracy, 1e-3 would take several times fewer. The loose fit was cheap at its end
    # (measured 25 steps) because its k stayed small. The upper bound also sees that the
    # tolerance reached the solve: an ignored one would give equal counts (the solves at a
    # fixed k = 200 are deterministic; 729/831 = 0.88 measured, 548/675 at k = 150).
    assert values["true_rate_steps_loose"] > 0.6 * values["true_rate_steps_tight"]
    assert values["true_rate_steps_loose"] < 0.95 * values["true_rate_steps_tight"]
    assert values["loose_steps_end"] < values["true_rate_steps_loose"] / 5


def test_exploding_solve_stops_adam_and_lbfgs_backs_off(values):
    # Adam overshot to a negative crowding, whose solve hit max_steps and blew up before t = 10.
    assert values["blowup_crowding"] < 0
    assert values["blowup_max_steps"] is True
    assert values["blowup_last_finite_time"] < 10
    # The solve reached t = 2, so a loss on the counts up to t = 2 is finite although the
    # solve failed: the case the check of solution.result is for.
    assert values["blowup_last_finite_time"] >= 2
    assert 0 < values["early_window_loss"] < float("inf")
    # Adam's second step is the first with b < 0; the third loss evaluation is infinite.
    assert values["blowup_first_negative_step"] == 2
    assert values["blowup_steps"] == 2
    # Clipping the gradient does not save Adam: it stops after as few steps.
    assert values["clipped_blowup_steps"] <= values["blowup_steps"] + 1
    # L-BFGS met failed (infinite) trial losses, backed off, and converged.
    assert values["lbfgs_failed_trials"] >= 1
    assert values["lbfgs_largest_failed_crowding"] < 0  # "trial points had b < 0 and failed"
    assert values["lbfgs_crowding_error"] < 3e-7  # measured 2.9e-8
