"""``scimlkit project reproduce``: figures rebuilt in a fresh environment from the lock."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from PIL import Image, ImageDraw

from scimlkit.cli import main
from scimlkit.gallery.reproduce import reproduce

REPO = Path(__file__).resolve().parents[2]
# Outputs of the SIR example made of numbers at rounding level (costs.png's finite-difference
# errors at steps down to 1e-10, results.tex's best-step errors, the fits behind
# identifiability.png) change in their last bits with the CPU's BLAS kernels: they came back
# bit for bit on the machine that drew them and differ on an AMD EPYC (2026-12-07). The
# example's other figures must come back bit for bit anywhere.
ROUNDING_LEVEL = {"figures/costs.png", "figures/identifiability.png", "figures/results.tex"}


@pytest.mark.slow
def test_an_example_reproduces_and_a_tampered_figure_is_named(tmp_path: Path):
    folder = tmp_path / "projects" / "sir-sensitivity"
    shutil.copytree(REPO / "projects" / "sir-sensitivity", folder)
    with Image.open(folder / "figures" / "peaks.png") as image:  # a figure edited by hand after the code drew it
        tampered = image.convert("RGB")
    ImageDraw.Draw(tampered).rectangle([(40, 40), (200, 120)], fill="red")
    tampered.save(folder / "figures" / "peaks.png")
    committed = (folder / "figures" / "peaks.png").read_bytes()
    (folder / "figures" / "old-draft.png").write_bytes(b"a figure the code no longer makes")
    result = reproduce(folder, timeout=600)
    untouched = sorted(
        f"figures/{path.name}" for path in (REPO / "projects/sir-sensitivity/figures").iterdir() if path.name != "peaks.png"
    )
    stable = sorted(set(untouched) - ROUNDING_LEVEL)
    assert len(stable) >= 5 and ROUNDING_LEVEL <= set(untouched)
    assert set(stable) <= set(result.identical)
    assert "figures/peaks.png" in result.different and set(result.different) - {"figures/peaks.png"} <= ROUNDING_LEVEL
    assert result.missing == ["figures/old-draft.png"]
    assert result.different["figures/peaks.png"].rms > result.tolerance
    assert not result.reproduced
    summary = result.summary()
    assert "figures differ" in summary and "**differs**: `figures/peaks.png`: RMS difference" in summary
    assert (result.diff_folder / "peaks.diff.png").is_file() and str(result.diff_folder) in summary
    # the committed project is never written to
    assert (folder / "figures" / "peaks.png").read_bytes() == committed


def test_the_command_reports_a_project_it_cannot_rebuild(project: Path, tmp_path: Path, capsys):
    pyproject = project / "code" / "pyproject.toml"
    pyproject.write_text(pyproject.read_text().replace('reproduce = "python make_figures.py"', ""))
    summary = tmp_path / "summary.md"
    code = main(["project", "reproduce", project.name, "--root", str(project.parent), "--summary", str(summary)])
    assert code == 1
    assert "names no command" in capsys.readouterr().err
    assert "could not rebuild the figures" in summary.read_text()
