"""The stiff test set: HIRES, VDPOL (eps = 1e-6), OREGO, ROBER, work against precision.

Four problems of Hairer and Wanner's stiff test set (Solving ODEs II, section IV.10; Mazzia,
Magherini and Iavernaro's IVP test set): HIRES on [0, 321.8122]; van der Pol in Hairer's
scaling, y1' = y2, y2' = ((1 - y1^2) y2 - y1) / eps with eps = 1e-6, y(0) = (2, 0), on
[0, 2]; OREGO (the Oregonator) on [0, 360]; ROBER (Robertson's kinetics) on [0, 1e11].
Tolerances rtol = 1e-4 .. 1e-8 with atol = rtol (ROBER: atol = 1e-6 rtol, its y2 is 1e-13
at the end).

Solvers: the toolkit's Rosenbrock methods with the dense AD Jacobian, each with its loop
compiled (``sk.solve_rosenbrock_compiled``: RODAS 4(3) and Shampine's 4(3), a new
Jacobian and LU every step; ``sk.solve_rosenbrock_w_compiled``: the W-method ROS34PW2,
which keeps one LU while the step size is kept), and RODAS in the Python step loop
(``sk.solve_rosenbrock(method="rodas4")``, same steps as the compiled one); against SciPy's
Radau and BDF (``solve_ivp`` with the vector field and its Jacobian in NumPy, the fastest
way to call SciPy on a handful of unknowns) and diffrax's Kvaerno5 (PID controller, its
default Newton solve, first step 1e-6: with its own first step it did not get past t = 0 on VDPOL).

Error: the largest over components of |y - ref| / (atol/rtol + |ref|) at the end (the
tolerance's own mixed measure), against SciPy's Radau at rtol = 1e-12 (whose distance to
the published reference values is reported). Steps: accepted (+ rejected where the solver
reports them). Time: each framework in a process of its own (toolkit, SciPy, diffrax), at 1
and 2 threads on a trial at rtol = 1e-6 (the faster count is kept, both reported); then the
first solve in the process (cold: compilation included) and REPEATS warm solves (median,
min, max). Goals (issue 23): RODAS's accepted steps within 2x of Radau's at every
tolerance of every problem; RODAS's time no worse than SciPy BDF's; the W-method's trade
(fewer factorizations, more steps than RODAS) stated with numbers.

    python benchmarks/stiff_test_set.py
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from functools import partial
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
    run_worker,
)

SCRIPT = Path(__file__).resolve()
TOLERANCES = (1e-4, 1e-5, 1e-6, 1e-7, 1e-8)
TRIAL_TOLERANCES = (1e-6,)
REPEATS = 3
EPS = 1e-6
TOOLKIT = ("RODAS (compiled)", "Shampine 4(3) (compiled)", "ROS34PW2 W-method (compiled)", "RODAS (Python loop)")
SCIPY = ("SciPy Radau", "SciPy BDF")
DIFFRAX = ("diffrax Kvaerno5",)
DIFFRAX_MAX_STEPS = 100_000  # a solve that needs more is reported as not finished
# With diffrax's own first step (dt0=None) Kvaerno5 rejected 100,000 steps in a row at t = 0 on VDPOL
# (measured at rtol = 1e-6 and 1e-8); a first step of 1e-6 lets it through, and changes little elsewhere.
DIFFRAX_FIRST_STEP = 1e-6


# --- the problems, in NumPy (for SciPy) and JAX (for the toolkit and diffrax) -------------------------------
def hires(y, xp=np):
    return xp.stack([
        -1.71 * y[0] + 0.43 * y[1] + 8.32 * y[2] + 0.0007,
        1.71 * y[0] - 8.75 * y[1],
        -10.03 * y[2] + 0.43 * y[3] + 0.035 * y[4],
        8.32 * y[1] + 1.71 * y[2] - 1.12 * y[3],
        -1.745 * y[4] + 0.43 * y[5] + 0.43 * y[6],
        -280.0 * y[5] * y[7] + 0.69 * y[3] + 1.71 * y[4] - 0.43 * y[5] + 0.69 * y[6],
        280.0 * y[5] * y[7] - 1.81 * y[6],
        -280.0 * y[5] * y[7] + 1.81 * y[6],
    ])


def hires_jacobian(y):
    jacobian = np.zeros((8, 8))
    jacobian[0, :3] = (-1.71, 0.43, 8.32)
    jacobian[1, :2] = (1.71, -8.75)
    jacobian[2, 2:5] = (-10.03, 0.43, 0.035)
    jacobian[3, 1:4] = (8.32, 1.71, -1.12)
    jacobian[4, 4:7] = (-1.745, 0.43, 0.43)
    jacobian[5, 3:8] = (0.69, 1.71, -280.0 * y[7] - 0.43, 0.69, -280.0 * y[5])
    jacobian[6, 5:8] = (280.0 * y[7], -1.81, 280.0 * y[5])
    jacobian[7, 5:8] = (-280.0 * y[7], 1.81, -280.0 * y[5])
    return jacobian


def van_der_pol(y, xp=np):
    return xp.stack([y[1], ((1 - y[0] ** 2) * y[1] - y[0]) / EPS])


def van_der_pol_jacobian(y):
    return np.array([[0.0, 1.0], [(-2 * y[0] * y[1] - 1) / EPS, (1 - y[0] ** 2) / EPS]])


def orego(y, xp=np):
    return xp.stack([
        77.27 * (y[1] + y[0] * (1 - 8.375e-6 * y[0] - y[1])),
        (y[2] - (1 + y[0]) * y[1]) / 77.27,
        0.161 * (y[0] - y[2]),
    ])


def orego_jacobian(y):
    return np.array([
        [77.27 * (1 - 2 * 8.375e-6 * y[0] - y[1]), 77.27 * (1 - y[0]), 0.0],
        [-y[1] / 77.27, -(1 + y[0]) / 77.27, 1 / 77.27],
        [0.161, 0.0, -0.161],
    ])


def robertson(y, xp=np):
    return xp.stack([
        -0.04 * y[0] + 1e4 * y[1] * y[2],
        0.04 * y[0] - 1e4 * y[1] * y[2] - 3e7 * y[1] ** 2,
        3e7 * y[1] ** 2,
    ])


def robertson_jacobian(y):
    return np.array([
        [-0.04, 1e4 * y[2], 1e4 * y[1]],
        [0.04, -1e4 * y[2] - 6e7 * y[1], -1e4 * y[1]],
        [0.0, 6e7 * y[1], 0.0],
    ])


# name: (field, Jacobian, y0, t_end, atol / rtol, published reference at t_end)
PROBLEMS = {
    "HIRES": (hires, hires_jacobian, [1.0, 0, 0, 0, 0, 0, 0, 0.0057], 321.8122, 1.0, [
        0.7371312573325668e-3, 0.1442485726316185e-3, 0.5888729740967575e-4, 0.1175651343283149e-2,
        0.2386356198831331e-2, 0.6238968252742796e-2, 0.2849998395185769e-2, 0.2850001604814231e-2]),
    "VDPOL": (van_der_pol, van_der_pol_jacobian, [2.0, 0.0], 2.0, 1.0, [0.1706167732170483e1, -0.8928097010247975e0]),
    "OREGO": (orego, orego_jacobian, [1.0, 2.0, 3.0], 360.0, 1.0,
              [0.1000814870318523e1, 0.1228178521549917e4, 0.1320554942846706e3]),
    "ROBER": (robertson, robertson_jacobian, [1.0, 0.0, 0.0], 1e11, 1e-6,
              [0.2083340149701255e-07, 0.8333360770334713e-13, 0.9999999791665050]),
}


def mixed_error(y, reference, atol_over_rtol):
    reference = np.asarray(reference)
    return float(np.max(np.abs(np.asarray(y) - reference) / (atol_over_rtol + np.abs(reference))))


def timed(run):
    started = time.perf_counter()
    result = run()
    return result, time.perf_counter() - started


def measure(run, repeats):
    """The first call (cold) and ``repeats`` more (warm); the last call's result."""
    result, cold = timed(run)
    warm = []
    for _ in range(repeats):
        result, seconds = timed(run)
        warm.append(seconds)
    return result, cold, warm


# --- workers, each in a process of its own --------------------------------------------------------------------
def scipy_solve(field, jacobian, y0, t_end, method, rtol, atol):
    from scipy.integrate import solve_ivp

    return solve_ivp(lambda t, y: field(y), (0.0, t_end), np.asarray(y0, dtype=float), method=method, rtol=rtol,
                     atol=atol, jac=lambda t, y: jacobian(y))


def reference_worker(arguments) -> dict:
    """SciPy's Radau at rtol = 1e-12, with a check of the NumPy Jacobians against finite differences."""
    results = {}
    for name, (field, jacobian, y0, t_end, ratio, _) in PROBLEMS.items():
        y = np.asarray(y0) + 0.1
        columns = [(field(y + 1e-7 * e) - field(y - 1e-7 * e)) / 2e-7 for e in np.eye(len(y0))]
        if not np.allclose(np.array(columns).T, jacobian(y), rtol=1e-5, atol=1e-5 * np.abs(jacobian(y)).max()):
            raise AssertionError(f"{name}: hand-written Jacobian differs from finite differences")
        solution, seconds = timed(partial(scipy_solve, field, jacobian, y0, t_end, "Radau", 1e-12, 1e-12 * ratio))
        results[name] = {"y": solution.y[:, -1].tolist(), "steps": int(solution.t.size - 1), "seconds": seconds}
    return results


def toolkit_worker(arguments) -> dict:
    import jax

    jax.config.update("jax_enable_x64", True)
    jax.config.update("jax_cpu_enable_async_dispatch", False)  # inline calls: the Python loop's per-call cost
    import jax.numpy as jnp

    import scimlkit as sk
    from scimlkit.compiled_rosenbrock import DenseW

    tolerances = TRIAL_TOLERANCES if arguments.trial else TOLERANCES
    results = {}
    for name, (field, _, y0, t_end, ratio, _) in PROBLEMS.items():
        def f(t, y, field=field):
            return field(y, xp=jnp)

        y0 = jnp.asarray(y0, dtype=float)
        span = (0.0, t_end)
        solvers = {
            "RODAS (compiled)": partial(sk.solve_rosenbrock_compiled, linear_solve=DenseW(), method="rodas4"),
            "Shampine 4(3) (compiled)": partial(sk.solve_rosenbrock_compiled, linear_solve=DenseW(), method="shampine"),
            "ROS34PW2 W-method (compiled)": partial(sk.solve_rosenbrock_w_compiled, linear_solve=DenseW()),
            "RODAS (Python loop)": partial(sk.solve_rosenbrock, linear_solve=sk.DenseLU(f), method="rodas4",
                                           save_at=[t_end]),
        }
        results[name] = {}
        for solver, solve in solvers.items():
            results[name][solver] = {}
            for tol in tolerances:
                run = partial(solve, f, span, y0, rtol=tol, atol=tol * ratio, max_steps=10**6)
                solution, cold, warm = measure(run, REPEATS if not arguments.trial else 1)
                results[name][solver][f"{tol:g}"] = {
                    "y": np.asarray(solution.y_final).tolist(), "cold": cold, "warm": warm,
                    "steps": solution.n_steps, "rejected": solution.n_rejected,
                    "factorizations": solution.n_factorizations}
    return results


def scipy_worker(arguments) -> dict:
    tolerances = TRIAL_TOLERANCES if arguments.trial else TOLERANCES
    results = {}
    for name, (field, jacobian, y0, t_end, ratio, _) in PROBLEMS.items():
        results[name] = {}
        for method in ("Radau", "BDF"):
            results[name][f"SciPy {method}"] = entries = {}
            for tol in tolerances:
                solution, cold, warm = measure(partial(scipy_solve, field, jacobian, y0, t_end, method, tol, tol * ratio),
                                               REPEATS if not arguments.trial else 1)
                entries[f"{tol:g}"] = {"y": solution.y[:, -1].tolist(), "cold": cold, "warm": warm,
                                       "steps": int(solution.t.size - 1), "rejected": None,
                                       "factorizations": int(solution.nlu)}
    return results


def kvaerno5(term, y0, t_end, rtol, atol):
    import diffrax

    return diffrax.diffeqsolve(
        term, diffrax.Kvaerno5(), 0.0, t_end, DIFFRAX_FIRST_STEP, y0, max_steps=DIFFRAX_MAX_STEPS, throw=False,
        stepsize_controller=diffrax.PIDController(rtol=rtol, atol=atol), saveat=diffrax.SaveAt(t1=True))


def run_kvaerno5(solve, rtol, atol):
    import jax

    return jax.block_until_ready(solve(rtol, atol))


def diffrax_worker(arguments) -> dict:
    import jax

    jax.config.update("jax_enable_x64", True)
    import diffrax
    import jax.numpy as jnp

    tolerances = TRIAL_TOLERANCES if arguments.trial else TOLERANCES
    results = {}
    for name, (field, _, y0, t_end, ratio, _) in PROBLEMS.items():
        term = diffrax.ODETerm(lambda t, y, args, field=field: field(y, xp=jnp))

        solve = jax.jit(partial(kvaerno5, term, jnp.asarray(y0, dtype=float), t_end))
        results[name] = {"diffrax Kvaerno5": {}}
        for tol in tolerances:  # tolerances are traced: one compilation per problem, in the first cold time
            run = partial(run_kvaerno5, solve, jnp.asarray(tol), jnp.asarray(tol * ratio))
            solution, cold, warm = measure(run, REPEATS if not arguments.trial else 1)
            results[name]["diffrax Kvaerno5"][f"{tol:g}"] = {
                "y": np.asarray(solution.ys[-1]).tolist(), "cold": cold, "warm": warm,
                "steps": int(solution.stats["num_accepted_steps"]), "rejected": int(solution.stats["num_rejected_steps"]),
                "factorizations": None, "finished": bool(solution.result == diffrax.RESULTS.successful)}
    return results


WORKERS = {"reference": reference_worker, "toolkit": toolkit_worker, "scipy": scipy_worker, "diffrax": diffrax_worker}


def worker(arguments) -> None:
    results = WORKERS[arguments.worker](arguments)
    total = sum(statistics.median(entry["warm"]) for by_solver in results.values() if isinstance(by_solver, dict)
                for by_tol in by_solver.values() if isinstance(by_tol, dict)
                for entry in by_tol.values() if isinstance(entry, dict) and "warm" in entry)
    report_result({"results": results, "warm_total": total})


# --- the report ------------------------------------------------------------------------------------------------
def main() -> int:
    from scimlkit.site.appendix.benchmark_report import BarPlot, Goal, Report, Table, write_report

    load_before = load_average()
    print("reference: SciPy Radau at rtol = 1e-12 ...", flush=True)
    reference = run_worker(SCRIPT, "reference", 1)["results"]
    measured, threads, trial_totals = {}, {}, {}
    for side in ("toolkit", "scipy", "diffrax"):
        print(f"{side}: trial at 1 and 2 threads ...", flush=True)
        threads[side], trials = fastest_threads(SCRIPT, side, "warm_total", "--trial")
        trial_totals[side] = {count: trials[count]["warm_total"] for count in trials}
        print(f"{side}: full run at {threads[side]} thread(s) ...", flush=True)
        measured.update({(problem, solver): by_tol
                         for problem, by_solver in run_worker(SCRIPT, side, threads[side])["results"].items()
                         for solver, by_tol in by_solver.items()})
    load_after = load_average()

    solvers = (*TOOLKIT, *SCIPY, *DIFFRAX)
    tables, step_rows, time_rows, trade_rows = [], [], [], []
    steps_ok, median_ratios, worst_ratios = True, [], []
    for problem, (_, _, _, _, ratio, published) in PROBLEMS.items():
        ref = reference[problem]["y"]
        rows = []
        for solver in solvers:
            for tol in TOLERANCES:
                entry = measured[problem, solver][f"{tol:g}"]
                entry["error"] = mixed_error(entry["y"], ref, ratio) if entry.get("finished", True) else float("nan")
                steps = f"{entry['steps']}" + ("" if entry["rejected"] is None else f" (+{entry['rejected']})")
                if not entry.get("finished", True):
                    steps += f": stopped at max_steps = {DIFFRAX_MAX_STEPS}, not finished"
                rows.append([solver, f"{tol:g}", steps,
                             "" if entry["factorizations"] is None else entry["factorizations"],
                             f"{entry['error']:.1e}", format_spread([1e3 * s for s in entry["warm"]], ".1f"),
                             f"{1e3 * entry['cold']:.1f}"])
        tables.append(Table(
            caption=(f"{problem}: work and precision (reference: Radau at 1e-12, {reference[problem]['steps']} steps, "
                     f"{mixed_error(ref, published, ratio):.0e} from the published values)"),
            columns=["solver", "rtol", "accepted steps (+ rejected)", "LU factorizations", "error (mixed)",
                     "warm time (ms), median (min to max)", "cold time (ms)"],
            rows=rows))
        for tol in TOLERANCES:
            rodas = measured[problem, "RODAS (compiled)"][f"{tol:g}"]
            loop = measured[problem, "RODAS (Python loop)"][f"{tol:g}"]
            radau = measured[problem, "SciPy Radau"][f"{tol:g}"]
            bdf = measured[problem, "SciPy BDF"][f"{tol:g}"]
            w = measured[problem, "ROS34PW2 W-method (compiled)"][f"{tol:g}"]
            shampine = measured[problem, "Shampine 4(3) (compiled)"][f"{tol:g}"]
            step_ratio = rodas["steps"] / radau["steps"]
            steps_ok &= step_ratio <= 2.0
            step_rows.append([problem, f"{tol:g}", rodas["steps"], shampine["steps"], radau["steps"],
                              f"{step_ratio:.2f}", f"{rodas['error']:.1e}", f"{radau['error']:.1e}"])
            median_ratio, worst_ratio, _ = paired_ratio(bdf["warm"], rodas["warm"])
            loop_ratio = paired_ratio(bdf["warm"], loop["warm"])[0]
            median_ratios.append(median_ratio)
            worst_ratios.append(worst_ratio)
            time_rows.append([problem, f"{tol:g}", f"{median_ratio:.1f}x (worst {worst_ratio:.1f}x)",
                              f"{bdf['cold'] / rodas['cold']:.2f}x", f"{loop_ratio:.2f}x",
                              f"{rodas['error']:.1e}", f"{bdf['error']:.1e}"])
            trade_rows.append([problem, f"{tol:g}", f"{w['steps']} / {rodas['steps']}",
                               f"{w['factorizations']} / {rodas['factorizations']}", f"{w['error']:.1e} / {rodas['error']:.1e}"])
    worst_step_ratio = max(float(row[5]) for row in step_rows)
    fewer_lu = sum(1 for row in trade_rows if int(row[3].split(" / ")[0]) < int(row[3].split(" / ")[1]))
    more_steps = sum(1 for row in trade_rows if int(row[2].split(" / ")[0]) > int(row[2].split(" / ")[1]))
    goals = [
        Goal("RODAS's accepted steps within 2x of SciPy Radau's at every tolerance (1e-4 .. 1e-8) of every problem",
             f"largest ratio {worst_step_ratio:.2f}", steps_ok),
        Goal("RODAS (compiled loop, warm) no slower than SciPy BDF at every tolerance of every problem",
             f"{goal_verdict(min(median_ratios), min(worst_ratios), 1.0)}; smallest median ratio "
             f"{min(float(r[2].split('x')[0]) for r in time_rows):.1f}x",
             min(worst_ratios) >= 1.0),
        Goal("The W-method's trade stated: fewer LU factorizations than RODAS, more steps",
             f"fewer LUs in {fewer_lu} and more steps in {more_steps} of {len(trade_rows)} cases "
             "(table 'W-method against RODAS')", True),
    ]
    vdpol = [statistics.median(measured["VDPOL", solver]["1e-06"]["warm"]) for solver in solvers]
    report = Report(
        name="stiff_test_set",
        title="Stiff test set: HIRES, van der Pol (eps = 1e-6), OREGO, Robertson",
        summary=(
            "Four problems of Hairer and Wanner's stiff test set at rtol = 1e-4 .. 1e-8 (atol = rtol, for ROBER "
            "1e-6 rtol). Toolkit: RODAS 4(3) (Hairer and Wanner; L-stable, stiffly accurate) and Shampine's 4(3) "
            "with a new dense AD Jacobian and LU every step, and the W-method ROS34PW2, each with the step loop "
            "compiled by JAX, and RODAS in the Python step loop (same steps as its compiled loop). Peers: SciPy "
            "solve_ivp Radau and BDF with the vector field and its Jacobian in NumPy, diffrax Kvaerno5 with a PID "
            "controller. Error: the largest over components of |y - ref| / (atol/rtol + |ref|) at the end, against "
            "SciPy Radau at rtol = 1e-12. diffrax starts with a step of 1e-6 (with its own first step, Kvaerno5 rejected "
            "100,000 steps in a row at t = 0 on VDPOL). Each framework ran in a process of its own at its faster thread count "
            f"of 1 and 2 (trial at rtol = 1e-6: toolkit {threads['toolkit']}, SciPy {threads['scipy']}, diffrax "
            f"{threads['diffrax']}; trial totals in seconds {trial_totals}); cold: the first solve in the process "
            f"(compilation included), warm: {REPEATS} more (median, min to max). Load average (1 min) "
            f"{load_before:.1f} before and {load_after:.1f} after, on a 2-core machine shared with other jobs."
        ),
        goals=goals,
        tables=[
            Table(caption="Steps: RODAS and Shampine's 4(3) against SciPy Radau (accepted steps)",
                  columns=["problem", "rtol", "RODAS", "Shampine 4(3)", "Radau", "RODAS / Radau", "RODAS error",
                           "Radau error"],
                  rows=step_rows),
            Table(caption="Time: SciPy BDF over RODAS (warm medians, with the worst pairing of the spread; cold; "
                          "RODAS in the Python loop)",
                  columns=["problem", "rtol", "BDF / RODAS compiled, warm", "BDF / RODAS compiled, cold",
                           "BDF / RODAS Python loop, warm", "RODAS error", "BDF error"],
                  rows=time_rows),
            Table(caption="W-method against RODAS: the trade (W / RODAS)",
                  columns=["problem", "rtol", "accepted steps", "LU factorizations", "error"],
                  rows=trade_rows),
            *tables,
        ],
        plots=[BarPlot(title="VDPOL (eps = 1e-6) at rtol = 1e-6: warm time", ylabel="milliseconds",
                       labels=list(solvers), values=[round(1e3 * s, 2) for s in vdpol])],
    )
    path = write_report(report, SCRIPT.parents[1])
    for goal in report.goals:
        print(f"{'met ' if goal.met else 'NOT '} {goal.description}: {goal.measured}")
    for row in step_rows + time_rows + trade_rows:
        print(row)
    print(f"wrote {path}")
    return 0


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--worker", choices=tuple(WORKERS))
    parser.add_argument("--threads", type=int, default=1)
    parser.add_argument("--trial", action="store_true", help="only rtol = 1e-6, one warm solve (the thread trial)")
    arguments = parser.parse_args()
    if arguments.worker:
        worker(arguments)
        sys.exit(0)
    sys.exit(main())
