"""Spread batched work over every visible device with ``jax.sharding``.

An ensemble of ODE or SDE solves, a deep BSDE batch or a batch of PINN collocation
points is one function mapped over a leading batch axis. :func:`map_batch` runs that
map with the batch split across the devices (GPUs, or the CPU's host devices), so a
lecture written for one device uses all of them by changing only the toolkit call:

    final_states = sk.map_batch(solve_one, initial_states)      # instead of jax.vmap

The result equals ``jax.vmap(fn)(batch)`` on one device: each element is computed by
the same compiled program, only on different devices.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from functools import lru_cache

import jax
import jax.numpy as jnp
import numpy as np
from jax.sharding import Mesh, NamedSharding, PartitionSpec
from jaxtyping import PyTree

BATCH_AXIS = "batch"


def batch_sharding(devices: Sequence[jax.Device] | None = None) -> NamedSharding:
    """Split an array's leading axis over ``devices`` (default: all of JAX's devices)."""
    mesh = Mesh(np.asarray(list(devices) if devices is not None else jax.devices()), (BATCH_AXIS,))
    return NamedSharding(mesh, PartitionSpec(BATCH_AXIS))


def batch_size(batch: PyTree) -> int:
    """The common length of the leading axis of every array in ``batch``."""
    sizes = {jnp.shape(leaf)[0] if jnp.ndim(leaf) else None for leaf in jax.tree.leaves(batch)}
    if None in sizes:
        raise ValueError("map_batch: every array in the batch needs a leading batch axis; found a scalar")
    if len(sizes) != 1:
        raise ValueError(f"map_batch: the batch's arrays disagree on the batch size: {sorted(sizes)}")
    return sizes.pop()


def shard_batch(batch: PyTree, devices: Sequence[jax.Device] | None = None) -> PyTree:
    """Place ``batch`` with its leading axis split evenly over the devices."""
    sharding = batch_sharding(devices)
    count = sharding.mesh.size
    size = batch_size(batch)
    if size % count:
        raise ValueError(f"shard_batch: a batch of {size} does not split evenly over {count} devices")
    return jax.device_put(batch, sharding)


def pad_batch(batch: PyTree, count: int) -> PyTree:
    """``batch`` padded with copies of its last element to a multiple of ``count``."""
    padding = -batch_size(batch) % count
    if not padding:
        return batch
    return jax.tree.map(lambda leaf: jnp.concatenate([leaf, jnp.repeat(leaf[-1:], padding, axis=0)]), batch)


@lru_cache(maxsize=64)
def _mapped(fn: Callable) -> Callable:
    # One compiled program per function and input shapes, reused across calls.
    return jax.jit(jax.vmap(fn))


def map_batch(fn: Callable, batch: PyTree, *, devices: Sequence[jax.Device] | None = None) -> PyTree:
    """``jax.vmap(fn)(batch)``, with the batch spread over ``devices`` (default: all).

    A batch that does not split evenly is padded with copies of its last element, whose
    results are dropped.

    >>> print(sk.map_batch(lambda x: 2 * x, jnp.arange(4.0)))
    [0. 2. 4. 6.]
    """
    count = len(devices) if devices is not None else jax.device_count()
    size = batch_size(batch)
    results = _mapped(fn)(shard_batch(pad_batch(batch, count), devices))
    return jax.tree.map(lambda leaf: leaf[:size], results)
