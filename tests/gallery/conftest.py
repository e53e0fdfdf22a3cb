"""A valid project made by the scaffold, for each test to break in one way."""

from __future__ import annotations

from pathlib import Path

import pytest

from scimlkit.gallery import check_project, new_project


@pytest.fixture
def project(tmp_path: Path) -> Path:
    """A fresh ``projects/demo-project/`` folder that passes ``check_project``."""
    folder = new_project(tmp_path / "projects", "Demo project", ["Ada Lovelace"], slug="demo-project", term="2026-01")
    assert check_project(folder).problems == []
    return folder


def problems_of(folder: Path) -> list[str]:
    return [str(problem) for problem in check_project(folder).problems]


def set_field(folder: Path, field: str, value: str) -> None:
    """Replace (or add) one top-level line ``field: value`` of project.yml."""
    path = folder / "project.yml"
    lines = path.read_text(encoding="utf-8").splitlines()
    replaced = [f"{field}: {value}" if line.startswith(f"{field}:") else line for line in lines]
    if replaced == lines:
        replaced.append(f"{field}: {value}")
    path.write_text("\n".join(replaced) + "\n", encoding="utf-8")
