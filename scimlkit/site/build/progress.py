"""Progress of the lectures' execution: done of total, each worker's cell, time left.

A cold build runs for minutes. In a terminal a live tqdm bar shows how many lectures
are done, the cell each running lecture is on and the time expected from the lectures'
last recorded run times; in a CI log (no terminal) the same facts come as plain lines,
one every ``interval`` seconds and one per finished lecture. Workers announce their
cells in small files (``placement.CellAnnouncer``); this side only reads them.
"""

from __future__ import annotations

import sys
import time
from concurrent.futures import FIRST_COMPLETED, wait
from pathlib import Path

from .placement import cell_records, read_announcement


def format_duration(seconds: float) -> str:
    if seconds < 90:
        return f"{seconds:.0f} s"
    return f"{seconds / 60:.1f} min"


class Progress:
    """Live progress of executing ``pending`` on ``jobs`` workers."""

    def __init__(
        self,
        pending: list[Path],
        expected: dict[Path, float],
        jobs: int,
        folder: Path,
        *,
        stream=None,
        live: bool | None = None,
        interval: float = 30.0,
    ) -> None:
        self.stream = stream or sys.stdout
        self.live = self.stream.isatty() if live is None else live
        self.pending, self.expected, self.jobs, self.interval = pending, expected, jobs, interval
        self.files = {path: folder / f"{index}.json" for index, path in enumerate(pending)}
        self.done: set[Path] = set()
        self.started: dict[Path, float] = {}
        self.last_line = time.monotonic()
        self.bar = None
        if self.live:
            from tqdm import tqdm

            self.bar = tqdm(total=len(pending), unit="lecture", file=self.stream, dynamic_ncols=True)

    def cell_file(self, path: Path) -> Path:
        """Where the worker executing ``path`` announces its cells."""
        return self.files[path]

    def cell_records(self, path: Path) -> list[dict]:
        """Where and how long each cell of ``path`` ran (``placement.cell_records``)."""
        return cell_records(self.files[path])

    def running(self) -> dict[Path, dict]:
        """Lectures a worker has started and not finished, with the cell announced last."""
        now = time.monotonic()
        found = {}
        for path, file in self.files.items():
            if path in self.done:
                continue
            announcement = read_announcement(file)
            if announcement is not None:
                self.started.setdefault(path, now)
                found[path] = announcement
        return found

    def seconds_left(self, running: dict[Path, dict]) -> float:
        """Recorded run times of what is left, less the time already spent, over the workers."""
        now = time.monotonic()
        left = 0.0
        for path in self.pending:
            if path in self.done:
                continue
            spent = now - self.started[path] if path in running else 0.0
            left += max(self.expected[path] - spent, 0.0)
        busy = min(self.jobs, len(self.pending) - len(self.done)) or 1
        return left / busy

    def status(self) -> str:
        running = self.running()
        cells = ", ".join(
            f"{path.stem} cell {cell['cell']}/{cell['of']}" for path, cell in sorted(running.items())
        )
        text = f"{len(self.done)}/{len(self.pending)} lectures done"
        if cells:
            text += f"; running {cells}"
        left = self.seconds_left(running)
        if left < 1 and running:
            return text + "; past the recorded run times"
        return text + f"; about {format_duration(left)} left"

    def completed(self, futures):
        """Yield futures as they finish, refreshing the display while waiting."""
        waiting = set(futures)
        while waiting:
            finished, waiting = wait(waiting, timeout=1.0, return_when=FIRST_COMPLETED)
            yield from finished
            self.refresh()

    def refresh(self) -> None:
        if self.bar is not None:
            self.bar.set_postfix_str(self.status(), refresh=True)
        elif time.monotonic() - self.last_line >= self.interval:
            self.line()

    def line(self) -> None:
        self.last_line = time.monotonic()
        self.log(f"[build] progress: {self.status()}")

    def finished(self, path: Path) -> None:
        self.done.add(path)
        if self.bar is not None:
            self.bar.update(1)
        else:
            self.line()

    def log(self, message: str) -> None:
        """Print a message without breaking the live bar."""
        if self.bar is not None:
            self.bar.write(message, file=self.stream)
        else:
            print(message, file=self.stream, flush=True)

    def __enter__(self) -> Progress:
        return self

    def __exit__(self, *exc_info) -> None:
        if self.bar is not None:
            self.bar.close()
