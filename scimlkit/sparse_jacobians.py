"""Sparse Jacobians of JAX functions: sparsity detection, greedy colouring, one JVP per colour.

A method-of-lines Jacobian is mostly zeros: the equation at a grid point depends on a
handful of neighbours. Two columns that have no nonzero row in common can be probed with
a *single* Jacobian-vector product (the sum of their unit vectors), because their entries
land in different rows. Grouping the columns so that no two in a group intersect is a
colouring of the column-intersection graph (Curtis, Powell and Reid 1974); the Jacobian
then costs one JVP per colour instead of one per column, and the colour count of a
stencil Jacobian does not grow with the grid.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import jax
import jax.numpy as jnp
import numpy as np
import scipy.sparse as sparse
from jaxtyping import Array, Float, Int

Field = Callable[[Float[Array, " n"]], Float[Array, " m"]]


def jacobian_sparsity(f: Field, x: Float[Array, " n"], *, chunk_size: int = 512) -> sparse.csc_matrix:
    """Which outputs of ``f`` depend on which inputs, as a sparse 0/1 matrix (CSC).

    Each input direction is pushed through ``f`` with a JVP whose tangent is NaN in that
    one coordinate. NaN survives every arithmetic operation, including a multiplication
    by a primal value that happens to be zero, so an output's tangent is NaN exactly when
    the output depends on the input through the program's arithmetic (a dependence routed
    only through a comparison, e.g. ``jnp.where``'s condition, is not seen). The cost is
    one JVP per column, in vectorized chunks of ``chunk_size``: done once per problem.
    """
    x = jnp.asarray(x)
    if x.ndim != 1:
        raise ValueError(f"jacobian_sparsity needs a function of a flat vector, got an input of shape {x.shape}")
    n = x.shape[0]

    @jax.jit
    def nan_columns(columns: Int[Array, " k"]) -> Array:
        tangents = jnp.zeros((columns.shape[0], n)).at[jnp.arange(columns.shape[0]), columns].set(jnp.nan)
        return jax.vmap(lambda v: jnp.isnan(jax.jvp(f, (x,), (v,))[1]))(tangents)

    rows, cols = [], []
    for start in range(0, n, chunk_size):
        columns = np.arange(start, min(start + chunk_size, n))
        padded = np.pad(columns, (0, chunk_size - columns.size), mode="edge")  # one shape, one compile
        hits = np.asarray(nan_columns(jnp.asarray(padded)))[: columns.size]
        k, i = np.nonzero(hits)
        rows.append(i)
        cols.append(columns[k])
    rows, cols = np.concatenate(rows), np.concatenate(cols)
    m = int(jax.eval_shape(f, x).shape[0])
    return sparse.csc_matrix((np.ones(rows.size), (rows, cols)), shape=(m, n))


def column_intersection_graph(pattern: sparse.spmatrix) -> sparse.csr_matrix:
    """Columns ``j != k`` are adjacent when some row has a nonzero in both (``P^T P``)."""
    boolean = sparse.csc_matrix(pattern, dtype=bool).astype(np.int32)
    graph = (boolean.T @ boolean).tocsr()
    graph.setdiag(0)
    graph.eliminate_zeros()
    return graph


def greedy_colouring(pattern: sparse.spmatrix) -> Int[np.ndarray, " n"]:
    """A colour per column such that no two columns of one colour share a nonzero row.

    Greedy in natural column order: each column takes the smallest colour none of its
    neighbours in the column-intersection graph has taken. Not optimal in general, but
    for a stencil Jacobian it finds a small number that does not depend on the grid size.

    >>> from scipy import sparse
    >>> pattern = sparse.diags([1.0, 1.0, 1.0], [-1, 0, 1], shape=(6, 6))
    >>> colours = sk.greedy_colouring(pattern)
    >>> from scimlkit.sparse_jacobians import is_valid_colouring
    >>> int(colours.max()) + 1, is_valid_colouring(pattern, colours)
    (3, True)
    """
    graph = column_intersection_graph(pattern)
    n = graph.shape[0]
    colours = np.full(n, -1, dtype=np.int64)
    for column in range(n):
        neighbours = graph.indices[graph.indptr[column] : graph.indptr[column + 1]]
        taken = set(colours[neighbours].tolist())
        colour = 0
        while colour in taken:
            colour += 1
        colours[column] = colour
    return colours


def is_valid_colouring(pattern: sparse.spmatrix, colours: Int[np.ndarray, " n"]) -> bool:
    """True when no row has two nonzeros in columns of the same colour."""
    csr = sparse.csr_matrix(pattern)
    row_of = np.repeat(np.arange(csr.shape[0]), np.diff(csr.indptr))
    pairs = np.stack([row_of, np.asarray(colours)[csr.indices]], axis=1)
    return len(np.unique(pairs, axis=0)) == csr.nnz


@dataclass(frozen=True)
class ColouredJacobian:
    """The sparse Jacobian of ``f(t, y)`` with respect to ``y``, by one JVP per colour.

    Built once from the sparsity pattern (see :func:`coloured_jacobian`); calling it
    evaluates the compressed Jacobian (all colours in one jitted, vmapped call) and
    scatters it into a ``scipy.sparse.csc_matrix`` with the pattern's structure.
    """

    pattern: sparse.csc_matrix
    colours: Int[np.ndarray, " n"]
    compressed: Callable[[float, Array], Array]  # (t, y) -> (m, n_colours)

    @property
    def n_colours(self) -> int:
        return int(self.colours.max()) + 1

    def __call__(self, t: float, y) -> sparse.csc_matrix:
        block = np.asarray(self.compressed(t, jnp.asarray(y)))
        data = block[self.pattern.indices, self._entry_colours]
        return sparse.csc_matrix((data, self.pattern.indices, self.pattern.indptr), shape=self.pattern.shape)

    @property
    def _entry_colours(self) -> Int[np.ndarray, " nnz"]:
        # The colour of each stored entry's column, in CSC storage order.
        return np.repeat(self.colours, np.diff(self.pattern.indptr))


def compressed_jacobian(
    f: Callable[[float, Array], Array], colours: Int[np.ndarray, " n"]
) -> Callable[[float, Array], Array]:
    """A jitted ``(t, y) -> J(t, y) @ S``, with ``S`` the 0/1 seed matrix of the colouring.

    Column ``c`` of the result is one JVP along the sum of the unit vectors of colour ``c``.
    """
    colours = np.asarray(colours)
    seeds = jnp.asarray(np.eye(int(colours.max()) + 1)[colours])  # (n, n_colours)

    @jax.jit
    def compressed(t, y):
        return jax.vmap(lambda seed: jax.jvp(lambda z: f(t, z), (y,), (seed,))[1], in_axes=1, out_axes=1)(seeds)

    return compressed


def coloured_jacobian(
    f: Callable[[float, Array], Array],
    y: Float[Array, " n"],
    *,
    t: float = 0.0,
    pattern: sparse.spmatrix | None = None,
) -> ColouredJacobian:
    """Colour the sparsity pattern of ``y -> f(t, y)`` and return the Jacobian evaluator.

    ``pattern`` (any sparse matrix with the Jacobian's nonzero structure) skips the
    detection, which costs one JVP per column: pass it when the structure is known, e.g.
    from the stencil's sparse matrix.
    """
    if pattern is None:
        pattern = jacobian_sparsity(lambda z: f(t, z), y)
    elif pattern.shape != (y.shape[0], y.shape[0]):
        raise ValueError(f"pattern has shape {pattern.shape}, but the state has {y.shape[0]} entries")
    pattern = sparse.csc_matrix(pattern, dtype=float)
    pattern.data[:] = 1.0
    pattern.sort_indices()
    colours = greedy_colouring(pattern)
    return ColouredJacobian(pattern=pattern, colours=colours, compressed=compressed_jacobian(f, colours))
