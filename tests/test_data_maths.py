"""Synthetic data against second moments: uniform by area means E r^2 is the mean of the squared radii."""

from __future__ import annotations

import jax
import jax.numpy as jnp
import numpy as np
import pytest

import scimlkit as sk

jax.config.update("jax_enable_x64", True)


def test_circles_are_uniform_by_area_with_uniform_angles():
    points, labels = sk.concentric_circles(jax.random.key(5), 8000, inner_radius=0.7, annulus=(1.2, 2.0))
    points, labels = np.asarray(points), np.asarray(labels)
    r2 = np.sum(points**2, axis=1)
    # r^2 is uniform on [0, 0.49] inside and on [1.44, 4.0] outside: means 0.245 and 2.72,
    # variances 0.49^2/12 and 2.56^2/12 (radii uniform in r instead of r^2 give 0.163 and 2.61).
    inner, outer = r2[labels == -1], r2[labels == 1]
    assert inner.mean() == pytest.approx(0.245, abs=4 * 0.49 / np.sqrt(12 * 4000))
    assert outer.mean() == pytest.approx(2.72, abs=4 * 2.56 / np.sqrt(12 * 4000))
    assert outer.var() == pytest.approx(2.56**2 / 12, rel=0.06)
    angles = np.arctan2(points[:, 1], points[:, 0])
    assert abs(np.mean(np.cos(angles))) < 4 / np.sqrt(2 * 8000) and abs(np.mean(np.sin(angles))) < 4 / np.sqrt(2 * 8000)


def test_relative_noise_scales_with_each_columns_mean_magnitude():
    values = jnp.stack([jnp.linspace(-2.0, 2.0, 20001), jnp.full(20001, 10.0)], axis=1)  # mean |x| = 1 and 10
    noise = np.asarray(sk.add_relative_noise(jax.random.key(2), values, 0.1) - values)
    np.testing.assert_allclose(noise.std(axis=0), [0.1, 1.0], rtol=0.03)
    assert np.all(np.abs(noise.mean(axis=0)) < 4 * np.array([0.1, 1.0]) / np.sqrt(20001))
