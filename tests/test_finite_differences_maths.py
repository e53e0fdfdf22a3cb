"""Finite-difference operators against polynomials, grids against their ends, spectra against Fourier modes.

Property tests (Hypothesis) for the laws that hold for every input: the three-point and
five-point stencils reproduce the second derivative of any polynomial of degree up to 3
exactly at interior points, on any spacing; sparse matrix and stencil agree on any grid.
"""

from __future__ import annotations

import jax
import jax.numpy as jnp
import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import scimlkit as sk
from scimlkit import finite_differences as fd

jax.config.update("jax_enable_x64", True)

PROPERTY = settings(max_examples=30, deadline=None, derandomize=True)
coefficients = st.lists(st.floats(-3.0, 3.0), min_size=4, max_size=4)


@PROPERTY
@given(coefficients, st.floats(0.05, 2.0), st.integers(5, 12))
@pytest.mark.slow
def test_three_point_stencil_is_exact_for_cubics(c, dx, n):
    # u = c0 + c1 x + c2 x^2 + c3 x^3 on an untidy spacing: the second difference equals
    # u'' = 2 c2 + 6 c3 x at every interior point (the stencil is exact to degree 3).
    x = dx * np.arange(n) + 0.37
    u = c[0] + c[1] * x + c[2] * x**2 + c[3] * x**3
    exact = 2 * c[2] + 6 * c[3] * x
    scale = 1 + np.abs(u).max() / dx**2
    for boundary in ("dirichlet", "neumann", "periodic"):
        matrix = fd.laplacian_1d(n, dx=dx, boundary=boundary) @ u
        stencil = np.asarray(fd.laplacian_stencil(jnp.asarray(u), dx=dx, boundary=boundary))
        np.testing.assert_allclose(matrix[1:-1], exact[1:-1], atol=1e-11 * scale)
        np.testing.assert_allclose(stencil[1:-1], exact[1:-1], atol=1e-11 * scale)


@PROPERTY
@given(coefficients, coefficients, st.floats(0.1, 1.5), st.integers(4, 8), st.integers(4, 8))
@pytest.mark.slow
def test_five_point_stencil_is_exact_for_separable_cubics(a, b, dx, nx, ny):
    # u(x, y) = p(x) + q(y) with cubics p, q: the Laplacian is p''(x) + q''(y) inside the grid.
    x = dx * np.arange(nx)[:, None] - 0.2
    y = dx * np.arange(ny)[None, :] + 0.5
    u = (a[0] + a[1] * x + a[2] * x**2 + a[3] * x**3) + (b[0] + b[1] * y + b[2] * y**2 + b[3] * y**3)
    exact = (2 * a[2] + 6 * a[3] * x) + (2 * b[2] + 6 * b[3] * y)
    scale = 1 + np.abs(u).max() / dx**2
    for boundary in ("dirichlet", "neumann", "periodic"):
        stencil = np.asarray(fd.laplacian_stencil(jnp.asarray(u), dx=dx, boundary=boundary))
        matrix = (fd.laplacian_2d((nx, ny), dx=dx, boundary=boundary) @ u.ravel()).reshape(nx, ny)
        np.testing.assert_allclose(stencil[1:-1, 1:-1], exact[1:-1, 1:-1], atol=1e-11 * scale)
        np.testing.assert_allclose(matrix, stencil, atol=1e-11 * scale)


def test_boundary_rows_of_each_condition_on_an_untidy_grid():
    # The end rows, read off the ghost values: Dirichlet u_{-1} = 0, Neumann u_{-1} = u_1,
    # periodic u_{-1} = u_{n-1} (and the same at the far end).
    u = np.array([1.0, -2.0, 0.5, 3.0, 4.5])
    dx = 0.3
    dirichlet = fd.laplacian_1d(5, dx=dx, boundary="dirichlet") @ u
    neumann = fd.laplacian_1d(5, dx=dx, boundary="neumann") @ u
    periodic = fd.laplacian_1d(5, dx=dx, boundary="periodic") @ u
    assert dirichlet[0] == pytest.approx((0 - 2 * u[0] + u[1]) / dx**2)
    assert dirichlet[-1] == pytest.approx((u[-2] - 2 * u[-1] + 0) / dx**2)
    assert neumann[0] == pytest.approx((2 * u[1] - 2 * u[0]) / dx**2)
    assert neumann[-1] == pytest.approx((2 * u[-2] - 2 * u[-1]) / dx**2)
    assert periodic[0] == pytest.approx((u[-1] - 2 * u[0] + u[1]) / dx**2)
    assert periodic[-1] == pytest.approx((u[-2] - 2 * u[-1] + u[0]) / dx**2)
    for boundary, expected in (("dirichlet", dirichlet), ("neumann", neumann), ("periodic", periodic)):
        np.testing.assert_allclose(fd.laplacian_stencil(jnp.asarray(u), dx=dx, boundary=boundary), expected,
                                   rtol=1e-13)


@pytest.mark.parametrize("boundary", ["dirichlet", "neumann", "periodic"])
def test_grids_reach_their_ends_as_each_boundary_condition_says(boundary):
    # Checked against the interval's ends, not against another helper: Dirichlet unknowns
    # stop one spacing short of 0 and L, Neumann ones include both ends, periodic ones
    # include 0 and stop one spacing short of L (which is the same point as 0).
    length, n = 2.5, 9
    x, dx = fd.grid_1d(n, length=length, boundary=boundary)
    assert x.shape == (n,)
    np.testing.assert_allclose(np.diff(x), dx, rtol=1e-13)
    first, last = {"dirichlet": (dx, length - dx), "neumann": (0.0, length), "periodic": (0.0, length - dx)}[boundary]
    assert x[0] == pytest.approx(first, abs=1e-14)
    assert x[-1] == pytest.approx(last, rel=1e-14)
    assert dx == pytest.approx({"dirichlet": length / 10, "neumann": length / 8, "periodic": length / 9}[boundary])


def test_periodic_laplacian_eigenvalues_are_those_of_the_matrix():
    shape, dx = (6, 5), 0.4
    matrix = fd.laplacian_2d(shape, dx=dx, boundary="periodic").toarray()
    expected = np.sort(np.linalg.eigvalsh(matrix))
    np.testing.assert_allclose(np.sort(fd.periodic_laplacian_eigenvalues(shape, dx=dx).ravel()), expected,
                               rtol=1e-12, atol=1e-12)
    # and each Fourier mode is an eigenvector with its eigenvalue
    kx, ky = 2, 3
    i, j = np.meshgrid(np.arange(6), np.arange(5), indexing="ij")
    mode = np.cos(2 * np.pi * (kx * i / 6 + ky * j / 5))
    value = fd.periodic_laplacian_eigenvalues(shape, dx=dx)[kx, ky]
    np.testing.assert_allclose(matrix @ mode.ravel(), value * mode.ravel(), atol=1e-11)


def test_heat_fourier_mode_solves_the_heat_equation_with_its_diffusivity_and_length():
    # u_t = D u_xx, u = 0 at 0 and L, checked by central differences in t and x.
    length, diffusivity, modes = 1.7, 0.3, (1, 2)
    u = lambda x, t: fd.heat_fourier_mode(x, t, modes=modes, diffusivity=diffusivity, length=length)  # noqa: E731
    x, t, h = np.array([0.3, 0.9, 1.4]), 0.25, 1e-4
    u_t = (u(x, t + h) - u(x, t - h)) / (2 * h)
    u_xx = (u(x + h, t) - 2 * u(x, t) + u(x - h, t)) / h**2
    np.testing.assert_allclose(u_t, diffusivity * u_xx, rtol=1e-5, atol=1e-6)
    np.testing.assert_allclose(u(np.array([0.0, length]), t), 0.0, atol=1e-14)
    np.testing.assert_allclose(u(x, 0.0), np.sin(np.pi * x / length) + np.sin(2 * np.pi * x / length), rtol=1e-14)


def test_observed_order_is_a_least_squares_slope_of_untidy_data():
    sizes = np.array([0.2, 0.09, 0.04, 0.011])
    errors = 3.0 * sizes**1.7 * np.array([1.2, 0.9, 1.1, 0.95])
    slope = np.polynomial.polynomial.polyfit(np.log(sizes), np.log(errors), 1)[1]
    assert sk.observed_order(sizes, errors) == pytest.approx(slope, rel=1e-12)
    with pytest.raises(ValueError, match="matching"):
        sk.observed_order(sizes, errors[:2])


def test_a_grid_of_three_points_is_the_smallest_allowed():
    fd.laplacian_1d(3, dx=1.0, boundary="neumann")
    fd.grid_1d(3, length=1.0, boundary="periodic")
    with pytest.raises(ValueError, match="at least 3 points"):
        fd.grid_1d(2, length=1.0, boundary="dirichlet")
    with pytest.raises(ValueError, match="at least 3 points"):
        fd.laplacian_stencil(jnp.zeros((5, 2)), dx=1.0, boundary="neumann")
