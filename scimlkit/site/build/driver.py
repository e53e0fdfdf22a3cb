"""Build the book: execute outdated lectures on every core, then run Jupyter Book.

``python -m scimlkit.site.build`` is what ``make site`` runs. Sphinx reads documents
one at a time here (see the toolchain notes), so executing notebooks inside it would
use one core. Instead this driver finds the lectures whose outputs are not in the
execution cache, executes them in parallel worker processes, stores the results in
the cache under the same hash myst-nb will compute, and only then starts Sphinx, which
finds every notebook cached. A failing cell stops the build before Sphinx starts, with
a message naming the lecture, the cell, its line and the exception.
"""

from __future__ import annotations

import argparse
import contextlib
import fnmatch
import os
import re
import subprocess
import sys
import tempfile
import time
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from pathlib import Path

import yaml

from . import compilation_cache, guard, placement, setting_sources, shards, stored_outputs
from .book import keyed_notebook, resolve_cache_path, toc_files
from .context import DEVICE_VARIABLE, PROFILE_VARIABLE, ExecutionContext, execution_context, probe_device
from .notebook_key import is_executable_notebook
from .progress import Progress

_ANSI = re.compile(r"\x1b\[[0-9;]*[A-Za-z]")
GPU_MEMORY_VARIABLE = "XLA_PYTHON_CLIENT_MEM_FRACTION"


@dataclass(frozen=True)
class BookSettings:
    root: Path
    cache: Path
    timeout: int
    exclude: tuple[str, ...]

    @classmethod
    def read(cls, root: Path) -> BookSettings:
        config = yaml.safe_load((root / "_config.yml").read_text(encoding="utf-8")) or {}
        execute = config.get("execute") or {}
        return cls(
            root=root,
            cache=resolve_cache_path(root, execute.get("cache") or ""),
            timeout=int(execute.get("timeout", 600)),
            exclude=tuple(execute.get("exclude_patterns") or ()),
        )


@dataclass
class Outcome:
    path: Path
    notebook: dict | None
    seconds: float
    failure: str | None


def executable_notebooks(settings: BookSettings) -> list[Path]:
    notebooks = []
    for path in toc_files(settings.root):
        relative = path.relative_to(settings.root).as_posix()
        if any(fnmatch.fnmatch(relative, pattern) for pattern in settings.exclude):
            continue
        if path.suffix == ".md" and is_executable_notebook(path.read_text(encoding="utf-8")):
            notebooks.append(path)
    return notebooks


def execute_notebook(path: Path, key: str, timeout: int, cell_file: Path | None = None) -> Outcome:
    """Run one notebook in its own folder (worker-process entry point).

    The kernel's own log (connection notices and the like, not cell outputs, which the
    notebook keeps) goes to a temporary file, shown only if the notebook fails. With a
    ``cell_file`` the kernel places each cell on its device and notes reduced scales
    (``placement``), and the worker announces its cells there for the progress display.
    """
    from jupyter_cache.executors.utils import single_nb_execution

    notebook = keyed_notebook(path, key)
    hooks = placement.client_options(cell_file, notebook) if cell_file is not None else {}
    with tempfile.TemporaryFile(mode="w+") as kernel_log:
        saved_stderr = os.dup(2)
        os.dup2(kernel_log.fileno(), 2)
        try:
            result = single_nb_execution(
                notebook, cwd=str(path.parent), allow_errors=False, timeout=timeout, meta_override=True, **hooks
            )
        finally:
            os.dup2(saved_stderr, 2)
            os.close(saved_stderr)
        kernel_log.seek(0)
        log_tail = kernel_log.read()[-3000:]
    if result.err is not None:
        failure = describe_failure(path, notebook, result.err)
        if log_tail.strip():
            failure += f"--- kernel log ---\n{log_tail}\n"
        return Outcome(path, None, result.time, failure)
    return Outcome(path, notebook, result.time, None)


def describe_failure(path: Path, notebook, error: BaseException) -> str:
    """Name the lecture, the failing code cell (number and line) and the exception."""
    code_cells = [
        (index, cell) for index, cell in enumerate(notebook.cells) if cell.cell_type == "code"
    ]
    headline, traceback, failing = f"{type(error).__name__}: {_first_line(error)}", "", None
    for number, (index, cell) in enumerate(code_cells, start=1):
        if "raises-exception" in cell.metadata.get("tags", []):
            continue
        errors = [out for out in cell.get("outputs", []) if out.get("output_type") == "error"]
        if errors:
            failing = (number, index, cell)
            headline = f"{errors[0]['ename']}: {errors[0]['evalue']}"
            traceback = _ANSI.sub("", "\n".join(errors[0].get("traceback", [])))
            break
    if failing is None:  # a timeout leaves no error output: blame the last cell started
        started = [(n, i, c) for n, (i, c) in enumerate(code_cells, 1) if c.get("execution_count")]
        failing = started[-1] if started else None
    if failing is None:
        return f"{path}: the notebook failed before any cell ran: {headline}"
    number, index, cell = failing
    source_map = notebook.metadata.get("source_map") or []
    line = f", line {source_map[index]}" if index < len(source_map) else ""
    return (
        f"{path}{line}: code cell {number} of {len(code_cells)} raised {headline}\n"
        f"--- cell source ---\n{cell.source}\n"
        + (f"--- traceback ---\n{traceback}\n" if traceback else "")
    )


def _first_line(error: BaseException) -> str:
    text = _ANSI.sub("", str(error)).strip()
    return text.splitlines()[-1] if text else ""


def preexecute(
    settings: BookSettings,
    notebooks: list[Path],
    key: str,
    jobs: int,
    *,
    shard: shards.Shard | None = None,
    bundle: shards.BundleWriter | None = None,
) -> list[str]:
    """Execute the notebooks missing from the cache; return failure messages.

    With ``shard`` only that shard's part of them; with ``bundle`` the executed
    notebooks are also written there (see ``shards``).
    """
    from jupyter_cache import get_cache
    from jupyter_cache.base import CacheBundleIn

    cache = get_cache(str(settings.cache))
    not_stored = stored_outputs.adopt(cache, notebooks, settings.root, key)  # issue 15
    pending = []
    for path in not_stored:
        try:
            cache.match_cache_notebook(keyed_notebook(path, key))
        except KeyError:
            pending.append(path)
    # --- issue 15: shards and progress (shards, progress) ---
    if shard is not None:
        pending = shards.select(pending, cache, shard)
        print(f"[build] shard {shard}: {len(pending)} notebook(s) to execute")
    expected = shards.expected_seconds(pending, shards.recorded_seconds(cache))
    # --- end issue 15 ---
    if not pending:
        print(f"[build] all {len(notebooks)} notebook(s) are cached: nothing to execute")
        return []
    print(f"[build] executing {len(pending)} of {len(notebooks)} notebook(s) on {jobs} worker(s)")
    failures = []
    import multiprocessing

    with (
        ProcessPoolExecutor(
            max_workers=jobs,
            mp_context=multiprocessing.get_context("spawn"),
            initializer=guard.start_own_session,
        ) as pool,
        tempfile.TemporaryDirectory(prefix="scimlkit-cells-") as cells,
        Progress(pending, expected, jobs, Path(cells)) as progress,
    ):
        futures = [
            pool.submit(execute_notebook, path, key, settings.timeout, progress.cell_file(path))
            for path in pending
        ]
        for future in progress.completed(futures):
            outcome = future.result()
            name = outcome.path.relative_to(settings.root)
            progress.finished(outcome.path)
            if outcome.failure is not None:
                failures.append(outcome.failure)
                progress.log(f"[build] FAILED {name} after {outcome.seconds:.1f} s")
                continue
            data = shards.cache_data(outcome.seconds, key, progress.cell_records(outcome.path))
            cache.cache_notebook_bundle(
                CacheBundleIn(outcome.notebook, str(outcome.path), data=data),
                check_validity=False,
                overwrite=True,
            )
            if bundle is not None:
                bundle.add(outcome.path, outcome.notebook, data)
            progress.log(f"[build] executed {name} in {outcome.seconds:.1f} s")
    return failures


def export_executed(settings: BookSettings, notebooks: list[Path], key: str, folder: Path) -> None:
    """Write the cached executed version of each notebook to ``folder/<stem>.ipynb``."""
    import nbformat
    from jupyter_cache import get_cache

    cache = get_cache(str(settings.cache))
    folder.mkdir(parents=True, exist_ok=True)
    for path in notebooks:
        _, executed = cache.merge_match_into_notebook(keyed_notebook(path, key))
        target = folder / f"{path.stem}.ipynb"
        nbformat.write(executed, target)
        print(f"[build] wrote {target}")


def default_jobs() -> int:
    """One worker per core on a CPU; on a GPU, two kernels already keep it busy."""
    _, device = probe_device()
    return (os.cpu_count() or 1) if device.startswith("cpu") else 2


def export_context(root: Path, jobs: int) -> ExecutionContext:
    """Fix the profile and device once, for Sphinx and every kernel it starts."""
    context = execution_context(root)
    if not context.device.startswith("cpu") and jobs > 1:
        # JAX reserves 75% of a GPU per process: kernels running side by side must share it.
        os.environ.setdefault(GPU_MEMORY_VARIABLE, f"{0.9 / jobs:.2f}")
    # Kernels must come from this environment, even if the user has a python3 kernel of their own.
    kernels = str(Path(sys.prefix) / "share" / "jupyter")
    os.environ["JUPYTER_PATH"] = os.pathsep.join(filter(None, [kernels, os.environ.get("JUPYTER_PATH")]))
    os.environ[PROFILE_VARIABLE] = context.profile
    os.environ[DEVICE_VARIABLE] = context.device
    return context


def main(argv: list[str] | None = None) -> int:
    """Build the book; Ctrl-C stops it cleanly (exit 130), a second build waits (``guard``)."""
    with guard.interruptible(), contextlib.ExitStack() as held:
        return _main(argv, held)


def _main(argv: list[str] | None, held: contextlib.ExitStack) -> int:
    parser = argparse.ArgumentParser(prog="python -m scimlkit.site.build", description=__doc__.split("\n")[0])
    parser.add_argument("--root", type=Path, default=Path.cwd(), help="the book's root folder")
    parser.add_argument("--only", metavar="STEM", help="execute only this lecture (file stem) before building")
    parser.add_argument(
        "--jobs",
        type=int,
        help="parallel notebook executions (default: one per CPU core; two when JAX runs on a GPU)",
    )
    parser.add_argument("--path-output", type=Path, help="write _build/ under this folder instead of the root")
    parser.add_argument("--builder", default="html", help="Jupyter Book builder (html, latex, ...)")
    parser.add_argument(
        "--export",
        type=Path,
        metavar="DIR",
        help="after executing, write each chosen lecture's executed notebook to DIR/<stem>.ipynb and stop "
        "(with --only: one lecture's claims tested in seconds, `pytest tests/lectures/... --executed DIR`)",
    )
    shards.add_arguments(parser)
    compilation_cache.add_arguments(parser)
    args = parser.parse_args(argv)

    root = args.root.resolve()
    started = time.perf_counter()
    settings = BookSettings.read(root)
    environ_at_start = dict(os.environ)
    jobs = max(1, args.jobs or default_jobs())
    context = export_context(root, jobs)
    print(f"[build] {setting_sources.describe(context, str(settings.cache), environ_at_start)}", flush=True)
    output = (args.path_output or root).resolve() / "_build"
    held.enter_context(guard.exclusive_build(guard.lock_paths(settings.cache, output)))
    for uri in guard.drop_entries_without_notebook(settings.cache):
        print(f"[build] the cache entry of {uri} had lost its notebook file: it executes again")
    jax_cache = compilation_cache.configure(args.compilation_cache, settings.cache)  # issue 15
    print(f"[build] JAX compilation cache: {jax_cache or 'off'}")
    notebooks = executable_notebooks(settings)
    if args.only:
        chosen = [path for path in notebooks if path.stem == args.only]
        if not chosen:
            names = ", ".join(path.stem for path in notebooks)
            print(f"error: no executable lecture named {args.only!r}; choose one of: {names}", file=sys.stderr)
            return 2
        notebooks = chosen
    # --- issue 15: --merge, --shard, --bundle, --execute-only (scimlkit.site.build.shards) ---
    if args.merge:
        return shards.merge_command(args.merge, settings.cache, root, context)
    try:
        shard, bundle = shards.shard_and_bundle(args, root, context.key)
    except ValueError as error:
        print(f"error: {error}", file=sys.stderr)
        return 2
    failures = preexecute(settings, notebooks, context.key, jobs, shard=shard, bundle=bundle)
    # --- end issue 15 ---
    if failures:
        print("\n[build] the build stopped because a cell failed:\n", file=sys.stderr)
        for message in failures:
            print(message, file=sys.stderr)
        return 1
    if args.export:
        export_executed(settings, notebooks, context.key, args.export)
        return 0
    if args.execute_only:
        print(f"[build] executed only (--execute-only) in {time.perf_counter() - started:.1f} s")
        return 0

    command = [str(Path(sys.executable).with_name("jupyter-book")), "build", str(root), "--builder", args.builder]
    if args.path_output:
        command += ["--path-output", str(args.path_output.resolve())]
    # In a session of its own: Ctrl-C reaches the driver alone, which stops it (guard).
    code = subprocess.run(command, check=False, start_new_session=True).returncode
    print(f"[build] finished in {time.perf_counter() - started:.1f} s with exit code {code}")
    return code

