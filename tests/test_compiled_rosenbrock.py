import jax
import jax.numpy as jnp
import numpy as np
import pytest

import scimlkit as sk
from scimlkit.compiled_rosenbrock import DenseW, JacobianFreeW
from scimlkit.finite_differences import periodic_laplacian_eigenvalues

jax.config.update("jax_enable_x64", True)

GRID = (6, 5)  # not square, so that a mix-up of the axes shows
DX = 0.2
DIFFUSIVITIES = (0.7, 2.0)


def reaction_diffusion(t, y):
    """Two species with different diffusivities and a nonlinear, non-uniform local reaction."""
    u, v = y.reshape(2, *GRID)
    du = DIFFUSIVITIES[0] * sk.laplacian_stencil(u, dx=DX, boundary="periodic") + u * u * v - 2.0 * u + jnp.sin(t)
    dv = DIFFUSIVITIES[1] * sk.laplacian_stencil(v, dx=DX, boundary="periodic") + 1.5 * u - u * u * v
    return jnp.concatenate([du.ravel(), dv.ravel()])


def state(seed=0):
    return jnp.asarray(1.0 + 0.3 * np.random.default_rng(seed).random(2 * GRID[0] * GRID[1]))


def test_periodic_laplacian_eigenvalues_are_those_of_the_sparse_laplacian():
    # The stencil matrix is symmetric, so its sorted eigenvalues must match to rounding.
    matrix = sk.laplacian_2d(GRID, dx=DX, boundary="periodic").toarray()
    expected = np.sort(np.linalg.eigvalsh(matrix))
    np.testing.assert_allclose(np.sort(periodic_laplacian_eigenvalues(GRID, dx=DX).ravel()), expected, atol=1e-9)


def fourier_w_matrix(y, t, inv_gamma_h):
    """The dense matrix FourierW inverts: I/(gamma h) - (D Lap + grid mean of the local Jacobian)."""
    points = GRID[0] * GRID[1]
    laplacian = sk.laplacian_2d(GRID, dx=DX, boundary="periodic").toarray()
    full = np.asarray(jax.jacfwd(lambda z: reaction_diffusion(t, z))(y))
    diffusion = np.kron(np.diag(DIFFUSIVITIES), laplacian)
    local = full - diffusion  # the reaction part: one 2x2 block per grid point
    mean_local = np.array([[np.mean(np.diag(local[i * points:(i + 1) * points, j * points:(j + 1) * points]))
                            for j in range(2)] for i in range(2)])
    return inv_gamma_h * np.eye(2 * points) - diffusion - np.kron(mean_local, np.eye(points)), local


@pytest.mark.slow
def test_fourier_w_inverts_diffusion_plus_the_mean_local_jacobian_exactly():
    y, t, inv_gamma_h = state(), 0.3, 7.0
    matrix, local = fourier_w_matrix(y, t, inv_gamma_h)
    assert np.abs(local).max() > 0.1  # the reaction is really there, and varies in space
    linear_solve = sk.FourierW(GRID, dx=DX, diffusivities=DIFFUSIVITIES)
    rhs = np.random.default_rng(1).normal(size=y.shape[0])
    x = linear_solve.solve(linear_solve.factor(reaction_diffusion, t, y, inv_gamma_h), jnp.asarray(rhs))
    np.testing.assert_allclose(matrix @ np.asarray(x), rhs, atol=1e-10)


@pytest.mark.slow
def test_sparse_w_products_equal_the_coloured_jacobian_and_sweeps_converge_to_the_exact_solve():
    # Each preconditioned sweep must shrink the residual of W x = r (the reaction is a small
    # part of W at this gamma h); twelve sweeps reach the exact solve to 1e-10.
    y, t, inv_gamma_h = state(), 0.3, 20.0
    preconditioner = sk.FourierW(GRID, dx=DX, diffusivities=DIFFUSIVITIES)
    jacobian = np.asarray(jax.jacfwd(lambda z: reaction_diffusion(t, z))(y))
    x = np.random.default_rng(2).normal(size=y.shape[0])
    probe = sk.SparseW.detect(reaction_diffusion, y, preconditioner=preconditioner)
    np.testing.assert_allclose(np.asarray(probe.matvec(probe.diagonals(t, y), jnp.asarray(x))), jacobian @ x, atol=1e-10)

    matrix = inv_gamma_h * np.eye(y.shape[0]) - jacobian
    rhs = np.random.default_rng(3).normal(size=y.shape[0])
    residuals = []
    for sweeps in (0, 1, 2, 12):
        linear_solve = sk.SparseW.detect(reaction_diffusion, y, preconditioner=preconditioner, sweeps=sweeps)
        solution = np.asarray(linear_solve.solve(linear_solve.factor(reaction_diffusion, t, y, inv_gamma_h), jnp.asarray(rhs)))
        residuals.append(np.abs(matrix @ solution - rhs).max())
    assert residuals[0] > residuals[1] > residuals[2]
    assert residuals[-1] < 1e-10


@pytest.mark.slow
def test_jacobian_free_w_does_the_sparse_w_sweeps_with_jvps():
    # Same preconditioner, same sweeps, J v by a JVP instead of the stored diagonals: the
    # same solution to rounding.
    y, t, inv_gamma_h = state(5), 0.3, 20.0
    preconditioner = sk.FourierW(GRID, dx=DX, diffusivities=DIFFUSIVITIES)
    rhs = jnp.asarray(np.random.default_rng(6).normal(size=y.shape[0]))
    stored = sk.SparseW.detect(reaction_diffusion, y, preconditioner=preconditioner, sweeps=2)
    free = JacobianFreeW(reaction_diffusion, preconditioner=preconditioner, sweeps=2)
    x_stored = stored.solve(stored.factor(reaction_diffusion, t, y, inv_gamma_h), rhs)
    x_free = free.solve(free.factor(reaction_diffusion, t, y, inv_gamma_h), rhs)
    np.testing.assert_allclose(np.asarray(x_free), np.asarray(x_stored), atol=1e-12)
    with pytest.raises(ValueError, match="sweeps must be 0 or more"):
        JacobianFreeW(reaction_diffusion, preconditioner=preconditioner, sweeps=-1)
    with pytest.raises(ValueError, match="sweeps must be 0 or more"):
        sk.SparseW.detect(reaction_diffusion, y, preconditioner=preconditioner, sweeps=-1)


def test_sparse_w_refuses_a_pattern_that_diagonals_would_store_badly():
    # Each entry coupled to one at a random place: two nonzeros a row, but on about n
    # different diagonals, each nearly empty.
    partner = jnp.asarray(np.random.default_rng(4).permutation(400))

    def scattered(t, y):
        return -y * y[partner]

    with pytest.raises(ValueError, match="diagonals"):
        sk.SparseW.detect(scattered, jnp.ones(400), preconditioner=sk.FourierW((20, 20), dx=1.0, diffusivities=(1.0,)))


def van_der_pol(t, y):
    return jnp.stack([y[1], 5.0 * (1 - y[0] ** 2) * y[1] - y[0]])


@pytest.mark.slow
def test_compiled_loop_takes_the_host_loops_steps_with_the_same_matrix():
    # Same method, same rules, same dense Jacobian: identical step, rejection and
    # factorization counts, and the same answer to rounding, through two save_at stops.
    kwargs = dict(rtol=1e-7, atol=1e-9, save_at=[0.7, 2.5, 4.0])
    host = sk.solve_rosenbrock_w(van_der_pol, (0.0, 4.0), jnp.array([2.0, 0.0]), linear_solve=sk.DenseLU(van_der_pol), **kwargs)
    compiled = sk.solve_rosenbrock_w_compiled(van_der_pol, (0.0, 4.0), jnp.array([2.0, 0.0]), linear_solve=DenseW(), **kwargs)
    assert host.n_rejected > 0 and host.n_factorizations > 1  # the rules for both branches ran
    assert (compiled.n_steps, compiled.n_rejected, compiled.n_factorizations) == (host.n_steps, host.n_rejected, host.n_factorizations)
    np.testing.assert_allclose(compiled.ts, host.ts)
    np.testing.assert_allclose(compiled.ys, host.ys, rtol=1e-9, atol=1e-12)


@pytest.mark.parametrize("method", ["rodas4", "shampine"])
@pytest.mark.slow
def test_compiled_rosenbrock_loop_takes_the_host_loops_steps(method):
    # The Rosenbrock loop compiled: same tableau, rules and dense Jacobian as sk.solve_rosenbrock,
    # so the same accepted and rejected steps and the same states to rounding; a forcing in t
    # makes the df/dt term count (a compiled loop that dropped it would take other steps).
    def forced(t, y):
        return van_der_pol(t, y) + jnp.array([0.0, jnp.sin(3.0 * t)])

    kwargs = dict(rtol=1e-7, atol=1e-9, save_at=[0.7, 2.5, 4.0], method=method)
    host = sk.solve_rosenbrock(forced, (0.0, 4.0), jnp.array([2.0, 0.0]), linear_solve=sk.DenseLU(forced), **kwargs)
    compiled = sk.solve_rosenbrock_compiled(forced, (0.0, 4.0), jnp.array([2.0, 0.0]), linear_solve=DenseW(), **kwargs)
    assert host.n_rejected > 0  # both branches of the step-size rule ran
    assert (compiled.n_steps, compiled.n_rejected, compiled.n_evaluations) == (host.n_steps, host.n_rejected, host.n_evaluations)
    np.testing.assert_allclose(compiled.ts, host.ts)
    np.testing.assert_allclose(compiled.ys, host.ys, rtol=1e-9, atol=1e-12)
    with pytest.raises(ValueError, match="method"):
        sk.solve_rosenbrock_compiled(forced, (0.0, 1.0), jnp.array([2.0, 0.0]), linear_solve=DenseW(), method="ros3")


@pytest.mark.slow
def test_superlu_w_in_the_compiled_loop_takes_the_host_loops_steps():
    # SuperLU called back from the compiled loop against the Python loop with the same SparseLU
    # (same ordering, same Jacobian): the same steps and factorizations, states equal to rounding.
    # A callback that solved with a stale factorization, or dropped the diagonal, would move the steps.
    from scimlkit.compiled_rosenbrock import SuperLUW

    y0 = state()
    kwargs = dict(rtol=1e-6, atol=1e-6, save_at=[0.5, 1.0])
    host = sk.solve_rosenbrock_w(reaction_diffusion, (0.0, 1.0), y0, linear_solve=sk.SparseLU.detect(reaction_diffusion, y0),
                                 **kwargs)
    compiled = sk.solve_rosenbrock_w_compiled(reaction_diffusion, (0.0, 1.0), y0,
                                              linear_solve=SuperLUW.detect(reaction_diffusion, y0), **kwargs)
    assert host.n_factorizations > 1
    assert (compiled.n_steps, compiled.n_rejected, compiled.n_factorizations) == (host.n_steps, host.n_rejected, host.n_factorizations)
    np.testing.assert_allclose(compiled.ys, host.ys, rtol=1e-10, atol=1e-12)
    with pytest.raises(ValueError, match="shape"):
        sk.solve_rosenbrock_w_compiled(reaction_diffusion, (0.0, 1.0), jnp.ones(3), linear_solve=SuperLUW.detect(reaction_diffusion, y0))


def test_compiled_solver_matches_the_hairer_wanner_robertson_reference():
    # The tolerance of the host W-method's test: 1e-4 relative at rtol = 1e-7, atol = 1e-13.
    problem = sk.robertson()

    def f(t, y):
        return problem.vector_field(t, y, problem.params)

    solution = sk.solve_rosenbrock_w_compiled(f, (0.0, 1e11), problem.y0, linear_solve=DenseW(), rtol=1e-7, atol=1e-13)
    np.testing.assert_allclose(solution.y_final, np.array(sk.ROBERTSON_REFERENCE_1E11), rtol=1e-4)


@pytest.mark.slow
def test_compiled_w_solves_of_the_brusselator_agree_with_the_sparse_lu_solve():
    # 16x16 grid through the forcing switch at rtol = atol = 1e-6. SparseW has the exact
    # Jacobian (up to one preconditioned sweep), so it takes the sparse-LU run's steps;
    # FourierW drops the reaction's variation from W, which changes the steps but not the
    # answer beyond what the tolerance allows (1e-4 of the largest entry, as for Radau above).
    problem = sk.brusselator_2d(16)

    def f(t, y):
        return problem.vector_field(t, y, problem.params)

    kwargs = dict(rtol=1e-6, atol=1e-6, save_at=[1.1, 3.0])
    host = sk.solve_rosenbrock_w(f, (0.0, 3.0), problem.y0, linear_solve=sk.SparseLU.detect(f, problem.y0), **kwargs)
    fourier = sk.FourierW((16, 16), dx=1 / 15, diffusivities=(10.0, 10.0))
    sparse_w = sk.SparseW.detect(f, problem.y0, preconditioner=fourier, sweeps=1)
    scale = np.abs(host.y_final).max()
    for linear_solve in (fourier, sparse_w):
        compiled = sk.solve_rosenbrock_w_compiled(f, (0.0, 3.0), problem.y0, linear_solve=linear_solve, **kwargs)
        assert np.abs(compiled.y_final - host.y_final).max() < 1e-4 * scale
    assert compiled.n_steps == host.n_steps


def test_compiled_solver_reports_bad_input_and_exhaustion_clearly():
    y0 = jnp.array([2.0, 0.0])
    with pytest.raises(ValueError, match="save_at"):
        sk.solve_rosenbrock_w_compiled(van_der_pol, (0.0, 1.0), y0, linear_solve=DenseW(), save_at=[3.0])
    with pytest.raises(ValueError, match=r"shape \(60,\)"):
        sk.solve_rosenbrock_w_compiled(van_der_pol, (0.0, 1.0), y0, linear_solve=sk.FourierW(GRID, dx=DX, diffusivities=DIFFUSIVITIES))
    with pytest.raises(RuntimeError, match="max_steps = 3 at t = "):
        sk.solve_rosenbrock_w_compiled(van_der_pol, (0.0, 10.0), y0, linear_solve=DenseW(), max_steps=3)
