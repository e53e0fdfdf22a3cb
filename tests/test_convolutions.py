import jax
import jax.numpy as jnp
import numpy as np
import optax
import pytest

import scimlkit as sk


def test_the_second_difference_kernel_is_the_finite_difference_operator():
    x, dx = sk.periodic_grid(128)
    u = jnp.sin(2 * jnp.pi * x)
    second = sk.apply_stencil(sk.second_difference_stencil(dx), u)
    # Central differences are second order: error (2 pi)^4 dx^2 / 12 relative to (2 pi)^2.
    np.testing.assert_allclose(second, -((2 * jnp.pi) ** 2) * u, atol=(2 * np.pi) ** 4 * dx**2 / 12 * 1.01)


def test_apply_stencil_does_not_flip_the_kernel():
    # [0, 0, 1] picks the right neighbour: (k * u)_i = u_{i+1}.
    u = jnp.arange(5.0)
    np.testing.assert_array_equal(sk.apply_stencil(jnp.array([0.0, 0.0, 1.0]), u), [1, 2, 3, 4, 0])


def test_a_kernel_learned_from_heat_equation_data_is_the_second_difference_stencil():
    dt = 1e-5
    before, after, dx = sk.heat_step_data(jax.random.key(0), 32, n=64, dt=dt)

    def loss(scaled_kernel, before, after):
        return sk.stencil_loss(scaled_kernel / dx**2, before, after, dt)

    result = sk.fit(loss, jnp.zeros(3), optax.lbfgs(), 50, before, after)
    learned = result.params / dx**2
    target = sk.second_difference_stencil(dx)
    # The tolerance: every coefficient within 5% of [1, -2, 1] / dx^2.
    np.testing.assert_allclose(learned, target, rtol=0.05)


def test_heat_data_decays_high_modes_and_keeps_the_mean():
    before, after, _ = sk.heat_step_data(jax.random.key(1), 4, n=32, dt=1e-3)
    np.testing.assert_allclose(after.mean(axis=1), before.mean(axis=1), atol=1e-12)
    assert float(jnp.sum(after**2)) < float(jnp.sum(before**2))
    with pytest.raises(TypeError):
        sk.heat_step_data(jax.random.key(1))  # the number of samples is required
