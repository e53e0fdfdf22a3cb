"""The build survives its user: Ctrl-C, a second build started at once, a stale setting."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import psutil
import pytest

from .book import lecture, write_mini_book

pytestmark = [pytest.mark.site, pytest.mark.slow]


def start_driver(root: Path, log: Path, *args: str) -> subprocess.Popen:
    """The build driver in a process group of its own, as a shell runs a foreground job."""
    return subprocess.Popen(
        [sys.executable, "-m", "scimlkit.site.build", "--root", str(root), "--jobs", "1", *args],
        cwd=root,
        stdout=log.open("w"),
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )


def wait_for(condition, seconds: float, what: str) -> None:
    deadline = time.monotonic() + seconds
    while not condition():
        if time.monotonic() > deadline:
            pytest.fail(f"timed out waiting for {what}")
        time.sleep(0.2)


def kernel_lecture(title: str, pid_file: Path, sleep_seconds: float) -> str:
    return lecture(title, f"import os, time\nopen({str(pid_file)!r}, 'w').write(str(os.getpid()))\ntime.sleep({sleep_seconds})")


def is_running(pid: int) -> bool:
    try:
        return psutil.Process(pid).status() != psutil.STATUS_ZOMBIE
    except psutil.NoSuchProcess:
        return False


def test_ctrl_c_prints_one_line_exits_130_and_leaves_no_kernel(tmp_path):
    quick, slow = tmp_path / "quick.pid", tmp_path / "slow.pid"
    root = write_mini_book(
        tmp_path / "book",
        {"a_quick": kernel_lecture("Quick", quick, 0), "b_slow": kernel_lecture("Slow", slow, 600)},
    )
    log = tmp_path / "build.log"
    driver = start_driver(root, log)
    wait_for(slow.exists, 180, "the slow lecture's kernel to start")
    kernel = int(slow.read_text())
    os.killpg(driver.pid, signal.SIGINT)  # what the terminal does on Ctrl-C
    assert driver.wait(timeout=60) == 130
    output = log.read_text()
    after = output[output.index("executing"):]
    assert after.strip().splitlines()[-1] == "interrupted; finished lectures are cached", output
    assert "Traceback" not in output, output
    wait_for(lambda: not is_running(kernel), 10, "the kernel to end")

    from jupyter_cache import get_cache

    cached = [Path(record.uri).name for record in get_cache(str(root / "_build" / ".jupyter_cache")).list_cache_records()]
    assert cached == ["a_quick.md"]


def test_a_second_build_waits_for_the_first_and_executes_nothing(tmp_path):
    started = tmp_path / "kernel.pid"
    root = write_mini_book(tmp_path / "book", {"lecture": kernel_lecture("Slowish", started, 4)})
    first_log, second_log = tmp_path / "first.log", tmp_path / "second.log"
    first = start_driver(root, first_log)
    wait_for(started.exists, 180, "the first build's kernel to start")
    second = start_driver(root, second_log)
    assert first.wait(timeout=300) == 0, first_log.read_text()
    assert second.wait(timeout=300) == 0, second_log.read_text()
    waited = second_log.read_text()
    assert f"waiting: another build (pid {first.pid}," in waited, waited
    assert "all 1 notebook(s) are cached: nothing to execute" in waited, waited


def test_first_line_names_where_each_setting_came_from(tmp_path):
    root = write_mini_book(tmp_path / "book", {"plain": "# Plain page\n\nNo code.\n"})
    cache = tmp_path / "elsewhere"
    environment = {**os.environ, "SCIMLKIT_EXECUTION_CACHE": str(cache), "SCIMLKIT_PROFLIE": "gpu"}
    environment.pop("SCIMLKIT_PROFILE", None)
    environment.pop("SCIMLKIT_DEVICE", None)
    done = subprocess.run(
        [sys.executable, "-m", "scimlkit.site.build", "--root", str(root)],
        cwd=root, env=environment, capture_output=True, text=True, check=False,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    first = done.stdout.splitlines()[0]
    assert " profile (detected) | " in first and ") (detected) | scimlkit " in first, first
    assert f"execution cache {cache} (from $SCIMLKIT_EXECUTION_CACHE={cache})" in first, first
    assert "ignored (not a scimlkit setting): $SCIMLKIT_PROFLIE" in first, first
