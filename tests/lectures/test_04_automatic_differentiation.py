"""Claims of lecture 4 (automatic differentiation), read from the built page's run."""

from __future__ import annotations

PAGE = "lectures/04_automatic_differentiation"


def test_finite_differences_cannot_reach_machine_precision_but_dual_numbers_do(values):
    # The best forward difference (median over 101 points) loses about half the digits, the
    # central one about a third, at steps near sqrt(eps) and eps^(1/3).
    assert 1e-10 < values["fd_best_forward"] < 1e-6
    assert 1e-14 < values["fd_best_central"] < 1e-9
    assert 1e-9 <= values["fd_best_forward_step"] <= 1e-7
    assert 1e-6 <= values["fd_best_central_step"] <= 1e-4
    # At x = 1 alone the best central error lies below the median at the best common step
    # (1.0e-12 against 6.6e-12 measured: 6.4 times), and so does the median over the points
    # of each point's own best step (2.0e-12): the gain is picking the step after the fact,
    # not the point. Without that selection both would equal the common best (ratio 1).
    assert values["fd_single_point_ratio"] == values["fd_best_central"] / values["fd_single_point_central"]
    assert values["fd_single_point_ratio"] > 2
    assert values["fd_own_best_central"] < values["fd_best_central"] / 2
    assert values["complex_step_error"] < 1e-14
    assert values["dual_error"] < 1e-15


def test_from_scratch_versions_agree_with_scimlkit_and_jax(values):
    assert values["dual_toolkit_gap"] < 1e-12
    assert values["dual_jax_gap"] < 1e-12
    assert values["tape_toolkit_gap"] < 1e-12
    assert values["tape_jax_gap"] < 1e-12
    assert values["jvp_vjp_gap"] < 1e-12  # includes jax.linearize's J v
    # The teaching Jacobian by columns (forward passes) and by rows (reverse passes):
    # the same matrix to rounding (0 measured); rows and columns swapped would be off by O(10).
    assert values["jac_rows_columns_gap"] < 1e-12


def test_reverse_mode_wins_for_many_inputs_and_forward_mode_for_many_outputs(values):
    # The page says each mode is "faster" where it should win, on the device it names.
    assert values["jac_platform"] in ("CPU", "GPU")
    assert values["jac_wide_ratio"] > 1
    assert values["jac_tall_ratio"] > 1
    if values["jac_platform"] == "CPU":
        # Measured on a CPU: 877x and 689x; the same pass count both ways would give ~1.
        # Evidence for the CPU only: a GPU runs a batch of passes in parallel, and nothing
        # here measured the factor there.
        assert values["jac_wide_ratio"] > 5
        assert values["jac_tall_ratio"] > 5


def test_both_adjoints_converge_to_the_exact_sensitivity(values):
    # Measured 5.6e-9 and 3.5e-9 at rtol 1e-8; a gradient taken at rtol 1e-4 (1e-4 off)
    # or a wrong closed form fails.
    assert values["adjoint_direct_error"] < 5e-8
    assert values["adjoint_backsolve_error"] < 5e-8
    # At rtol 1e-4 the errors are about 1e-4 (measured 2.2e-4, 1.1e-4): "converge" means the
    # tighter tolerance is at least 100x better; a solve that ignored the tolerance fails.
    assert 1e-6 < values["adjoint_direct_error_loose"] < 1e-3
    assert 1e-6 < values["adjoint_backsolve_error_loose"] < 1e-3
    assert values["adjoint_direct_error"] < values["adjoint_direct_error_loose"] / 100
    assert values["adjoint_backsolve_error"] < values["adjoint_backsolve_error_loose"] / 100


def test_grad_is_the_derivative_of_the_computed_solution_only_with_constant_steps(values):
    # Constant steps: jax.grad and a five-point difference of the computed y(T) agree to the
    # difference's own error (measured 2.7e-13). Adaptive steps at 1e-8: they differ at the
    # tolerance level (measured 6.7e-9), because the step sizes depend on p; if the page's
    # "exact derivative of the numerical solution" held there, this gap would be ~1e-12.
    assert values["grad_vs_fd_constant"] < 1e-11
    assert 1e-9 < values["grad_vs_fd_adaptive"] < 5e-8


def test_the_gradient_at_a_kink_depends_on_how_the_function_is_written(values):
    # JAX conventions at 0: relu 0 (one-sided), maximum splits ties (0.5), abs takes the right slope.
    assert values["kink_grad_relu"] == 0.0
    assert values["kink_grad_maximum"] == 0.5
    assert values["kink_grad_abs"] == 1.0


def test_the_adjoint_written_out_is_backsolve_and_agrees_with_autodiff_to_the_tolerance(values):
    # The same backward ODE, solver and controller as BacksolveAdjoint: equal to rounding
    # (measured 0). A sign error in a' = p a or q' = a y changes the gradient at O(1).
    assert values["adjoint_hand_vs_backsolve"] < 1e-12
    # Against jax.grad through the forward solve and the closed form -T exp(-pT): at the
    # solver tolerance 1e-8 (measured 9e-9 and 3.5e-9), not at rounding, and not worse.
    assert values["adjoint_hand_vs_direct"] < 1e-7
    assert values["adjoint_hand_error"] < 3e-8


def test_ad_fails_loudly_on_code_it_cannot_see(values):
    # math.sin of a dual number and np.sin under jax.grad raise; "no error" would contradict the page.
    assert values["dual_math_error"] == "TypeError"
    assert values["numpy_grad_error"] == "TracerArrayConversionError"


def test_the_double_where_fixes_the_nan_gradient(values):
    assert values["nan_gradient_naive"] is True
    assert values["nan_gradient_fixed"] == 0.0
