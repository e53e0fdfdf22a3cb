import jax
import jax.numpy as jnp
import numpy as np
import pytest

import scimlkit as sk

jax.config.update("jax_enable_x64", True)


def robertson_field():
    problem = sk.robertson()
    return lambda t, y: problem.vector_field(t, y, problem.params), problem


@pytest.mark.parametrize("method", ["shampine", "rodas4"])
def test_rosenbrock_is_fourth_order_on_a_smooth_problem(method):
    # y' = -y + cos(t) (non-autonomous, so the df/dt terms count): fixed steps through
    # save_at with tolerances too loose to reject; error ratio per halving ~ 2^4. A wrong
    # d_i (the df/dt coefficients) or a wrong stage time drops the order to 1 or 2.
    def f(t, y):
        return -y + jnp.cos(t)

    exact = 0.5 * (np.cos(1.0) + np.sin(1.0)) + (1.0 - 0.5) * np.exp(-1.0)
    errors = []
    for steps in (8, 16, 32):
        times = np.linspace(0, 1, steps + 1)[1:]
        solution = sk.solve_rosenbrock(
            f, (0.0, 1.0), jnp.array([1.0]), linear_solve=sk.DenseLU(f), rtol=1.0, atol=1.0,
            save_at=times, first_step=1.0 / steps, method=method,
        )
        errors.append(abs(solution.y_final[0] - exact))
    assert abs(sk.observed_order(np.array([8, 16, 32.0]) ** -1, np.array(errors)) - 4.0) < 0.3


def classical_form(tableau):
    """Hairer and Wanner's (alpha, Gamma, b, b_hat) of a tableau in stage-increment form (inverting their (7.25))."""
    stages = tableau["a"].shape[0]
    gamma_matrix = np.linalg.inv(np.diag(np.full(stages, 1.0 / tableau["gamma"])) - tableau["c"])
    return (tableau["a"] @ gamma_matrix, gamma_matrix, tableau["m"] @ gamma_matrix,
            (tableau["m"] - tableau["error"]) @ gamma_matrix)


def order_condition_residuals(b, alpha, gamma_matrix, gamma):
    """The eight conditions for order 4 of a Rosenbrock method (Hairer and Wanner, Table IV.7.1), as residuals."""
    beta = alpha + gamma_matrix - np.diag(np.diag(gamma_matrix))  # beta_ij = alpha_ij + gamma_ij, j < i
    a_sum, b_sum = alpha.sum(axis=1), beta.sum(axis=1)
    return np.array([
        b.sum() - 1,
        b @ b_sum - (0.5 - gamma),
        b @ a_sum**2 - 1 / 3,
        b @ beta @ b_sum - (1 / 6 - gamma + gamma**2),
        b @ a_sum**3 - 1 / 4,
        (b * a_sum) @ alpha @ b_sum - (1 / 8 - gamma / 3),
        b @ beta @ a_sum**2 - (1 / 12 - gamma / 3),
        b @ beta @ beta @ b_sum - (1 / 24 - gamma / 2 + 1.5 * gamma**2 - gamma**3),
    ])


def stability_at_infinity(alpha, gamma_matrix, b):
    """R(inf) = 1 - b^T (alpha + Gamma)^{-1} 1 of a Rosenbrock method (0 for an L-stable one)."""
    return 1.0 - b @ np.linalg.solve(alpha + gamma_matrix, np.ones(b.size))


@pytest.mark.parametrize("name", ["SHAMPINE43", "RODAS4"])
def test_rosenbrock_tableaus_satisfy_the_order_conditions(name):
    # All eight conditions of order 4 for the solution and the first four (order 3) for the
    # embedded one, to rounding; a coefficient mistyped in its fourth digit leaves a residual
    # of 1e-4 or more. The stage times are the row sums of alpha and the df/dt weights d_i
    # those of Gamma.
    from scimlkit import implicit_solvers

    tableau = getattr(implicit_solvers, name)
    alpha, gamma_matrix, b, b_hat = classical_form(tableau)
    assert np.abs(order_condition_residuals(b, alpha, gamma_matrix, tableau["gamma"])).max() < 1e-12
    assert np.abs(order_condition_residuals(b_hat, alpha, gamma_matrix, tableau["gamma"])[:4]).max() < 1e-12
    np.testing.assert_allclose(alpha.sum(axis=1), tableau["times"], atol=1e-12)
    np.testing.assert_allclose(gamma_matrix.sum(axis=1), tableau["d"], atol=1e-12)


def test_rodas4_is_stiffly_accurate_and_l_stable_and_shampine_is_neither():
    # Stiffly accurate: the last stage's row of beta = alpha + Gamma is b (so the step ends
    # on the last stage's argument plus its increment), and R(inf) = 0. Shampine's method
    # is A-stable with |R(inf)| = 1/3 (the negative control: it is not L-stable).
    from scimlkit.implicit_solvers import RODAS4, SHAMPINE43

    alpha, gamma_matrix, b, _ = classical_form(RODAS4)
    np.testing.assert_allclose(alpha[-1] + gamma_matrix[-1], b, atol=1e-12)
    assert abs(stability_at_infinity(alpha, gamma_matrix, b)) < 1e-12
    alpha, gamma_matrix, b, _ = classical_form(SHAMPINE43)
    assert np.abs(alpha[-1] + gamma_matrix[-1] - b).max() > 0.1
    assert abs(stability_at_infinity(alpha, gamma_matrix, b)) == pytest.approx(1 / 3, rel=1e-12)


def test_rodas4_keeps_its_accuracy_on_a_very_stiff_prothero_robinson_problem():
    # y' = L (y - sin t) + cos t, L = -1e6, y(0) = 0 (exact: sin t), fixed steps h = 1/10 ..
    # 1/80, so h |L| >= 1e4. Shampine's method drops to order 2 with errors of 2e-3 .. 3e-5;
    # RODAS, stiffly accurate, stays below 1e-8 at every step size (2e-9 .. 2e-10 measured).
    def f(t, y):
        return -1e6 * (y - jnp.sin(t)) + jnp.cos(t)

    step_counts = np.array([10, 20, 40, 80])
    errors = {}
    for method in ("shampine", "rodas4"):
        errors[method] = []
        for steps in step_counts:
            solution = sk.solve_rosenbrock(
                f, (0.0, 1.0), jnp.zeros(1), linear_solve=sk.DenseLU(f), rtol=1e3, atol=1e3,
                save_at=np.arange(1, steps + 1) / steps, first_step=1.0 / steps, method=method,
            )
            assert solution.n_steps == steps and solution.n_rejected == 0
            errors[method].append(abs(solution.y_final[0] - np.sin(1.0)))
    assert abs(sk.observed_order(1.0 / step_counts, np.array(errors["shampine"])) - 2.0) < 0.3
    assert max(errors["rodas4"]) < 1e-8
    assert min(errors["shampine"]) > 1000 * max(errors["rodas4"])


def test_rosenbrock_refuses_an_unknown_method():
    f, problem = robertson_field()
    with pytest.raises(ValueError, match="rodas4"):
        sk.solve_rosenbrock(f, (0.0, 1.0), problem.y0, linear_solve=sk.DenseLU(f), method="rodas5")


# The stiff test set (Hairer and Wanner, Solving ODEs II, section IV.10; Mazzia, Magherini
# and Iavernaro's IVP test set): right-hand side, initial value, end time, reference value
# at the end. The references are the published ones; SciPy's Radau at rtol = 1e-12 agrees
# with each to 1e-10 relative or better (HIRES 7e-11, VDPOL 2e-10 from the book's value at
# y0 = (2, 0), OREGO 1e-13, ROBER 7e-12 in y2).
def hires(t, y):
    return jnp.stack([
        -1.71 * y[0] + 0.43 * y[1] + 8.32 * y[2] + 0.0007,
        1.71 * y[0] - 8.75 * y[1],
        -10.03 * y[2] + 0.43 * y[3] + 0.035 * y[4],
        8.32 * y[1] + 1.71 * y[2] - 1.12 * y[3],
        -1.745 * y[4] + 0.43 * y[5] + 0.43 * y[6],
        -280.0 * y[5] * y[7] + 0.69 * y[3] + 1.71 * y[4] - 0.43 * y[5] + 0.69 * y[6],
        280.0 * y[5] * y[7] - 1.81 * y[6],
        -280.0 * y[5] * y[7] + 1.81 * y[6],
    ])


def van_der_pol_stiff(t, y):
    return jnp.stack([y[1], ((1 - y[0] ** 2) * y[1] - y[0]) / 1e-6])


def orego(t, y):
    return jnp.stack([
        77.27 * (y[1] + y[0] * (1 - 8.375e-6 * y[0] - y[1])),
        (y[2] - (1 + y[0]) * y[1]) / 77.27,
        0.161 * (y[0] - y[2]),
    ])


STIFF_TEST_SET = {
    "HIRES": (hires, [1.0, 0, 0, 0, 0, 0, 0, 0.0057], 321.8122, [
        0.7371312573325668e-3, 0.1442485726316185e-3, 0.5888729740967575e-4, 0.1175651343283149e-2,
        0.2386356198831331e-2, 0.6238968252742796e-2, 0.2849998395185769e-2, 0.2850001604814231e-2]),
    "VDPOL": (van_der_pol_stiff, [2.0, 0.0], 2.0, [0.1706167732170483e1, -0.8928097010247975e0]),
    "OREGO": (orego, [1.0, 2.0, 3.0], 360.0, [0.1000814870318523e1, 0.1228178521549917e4, 0.1320554942846706e3]),
    "ROBER": (lambda t, y: robertson_field()[0](t, y), [1.0, 0.0, 0.0], 1e11, list(sk.ROBERTSON_REFERENCE_1E11)),
}


@pytest.mark.parametrize(
    ("name", "steps_band"),
    # RODAS's accepted steps at rtol = 1e-6 (measured: 71, 1022, 1176, 412); SciPy's Radau
    # takes about as many, Shampine's method 125, 3044, 3124, 970: outside every band but HIRES's.
    [("HIRES", (50, 100)), ("VDPOL", (800, 1300)), ("OREGO", (900, 1500)), ("ROBER", (300, 550))],
)
def test_rodas4_solves_the_stiff_test_set_to_its_tolerance(name, steps_band):
    # Error in the tolerance's own mixed norm, |y - ref| / (atol / rtol + |ref|), at rtol = 1e-6
    # (atol = 1e-6, or 1e-12 for ROBER, whose y2 is 1e-13 at the end): 5e-7, 1e-7, 3e-6, 4e-8
    # measured, so below 1e-5; a wrong coefficient gives errors of order one.
    f, y0, t_end, reference = STIFF_TEST_SET[name]
    atol = 1e-12 if name == "ROBER" else 1e-6
    solution = sk.solve_rosenbrock(
        f, (0.0, t_end), jnp.asarray(y0), linear_solve=sk.DenseLU(f), rtol=1e-6, atol=atol, save_at=[t_end], method="rodas4",
    )
    reference = np.asarray(reference)
    error = np.max(np.abs(solution.y_final - reference) / (atol / 1e-6 + np.abs(reference)))
    assert error < 1e-5
    assert steps_band[0] <= solution.n_steps <= steps_band[1]


def test_robertson_at_1e11_matches_the_hairer_wanner_reference():
    # Reference: Hairer-Wanner test set. Tolerance: 1e-5 relative in every component
    # at rtol = 1e-6, atol = 1e-12 (y2 is about 8e-14 at the end).
    f, problem = robertson_field()
    solution = sk.solve_rosenbrock(f, (0.0, 1e11), problem.y0, linear_solve=sk.DenseLU(f), rtol=1e-6, atol=1e-12)
    reference = np.array(sk.ROBERTSON_REFERENCE_1E11)
    np.testing.assert_allclose(solution.y_final, reference, rtol=1e-5)


@pytest.mark.slow
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


@pytest.mark.slow
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


@pytest.mark.slow
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
