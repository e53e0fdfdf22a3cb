import jax
import jax.numpy as jnp
import numpy as np
import pytest

import scimlkit as sk

jax.config.update("jax_enable_x64", True)


@pytest.mark.parametrize("boundary", ["dirichlet", "neumann", "periodic"])
def test_sparse_operator_and_stencil_agree_in_one_and_two_dimensions(boundary):
    rng = np.random.default_rng(0)
    u1 = rng.normal(size=9)
    np.testing.assert_allclose(
        sk.laplacian_1d(9, dx=0.1, boundary=boundary) @ u1,
        sk.laplacian_stencil(jnp.asarray(u1), dx=0.1, boundary=boundary),
        rtol=1e-12, atol=1e-9,
    )
    u2 = rng.normal(size=(7, 5))
    np.testing.assert_allclose(
        (sk.laplacian_2d((7, 5), dx=0.2, boundary=boundary) @ u2.ravel()).reshape(7, 5),
        sk.laplacian_stencil(jnp.asarray(u2), dx=0.2, boundary=boundary),
        rtol=1e-12, atol=1e-9,
    )


def test_boundary_rows_follow_the_ghost_values():
    dense = sk.laplacian_1d(4, dx=1.0, boundary="neumann").toarray()
    np.testing.assert_array_equal(dense[0], [-2, 2, 0, 0])  # u_{-1} = u_1
    periodic = sk.laplacian_1d(4, dx=1.0, boundary="periodic").toarray()
    np.testing.assert_array_equal(periodic[0], [-2, 1, 0, 1])
    assert periodic.sum() == 0  # constants are in the kernel


def test_neumann_laplacian_is_exact_for_quadratics_inside_and_conserves_nothing_at_the_ends():
    x, dx = sk.grid_1d(11, length=1.0, boundary="neumann")
    second = sk.laplacian_1d(11, dx=dx, boundary="neumann") @ (x**2)
    np.testing.assert_allclose(second[1:-1], 2.0, rtol=1e-10)


def test_heat_equation_by_the_method_of_lines_is_second_order_in_space():
    # u_t = u_xx on [0, 1], u = 0 at both ends, two Fourier modes, exact in time via the
    # eigen-decomposition, so the only error is the spatial one. Tolerance: 2 +- 0.1.
    spacings, errors = [], []
    for n in (15, 31, 63, 127):
        x, dx = sk.grid_1d(n, length=1.0, boundary="dirichlet")
        lap = sk.laplacian_1d(n, dx=dx, boundary="dirichlet").toarray()
        values, vectors = np.linalg.eigh(lap)
        u0 = sk.heat_fourier_mode(x, 0.0, modes=(1, 3))
        u = vectors @ (np.exp(values * 0.05) * (vectors.T @ u0))
        spacings.append(dx)
        errors.append(np.abs(u - sk.heat_fourier_mode(x, 0.05, modes=(1, 3))).max())
    assert abs(sk.observed_order(np.array(spacings), np.array(errors)) - 2.0) < 0.1


def test_bad_input_gets_a_clear_message():
    with pytest.raises(ValueError, match="boundary must be one of"):
        sk.laplacian_1d(5, dx=1.0, boundary="robin")
    with pytest.raises(ValueError, match="at least 3 points"):
        sk.laplacian_1d(2, dx=1.0, boundary="periodic")
    with pytest.raises(ValueError, match="1-D or 2-D"):
        sk.laplacian_stencil(jnp.zeros((3, 3, 3)), dx=1.0, boundary="periodic")
