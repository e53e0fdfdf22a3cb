import jax
import jax.numpy as jnp
import numpy as np
import pytest

import scimlkit as sk


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


def test_split_partitions_the_indices():
    train, test = sk.train_test_split(jax.random.key(2), 10, test_fraction=0.3)
    assert len(test) == 3 and len(train) == 7
    assert sorted(np.concatenate([train, test]).tolist()) == list(range(10))
    assert np.all(np.diff(train) > 0) and np.all(np.diff(test) > 0)


@pytest.mark.parametrize("fraction", [0.0, 1.0, -0.2])
def test_split_refuses_fractions_outside_the_open_interval(fraction):
    with pytest.raises(ValueError, match="strictly between 0 and 1"):
        sk.train_test_split(jax.random.key(0), 10, fraction)


def test_split_refuses_to_leave_nothing_to_train_on():
    with pytest.raises(ValueError, match="cannot hold out"):
        sk.train_test_split(jax.random.key(0), 1, 0.5)
