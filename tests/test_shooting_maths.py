"""Multiple shooting by hand on a linear system whose segments have a closed form."""

from __future__ import annotations

import jax
import jax.numpy as jnp
import numpy as np
import pytest

import scimlkit as sk
from scimlkit.shooting import solve_segments

jax.config.update("jax_enable_x64", True)

RATES = jnp.array([0.5, 1.5])


def decay(t, y, rates):
    return -rates * y


@pytest.mark.slow
def test_split_into_uneven_segments_shares_ends_and_covers_every_sample():
    ts = jnp.linspace(0.0, 3.0, 13) ** 2  # unequal spacing: indices, not times, are split
    ys = jnp.stack([ts, -ts], axis=1)
    ts_segments, ys_segments = sk.split_into_segments(ts, ys, 4)
    assert ts_segments.shape == (4, 4)
    np.testing.assert_array_equal(ts_segments[0], ts[:4])
    np.testing.assert_array_equal(ts_segments[-1], ts[-4:])
    np.testing.assert_array_equal(ys_segments[1], ys[3:7])
    np.testing.assert_array_equal(np.unique(np.asarray(ts_segments)), np.asarray(ts))
    one_ts, one_ys = sk.split_into_segments(ts, ys, 1)
    np.testing.assert_array_equal(one_ts[0], ts)
    with pytest.raises(ValueError, match="multiple of n_segments"):
        sk.split_into_segments(ts, ys, 5)
    with pytest.raises(ValueError, match="segments sharing end points"):
        sk.split_into_segments(ts, ys, 0)


@pytest.mark.slow
def test_multiple_shooting_loss_is_the_misfit_plus_the_weighted_mean_squared_gaps():
    ts = jnp.linspace(0.0, 2.0, 7)
    data = 0.3 + 0.05 * np.arange(14.0).reshape(7, 2) / 14  # the whole series, cut below as the loss cuts it
    ts_segments, data_segments = sk.split_into_segments(ts, jnp.asarray(data), 3)
    starts = jnp.array([[1.0, 2.0], [0.5, 1.0], [0.3, 0.2]])
    # Each segment decays from its own start: y = start * exp(-rate (t - t_start)).
    exact = np.asarray(starts)[:, None, :] * np.exp(-np.asarray(RATES) * (np.asarray(ts_segments) - np.asarray(ts_segments)[:, :1])[..., None])
    np.testing.assert_allclose(solve_segments(decay, RATES, starts, ts_segments, rtol=1e-10, atol=1e-10), exact,
                               rtol=1e-8)
    # At its default tolerances (1e-6) a segment solve is accurate to about that level too.
    np.testing.assert_allclose(solve_segments(decay, RATES, starts, ts_segments), exact, rtol=1e-5)
    gaps = exact[:-1, -1] - np.asarray(starts)[1:]
    expected = np.mean((exact - np.asarray(data_segments)) ** 2) + 7.5 * np.mean(gaps**2)
    guess = {"params": RATES, "starts": starts}
    loss = sk.multiple_shooting_loss(guess, decay, ts, jnp.asarray(data), continuity_weight=7.5, rtol=1e-10, atol=1e-10)
    assert float(loss) == pytest.approx(expected, rel=1e-7)
    # One segment has no joint: the loss is the misfit of one solve over the whole series.
    whole = np.asarray(starts[0]) * np.exp(-np.asarray(RATES) * np.asarray(ts)[:, None])
    single = sk.multiple_shooting_loss({"params": RATES, "starts": starts[:1]}, decay, ts, jnp.asarray(data),
                                       continuity_weight=7.5, rtol=1e-10, atol=1e-10)
    assert float(single) == pytest.approx(np.mean((whole - data) ** 2), rel=1e-7)


def test_the_loss_at_its_default_tolerances_is_the_closed_form_misfit_plus_weighted_gaps():
    """The inner loop's check of the loss itself: three segments of y' = -rate y from starts off
    the solution, against the closed form (one compiled solve)."""
    ts = jnp.linspace(0.0, 2.0, 7)
    data = 0.3 + 0.05 * np.arange(14.0).reshape(7, 2) / 14
    starts = np.array([[1.0, 2.0], [0.5, 1.0], [0.3, 0.2]])
    segments = np.array([[0, 1, 2], [2, 3, 4], [4, 5, 6]])  # three segments sharing their end samples
    segment_ts = np.asarray(ts)[segments]
    exact = starts[:, None, :] * np.exp(-np.asarray(RATES) * (segment_ts - segment_ts[:, :1])[..., None])
    data_segments = data[segments]
    gaps = exact[:-1, -1] - starts[1:]
    expected = np.mean((exact - data_segments) ** 2) + 7.5 * np.mean(gaps**2)
    loss = sk.multiple_shooting_loss({"params": RATES, "starts": jnp.asarray(starts)}, decay, ts, jnp.asarray(data),
                                     continuity_weight=7.5)
    assert float(loss) == pytest.approx(expected, rel=1e-6)


def test_the_guess_starts_each_segment_at_its_first_sample():
    data = jnp.arange(82.0).reshape(41, 2)
    guess = sk.shooting_guess(jnp.ones(3), data, 10)
    np.testing.assert_array_equal(guess["starts"], data[0:40:4])
    assert guess["starts"].shape == (10, 2)


def test_an_uneven_split_says_how_many_intervals_there_are():
    ts = jnp.linspace(0.0, 1.0, 13)
    with pytest.raises(ValueError, match=r"m - 1 = 12 must be a multiple of n_segments"):
        sk.split_into_segments(ts, jnp.stack([ts, ts], axis=1), 5)


def test_the_step_budget_defaults_to_diffrax_s_own():
    import inspect

    import diffrax

    own = inspect.signature(diffrax.diffeqsolve).parameters["max_steps"].default
    assert inspect.signature(solve_segments).parameters["max_steps"].default == own
    assert inspect.signature(sk.multiple_shooting_loss).parameters["max_steps"].default == own
