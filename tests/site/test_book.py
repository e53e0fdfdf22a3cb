"""The real course book: every page built, every lecture executed, every link whole."""

from __future__ import annotations

import math
import re
from pathlib import Path
from urllib.parse import unquote, urlsplit

import pytest
import yaml
from bs4 import BeautifulSoup

from scimlkit.gallery import check_projects, project_folders
from scimlkit.gallery.launch import has_launch, launch_link_problems, launch_url
from scimlkit.site.build.book import toc_files

from .book import REPO, Build
from .conftest import published_prefix

PUBLISHED_PREFIX = published_prefix()  # the site's path on GitHub Pages, e.g. /course/

LECTURES = [path for path in toc_files(REPO) if path.parent.name == "lectures"]


def soup(path: Path) -> BeautifulSoup:
    return BeautifulSoup(path.read_text(encoding="utf-8"), "html.parser")


def docname(path: Path) -> str:
    return path.relative_to(REPO).with_suffix("").as_posix()


def test_the_book_has_lectures():
    assert LECTURES, "no lecture is listed in _toc.yml"


def test_build_emitted_no_sphinx_warnings(built_book: Build):
    assert built_book.sphinx_warnings() == []
    assert re.search(r"build succeeded\.\s*$", built_book.log, re.MULTILINE), built_book.log[-2000:]


@pytest.mark.parametrize("source", toc_files(REPO), ids=docname)
def test_every_toc_entry_became_a_page_with_a_title(built_book: Build, source: Path):
    page = built_book.page(docname(source))
    assert page.is_file(), f"{source} produced no page"
    main = soup(page).select_one("main") or soup(page)
    assert main.find("h1"), f"{page} has no title"


@pytest.mark.parametrize("lecture", LECTURES, ids=docname)
def test_lecture_executed_and_shows_outputs_and_figures(built_book: Build, lecture: Path):
    page = soup(built_book.page(docname(lecture)))
    outputs = page.select("div.cell_output")
    assert outputs, f"{lecture} shows no outputs"
    assert not page.select(".output.traceback, .output.error"), f"{lecture} shows an error output"
    assert "Traceback (most recent call last)" not in page.get_text()
    figures = page.select("div.cell_output img")
    assert figures, f"{lecture} shows no figure"
    for image in figures:
        assert image.get("alt"), f"a figure in {lecture} has no alt text"
    assert page.select_one(".scimlkit-provenance"), f"{lecture} does not say where it ran"


@pytest.mark.parametrize("lecture", LECTURES, ids=docname)
def test_lecture_says_how_long_it_takes_from_this_build(built_book: Build, lecture: Path):
    """The duration line (scimlkit.site.build.duration) sits under the title, above the
    provenance line, and uses the run time and the exercises this page shows."""
    page = soup(built_book.page(docname(lecture)))
    duration = page.select_one(".scimlkit-duration")
    assert duration, f"{lecture} does not say how long it takes"
    assert duration.find_previous("h1") and duration.find_next(class_="scimlkit-provenance")
    text = duration.get_text(" ", strip=True)
    parts = re.match(
        r"About [\dh min]+: [\dh min]+ reading, (\d+) min running the code"
        r"(?: \(all of it, the optional section(?:s'|'s) too\))?(?:, [\dh min]+ for (\d+) exercises?)?\."
        r"(?: The optional (?:sections add|section adds) about [\dh min]+ \([\dh min]+ reading(?:, [\dh min]+ for (\d+) exercises?)?\)\.)?",
        text,
    )
    assert parts, text
    provenance = page.select_one(".scimlkit-provenance").get_text(" ", strip=True)
    ran = float(re.search(r" in ([\d.]+) s,", provenance).group(1))
    assert abs(float(re.search(r"the (\d+) s its code took", text).group(1)) - ran) <= 0.55, (text, provenance)
    # The provenance line rounds the run time to 0.1 s.
    assert math.ceil((ran - 0.05) / 60) <= int(parts.group(1)) <= math.ceil((ran + 0.05) / 60), text
    # Exercises in the core and in the optional sections, and the project's, which the line
    # leaves out and says so: together every exercise on the page.
    project = page.select_one("section#optional-a-project")
    assert ("The open-ended project at the end is not counted" in text) == (project is not None), text
    in_project = len(project.select("div.exercise")) if project is not None else 0
    counted = int(parts.group(2) or 0) + int(parts.group(3) or 0)
    assert counted + in_project == len(page.select("div.exercise")), text


def test_status_page_lists_every_lecture_as_executed(built_book: Build):
    table = soup(built_book.page("book/status")).select_one("table")
    rows = {
        cells[0].get_text(strip=True): [cell.get_text(strip=True) for cell in cells]
        for cells in (row.find_all("td") for row in table.select("tbody tr"))
    }
    for lecture in LECTURES:
        row = rows.get(docname(lecture))
        assert row is not None, f"{docname(lecture)} is missing from the status table"
        assert row[-1] == "✅" and row[2] == "cache", row


def test_status_page_names_the_device_and_versions(built_book: Build):
    text = soup(built_book.page("book/status")).get_text(" ")
    assert "JAX device" in text and "profile" in text
    assert re.search(r"jax\s+0\.\d+\.\d+", text)


@pytest.mark.parametrize(
    "page, phrases",
    [
        ("book/index", ["differentiable programming", "What you will build", "SINDy"]),
        ("book/syllabus", ["Prerequisites", "33%", "34%", "Collaboration", "18.337"]),
        ("book/project_guide", ["Proposal", "at least three references", "lock file", "opt out"]),
        ("book/references", ["Neural ordinary differential equations", "Physics-informed neural networks"]),
        ("book/performance", ["cold", "warm"]),
    ],
)
def test_front_matter_pages_are_filled(built_book: Build, page: str, phrases: list[str]):
    text = soup(built_book.page(page)).get_text(" ")
    for phrase in phrases:
        assert phrase in text, f"{page} lacks {phrase!r}"


def test_claims_page_lists_every_lecture_with_the_claims_checks_totals(built_book: Build):
    from scimlkit.site.appendix.claims_check import check, totals

    table = soup(built_book.page("book/claims")).select_one("table")
    rows = [[cell.get_text(" ", strip=True) for cell in row.find_all("td")] for row in table.select("tbody tr")]
    assert len(rows) == len(LECTURES) + 1, "one row per lecture and a total"
    assert rows[-1] == ["all lectures", *(str(count) for count in totals(check(root=REPO)).values())]


def test_citations_link_to_the_bibliography(built_book: Build):
    page = soup(built_book.page(docname(LECTURES[0])))
    citations = [a for a in page.select("a") if "references" in (a.get("href") or "") and "#id" in a["href"]]
    assert citations, "lecture 1 cites nothing, or its citations do not link to the references page"


def _internal_targets(page: Path, html: BeautifulSoup):
    for tag, attribute in (("a", "href"), ("img", "src"), ("link", "href"), ("script", "src")):
        for element in html.find_all(tag):
            url = element.get(attribute)
            if not url:
                continue
            parts = urlsplit(url)
            if parts.scheme or parts.netloc or url.startswith(("mailto:", "javascript:", "data:")):
                continue
            yield element, parts


def test_every_internal_link_and_image_resolves(built_book: Build):
    root = built_book.html
    ids: dict[Path, set[str]] = {}
    broken = []
    # _static/ holds theme templates (Jinja macros), not pages.
    pages = [page for page in sorted(root.rglob("*.html")) if "_static" not in page.relative_to(root).parts]
    assert len(pages) > 5
    for page in pages:
        html = soup(page)
        for element, parts in _internal_targets(page, html):
            path = unquote(parts.path)
            if path.startswith(PUBLISHED_PREFIX):  # root-absolute, as on the 404 page
                target = (root / path[len(PUBLISHED_PREFIX):]).resolve()
            else:
                target = (page.parent / path).resolve() if path else page
            if target.is_dir():
                target = target / "index.html"
            if not target.is_file():
                broken.append(f"{page.relative_to(root)}: {element.name} -> {parts.path}")
                continue
            if parts.fragment and target.suffix == ".html":
                if target not in ids:
                    ids[target] = {tag["id"] for tag in soup(target).find_all(id=True)}
                if unquote(parts.fragment) not in ids[target]:
                    broken.append(f"{page.relative_to(root)}: #{parts.fragment} missing in {target.name}")
    assert not broken, "\n".join(broken[:50])


def test_every_colab_link_opens_a_notebook_the_build_publishes(built_book: Build):
    """Colab links leave the site, so the check above skips them: each must open a notebook
    that the build wrote under _colab/ (pushed to the Colab branch by the publishing
    workflow), and a project's launch notebook must fetch that project's folder and install
    from its code/uv.lock, both committed (scimlkit.gallery.launch)."""
    config = yaml.safe_load((REPO / "_config.yml").read_text(encoding="utf-8"))
    repository = config["repository"]["url"]
    colab_branch = config["sphinx"]["config"]["scimlkit_colab_branch"]
    root = built_book.html
    links = {
        link["href"]
        for page in sorted(root.rglob("*.html")) if "_static" not in page.relative_to(root).parts
        for link in soup(page).select("a[href^='https://colab.research.google.com/']")
    }
    launches = {url for url in links if url.endswith("/launch.ipynb")}
    published = [item for item in check_projects(project_folders(REPO / "projects")) if item.published]
    assert launches == {launch_url(repository, colab_branch, item.slug) for item in published if has_launch(item.folder)}
    assert launches, "no published project has a launch link"
    problems = [problem for url in sorted(links) for problem in launch_link_problems(
        url, html_root=root, repo=REPO, repository=repository, colab_branch=colab_branch)]
    assert not problems, "\n".join(problems)
