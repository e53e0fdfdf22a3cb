"""A failing cell stops the build, and the message says where and why."""

import subprocess
import sys

import pytest

from .book import build_book, lecture, write_mini_book

pytestmark = [pytest.mark.site, pytest.mark.slow]

FAILING = lecture(
    "A lecture that fails",
    "numerator = 1",
    "ratio = numerator / 0",
    "print('never reached')",
)


def test_build_driver_stops_and_names_lecture_cell_line_and_exception(tmp_path):
    root = write_mini_book(tmp_path / "book", {"good": lecture("Fine", "print('ok')"), "broken": FAILING})
    build = build_book(root, tmp_path / "out")
    assert build.returncode == 1
    source = (root / "broken.md").read_text().splitlines()
    directive_line = source.index("ratio = numerator / 0")  # 0-based index of the code = 1-based line of the fence
    assert f"broken.md, line {directive_line}: code cell 2 of 3 raised ZeroDivisionError: division by zero" in build.log
    assert "ratio = numerator / 0" in build.log
    # The build stopped before Sphinx: no page was written.
    assert not build.page("good").exists()


def test_jupyter_book_alone_also_fails_on_the_cell(tmp_path):
    """Building without the driver (plain `jupyter-book build`) still refuses to publish errors."""
    root = write_mini_book(tmp_path / "book", {"broken": FAILING})
    done = subprocess.run(
        [str(__import__("pathlib").Path(sys.executable).with_name("jupyter-book")), "build", str(root)],
        capture_output=True,
        text=True,
        check=False,
    )
    log = done.stdout + done.stderr
    assert done.returncode != 0
    assert "broken.md" in log and "ZeroDivisionError" in log
