"""Mutation testing of scimlkit's numerical modules with cosmic-ray.

Do the toolkit's tests catch a bug that looks like a real one (a sign, an operator, a
constant off by one, a comparison turned round)? Cosmic-ray
(https://github.com/sixty-north/cosmic-ray) lists every such one-line change, a
*mutant*, that its operators can make in a module, and applies one to the source file;
this script picks a seeded, stratified sample of those mutants per module, runs the
module's tests against each, and writes the share it catches ("kills") to
``benchmarks/results/mutation.json``, which the Performance page shows.

How a score is obtained:

- **Where.** The package and its tests are copied into a temporary folder and mutated
  there (never in the working tree), with ``PYTHONPATH`` pointing at the copy.
- **Which mutants.** Cosmic-ray's operators without arguments, less those that only turn
  arithmetic into bitwise or identity operations (``a + b`` into ``a << b`` or ``a is b``,
  which any test that runs the line catches with a TypeError): binary arithmetic
  (``+ - * / // % ** @`` into one another), comparisons, unary signs and ``not``,
  ``True``/``False``, ``and``/``or``, number constants plus or minus one, removed
  decorators, ``break``/``continue``, loops that run zero times, and exception types.
- **The sample.** ``PER_MODULE`` mutants per module (all of them if it has fewer),
  allocated to those operator families in proportion to their share of the module's
  mutants (largest remainder) and drawn at random within each family, with a random
  generator seeded from ``SEED`` and the module's name: the same source gives the same
  sample.
- **Which tests.** ``MODULE_TESTS`` names each module's test files explicitly; its
  docstring examples (``tests/test_docstring_examples.py``) run with them. A mutant is
  first run against the fast inner loop (``-m "not site and not slow"``); if it survives
  and the module has slow tests, against those too. Killed by the fast loop implies
  killed by the whole set. ``pytest -x`` stops at the first failure.
- **Time cap.** Unmutated, each selection is run once first (it must pass); a mutant's run
  is stopped after ``TIME_CAP_FACTOR`` times that baseline plus ``TIME_CAP_SLACK_S``
  seconds and counted as a timeout, which counts as detected (a mutant that makes a
  solver loop forever is caught by any CI time limit), and is reported apart.
- **Equivalent mutants.** A survivor reviewed and found to compute the same thing
  (removing ``jax.jit``, say) is listed in ``EQUIVALENT`` with a one-line reason and left
  out of the score.
- **When.** Each module's record says when it was run (UTC), the commit the copied tests
  and package were at (and which of their files had uncommitted changes), and the load
  average before and after it: ``--modules`` reruns some modules and keeps the others'
  rows, so the rows of one report may come from different runs.

Run from the repository root (one process at a time, about an hour on two cores):
``python benchmarks/mutation.py``; ``--modules sdes,sindy`` reruns some modules and keeps
the others' results from the committed report.
"""

from __future__ import annotations

import argparse
import difflib
import json
import os
import random
import re
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import asdict, dataclass
from datetime import datetime, timezone
from importlib import metadata
from pathlib import Path

import cosmic_ray.plugins
from cosmic_ray.ast import ast_nodes, get_ast_from_path
from cosmic_ray.mutating import mutate_code, use_mutation

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
from scimlkit.site.appendix.benchmark_report import RESULTS_DIR, Goal, Report, Table  # noqa: E402
from scimlkit.site.appendix.toolkit_reference import public_names  # noqa: E402

# Modules with public names have docstring examples (tests/test_docstring_examples.py).
DOCUMENTED = set(public_names().values())

SEED = 28
PER_MODULE = 12
TIME_CAP_FACTOR = 3.0
TIME_CAP_SLACK_S = 30.0
GOAL_ALL = 0.85
GOAL_FAST = 0.60
FAST = "not site and not slow"
SLOW = "slow and not site"

# Module -> the test files that test it (its docstring examples run too).
MODULE_TESTS: dict[str, list[str]] = {
    "autodiff": ["tests/test_autodiff.py"],
    "claims": ["tests/test_claims.py"],
    "compiled_rosenbrock": ["tests/test_compiled_rosenbrock.py", "tests/test_compiled_rosenbrock_maths.py"],
    "convolutions": ["tests/test_convolutions.py", "tests/test_convolutions_maths.py"],
    "data": ["tests/test_data.py", "tests/test_data_maths.py"],
    "deep_bsde": ["tests/test_deep_bsde.py", "tests/test_deep_bsde_maths.py"],
    "devices": ["tests/test_devices.py"],
    "ensembles": ["tests/test_ensembles.py", "tests/test_ensembles_maths.py"],
    "estimation": ["tests/test_estimation.py", "tests/test_estimation_maths.py"],
    "events": ["tests/test_events.py", "tests/test_events_maths.py"],
    "finite_differences": ["tests/test_finite_differences.py", "tests/test_finite_differences_maths.py"],
    "gradients": ["tests/test_gradients.py", "tests/test_gradients_maths.py"],
    "implicit_solvers": ["tests/test_implicit_solvers.py", "tests/test_implicit_solvers_maths.py"],
    "neural_odes": ["tests/test_neural_odes.py", "tests/test_neural_odes_maths.py"],
    "pinns": ["tests/test_pinns.py", "tests/test_pinns_maths.py", "tests/test_pinns_inverse.py"],
    "problems": ["tests/test_problems.py", "tests/test_problems_maths.py"],
    "profiles": ["tests/test_profiles.py"],
    "reaction_diffusion": ["tests/test_reaction_diffusion.py", "tests/test_reaction_diffusion_maths.py"],
    "sdes": ["tests/test_sdes.py", "tests/test_sdes_maths.py"],
    "shooting": ["tests/test_shooting.py", "tests/test_shooting_maths.py"],
    # solve and integrate: their own tests, and where the problems and the models that call them are.
    "solvers": ["tests/test_solvers.py", "tests/test_problems.py", "tests/test_neural_odes.py"],
    "sindy": ["tests/test_sindy.py", "tests/test_sindy_maths.py"],
    "sparse_jacobians": ["tests/test_sparse_jacobians.py", "tests/test_sparse_jacobians_maths.py"],
    "stiffness": ["tests/test_stiffness.py", "tests/test_stiffness_maths.py"],
    "surrogates": ["tests/test_surrogates.py", "tests/test_surrogates_maths.py"],
    "training": ["tests/test_training.py", "tests/test_training_maths.py"],
    "trial_solutions": ["tests/test_trial_solutions.py", "tests/test_trial_solutions_maths.py"],
}

# Modules left out, and why.
EXCLUDED = {
    "plotting": "figure style constants (sizes, colours, dpi) and no computation: a test that pinned "
                "them would only restate them",
}

# Reviewed survivors that compute the same thing as the original: (module, original line,
# mutated line) -> why. Lines are compared with surrounding whitespace stripped.
EQUIVALENT: dict[tuple[str, str, str], str] = {
    ("claims", "if array.shape != ():", "if array.shape > ():"):
        "every non-empty shape tuple compares greater than (), and () does not: the same test",
    ("shooting", "m = ts.shape[0]", "m = ts.shape[ -1]"):
        "ts is one-dimensional: its first axis is its last",
    ("finite_differences", 'elif boundary == "periodic":', 'elif boundary >= "periodic":'):
        "only 'dirichlet' and 'periodic' reach this test, and 'dirichlet' sorts before 'periodic'",
    ("pinns", "jitter = jax.random.uniform(keys[0], (n, lower.shape[0]), dtype)",
     "jitter = jax.random.uniform(keys[0], (n, lower.shape[ -1]), dtype)"):
        "lower was checked to be one-dimensional (tested): its first axis is its last",
    ("sparse_jacobians", "n = graph.shape[0]", "n = graph.shape[ 1]"):
        "the column-intersection graph P^T P is square",
    ("sparse_jacobians", "elif pattern.shape != (y.shape[0], y.shape[0]):",
     "elif pattern.shape != (y.shape[ -1], y.shape[0]):"):
        "the state y is a flat vector: its first axis is its last",
    ("training", "_STEP_CACHE.popitem(last=False)", "_STEP_CACHE.popitem(last=True)"):
        "which compiled step a full cache drops decides what is compiled again, not what is computed",
    ("data", "return clean if level == 0 else add_relative_noise(key, clean, level)",
     "return clean if level < 0 else add_relative_noise(key, clean, level)"):
        "noise of level 0 is zero times the draws: the same clean solution (the shortcut only saves work); "
        "a negative level is refused before it (tested)",
    ("data", "inner_radius: float = 0.5,", "inner_radius: float = -0.5,"):
        "a negative radius reflects each inner point through the origin; with uniform angles the "
        "points have the same distribution",
    ("neural_odes", "solver: diffrax.AbstractSolver = eqx.field(static=True)",
     "solver: diffrax.AbstractSolver = eqx.field(static=False)"):
        "a diffrax solver holds no arrays: as a pytree node it adds no leaves, so nothing is traced or trained",
    ("neural_odes", "_evaluations = [0]", "_evaluations = [ -1]"):
        "function_evaluations sets the counter to 0 before each solve it counts, and only that solve's "
        "_Counted field adds to it: the initial value is never read",
    ("compiled_rosenbrock", "saved = jnp.zeros((stops.shape[0], y0.shape[0]), y0.dtype)",
     "saved = jnp.zeros((stops.shape[0], y0.shape[ -1]), y0.dtype)"):
        "y0 is checked to be a flat vector: its first axis is its last",
    ("sindy", "if targets.ndim == 1:", "if targets.ndim <= 1:"):
        "only a 0-d target differs, and it fails with an IndexError either way: no valid input changes",
    ("events", "return EventHit(time=solution.ts[-1], state=solution.ys[-1], triggered=solution.event_mask)",
     "return EventHit(time=solution.ts[+1], state=solution.ys[-1], triggered=solution.event_mask)"):
        "saved at t1 only, ts has one entry: JAX clamps the index 1 to it, the same entry as -1",
    ("events", 'return jnp.stack([jnp.zeros_like(y[0]), -args["restitution"] * y[1]])',
     'return jnp.stack([jnp.zeros_like(y[0]), -args["restitution"] * y[ 2]])'):
        "the ball's state is (height, velocity): JAX clamps the index 2 to 1, the same entry",
    ("gradients", 'elif method == "forward_sensitivities":', 'elif method >= "forward_sensitivities":'):
        "the names that reach this test are forward_sensitivities, forward_mode, checkpointed, direct and "
        "backsolve (unknown names are refused before, tested): only the first sorts at or after "
        "'forward_sensitivities'",
    ("trial_solutions", "self.network = eqx.nn.MLP(1, u0.shape[0], width, depth, activation=activation, key=key)",
     "self.network = eqx.nn.MLP(1, u0.shape[ -1], width, depth, activation=activation, key=key)"):
        "u0 is the initial state, a vector (a scalar is made one): its first axis is its last",
    ("deep_bsde", "if len(set(widths)) != 1:", "if len(set(widths)) > 1:"):
        "widths is never empty (an empty hidden_widths falls back to the default pair, tested): 0 widths "
        "cannot occur",
    ("devices", "@lru_cache(maxsize=64)", "@lru_cache(maxsize= 65)"):
        "the cache's size decides how many compiled programs are kept, not what they compute",
    ("devices", "@lru_cache(maxsize=64)", "@lru_cache(maxsize= 63)"):
        "the cache's size decides how many compiled programs are kept, not what they compute",
}

_ARITHMETIC = {"Add", "Sub", "Mul", "Div", "FloorDiv", "Mod", "Pow", "MatMult"}
_NOT_ARITHMETIC = {"Is", "IsNot", "Invert", "RShift", "LShift", "BitOr", "BitAnd", "BitXor"}


def family(operator: str) -> str | None:
    """The operator family used for stratifying, or None for an operator left out."""
    name = operator.split("/", 1)[1]
    kind, _, rest = name.partition("_")
    if kind in ("ReplaceBinaryOperator", "ReplaceComparisonOperator", "ReplaceUnaryOperator"):
        source, target = rest.split("_")
        if kind == "ReplaceBinaryOperator":
            return "arithmetic" if {source, target} <= _ARITHMETIC else None
        if kind == "ReplaceComparisonOperator":
            return "comparison" if {source, target}.isdisjoint(_NOT_ARITHMETIC) else None
        return "unary" if {source, target}.isdisjoint(_NOT_ARITHMETIC) else None
    return {
        "AddNot": "unary",
        "ReplaceTrueWithFalse": "boolean",
        "ReplaceFalseWithTrue": "boolean",
        "ReplaceAndWithOr": "boolean",
        "ReplaceOrWithAnd": "boolean",
        "NumberReplacer": "number",
        "RemoveDecorator": "decorator",
        "ReplaceBreakWithContinue": "control flow",
        "ReplaceContinueWithBreak": "control flow",
        "ZeroIterationForLoop": "control flow",
        "ExceptionReplacer": "exception",
    }.get(kind)


@dataclass(frozen=True)
class Mutant:
    module: str
    operator: str
    occurrence: int
    line: int
    family: str


def operators() -> list[tuple[str, object]]:
    chosen = []
    for name in cosmic_ray.plugins.operator_names():
        operator_class = cosmic_ray.plugins.get_operator(name)
        if not operator_class.arguments() and family(name) is not None:
            chosen.append((name, operator_class()))
    return chosen


def all_mutants(module: str, path: Path) -> list[Mutant]:
    """Every mutant of the chosen operators, numbered as cosmic-ray applies them."""
    nodes = list(ast_nodes(get_ast_from_path(path)))
    found = []
    for name, operator in operators():
        positions = [start for node in nodes for start, _ in operator.mutation_positions(node)]
        found += [Mutant(module, name, k, start[0], family(name)) for k, start in enumerate(positions)]
    return found


def stratified_sample(
    mutants: list[Mutant], size: int, seed: str, valid: Callable[[Mutant], bool] = lambda mutant: True
) -> list[Mutant]:
    """``size`` mutants, allocated to families in proportion to their counts (largest remainder).

    Within a family the mutants are drawn in a seeded random order, skipping those that
    ``valid`` refuses (cosmic-ray also turns the ``*`` of keyword-only arguments into
    ``/`` or ``-``, a syntax error rather than a bug).
    """
    if len(mutants) <= size:
        return [mutant for mutant in mutants if valid(mutant)]
    rng = random.Random(seed)
    families: dict[str, list[Mutant]] = {}
    for mutant in mutants:
        families.setdefault(mutant.family, []).append(mutant)
    quotas = {name: size * len(group) / len(mutants) for name, group in sorted(families.items())}
    allocation = {name: int(quota) for name, quota in quotas.items()}
    by_remainder = sorted(quotas, key=lambda name: (quotas[name] - allocation[name], name), reverse=True)
    for name in by_remainder[: size - sum(allocation.values())]:
        allocation[name] += 1
    sample = []
    for name in sorted(families):
        order = rng.sample(families[name], len(families[name]))
        sample += [mutant for mutant in order if valid(mutant)][: allocation[name]]
    return sorted(sample, key=lambda m: (m.line, m.operator, m.occurrence))


def compiles(path: Path) -> Callable[[Mutant], bool]:
    """Whether a mutant of the module at ``path`` is valid Python."""
    source = path.read_text(encoding="utf-8")

    def valid(mutant: Mutant) -> bool:
        operator = cosmic_ray.plugins.get_operator(mutant.operator)()
        try:
            compile(mutate_code(source, operator, mutant.occurrence), str(path), "exec")
        except SyntaxError:
            return False
        return True

    return valid


def copy_project(destination: Path) -> None:
    ignore = shutil.ignore_patterns("__pycache__", "*.pyc", ".hypothesis", ".pytest_cache")
    shutil.copytree(ROOT / "scimlkit", destination / "scimlkit", ignore=ignore)
    shutil.copytree(ROOT / "tests", destination / "tests", ignore=ignore)
    shutil.copy(ROOT / "pyproject.toml", destination / "pyproject.toml")


@dataclass
class Run:
    outcome: str  # passed, failed, timeout, no tests, error
    seconds: float
    tail: str
    failed_test: str | None = None  # the test that failed first (pytest -x stops there)


def run_tests(workdir: Path, module: str, marker: str, timeout: float | None) -> Run:
    selection = list(MODULE_TESTS[module])
    if module in DOCUMENTED:
        selection.append(f"tests/test_docstring_examples.py::test_docstring_examples_run[{module}]")
    command = [sys.executable, "-m", "pytest", "-x", "-q", "--no-header", "-p", "no:cacheprovider",
               "-m", marker, *selection]
    # JAX's persistent compilation cache, shared by all runs of one session: a test whose
    # compiled programs the mutant does not touch compiles nothing again (entries are keyed
    # on the program itself, so a mutated program never hits an unmutated one's entry).
    env = {**os.environ, "PYTHONPATH": str(workdir), "PYTHONDONTWRITEBYTECODE": "1",
           "JAX_COMPILATION_CACHE_DIR": str(workdir / ".jax-cache"), "JAX_PERSISTENT_CACHE_MIN_COMPILE_TIME_SECS": "0.2"}
    start = time.perf_counter()
    try:
        done = subprocess.run(command, cwd=workdir, env=env, capture_output=True, text=True,
                              timeout=timeout, start_new_session=True)
    except subprocess.TimeoutExpired:
        return Run("timeout", time.perf_counter() - start, "")
    seconds = time.perf_counter() - start
    outcome = {0: "passed", 1: "failed", 5: "no tests"}.get(done.returncode, "error")
    # pytest's short summary (-ra) names it: "FAILED tests/x.py::test_y - AssertionError ...".
    failed = re.search(r"^(?:FAILED|ERROR) (\S+)", done.stdout, re.MULTILINE)
    return Run(outcome, seconds, (done.stdout + done.stderr)[-1500:], failed.group(1) if failed else None)


def mutated_lines(original: str, mutated: str) -> tuple[str, str]:
    removed, added = [], []
    for line in difflib.unified_diff(original.splitlines(), mutated.splitlines(), lineterm="", n=0):
        if line.startswith("-") and not line.startswith("---"):
            removed.append(line[1:].strip())
        elif line.startswith("+") and not line.startswith("+++"):
            added.append(line[1:].strip())
    return " / ".join(removed), " / ".join(added)


def _now() -> str:
    return datetime.now(timezone.utc).strftime("%Y-%m-%d %H:%M UTC")


def source_state() -> dict:
    """The commit the working tree is at, and its package and test files with uncommitted changes."""
    def git(*args: str) -> str:
        return subprocess.run(["git", *args], cwd=ROOT, capture_output=True, text=True, check=True).stdout

    changed = [line[3:] for line in git("status", "--porcelain", "--", "scimlkit", "tests").splitlines()
               if line[3:].endswith(".py")]
    return {"commit": git("rev-parse", "--short", "HEAD").strip(), "uncommitted": sorted(changed)}


def run_module(workdir: Path, module: str, per_module: int, copied: dict | None = None) -> dict:
    started, load_before = _now(), os.getloadavg()[0]
    path = workdir / "scimlkit" / f"{module}.py"
    mutants = all_mutants(module, path)
    sample = stratified_sample(mutants, per_module, f"{SEED}:{module}", compiles(path))
    baseline: dict[str, Run] = {}

    def unmutated(name: str, marker: str) -> Run:
        # Run once, on the unmutated module, the first time it is needed (the slow tests
        # only when a mutant survives the fast ones): it must pass, and sets the time cap.
        if name not in baseline:
            run = run_tests(workdir, module, marker, None)
            if run.outcome not in ("passed", "no tests"):
                raise SystemExit(f"{module}: the unmutated {name} tests do not pass:\n{run.tail}")
            baseline[name] = run
            print(f"  baseline {name}: {run.outcome} in {run.seconds:.1f} s", flush=True)
        return baseline[name]

    records = []
    source = path.read_text(encoding="utf-8")
    for mutant in sample:
        operator = cosmic_ray.plugins.get_operator(mutant.operator)()
        before, after = mutated_lines(source, mutate_code(source, operator, mutant.occurrence))
        if EQUIVALENT.get((module, before, after)):  # reviewed already: nothing to learn from running it
            records.append({**asdict(mutant), "original": before, "mutated": after, "fast": "not run",
                            "all": "not run", "seconds": 0.0})
            print(f"  line {mutant.line:4d} equivalent (not run) {before!r} -> {after!r}", flush=True)
            continue
        runs = {}
        for name, marker in (("fast", FAST), ("slow", SLOW)):
            reference = unmutated(name, marker)
            if reference.outcome == "no tests":
                continue
            cap = TIME_CAP_FACTOR * reference.seconds + TIME_CAP_SLACK_S
            operator = cosmic_ray.plugins.get_operator(mutant.operator)()
            with use_mutation(path, operator, mutant.occurrence) as (original, mutated):
                if mutated is None:
                    raise SystemExit(f"{module}: cosmic-ray made no mutant for {mutant}")
                before, after = mutated_lines(original, mutated)
                runs[name] = run_tests(workdir, module, marker, cap)
            if runs[name].outcome != "passed":
                break
        fast = runs.get("fast", Run("passed", 0.0, "")).outcome
        detecting = next((r for r in runs.values() if r.outcome != "passed"), None)
        records.append({
            **asdict(mutant), "original": before, "mutated": after,
            "fast": _verdict(fast), "all": _verdict(detecting.outcome if detecting else "passed"),
            "killed_by": detecting.failed_test if detecting else None,
            "seconds": round(sum(r.seconds for r in runs.values()), 1),
        })
        print(f"  line {mutant.line:4d} {records[-1]['all']:9s} (fast: {records[-1]['fast']:9s}) "
              f"{before!r} -> {after!r}", flush=True)
    return {
        "module": module,
        "tests": MODULE_TESTS[module],
        "mutants": len(mutants),
        "baseline_s": {name: round(run.seconds, 1) for name, run in baseline.items()},
        "measured": {"start": started, "end": _now(), "load": [round(load_before, 1), round(os.getloadavg()[0], 1)],
                     **(copied or {})},
        "sample": records,
    }


def _verdict(outcome: str) -> str:
    return {"passed": "survived", "failed": "killed", "error": "killed", "timeout": "timeout"}[outcome]


def equivalent(record: dict) -> str | None:
    """Why a mutant computes the same as the original, if it was reviewed as equivalent."""
    return EQUIVALENT.get((record["module"], record["original"], record["mutated"]))


def measured(data: dict) -> str:
    """When and on what a module's row was measured, in one line for the table."""
    info = data.get("measured")
    if not info:
        return "not recorded"
    end = info["end"][11:] if info["end"][:10] == info["start"][:10] else info["end"]
    text = f"{info['start'][:-4]}-{end}"
    if "commit" in info:
        text += f", at {info['commit']}"
        # Uncommitted edits in the working tree were copied too: name the module's own files.
        relevant = {f"scimlkit/{data['module']}.py", *data["tests"]}
        own = [f for f in info.get("uncommitted", []) if f in relevant]
        others = len(info.get("uncommitted", [])) - len(own)
        if own:
            text += f" + uncommitted {', '.join(own)}"
        if others:
            text += f" (+ {others} other uncommitted file{'s' if others > 1 else ''})"
    if "load" in info:
        text += f", load {info['load'][0]:g}-{info['load'][1]:g}"
    if "note" in info:
        text += f" ({info['note']})"
    return text


def score(records: list[dict], key: str) -> tuple[int, int, float]:
    counted = [r for r in records if not equivalent(r)]
    detected = sum(r[key] in ("killed", "timeout") for r in counted)
    return detected, len(counted), detected / len(counted) if counted else float("nan")


def build_report(modules: dict[str, dict]) -> dict:
    rows, survivors, equivalents = [], [], []
    all_records = []
    for name in sorted(modules):
        data = modules[name]
        records = data["sample"]
        all_records += records
        killed_all, counted, score_all = score(records, "all")
        killed_fast, _, score_fast = score(records, "fast")
        rows.append([
            name, data["mutants"], len(records), len(records) - counted,
            sum(r["all"] == "timeout" for r in records if not equivalent(r)),
            f"{killed_all}/{counted} ({score_all:.0%})", f"{killed_fast}/{counted} ({score_fast:.0%})",
            "yes" if score_all >= GOAL_ALL and score_fast >= GOAL_FAST else "NO",
            measured(data),
        ])
        for r in records:
            if equivalent(r):
                equivalents.append([name, r["line"], f"{r['original']}  ->  {r['mutated']}", equivalent(r)])
            elif r["fast"] == "survived":
                survivors.append([name, r["line"], r["operator"].split("/", 1)[1],
                                  f"{r['original']}  ->  {r['mutated']}",
                                  "every test" if r["all"] == "survived" else "the fast loop"])
    per_all = {n: score(m["sample"], "all")[2] for n, m in modules.items()}
    per_fast = {n: score(m["sample"], "fast")[2] for n, m in modules.items()}
    total_all, counted_all, overall_all = score(all_records, "all")
    total_fast, _, overall_fast = score(all_records, "fast")
    worst_all = min(per_all, key=per_all.get)
    worst_fast = min(per_fast, key=per_fast.get)
    version = metadata.version("cosmic-ray")
    excluded = "; ".join(f"{name}.py: {why}" for name, why in EXCLUDED.items())
    summary = (
        f"The share of one-line mutants of scimlkit's numerical modules that the module's tests detect, "
        f"measured with cosmic-ray {version}. Operators: arithmetic (+ - * / // % ** @ into one another), "
        f"comparisons, unary signs and not, True/False, and/or, number constants plus or minus one, "
        f"removed decorators, break/continue, zero-iteration loops, exception types (no bitwise or "
        f"identity replacements; mutants that are not valid Python are skipped). Per module a sample "
        f"of {PER_MODULE} mutants (all of them when the module has fewer), stratified by operator family "
        f"in proportion to the family's share and drawn with seed {SEED}: {len(all_records)} mutants in "
        f"all. Each mutant runs only the module's own test files (an explicit table in the script) and "
        f"its docstring examples, first the fast inner loop (-m \"{FAST}\"), then, if it survives, the "
        f"module's slow tests; pytest -x, one process at a time, with JAX's persistent compilation "
        f"cache shared by the runs. A run longer than "
        f"{TIME_CAP_FACTOR:g}x the unmutated run plus {TIME_CAP_SLACK_S:g} s is stopped and counted as "
        f"detected (timeout). Each row says when it was measured, on which commit, at what load: "
        f"rows of one report may come from different runs (--modules). Equivalent mutants (reviewed: "
        f"the same computation) are listed and not counted. Left out: {excluded}. "
        f"Reproduce with `make mutation` (python benchmarks/mutation.py)."
    )
    missing = sorted(set(MODULE_TESTS) - set(modules))
    if missing:
        summary += f" Not measured yet (no result in this report): {', '.join(missing)}."
    report = Report(
        name="mutation",
        title="Mutation score of the toolkit's tests",
        summary=summary,
        goals=[
            Goal(f"every module: at least {GOAL_ALL:.0%} of its mutants detected by its tests",
                 f"lowest {per_all[worst_all]:.0%} ({worst_all}); overall {total_all}/{counted_all} "
                 f"({overall_all:.1%}); {len(missing)} module(s) not measured",
                 all(v >= GOAL_ALL for v in per_all.values()) and not missing),
            Goal(f"every module: at least {GOAL_FAST:.0%} detected by the fast inner loop",
                 f"lowest {per_fast[worst_fast]:.0%} ({worst_fast}); overall {total_fast}/{counted_all} "
                 f"({overall_fast:.1%}); {len(missing)} module(s) not measured",
                 all(v >= GOAL_FAST for v in per_fast.values()) and not missing),
        ],
        tables=[
            Table("Detected mutants per module (equivalent mutants not counted)",
                  ["module", "mutants in module", "sampled", "equivalent", "timeouts",
                   "detected, all tests", "detected, fast loop", "goals met",
                   "measured (UTC; tests and package at commit; load average before-after)"], rows),
            Table("Mutants the fast loop misses (and whether any test catches them)",
                  ["module", "line", "operator", "mutation", "missed by"], survivors),
            Table("Equivalent mutants (reviewed, not counted)",
                  ["module", "line", "mutation", "why it computes the same"], equivalents),
        ],
    )
    data = report.to_json()
    data["versions"]["cosmic-ray"] = version
    data["modules"] = modules
    return data


def check_mapping() -> None:
    """Every numerical module has its tests named, and every named test file exists."""
    modules = {p.stem for p in (ROOT / "scimlkit").glob("*.py")} - {"__init__", "cli"} - set(EXCLUDED)
    if modules != set(MODULE_TESTS):
        raise SystemExit(f"MODULE_TESTS lacks {sorted(modules - set(MODULE_TESTS))} and names "
                         f"{sorted(set(MODULE_TESTS) - modules)}, which are not modules: update it")
    missing = [f for files in MODULE_TESTS.values() for f in files if not (ROOT / f).is_file()]
    if missing:
        raise SystemExit(f"MODULE_TESTS names missing test files: {missing}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--modules", help="comma-separated modules to run (default: all); "
                        "the others keep their results from the committed report")
    parser.add_argument("--per-module", type=int, default=PER_MODULE)
    parser.add_argument("--list", action="store_true", help="print the sample and run nothing")
    parser.add_argument("--report-only", action="store_true",
                        help="rebuild the report from the committed results (after editing EQUIVALENT)")
    args = parser.parse_args()
    names = args.modules.split(",") if args.modules else sorted(MODULE_TESTS)
    unknown = set(names) - set(MODULE_TESTS)
    if unknown:
        raise SystemExit(f"no such module: {', '.join(sorted(unknown))}")
    check_mapping()
    output = ROOT / RESULTS_DIR / "mutation.json"
    if args.list:
        for name in names:
            path = ROOT / "scimlkit" / f"{name}.py"
            mutants = all_mutants(name, path)
            for m in stratified_sample(mutants, args.per_module, f"{SEED}:{name}", compiles(path)):
                print(f"{name}:{m.line} {m.family:12s} {m.operator} #{m.occurrence}")
        return
    modules = {}
    if (args.modules or args.report_only) and output.is_file():
        modules = {k: v for k, v in json.loads(output.read_text())["modules"].items() if k in MODULE_TESTS}
    if not args.report_only:
        with tempfile.TemporaryDirectory(prefix="scimlkit-mutation-") as folder:
            workdir = Path(folder)
            copied = source_state()  # what copy_project copies, uncommitted edits included
            copy_project(workdir)
            failed = []
            for name in names:
                print(f"== {name}", flush=True)
                try:
                    modules[name] = run_module(workdir, name, args.per_module, copied)
                except SystemExit as error:  # the unmutated tests fail: report it, go on with the others
                    print(error, flush=True)
                    failed.append(name)
                    continue
                output.parent.mkdir(parents=True, exist_ok=True)
                output.write_text(json.dumps(build_report(modules), indent=2) + "\n", encoding="utf-8")
    output.write_text(json.dumps(build_report(modules), indent=2) + "\n", encoding="utf-8")
    print(f"wrote {output.relative_to(ROOT)}")
    if not args.report_only and failed:
        raise SystemExit(f"not measured (their unmutated tests fail): {', '.join(failed)}")


if __name__ == "__main__":
    main()
