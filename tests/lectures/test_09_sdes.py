"""Claims of lecture 9 (stochastic differential equations), read from the built page's run.

Deterministic quantities (closed forms, scans of a closed-form loss, rounding gaps) are
held to tight bounds. Sampled quantities are held to their own statistical error, with
bounds that a correct method fails only rarely (well under 1% of seeds); the seeds tried
are named where a bound was checked against them.
"""

from __future__ import annotations

import math

import numpy as np
import pytest
from scipy import stats

PAGE = "lectures/09_sdes"


def test_euler_maruyama_moments_of_gbm_in_closed_form_and_sampled(values):
    # Each step multiplies X by 1 + mu dt + sigma dW (mu = sigma = 1, dt = 0.01, 100 steps).
    em_mean = 1.01**100
    em_variance = (1.01**2 + 0.01) ** 100 - em_mean**2
    assert values["gbm_em_mean"] == pytest.approx(em_mean, rel=1e-12)
    assert values["gbm_em_variance"] == pytest.approx(em_variance, rel=1e-12)
    assert values["gbm_exact_mean"] == pytest.approx(math.e, rel=1e-12)
    assert values["gbm_exact_variance"] == pytest.approx(math.e**2 * (math.e - 1), rel=1e-12)
    # The method's bias: its mean is below e by ~0.0135, its variance below by ~0.61.
    assert values["gbm_exact_mean"] - values["gbm_em_mean"] == pytest.approx(0.01347, abs=1e-4)
    # The sample against the law it samples, in its own standard errors. Over 200 seeds the
    # mean's z stayed within +-3.6 and the variance's (skewed by the log-normal tail) within
    # [-4.0, 2.4]; a step without the noise or with a wrong drift is off by hundreds.
    assert abs(values["gbm_mean_z"]) < 4
    assert -5 < values["gbm_variance_z"] < 4
    # What the page says: the method's error is too small for 20,000 paths to show
    # (200 seeds: -0.49 to -0.60 standard errors in the mean, -0.22 to -1.48 in the variance).
    assert -1 < values["gbm_mean_bias_in_se"] < 0
    assert -2 < values["gbm_variance_bias_in_se"] < 0


def test_the_from_scratch_loop_reproduces_the_toolkit_solve(values):
    assert values["em_toolkit_gap"] < 1e-12
    # sk.euler_maruyama on the loop's own increments: rounding (a dropped dt or a
    # missing noise term changes the endpoints at O(1)).
    assert values["em_scan_gap"] < 1e-12


def test_the_milstein_loop_reproduces_itomilstein_on_the_same_path(values):
    # Measured 3e-16. Dropping the 1/2, or the -dt in (dW^2 - dt), changes each step by O(dt).
    assert values["milstein_toolkit_gap"] < 1e-12
    # Consistency checks only, not evidence for the method: the errors on one path are
    # random (measured 0.036 and 0.161; four other seeds gave 0.02-0.21 for Milstein,
    # 0.07-0.77 for Euler-Maruyama), a plain Euler-Maruyama loop passes them too, and the
    # page draws nothing from them. The rounding-level gap above is what guards the loop.
    assert 0 < values["milstein_path_error"] < 2
    assert 0 < values["em_path_error"] < 5


def test_the_strong_error_written_out_matches_sk_strong_errors(values):
    # The same 1000 Brownian paths, the loop summing W read on the finest grid and the
    # toolkit querying the tree at each step: equal to rounding (measured 1e-15). A loop
    # without the Milstein term, or on other paths, differs at O(1) relative.
    assert values["strong_errors_gap"] < 1e-10


def test_measured_convergence_orders(values):
    # Kloeden and Platen: Euler-Maruyama strong 1/2, weak 1; Milstein strong 1, weak 1.
    assert values["em_strong_order"] == pytest.approx(0.5, abs=0.1)
    assert values["em_weak_order"] == pytest.approx(1.0, abs=0.2)
    assert values["milstein_strong_order"] == pytest.approx(1.0, abs=0.15)
    assert values["milstein_weak_order"] == pytest.approx(1.0, abs=0.2)
    # Both methods' expected weak error is exactly e - (1 + h)^(1/h) here; its slope over
    # h = 1/4..1/64 is 0.934 (pre-asymptotic). Recomputed; order 1 or a sampled slope fails.
    step_sizes = [1 / n for n in (4, 8, 16, 32, 64)]
    exact = [math.e - (1 + h) ** round(1 / h) for h in step_sizes]
    slope = np.polyfit(np.log(step_sizes), np.log(exact), 1)[0]
    assert values["weak_exact_order"] == pytest.approx(slope, abs=1e-9)
    assert values["weak_exact_order"] == pytest.approx(0.934, abs=5e-4)
    # The page reads Milstein's sampled slope as near it (measured 0.932) and Euler-Maruyama's
    # 0.99 as sampling noise: on eight other draws of 20,000 paths (numpy, seeds 0-7)
    # Milstein's slope was 0.925 to 0.938, Euler-Maruyama's 0.855 to 1.021.
    assert abs(values["milstein_weak_order"] - values["weak_exact_order"]) < 0.05
    # The weak order alone cannot tell the exercise's loop from Euler-Maruyama (0.99) or
    # from a wrong coefficient on (dW^2 - h); its strong order on the same 20,000 paths can:
    # Euler-Maruyama's is 0.5 (the assertion above), a Milstein term with coefficient 1 or 0
    # instead of 1/2 leaves the leading strong error and gives about 0.5 too.
    # Measured 0.907 (pre-asymptotic; six other draws of the 20,000 paths: 0.908 to 0.912).
    assert values["milstein_exercise_strong_order"] == pytest.approx(1.0, abs=0.15)
    assert values["milstein_exercise_strong_order"] > values["em_strong_order"] + 0.3


def test_phase_noise_smooths_the_loss(values):
    # A deterministic scan of closed-form losses (data cos 2t on [0, 10], omega in [0.25, 4]).
    assert values["phase_ode_minima"] >= 3  # measured 5
    assert values["phase_sde_minima"] == 1
    assert values["phase_weighted_minima"] == 1
    # Small noise does not smooth the loss: local minima against s, scanned with the same
    # closed-form loss (deterministic). An undamped mean would keep 5 at every s.
    levels, minima = (0.25, 0.5, 0.7, 0.8, 0.9), []
    omega, t = np.linspace(0.25, 4.0, 751), np.linspace(0.0, 10.0, 201)
    for level in levels:
        loss = np.mean(
            (np.exp(-(level**2) * t / 2) * np.cos(np.outer(omega, t)) - np.cos(2 * t)) ** 2, axis=1
        )
        minima.append(int(np.sum((loss[1:-1] < loss[:-2]) & (loss[1:-1] < loss[2:]))))
    assert minima == [5, 5, 4, 2, 1]
    assert values["phase_minima_by_noise"] == ", ".join(f"{m} at s = {s}" for s, m in zip(levels, minima))
    # The ODE's descent from omega = 1 stops in a wrong valley (measured 1.22); the noisy
    # loss's reaches its global minimum at omega = 2, where the ODE's loss stays.
    assert values["phase_ode_stuck"] < 1.5
    assert values["phase_sde_global_min"] is True
    assert values["phase_sde_end"] == pytest.approx(2.0, abs=0.01)
    assert values["phase_final"] == pytest.approx(2.0, abs=0.005)
    # The noisy model's best loss: its damped mean e^{-t/2} cos 2t against cos 2t.
    t = np.linspace(0.0, 10.0, 201)
    damped_loss = np.mean(((np.exp(-t / 2) - 1) * np.cos(2 * t)) ** 2)
    assert values["phase_sde_best_loss"] == pytest.approx(damped_loss, rel=0.02)
    # Sampled: 2,000 paths against Ito's damped mean, the largest of 200 z-scores (the
    # page's run: 2.8; seeds 0-4 of a rehearsal: 1.9 to 2.5). Against an undamped mean cos 2t the paths are tens
    # of standard errors off.
    assert values["phase_z"] < 5


def test_the_data_are_accurate_and_euler_maruyama_is_not(values):
    # Heun drift: doubling the step moves the mean by ~0.002 (measured 0.0018); the scheme
    # at dt = 0.01 stays near the data (measured 0.0081). A wrong predictor (e.g. the
    # corrector without the 1/2) would move these to O(0.1) or more.
    assert values["spiral_heun_half_gap"] < 0.01
    assert values["spiral_heun_coarse_gap"] < 0.03
    # Euler-Maruyama at dt = 0.002 is off by 0.152 (weak error of the drift), far above that.
    assert values["spiral_em_fine_gap"] > 5 * values["spiral_heun_coarse_gap"]
    assert values["spiral_em_fine_gap"] > 0.05
    # At dt = 0.01 some of the 400 Euler-Maruyama paths overflow (they end as NaN): data
    # seeds 0-11 gave 0, 6, 2, 3, 1, 1, 1, 3, 2, 3, 3, 1, so zero is allowed. What holds in
    # every seed is that the finite paths' mean is far from the data (seeds 0-11: 0.81 to
    # 1e235), where the Heun-drift scheme at the same step is 0.0081 off.
    blown = values["spiral_blown_up_paths"]
    assert 0 <= blown <= 20
    assert values["spiral_em_finite_gap"] > 0.3
    assert values["spiral_em_finite_gap"] > 10 * values["spiral_heun_coarse_gap"]
    gap = f"{values['spiral_em_finite_gap']:.2g}"
    if blown == 0:
        expected = f"no path overflows, but the mean is {gap} off"
    else:
        verb = "overflows and ends" if blown == 1 else "overflow and end"
        kind = "NaN (not a number)" if values["spiral_overflow_all_nan"] else "inf or NaN"
        expected = (
            f"{blown} of the 400 paths {verb} as {kind}, which makes the ensemble mean useless; "
            f"the mean of the other {400 - blown} is {gap} off"
        )
    assert values["spiral_em_overflow"] == expected
    assert values["spiral_data_largest"] < 5  # the data's paths are all finite and bounded
    # The page: the scheme's error in the data (0.0018) is far below their sampling error,
    # which the control shows (the true SDE on 200 paths is 0.19 off the data's mean).
    assert values["neural_sde_true_mean_error"] > 10 * values["spiral_heun_half_gap"]


def test_the_neural_sde_fits_the_ensemble_to_the_sampling_noise_but_not_the_noise_level(values):
    assert values["neural_sde_loss_drop"] > 50
    # Against the untrained model (the negative control, ~3.6 off in the mean).
    assert values["neural_sde_untrained_mean_error"] > 1
    assert values["neural_sde_mean_error"] < values["neural_sde_untrained_mean_error"] / 10
    # The true SDE through the same scheme and increments: loss ~0.011, ~0.19 off in the
    # mean (sampling noise of 200 vs 400 paths). Trained at a step where the scheme is
    # wrong, this control scored 0.6 (mean 0.9 off): the bound fails such a scheme.
    assert values["neural_sde_true_loss"] < 0.05
    assert values["neural_sde_true_mean_error"] < 0.4
    # The fit reaches the control's scale, not far below or above it (measured 0.015).
    assert values["neural_sde_best_loss"] < 3 * values["neural_sde_true_loss"]
    assert values["neural_sde_mean_error"] < 2 * values["neural_sde_true_mean_error"]
    above = values["neural_sde_best_loss"] > values["neural_sde_true_loss"]
    assert values["neural_sde_fit_verdict"] == ("above" if above else "below")
    # On 40,000 fresh paths common to both, the fit's loss over the truth's against the same
    # ratio on its 200 training paths (1.35 here). For this fit (keys 5 and 6) the fresh
    # ratio was 6.0 on 20,000 and 6.4 on 40,000 other paths, but 3.0 to 12.5 on twelve
    # draws of 4000: hence the 40,000. The verdict the page prints is the one the numbers give.
    train_ratio = values["neural_sde_best_loss"] / values["neural_sde_true_loss"]
    fresh_ratio = values["neural_sde_fresh_fit_loss"] / values["neural_sde_fresh_true_loss"]
    assert values["neural_sde_train_ratio"] == pytest.approx(train_ratio, rel=1e-9)
    assert values["neural_sde_fresh_ratio"] == pytest.approx(fresh_ratio, rel=1e-9)
    # Like with like (reviews r09e, r09f): the two ratios above have different denominators
    # (the truth's loss falls with more paths), and a ratio of means over 200-path draws still
    # let lucky untrained models through (one draw's loss varies a lot: 18 of 60 untrained
    # models near the truth passed a margin of 2). The reading rests on how many fresh
    # 200-path draws score below the training paths: 0 of 200 for the fit, 130 or so for the
    # truth; the lucky untrained models had 3% to 21%, so a gate at 1% tells them apart.
    draws = values["neural_sde_unseen_draws"]
    assert draws == 200
    learned = values["neural_sde_fit_draws_below"] < 0.01 * draws
    below = values["neural_sde_fit_draws_below"]
    beaten = "every fresh draw" if below == 0 else f"all but {below} of the fresh draws"
    assert values["neural_sde_overfit_reading"].startswith(
        f"the fit's own 200 paths score better than {beaten}, and" if learned else "fresh draws score as well"
    )
    # The truth's own paths are one more draw, so their rank among the fresh draws is uniform
    # (129 of 200 here): a bug scoring it on its training paths (no draw below, or all by
    # rounding) or on the pooled paths (every draw below its own loss) fails.
    assert 0 < values["neural_sde_true_draws_below"] < draws
    assert 0.3 < values["neural_sde_true_unseen_over_own"] < 3
    # Each side's mean over the draws is at least its loss on all the pooled paths (measured
    # 0.061 against 0.028 for the fit, 0.011 against 0.0045 for the truth): scoring the fit
    # or the truth on the pooled paths, or on its own, gives a mean equal to one of those.
    assert values["neural_sde_fit_unseen_mean_loss"] > 1.5 * values["neural_sde_fresh_fit_loss"]
    assert values["neural_sde_true_unseen_mean_loss"] > 1.5 * values["neural_sde_fresh_true_loss"]
    assert values["neural_sde_fit_unseen_over_own"] == pytest.approx(
        values["neural_sde_fit_unseen_mean_loss"] / values["neural_sde_best_loss"], rel=1e-9)
    # Today's fit: its mean fresh loss 3.98 times its training loss (an untrained network's
    # is near 1, the truth's 0.93).
    assert 2.5 < values["neural_sde_fit_unseen_over_own"] < 8
    # The page's number for this fit: a fit as good as the truth (ratio ~1) or the untrained
    # model (~3.6 off in the mean, a loss hundreds of times the truth's) fails.
    assert 3 < fresh_ratio < 12
    # What the page says of the truth's fresh loss: with 40,000 model paths it is mostly the
    # data's sampling noise, well below its loss on 200 model paths (0.0042 against 0.0114
    # on other 40,000 paths; 0.0029 to 0.0072 on the 4000-path draws).
    assert values["neural_sde_fresh_true_loss"] < values["neural_sde_true_loss"] / 2
    # The noise scale is not recovered (measured 0.48 against a true 0.2, with the model's
    # initial key 6 and increments key 5 only; no other seed's scale was recorded, hence the
    # wide bound). What the page needs is only that it is neither its start, 0.1, nor near
    # 0.2: a fit that stayed put or found 0.2 fails here.
    assert 0.25 < values["neural_sde_noise_scale"] < 1.5
    close = abs(values["neural_sde_noise_scale"] - 0.2) < 0.05
    assert values["neural_sde_noise_verdict"] == ("close to" if close else "far from")


def test_the_variance_error_is_mostly_sampling(values):
    # Variances up to ~1.2; the fit's largest error ~0.26, the true SDE's on the same
    # increments ~0.20 (the floor). The scheme at dt = 0.01 on the data's own paths, where
    # sampling cancels to leading order, is at most ~0.017 off at any time; the page says
    # the floor is "mostly sampling", which needs that below a quarter of the floor.
    assert values["neural_sde_largest_variance"] == pytest.approx(1.2, rel=0.2)
    assert values["neural_sde_variance_error"] < 0.4
    assert values["neural_sde_scheme_variance_error"] < values["neural_sde_true_variance_error"] / 4
    assert values["neural_sde_scheme_variance_error"] < 0.05
    # The fit's largest error against that floor: above it by 0.06 here; over four other
    # seeds from 0.05 below to 0.11 above, never by as much as the floor itself.
    excess = values["neural_sde_variance_error"] - values["neural_sde_true_variance_error"]
    assert values["neural_sde_variance_excess_size"] == pytest.approx(abs(excess), abs=1e-12)
    assert values["neural_sde_variance_verdict"] == ("above" if excess > 0 else "below")
    assert abs(excess) < values["neural_sde_true_variance_error"]


def test_the_drift_stands_in_for_the_noise(values):
    # The true drift with the learned noise scale (~0.48) scores ~60 times the true SDE's
    # loss; the fitted drift with that same noise scale scores near the true SDE's. Were the
    # noise scale near 0.2, the ratio would be near 1.
    assert values["neural_sde_swapped_noise_ratio"] > 10
    assert values["neural_sde_swapped_noise_loss"] == pytest.approx(
        values["neural_sde_swapped_noise_ratio"] * values["neural_sde_true_loss"], rel=1e-9
    )
    assert values["neural_sde_swapped_noise_loss"] > 10 * values["neural_sde_best_loss"]


def test_the_toolkit_density_is_the_hand_built_law(values):
    # sk.ornstein_uhlenbeck_density against scipy's normal with the page's mean and
    # standard deviation written out: rounding (measured below 1e-14). A wrong variance,
    # e.g. without the 1/(2 theta), is off by O(1).
    assert values["ou_density_gap"] < 1e-10


def test_euler_maruyamas_law_for_ornstein_uhlenbeck_in_closed_form(values):
    # theta = 2, m = 1, s = 0.5, x0 = -1, dt = 0.01, 100 steps: a Gaussian recursion.
    damping = 1 - 2.0 * 0.01
    em_mean, exact_mean = 1 - 2 * damping**100, 1 - 2 * math.exp(-2.0)
    em_variance = 0.25 * 0.01 * (1 - damping**200) / (1 - damping**2)
    exact_variance = 0.25 * (1 - math.exp(-4.0)) / 4.0
    assert values["ou_em_mean"] == pytest.approx(em_mean, rel=1e-12)
    assert values["ou_exact_mean"] == pytest.approx(exact_mean, rel=1e-12)
    assert values["ou_variance_excess_percent"] == pytest.approx(
        100 * (em_variance / exact_variance - 1), rel=1e-9
    )
    # The gap between the two laws' distribution functions (measured 0.0090 to 4 digits),
    # recomputed here; a method whose law equals the exact one would give 0.
    x = np.linspace(-1.0, 3.0, 400_001)
    gap = np.max(
        np.abs(
            stats.norm(em_mean, math.sqrt(em_variance)).cdf(x)
            - stats.norm(exact_mean, math.sqrt(exact_variance)).cdf(x)
        )
    )
    assert values["ou_em_law_distance"] == pytest.approx(gap, rel=1e-6)
    assert values["ou_em_law_distance"] == pytest.approx(0.0090, abs=0.00005)
    # Most of it is the mean's shift (measured 0.0087): the exact law moved to the method's mean.
    shifted = np.max(
        np.abs(
            stats.norm(em_mean, math.sqrt(exact_variance)).cdf(x)
            - stats.norm(exact_mean, math.sqrt(exact_variance)).cdf(x)
        )
    )
    assert values["ou_shift_only_distance"] == pytest.approx(shifted, rel=1e-6)
    assert (
        0.9 * values["ou_em_law_distance"] < values["ou_shift_only_distance"] < values["ou_em_law_distance"]
    )


def test_the_ornstein_uhlenbeck_sample_against_both_laws(values):
    n = 20_000
    assert values["ou_ks_critical"] == pytest.approx(stats.kstwo.ppf(0.95, n), rel=1e-9)
    # What the page says: the method's gap is about the size of that threshold (0.0090 vs 0.0096).
    assert 0.7 < values["ou_em_law_distance"] / values["ou_ks_critical"] < 1.3
    # The sample against the law it is drawn from: a correct simulation exceeds the 99.9%
    # point 0.1% of the time (seeds 7, 21-27: 0.0036 to 0.0083 against 0.0138); a wrong
    # one (no noise, or a wrong drift) lies far beyond.
    assert values["ou_ks_to_em_law"] < stats.kstwo.ppf(0.999, n)
    # Consistency check only (it holds for any sample, by the triangle inequality; the
    # tolerance covers the gap's evaluation on a grid): the page's reading of the second
    # distance as the laws' gap give or take the sampling part.
    assert abs(values["ou_ks_distance"] - values["ou_em_law_distance"]) <= values["ou_ks_to_em_law"] + 1e-5
    # The verdicts the page prints are the ones the numbers give. Seeds 7 and 23-26 gave
    # "above" for the exact law, 21, 22 and 27 "below": the page says it goes either way.
    critical = values["ou_ks_critical"]
    assert values["ou_ks_em_verdict"] == ("below" if values["ou_ks_to_em_law"] < critical else "above")
    assert values["ou_ks_exact_verdict"] == ("below" if values["ou_ks_distance"] < critical else "above")


def test_feynman_kac_in_ten_dimensions(values):
    # Sampled: the estimate within 4 of its own standard errors (a wrong exponent, e.g.
    # without the 1/2, moves the exact value by ~0.12, about 65 standard errors).
    assert abs(values["feynman_kac_z"]) < 4
    # The spread of g(X_T) = cos(S), S ~ N(1, 0.9): in closed form 0.589.
    mean_s, var_s = 1.0, 10 * 0.3**2
    spread = math.sqrt(
        (1 + math.cos(2 * mean_s) * math.exp(-2 * var_s)) / 2 - (math.cos(mean_s) * math.exp(-var_s / 2)) ** 2
    )
    assert values["feynman_kac_sd"] == pytest.approx(spread, rel=0.02)
    # Consistency check only (true by definition): the glued error is the page's sd / sqrt(n).
    assert values["feynman_kac_se"] == pytest.approx(values["feynman_kac_sd"] / math.sqrt(100_000), rel=1e-6)
