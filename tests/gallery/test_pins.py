"""Requirement pins are read as pip reads them (``packaging``), in every form tools write."""

from __future__ import annotations

from pathlib import Path

import pytest

from .conftest import problems_of

HASH = "--hash=sha256:" + "a" * 64


@pytest.fixture
def project(project: Path) -> Path:
    """The completed demo project pinned by a requirements file instead of its uv.lock."""
    (project / "code" / "uv.lock").unlink()
    return project


@pytest.mark.parametrize(
    "text",
    [
        "numpy == 2.0.1\n",
        "numpy==2.0.1 ; python_version >= '3.11'\n",
        "jax[cpu]==0.10.2\n",
        f"numpy==2.0.1 \\\n    {HASH} \\\n    {HASH}\n",  # pip-compile --generate-hashes, uv export
        "# via uv export\n--index-url https://pypi.org/simple\nscipy===1.17.1  # pinned\n",
    ],
)
def test_exact_pins_in_every_written_form_pass(project: Path, text: str):
    (project / "code" / "requirements.lock").write_text(text)
    assert problems_of(project) == []


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("numpy>=2\n", "requirements.lock:1: 'numpy>=2' is not pinned exactly"),
        ("scipy==1.17.1\nnumpy==2.*\n", "requirements.lock:2: 'numpy==2.*' is not pinned exactly"),
        ("numpy>=2,==2.0.1\n", "'numpy>=2,==2.0.1' is not pinned exactly"),
        ("numpy @ https://example.org/numpy.whl\n", "is a URL, not a pinned version"),
        ("numpy==\n", "is not a valid requirement"),
        ("-r other.txt\n", "'-r other.txt' is not a pinned requirement"),
        ("# nothing here\n", "the file pins no packages"),
    ],
)
def test_loose_or_malformed_pins_are_named_with_their_line(project: Path, text: str, expected: str):
    (project / "code" / "requirements.lock").write_text(text)
    problems = problems_of(project)
    assert any(expected in problem for problem in problems), problems
