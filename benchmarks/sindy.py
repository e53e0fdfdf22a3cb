"""SINDy on the Lorenz system: scimlkit against PySINDy, same data, library and threshold.

The set-up of PySINDy's own Lorenz example (Brunton, Proctor and Kutz 2016): sigma = 10,
rho = 28, beta = 8/3, x0 = (-8, 8, 27), samples every 0.002 on t in [0, 10), polynomial
library of degree 2 with a constant, STLSQ with threshold 0.1 and no ridge term, and
second-order finite-difference derivatives. A second case uses the paper's degree-5
library (56 terms). Both libraries receive exactly the same data and derivative array.

Measured per library: the best of five wall times of the fit (library evaluation,
regression) after one warm-up, and the largest relative error of the seven true
coefficients, plus whether exactly those seven terms were found. Run from the
repository root after ``pip install -r benchmarks/requirements-peers.txt``:
``python benchmarks/sindy.py``.
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

import jax

jax.config.update("jax_enable_x64", True)

import jax.numpy as jnp  # noqa: E402
import numpy as np  # noqa: E402

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
import scimlkit as sk  # noqa: E402
from scimlkit.site.benchmark_report import Goal, Report, Table, write_report  # noqa: E402

THRESHOLD = 0.1
ROUNDS = 5
TRUE_TERMS = {(0, "x"): -10.0, (0, "y"): 10.0, (1, "x"): 28.0, (1, "y"): -1.0, (1, "x z"): -1.0,
              (2, "z"): -8.0 / 3.0, (2, "x y"): 1.0}


def lorenz_data():
    dt = 0.002
    xs = np.asarray(sk.solve(sk.lorenz(), jnp.arange(0.0, 10.0, dt), rtol=1e-10, atol=1e-10))
    return xs, sk.finite_difference_derivative(xs, dt), dt


def true_matrix(names: list[str]) -> np.ndarray:
    xi = np.zeros((len(names), 3))
    for (equation, term), value in TRUE_TERMS.items():
        xi[names.index(term), equation] = value
    return xi


def score(xi: np.ndarray, truth: np.ndarray) -> tuple[float, bool]:
    mask = truth != 0
    return float(np.max(np.abs(xi[mask] - truth[mask]) / np.abs(truth[mask]))), bool(np.array_equal(xi != 0, mask))


def best_time(fit) -> tuple[float, np.ndarray]:
    fit()  # warm-up: imports, JAX's first evaluation of the library
    times, result = [], None
    for _ in range(ROUNDS):
        started = time.perf_counter()
        result = fit()
        times.append(time.perf_counter() - started)
    return min(times), result


def main() -> int:
    import pysindy as ps

    xs, derivatives, dt = lorenz_data()
    results, goals = [], []
    for degree in (2, 5):
        library = sk.FeatureLibrary(3, degree=degree)
        names = library.names(("x", "y", "z"))
        truth = true_matrix(names)

        def ours(library=library):
            return np.asarray(sk.fit_sindy(xs, derivatives, library, threshold=THRESHOLD).coefficients)

        def theirs(degree=degree, truth=truth, names=names):
            model = ps.SINDy(
                feature_library=ps.PolynomialLibrary(degree=degree),
                optimizer=ps.STLSQ(threshold=THRESHOLD, alpha=0.0),
            )
            model.fit(xs, t=dt, x_dot=derivatives, feature_names=["x", "y", "z"])
            # Map PySINDy's terms onto ours by name ("x y", "x^2"): the orders may differ.
            mapped = np.zeros_like(truth)
            for i, name in enumerate(model.get_feature_names()):
                mapped[names.index(" ".join(sorted(name.split(" "), key=lambda f: f[0])))] = model.coefficients()[:, i]
            return mapped

        for label, fit in (("scimlkit", ours), (f"PySINDy {ps.__version__}", theirs)):
            seconds, xi = best_time(fit)
            error, exact_terms = score(xi, truth)
            results.append({"library": f"degree {degree} ({len(names)} terms)", "implementation": label,
                            "seconds": seconds, "error": error, "exact": exact_terms})
        ours_row, theirs_row = results[-2], results[-1]
        goals.append(Goal(f"degree {degree}: scimlkit finds exactly the 7 true terms within 1%",
                          f"{ours_row['error']:.2%}", ours_row["exact"] and ours_row["error"] < 0.01))
        goals.append(Goal(f"degree {degree}: scimlkit's coefficients as accurate as PySINDy's (within 1e-6)",
                          f"{abs(ours_row['error'] - theirs_row['error']):.1e}",
                          abs(ours_row["error"] - theirs_row["error"]) < 1e-6))
        ratio = theirs_row["seconds"] / ours_row["seconds"]
        goals.append(Goal(f"degree {degree}: scimlkit no slower than 2x PySINDy", f"{ratio:.2f}x PySINDy's speed",
                          ratio >= 0.5))

    report = Report(
        name="sindy",
        title="SINDy on the Lorenz system",
        summary=(
            "Identifying the Lorenz system from 5000 noise-free samples (dt = 0.002, t in [0, 10)) with "
            "scimlkit's STLSQ and PySINDy's, on identical data and finite-difference derivatives, threshold "
            f"{THRESHOLD}, no ridge term. Time: best of {ROUNDS} fits after a warm-up. Error: the largest "
            "relative error of the seven true coefficients."
        ),
        goals=goals,
        tables=[Table(
            caption="Lorenz identification: fit time and coefficient error",
            columns=["library", "implementation", "fit time (ms)", "largest coefficient error", "exactly the 7 terms"],
            rows=[[r["library"], r["implementation"], f"{1e3 * r['seconds']:.1f}", f"{r['error']:.2e}",
                   "yes" if r["exact"] else "no"] for r in results],
        )],
    )
    path = write_report(report, Path(__file__).resolve().parents[1])
    print(f"wrote {path}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
