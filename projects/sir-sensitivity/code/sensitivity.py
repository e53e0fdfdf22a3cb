"""Local and global sensitivity of the SIR epidemic model: every figure and number of report.tex.

Run from this folder: python sensitivity.py (under a minute on a laptop). It writes
../figures/*.png and ../figures/results.tex, whose macros report.tex prints, so the
report's numbers are the ones this run computed.
"""

from __future__ import annotations

from pathlib import Path

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt
import numpy as np
from scipy.integrate import solve_ivp

HERE = Path(__file__).resolve().parent
FIGURES = HERE.parent / "figures"

# beta: infection rate per day, gamma: recovery rate per day (R0 = beta / gamma = 2.5).
NOMINAL = {"beta": 0.5, "gamma": 0.2}
S0, I0 = 0.99, 0.01
T_END = 120.0
TIMES = np.linspace(0.0, T_END, 601)
TOLERANCES = {"rtol": 1e-10, "atol": 1e-12}
BETA_RANGE, GAMMA_RANGE = (0.3, 0.8), (0.1, 0.3)
SOBOL_SAMPLES = 2**14
SEED = 20260105


def sir(t, y, beta, gamma):
    s, i, _ = y
    return [-beta * s * i, beta * s * i - gamma * i, gamma * i]


def solve(beta: float, gamma: float) -> np.ndarray:
    """S, I and R on ``TIMES`` (rows)."""
    solution = solve_ivp(sir, (0.0, T_END), [S0, I0, 0.0], t_eval=TIMES, args=(beta, gamma), method="DOP853", **TOLERANCES)
    return solution.y


def infected(beta: float, gamma: float) -> np.ndarray:
    return solve(beta, gamma)[1]


def finite_difference_sensitivities(relative_step: float = 1e-4) -> dict[str, np.ndarray]:
    """d log I / d log p by central differences."""
    base = infected(**NOMINAL)
    result = {}
    for name, value in NOMINAL.items():
        step = relative_step * value
        up = infected(**{**NOMINAL, name: value + step})
        down = infected(**{**NOMINAL, name: value - step})
        result[name] = (up - down) / (2 * step) * value / base
    return result


def forward_sensitivities() -> dict[str, np.ndarray]:
    """d log I / d log p from the forward sensitivity equations, solved with the model."""
    beta, gamma = NOMINAL["beta"], NOMINAL["gamma"]

    def augmented(t, y):
        s, i, _, s_b, i_b, s_g, i_g = y
        # Jacobian of (S', I') in (S, I) applied to each sensitivity, plus the explicit derivative.
        ds_b = -beta * (s_b * i + s * i_b) - s * i
        di_b = beta * (s_b * i + s * i_b) - gamma * i_b + s * i
        ds_g = -beta * (s_g * i + s * i_g)
        di_g = beta * (s_g * i + s * i_g) - gamma * i_g - i
        return [*sir(t, y[:3], beta, gamma), ds_b, di_b, ds_g, di_g]

    start = [S0, I0, 0.0, 0.0, 0.0, 0.0, 0.0]
    solution = solve_ivp(augmented, (0.0, T_END), start, t_eval=TIMES, method="DOP853", **TOLERANCES)
    i = solution.y[1]
    return {"beta": solution.y[4] * beta / i, "gamma": solution.y[6] * gamma / i}


def peak_formula(beta, gamma):
    """Peak infected fraction of the SIR model (exact, for S0 * R0 > 1; I0 otherwise)."""
    r0 = np.asarray(beta) / np.asarray(gamma)
    peak = I0 + S0 - (1.0 + np.log(S0 * r0)) / r0
    return np.where(S0 * r0 > 1.0, peak, I0)


def peak_over_grid(n: int = 25) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    betas = np.linspace(*BETA_RANGE, n)
    gammas = np.linspace(*GAMMA_RANGE, n)
    long_times = np.linspace(0.0, 400.0, 4001)  # slow epidemics peak late
    peaks = np.empty((n, n))
    for row, gamma in enumerate(gammas):
        for column, beta in enumerate(betas):
            solution = solve_ivp(sir, (0.0, 400.0), [S0, I0, 0.0], t_eval=long_times, args=(beta, gamma),
                                 method="DOP853", **TOLERANCES)
            peaks[row, column] = solution.y[1].max()
    return betas, gammas, peaks


def sobol_indices(function, samples: int = SOBOL_SAMPLES) -> dict[str, tuple[float, float]]:
    """First-order and total Sobol indices of ``function(beta, gamma)`` for uniform rates
    (Saltelli's sampling with the Jansen estimators)."""
    rng = np.random.default_rng(SEED)
    low = np.array([BETA_RANGE[0], GAMMA_RANGE[0]])
    width = np.array([BETA_RANGE[1] - BETA_RANGE[0], GAMMA_RANGE[1] - GAMMA_RANGE[0]])
    a = low + width * rng.random((samples, 2))
    b = low + width * rng.random((samples, 2))
    f_a, f_b = function(*a.T), function(*b.T)
    variance = np.var(np.concatenate([f_a, f_b]))
    result = {}
    for index, name in enumerate(("beta", "gamma")):
        a_b = a.copy()
        a_b[:, index] = b[:, index]
        f_ab = function(*a_b.T)
        first = 1.0 - np.mean((f_b - f_ab) ** 2) / (2.0 * variance)
        total = np.mean((f_a - f_ab) ** 2) / (2.0 * variance)
        result[name] = (float(first), float(total))
    return result


def draw_trajectories(path: Path) -> None:
    fig, (left, right) = plt.subplots(1, 2, figsize=(7.2, 3.0), layout="constrained")
    s, i, r = solve(**NOMINAL)
    for values, name in ((s, "S"), (i, "I"), (r, "R")):
        left.plot(TIMES, values, label=name)
    left.set_xlabel("day")
    left.set_ylabel("fraction of the population")
    left.legend(frameon=False)
    for beta in (0.4, 0.5, 0.6):
        right.plot(TIMES, infected(beta, NOMINAL["gamma"]), label=f"beta = {beta}")
    right.set_xlabel("day")
    right.set_ylabel("infected fraction I(t)")
    right.legend(frameon=False)
    fig.savefig(path, dpi=150)
    plt.close(fig)


def draw_sensitivities(path: Path, differences, forward) -> None:
    fig, ax = plt.subplots(figsize=(6.0, 3.2), layout="constrained")
    for name, values in forward.items():
        line, = ax.plot(TIMES, values, label=f"d log I / d log {name} (sensitivity equations)")
        ax.plot(TIMES[::20], differences[name][::20], "o", color=line.get_color(), markersize=3,
                label=f"central differences, {name}")
    ax.axhline(0.0, color="0.6", linewidth=0.8)
    ax.set_xlabel("day")
    ax.set_ylabel("normalised sensitivity")
    ax.legend(frameon=False, fontsize="small")
    fig.savefig(path, dpi=150)
    plt.close(fig)


def draw_peaks(path: Path, grid) -> None:
    betas, gammas, peaks = grid
    fig, ax = plt.subplots(figsize=(6.0, 4.0), layout="constrained")
    image = ax.contourf(betas, gammas, peaks, levels=20, cmap="viridis")
    lines = ax.contour(betas, gammas, betas[None, :] / gammas[:, None], levels=[1.5, 2.0, 3.0, 4.0, 6.0],
                       colors="white", linewidths=0.8)
    ax.clabel(lines, fmt="R0 = %g", fontsize="small")
    ax.set_xlabel("beta (1/day)")
    ax.set_ylabel("gamma (1/day)")
    fig.colorbar(image, ax=ax, label="peak infected fraction")
    fig.savefig(path, dpi=150)
    plt.close(fig)


def draw_peak_against_r0(path: Path, grid) -> None:
    betas, gammas, peaks = grid
    r0 = betas[None, :] / gammas[:, None]
    curve = np.linspace(r0.min(), r0.max(), 400)
    fig, ax = plt.subplots(figsize=(6.0, 3.2), layout="constrained")
    ax.plot(r0.ravel(), peaks.ravel(), ".", markersize=4, label="numerical peak, every grid point")
    ax.plot(curve, peak_formula(curve, 1.0), "-", color="black", linewidth=1.0, label="closed form (2.3)")
    ax.set_xlabel("R0 = beta / gamma")
    ax.set_ylabel("peak infected fraction")
    ax.legend(frameon=False)
    fig.savefig(path, dpi=150)
    plt.close(fig)


def draw_thumbnail(path: Path, grid) -> None:
    betas, gammas, peaks = grid
    fig, ax = plt.subplots(figsize=(6.0, 4.2), layout="constrained")
    ax.contourf(betas, gammas, peaks, levels=20, cmap="viridis")
    ax.set_xlabel("beta (1/day)")
    ax.set_ylabel("gamma (1/day)")
    fig.savefig(path, dpi=80)
    plt.close(fig)


def peak_day(beta, gamma) -> np.ndarray:
    """Day of the epidemic peak, from one solve per rate pair (for the Sobol study)."""
    days = []
    for b, g in zip(np.atleast_1d(beta), np.atleast_1d(gamma)):
        solution = solve_ivp(sir, (0.0, 400.0), [S0, I0, 0.0], args=(b, g), method="DOP853",
                             events=_peak_event, rtol=1e-8, atol=1e-10)
        days.append(solution.t_events[0][0] if solution.t_events[0].size else 0.0)
    return np.array(days)


def _peak_event(t, y, beta, gamma):
    return beta * y[0] - gamma  # I' = 0 where beta S = gamma


_peak_event.direction = -1


def main() -> None:
    FIGURES.mkdir(exist_ok=True)
    differences, forward = finite_difference_sensitivities(), forward_sensitivities()
    grid = peak_over_grid()
    betas, gammas, peaks = grid
    formula_error = np.abs(peaks - peak_formula(betas[None, :], gammas[:, None])).max()
    gap = max(np.abs(differences[name] - forward[name]).max() for name in NOMINAL)
    nominal = infected(**NOMINAL)
    peak_index = int(nominal.argmax())
    sobol_peak = sobol_indices(peak_formula)
    sobol_day = sobol_indices(peak_day, samples=256)
    values = {
        "PeakValue": f"{nominal.max():.4f}",
        "PeakDay": f"{TIMES[peak_index]:.1f}",
        "SensBetaAtPeak": f"{forward['beta'][peak_index]:.2f}",
        "SensGammaAtPeak": f"{forward['gamma'][peak_index]:.2f}",
        "SensBetaEarly": f"{forward['beta'][50]:.2f}",
        "SensGammaEarly": f"{forward['gamma'][50]:.2f}",
        "EarlyDay": f"{TIMES[50]:.0f}",
        "FdGap": f"{gap:.1e}",
        "FormulaError": f"{formula_error:.1e}",
        "GridSize": f"{len(betas)}",
        "SobolSamples": f"{SOBOL_SAMPLES}",
        "SobolPeakBetaFirst": f"{sobol_peak['beta'][0]:.2f}",
        "SobolPeakGammaFirst": f"{sobol_peak['gamma'][0]:.2f}",
        "SobolPeakBetaTotal": f"{sobol_peak['beta'][1]:.2f}",
        "SobolPeakGammaTotal": f"{sobol_peak['gamma'][1]:.2f}",
        "SobolDaySamples": "256",
        "SobolDayBetaFirst": f"{sobol_day['beta'][0]:.2f}",
        "SobolDayGammaFirst": f"{sobol_day['gamma'][0]:.2f}",
        "SobolDayBetaTotal": f"{sobol_day['beta'][1]:.2f}",
        "SobolDayGammaTotal": f"{sobol_day['gamma'][1]:.2f}",
    }
    lines = ["% Written by code/sensitivity.py: the numbers report.tex prints."]
    lines += [f"\\newcommand{{\\SIR{name}}}{{{value}}}" for name, value in values.items()]
    (FIGURES / "results.tex").write_text("\n".join(lines) + "\n", encoding="utf-8")
    draw_trajectories(FIGURES / "trajectories.png")
    draw_sensitivities(FIGURES / "sensitivities.png", differences, forward)
    draw_peaks(FIGURES / "peaks.png", grid)
    draw_peak_against_r0(FIGURES / "peak-against-r0.png", grid)
    draw_thumbnail(FIGURES / "thumbnail.png", grid)


if __name__ == "__main__":
    main()
