import jax
import jax.numpy as jnp
import numpy as np
import pytest

import scimlkit as sk

jax.config.update("jax_enable_x64", True)


def robertson_field():
    problem = sk.robertson()
    return lambda t, y: problem.vector_field(t, y, problem.params), problem


def test_rosenbrock_is_fourth_order_on_a_smooth_problem():
    # y' = -y + cos(t) (non-autonomous, so the df/dt terms count): fixed steps through
    # save_at with tolerances too loose to reject; error ratio per halving ~ 2^4.
    def f(t, y):
        return -y + jnp.cos(t)

    exact = 0.5 * (np.cos(1.0) + np.sin(1.0)) + (1.0 - 0.5) * np.exp(-1.0)
    errors = []
    for steps in (8, 16, 32):
        times = np.linspace(0, 1, steps + 1)[1:]
        solution = sk.solve_rosenbrock(
            f, (0.0, 1.0), jnp.array([1.0]), linear_solve=sk.DenseLU(f), rtol=1.0, atol=1.0,
            save_at=times, first_step=1.0 / steps,
        )
        errors.append(abs(solution.y_final[0] - exact))
    assert abs(sk.observed_order(np.array([8, 16, 32.0]) ** -1, np.array(errors)) - 4.0) < 0.3


def test_robertson_at_1e11_matches_the_hairer_wanner_reference():
    # Reference: Hairer-Wanner test set. Tolerance: 1e-5 relative in every component
    # at rtol = 1e-6, atol = 1e-12 (y2 is about 8e-14 at the end).
    f, problem = robertson_field()
    solution = sk.solve_rosenbrock(f, (0.0, 1e11), problem.y0, linear_solve=sk.DenseLU(f), rtol=1e-6, atol=1e-12)
    reference = np.array(sk.ROBERTSON_REFERENCE_1E11)
    np.testing.assert_allclose(solution.y_final, reference, rtol=1e-5)


def test_implicit_takes_orders_of_magnitude_fewer_steps_than_explicit_on_robertson():
    # On [0, 1e5] the Rosenbrock solve needs a few hundred steps; an explicit adaptive
    # Runge-Kutta method (diffrax Tsit5) spends 100x as many and is still far from 1e5.
    import diffrax

    f, problem = robertson_field()
    implicit = sk.solve_rosenbrock(f, (0.0, 1e5), problem.y0, linear_solve=sk.DenseLU(f), rtol=1e-6, atol=1e-10)
    budget = 100 * (implicit.n_steps + implicit.n_rejected)
    explicit = diffrax.diffeqsolve(
        diffrax.ODETerm(lambda t, y, args: f(t, y)), diffrax.Tsit5(), 0.0, 1e5, None, problem.y0,
        stepsize_controller=diffrax.PIDController(rtol=1e-6, atol=1e-10), max_steps=budget,
        throw=False, saveat=diffrax.SaveAt(t1=True),
    )
    assert explicit.result != diffrax.RESULTS.successful  # ran out of its 100x budget
    assert explicit.stats["num_steps"] == budget


@pytest.mark.slow
def test_sparse_dense_and_krylov_brusselator_solutions_agree_to_solver_tolerance():
    # A short horizon through the forcing switch (t in [0, 1.5]) keeps the dense solve cheap.
    problem = sk.brusselator_2d(12)

    def f(t, y):
        return problem.vector_field(t, y, problem.params)

    dx = 1.0 / 11
    preconditioner = sk.fft_diffusion_preconditioner((12, 12), dx=dx, diffusivities=(10.0, 10.0))
    solutions = {
        name: sk.solve_rosenbrock(f, (0.0, 1.5), problem.y0, linear_solve=solve, rtol=1e-6, atol=1e-6, save_at=[1.1, 1.5])
        for name, solve in [
            ("sparse", sk.SparseLU.detect(f, problem.y0)),
            ("dense", sk.DenseLU(f)),
            ("krylov", sk.Krylov(f, preconditioner=preconditioner)),
        ]
    }
    scale = np.abs(solutions["dense"].y_final).max()
    for name in ("sparse", "krylov"):
        np.testing.assert_allclose(solutions[name].y_final, solutions["dense"].y_final, atol=1e-6 * scale)
    assert solutions["sparse"].n_steps == solutions["dense"].n_steps


def test_newton_krylov_solves_a_backward_euler_step():
    f, problem = robertson_field()
    h, y0 = 1.0, problem.y0

    def residual(y):
        return y - y0 - h * f(0.0, y)

    y, iterations = sk.newton_krylov(residual, y0, tol=1e-12)
    assert np.sqrt(np.mean(np.asarray(residual(y)) ** 2)) < 1e-12
    assert 1 <= iterations <= 20
    np.testing.assert_allclose(np.sum(y), 1.0, rtol=1e-12)  # the step conserves mass


def test_rosenbrock_rejects_bad_spans():
    f, problem = robertson_field()
    with pytest.raises(ValueError, match="t_span must increase"):
        sk.solve_rosenbrock(f, (1.0, 0.0), problem.y0, linear_solve=sk.DenseLU(f))
    with pytest.raises(ValueError, match="save_at"):
        sk.solve_rosenbrock(f, (0.0, 1.0), problem.y0, linear_solve=sk.DenseLU(f), save_at=[2.0])


def test_rosenbrock_w_keeps_order_three_with_a_jacobian_frozen_at_the_start():
    # y' = -y^2 + cos(t) with fixed steps: the step size never changes, so the solver never
    # refactorizes and every step uses W built from J(t=0, y0) = -2. A W-method keeps its
    # order with such a stale matrix (a Rosenbrock method would drop to order 1); the
    # error ratio per halving should be ~2^3.
    def f(t, y):
        return -y**2 + jnp.cos(t)

    reference = scipy_reference(lambda t, y: -y**2 + np.cos(t), (0.0, 2.0), np.array([1.0]))
    errors = []
    for steps in (10, 20, 40, 80):
        times = np.linspace(0, 2, steps + 1)[1:]
        solution = sk.solve_rosenbrock_w(
            f, (0.0, 2.0), jnp.array([1.0]), linear_solve=sk.DenseLU(f), rtol=1.0, atol=1.0,
            save_at=times, first_step=2.0 / steps,
        )
        assert solution.n_factorizations == 1 and solution.n_rejected == 0
        errors.append(abs(solution.y_final[0] - reference[0]))
    assert abs(sk.observed_order(np.array([10, 20, 40, 80.0]) ** -1, np.array(errors)) - 3.0) < 0.2


def scipy_reference(f, t_span, y0):
    from scipy.integrate import solve_ivp

    return solve_ivp(f, t_span, y0, method="Radau", rtol=1e-12, atol=1e-14).y[:, -1]


def test_rosenbrock_w_steps_land_on_a_forcing_switch_without_seeing_it():
    # y' = 0 before t = 1 and 1 from t = 1 on (switched on at the save_at time): the step that
    # ends at t = 1 must not evaluate the forcing at its last stage (c = 1), so y(1) = 0
    # exactly and y(2) = 1 to the tolerance.
    def f(t, y):
        return jnp.where(t >= 1.0, 1.0, 0.0) * jnp.ones_like(y)

    solution = sk.solve_rosenbrock_w(f, (0.0, 2.0), jnp.zeros(1), linear_solve=sk.DenseLU(f), save_at=[1.0, 2.0])
    assert solution.ys[1, 0] == 0.0
    np.testing.assert_allclose(solution.y_final, [1.0], rtol=1e-6)


def test_rosenbrock_w_matches_the_hairer_wanner_robertson_reference():
    # Tolerance: 1e-4 relative in every component at rtol = 1e-7, atol = 1e-13 (order 3,
    # so a tighter rtol than the order-4 solver above for the same check).
    f, problem = robertson_field()
    solution = sk.solve_rosenbrock_w(f, (0.0, 1e11), problem.y0, linear_solve=sk.DenseLU(f), rtol=1e-7, atol=1e-13)
    np.testing.assert_allclose(solution.y_final, np.array(sk.ROBERTSON_REFERENCE_1E11), rtol=1e-4)
    assert solution.n_factorizations < solution.n_steps


@pytest.mark.slow
def test_rosenbrock_w_agrees_with_scipy_radau_on_the_brusselator_and_reuses_its_factorizations():
    # 12x12 grid through the forcing switch; Radau at rtol = 1e-10 as the reference. The
    # W-method at rtol = atol = 1e-6 should be within 1e-4 of the largest entry (its global
    # error is a few times the tolerance per unit time), and re-use each sparse LU for
    # several steps.
    problem = sk.brusselator_2d(12)

    def f(t, y):
        return problem.vector_field(t, y, problem.params)

    jitted = jax.jit(f)
    from scipy.integrate import solve_ivp

    before = solve_ivp(lambda t, y: np.asarray(jitted(t, y)), (0.0, 1.1), np.asarray(problem.y0), method="Radau",
                       rtol=1e-10, atol=1e-10)
    after = solve_ivp(lambda t, y: np.asarray(jitted(t, y)), (1.1, 3.0), before.y[:, -1], method="Radau",
                      rtol=1e-10, atol=1e-10)
    reference = after.y[:, -1]
    solution = sk.solve_rosenbrock_w(
        f, (0.0, 3.0), problem.y0, linear_solve=sk.SparseLU.detect(f, problem.y0), rtol=1e-6, atol=1e-6, save_at=[1.1, 3.0]
    )
    assert np.abs(solution.y_final - reference).max() < 1e-4 * np.abs(reference).max()
    assert solution.n_factorizations < solution.n_steps / 3


def test_sparse_lu_keeps_its_ordering_and_solves_exactly_for_new_values():
    # The ordering is computed at the first factorization; later factorizations (other
    # Jacobian values, other gamma h) reuse it and must still solve W x = b to rounding.
    import scipy.sparse as sparse

    problem = sk.brusselator_2d(8)

    def f(t, y):
        return problem.vector_field(t, y, problem.params)

    linear_solve = sk.SparseLU.detect(f, problem.y0, permc_spec="MMD_AT_PLUS_A")
    rhs = np.random.default_rng(0).normal(size=problem.y0.shape[0])
    for scale, inv_gamma_h in [(1.0, 50.0), (1.7, 3.0), (0.4, 1e4)]:
        y = np.asarray(problem.y0) * scale
        linear_solve.update(0.5, y)
        matrix = inv_gamma_h * sparse.identity(y.size) - linear_solve.jacobian(0.5, y)
        x = linear_solve.factor(inv_gamma_h)(rhs)
        assert np.abs(matrix @ x - rhs).max() < 1e-10 * (1 + np.abs(rhs).max())
