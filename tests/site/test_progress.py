"""Progress while lectures execute: done of total, each worker's cell, time expected."""

from __future__ import annotations

import io
import time
from concurrent.futures import Future
from pathlib import Path
from types import SimpleNamespace

from scimlkit.site.build.placement import CellAnnouncer
from scimlkit.site.build.progress import Progress, format_duration


def announce(progress: Progress, path: Path, number: int, of: int) -> None:
    cells = [SimpleNamespace(cell_type="code", metadata={}) for _ in range(of)]
    CellAnnouncer(progress.cell_file(path), SimpleNamespace(cells=cells))(cell=cells[number - 1], cell_index=number - 1)


def lectures_and_progress(tmp_path, stream, live):
    paths = [Path(f"lectures/{name}.md") for name in ("01_a", "02_b", "03_c")]
    expected = dict(zip(paths, [120.0, 60.0, 30.0]))
    return paths, Progress(paths, expected, jobs=2, folder=tmp_path, stream=stream, live=live, interval=0.0)


def test_plain_lines_name_done_running_cells_and_time_left(tmp_path):
    stream = io.StringIO()
    paths, progress = lectures_and_progress(tmp_path, stream, live=False)
    assert progress.status() == "0/3 lectures done; about 1.8 min left"  # (120 + 60 + 30) s over 2 workers
    announce(progress, paths[0], 3, 10)
    announce(progress, paths[1], 1, 4)
    progress.finished(paths[1])
    line = stream.getvalue().strip().splitlines()[-1]
    assert line.startswith("[build] progress: 1/3 lectures done; running 01_a cell 3/10;")
    started = progress.started[paths[0]]
    progress.started[paths[0]] = started - 100.0  # 01_a has run 100 s of its 120
    assert progress.status().endswith("about 25 s left")  # (20 + 30) s over 2 workers
    progress.finished(paths[2])
    progress.started[paths[0]] = started - 500.0
    assert progress.status().endswith("running 01_a cell 3/10; past the recorded run times")


def test_terminal_gets_a_live_bar(tmp_path):
    stream = io.StringIO()
    paths, progress = lectures_and_progress(tmp_path, stream, live=True)
    with progress:
        announce(progress, paths[2], 2, 5)
        progress.refresh()
        progress.log("[build] executed lectures/03_c.md in 29.0 s")
        progress.finished(paths[2])
    text = stream.getvalue()
    assert "03_c cell 2/5" in text and "1/3" in text and "\r" in text, "a bar redrawn in place"
    assert "[build] executed lectures/03_c.md in 29.0 s\n" in text
    assert "[build] progress:" not in text, "no plain lines under a live bar"


def test_completed_yields_every_future_and_refreshes_while_waiting(tmp_path):
    stream = io.StringIO()
    paths, progress = lectures_and_progress(tmp_path, stream, live=False)
    futures = [Future() for _ in paths]
    for future in futures:
        future.set_result(None)
    assert len(list(progress.completed(futures))) == 3
    started = time.monotonic()
    pending = Future()
    waiter = progress.completed([pending])
    pending.set_result("done")
    assert next(waiter).result() == "done" and time.monotonic() - started < 1.5


def test_durations_read_naturally():
    assert format_duration(42.4) == "42 s" and format_duration(150) == "2.5 min"
