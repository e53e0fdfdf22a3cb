"""``scimlkit project preview``: one project's page and card in a small book, or its problems."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from bs4 import BeautifulSoup

from scimlkit.cli import main

from .book import REPO


@pytest.mark.site
def test_a_project_is_previewed_with_its_card_and_page(tmp_path: Path, capsys):
    folder = tmp_path / "projects" / "augmented-neural-odes"
    shutil.copytree(REPO / "projects" / "augmented-neural-odes", folder)
    output = tmp_path / "preview"
    assert main(["project", "preview", str(folder), "--output", str(output)]) == 0
    printed = capsys.readouterr().out
    gallery = output / "_build" / "html" / "projects" / "index.html"
    page = output / "_build" / "html" / "projects" / "augmented-neural-odes" / "report.html"
    assert f"the gallery with your card: {gallery}" in printed and f"your project's page:        {page}" in printed
    cards = BeautifulSoup(gallery.read_text(encoding="utf-8"), "html.parser").select(".scimlkit-card")
    assert [card.select_one(".scimlkit-card-title").get_text(strip=True) for card in cards] == [
        "Augmented neural ODEs fit what plain neural ODEs cannot"
    ]
    text = BeautifulSoup(page.read_text(encoding="utf-8"), "html.parser").get_text(" ", strip=True)
    assert "Figure 1 shows the two learned maps" in text  # the course's reading settings apply


def test_a_project_with_problems_is_not_built_but_its_problems_are_named(tmp_path: Path, capsys):
    folder = tmp_path / "projects" / "augmented-neural-odes"
    shutil.copytree(REPO / "projects" / "augmented-neural-odes", folder)
    (folder / "figures" / "maps.png").unlink()
    assert main(["project", "preview", str(folder), "--output", str(tmp_path / "preview")]) == 1
    error = capsys.readouterr().err
    assert "augmented-neural-odes has 1 problem(s), and the site leaves out a project with problems" in error
    assert "figures/maps.png" in error and not (tmp_path / "preview").exists()
    assert main(["project", "preview", str(tmp_path)]) == 2
    assert "is not a project folder (it has no project.yml)" in capsys.readouterr().err
