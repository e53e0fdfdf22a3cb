"""Finite-difference Laplacians in one and two dimensions, as sparse matrices and as stencils.

The method of lines turns a PDE into an ODE system by replacing the spatial derivatives
with differences on a grid. The same operator can be stored two ways: as a sparse matrix
(what an implicit solver factorizes) or as a stencil function of shifted copies (what an
explicit solver calls, with no index arrays). Both are built here from one definition of
the boundary condition, and the tests check that they agree.

Grids and boundaries (``n`` points per axis, spacing ``dx``):

- ``"dirichlet"``: ``u = 0`` on the boundary; the ``n`` unknowns are the interior points
  ``x_i = (i + 1) dx`` of ``[0, (n + 1) dx]``.
- ``"neumann"``: zero normal derivative; the unknowns include the boundary points and the
  ghost value beyond each end mirrors its inner neighbour (``u_{-1} = u_1``), so the end rows
  read ``2 (u_1 - u_0) / dx**2``.
- ``"periodic"``: indices wrap around, ``u_{-1} = u_{n-1}``.
"""

from __future__ import annotations

from typing import Literal

import jax.numpy as jnp
import numpy as np
import scipy.sparse as sparse
from jaxtyping import Array, Float

Boundary = Literal["dirichlet", "neumann", "periodic"]
BOUNDARIES = ("dirichlet", "neumann", "periodic")


def _check_boundary(boundary: str) -> None:
    if boundary not in BOUNDARIES:
        raise ValueError(f"boundary must be one of {BOUNDARIES}, not {boundary!r}")


def _check_size(n: int, boundary: str) -> None:
    if n < 3:
        raise ValueError(f"a {boundary} grid needs at least 3 points per axis, not n = {n}")


def laplacian_1d(n: int, *, dx: float, boundary: Boundary) -> sparse.csr_matrix:
    """The three-point second difference ``(u_{i-1} - 2 u_i + u_{i+1}) / dx**2`` as a sparse matrix.

    >>> print(sk.laplacian_1d(3, dx=1.0, boundary="dirichlet").toarray())
    [[-2.  1.  0.]
     [ 1. -2.  1.]
     [ 0.  1. -2.]]
    """
    _check_boundary(boundary)
    _check_size(n, boundary)
    ones = np.ones(n - 1)
    matrix = sparse.diags([ones, -2.0 * np.ones(n), ones], [-1, 0, 1], format="lil")
    if boundary == "neumann":
        matrix[0, 1] = 2.0
        matrix[n - 1, n - 2] = 2.0
    elif boundary == "periodic":
        matrix[0, n - 1] = 1.0
        matrix[n - 1, 0] = 1.0
    return (matrix / dx**2).tocsr()


def laplacian_2d(shape: tuple[int, int], *, dx: float, boundary: Boundary) -> sparse.csr_matrix:
    """The five-point Laplacian on a ``shape`` grid, acting on the row-major flattened grid.

    Built as ``L_x (x) I + I (x) L_y`` from the one-dimensional operators (same ``dx`` on
    both axes), so ``(laplacian_2d(...) @ u.ravel()).reshape(shape)`` equals
    ``laplacian_stencil(u, ...)``.
    """
    nx, ny = shape
    lx = laplacian_1d(nx, dx=dx, boundary=boundary)
    ly = laplacian_1d(ny, dx=dx, boundary=boundary)
    return (sparse.kron(lx, sparse.identity(ny)) + sparse.kron(sparse.identity(nx), ly)).tocsr()


# The ghost layer each boundary condition puts around the grid, as a ``jnp.pad`` mode:
# zeros beyond a Dirichlet edge, the inner neighbour mirrored (u_{-1} = u_1) for
# Neumann, the opposite edge for periodic.
_PAD_MODES = {"dirichlet": "constant", "neumann": "reflect", "periodic": "wrap"}


def laplacian_stencil(u: Float[Array, "*grid"], *, dx: float, boundary: Boundary) -> Float[Array, "*grid"]:
    """The Laplacian of a 1-D or 2-D grid function as a stencil: shifted copies, no matrix.

    Equals the sparse operator of :func:`laplacian_1d` / :func:`laplacian_2d` applied to
    ``u.ravel()``; jit-compiles to a few fused element-wise loops.
    """
    _check_boundary(boundary)
    if u.ndim not in (1, 2):
        raise ValueError(f"laplacian_stencil takes a 1-D or 2-D grid, not an array of shape {u.shape}")
    for size in u.shape:
        _check_size(size, boundary)
    padded = jnp.pad(u, 1, mode=_PAD_MODES[boundary])
    inner = (slice(1, -1),) * u.ndim
    total = -2.0 * u.ndim * u
    for axis in range(u.ndim):
        for shift in (slice(None, -2), slice(2, None)):
            total = total + padded[inner[:axis] + (shift,) + inner[axis + 1 :]]
    return total / dx**2


def grid_1d(n: int, *, length: float, boundary: Boundary) -> tuple[Float[np.ndarray, " n"], float]:
    """The ``n`` unknowns' coordinates on ``[0, length]`` for ``boundary``, and the spacing."""
    _check_boundary(boundary)
    _check_size(n, boundary)
    if boundary == "dirichlet":
        dx = length / (n + 1)
        return dx * np.arange(1, n + 1), dx
    if boundary == "neumann":
        dx = length / (n - 1)
        return dx * np.arange(n), dx
    dx = length / n
    return dx * np.arange(n), dx


def periodic_laplacian_eigenvalues(shape: tuple[int, int], *, dx: float) -> Float[np.ndarray, "nx ny"]:
    """Eigenvalues of the periodic five-point Laplacian, indexed by wave numbers ``(k, l)``.

    ``-(4/dx^2) (sin^2(pi k/nx) + sin^2(pi l/ny))``: the grid's Fourier modes are its eigenvectors.
    """
    nx, ny = shape
    kx = np.sin(np.pi * np.arange(nx) / nx) ** 2
    ky = np.sin(np.pi * np.arange(ny) / ny) ** 2
    return -4.0 / dx**2 * (kx[:, None] + ky[None, :])


def heat_fourier_mode(
    x: Float[np.ndarray, "..."], t: float, *, modes: tuple[int, ...], diffusivity: float = 1.0, length: float = 1.0
) -> Float[np.ndarray, "..."]:
    """Exact solution of ``u_t = D u_xx`` with ``u = 0`` at both ends of ``[0, length]``.

    ``u(x, 0) = sum_k sin(k pi x / length)`` over ``modes``; mode ``k`` decays as
    ``exp(-D (k pi / length)^2 t)``.
    """
    return sum(
        np.exp(-diffusivity * (k * np.pi / length) ** 2 * t) * np.sin(k * np.pi * x / length) for k in modes
    )


def observed_order(sizes: np.ndarray, errors: np.ndarray) -> float:
    """The slope of ``log(error)`` against ``log(spacing)``: ``p`` in ``error ~ C dx^p``.

    ``sizes`` are the grid spacings (or anything proportional to them); a least-squares
    fit through all the points, not just the last two.

    >>> print(round(sk.observed_order(np.array([0.1, 0.05, 0.025]), np.array([1e-2, 2.5e-3, 6.25e-4])), 6))
    2.0
    """
    sizes, errors = np.asarray(sizes, dtype=float), np.asarray(errors, dtype=float)
    if sizes.shape != errors.shape or sizes.size < 2:
        raise ValueError(f"need matching spacings and errors, at least two of each; got {sizes.shape} and {errors.shape}")
    return float(np.polyfit(np.log(sizes), np.log(errors), 1)[0])
