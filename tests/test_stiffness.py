import numpy as np

import scimlkit as sk


def test_real_stability_limits_of_the_textbook_methods():
    limits = {name: sk.real_stability_limit(r) for name, r in sk.STABILITY_FUNCTIONS.items()}
    assert abs(limits["explicit Euler"] - 2.0) < 1e-3
    assert abs(limits["RK4"] - 2.785) < 1e-3  # Hairer & Wanner I, fig. IV.2.1
    assert limits["implicit Euler"] == np.inf
    assert limits["trapezoid"] == np.inf


def test_stiffness_ratio_of_a_diagonal_system():
    ratio, eigenvalues = sk.stiffness_ratio(np.diag([-1.0, -1e4, 0.0]))
    assert ratio == 1e4
    assert sorted(eigenvalues.real) == [-1e4, -1.0, 0.0]


def test_plot_stability_region_draws_on_the_axes():
    fig, ax = sk.new_figure()
    sk.plot_stability_region(ax, sk.STABILITY_FUNCTIONS["RK4"], color="C0", label="RK4")
    assert ax.get_legend_handles_labels()[1] == ["RK4"]
