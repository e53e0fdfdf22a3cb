"""The execution cache re-runs exactly what changed, scimlkit's numerics included."""

import shutil
from pathlib import Path

import pytest

import scimlkit

from .book import build_book, lecture, write_mini_book

PACKAGE = Path(scimlkit.__file__).parent


def counting_lecture(prose: str = "First prose.", message: str = "hello") -> str:
    return lecture(
        "Counted",
        f"""
        import os
        import scimlkit
        with open(os.environ["COUNTER_FILE"], "a") as handle:
            handle.write(scimlkit.__file__ + "\\n")
        print({message!r})
        """,
        prose=prose,
    )


@pytest.fixture
def book(tmp_path):
    """A one-lecture book whose kernel imports a private copy of scimlkit."""
    packages = tmp_path / "packages"
    shutil.copytree(PACKAGE, packages / "scimlkit", ignore=shutil.ignore_patterns("__pycache__"))
    root = write_mini_book(tmp_path / "book", {"counted": counting_lecture()})
    counter = tmp_path / "runs.txt"
    env = {"COUNTER_FILE": str(counter), "PYTHONPATH": str(packages)}

    def build():
        result = build_book(root, tmp_path / "out", env=env)
        assert result.returncode == 0, result.log[-4000:]
        runs = counter.read_text().splitlines() if counter.exists() else []
        return result, runs

    return root, packages / "scimlkit", build


def test_cache_reruns_only_what_changed(book):
    root, package, build = book
    result, runs = build()
    assert len(runs) == 1 and runs[0].startswith(str(package)), "the kernel must use the private copy"
    assert "hello" in result.page("counted").read_text()

    _, runs = build()
    assert len(runs) == 1, "a rebuild with nothing changed re-executed the lecture"

    (root / "counted.md").write_text(counting_lecture(prose="Edited prose only."))
    result, runs = build()
    assert len(runs) == 1, "a prose-only edit re-executed the lecture"
    assert "Edited prose only." in result.page("counted").read_text()

    (root / "counted.md").write_text(counting_lecture(prose="Edited prose only.", message="changed"))
    result, runs = build()
    assert len(runs) == 2, "a code edit did not re-execute the lecture"
    assert "changed" in result.page("counted").read_text()

    (package / "site" / "notes.py").write_text("# build tooling, not numerics\n")
    _, runs = build()
    assert len(runs) == 2, "a change to scimlkit's site tooling re-executed the lecture"

    with (package / "training.py").open("a") as handle:
        handle.write("\n\ndef _new_helper():\n    return 1\n")
    _, runs = build()
    assert len(runs) == 3, "a change to scimlkit's numerics did not re-execute the lecture"


def test_executed_page_says_where_it_ran(book):
    _, _, build = book
    result, _ = build()
    page = result.page("counted").read_text()
    assert "scimlkit-provenance" in page
    assert "CPU profile" in page or "GPU profile" in page
