"""Figures compared within a tolerance: re-rendering noise passes, a changed figure does not."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import numpy as np
from PIL import Image, ImageDraw

from scimlkit.gallery import new_project
from scimlkit.gallery.figure_diff import RMS_TOLERANCE, compare_figures


def curve(path: Path, *, shift: int = 0, noise: np.ndarray | None = None) -> Path:
    image = Image.new("RGB", (240, 160), "white")
    ImageDraw.Draw(image).line([(x, 80 + shift + 50 * np.sin(x / 20)) for x in range(0, 240, 2)], fill="#1f77b4", width=3)
    pixels = np.asarray(image, dtype=np.int16)
    if noise is not None:
        pixels = np.clip(pixels + noise, 0, 255)
    Image.fromarray(pixels.astype(np.uint8)).save(path)
    return path


def test_identical_files_need_no_decoding(tmp_path: Path):
    first = curve(tmp_path / "a.png")
    assert compare_figures(first, curve(tmp_path / "b.png")).verdict == "identical"


def test_rendering_noise_is_within_the_tolerance(tmp_path: Path):
    noise = np.zeros((160, 240, 3), dtype=np.int16)
    noise[::7, ::5] = -30  # scattered anti-aliasing-like changes on 3% of the pixels
    found = compare_figures(curve(tmp_path / "a.png"), curve(tmp_path / "b.png", noise=noise), diff_image=tmp_path / "d.png")
    assert found.verdict == "within tolerance" and 0 < found.rms <= RMS_TOLERANCE and found.largest == 30
    assert abs(found.differing - 0.0286) < 0.01 and not (tmp_path / "d.png").exists()


def test_a_moved_curve_differs_and_its_difference_image_is_written(tmp_path: Path):
    found = compare_figures(curve(tmp_path / "a.png"), curve(tmp_path / "b.png", shift=6), diff_image=tmp_path / "d.png")
    assert found.verdict == "differs" and found.rms > 2 * RMS_TOLERANCE and found.largest > 150
    assert "RMS difference" in found.describe() and "% of pixels differ" in found.describe()
    with Image.open(tmp_path / "d.png") as diff:
        assert diff.size == (240, 160) and np.asarray(diff).min() == 0  # darkest where they differ most


def test_other_sizes_and_non_images_differ_with_the_reason(tmp_path: Path):
    small = tmp_path / "small.png"
    Image.new("RGB", (10, 10), "white").save(small)
    assert "the size differs: 240x160 committed, 10x10 rebuilt" in compare_figures(curve(tmp_path / "a.png"), small).describe()
    (tmp_path / "a.csv").write_text("1,2\n")
    (tmp_path / "b.csv").write_text("1,3\n")
    assert "the bytes differ" in compare_figures(tmp_path / "a.csv", tmp_path / "b.csv").describe()


def test_the_scaffold_thumbnail_is_what_its_figure_script_draws(tmp_path: Path):
    folder = new_project(tmp_path / "projects", "Demo project", ["Ada"], lock=False)
    committed = tmp_path / "committed.png"
    committed.write_bytes((folder / "figures" / "thumbnail.png").read_bytes())
    subprocess.run([sys.executable, "make_figures.py"], cwd=folder / "code", check=True, env={"MPLBACKEND": "Agg"})
    assert compare_figures(committed, folder / "figures" / "thumbnail.png").verdict == "identical"
