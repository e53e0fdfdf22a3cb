"""The stiff solvers' maths: tableaux against exp(z), the error norm by hand, step counts pinned.

Final accuracy does not pin down step-size control: an error norm changed from RMS to
max gives *more* accurate results with 11-41% more steps, and a host loop and a compiled
loop that share the norm agree with each other either way. So the number of accepted
and rejected steps on three reference problems (Robertson, Van der Pol, the Brusselator)
is held within a stated band around the measured value.
"""

from __future__ import annotations

import jax
import jax.numpy as jnp
import numpy as np
import pytest

import scimlkit as sk
from scimlkit import implicit_solvers as implicit

jax.config.update("jax_enable_x64", True)


def stability(tableau, z, w=None):
    """R(z) of a stage-increment tableau on y' = lambda y, z = h lambda; ``w`` = h times the
    matrix in W (the exact Jacobian when None, anything for a W-method)."""
    w = z if w is None else w
    gamma, a, c, m = tableau["gamma"], tableau["a"], tableau["c"], tableau["m"]
    increments = []
    for i in range(a.shape[0]):
        # (1/gamma - w) u_i = z (1 + sum_j a_ij u_j) + sum_j c_ij u_j   (y = 1, h = 1 absorbed)
        right = z * (1 + sum(a[i, j] * increments[j] for j in range(i))) + sum(c[i, j] * increments[j] for j in range(i))
        increments.append(right / (1 / gamma - w))
    u = np.array(increments)
    return 1 + m @ u, 1 + m @ u - tableau["error"] @ u


@pytest.mark.parametrize(
    "name, tableau, order, embedded",
    [("Shampine 4(3)", implicit.SHAMPINE43, 4, 3), ("RODAS 4(3)", implicit.RODAS4, 4, 3),
     ("ROS34PW2 3(2)", implicit.ROS34PW2, 3, 2)],
)
def test_tableaux_match_the_exponential_to_their_orders(name, tableau, order, embedded):
    # R(z) - exp(z) = O(z^(p+1)): halving z divides the error by 2^(p+1). A coefficient
    # changed in its third digit breaks an order condition and the ratio drops.
    z = np.array([0.02, 0.01]) * (0.6 + 0.8j)
    main, estimate = stability(tableau, z)
    ratio = np.abs(main[0] - np.exp(z[0])) / np.abs(main[1] - np.exp(z[1]))
    assert np.log2(ratio) == pytest.approx(order + 1, abs=0.15), name
    ratio = np.abs(estimate[0] - np.exp(z[0])) / np.abs(estimate[1] - np.exp(z[1]))
    assert np.log2(ratio) == pytest.approx(embedded + 1, abs=0.15), name


def test_l_stable_methods_damp_infinitely_stiff_modes_and_shampine_does_not():
    stiff = np.array([-1e8, -1e8 + 1e3j])
    assert np.all(np.abs(stability(implicit.RODAS4, stiff)[0]) < 1e-6)
    assert np.all(np.abs(stability(implicit.ROS34PW2, stiff)[0]) < 1e-6)
    # Shampine's method is A-stable but not L-stable: |R(-inf)| is 1/3 (not 0, not above 1).
    assert np.abs(stability(implicit.SHAMPINE43, np.array([-1e8]))[0][0]) == pytest.approx(1 / 3, rel=1e-5)
    for tableau in (implicit.SHAMPINE43, implicit.RODAS4, implicit.ROS34PW2):
        left = -np.logspace(-2, 4, 40)[:, None] + 1j * np.linspace(-50, 50, 9)[None, :]
        assert np.all(np.abs(stability(tableau, left.ravel())[0]) <= 1 + 1e-12)


def test_ros34pw2_keeps_order_three_with_any_matrix_in_w():
    # A W-method: with W built from h * alpha for a fixed alpha unrelated to lambda, the
    # step is still third order in h. A Rosenbrock method (Shampine's) drops to order 1.
    lam = -0.7 + 0.4j
    for tableau, order in ((implicit.ROS34PW2, 3), (implicit.SHAMPINE43, 1)):
        errors = []
        for h in (0.02, 0.01):
            main, _ = stability(tableau, np.array([h * lam]), w=np.array([h * 2.5]))
            errors.append(np.abs(main[0] - np.exp(h * lam)))
        assert np.log2(errors[0] / errors[1]) == pytest.approx(order + 1, abs=0.2)


def test_error_norm_is_the_weighted_rms_with_the_larger_state():
    error = np.array([3e-6, -1e-6, 2e-6, 0.0])
    y, y_new = np.array([1.0, -100.0, 0.01, 5.0]), np.array([2.0, -50.0, -0.02, 5.0])
    rtol, atol = 1e-3, 1e-6
    weights = atol + rtol * np.array([2.0, 100.0, 0.02, 5.0])
    expected = np.sqrt(np.mean((error / weights) ** 2))
    assert implicit._error_norm(error, y, y_new, rtol, atol) == pytest.approx(expected, rel=1e-14)
    assert float(implicit._error_norm(jnp.asarray(error), jnp.asarray(y), jnp.asarray(y_new), rtol, atol, xp=jnp)) \
        == pytest.approx(expected, rel=1e-14)
    assert implicit._error_norm(np.array([np.nan, 0.0, 0.0, 0.0]), y, y_new, rtol, atol) == np.inf


def test_initial_step_and_stopping_times():
    # Hairer, Norsett and Wanner's estimate 0.01 d0 / d1 from the scaled sizes of y and y'.
    y, f0 = np.array([2.0, -1.0]), np.array([40.0, 10.0])
    scale = 1e-3 + 1e-2 * np.abs(y)
    d0 = np.sqrt(np.mean((y / scale) ** 2))
    d1 = np.sqrt(np.mean((f0 / scale) ** 2))
    assert implicit._initial_step(y, f0, 1e-2, 1e-3) == pytest.approx(0.01 * d0 / d1, rel=1e-14)
    assert implicit._initial_step(np.zeros(2), f0, 1e-2, 1e-3) == 1e-6  # y = 0: no scale to go by
    np.testing.assert_array_equal(implicit._stopping_times(0.0, 3.0, [2.0, 0.5, 2.0, 3.0]), [0.5, 2.0, 3.0])
    np.testing.assert_array_equal(implicit._stopping_times(1.0, 3.0, None), [3.0])
    with pytest.raises(ValueError, match="save_at"):
        implicit._stopping_times(1.0, 3.0, [1.0])


def robertson():
    problem = sk.robertson()
    return (lambda t, y: problem.vector_field(t, y, problem.params)), problem.y0


def van_der_pol(t, y, mu=1e3):
    # The stiff Van der Pol oscillator in Lienard form (Hairer and Wanner II, section IV.10).
    return jnp.array([y[1], mu * ((1 - y[0] ** 2) * y[1] - y[0])])


# Accepted plus rejected steps, measured with the RMS norm. The band is +-5% (but see BANDS): the max norm
# instead (issue 28) costs 11% to 41% more steps on these problems (Robertson: 540 instead
# of 383 with Shampine's method, 202 instead of 182 with RODAS, 1009 instead of 908 with
# the W-method; Van der Pol: 689 and 2348; the Brusselator: 250).
STEP_COUNTS = {
    "robertson shampine": 383,
    "robertson rodas4": 182,
    "robertson w": 908,
    "van der pol rodas4": 615,
    "van der pol w": 2039,
    "brusselator w": 205,
}


# Shampine's method on Robertson rejects a third of its steps (it loses order there), and
# which ones depends on rounding: 383 steps when pinned, 412 (286 accepted, 126 rejected)
# with the same code on an AMD EPYC machine (other BLAS kernels). Its band is +-10%, still
# far from the max norm's 540.
BANDS = {"robertson shampine": 0.10}


def assert_steps(name, solution):
    measured = solution.n_steps + solution.n_rejected
    expected, band = STEP_COUNTS[name], BANDS.get(name, 0.05)
    assert (1 - band) * expected <= measured <= (1 + band) * expected, \
        f"{name}: {measured} steps, pinned at {expected} +- {band:.0%}"


@pytest.mark.parametrize("method", ["shampine", "rodas4"])
def test_rosenbrock_step_counts_on_robertson_are_pinned(method):
    f, y0 = robertson()
    solution = sk.solve_rosenbrock(f, (0.0, 1e5), y0, linear_solve=sk.DenseLU(f), rtol=1e-6, atol=1e-10, method=method)
    assert_steps(f"robertson {method}", solution)
    np.testing.assert_allclose(np.sum(solution.ys, axis=1), 1.0, rtol=1e-10)  # mass is conserved at every step


def test_rosenbrock_w_step_counts_on_robertson_are_pinned():
    f, y0 = robertson()
    solution = sk.solve_rosenbrock_w(f, (0.0, 1e5), y0, linear_solve=sk.DenseLU(f), rtol=1e-6, atol=1e-10)
    assert_steps("robertson w", solution)


@pytest.mark.slow
def test_step_counts_on_stiff_van_der_pol_are_pinned():
    y0 = jnp.array([2.0, 0.0])
    rodas = sk.solve_rosenbrock(van_der_pol, (0.0, 2.0), y0, linear_solve=sk.DenseLU(van_der_pol), rtol=1e-6,
                                atol=1e-6, method="rodas4")
    assert_steps("van der pol rodas4", rodas)
    w = sk.solve_rosenbrock_w(van_der_pol, (0.0, 2.0), y0, linear_solve=sk.DenseLU(van_der_pol), rtol=1e-6, atol=1e-6)
    assert_steps("van der pol w", w)
    # The two agree on the slow manifold to the tolerance's order.
    np.testing.assert_allclose(rodas.y_final, w.y_final, rtol=1e-3)


@pytest.mark.slow
def test_rosenbrock_w_step_counts_on_the_brusselator_are_pinned():
    problem = sk.brusselator_2d(8)

    def f(t, y):
        return problem.vector_field(t, y, problem.params)

    solution = sk.solve_rosenbrock_w(f, (0.0, 1.5), problem.y0, linear_solve=sk.SparseLU.detect(f, problem.y0),
                                     rtol=1e-6, atol=1e-6, save_at=[1.1, 1.5])
    assert_steps("brusselator w", solution)


def test_a_step_with_no_error_grows_the_next_by_the_largest_factor_five():
    # y' = 0: every error estimate is exactly zero, so each step is five times the last:
    # from 1e-3, nine steps reach 488.3 and the tenth lands on t = 1000 (a factor 4 needs 11).
    def still(t, y):
        return 0.0 * y

    for solve in (sk.solve_rosenbrock, sk.solve_rosenbrock_w):
        solution = solve(still, (0.0, 1e3), jnp.ones(2), linear_solve=sk.DenseLU(still), first_step=1e-3)
        assert (solution.n_steps, solution.n_rejected) == (10, 0), solve.__name__
        np.testing.assert_allclose(np.diff(solution.ts)[:9], 1e-3 * 5.0 ** np.arange(9), rtol=1e-12)
        np.testing.assert_array_equal(solution.y_final, [1.0, 1.0])
