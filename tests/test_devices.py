"""Batched work spread over devices: the sharded result equals the single-device one."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import textwrap

import jax.numpy as jnp
import pytest

import scimlkit as sk

FOUR_DEVICES = textwrap.dedent(
    """
    import json
    import jax
    jax.config.update("jax_enable_x64", True)
    import jax.numpy as jnp
    import numpy as np
    import scimlkit as sk

    problem = sk.lotka_volterra()
    ts = jnp.linspace(0.0, 5.0, 11)

    def solve_one(y0):
        return sk.solve(problem, ts, y0=y0)

    ensemble = jnp.stack([jnp.asarray(problem.y0) * (1.0 + 0.1 * k) for k in range(10)])
    sharded = sk.map_batch(solve_one, ensemble)
    one_device = sk.map_batch(solve_one, ensemble, devices=jax.devices()[:1])
    plain = jax.vmap(solve_one)(ensemble)
    even = sk.map_batch(solve_one, ensemble[:8])
    try:
        sk.shard_batch(ensemble[:3])
        uneven = "accepted"
    except ValueError as error:
        uneven = str(error)
    print(json.dumps({
        "devices": jax.device_count(),
        "shape": list(sharded.shape),
        "max_vs_one_device": float(np.max(np.abs(np.asarray(sharded) - np.asarray(one_device)))),
        "max_vs_vmap": float(np.max(np.abs(np.asarray(sharded) - np.asarray(plain)))),
        "even_devices": len(even.sharding.device_set),
        "scale": float(jnp.max(jnp.abs(plain))),
        "uneven": uneven,
    }))
    """
)


@pytest.mark.slow
def test_sharded_ensemble_equals_the_single_device_one():
    env = {**os.environ, "XLA_FLAGS": "--xla_force_host_platform_device_count=4", "JAX_PLATFORMS": "cpu"}
    done = subprocess.run([sys.executable, "-c", FOUR_DEVICES], env=env, capture_output=True, text=True, check=False)
    assert done.returncode == 0, done.stderr[-3000:]
    result = json.loads(done.stdout.strip().splitlines()[-1])
    assert result["devices"] == 4 and result["shape"] == [10, 11, 2]
    assert result["even_devices"] == 4, "an evenly split batch must be computed on all four devices"
    assert result["scale"] > 1.0
    # The same compiled program on every device: equal to rounding, far below the solver's 1e-8.
    assert result["max_vs_one_device"] <= 1e-12 * result["scale"]
    assert result["max_vs_vmap"] <= 1e-12 * result["scale"]
    assert result["uneven"] == "shard_batch: a batch of 3 does not split evenly over 4 devices"


def test_map_batch_on_one_device_matches_vmap():
    xs = jnp.linspace(0.0, 1.0, 6)
    out = sk.map_batch(lambda x: {"square": x**2, "pair": jnp.stack([x, -x])}, xs)
    assert jnp.allclose(out["square"], xs**2) and out["pair"].shape == (6, 2)


def test_batches_that_cannot_be_mapped_are_refused_clearly():
    with pytest.raises(ValueError, match="disagree on the batch size: \\[3, 4\\]"):
        sk.map_batch(lambda pair: pair[0], (jnp.ones(3), jnp.ones(4)))
    with pytest.raises(ValueError, match="found a scalar"):
        sk.map_batch(lambda a: a, jnp.float32(1.0))


def test_pad_batch_repeats_the_last_member_up_to_a_multiple():
    from scimlkit.devices import batch_size, pad_batch

    batch = {"y0": jnp.arange(10.0).reshape(5, 2), "k": jnp.array([1.0, 2.0, 3.0, 4.0, 5.0])}
    padded = pad_batch(batch, 4)
    assert padded["y0"].shape == (8, 2) and padded["k"].shape == (8,)
    assert jnp.array_equal(padded["y0"][:5], batch["y0"])
    assert jnp.array_equal(padded["y0"][5:], jnp.tile(batch["y0"][-1], (3, 1)))
    assert jnp.array_equal(padded["k"][5:], jnp.full(3, 5.0))
    assert pad_batch(batch, 5) is batch  # already a multiple: untouched
    assert pad_batch(jnp.ones(6), 4).shape == (8,)
    assert batch_size(padded) == 8


def test_map_batch_accepts_an_explicit_device_list():
    import jax

    out = sk.map_batch(lambda x: x + 1.0, jnp.arange(3.0), devices=jax.devices()[:1])
    assert jnp.array_equal(out, jnp.array([1.0, 2.0, 3.0]))


def test_map_batch_takes_devices_by_keyword_only():
    import jax

    with pytest.raises(TypeError):
        sk.map_batch(lambda x: x, jnp.arange(2.0), jax.devices())
