"""How long the site takes to build: cold with one and with two workers, warm, after a
prose edit, after a code edit, and re-executing every lecture after a toolkit edit with
and without JAX's persistent compilation cache.

Runs the real build driver (what `make site` runs) on a copy of the repository with an
empty execution cache, so the measurement does not disturb, or profit from, the
working copy's own `_build/`. Writes benchmarks/results/build_time.json.

1. Cold, one worker: a first `make site` (it starts with an empty compilation cache and
   fills it, as the default settings do). Per-lecture budgets are checked here, where
   each lecture has the machine to itself.
2. Warm, after a prose edit, after a code edit of lecture 1 (two workers).
3. Cold, two workers: a toolkit edit makes every lecture outdated; the built pages are
   removed so Sphinx starts afresh, and the compilation cache is off.
4. The same after a second toolkit edit with the cache filled in step 1.
5. A group budget is measured by executing the group's lectures together (one worker
   per core) only where the sum of their one-worker times does not already meet it.

    python benchmarks/build_time.py [--keep-compilation-cache DIR]
    python benchmarks/build_time.py --remeasure lectures/05_neural_and_universal_odes.md ...

`--remeasure` executes only the named lectures, each alone on one worker in a fresh copy
with empty caches (the first step's conditions), and replaces their rows and the group
totals in the committed report; the report's summary names them and when. Use it for a
lecture edited since the full run, or one whose run overlapped other work on the machine.
"""

from __future__ import annotations

import argparse
import dataclasses
import json
import re
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from scimlkit.site.appendix.benchmark_report import BarPlot, Goal, Report, Table, read_report, write_report  # noqa: E402
from scimlkit.site.appendix.claims_check import course_lectures  # noqa: E402

REPO = Path(__file__).resolve().parents[1]
EDITED_LECTURE = "lectures/01_introduction.md"
RESULTS_FILE = "benchmarks/results/build_time.json"
TOOLKIT_FILE = "scimlkit/problems.py"
NO_COMPILATION_CACHE = "--no-compilation-cache"
JAX_CACHE = ".jax_cache"  # beside the execution cache: scimlkit/site/build/compilation_cache.py
WARM_GOAL_S = 20.0
COLD_GOAL_S = 20 * 60.0
# Execution budgets from the lecture issues. A lecture's own budget is checked on the
# one-worker build, where it has the machine to itself. A group's budget is the wall time
# to execute its lectures together on this machine the way the build does, one worker
# per core, with nothing else running; the sum of their one-worker times is reported too.
LECTURE_GOAL_S = 180.0
# Issue 9 (the first lectures of the original course, second edition: today's 01, 03, 05
# and 06): 360 s together.
GROUP_GOALS_S = {
    (
        "lectures/01_introduction.md",
        "lectures/03_jax_for_sciml.md",
        "lectures/05_neural_and_universal_odes.md",
        "lectures/06_finite_differences_and_convolutions.md",
    ): 360.0,
    ("lectures/07_pdes_method_of_lines.md", "lectures/08_stiffness.md"): 200.0,
    (
        "lectures/14_surrogates.md",
        "lectures/15_training_diagnostics.md",
        "lectures/16_solvers_and_gradients_for_fitting.md",
        "lectures/17_events.md",
        "lectures/18_gpu.md",
    ): 300.0,
    (
        "lectures/11_parameter_estimation.md",
        "lectures/12_pinns.md",
        "lectures/13_sindy_model_discovery.md",
    ): 400.0,
    # Issue 12: the AD, SDE and deep BSDE lectures together.
    ("lectures/04_automatic_differentiation.md", "lectures/09_sdes.md", "lectures/10_deep_bsde.md"): 300.0,
}


def copy_repository(target: Path) -> None:
    listed = subprocess.run(
        ["git", "ls-files", "--cached", "--others", "--exclude-standard", "-z"],
        cwd=REPO, capture_output=True, check=True,
    ).stdout.decode().split("\0")
    for name in filter(None, listed):
        source = REPO / name
        if source.is_file():
            (target / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(source, target / name)


def build(root: Path, jobs: int, *flags: str) -> tuple[float, str]:
    started = time.perf_counter()
    done = subprocess.run(
        [sys.executable, "-m", "scimlkit.site.build", "--root", str(root), "--jobs", str(jobs), *flags],
        cwd=root, capture_output=True, text=True, check=False,
    )
    seconds = time.perf_counter() - started
    if done.returncode != 0:
        raise SystemExit(f"build failed:\n{done.stdout[-3000:]}\n{done.stderr[-3000:]}")
    return seconds, done.stdout + done.stderr


def executed(log: str) -> dict[str, float]:
    """Notebooks the driver executed in this build, with their run times."""
    return {name: float(seconds) for name, seconds in re.findall(r"\[build\] executed (\S+) in ([\d.]+) s", log)}


def execute_together(root: Path, names: tuple[str, ...]) -> float:
    """Wall time to execute these lectures, and only these, into an empty cache.

    The build driver's own pre-execution step, as `make site` runs it (one worker per
    core); it sets the driver's environment variables in this process, so it runs last.
    """
    from scimlkit.site.build import driver

    jobs = driver.default_jobs()
    context = driver.export_context(root, jobs)
    with tempfile.TemporaryDirectory() as cache:
        settings = dataclasses.replace(driver.BookSettings.read(root), cache=Path(cache))
        started = time.perf_counter()
        failures = driver.preexecute(settings, [root / name for name in names], context.key, jobs)
        seconds = time.perf_counter() - started
    if failures:
        raise SystemExit(f"executing {names} failed:\n" + "\n".join(failures))
    return seconds


def groups_to_measure(seconds: dict[str, float]) -> list[tuple[str, ...]]:
    """Groups whose lectures, run one after the other, exceed the group's budget.

    Executing a group together on two workers takes no longer than executing its
    lectures one after the other, so a group whose one-worker sum meets its budget
    meets it together too; the others are measured.
    """
    return [group for group, limit in GROUP_GOALS_S.items() if sum(seconds[name] for name in group) > limit]


def lecture_goals(seconds: dict[str, float], together: dict[tuple[str, ...], float]) -> list[Goal]:
    goals = [
        Goal(f"{name} executes in <= {LECTURE_GOAL_S:.0f} s (1 worker)", f"{value:.1f} s", value <= LECTURE_GOAL_S)
        for name, value in sorted(seconds.items())
    ]
    for group, limit in GROUP_GOALS_S.items():
        names = " + ".join(Path(name).stem for name in group)
        serial = sum(seconds[name] for name in group)
        if group in together:
            measured, met = f"{together[group]:.1f} s ({serial:.1f} s one after the other on 1 worker)", together[group] <= limit
        else:
            measured, met = f"at most {serial:.1f} s (their one-worker times added up)", serial <= limit
        goals.append(Goal(f"{names} executed together on this machine <= {limit:.0f} s", measured, met))
    return goals


def edit_prose(path: Path) -> None:
    text = path.read_text()
    path.write_text(text.replace("## Two traditions\n", "## Two traditions\n\nAn edited sentence.\n", 1))


def edit_code(path: Path) -> None:
    text = path.read_text()
    marker = "sk.use_book_style()\n"
    path.write_text(text.replace(marker, marker + "# an edited code cell\n", 1))


def edit_toolkit(root: Path, number: int) -> None:
    """A comment in scimlkit's numerics: the digest changes, so every lecture re-executes."""
    with (root / TOOLKIT_FILE).open("a") as handle:
        handle.write(f"\n# toolkit edit {number}\n")


def remove_built_pages(root: Path) -> None:
    """Everything built except the execution and compilation caches: Sphinx starts afresh."""
    for path in (root / "_build").iterdir():
        if path.name not in {".jupyter_cache", JAX_CACHE}:
            shutil.rmtree(path) if path.is_dir() else path.unlink()


def rebuild_after_toolkit_edit(root: Path, number: int, *flags: str) -> tuple[float, str]:
    edit_toolkit(root, number)
    remove_built_pages(root)
    return build(root, 2, *flags)


def execute_alone(name: str) -> float:
    """One lecture's one-worker execution time in a fresh copy: empty execution and compilation caches."""
    with tempfile.TemporaryDirectory(prefix="build-time-") as folder:
        root = Path(folder) / "book"
        copy_repository(root)
        _, log = build(root, 1, "--only", Path(name).stem, "--execute-only")
    return executed(log)[name]


def remeasure(names: list[str]) -> None:
    path = REPO / RESULTS_FILE
    data = read_report(path)
    per_lecture_table = next(table for table in data["tables"] if table["caption"].startswith("Execution time per lecture"))
    rows = {row[0]: row for row in per_lecture_table["rows"]}
    course = [str(path.relative_to(REPO)) for path in course_lectures(REPO)]
    unknown = [name for name in names if name not in course]
    if unknown:
        raise SystemExit(f"not lectures of the course (_toc.yml): {', '.join(unknown)}; choose from {', '.join(course)}")
    # A lecture added since the full run gets a row of its own; its two-worker column
    # stays empty until a full run measures it.
    for name in names:
        rows.setdefault(name, [name, None, ""])
    per_lecture_table["rows"] = [rows[name] for name in course if name in rows]
    for name in names:
        rows[name][1] = round(execute_alone(name), 1)
        print(f"{name}: {rows[name][1]} s alone on 1 worker")
    serial = {name: float(row[1]) for name, row in rows.items()}
    # The groups' totals change with their lectures; one over budget is executed together again.
    fresh = {goal.description: goal for goal in lecture_goals(serial, {})}
    with tempfile.TemporaryDirectory(prefix="build-time-") as folder:
        root = Path(folder) / "book"
        copy_repository(root)
        together = {group: execute_together(root, group) for group in groups_to_measure(serial)}
    fresh.update({goal.description: goal for goal in lecture_goals(serial, together)})
    data["goals"] = [goal for goal in data["goals"] if goal["description"] not in fresh] + [
        dataclasses.asdict(goal) for goal in lecture_goals(serial, together)
    ]
    when = time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime())
    data["summary"] += (
        f" Re-measured alone on {when} with `--remeasure` (the rest are from the full run of {data['date']}): "
        + ", ".join(f"{Path(name).stem} {rows[name][1]} s" for name in names) + "."
    )
    path.write_text(json.dumps(data, indent=2) + "\n", encoding="utf-8")
    for goal in data["goals"]:
        print(f"{'met ' if goal['met'] else 'MISSED'}  {goal['description']}: {goal['measured']}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--keep-compilation-cache", type=Path, metavar="DIR",
        help="copy the JAX compilation cache the builds filled to DIR (e.g. _build/.jax_cache)",
    )
    parser.add_argument(
        "--remeasure", nargs="+", metavar="LECTURE",
        help="re-execute only these lectures (e.g. lectures/08_stiffness.md), each alone, and update their rows",
    )
    args = parser.parse_args()
    if args.remeasure:
        remeasure(args.remeasure)
        return
    with tempfile.TemporaryDirectory(prefix="build-time-") as folder:
        root = Path(folder) / "book"
        copy_repository(root)
        serial_cold, serial_log = build(root, 1)
        warm, warm_log = build(root, jobs=2)
        edit_prose(root / EDITED_LECTURE)
        prose, prose_log = build(root, jobs=2)
        edit_code(root / EDITED_LECTURE)
        code, code_log = build(root, jobs=2)
        cold, cold_log = rebuild_after_toolkit_edit(root, 1, NO_COMPILATION_CACHE)
        with_cache, with_cache_log = rebuild_after_toolkit_edit(root, 2)
        serial_per_lecture = executed(serial_log)
        together = {group: execute_together(root, group) for group in groups_to_measure(serial_per_lecture)}
        if args.keep_compilation_cache:
            shutil.copytree(root / "_build" / JAX_CACHE, args.keep_compilation_cache, dirs_exist_ok=True)

    per_lecture = executed(cold_log)
    re_executed = {name: len(executed(log)) for name, log in [("warm", warm_log), ("prose", prose_log), ("code", code_log)]}
    report = Report(
        name="build_time",
        title="Site build times",
        summary=(
            "Builds of the site with `python -m scimlkit.site.build` (what `make site` runs) on a "
            "fresh copy of the repository. First a cold build with one notebook worker, as a first "
            "`make site` runs it (starting with an empty JAX compilation cache and filling it); "
            "per-lecture budgets are checked there, where each lecture has the machine to itself. "
            "Then a warm rebuild with nothing changed, one after a prose-only edit and one after a "
            "code edit of lecture 1. Then an edit to scimlkit makes every lecture outdated: with the "
            "built pages removed and the compilation cache off, that rebuild is the cold build with "
            "two workers; a second toolkit edit repeats it with the cache. A group of lectures is "
            "executed together only where its lectures' one-worker times do not already add up to "
            "less than its budget."
        ),
        goals=[
            Goal(f"warm no-op rebuild <= {WARM_GOAL_S:.0f} s", f"{warm:.1f} s", warm <= WARM_GOAL_S),
            Goal("warm no-op rebuild re-executes nothing", f"{re_executed['warm']} notebook(s)", re_executed["warm"] == 0),
            Goal("prose-only edit re-executes nothing", f"{re_executed['prose']} notebook(s)", re_executed["prose"] == 0),
            Goal("code edit re-executes only that lecture", f"{re_executed['code']} notebook(s)", re_executed["code"] == 1),
            Goal(
                f"cold build (2 workers) <= {COLD_GOAL_S / 60:.0f} min at the CPU profile",
                f"{cold / 60:.1f} min",
                cold <= COLD_GOAL_S,
            ),
            *lecture_goals(serial_per_lecture, together),
            Goal(
                "re-executing after a toolkit edit is faster with JAX's compilation cache",
                f"{with_cache:.1f} s with, {cold:.1f} s without ({cold / with_cache:.2f}x)",
                with_cache < cold,
            ),
        ],
        tables=[
            Table(
                "Build times (wall clock, seconds)",
                ["build", "seconds", "notebooks executed"],
                [
                    ["cold, 1 worker", round(serial_cold, 1), len(serial_per_lecture)],
                    ["cold, 2 workers (after a toolkit edit, no compilation cache)", round(cold, 1), len(per_lecture)],
                    ["warm, nothing changed", round(warm, 1), re_executed["warm"]],
                    ["after a prose-only edit", round(prose, 1), re_executed["prose"]],
                    ["after a code edit", round(code, 1), re_executed["code"]],
                ],
            ),
            Table(
                "Execution time per lecture in the cold builds (seconds)",
                ["lecture", "1 worker", "2 workers"],
                [
                    [name, round(serial_per_lecture[name], 1), round(per_lecture[name], 1)]
                    for name in sorted(serial_per_lecture)
                ],
            ),
            Table(
                "Every lecture re-executed after a toolkit edit (whole build, 2 workers, seconds)",
                ["JAX compilation cache", "seconds", "notebooks executed"],
                [
                    ["without the cache", round(cold, 1), len(per_lecture)],
                    ["with the cache", round(with_cache, 1), len(executed(with_cache_log))],
                ],
            ),
        ],
        plots=[
            BarPlot(
                "Build time by scenario",
                "seconds",
                ["cold, 1 worker", "cold, 2 workers", "warm", "prose edit", "code edit"],
                [round(x, 1) for x in (serial_cold, cold, warm, prose, code)],
            )
        ],
    )
    path = write_report(report, REPO)
    print(f"wrote {path}")
    for goal in report.goals:
        print(f"{'met ' if goal.met else 'MISSED'}  {goal.description}: {goal.measured}")


if __name__ == "__main__":
    main()
