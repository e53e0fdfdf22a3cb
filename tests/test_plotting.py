import matplotlib
import matplotlib.pyplot as plt

import scimlkit as sk


def test_book_style_is_applied():
    sk.use_book_style()
    assert matplotlib.rcParams["axes.spines.top"] is False
    assert matplotlib.rcParams["figure.facecolor"] == "white"


def test_new_figure_gives_the_requested_axes():
    fig, axes = sk.new_figure(3, width=9, height=3)
    assert len(axes) == 3
    assert tuple(fig.get_size_inches()) == (9.0, 3.0)
    plt.close(fig)


def test_palette_names_the_roles_lectures_plot():
    assert {"data", "truth", "physics", "neural"} <= set(sk.COLORS)
