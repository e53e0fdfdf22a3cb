"""A valid project made from the scaffold, for each test to break in one way."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from pypdf import PdfWriter

from scimlkit.gallery import check_project, new_project
from scimlkit.gallery.placeholders import ABSTRACT, EXAMPLE_NOTE, REPORT_INSTRUCTIONS

ABSTRACT_TEXT = (
    "We fit a damped oscillator to noisy data and compare two estimators of its damping: "
    "least squares on the trajectory and a gradient matching method."
)


def write_pdf(path: Path, pages: int) -> None:
    """A real PDF of ``pages`` blank pages, for the page-count checks."""
    writer = PdfWriter()
    for _ in range(pages):
        writer.add_blank_page(width=612, height=792)
    with path.open("wb") as stream:
        writer.write(stream)


def complete(folder: Path, lock: Path | None = None) -> Path:
    """Do what a student does to a fresh scaffold: write the texts, the references, the PDF."""
    yml = folder / "project.yml"
    yml.write_text(yml.read_text(encoding="utf-8").replace(ABSTRACT, ABSTRACT_TEXT), encoding="utf-8")
    for report in (folder / "report.md", folder / "report.tex"):
        if report.is_file():
            text = report.read_text(encoding="utf-8")
            for number, instruction in enumerate(REPORT_INSTRUCTIONS):
                text = text.replace(instruction, f"Our own text for section {number}.")
            text = text.replace("The site lists the works cited above here, from references.bib.\n", "")
            text = text.replace("your keywords", "neural ODEs, parameter estimation")
            report.write_text(text, encoding="utf-8")
    bib = folder / "references.bib"
    bib.write_text(re.sub(rf",\n\s*note\s*=\s*{{{re.escape(EXAMPLE_NOTE)}}}", "", bib.read_text(encoding="utf-8")), encoding="utf-8")
    if not (folder / "report.pdf").is_file():
        write_pdf(folder / "report.pdf", pages=9)
    restamp(folder)
    if lock is not None:  # a lock made for demo-project, renamed for this folder
        text = lock.read_text(encoding="utf-8").replace('name = "demo-project"', f'name = "{folder.name}"')
        (folder / "code" / "uv.lock").write_text(text, encoding="utf-8")
    return folder


@pytest.fixture(scope="session")
def scaffold_lock(tmp_path_factory) -> Path:
    """A uv.lock of the scaffold's code/ made once per session by `uv lock`."""
    folder = new_project(tmp_path_factory.mktemp("lock") / "projects", "Demo project", ["Ada"], slug="demo-project")
    return folder / "code" / "uv.lock"


@pytest.fixture
def project(tmp_path: Path, scaffold_lock: Path) -> Path:
    """A fresh ``projects/demo-project/`` folder, completed, that passes ``check_project``."""
    folder = new_project(tmp_path / "projects", "Demo project", ["Ada Lovelace"], slug="demo-project",
                         term="2026-01", lock=False)
    complete(folder, scaffold_lock)
    assert check_project(folder).problems == []
    return folder


def restamp(folder: Path) -> None:
    """What a student does after an edit: `scimlkit project pdf` (the PDF carries its source's
    new digest) and `scimlkit project citation` (CITATION.cff follows project.yml)."""
    from scimlkit.gallery.citation import write_citation
    from scimlkit.gallery.pdf_digest import source_digest, stamp
    from scimlkit.gallery.schema import Project
    from scimlkit.gallery.yaml_source import read_mapping

    project = Project.model_validate(read_mapping(folder / "project.yml")[0])
    write_citation(folder, project)
    digest = source_digest(folder, project)
    if digest is not None and project.pdf_file and (folder / project.pdf_file).is_file():
        stamp(folder / project.pdf_file, digest)


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
