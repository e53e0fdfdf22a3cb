import jax
import jax.numpy as jnp
import numpy as np
import pytest

import scimlkit as sk
from scimlkit.reaction_diffusion import gierer_meinhardt_loops

jax.config.update("jax_enable_x64", True)


@pytest.mark.slow
def test_vectorized_gierer_meinhardt_matches_the_loops_over_a_short_horizon():
    # Ten explicit Euler steps (dt below the diffusion limit 2 / (8 D2)) on a 12 x 12 grid.
    problem = sk.gierer_meinhardt(12)
    field = jax.jit(lambda y: problem.vector_field(0.0, y, problem.params))
    dt = 1e-3
    y = problem.y0
    u, v = (np.asarray(a) for a in sk.split_species(problem.y0, (12, 12)))
    for _ in range(10):
        y = y + dt * field(y)
        du, dv = gierer_meinhardt_loops(u, v, problem.params)
        u, v = u + dt * du, v + dt * dv
    fast_u, fast_v = sk.split_species(y, (12, 12))
    np.testing.assert_allclose(fast_u, u, rtol=1e-12)
    np.testing.assert_allclose(fast_v, v, rtol=1e-12)


@pytest.mark.slow
def test_gierer_meinhardt_starts_near_the_balanced_reaction():
    problem = sk.gierer_meinhardt(8, noise=0.0)
    np.testing.assert_allclose(problem.vector_field(0.0, problem.y0, problem.params), 0.0, atol=1e-12)


@pytest.mark.slow
def test_brusselator_initial_state_and_forcing_switch_on_at_1_1():
    problem = sk.brusselator_2d(32)
    u, v = sk.split_species(problem.y0, (32, 32))
    x = np.linspace(0, 1, 32)
    np.testing.assert_allclose(u[5], 22 * (x * (1 - x)) ** 1.5)
    np.testing.assert_allclose(v[:, 5], 27 * (x * (1 - x)) ** 1.5)
    before = problem.vector_field(1.0, problem.y0, problem.params)
    after = problem.vector_field(1.2, problem.y0, problem.params)
    jump = np.asarray(after - before)
    # 5 inside the disc of radius 0.1 around (0.3, 0.6), on u only.
    xx, yy = np.meshgrid(x, x, indexing="ij")
    disc = ((xx - 0.3) ** 2 + (yy - 0.6) ** 2 <= 0.01).ravel()
    np.testing.assert_allclose(jump[:1024], 5.0 * disc)
    np.testing.assert_allclose(jump[1024:], 0.0)


def test_split_species_checks_the_size():
    with pytest.raises(ValueError, match="has 18 entries"):
        sk.split_species(jnp.zeros(10), (3, 3))
