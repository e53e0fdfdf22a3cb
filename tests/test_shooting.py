"""Multiple shooting: segments, the loss at the truth, and the gap penalty."""

import jax.numpy as jnp
import numpy as np
import pytest

import scimlkit as sk
from scimlkit.shooting import solve_segments


def test_segments_share_their_end_points():
    ts = jnp.linspace(0.0, 10.0, 11)
    ys = jnp.stack([ts, 2 * ts], axis=1)
    ts_segments, ys_segments = sk.split_into_segments(ts, ys, 5)
    assert ts_segments.shape == (5, 3) and ys_segments.shape == (5, 3, 2)
    np.testing.assert_array_equal(ts_segments[:-1, -1], ts_segments[1:, 0])
    np.testing.assert_array_equal(ys_segments[2], ys[4:7])
    with pytest.raises(ValueError, match="multiple of n_segments"):
        sk.split_into_segments(ts, ys, 3)


@pytest.mark.slow
def test_loss_vanishes_at_the_truth_and_penalises_gaps():
    lv = sk.lotka_volterra()
    ts = jnp.linspace(0.0, 10.0, 41)
    data = sk.solve(lv, ts)
    ts_segments, ys_segments = sk.split_into_segments(ts, data, 4)
    starts = ys_segments[:, 0]
    at_truth = sk.multiple_shooting_loss({"params": lv.params, "starts": starts}, lv, ts, data, rtol=1e-9, atol=1e-9)
    assert float(at_truth) < 1e-12
    # Each segment solved from its data point reproduces the single long solve.
    pieces = solve_segments(lv.vector_field, lv.params, starts, ts_segments, rtol=1e-9, atol=1e-9)
    np.testing.assert_allclose(pieces, ys_segments, atol=1e-6)
    # Moving one start opens a gap that the penalty sees.
    moved = starts.at[2].add(0.1)
    with_gap = sk.multiple_shooting_loss(
        {"params": lv.params, "starts": moved}, lv.vector_field, ts, data, continuity_weight=10.0, rtol=1e-9, atol=1e-9
    )
    without_penalty = sk.multiple_shooting_loss(
        {"params": lv.params, "starts": moved}, lv.vector_field, ts, data, continuity_weight=0.0, rtol=1e-9, atol=1e-9
    )
    # The joint before the moved start has a gap of 0.1 in both states (mean squared gap
    # over 3 joints x 2 states at least 2 * 0.01 / 6); the joint after it opens a gap too.
    assert float(with_gap - without_penalty) > 10.0 * 2 * 0.01 / 6
