"""The execution cache re-runs exactly what changed, scimlkit's numerics included."""

import shutil
from pathlib import Path

import pytest

import scimlkit

from .book import build_book, lecture, write_mini_book

pytestmark = [pytest.mark.site, pytest.mark.slow]

PACKAGE = Path(scimlkit.__file__).parent


def counting_lecture(prose: str = "First prose.", message: str = "hello") -> str:
    """A lecture that counts its runs and prints a toolkit value, the lock file and the profile."""
    return lecture(
        "Counted",
        f"""
        import os
        from pathlib import Path
        import scimlkit
        import scimlkit.training
        with open(os.environ["COUNTER_FILE"], "a") as handle:
            handle.write(scimlkit.__file__ + "\\n")
        print({message!r})
        print("toolkit value:", scimlkit.training.CACHE_TEST_VALUE)
        print("lock file:", Path("uv.lock").read_text().strip())
        print("profile:", scimlkit.profile())
        """,
        prose=prose,
    )


def set_toolkit_value(package: Path, value: str) -> None:
    training = package / "training.py"
    lines = [line for line in training.read_text().splitlines() if not line.startswith("CACHE_TEST_VALUE")]
    training.write_text("\n".join([*lines, f"CACHE_TEST_VALUE = {value!r}"]) + "\n")


@pytest.fixture
def book(tmp_path):
    """A one-lecture book whose kernel imports a private copy of scimlkit."""
    packages = tmp_path / "packages"
    shutil.copytree(PACKAGE, packages / "scimlkit", ignore=shutil.ignore_patterns("__pycache__"))
    set_toolkit_value(packages / "scimlkit", "first")
    root = write_mini_book(tmp_path / "book", {"counted": counting_lecture()})
    (root / "uv.lock").write_text("lock version one\n")
    counter = tmp_path / "runs.txt"
    env = {"COUNTER_FILE": str(counter), "PYTHONPATH": str(packages)}

    def build(**extra_env):
        result = build_book(root, tmp_path / "out", env={**env, **extra_env})
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

    set_toolkit_value(package, "second")
    result, runs = build()
    assert len(runs) == 3, "a change to scimlkit's numerics did not re-execute the lecture"
    assert "toolkit value: second" in result.page("counted").read_text()

    (root / "uv.lock").write_text("lock version two\n")
    result, runs = build()
    assert len(runs) == 4, "a lock-file edit did not re-execute the lecture"
    assert "lock file: lock version two" in result.page("counted").read_text()

    result, runs = build(SCIMLKIT_PROFILE="gpu")
    assert len(runs) == 5, "a profile change did not re-execute the lecture"
    page = result.page("counted").read_text()
    assert "profile: gpu" in page and "toolkit value: second" in page
    assert "gpu profile (from $SCIMLKIT_PROFILE=gpu)" in result.log.splitlines()[0]


def test_a_cache_entry_whose_notebook_is_missing_executes_again(book):
    """jupyter-cache writes its database row before the notebook: a kill in between."""
    root, _, build = book
    _, runs = build()
    (executed,) = (root / "_build" / ".jupyter_cache" / "executed").glob("*/base.ipynb")
    executed.unlink()
    result, runs = build()
    assert "the cache entry of" in result.log and "had lost its notebook file" in result.log
    assert len(runs) == 2
    assert "toolkit value: first" in result.page("counted").read_text()


def test_executed_page_says_where_it_ran_and_how_long_it_takes(book):
    _, _, build = book
    result, _ = build()
    page = result.page("counted").read_text()
    assert "scimlkit-provenance" in page
    assert "CPU profile" in page or "GPU profile" in page
    # The duration line comes first, under the title (scimlkit.site.build.duration).
    assert "min running the code" in page
    assert page.index("scimlkit-duration") < page.index("scimlkit-provenance")
