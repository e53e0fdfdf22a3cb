"""Early stopping by hand: what counts as an improvement, and the smallest patience."""

from __future__ import annotations

import dataclasses

import jax
import jax.numpy as jnp
import numpy as np
import optax
import pytest

import scimlkit as sk

jax.config.update("jax_enable_x64", True)


def linear(p):
    # Gradient 1 everywhere: plain gradient descent with rate 0.1 lowers the loss by 0.1 a step.
    return jnp.sum(p)


def test_any_decrease_is_an_improvement_by_default():
    result = sk.fit(linear, jnp.array([2.0]), optax.sgd(0.1), steps=10, patience=2)
    assert not result.stopped_early and result.steps == 10
    np.testing.assert_allclose(result.losses, 2.0 - 0.1 * np.arange(10), rtol=1e-12)
    np.testing.assert_allclose(result.params, [2.0 - 0.9], rtol=1e-12)  # the parameters of the best (last) loss


def test_min_delta_asks_for_larger_improvements():
    # Improvements of 0.1 are below min_delta = 0.25: after the first step nothing counts,
    # and patience 2 stops at the third step with the first step's parameters.
    result = sk.fit(linear, jnp.array([2.0]), optax.sgd(0.1), steps=10, patience=2, min_delta=0.25)
    assert result.stopped_early and result.steps == 3
    np.testing.assert_allclose(result.params, [2.0], rtol=1e-12)
    assert result.best_step == 2  # the lowest loss seen is still the last one evaluated


def test_patience_of_one_stops_at_the_first_step_without_improvement():
    result = sk.fit(linear, jnp.array([2.0]), optax.sgd(0.0), steps=10, patience=1)
    assert result.stopped_early and result.steps == 2


def test_an_optimizer_written_by_hand_gets_only_the_three_standard_arguments():
    # A plain optax.GradientTransformation whose update takes (updates, state, params) and
    # nothing else, as the optax docs write one: fit must not pass it the extra keyword
    # arguments (value, grad, value_fn) that line-search optimizers receive.
    def init(params):
        return optax.EmptyState()

    def update(updates, state, params=None):
        return jax.tree.map(lambda g: -0.1 * g, updates), state

    result = sk.fit(linear, jnp.array([2.0]), optax.GradientTransformation(init, update), steps=5)
    np.testing.assert_allclose(result.losses, 2.0 - 0.1 * np.arange(5), rtol=1e-12)


def test_a_fit_result_cannot_be_edited_after_the_fit():
    # best_loss, losses and params describe one run together: changing one would leave
    # the others describing something else.
    result = sk.fit(linear, jnp.array([2.0]), optax.sgd(0.1), steps=2)
    with pytest.raises(dataclasses.FrozenInstanceError):
        result.best_loss = 0.0  # type: ignore[misc]
