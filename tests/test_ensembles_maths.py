"""An ensemble member is its single solve, and both are the closed form (one compilation each)."""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap

import jax
import jax.numpy as jnp
import numpy as np
import pytest
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
@pytest.mark.slow
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


@pytest.mark.slow
def test_shared_parameters_reach_every_member():
    y0s = jnp.array([[1.0, 0.0], [0.0, 2.0], [-1.0, 0.5]])
    p = jnp.array([0.4, 1.3])
    together = sk.ensemble_solve(rotation_decay, TS, y0s, p, rtol=1e-10, atol=1e-10)
    for index in range(3):
        np.testing.assert_allclose(together[index], exact(np.asarray(y0s[index]), np.asarray(p)), rtol=1e-7, atol=1e-8)
    # Tolerances are traced: a loose one reuses the compilation and is visibly less accurate.
    loose = sk.ensemble_solve(rotation_decay, TS, y0s, p, rtol=1e-3, atol=1e-3)
    assert 1e-9 < float(jnp.abs(loose - together).max()) < 1e-1


def test_options_are_keyword_only():
    # Refused before anything is solved or compiled.
    y0s = jnp.ones((2, 2))
    with pytest.raises(TypeError):
        sk.ensemble_solve(rotation_decay, TS, y0s, jnp.array([0.1, 0.2]), False)
    with pytest.raises(TypeError):
        sk.solve_one_by_one(rotation_decay, TS, y0s, jnp.array([0.1, 0.2]), False)


@pytest.mark.slow
def test_params_may_be_named():
    named = sk.ensemble_solve(rotation_decay, TS, jnp.ones((2, 2)), params=jnp.array([0.1, 0.2]))
    assert named.shape == (2, 4, 2)


@pytest.mark.slow
def test_shard_true_spreads_the_batch_over_every_device():
    # Four host "devices" need a fresh process: the device count is fixed when JAX starts.
    script = textwrap.dedent(
        """
        import jax
        jax.config.update("jax_enable_x64", True)
        import jax.numpy as jnp
        import scimlkit as sk
        y0s = jnp.ones((8, 1)) * jnp.arange(1.0, 9.0)[:, None]
        ts = jnp.array([0.0, 1.0])
        sharded = sk.ensemble_solve(lambda t, y, p: -y, ts, y0s, shard=True)
        plain = sk.ensemble_solve(lambda t, y, p: -y, ts, y0s)
        print(len(sharded.sharding.device_set), len(plain.sharding.device_set))
        """
    )
    environment = dict(os.environ, XLA_FLAGS="--xla_force_host_platform_device_count=4", JAX_PLATFORMS="cpu")
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, env=environment, timeout=600)
    assert done.returncode == 0, done.stderr[-3000:]
    assert done.stdout.split() == ["4", "1"]
