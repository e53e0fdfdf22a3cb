import jax
import jax.numpy as jnp
import numpy as np
import pytest

import scimlkit as sk
from scimlkit.data import train_test_split


def test_relative_noise_has_the_requested_scale_per_column():
    values = jnp.ones((20000, 2)) * jnp.array([1.0, 100.0])
    noisy = sk.add_relative_noise(jax.random.key(0), values, level=0.05)
    spread = np.std(np.asarray(noisy - values), axis=0)
    np.testing.assert_allclose(spread, [0.05, 5.0], rtol=0.03)


def test_zero_noise_changes_nothing_and_negative_noise_is_refused():
    values = jnp.arange(6.0).reshape(3, 2)
    np.testing.assert_array_equal(sk.add_relative_noise(jax.random.key(1), values, 0.0), values)
    with pytest.raises(ValueError, match="non-negative"):
        sk.add_relative_noise(jax.random.key(1), values, -0.1)


def test_noisy_solution_refuses_a_negative_level_before_solving():
    # Without this check a level < 0 would pass silently wherever the level-0 shortcut
    # returns the clean solution (the mutant level < 0 of that shortcut), so it is refused
    # first, for any problem: this one cannot even be solved.
    with pytest.raises(ValueError, match="non-negative"):
        sk.noisy_solution(jax.random.key(0), object(), jnp.linspace(0.0, 1.0, 3), -0.05)


def test_split_partitions_the_indices():
    train, test = train_test_split(jax.random.key(2), 10, test_fraction=0.3)
    assert len(test) == 3 and len(train) == 7
    assert sorted(np.concatenate([train, test]).tolist()) == list(range(10))
    assert np.all(np.diff(train) > 0) and np.all(np.diff(test) > 0)


@pytest.mark.parametrize("fraction", [0.0, 1.0, -0.2])
def test_split_refuses_fractions_outside_the_open_interval(fraction):
    with pytest.raises(ValueError, match="strictly between 0 and 1"):
        train_test_split(jax.random.key(0), 10, fraction)


def test_split_refuses_to_leave_nothing_to_train_on():
    with pytest.raises(ValueError, match="cannot hold out"):
        train_test_split(jax.random.key(0), 1, 0.5)


@pytest.mark.slow
def test_noisy_solution_is_the_solution_plus_relative_noise():
    problem = sk.lotka_volterra()
    ts = jnp.linspace(0.0, 2.0, 21)
    exact = sk.solve(problem, ts)
    np.testing.assert_array_equal(sk.noisy_solution(jax.random.key(0), problem, ts, 0.0), exact)
    noisy = sk.noisy_solution(jax.random.key(0), problem, ts, 0.05)
    np.testing.assert_allclose(noisy, sk.add_relative_noise(jax.random.key(0), exact, 0.05))


@pytest.mark.slow
def test_concentric_circles_have_the_published_radii_and_balanced_labels():
    points, labels = sk.concentric_circles(jax.random.key(3), 501)
    radius = jnp.linalg.norm(points, axis=1)
    assert points.shape == (501, 2)
    assert int(jnp.sum(labels == -1)) == 250 and int(jnp.sum(labels == 1)) == 251
    assert float(radius[labels == -1].max()) < 0.5
    inner_ring = radius[labels == 1]
    assert float(inner_ring.min()) > 1.0 and float(inner_ring.max()) < 1.5


@pytest.mark.slow
def test_digits_are_split_and_scaled_with_training_statistics_only():
    x_train, y_train, x_test, y_test = sk.load_digits(jax.random.key(0), test_fraction=0.2)
    assert x_train.shape[1] == 64 and x_train.shape[0] + x_test.shape[0] == 1797
    assert x_test.shape[0] == 359 and len(y_train) == x_train.shape[0]
    assert set(np.unique(np.asarray(y_train)).tolist()) == set(range(10))
    # Standardised per pixel on the training set: mean 0, and deviation 1 except for
    # pixels that are blank in every training image (kept at 0).
    np.testing.assert_allclose(x_train.mean(axis=0), 0.0, atol=1e-12)
    spread = np.asarray(x_train.std(axis=0))
    assert np.all((np.abs(spread - 1) < 1e-12) | (spread == 0))
    assert not np.allclose(x_test.mean(axis=0), 0.0, atol=1e-3)
