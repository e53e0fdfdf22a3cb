"""What keeps a build safe from its user: Ctrl-C, a second build, a half-written cache.

- Ctrl-C stops every worker and kernel the build started and ends the build with one
  line and exit status 130. Workers and ``jupyter-book`` run in sessions of their own,
  so the terminal's interrupt reaches only the driver, which then stops them itself
  (their own clean-up would print pages of tracebacks from nbclient). Lectures that
  finished before the interrupt are already in the execution cache.
- A file lock next to the execution cache (and one in the output folder) makes a second
  build in the same place wait for the first, saying which process it waits for.
- jupyter-cache records an executed notebook in its database before it writes the file:
  a build killed in between leaves an entry without a notebook, which would be taken as
  cached and fail later. Such entries are dropped, so their lecture executes again.
"""

from __future__ import annotations

import contextlib
import fcntl
import os
import shutil
import signal
import sys
import time
from collections.abc import Iterator
from pathlib import Path

INTERRUPTED_MESSAGE = "interrupted; finished lectures are cached"
INTERRUPTED_STATUS = 130  # 128 + SIGINT, what a shell reports for a program stopped by Ctrl-C
LOCK_NAME = ".scimlkit-build.lock"


def start_own_session() -> None:
    """Worker-process initializer: leave the terminal's process group (no Ctrl-C there)."""
    os.setsid()


def stop_descendants(grace_seconds: float = 3.0) -> int:
    """Terminate every process this one started (workers, kernels, jupyter-book);
    kill those still alive after ``grace_seconds``. Returns how many there were."""
    import psutil

    children = [child for child in psutil.Process().children(recursive=True) if not _is_resource_tracker(child)]
    for child in children:
        with contextlib.suppress(psutil.NoSuchProcess):
            child.terminate()
    _, alive = psutil.wait_procs(children, timeout=grace_seconds)
    for child in alive:
        with contextlib.suppress(psutil.NoSuchProcess):
            child.kill()
    psutil.wait_procs(alive, timeout=grace_seconds)
    return len(children)


def _is_resource_tracker(process) -> bool:
    """multiprocessing's helper process, which ends by itself with the driver (stopping it
    early makes multiprocessing restart it and print tracebacks)."""
    import psutil

    try:
        return any("multiprocessing.resource_tracker" in part for part in process.cmdline())
    except psutil.Error:
        return False


def _stop_on_interrupt(signum, frame) -> None:
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # a second Ctrl-C must not cut the clean-up short
    stop_descendants()
    raise KeyboardInterrupt


@contextlib.contextmanager
def interruptible() -> Iterator[None]:
    """Run a build; on Ctrl-C (or SIGTERM) stop everything it started, print one line
    and exit with status 130."""
    previous = signal.signal(signal.SIGINT, _stop_on_interrupt)
    previous_term = signal.signal(signal.SIGTERM, _stop_on_interrupt)
    try:
        yield
    except KeyboardInterrupt:
        signal.signal(signal.SIGINT, signal.SIG_IGN)
        stop_descendants()
        print(INTERRUPTED_MESSAGE, file=sys.stderr, flush=True)
        raise SystemExit(INTERRUPTED_STATUS) from None
    finally:
        signal.signal(signal.SIGTERM, previous_term)
        if signal.getsignal(signal.SIGINT) in (_stop_on_interrupt, signal.SIG_IGN):
            signal.signal(signal.SIGINT, previous)


def lock_paths(cache: Path, output: Path) -> list[Path]:
    """Where a build takes its locks: beside the execution cache, and in ``_build/``."""
    paths = {cache.parent / f"{cache.name}.lock", output / LOCK_NAME}
    return sorted(paths)  # one order for every build, so two never wait on each other


@contextlib.contextmanager
def exclusive_build(paths: list[Path], poll_seconds: float = 1.0) -> Iterator[None]:
    """Hold every lock in ``paths`` for the duration of the build, waiting (with a
    message naming the other build) while another process holds one."""
    with contextlib.ExitStack() as stack:
        for path in paths:
            path.parent.mkdir(parents=True, exist_ok=True)
            handle = stack.enter_context(path.open("a+", encoding="utf-8"))
            said = False
            while True:
                try:
                    fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
                    break
                except BlockingIOError:
                    if not said:
                        handle.seek(0)
                        holder = handle.read().strip() or "another process"
                        print(
                            f"[build] waiting: another build ({holder}) is using {path.parent}; "
                            "this one starts when it ends (Ctrl-C to give up)",
                            file=sys.stderr,
                            flush=True,
                        )
                        said = True
                    time.sleep(poll_seconds)
            handle.seek(0)
            handle.truncate()
            handle.write(f"pid {os.getpid()}, started {time.strftime('%H:%M:%S')}")
            handle.flush()
        yield


def drop_entries_without_notebook(cache_path: Path) -> list[str]:
    """Remove cache records whose executed notebook file is missing; return their URIs."""
    if not (cache_path / "global.db").is_file():
        return []
    from jupyter_cache import get_cache
    from jupyter_cache.cache.db import NbCacheRecord

    cache = get_cache(str(cache_path))
    broken = [
        record
        for record in cache.list_cache_records()
        if not cache._get_notebook_path_cache(record.hashkey).is_file()
    ]
    for record in broken:  # its folder may exist, empty or half-written: jupyter-cache refuses to reuse it
        shutil.rmtree(cache._get_notebook_path_cache(record.hashkey).parent, ignore_errors=True)
    if broken:
        NbCacheRecord.remove_records([record.pk for record in broken], cache.db)
    return [record.uri for record in broken]
