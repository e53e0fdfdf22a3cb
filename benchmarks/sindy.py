"""SINDy on the Lorenz system: scimlkit against PySINDy, on the SINDy lecture's data.

The data of the SINDy lecture (and of PySINDy's own Lorenz example, after Brunton, Proctor and
Kutz 2016): sigma = 10, rho = 28, beta = 8/3, x0 = (-8, 8, 27), 5000 samples every 0.002
on t in [0, 10) from one solve at rtol = atol = 1e-10, derivatives by second-order finite
differences (``sk.finite_difference_derivative``, as the lecture's ``sk.fit_sindy`` call);
polynomial library of degree 2 with a constant (the lecture's), and the paper's degree 5
(56 terms); STLSQ with threshold 0.1, no ridge term. Both libraries receive exactly the
same state and derivative arrays (saved once, loaded by each).

Each library runs in a process of its own (PySINDy's never imports JAX), at one and at
two threads (the faster is kept, both are reported). Measured per library and degree:
the first fit in the process (cold: imports done, JAX's first evaluation of the library
included) and REPEATS fits after it (warm; median, minimum and maximum); the whole
coefficient matrix, compared entry by entry with the other library's (largest absolute
difference), the largest relative error of the seven true coefficients, and whether
exactly those seven terms were found. Speed goal: scimlkit at least as fast as PySINDy
(ratio >= 1) at both degrees, over the whole spread of the warm fits. Run from the
repository root after ``pip install -r benchmarks/requirements-peers.txt``:
``python benchmarks/sindy.py``.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
sys.path.insert(0, str(Path(__file__).resolve().parent))
from peer_process import (  # noqa: E402
    fastest_threads,
    format_spread,
    goal_verdict,
    load_average,
    paired_ratio,
    report_result,
)

SCRIPT = Path(__file__).resolve()
THRESHOLD = 0.1
DEGREES = (2, 5)
REPEATS = 7
DT = 0.002
TRUE_TERMS = {(0, "x"): -10.0, (0, "y"): 10.0, (1, "x"): 28.0, (1, "y"): -1.0, (1, "x z"): -1.0,
              (2, "z"): -8.0 / 3.0, (2, "x y"): 1.0}


def monomial_names(degree: int) -> list[str]:
    """scimlkit's term order, by name ("1", "x", ..., "x^2", "x y", ...)."""
    import itertools

    names = []
    for total in range(degree + 1):
        for combination in itertools.combinations_with_replacement(range(3), total):
            powers = [combination.count(v) for v in range(3)]
            factors = [v if p == 1 else f"{v}^{p}" for v, p in zip("xyz", powers) if p > 0]
            names.append(" ".join(factors) if factors else "1")
    return names


def timed(fit) -> dict:
    started = time.perf_counter()
    fit()
    cold = time.perf_counter() - started
    warm = []
    for _ in range(REPEATS):
        started = time.perf_counter()
        xi = fit()
        warm.append(time.perf_counter() - started)
    return {"cold": cold, "warm": warm, "coefficients": np.asarray(xi).tolist()}


def scimlkit_worker(xs: np.ndarray, derivatives: np.ndarray) -> dict:
    import jax

    jax.config.update("jax_enable_x64", True)
    import scimlkit as sk

    results = {}
    for degree in DEGREES:
        library = sk.FeatureLibrary(3, degree=degree)
        assert library.names(("x", "y", "z")) == monomial_names(degree)

        def fit(library=library):
            return np.asarray(sk.fit_sindy(xs, derivatives, library, threshold=THRESHOLD).coefficients)

        results[degree] = timed(fit)
    return {"degrees": results, "version": "scimlkit"}


def pysindy_worker(xs: np.ndarray, derivatives: np.ndarray) -> dict:
    import pysindy as ps

    results = {}
    for degree in DEGREES:
        names = monomial_names(degree)

        def fit(degree=degree, names=names):
            model = ps.SINDy(feature_library=ps.PolynomialLibrary(degree=degree),
                             optimizer=ps.STLSQ(threshold=THRESHOLD, alpha=0.0))
            model.fit(xs, t=DT, x_dot=derivatives, feature_names=["x", "y", "z"])
            # Map PySINDy's terms onto scimlkit's order by name ("x y", "x^2"): the orders differ.
            mapped = np.zeros((len(names), 3))
            for i, name in enumerate(model.get_feature_names()):
                mapped[names.index(" ".join(sorted(name.split(" "), key=lambda f: f[0])))] = model.coefficients()[:, i]
            return mapped

        results[degree] = timed(fit)
    return {"degrees": results, "version": f"PySINDy {ps.__version__}"}


def worker(arguments) -> None:
    data = np.load(arguments.data)
    xs, derivatives = data["xs"], data["derivatives"]
    result = (scimlkit_worker if arguments.worker == "scimlkit" else pysindy_worker)(xs, derivatives)
    result["warm_total"] = sum(float(np.median(r["warm"])) for r in result["degrees"].values())
    report_result(result)


def lecture_data(path: Path) -> None:
    import jax

    jax.config.update("jax_enable_x64", True)
    import jax.numpy as jnp

    import scimlkit as sk

    xs = np.asarray(sk.solve(sk.lorenz(), jnp.arange(0.0, 10.0, DT), rtol=1e-10, atol=1e-10))
    np.savez(path, xs=xs, derivatives=sk.finite_difference_derivative(xs, DT))


def true_matrix(names: list[str]) -> np.ndarray:
    xi = np.zeros((len(names), 3))
    for (equation, term), value in TRUE_TERMS.items():
        xi[names.index(term), equation] = value
    return xi


def main() -> int:
    from scimlkit.site.appendix.benchmark_report import Goal, Report, Table, write_report

    load_before = load_average()
    with tempfile.TemporaryDirectory(prefix="sindy-") as folder:
        data = Path(folder) / "lorenz.npz"
        lecture_data(data)
        threads, trials = {}, {}
        for side in ("scimlkit", "pysindy"):
            threads[side], trials[side] = fastest_threads(SCRIPT, side, "warm_total", "--data", str(data))
    load_after = load_average()
    best = {side: trials[side][threads[side]] for side in trials}
    names_of = {side: best[side]["version"] for side in best}
    rows, goals, comparison_rows = [], [], []
    for degree in DEGREES:
        names = monomial_names(degree)
        truth = true_matrix(names)
        mask = truth != 0
        per_side = {}
        for side in ("scimlkit", "pysindy"):
            result = best[side]["degrees"][str(degree)]
            xi = np.asarray(result["coefficients"])
            per_side[side] = {"xi": xi, "warm": result["warm"], "cold": result["cold"],
                              "error": float(np.max(np.abs(xi[mask] - truth[mask]) / np.abs(truth[mask]))),
                              "exact": bool(np.array_equal(xi != 0, mask))}
            other_threads = 3 - threads[side]
            rows.append([f"degree {degree} ({len(names)} terms)", names_of[side], threads[side],
                         f"{1e3 * result['cold']:.1f}", format_spread([1e3 * s for s in result["warm"]], ".1f"),
                         f"{1e3 * np.median(trials[side][other_threads]['degrees'][str(degree)]['warm']):.1f}",
                         f"{per_side[side]['error']:.2e}", "yes" if per_side[side]["exact"] else "no"])
        ours, theirs = per_side["scimlkit"], per_side["pysindy"]
        difference = float(np.abs(ours["xi"] - theirs["xi"]).max())
        same_support = bool(np.array_equal(ours["xi"] != 0, theirs["xi"] != 0))
        ratio, worst, best_ratio = paired_ratio(theirs["warm"], ours["warm"])
        comparison_rows.append([f"degree {degree}", f"{difference:.1e}", "yes" if same_support else "no",
                                f"{ratio:.2f}x ({worst:.2f}x to {best_ratio:.2f}x)"])
        goals.append(Goal(f"degree {degree}: scimlkit finds exactly the 7 true terms within 1%",
                          f"{ours['error']:.2%}", ours["exact"] and ours["error"] < 0.01))
        goals.append(Goal(f"degree {degree}: the whole coefficient matrix equals PySINDy's (same terms, "
                          "largest difference below 1e-6)", f"{difference:.1e}", same_support and difference < 1e-6))
        goals.append(Goal(f"degree {degree}: scimlkit at least as fast as PySINDy (warm fits, ratio >= 1)",
                          f"{ratio:.2f}x (worst {worst:.2f}x): {goal_verdict(ratio, worst, 1.0)}", worst >= 1.0))
    # PySINDy's whole matrix at the lecture's degree, at full precision: the SINDy lecture compares
    # its own coefficients with it.
    pysindy_xi = np.asarray(best["pysindy"]["degrees"]["2"]["coefficients"])
    matrix_rows = [[name, *(repr(float(c)) for c in pysindy_xi[i])] for i, name in enumerate(monomial_names(2))]
    report = Report(
        name="sindy",
        title="SINDy on the Lorenz system",
        summary=(
            "Identifying the Lorenz system from the SINDy lecture's data (5000 noise-free samples, dt = 0.002, t in "
            "[0, 10), finite-difference derivatives) with scimlkit's STLSQ and PySINDy's, on identical arrays, "
            f"threshold {THRESHOLD}, no ridge term. Each library in a process of its own at its faster thread "
            f"count of 1 and 2 (scimlkit {threads['scimlkit']}, PySINDy {threads['pysindy']}). Time: the first fit "
            f"in the process (cold), then {REPEATS} fits (warm: median, min to max). Coefficients: the whole "
            "matrix, term by term, and the largest relative error of the seven true ones. Speed ratio: PySINDy's "
            "warm time over scimlkit's, at the medians, with the worst and best pairings of the spread. Load "
            f"average (1 min) {load_before:.1f} before and {load_after:.1f} after the run, on a machine shared "
            "with other jobs."
        ),
        goals=goals,
        tables=[
            Table(caption="Lorenz identification: fit time and coefficient error",
                  columns=["library", "implementation", "threads", "cold fit (ms)", "warm fit (ms), median (range)",
                           "warm fit at the other thread count (ms, median)", "largest error of the 7 true terms",
                           "exactly the 7 terms"],
                  rows=rows),
            Table(caption="scimlkit against PySINDy: whole coefficient matrix and speed",
                  columns=["library", "largest |difference| of all coefficients", "same terms",
                           "speed ratio PySINDy / scimlkit, median (worst to best)"],
                  rows=comparison_rows),
            Table(caption=f"{names_of['pysindy']}'s coefficients at degree 2 (the SINDy lecture's library), full precision",
                  columns=["term", "x'", "y'", "z'"], rows=matrix_rows),
        ],
    )
    path = write_report(report, SCRIPT.parents[1])
    print(report.summary)
    for goal in report.goals:
        print(f"{'met ' if goal.met else 'NOT '} {goal.description}: {goal.measured}")
    print(f"wrote {path}")
    return 0


if __name__ == "__main__":
    parser = argparse.ArgumentParser()
    parser.add_argument("--worker", choices=("scimlkit", "pysindy"))
    parser.add_argument("--threads", type=int, default=1)
    parser.add_argument("--data", default="")
    arguments = parser.parse_args()
    if arguments.worker:
        worker(arguments)
        sys.exit(0)
    sys.exit(main())
