"""Sobol indices of the Ishigami function: ``sk.sobol_indices`` beside SALib, with timing.

The parameter-estimation lecture's case: f = sin x1 + 7 sin^2 x2 + 0.1 x3^4 sin x1 on [-pi, pi]^3, whose
first-order and total indices are known in closed form (``sk.ishigami_indices``);
Saltelli's design with N = 2^14 base points (N (d + 2) = 81,920 model runs), first-order
and total indices only. scimlkit: ``sk.sobol_indices`` (scrambled Sobol' design, Saltelli
2010 and Jansen estimators). SALib: ``SALib.sample.sobol.sample`` and
``SALib.analyze.sobol.analyze`` (the same design and estimators), once with its default
100 bootstrap resamples for confidence intervals and once with ``num_resamples=1``, so
that the estimators alone are timed. Each library runs in a process of its own, at one
and at two threads (the faster kept, both reported), over seeds SEEDS: the whole
computation (design, model runs, indices) is timed REPEATS times per seed after a
warm-up. Reported: time (median, min to max over seeds and repeats), the largest error
of the six indices against the closed form (median, min to max over the seeds). Run
from the repository root: ``python benchmarks/sobol_salib.py``.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
sys.path.insert(0, str(Path(__file__).resolve().parent))
from peer_process import fastest_threads, format_spread, load_average, report_result, spread  # noqa: E402

SCRIPT = Path(__file__).resolve()
N_BASE = 2**14
SEEDS = (0, 1, 2)
REPEATS = 5
BOUNDS = [[-np.pi, np.pi]] * 3


def ishigami(x: np.ndarray) -> np.ndarray:
    return np.sin(x[:, 0]) + 7.0 * np.sin(x[:, 1]) ** 2 + 0.1 * x[:, 2] ** 4 * np.sin(x[:, 0])


def exact_indices() -> tuple[np.ndarray, np.ndarray]:
    """Closed form for a = 7, b = 0.1 (Ishigami and Homma 1990)."""
    a, b = 7.0, 0.1
    v1 = 0.5 * (1 + b * np.pi**4 / 5) ** 2
    v2 = a**2 / 8
    v13 = b**2 * np.pi**8 * (1 / 18 - 1 / 50)
    variance = v1 + v2 + v13
    return np.array([v1, v2, 0.0]) / variance, np.array([v1 + v13, v2, v13]) / variance


def timed(compute) -> dict:
    compute(SEEDS[0])  # warm-up: imports, first calls
    seconds, errors = [], []
    first_exact, total_exact = exact_indices()
    for seed in SEEDS:
        for _ in range(REPEATS):
            started = time.perf_counter()
            first, total = compute(seed)
            seconds.append(time.perf_counter() - started)
        errors.append(float(max(np.abs(first - first_exact).max(), np.abs(total - total_exact).max())))
    return {"seconds": seconds, "errors": errors, "median": float(np.median(seconds))}


def worker(arguments) -> None:
    if arguments.worker == "scimlkit":
        import scimlkit as sk

        def compute(seed):
            indices = sk.sobol_indices(ishigami, BOUNDS, n=N_BASE, seed=seed)
            return np.asarray(indices.first), np.asarray(indices.total)

        variants = {"scimlkit (sk.sobol_indices)": timed(compute)}
        report_result({"variants": variants, "median": variants[arguments.key]["median"]})
        return
    from SALib.analyze import sobol as analyze
    from SALib.sample import sobol as sample

    problem = {"num_vars": 3, "names": ["x1", "x2", "x3"], "bounds": BOUNDS}

    def salib(resamples):
        def compute(seed):
            x = sample.sample(problem, N_BASE, calc_second_order=False, seed=seed)
            result = analyze.analyze(problem, ishigami(x), calc_second_order=False, num_resamples=resamples, seed=seed)
            return result["S1"], result["ST"]
        return compute

    variants = {"SALib, 100 bootstrap resamples (default)": timed(salib(100)),
                "SALib, 1 resample": timed(salib(1))}
    report_result({"variants": variants, "median": variants[arguments.key]["median"]})


def main() -> int:
    from scimlkit.site.appendix.benchmark_report import Report, Table, write_report

    load_before = load_average()
    results = {}
    for side, key in (("scimlkit", "scimlkit (sk.sobol_indices)"), ("salib", "SALib, 1 resample")):
        threads, trials = fastest_threads(SCRIPT, side, "median", "--key", key)
        results[side] = (threads, trials)
    load_after = load_average()
    rows = []
    medians = {}
    for threads, trials in results.values():
        for name, variant in trials[threads]["variants"].items():
            other = trials[3 - threads]["variants"][name]
            medians[name] = spread(variant["seconds"])[0]
            rows.append([name, threads, format_spread([1e3 * s for s in variant["seconds"]], ".1f"),
                         f"{1e3 * spread(other['seconds'])[0]:.1f}", format_spread(variant["errors"], ".1e")])
    ours = medians["scimlkit (sk.sobol_indices)"]
    report = Report(
        name="sobol_salib",
        title="Sobol indices of the Ishigami function: scimlkit and SALib",
        summary=(
            f"The parameter-estimation lecture's Ishigami case, N = {N_BASE} base points ({N_BASE * 5:,} model runs), first-order and total "
            "indices, with sk.sobol_indices and with SALib's sampler and analyser, each in a process of its own at its "
            f"faster thread count of 1 and 2; seeds {', '.join(map(str, SEEDS))}, {REPEATS} timings each. At the "
            f"medians SALib took {medians['SALib, 1 resample'] / ours:.1f}x scimlkit's time with one bootstrap "
            f"resample and {medians['SALib, 100 bootstrap resamples (default)'] / ours:.1f}x with its default 100 "
            "(which buy confidence intervals scimlkit does not compute). Errors: the largest of the six indices "
            f"against the closed form. Load average (1 min) {load_before:.1f} before and {load_after:.1f} after."
        ),
        tables=[Table(caption="Time for design, model runs and indices; error against the closed form",
                      columns=["implementation", "threads", "time (ms), median (range)",
                               "time at the other thread count (ms, median)",
                               "largest index error, median (range) over seeds"],
                      rows=rows)],
    )
    path = write_report(report, SCRIPT.parents[1])
    print(report.summary)
    print(f"wrote {path}")
    return 0


if __name__ == "__main__":
    parser = argparse.ArgumentParser()
    parser.add_argument("--worker", choices=("scimlkit", "salib"))
    parser.add_argument("--threads", type=int, default=1)
    parser.add_argument("--key", default="")
    arguments = parser.parse_args()
    if arguments.worker:
        worker(arguments)
        sys.exit(0)
    sys.exit(main())
