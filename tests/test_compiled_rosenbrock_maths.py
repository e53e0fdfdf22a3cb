"""Compiled Rosenbrock-W checks that need no long solve: the dense matrix refuses a scalar state."""

from __future__ import annotations

import jax
import jax.numpy as jnp
import pytest

import scimlkit as sk
from scimlkit.compiled_rosenbrock import DenseW

jax.config.update("jax_enable_x64", True)


def test_dense_w_needs_a_flat_state_vector():
    with pytest.raises(ValueError, match="flat state vector"):
        sk.solve_rosenbrock_w_compiled(lambda t, y: -y, (0.0, 1.0), 1.0, linear_solve=DenseW())
    with pytest.raises(ValueError, match="flat state vector"):
        DenseW().check(jnp.ones((2, 2)))
