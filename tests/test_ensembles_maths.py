"""An ensemble member is its single solve, and both are the closed form (fast, one compilation each)."""

from __future__ import annotations

import jax
import jax.numpy as jnp
import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

import scimlkit as sk

jax.config.update("jax_enable_x64", True)

TS = jnp.array([0.0, 0.3, 1.0, 1.7])


def rotation_decay(t, y, p):
    # y' = [[-k, w], [-w, -k]] y: a decaying rotation, y(t) = e^{-k t} R(w t) y0.
    k, w = p[0], p[1]
    return jnp.array([-k * y[0] + w * y[1], -w * y[0] - k * y[1]])


def exact(y0, p):
    k, w = p
    t = np.asarray(TS)[:, None]
    c, s = np.cos(w * t), np.sin(w * t)
    return np.exp(-k * t) * np.concatenate([c * y0[0] + s * y0[1], -s * y0[0] + c * y0[1]], axis=1)


members = st.lists(st.tuples(st.floats(-2.0, 2.0), st.floats(-2.0, 2.0), st.floats(0.1, 1.5), st.floats(-3.0, 3.0)),
                   min_size=3, max_size=3)


@settings(max_examples=6, deadline=None, derandomize=True)
@given(members)
def test_each_member_is_its_own_solve_with_its_own_parameters(rows):
    y0s = jnp.array([row[:2] for row in rows])
    params = jnp.array([row[2:] for row in rows])
    options = dict(batched_params=True, rtol=1e-10, atol=1e-10)
    together = sk.ensemble_solve(rotation_decay, TS, y0s, params, **options)
    one_by_one = sk.solve_one_by_one(rotation_decay, TS, y0s, params, **options)
    assert together.shape == (3, 4, 2)
    for index in range(3):
        # The closed form is the independent reference; the two code paths agree more tightly.
        np.testing.assert_allclose(together[index], exact(np.asarray(y0s[index]), np.asarray(params[index])),
                                   rtol=1e-7, atol=1e-8)
        np.testing.assert_allclose(together[index], one_by_one[index], rtol=1e-9, atol=1e-11)


def test_shared_parameters_reach_every_member():
    y0s = jnp.array([[1.0, 0.0], [0.0, 2.0], [-1.0, 0.5]])
    p = jnp.array([0.4, 1.3])
    together = sk.ensemble_solve(rotation_decay, TS, y0s, p, rtol=1e-10, atol=1e-10)
    for index in range(3):
        np.testing.assert_allclose(together[index], exact(np.asarray(y0s[index]), np.asarray(p)), rtol=1e-7, atol=1e-8)
    # Tolerances are traced: a loose one reuses the compilation and is visibly less accurate.
    loose = sk.ensemble_solve(rotation_decay, TS, y0s, p, rtol=1e-3, atol=1e-3)
    assert 1e-9 < float(jnp.abs(loose - together).max()) < 1e-1
