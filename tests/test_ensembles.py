"""Ensemble solves equal the per-trajectory loop, on one device and sharded over several."""

import os
import subprocess
import sys
import textwrap

import jax
import jax.numpy as jnp
import numpy as np
import pytest

import scimlkit as sk


@pytest.mark.slow
def test_ensemble_over_parameters_equals_the_loop_to_solver_tolerance():
    lv = sk.lotka_volterra()
    ts = jnp.linspace(0.0, 5.0, 11)
    params = lv.params * (1.0 + 0.2 * jax.random.uniform(jax.random.key(0), (7, 4), minval=-1.0, maxval=1.0))
    y0s = jnp.tile(lv.y0, (7, 1))
    options = dict(batched_params=True, rtol=1e-8, atol=1e-8)
    together = sk.ensemble_solve(lv.vector_field, ts, y0s, params, **options)
    one_by_one = sk.solve_one_by_one(lv.vector_field, ts, y0s, params, **options)
    assert together.shape == (7, 11, 2)
    # Each member takes its own adaptive steps, so the two agree to the solver's
    # tolerance (here far tighter: the steps are the same).
    np.testing.assert_allclose(together, one_by_one, rtol=1e-8, atol=1e-8)
    # ... and both agree with the plain solver.
    np.testing.assert_allclose(together[3], sk.solve(lv, ts, params[3]), rtol=1e-6, atol=1e-6)


@pytest.mark.slow
def test_shared_parameters_and_many_initial_states():
    lv = sk.lotka_volterra()
    ts = jnp.linspace(0.0, 2.0, 5)
    y0s = jnp.array([[1.0, 1.0], [2.0, 0.5], [0.5, 2.0]])
    together = sk.ensemble_solve(lv.vector_field, ts, y0s, lv.params, shard=True)
    one_by_one = sk.solve_one_by_one(lv.vector_field, ts, y0s, lv.params)
    np.testing.assert_allclose(together, one_by_one, rtol=1e-6, atol=1e-6)


@pytest.mark.slow
def test_sharding_over_several_devices_keeps_the_answer():
    # Four host "devices" need a fresh process: the device count is fixed at JAX start-up.
    script = textwrap.dedent(
        """
        import jax
        jax.config.update("jax_enable_x64", True)
        import jax.numpy as jnp, numpy as np
        import scimlkit as sk
        assert len(jax.devices()) == 4
        lv = sk.lotka_volterra()
        ts = jnp.linspace(0.0, 2.0, 5)
        y0s = 1.0 + 0.1 * jnp.arange(10.0)[:, None] * jnp.ones((10, 2))
        sharded = sk.ensemble_solve(lv.vector_field, ts, y0s, lv.params, shard=True, rtol=1e-8, atol=1e-8)
        loop = sk.solve_one_by_one(lv.vector_field, ts, y0s, lv.params, rtol=1e-8, atol=1e-8)
        assert sharded.shape == (10, 5, 2)
        np.testing.assert_allclose(sharded, loop, rtol=1e-8, atol=1e-8)
        print("ok")
        """
    )
    environment = dict(os.environ, XLA_FLAGS="--xla_force_host_platform_device_count=4", JAX_PLATFORMS="cpu")
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, env=environment, timeout=600)
    assert done.returncode == 0 and done.stdout.strip() == "ok", done.stderr[-3000:]


def test_bad_shapes_say_what_is_wrong():
    lv = sk.lotka_volterra()
    with pytest.raises(ValueError, match=r"y0s must have shape \(batch, state\)"):
        sk.ensemble_solve(lv.vector_field, jnp.linspace(0, 1, 3), lv.y0, lv.params)
    with pytest.raises(ValueError, match="leading axis"):
        sk.ensemble_solve(lv.vector_field, jnp.linspace(0, 1, 3), jnp.ones((3, 2)), lv.params, batched_params=True)
