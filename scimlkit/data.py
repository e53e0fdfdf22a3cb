"""Synthetic observations: what an experiment would have measured."""

from __future__ import annotations

import jax
import jax.numpy as jnp
from jaxtyping import Array, Float, PRNGKeyArray


def add_relative_noise(
    key: PRNGKeyArray, values: Float[Array, "m n"], level: float
) -> Float[Array, "m n"]:
    """Add Gaussian noise whose scale is ``level`` times each column's mean magnitude.

    This is the convention of Rackauckas et al. (2020): 5% noise means a standard
    deviation of 0.05 times the state's mean over the sampled times.
    """
    if level < 0:
        raise ValueError(f"noise level must be non-negative, got {level}")
    scale = level * jnp.mean(jnp.abs(values), axis=0, keepdims=True)
    return values + scale * jax.random.normal(key, values.shape, dtype=values.dtype)


def train_test_split(
    key: PRNGKeyArray, n: int, test_fraction: float
) -> tuple[Array, Array]:
    """Shuffle ``range(n)`` and split it into sorted train and test index arrays."""
    if not 0.0 < test_fraction < 1.0:
        raise ValueError(f"test_fraction must lie strictly between 0 and 1, got {test_fraction}")
    n_test = max(1, round(n * test_fraction))
    if n_test >= n:
        raise ValueError(f"cannot hold out {n_test} of {n} samples and still train")
    order = jax.random.permutation(key, n)
    return jnp.sort(order[n_test:]), jnp.sort(order[:n_test])
