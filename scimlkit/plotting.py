"""One figure style for the whole book."""

from __future__ import annotations

import matplotlib as mpl
import matplotlib.pyplot as plt

#: Colours used consistently across lectures: data, truth, and the two model families.
COLORS = {
    "data": "#222222",
    "truth": "#7f7f7f",
    "physics": "#1f77b4",
    "neural": "#d62728",
    "accent": "#2ca02c",
}

_STYLE = {
    "figure.figsize": (6.4, 3.6),
    "figure.dpi": 110,
    "savefig.dpi": 110,
    "axes.spines.top": False,
    "axes.spines.right": False,
    "axes.grid": True,
    "grid.alpha": 0.3,
    "axes.titlesize": "medium",
    "legend.frameon": False,
    "lines.linewidth": 2.0,
    # A white figure background stays readable on the book's dark theme too.
    "figure.facecolor": "white",
    "axes.facecolor": "white",
}


def use_book_style() -> None:
    """Apply the book's matplotlib style to every figure made afterwards."""
    mpl.rcParams.update(_STYLE)


def new_figure(ncols: int = 1, *, width: float = 6.4, height: float = 3.6):
    """A figure with ``ncols`` side-by-side axes in the book style.

    >>> fig, ax = sk.new_figure()
    >>> line = ax.plot([0, 1], [0, 1], color=sk.COLORS["truth"])
    """
    use_book_style()
    fig, axes = plt.subplots(1, ncols, figsize=(width, height), layout="constrained")
    return fig, axes
