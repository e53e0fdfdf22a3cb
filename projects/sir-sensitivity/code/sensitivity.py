"""Local and global sensitivity of the SIR epidemic model: every figure and number of report.tex.

Run from this folder: python sensitivity.py (a minute or two on a laptop). It writes
../figures/*.png and ../figures/results.tex, whose macros report.tex prints, so the
report's numbers are the ones this run computed. Wall-clock and CPU times cannot be
reproduced byte for byte, so they go to ../timings.tex instead, outside the figures that
`scimlkit project reproduce` compares.
"""

from __future__ import annotations

import os
import platform
import time
from pathlib import Path

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt
import numpy as np
from scipy.integrate import solve_ivp
from scipy.optimize import minimize

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
# Morris screening: the initial infected fraction joins the two rates as a third factor.
I0_RANGE = (0.001, 0.02)
MORRIS_LEVELS, MORRIS_TRAJECTORIES = 4, 20
# Identifiability: daily Poisson counts of new infections in a town of POPULATION people,
# observed for the first WINDOWS days; theta = (log beta, log gamma, log I0).
POPULATION = 10_000
WINDOWS = (10, 20, 60)
WORDS = {10: "Ten", 20: "Twenty", 60: "Sixty"}  # LaTeX macro names take no digits
CHI2_95 = 3.841458820694124  # 95% quantile of chi-squared with one degree of freedom
PROFILE_POINTS = 41
FIT_TOLERANCES = {"rtol": 1e-9, "atol": 1e-12}
# Bounds keep the optimiser among epidemics the solver can integrate quickly.
FIT_BOUNDS = [(np.log(0.05), np.log(3.0)), (np.log(0.02), np.log(2.0)), (np.log(1e-5), np.log(0.5))]
BOOTSTRAP = 2000


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


def sobol_evaluations(function, samples: int = SOBOL_SAMPLES, seed: int = SEED):
    """``function(beta, gamma)`` on Saltelli's design: on the samples A and B of uniform rates
    and on each A_B^(p), which takes column p from B."""
    rng = np.random.default_rng(seed)
    low = np.array([BETA_RANGE[0], GAMMA_RANGE[0]])
    width = np.array([BETA_RANGE[1] - BETA_RANGE[0], GAMMA_RANGE[1] - GAMMA_RANGE[0]])
    a = low + width * rng.random((samples, 2))
    b = low + width * rng.random((samples, 2))
    mixed = []
    for index in range(2):
        a_b = a.copy()
        a_b[:, index] = b[:, index]
        mixed.append(function(*a_b.T))
    return function(*a.T), function(*b.T), mixed


def jansen(f_a, f_b, mixed) -> dict[str, tuple[float, float]]:
    """First-order and total Sobol indices from Saltelli's design (Jansen's estimators)."""
    variance = np.var(np.concatenate([f_a, f_b]))
    result = {}
    for name, f_ab in zip(("beta", "gamma"), mixed):
        first = 1.0 - np.mean((f_b - f_ab) ** 2) / (2.0 * variance)
        total = np.mean((f_a - f_ab) ** 2) / (2.0 * variance)
        result[name] = (float(first), float(total))
    return result


def sobol_indices(function, samples: int = SOBOL_SAMPLES, seed: int = SEED) -> dict[str, tuple[float, float]]:
    """First-order and total Sobol indices of ``function(beta, gamma)`` for uniform rates."""
    return jansen(*sobol_evaluations(function, samples, seed))


def bootstrap_intervals(f_a, f_b, mixed, repeats: int = BOOTSTRAP) -> dict[str, np.ndarray]:
    """95% percentile intervals of the Jansen indices, resampling the rows of the design:
    no new model evaluations. Rows: first-order, total; columns: low, high."""
    rng = np.random.default_rng(SEED + 1)
    draws = {"beta": [], "gamma": []}
    for _ in range(repeats):
        rows = rng.integers(0, f_a.size, f_a.size)
        for name, pair in jansen(f_a[rows], f_b[rows], [f_ab[rows] for f_ab in mixed]).items():
            draws[name].append(pair)
    return {name: np.percentile(np.array(pairs), [2.5, 97.5], axis=0).T for name, pairs in draws.items()}


def exact_peak_indices(nodes: int = 200) -> dict[str, tuple[float, float]]:
    """Sobol indices of the closed-form peak height by Gauss-Legendre quadrature: the
    reference against which the sampling error of the estimators is measured."""
    x, w = np.polynomial.legendre.leggauss(nodes)
    betas = BETA_RANGE[0] + (BETA_RANGE[1] - BETA_RANGE[0]) * (x + 1) / 2
    gammas = GAMMA_RANGE[0] + (GAMMA_RANGE[1] - GAMMA_RANGE[0]) * (x + 1) / 2
    w = w / 2  # weights of the uniform distribution on each interval
    values = peak_formula(betas[:, None], gammas[None, :])  # rows: beta, columns: gamma
    mean = w @ values @ w
    variance = w @ (values - mean) ** 2 @ w
    given_beta, given_gamma = values @ w, w @ values
    first_beta = w @ (given_beta - mean) ** 2 / variance
    first_gamma = w @ (given_gamma - mean) ** 2 / variance
    total_beta = w @ (values - given_gamma[None, :]) ** 2 @ w / variance  # E_gamma Var(Y | gamma)
    total_gamma = w @ (values - given_beta[:, None]) ** 2 @ w / variance
    return {"beta": (float(first_beta), float(total_beta)), "gamma": (float(first_gamma), float(total_gamma))}


def sobol_error_against_samples(exact, sizes, repeats: int = 20) -> dict[str, np.ndarray]:
    """Root-mean-square error of the estimated S_beta and T_beta of the peak height over
    independent repetitions, for each sample size."""
    first, total = [], []
    for n in sizes:
        found = np.array([sobol_indices(peak_formula, int(n), seed=SEED + 100 + r)["beta"] for r in range(repeats)])
        first.append(np.sqrt(np.mean((found[:, 0] - exact["beta"][0]) ** 2)))
        total.append(np.sqrt(np.mean((found[:, 1] - exact["beta"][1]) ** 2)))
    return {"first": np.array(first), "total": np.array(total)}


# --- Morris screening ------------------------------------------------------------------

def peak_height_with(beta, gamma, i0):
    """Closed-form peak of I for S0 = 1 - I0 (the peak is I0 when the epidemic cannot grow)."""
    s0 = 1.0 - i0
    r0 = beta / gamma
    return np.where(s0 * r0 > 1.0, 1.0 - (1.0 + np.log(s0 * r0)) / r0, i0)


def peak_day_with(beta, gamma, i0) -> np.ndarray:
    days = []
    for b, g, start in zip(np.atleast_1d(beta), np.atleast_1d(gamma), np.atleast_1d(i0)):
        solution = solve_ivp(sir, (0.0, 400.0), [1.0 - start, start, 0.0], args=(b, g), method="DOP853",
                             events=_peak_event, rtol=1e-8, atol=1e-10)
        days.append(solution.t_events[0][0] if solution.t_events[0].size else 0.0)
    return np.array(days)


MORRIS_FACTORS = {"beta": BETA_RANGE, "gamma": GAMMA_RANGE, "I0": I0_RANGE}


def morris_design(levels: int = MORRIS_LEVELS, trajectories: int = MORRIS_TRAJECTORIES):
    """Morris's one-at-a-time trajectories in the unit cube: each starts at a random grid
    point and moves every factor once, by +-delta, in a random order."""
    rng = np.random.default_rng(SEED + 2)
    k = len(MORRIS_FACTORS)
    delta = levels / (2.0 * (levels - 1))
    start_levels = np.arange(levels // 2) / (levels - 1)  # starts from which +delta stays in [0, 1]
    points, moves = [], []
    for _ in range(trajectories):
        x = rng.choice(start_levels, size=k)
        signs = rng.choice([-1.0, 1.0], size=k)
        x = np.where(signs < 0, x + delta, x)  # a step down starts from the upper level
        path = [x.copy()]
        order = rng.permutation(k)
        for factor in order:
            x = x.copy()
            x[factor] += signs[factor] * delta
            path.append(x)
        points.append(np.array(path))
        moves.append((order, signs[order]))
    return np.array(points), moves, delta


def morris_effects(function, design) -> dict[str, tuple[float, float, float]]:
    """mu, mu* and sigma of the elementary effects of each factor (in units of the output
    per unit of the factor's range)."""
    points, moves, delta = design
    low = np.array([r[0] for r in MORRIS_FACTORS.values()])
    width = np.array([r[1] - r[0] for r in MORRIS_FACTORS.values()])
    flat = low + width * points.reshape(-1, points.shape[-1])
    values = function(*flat.T).reshape(points.shape[:2])
    effects = {name: [] for name in MORRIS_FACTORS}
    names = list(MORRIS_FACTORS)
    for path_values, (order, signs) in zip(values, moves):
        for step, (factor, sign) in enumerate(zip(order, signs)):
            effects[names[factor]].append((path_values[step + 1] - path_values[step]) / (sign * delta))
    return {name: (float(np.mean(e)), float(np.mean(np.abs(e))), float(np.std(e, ddof=1))) for name, e in effects.items()}


# --- Practical identifiability from noisy incidence ---------------------------------------

def incidence(theta, days: int):
    """Expected daily new infections on days 1..days and their derivatives with respect to
    theta = (log beta, log gamma, log I0), from the forward sensitivity equations."""
    beta, gamma, i0 = np.exp(theta)

    def augmented(t, y):
        s, i, s_b, i_b, s_g, i_g, s_0, i_0 = y
        # Each sensitivity u obeys u' = J u + df/dp with J the Jacobian of (S', I') in (S, I).
        def along(u_s, u_i):
            infection = beta * (u_s * i + s * u_i)
            return -infection, infection - gamma * u_i
        ds_b, di_b = along(s_b, i_b)
        ds_g, di_g = along(s_g, i_g)
        ds_0, di_0 = along(s_0, i_0)
        return [-beta * s * i, beta * s * i - gamma * i, ds_b - s * i, di_b + s * i, ds_g, di_g - i, ds_0, di_0]

    start = [1.0 - i0, i0, 0.0, 0.0, 0.0, 0.0, -1.0, 1.0]  # S0 = 1 - I0
    times = np.arange(days + 1.0)
    solution = solve_ivp(augmented, (0.0, float(days)), start, t_eval=times, method="DOP853", **FIT_TOLERANCES)
    s, ds = solution.y[0], solution.y[[2, 4, 6]] * np.array([beta, gamma, i0])[:, None]  # per log-parameter
    return POPULATION * -np.diff(s), POPULATION * -np.diff(ds, axis=1).T


def fisher_information(theta, days: int) -> np.ndarray:
    rate, gradient = incidence(theta, days)
    return gradient.T @ (gradient / rate[:, None])


def negative_log_likelihood(theta, counts):
    """Poisson negative log-likelihood (up to a constant) and its gradient."""
    rate, gradient = incidence(theta, counts.size)
    rate = np.maximum(rate, 1e-9)  # an epidemic long over: its tiny rates may round below zero
    return float(np.sum(rate - counts * np.log(rate))), gradient.T @ (1.0 - counts / rate)


def fit(counts, start, fixed_beta=None):
    """Maximum-likelihood theta; with ``fixed_beta`` only log gamma and log I0 are fitted."""
    if fixed_beta is None:
        result = minimize(negative_log_likelihood, start, args=(counts,), jac=True, method="L-BFGS-B",
                          bounds=FIT_BOUNDS, options={"gtol": 1e-7})
        return result.x, result.fun

    def reduced(free):
        value, gradient = negative_log_likelihood(np.concatenate([[fixed_beta], free]), counts)
        return value, gradient[1:]

    result = minimize(reduced, start[1:], jac=True, method="L-BFGS-B", bounds=FIT_BOUNDS[1:],
                      options={"gtol": 1e-7})
    return np.concatenate([[fixed_beta], result.x]), result.fun


def profile_of_beta(counts, best, best_value, betas):
    """Profile likelihood-ratio statistic 2 (l(theta_hat) - max over the others at beta),
    walking outwards from the estimate so that each fit starts from its neighbour's."""
    statistic = np.empty(betas.size)
    centre = int(np.argmin(np.abs(np.log(betas) - best[0])))
    for indices in (range(centre, betas.size), range(centre - 1, -1, -1)):
        start = best
        for j in indices:
            start, value = fit(counts, start, fixed_beta=np.log(betas[j]))
            statistic[j] = 2.0 * (value - best_value)
    return statistic


def profile_grid(best, log_error):
    """Rates of infection around the estimate: four Fisher standard errors either way, but
    no further than a factor e, where the data leave beta undetermined."""
    reach = min(1.0, 4.0 * log_error)
    return np.exp(best[0] + np.linspace(-reach, reach, PROFILE_POINTS))


def profile_interval(betas, statistic) -> tuple[float, float]:
    """Where the profile crosses the chi-squared threshold on either side of its minimum
    (nan where it stays below it inside the scanned range)."""
    centre = int(np.argmin(statistic))
    low = high = np.nan
    for j in range(centre, 0, -1):
        if statistic[j - 1] > CHI2_95 >= statistic[j]:
            low = np.interp(CHI2_95, [statistic[j], statistic[j - 1]], [betas[j], betas[j - 1]])
            break
    for j in range(centre, statistic.size - 1):
        if statistic[j + 1] > CHI2_95 >= statistic[j]:
            high = np.interp(CHI2_95, [statistic[j], statistic[j + 1]], [betas[j], betas[j + 1]])
            break
    return float(low), float(high)


# --- Cost and accuracy of local derivatives ------------------------------------------------

def solve_counted(beta, gamma, rtol, atol):
    solution = solve_ivp(sir, (0.0, T_END), [S0, I0, 0.0], t_eval=TIMES, args=(beta, gamma), method="DOP853",
                         rtol=rtol, atol=atol)
    return solution.y[1], solution.nfev


def forward_counted(rtol, atol):
    """Normalised d log I / d log beta from the sensitivity equations and the number of
    right-hand-side evaluations of the augmented system."""
    beta, gamma = NOMINAL["beta"], NOMINAL["gamma"]

    def augmented(t, y):
        s, i, s_b, i_b = y
        return [-beta * s * i, beta * s * i - gamma * i, -beta * (s_b * i + s * i_b) - s * i,
                beta * (s_b * i + s * i_b) - gamma * i_b + s * i]

    solution = solve_ivp(augmented, (0.0, T_END), [S0, I0, 0.0, 0.0], t_eval=TIMES, method="DOP853",
                         rtol=rtol, atol=atol)
    return solution.y[3] * beta / solution.y[1], solution.nfev


def difference_counted(relative_step, rtol, atol):
    beta = NOMINAL["beta"]
    base, n0 = solve_counted(beta, NOMINAL["gamma"], rtol, atol)
    up, n1 = solve_counted(beta * (1 + relative_step), NOMINAL["gamma"], rtol, atol)
    down, n2 = solve_counted(beta * (1 - relative_step), NOMINAL["gamma"], rtol, atol)
    return (up - down) / (2 * relative_step * beta) * beta / base, n0 + n1 + n2


STEPS = np.logspace(-10, -1, 19)
SOLVER_TOLERANCES = (1e-6, 1e-10)  # rtol; atol is 100 times smaller


def derivative_errors():
    """Largest error over time of d log I / d log beta by central differences (for each step
    and solver tolerance) and by the sensitivity equations (for each tolerance), against the
    sensitivity equations solved at rtol = 1e-13."""
    reference, _ = forward_counted(1e-13, 1e-15)
    differences, forward = {}, {}
    for rtol in SOLVER_TOLERANCES:
        errors, counts = [], []
        for step in STEPS:
            found, nfev = difference_counted(step, rtol, rtol / 100)
            errors.append(np.abs(found - reference).max())
            counts.append(nfev)
        differences[rtol] = (np.array(errors), np.array(counts))
        found, nfev = forward_counted(rtol, rtol / 100)
        forward[rtol] = (float(np.abs(found - reference).max()), nfev)
    return differences, forward


def cpu_seconds(function, repeats: int = 3) -> float:
    """Least CPU time of the process over ``repeats`` calls (CPU rather than wall-clock time,
    since the machine may be shared with other jobs)."""
    best = np.inf
    for _ in range(repeats):
        started = time.process_time()
        function()
        best = min(best, time.process_time() - started)
    return best


def machine() -> str:
    name = platform.processor() or platform.machine()
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                name = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    safe = "".join(c for c in name if c.isalnum() or c in " .-()@")
    return f"{safe}, {os.cpu_count()} logical cores, Python {platform.python_version()}, NumPy {np.__version__}"


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


def draw_morris(path: Path, height, day) -> None:
    fig, axes = plt.subplots(1, 2, figsize=(7.2, 3.0), layout="constrained")
    for ax, effects, label in ((axes[0], height, "peak height"), (axes[1], day, "day of the peak (days)")):
        for name, (_, mu_star, sigma) in effects.items():
            ax.plot(mu_star, sigma, "o")
            ax.annotate(name, (mu_star, sigma), textcoords="offset points", xytext=(5, 3))
        top = max(max(v[1], v[2]) for v in effects.values()) * 1.15
        ax.plot([0, top], [0, top], ":", color="0.6", linewidth=0.8)
        ax.set_xlim(0, top)
        ax.set_ylim(0, top)
        ax.set_xlabel(f"mu*, {label}")
        ax.set_ylabel("sigma")
    fig.savefig(path, dpi=150)
    plt.close(fig)


def draw_identifiability(path: Path, counts, fitted, profiles, found) -> None:
    fig, (left, right) = plt.subplots(1, 2, figsize=(7.2, 3.1), layout="constrained")
    days = np.arange(1, counts.size + 1)
    left.plot(days, counts, ".", color="0.3", markersize=4, label="simulated counts")
    left.plot(days, fitted, "-", label="fit to all 60 days")
    for window in WINDOWS[:-1]:
        left.axvline(window + 0.5, color="0.6", linestyle=":", linewidth=0.8)
    left.set_xlabel("day")
    left.set_ylabel("new infections per day")
    left.legend(frameon=False, fontsize="small")
    for window, (betas, statistic) in profiles.items():
        line, = right.semilogx(betas, statistic, label=f"first {window} days")
        estimate, error = found[window]["best"][0], found[window]["errors"][0]
        right.semilogx(betas, (np.log(betas / estimate) / error) ** 2, "--", color=line.get_color(), linewidth=0.8)
    right.axhline(CHI2_95, color="0.6", linestyle="--", linewidth=0.8)
    right.set_ylim(0, 3 * CHI2_95)
    right.set_xticks([0.2, 0.3, 0.5, 0.7, 1.0], labels=["0.2", "0.3", "0.5", "0.7", "1.0"])
    right.minorticks_off()
    right.set_xlabel("beta (1/day)")
    right.set_ylabel("profile likelihood ratio")
    right.legend(frameon=False, fontsize="small")
    fig.savefig(path, dpi=150)
    plt.close(fig)


def draw_costs(path: Path, differences, forward, sizes, sobol_errors) -> None:
    fig, (left, right) = plt.subplots(1, 2, figsize=(7.2, 3.1), layout="constrained")
    for rtol in SOLVER_TOLERANCES:
        line, = left.loglog(STEPS, differences[rtol][0], "o-", markersize=3, label=f"differences, rtol {rtol:g}")
        left.axhline(forward[rtol][0], color=line.get_color(), linestyle="--", linewidth=0.9,
                     label=f"sensitivity eq., rtol {rtol:g}")
    left.set_xlabel("relative step h")
    left.set_ylabel("max error of d log I / d log beta")
    left.legend(frameon=False, fontsize="x-small")
    right.loglog(sizes, sobol_errors["first"], "o-", markersize=3, label="S_beta")
    right.loglog(sizes, sobol_errors["total"], "s-", markersize=3, label="T_beta")
    guide = sobol_errors["first"][0] * np.sqrt(sizes[0] / sizes)
    right.loglog(sizes, guide, ":", color="0.5", label="N^(-1/2)")
    right.set_xlabel("base sample size N")
    right.set_ylabel("RMS error, peak height")
    right.legend(frameon=False, fontsize="small")
    fig.savefig(path, dpi=150)
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


def tex_number(value: float, digits: int = 2) -> str:
    """A number for LaTeX, in text or in maths: powers of ten as a\\times10^{b}."""
    mantissa, exponent = f"{value:.{digits - 1}e}".split("e")
    return f"\\ensuremath{{{mantissa}\\times10^{{{int(exponent)}}}}}"


def main() -> None:
    FIGURES.mkdir(exist_ok=True)
    clock = {}
    differences, forward = finite_difference_sensitivities(), forward_sensitivities()
    grid = peak_over_grid()
    betas, gammas, peaks = grid
    formula_error = np.abs(peaks - peak_formula(betas[None, :], gammas[:, None])).max()
    gap = max(np.abs(differences[name] - forward[name]).max() for name in NOMINAL)
    nominal = infected(**NOMINAL)
    peak_index = int(nominal.argmax())
    sobol_peak = sobol_indices(peak_formula)
    started = time.process_time()
    day_design = sobol_evaluations(peak_day, samples=256)
    clock["SobolDay"] = time.process_time() - started
    sobol_day = jansen(*day_design)
    day_intervals = bootstrap_intervals(*day_design)
    exact = exact_peak_indices()
    sizes = 2 ** np.arange(6, 17)
    sobol_errors = sobol_error_against_samples(exact, sizes)
    estimate_error = max(abs(sobol_peak[name][k] - exact[name][k]) for name in NOMINAL for k in (0, 1))

    design = morris_design()
    started = time.process_time()
    morris_height = morris_effects(peak_height_with, design)
    morris_day = morris_effects(peak_day_with, design)
    clock["Morris"] = time.process_time() - started
    morris_runs = design[0].shape[0] * design[0].shape[1]

    truth = np.log([NOMINAL["beta"], NOMINAL["gamma"], I0])
    counts = np.random.default_rng(SEED + 3).poisson(incidence(truth, WINDOWS[-1])[0]).astype(float)
    guess = np.log([0.4, 0.25, 0.005])
    identifiability, profiles = {}, {}
    for window in WINDOWS:
        data = counts[:window]
        started = time.process_time()
        best, best_value = fit(data, guess)
        clock[f"Fit{WORDS[window]}"] = time.process_time() - started
        covariance = np.linalg.inv(fisher_information(best, window))
        errors = np.sqrt(np.diag(covariance))
        profile_betas = profile_grid(best, errors[0])
        started = time.process_time()
        profiles[window] = (profile_betas, profile_of_beta(data, best, best_value, profile_betas))
        clock[f"Profile{WORDS[window]}"] = time.process_time() - started
        identifiability[window] = {
            "best": np.exp(best), "errors": errors,
            "correlation": covariance[0, 1] / (errors[0] * errors[1]),
            "wald": np.exp(best[0] + np.array([-1.0, 1.0]) * np.sqrt(CHI2_95) * errors[0]),
            "profile": profile_interval(*profiles[window]),
            "range": (profile_betas[0], profile_betas[-1]),
            "condition": np.linalg.cond(fisher_information(truth, window)),
        }
    fitted = incidence(np.log(identifiability[WINDOWS[-1]]["best"]), WINDOWS[-1])[0]

    step_errors, forward_errors = derivative_errors()
    tight, loose = SOLVER_TOLERANCES[1], SOLVER_TOLERANCES[0]
    best_step = int(np.argmin(step_errors[tight][0]))
    best_step_loose = int(np.argmin(step_errors[loose][0]))

    clock["Solve"] = cpu_seconds(lambda: infected(**NOMINAL), repeats=5)
    clock["Forward"] = cpu_seconds(forward_sensitivities)
    clock["Differences"] = cpu_seconds(finite_difference_sensitivities)
    clock["SobolPeak"] = cpu_seconds(lambda: sobol_indices(peak_formula))
    clock["Fisher"] = cpu_seconds(lambda: fisher_information(truth, WINDOWS[-1]))

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
        "Bootstrap": f"{BOOTSTRAP}",
        "ExactPeakBetaFirst": f"{exact['beta'][0]:.4f}",
        "ExactPeakGammaFirst": f"{exact['gamma'][0]:.4f}",
        "ExactPeakBetaTotal": f"{exact['beta'][1]:.4f}",
        "ExactPeakGammaTotal": f"{exact['gamma'][1]:.4f}",
        "SobolEstimateError": tex_number(estimate_error),
        "SobolErrorSmallN": f"{sizes[0]}",
        "SobolErrorLargeN": f"{sizes[-1]}",
        "SobolErrorSmall": tex_number(sobol_errors["first"][0]),
        "SobolErrorLarge": tex_number(sobol_errors["first"][-1]),
        "SobolErrorRatio": f"{sobol_errors['first'][0] / sobol_errors['first'][-1]:.1f}",
        "MorrisLevels": f"{MORRIS_LEVELS}",
        "MorrisTrajectories": f"{MORRIS_TRAJECTORIES}",
        "MorrisRuns": f"{morris_runs}",
        "SobolDayRuns": f"{256 * 4}",
        "Population": f"{POPULATION:,}".replace(",", "\\,"),
        "FirstDayCount": f"{counts[0]:.0f}",
        "LargestCount": f"{counts.max():.0f}",
        "ProfilePoints": f"{PROFILE_POINTS}",
        "GammaLowerBound": f"{np.exp(FIT_BOUNDS[1][0]):.2f}",
        "StepBest": tex_number(STEPS[best_step], 1),
        "StepBestError": tex_number(step_errors[tight][0][best_step]),
        "StepBestLoose": tex_number(STEPS[best_step_loose], 1),
        "StepBestLooseError": tex_number(step_errors[loose][0][best_step_loose]),
        "StepSmallError": tex_number(step_errors[tight][0][0]),
        "StepSmall": tex_number(STEPS[0], 1),
        "ForwardTightError": tex_number(forward_errors[tight][0]),
        "ForwardLooseError": tex_number(forward_errors[loose][0]),
        "ForwardTightEvaluations": f"{forward_errors[tight][1]}",
        "AccuracyRatio": f"{step_errors[tight][0][best_step] / forward_errors[tight][0]:.0f}",
        "DifferenceTightEvaluations": f"{step_errors[tight][1][best_step]}",
        "ForwardLooseEvaluations": f"{forward_errors[loose][1]}",
        "DifferenceLooseEvaluations": f"{step_errors[loose][1][best_step_loose]}",
    }
    for (name, index) in (("Height", morris_height), ("Day", morris_day)):
        for factor, (mu, mu_star, sigma) in index.items():
            tag = {"beta": "Beta", "gamma": "Gamma", "I0": "Start"}[factor]
            digits = 3 if name == "Height" else 1
            values[f"Morris{name}{tag}Mu"] = f"{mu:.{digits}f}"
            values[f"Morris{name}{tag}MuStar"] = f"{mu_star:.{digits}f}"
            values[f"Morris{name}{tag}Sigma"] = f"{sigma:.{digits}f}"
    for name in NOMINAL:
        tag = name.capitalize()
        for row, kind in enumerate(("First", "Total")):
            low, high = day_intervals[name][row]
            values[f"SobolDay{tag}{kind}Low"] = f"{low:.2f}"
            values[f"SobolDay{tag}{kind}High"] = f"{high:.2f}"
    for window, found in identifiability.items():
        tag = WORDS[window]
        values[f"Fit{tag}Beta"] = f"{found['best'][0]:.3f}"
        values[f"Fit{tag}Gamma"] = f"{found['best'][1]:.3f}"
        values[f"Fit{tag}Start"] = f"{found['best'][2]:.4f}"
        for k, parameter in enumerate(("Beta", "Gamma", "Start")):
            values[f"Se{tag}{parameter}"] = f"{found['errors'][k]:.3f}"
        values[f"Corr{tag}"] = f"{found['correlation']:.3f}"
        values[f"Cond{tag}"] = tex_number(found["condition"])
        values[f"Wald{tag}Low"] = f"{found['wald'][0]:.3f}"
        values[f"Wald{tag}High"] = f"{found['wald'][1]:.3f}"
        low, high = found["profile"]
        values[f"Profile{tag}Low"] = f"{low:.3f}" if np.isfinite(low) else f"\\ensuremath{{<{found['range'][0]:.2f}}}"
        values[f"Profile{tag}High"] = f"{high:.3f}" if np.isfinite(high) else f"\\ensuremath{{>{found['range'][1]:.2f}}}"
    lines = ["% Written by code/sensitivity.py: the numbers report.tex prints."]
    lines += [f"\\newcommand{{\\SIR{name}}}{{{value}}}" for name, value in values.items()]
    (FIGURES / "results.tex").write_text("\n".join(lines) + "\n", encoding="utf-8")

    timing_lines = [
        "% Written by code/sensitivity.py: CPU milliseconds measured by the run that made the figures.",
        "% They vary from run to run, so they live outside figures/, which reproduce compares.",
        f"\\newcommand{{\\SIRTimingMachine}}{{{machine()}}}",
    ]
    for name, seconds in clock.items():
        timing_lines.append(f"\\newcommand{{\\SIRTime{name}}}{{{seconds * 1000:.0f}}}")
    (HERE.parent / "timings.tex").write_text("\n".join(timing_lines) + "\n", encoding="utf-8")

    draw_trajectories(FIGURES / "trajectories.png")
    draw_sensitivities(FIGURES / "sensitivities.png", differences, forward)
    draw_peaks(FIGURES / "peaks.png", grid)
    draw_peak_against_r0(FIGURES / "peak-against-r0.png", grid)
    draw_thumbnail(FIGURES / "thumbnail.png", grid)
    draw_morris(FIGURES / "morris.png", morris_height, morris_day)
    draw_identifiability(FIGURES / "identifiability.png", counts, fitted, profiles, identifiability)
    draw_costs(FIGURES / "costs.png", step_errors, forward_errors, sizes, sobol_errors)


if __name__ == "__main__":
    main()
