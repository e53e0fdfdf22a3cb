"""Claims of lecture 5, read from the built page (tolerances stated per test)."""

PAGE = "lectures/05_stiffness"


def test_stability_limits_on_the_real_axis(glued):
    values = glued(PAGE)
    assert abs(values["euler_limit"] - 2.0) < 1e-3
    assert abs(values["rk4_limit"] - 2.785) < 1e-3


def test_robertson_is_stiff_and_the_implicit_method_needs_far_fewer_steps(glued):
    values = glued(PAGE)
    assert values["rober_stiffness_ratio"] > 1e3
    # The explicit method got 100x the implicit step count on [0, 1e5] and did not finish.
    assert values["rober_explicit_finished"] is False
    assert values["rober_explicit_budget"] >= 100 * values["rober_implicit_steps"]


def test_robertson_matches_the_hairer_wanner_reference(glued):
    # Relative error in every component at t = 1e11: below 1e-5 (rtol = 1e-6).
    assert glued(PAGE)["rober_reference_error"] < 1e-5


def test_scratch_backward_euler_lands_near_the_adaptive_solution(glued):
    assert glued(PAGE)["backward_euler_gap"] < 1e-2


def test_von_neumann_limit(glued):
    values = glued(PAGE)
    assert values["heat_stable_max"] < 1.0
    assert values["heat_unstable_max"] > 1e3


def test_colouring(glued):
    values = glued(PAGE)
    assert values["brusselator_colours"] == 12
    assert values["max_colours_over_grids"] <= 12
    assert values["colouring_error"] < 1e-10
    assert values["fd_jacobian_error"] > 1e-12  # finite differences lose digits; AD does not


def test_jfnk_scratch_equals_toolkit(glued):
    values = glued(PAGE)
    assert values["jfnk_gap"] < 1e-8
    assert 1 <= values["jfnk_newton_iterations"] <= 10


def test_brusselator_linear_algebras_agree_to_solver_tolerance(glued):
    values = glued(PAGE)
    assert values["brusselator_agreement"] < 1e-5
    assert values["sparse_over_dense_speedup"] > 1


def test_w_method_keeps_order_three_with_any_matrix(glued):
    # Observed order over 16..128 steps on van der Pol: 3 +- 0.2 with a frozen or zero matrix.
    values = glued(PAGE)
    assert abs(values["w_order_frozen"] - 3.0) < 0.2
    assert abs(values["w_order_zero"] - 3.0) < 0.2


def test_w_method_scratch_equals_toolkit(glued):
    values = glued(PAGE)
    assert values["w_fixed_factorizations"] == 1
    assert values["w_scratch_gap"] < 1e-12


def test_w_method_reuses_factorizations_on_the_brusselator(glued):
    # Fewer LUs than the order-4 method; the solutions differ by less than 1e-3 of the
    # largest entry (both within a few 1e-5 of a tight reference in the benchmark).
    values = glued(PAGE)
    assert values["w_factorizations"] * 2 < values["full_factorizations"]
    assert values["w_steps"] > values["w_factorizations"]
    assert values["w_steps"] > values["full_steps"]  # "takes more steps", as the text says
    assert values["w_gap"] < 1e-3


def test_fourier_w_solves_its_system_and_matches_the_toolkit(glued):
    # The FFT solve against the sparse matrix it inverts, and scratch vs sk.FourierW: both to rounding.
    values = glued(PAGE)
    assert values["fourier_w_residual"] < 1e-12
    assert values["fourier_w_gap"] < 1e-12


def test_compiled_fixed_step_loop_equals_the_toolkit(glued):
    values = glued(PAGE)
    assert values["compiled_fixed_steps"] == 200
    assert values["compiled_fixed_factorizations"] == 1
    assert values["compiled_scratch_gap"] < 1e-12


def test_compiled_loop_is_faster_and_agrees_with_the_python_loop(glued):
    # "Most of those seconds are not arithmetic": the compiled loop with the same exact
    # Jacobian is more than twice as fast as the Python loop; all three solutions agree
    # within 1e-5 of the largest entry (the solver's own tolerance is 1e-6).
    values = glued(PAGE)
    assert values["compiled_sparse_speedup"] > 2
    assert values["compiled_fourier_speedup"] > values["compiled_sparse_speedup"]
    assert values["compiled_largest_gap"] < 1e-5
    assert abs(values["compiled_sparse_steps"] - values["w_steps"]) <= 0.02 * values["w_steps"]
    # The sweeps exercise says the exact Jacobian changes the steps little: within 5%.
    assert abs(values["compiled_fourier_steps"] - values["compiled_sparse_steps"]) <= 0.05 * values["compiled_sparse_steps"]


def test_correction_sweep_scratch_equals_toolkit_and_reduces_the_residual(glued):
    # "one sweep reduces it": the residual of the exact W-system falls, by at least 10x here.
    values = glued(PAGE)
    assert values["sweep_residual_after"] < values["sweep_residual_before"] / 10
    assert values["sweep_scratch_gap"] < 1e-10
