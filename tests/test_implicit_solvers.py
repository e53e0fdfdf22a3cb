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
