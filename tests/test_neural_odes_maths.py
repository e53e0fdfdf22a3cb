"""Neural ODE building blocks by hand: feature maps, the time input, the constant-step budget."""

from __future__ import annotations

import inspect

import equinox as eqx
import jax
import jax.numpy as jnp
import numpy as np
import pytest

import scimlkit as sk
from scimlkit.neural_odes import MLPField, gaussian

jax.config.update("jax_enable_x64", True)


def test_feature_maps_by_hand():
    x = jnp.array([-1.5, 0.3, 2.0])
    np.testing.assert_allclose(gaussian(x), np.exp(-np.array([2.25, 0.09, 4.0])), rtol=1e-15)
    np.testing.assert_allclose(sk.cube(x), [-3.375, 0.027, 8.0], rtol=1e-14)


@pytest.mark.slow
def test_time_dependent_field_appends_t_to_the_features():
    field = MLPField(size=2, width=5, depth=1, key=jax.random.key(0), time_dependent=True, feature_map=sk.cube)
    assert field.mlp.in_size == 3 and field.mlp.out_size == 2
    y = jnp.array([0.5, -2.0])
    np.testing.assert_allclose(field(0.7, y), field.mlp(jnp.array([0.125, -8.0, 0.7])), rtol=1e-14)
    plain = MLPField(size=2, width=5, depth=1, key=jax.random.key(0))
    assert plain.mlp.in_size == 2
    np.testing.assert_allclose(plain(3.0, y), plain.mlp(y), rtol=1e-14)


def test_constant_step_models_budget_exactly_the_steps_they_need():
    # rtol=None with dt0: t1 / dt0 steps and one to spare; adaptive: diffrax's 4096.
    fixed = sk.AugmentedNeuralODE(data_size=2, augment=1, width=4, depth=1, key=jax.random.key(1), rtol=None,
                                  dt0=0.05, t1=1.5)
    assert fixed.max_steps == 31
    adaptive = sk.AugmentedNeuralODE(data_size=2, augment=1, width=4, depth=1, key=jax.random.key(1))
    assert adaptive.max_steps == 4096 and adaptive.rtol == 1e-4 and adaptive.atol == 1e-6
    # The augmented coordinates start at zero, for each of a batch of three (not as many as
    # the data coordinates: a batch size read off the wrong axis would show).
    states = adaptive._augmented(jnp.array([[1.0, 2.0], [3.0, 4.0], [5.0, 6.0]]))
    np.testing.assert_array_equal(states, [[1.0, 2.0, 0.0], [3.0, 4.0, 0.0], [5.0, 6.0, 0.0]])
    with pytest.raises(ValueError, match="augment must be non-negative"):
        sk.AugmentedNeuralODE(data_size=2, augment=-1, width=4, depth=1, key=jax.random.key(1))


def test_models_default_to_integrates_settings():
    # One set of model defaults, integrate's (tests/test_solvers.py checks them against the
    # documented table and diffrax's own cap): a model solves as integrate would.
    given = inspect.signature(sk.integrate).parameters
    expected = (given["rtol"].default, given["atol"].default, given["max_steps"].default)
    key = jax.random.key(0)
    neural = sk.NeuralODE(data_size=2, width=4, depth=1, key=key)
    universal = sk.UniversalODE(known=sk.lotka_volterra_known, params=(1.0, 1.0), data_size=2, width=4, depth=1,
                                key=key)
    for model in (neural, universal):
        assert (model.rtol, model.atol, model.max_steps) == expected
    augmented = sk.AugmentedNeuralODE(data_size=2, augment=1, width=4, depth=1, key=key)
    assert augmented.max_steps == given["max_steps"].default


def test_solver_settings_are_static_so_no_leaf_is_a_number():
    # The settings live in the tree's structure, not among its leaves (arrays, and the
    # MLPs' activation functions): jax.jit can take a whole model as an argument (a
    # max_steps among the leaves would be traced and refused by diffrax), and a changed
    # tolerance is a different structure, so it recompiles.
    key = jax.random.key(0)
    builders = [
        lambda **tolerance: sk.NeuralODE(data_size=2, width=4, depth=1, key=key, **tolerance),
        lambda **tolerance: sk.UniversalODE(known=sk.lotka_volterra_known, params=(1.0, 1.0), data_size=2, width=4,
                                            depth=1, key=key, **tolerance),
        lambda **tolerance: sk.AugmentedNeuralODE(data_size=2, augment=1, width=4, depth=1, key=key, rtol=None,
                                                  dt0=0.25, **tolerance),
    ]
    for build in builders:
        model, looser = build(), build(atol=1e-3)
        name = type(model).__name__
        assert all(eqx.is_array(leaf) or callable(leaf) for leaf in jax.tree.leaves(model)), name
        assert jax.tree.structure(looser) != jax.tree.structure(model), name
