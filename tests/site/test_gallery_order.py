"""The order of the gallery's cards, without building the book: the sort key alone."""

from __future__ import annotations

from pathlib import Path
from types import SimpleNamespace

from scimlkit.gallery import check_projects, project_folders
from scimlkit.site.gallery_pages.state import Page, gallery_order

REPO = Path(__file__).resolve().parents[2]


def page(title: str, term: str, *, stage: str = "report", example: bool = False) -> Page:
    project = SimpleNamespace(title=title, term=term, stage=stage, example=example)
    return Page(SimpleNamespace(project=project), f"projects/{title}/report.md")


def titles(pages: list[Page]) -> list[str]:
    return [item.project.title for item in sorted(pages, key=gallery_order)]


def test_the_full_length_example_comes_before_newer_projects():
    pages = [
        page("student report", "2026-01"),
        page("short example", "2026-01", stage="write-up", example=True),
        page("full-length example", "2025-01", example=True),
        page("older student report", "2025-01"),
        page("proposal example", "2026-01", stage="proposal", example=True),
    ]
    # Newest first for everything else; a short example or a student's report never jumps ahead.
    assert titles(pages) == [
        "full-length example", "proposal example", "short example", "student report", "older student report",
    ]


def test_without_a_full_length_example_the_order_is_newest_term_first():
    pages = [page("b", "2025-01"), page("a", "2025-01"), page("c", "2026-01", stage="write-up", example=True)]
    assert titles(pages) == ["c", "a", "b"]


def test_the_course_gallery_opens_with_the_sir_report():
    checked = [item for item in check_projects(project_folders(REPO / "projects")) if item.published]
    ordered = sorted((Page(item, "") for item in checked), key=gallery_order)
    first = ordered[0].checked
    assert first.slug == "sir-sensitivity" and first.project.example and first.project.stage == "report"
    rest = [item.project.term for item in ordered[1:]]
    assert rest == sorted(rest, reverse=True)
