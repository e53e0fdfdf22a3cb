import jax
import jax.numpy as jnp
import numpy as np
import pytest
import scipy.sparse as sparse

import scimlkit as sk
from scimlkit.sparse_jacobians import is_valid_colouring

jax.config.update("jax_enable_x64", True)


def test_sparsity_of_a_tridiagonal_map_is_detected_even_at_zeros():
    def f(x):
        # x * x has a zero derivative at x = 0, but it does depend on x.
        return x * x + jnp.roll(x, 1) - jnp.roll(x, -1)

    pattern = sk.jacobian_sparsity(f, jnp.zeros(6))
    expected = sparse.diags([1.0, 1.0, 1.0], [-1, 0, 1], shape=(6, 6)).toarray() + np.eye(6, k=5) + np.eye(6, k=-5)
    np.testing.assert_array_equal(pattern.toarray() != 0, expected != 0)


def test_greedy_colouring_of_a_tridiagonal_matrix_needs_three_colours():
    pattern = sparse.diags([1.0, 1.0, 1.0], [-1, 0, 1], shape=(50, 50))
    colours = sk.greedy_colouring(pattern)
    assert colours.max() + 1 == 3
    assert is_valid_colouring(pattern, colours)
    assert not is_valid_colouring(pattern, np.zeros(50, dtype=int))


@pytest.mark.slow
def test_brusselator_jacobian_needs_twelve_colours_and_decompresses_exactly():
    # The 2048 x 2048 Jacobian of the 32 x 32 Brusselator: greedy colouring finds 12
    # colours (the count does not grow with the grid: 10 to 12 on grids from 8 x 8 to
    # 48 x 48; at least 6 are needed, the columns of one row), and the
    # compressed Jacobian scattered back equals the dense AD Jacobian to 1e-10.
    problem = sk.brusselator_2d(32)

    def f(t, y):
        return problem.vector_field(t, y, problem.params)

    jacobian = sk.coloured_jacobian(f, problem.y0)
    assert jacobian.pattern.shape == (2048, 2048)
    assert jacobian.n_colours == 12
    assert is_valid_colouring(jacobian.pattern, jacobian.colours)
    y = problem.y0 * 1.3 + 0.1
    dense = np.asarray(jax.jacfwd(f, argnums=1)(2.0, y))
    np.testing.assert_allclose(jacobian(2.0, y).toarray(), dense, rtol=0, atol=1e-10 * np.abs(dense).max())
    for n in (16, 48):
        other = sk.brusselator_2d(n)
        assert 6 <= sk.coloured_jacobian(lambda t, y, p=other: p.vector_field(t, y, p.params), other.y0).n_colours <= 12
