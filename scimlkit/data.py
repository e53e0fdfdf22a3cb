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
    """Shuffle ``range(n)`` and split it into sorted train and test index arrays.

    >>> from scimlkit.data import train_test_split

    >>> train, test = train_test_split(jax.random.key(0), 10, test_fraction=0.2)
    >>> len(train), len(test)
    (8, 2)
    """
    if not 0.0 < test_fraction < 1.0:
        raise ValueError(f"test_fraction must lie strictly between 0 and 1, got {test_fraction}")
    n_test = max(1, round(n * test_fraction))
    if n_test >= n:
        raise ValueError(f"cannot hold out {n_test} of {n} samples and still train")
    order = jax.random.permutation(key, n)
    return jnp.sort(order[n_test:]), jnp.sort(order[:n_test])


def noisy_solution(
    key: PRNGKeyArray,
    problem,
    ts: Float[Array, " m"],
    level: float,
    params=None,
) -> Float[Array, "m n"]:
    """Sample ``problem``'s solution at ``ts`` and add relative noise of ``level``.

    What an experiment on the true system would record; ``level=0`` gives exact data. A
    negative level is refused before anything is solved.
    """
    from .solvers import solve

    if level < 0:
        raise ValueError(f"noise level must be non-negative, got {level}")
    clean = solve(problem, ts, params)
    return clean if level == 0 else add_relative_noise(key, clean, level)


def concentric_circles(
    key: PRNGKeyArray,
    n: int,
    inner_radius: float = 0.5,
    annulus: tuple[float, float] = (1.0, 1.5),
) -> tuple[Float[Array, "n 2"], Float[Array, " n"]]:
    """Points of the disc ``r < inner_radius`` (label -1) and the annulus (label +1).

    The set Dupont et al. (2019) use to show that a neural ODE in the plane cannot
    separate the two classes with a linear readout without stretching space hard. Half
    of the ``n`` points fall in each class; radii are drawn uniformly by area.
    """
    k_angle, k_inner, k_outer = jax.random.split(key, 3)
    n_inner = n // 2
    n_outer = n - n_inner
    angles = jax.random.uniform(k_angle, (n,), maxval=2.0 * jnp.pi)
    r_inner = inner_radius * jnp.sqrt(jax.random.uniform(k_inner, (n_inner,)))
    lo, hi = annulus
    r_outer = jnp.sqrt(lo**2 + (hi**2 - lo**2) * jax.random.uniform(k_outer, (n_outer,)))
    radii = jnp.concatenate([r_inner, r_outer])
    points = radii[:, None] * jnp.stack([jnp.cos(angles), jnp.sin(angles)], axis=1)
    labels = jnp.concatenate([-jnp.ones(n_inner), jnp.ones(n_outer)])
    return points, labels


def load_digits(
    key: PRNGKeyArray, test_fraction: float = 0.2
) -> tuple[Float[Array, "a 64"], Array, Float[Array, "b 64"], Array]:
    """scikit-learn's 1797 8x8 digit images, split into ``(x_train, y_train, x_test, y_test)``.

    Pixels (0-16) are standardised with the training set's mean and deviation per pixel
    (pixels that are always blank stay zero), so test images never inform the scaling.
    """
    from sklearn.datasets import load_digits as sklearn_digits

    images, labels = sklearn_digits(return_X_y=True)
    images, labels = jnp.asarray(images, dtype=float), jnp.asarray(labels)
    train, test = train_test_split(key, len(labels), test_fraction)
    mean = images[train].mean(axis=0)
    std = images[train].std(axis=0)
    std = jnp.where(std > 0, std, 1.0)
    scaled = (images - mean) / std
    return scaled[train], labels[train], scaled[test], labels[test]
