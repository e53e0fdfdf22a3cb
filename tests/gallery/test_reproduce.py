"""``scimlkit project reproduce``: figures rebuilt in a fresh environment from the lock."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from scimlkit.cli import main
from scimlkit.gallery.reproduce import reproduce

REPO = Path(__file__).resolve().parents[2]


@pytest.mark.slow
def test_an_example_reproduces_and_a_tampered_figure_is_named(tmp_path: Path):
    folder = tmp_path / "projects" / "sir-sensitivity"
    shutil.copytree(REPO / "projects" / "sir-sensitivity", folder)
    (folder / "figures" / "peaks.png").write_bytes((folder / "figures" / "thumbnail.png").read_bytes())
    (folder / "figures" / "old-draft.png").write_bytes(b"a figure the code no longer makes")
    result = reproduce(folder, timeout=600)
    untouched = sorted(
        f"figures/{path.name}" for path in (REPO / "projects/sir-sensitivity/figures").iterdir() if path.name != "peaks.png"
    )
    assert result.identical == untouched and len(untouched) >= 5
    assert result.different == ["figures/peaks.png"] and result.missing == ["figures/old-draft.png"]
    assert not result.reproduced
    summary = result.summary()
    assert "figures differ" in summary and "**differs**: `figures/peaks.png`" in summary
    # the committed project is never written to
    assert (folder / "figures" / "peaks.png").read_bytes() == (folder / "figures" / "thumbnail.png").read_bytes()


def test_the_command_reports_a_project_it_cannot_rebuild(project: Path, tmp_path: Path, capsys):
    pyproject = project / "code" / "pyproject.toml"
    pyproject.write_text(pyproject.read_text().replace('reproduce = "python make_figures.py"', ""))
    summary = tmp_path / "summary.md"
    code = main(["project", "reproduce", project.name, "--root", str(project.parent), "--summary", str(summary)])
    assert code == 1
    assert "names no command" in capsys.readouterr().err
    assert "could not rebuild the figures" in summary.read_text()
