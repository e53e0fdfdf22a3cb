"""Local and global sensitivity of the SIR epidemic model; writes the figures and the PDF report.

Run from this folder: python sensitivity.py (about fifteen seconds on a laptop).
"""

from __future__ import annotations

import textwrap
from pathlib import Path

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt
import numpy as np
from matplotlib.backends.backend_pdf import PdfPages
from scipy.integrate import solve_ivp

HERE = Path(__file__).resolve().parent
FIGURES = HERE.parent / "figures"
REPORT = HERE.parent / "report.pdf"

# beta: infection rate per day, gamma: recovery rate per day (R0 = beta / gamma = 2.5).
NOMINAL = {"beta": 0.5, "gamma": 0.2}
S0, I0 = 0.99, 0.01
T_END = 120.0
TIMES = np.linspace(0.0, T_END, 601)


def sir(t, y, beta, gamma):
    s, i, _ = y
    return [-beta * s * i, beta * s * i - gamma * i, gamma * i]


def infected(beta: float, gamma: float) -> np.ndarray:
    solution = solve_ivp(sir, (0.0, T_END), [S0, I0, 0.0], t_eval=TIMES, args=(beta, gamma), rtol=1e-9, atol=1e-11)
    return solution.y[1]


def normalised_sensitivities() -> dict[str, np.ndarray]:
    """d log I / d log p by central differences (relative step 1e-4)."""
    base = infected(**NOMINAL)
    result = {}
    for name, value in NOMINAL.items():
        step = 1e-4 * value
        up = infected(**{**NOMINAL, name: value + step})
        down = infected(**{**NOMINAL, name: value - step})
        result[name] = (up - down) / (2 * step) * value / base
    return result


def peak_over_grid(n: int = 25) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    betas = np.linspace(0.3, 0.8, n)
    gammas = np.linspace(0.1, 0.3, n)
    peaks = np.array([[infected(b, g).max() for b in betas] for g in gammas])
    return betas, gammas, peaks


def draw_trajectories(ax) -> None:
    for beta in (0.4, 0.5, 0.6):
        ax.plot(TIMES, infected(beta, NOMINAL["gamma"]), label=f"beta = {beta}")
    ax.set_xlabel("day")
    ax.set_ylabel("infected fraction I(t)")
    ax.legend(frameon=False)


def draw_sensitivities(ax, sensitivities) -> None:
    for name, values in sensitivities.items():
        ax.plot(TIMES, values, label=f"d log I / d log {name}")
    ax.axhline(0.0, color="0.6", linewidth=0.8)
    ax.set_xlabel("day")
    ax.set_ylabel("normalised sensitivity")
    ax.legend(frameon=False)


def draw_peaks(fig, ax, grid) -> None:
    betas, gammas, peaks = grid
    image = ax.contourf(betas, gammas, peaks, levels=20, cmap="viridis")
    ax.contour(betas, gammas, betas[None, :] / gammas[:, None], levels=[1.0, 2.0, 3.0, 4.0], colors="white", linewidths=0.8)
    ax.set_xlabel("beta (1/day)")
    ax.set_ylabel("gamma (1/day)")
    fig.colorbar(image, ax=ax, label="peak infected fraction")


TEXT = [
    ("Parameter sensitivity of the SIR epidemic model", None),
    ("Abstract", "We measure how the infected fraction of the SIR model responds to its two rates. "
     "Local, normalised sensitivities computed by central differences show that the infection "
     "rate dominates the early growth while both rates shape the peak equally and oppositely; a "
     "global scan of the peak over a grid of rates shows it depends on their ratio R0 almost alone."),
    ("1. Introduction", "Compartment models are the first tool of mathematical epidemiology [1]. "
     "Before fitting one to data it pays to know which parameters the data can constrain: a "
     "sensitivity study answers that [2]."),
    ("2. Model and methods", "S' = -beta S I, I' = beta S I - gamma I, R' = gamma I with S(0) = 0.99, "
     "I(0) = 0.01, beta = 0.5 and gamma = 0.2 per day, solved with an adaptive Runge-Kutta method "
     "(rtol 1e-9). Normalised sensitivities d log I / d log p come from central differences with a "
     "relative step of 1e-4; forward-mode automatic differentiation would give the same curves [3]."),
    ("3. Results", "Figure 1 shows the epidemic for three infection rates; Figure 2 the sensitivities; "
     "Figure 3 the peak over the (beta, gamma) plane with lines of constant R0."),
    ("4. Discussion", "Near the peak the two sensitivities are equal and opposite, so early data "
     "identify beta while the peak height identifies only R0: fitting both rates needs the decay phase."),
    ("References", "[1] W. O. Kermack and A. G. McKendrick, A contribution to the mathematical theory of "
     "epidemics, Proc. R. Soc. A 115 (1927).\n[2] A. Saltelli et al., Global Sensitivity Analysis: The "
     "Primer, Wiley (2008).\n[3] C. Rackauckas et al., Universal differential equations for scientific "
     "machine learning, arXiv:2001.04385 (2020)."),
]


def text_page(pdf: PdfPages) -> None:
    fig = plt.figure(figsize=(8.27, 11.69))
    y = 0.95
    for heading, body in TEXT:
        size = 16 if body is None else 12
        fig.text(0.08, y, heading, fontsize=size, weight="bold", va="top")
        y -= 0.035
        if body:
            for paragraph in body.split("\n"):
                for line in textwrap.wrap(paragraph, 95):
                    fig.text(0.08, y, line, fontsize=9.5, va="top")
                    y -= 0.02
            y -= 0.015
    pdf.savefig(fig)
    plt.close(fig)


def main() -> None:
    FIGURES.mkdir(exist_ok=True)
    sensitivities = normalised_sensitivities()
    grid = peak_over_grid()
    figures = []
    for number, (draw, size) in enumerate(
        [(lambda f, a: draw_trajectories(a), (6, 3.6)),
         (lambda f, a: draw_sensitivities(a, sensitivities), (6, 3.6)),
         (lambda f, a: draw_peaks(f, a, grid), (6, 4.2))],
        start=1,
    ):
        fig, ax = plt.subplots(figsize=size, layout="constrained")
        draw(fig, ax)
        ax.set_title(f"Figure {number}", fontsize="medium")
        figures.append(fig)
    figures[2].savefig(FIGURES / "thumbnail.png", dpi=80)
    with PdfPages(REPORT, metadata={"Title": TEXT[0][0], "Author": "SciML in Python course team"}) as pdf:
        text_page(pdf)
        for fig in figures:
            pdf.savefig(fig)
    for fig in figures:
        plt.close(fig)


if __name__ == "__main__":
    main()
