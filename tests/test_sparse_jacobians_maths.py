"""Sparsity detection, colouring and compressed Jacobians on asymmetric and random patterns.

A symmetric pattern hides a transposed product (P P^T for P^T P) in the column graph and
a row/column swap in the decompression; these patterns are lopsided on purpose.
"""

from __future__ import annotations

import jax
import jax.numpy as jnp
import numpy as np
import pytest
import scipy.sparse as sparse
from hypothesis import given, settings
from hypothesis import strategies as st

import scimlkit as sk
from scimlkit.sparse_jacobians import column_intersection_graph, compressed_jacobian, is_valid_colouring

jax.config.update("jax_enable_x64", True)

# Row 0 touches every column (a dense row), the other rows one column each: every pair of
# columns shares row 0, so all five columns need their own colour. Its transpose (one
# dense column) needs only one colour... except that column 0 meets every other column.
DENSE_ROW = np.zeros((5, 5))
DENSE_ROW[0, :] = 1.0
DENSE_ROW[np.arange(1, 5), np.arange(1, 5)] = 1.0


def test_column_graph_is_p_transpose_p_on_a_lopsided_pattern():
    graph = column_intersection_graph(sparse.csr_matrix(DENSE_ROW)).toarray()
    np.testing.assert_array_equal(graph != 0, ~np.eye(5, dtype=bool))  # every pair shares row 0
    transposed = column_intersection_graph(sparse.csr_matrix(DENSE_ROW.T)).toarray()
    expected = np.zeros((5, 5), dtype=bool)
    expected[0, 1:] = expected[1:, 0] = True  # only column 0 meets the others (in rows 1-4)
    np.testing.assert_array_equal(transposed != 0, expected)


def test_colour_counts_of_a_dense_row_and_a_dense_column():
    assert sk.greedy_colouring(sparse.csr_matrix(DENSE_ROW)).tolist() == [0, 1, 2, 3, 4]
    colours = sk.greedy_colouring(sparse.csr_matrix(DENSE_ROW.T))
    assert colours.tolist() == [0, 1, 1, 1, 1]
    assert is_valid_colouring(sparse.csr_matrix(DENSE_ROW.T), colours)
    assert not is_valid_colouring(sparse.csr_matrix(DENSE_ROW), colours)


def test_sparsity_of_a_rectangular_lopsided_map():
    # f: R^4 -> R^3, y0 = x0 * x3, y1 = sin(x1), y2 = x0 + 2 x2 (at zeros: the NaN trick still sees x0 * x3).
    def f(x):
        return jnp.stack([x[0] * x[3], jnp.sin(x[1]), x[0] + 2.0 * x[2]])

    pattern = sk.jacobian_sparsity(f, jnp.zeros(4), chunk_size=3)  # two chunks, the second padded
    assert pattern.shape == (3, 4)
    expected = np.array([[1, 0, 0, 1], [0, 1, 0, 0], [1, 0, 1, 0]], dtype=bool)
    np.testing.assert_array_equal(pattern.toarray() != 0, expected)
    with pytest.raises(ValueError, match="flat vector"):
        sk.jacobian_sparsity(f, jnp.zeros((2, 2)))
    with pytest.raises(TypeError):  # the chunk size is keyword-only
        sk.jacobian_sparsity(f, jnp.zeros(4), 3)  # type: ignore[misc]


def _asymmetric_field(t, y):
    # Each output reads itself, its left neighbour and the entry three to its right
    # (cyclically): a pattern whose transpose differs, with entries that vary with t and y.
    return jnp.sin(y) * (1.0 + t) + 0.5 * jnp.roll(y, 1) ** 2 - 3.0 * jnp.roll(y, -3) * y


@pytest.mark.slow
def test_coloured_jacobian_equals_the_dense_jacobian_on_an_asymmetric_pattern():
    y = jnp.linspace(-1.0, 2.0, 12) ** 2 - 0.3
    jacobian = sk.coloured_jacobian(_asymmetric_field, y, t=0.7)
    dense = np.asarray(jax.jacfwd(_asymmetric_field, argnums=1)(0.7, y))
    np.testing.assert_array_equal(jacobian.pattern.toarray() != 0, dense != 0)
    assert is_valid_colouring(jacobian.pattern, jacobian.colours)
    assert jacobian.n_colours < 12
    np.testing.assert_allclose(jacobian(0.7, y).toarray(), dense, rtol=1e-14, atol=1e-14)
    # At another time and state the same colouring gives the new Jacobian.
    y2 = 1.5 - y
    dense2 = np.asarray(jax.jacfwd(_asymmetric_field, argnums=1)(2.0, y2))
    np.testing.assert_allclose(jacobian(2.0, y2).toarray(), dense2, rtol=1e-14, atol=1e-14)


@pytest.mark.slow
def test_a_given_pattern_is_used_and_checked():
    y = jnp.arange(1.0, 7.0)
    dense = np.asarray(jax.jacfwd(_asymmetric_field, argnums=1)(0.0, y))
    pattern = sparse.csr_matrix(np.abs(dense) * 5.0)  # any values: only the structure counts
    jacobian = sk.coloured_jacobian(_asymmetric_field, y, pattern=pattern)
    assert np.all(jacobian.pattern.data == 1.0)
    np.testing.assert_allclose(jacobian(0.0, y).toarray(), dense, rtol=1e-14, atol=1e-14)
    with pytest.raises(ValueError, match="pattern has shape"):
        sk.coloured_jacobian(_asymmetric_field, y, pattern=sparse.eye(5))


def test_compressed_jacobian_columns_are_sums_over_each_colour():
    matrix = np.array([[1.0, 0.0, 2.0], [0.0, 3.0, 0.0], [4.0, 0.0, 0.0]])
    colours = np.array([0, 0, 1])  # columns 0 and 1 share no row
    compressed = compressed_jacobian(lambda t, y: jnp.asarray(matrix) @ y, colours)
    np.testing.assert_allclose(compressed(0.0, jnp.zeros(3)), [[1.0, 2.0], [3.0, 0.0], [4.0, 0.0]], rtol=1e-15)


@st.composite
def random_patterns(draw):
    m = draw(st.integers(2, 9))
    n = draw(st.integers(2, 9))
    cells = draw(st.lists(st.tuples(st.integers(0, m - 1), st.integers(0, n - 1)), min_size=1, max_size=m * n))
    dense = np.zeros((m, n))
    for i, j in cells:
        dense[i, j] = 1.0
    return sparse.csr_matrix(dense)


@settings(max_examples=60, deadline=None, derandomize=True)
@given(random_patterns())
def test_greedy_colouring_is_valid_and_greedy_on_any_pattern(pattern):
    colours = sk.greedy_colouring(pattern)
    dense = pattern.toarray() != 0
    assert colours.shape == (pattern.shape[1],)
    assert is_valid_colouring(pattern, colours)
    # Valid by hand: no row has two entries of one colour.
    for row in dense:
        used = colours[row]
        assert len(set(used.tolist())) == used.size
    # Greedy: each column's colour is the smallest not taken by an earlier intersecting column.
    for j in range(dense.shape[1]):
        taken = {colours[k] for k in range(j) if np.any(dense[:, j] & dense[:, k])}
        assert colours[j] == min(set(range(dense.shape[1] + 1)) - taken)
    # At least as many colours as the densest row has entries, at most one per column.
    assert dense.sum(axis=1).max() <= colours.max() + 1 <= dense.shape[1]


@settings(max_examples=30, deadline=None, derandomize=True)
@given(random_patterns(), st.data())
def test_is_valid_colouring_agrees_with_a_direct_check(pattern, data):
    n = pattern.shape[1]
    colours = np.array(data.draw(st.lists(st.integers(0, 2), min_size=n, max_size=n)))
    dense = pattern.toarray() != 0
    direct = all(len(set(colours[row].tolist())) == row.sum() for row in dense)
    assert is_valid_colouring(pattern, colours) == direct


def test_pattern_is_detected_at_the_given_time_zero_by_default():
    # The structure switches with the sign of t (through a comparison, which the NaN
    # trick does not see through): detected at t = 0 it is the diagonal.
    def switching(t, y):
        return jnp.where(t >= 0.0, jnp.sin(y), jnp.roll(y, 1) ** 2)

    y = jnp.linspace(0.5, 1.5, 5)
    jacobian = sk.coloured_jacobian(switching, y)
    np.testing.assert_array_equal(jacobian.pattern.toarray(), np.eye(5))
    np.testing.assert_allclose(jacobian(0.0, y).toarray(), np.diag(np.cos(np.asarray(y))), rtol=1e-14)
    earlier = sk.coloured_jacobian(switching, y, t=-1.0)
    np.testing.assert_array_equal(earlier.pattern.toarray(), np.roll(np.eye(5), 1, axis=0))
