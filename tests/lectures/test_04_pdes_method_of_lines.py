"""Claims of lecture 4, read from the built page (tolerances stated per test)."""

PAGE = "lectures/04_pdes_method_of_lines"


def test_heat_equation_is_second_order(glued):
    # Observed order of the method-of-lines heat solution: 2 +- 0.1.
    assert abs(glued(PAGE)["heat_order"] - 2.0) < 0.1


def test_stencil_matrix_and_convolution_agree_to_rounding(glued):
    assert glued(PAGE)["operator_gap"] < 1e-12


def test_vectorized_gierer_meinhardt_equals_the_loops(glued):
    # Ten explicit Euler steps, loops vs compiled toolkit field, and one NumPy evaluation.
    assert glued(PAGE)["ladder_gap"] < 1e-10


def test_compiling_the_right_hand_side_buys_orders_of_magnitude(glued):
    assert glued(PAGE)["ladder_speedup"] > 100


def test_solver_comparison_is_consistent(glued):
    values = glued(PAGE)
    # The implicit method takes far fewer steps; both solutions agree within the tolerance.
    assert values["gm_step_ratio"] > 10
    assert values["gm_solver_gap"] < 1e-2
    # The words in the prose follow the measured times.
    faster = "the explicit method" if values["gm_time_ratio"] < 1 else "the implicit method"
    assert values["gm_faster_solver"] == faster


def test_a_turing_pattern_grows_from_the_noise(glued):
    # The initial noise spans at most 0.1; the pattern spans well over ten times that.
    assert glued(PAGE)["gm_contrast"] > 1.0
