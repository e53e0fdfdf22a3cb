"""Withdrawing a project from a built site, and student code that must never run.

One small book is built twice into the same output folder, as a student's fork or the
publishing machine would: first with three published projects, then after one is set
to ``publish: false`` and one is deleted. The second build must leave nothing of either
in ``_build/html`` (pages, sources, images, downloads, notebooks, social cards) and no
page may link to them.
"""

from __future__ import annotations

import json
import shutil
import textwrap
from pathlib import Path

import nbformat
import pytest
from PIL import Image

from scimlkit.gallery import check_project, new_project

from ..gallery.conftest import complete, restamp
from .book import REPO, Build, build_book

pytestmark = pytest.mark.site

KEPT, OPTED_OUT, DELETED = "kept-project", "opted-out-later", "deleted-later"
TEXT_SUFFIXES = (".html", ".txt", ".js", ".json", ".xml", ".ipynb", ".md", ".py")


def _distinct_thumbnail(folder: Path, colour: str) -> None:
    Image.new("RGB", (200, 120), colour).save(folder / "figures" / "thumbnail.png", format="PNG")


def _notebook_report(folder: Path, marker_file: Path) -> None:
    """A run notebook whose only code cell would create ``marker_file`` if executed."""
    notebook = nbformat.v4.new_notebook()
    notebook.cells = [
        nbformat.v4.new_markdown_cell(
            "# A notebook report\n\nThe text of the notebook project deleted-later, "
            "after {cite:t}`chen2018neural`.\n\n"
            "## References\n\n1. First work.\n2. Second work.\n3. Third work.\n"
        ),
        nbformat.v4.new_code_cell(
            f"from pathlib import Path\nPath({str(marker_file)!r}).write_text('student code ran')\nprint('done')",
            execution_count=1,
            outputs=[nbformat.v4.new_output("stream", name="stdout", text="done\n")],
        ),
    ]
    notebook.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    notebook.metadata["language_info"] = {"name": "python"}
    nbformat.write(notebook, folder / "report.ipynb")
    yml = folder / "project.yml"
    yml.write_text(yml.read_text(encoding="utf-8").replace("report: report.md", "report: report.ipynb"), encoding="utf-8")
    (folder / "report.md").unlink()


def _book(root: Path, marker_file: Path) -> Path:
    (root / "projects").mkdir(parents=True)
    (root / "_config.yml").write_text(
        textwrap.dedent(
            """\
            title: Withdrawal test book
            only_build_toc_files: true
            execute:
              execute_notebooks: cache
            html:
              baseurl: https://example.org/book/
            sphinx:
              extra_extensions: [sphinxext.opengraph, scimlkit.site]
              config:
                ogp_site_url: https://example.org/book/
            """
        )
    )
    (root / "_toc.yml").write_text("format: jb-book\nroot: intro\nchapters:\n  - file: projects/index\n")
    (root / "intro.md").write_text("# Withdrawal test book\n")
    shutil.copy(REPO / "projects" / "index.md", root / "projects" / "index.md")
    for slug, colour in ((KEPT, "#204080"), (OPTED_OUT, "#a03010"), (DELETED, "#10a030")):
        folder = complete(new_project(root / "projects", f"Project {slug}", ["Ada Lovelace"], slug=slug, term="2026-01"))
        _distinct_thumbnail(folder, colour)
        script = folder / "code" / "make_figures.py"
        script.write_text(script.read_text(encoding="utf-8") + f"# the script of {slug}\n", encoding="utf-8")
    report = root / "projects" / OPTED_OUT / "report.md"
    report.write_text(
        report.read_text(encoding="utf-8").replace(
            "## Discussion", "The text of opted-out-later; its script is {download}`code/make_figures.py`.\n\n## Discussion"
        ),
        encoding="utf-8",
    )
    _notebook_report(root / "projects" / DELETED, marker_file)
    for slug in (KEPT, OPTED_OUT, DELETED):
        restamp(root / "projects" / slug)  # reports changed: their PDFs are typeset again
        assert check_project(root / "projects" / slug).problems == [], slug
    return root


@pytest.fixture(scope="module")
def builds(tmp_path_factory) -> tuple[Build, Build, dict]:
    base = tmp_path_factory.mktemp("withdrawal")
    marker_file = base / "student-code-ran.txt"
    root = _book(base / "book", marker_file)
    output = base / "output"
    env = {"SCIMLKIT_EXECUTION_CACHE": str(base / "cache")}
    first = build_book(root, output, env=env)
    # What the withdrawn projects' files look like, to find copies of them later.
    withdrawn_bytes = {
        path.read_bytes()
        for slug in (OPTED_OUT, DELETED)
        for path in (root / "projects" / slug).rglob("*")
        if path.is_file() and path.suffix in (".png", ".py")
    }
    html = first.html
    facts = {
        "marker_file": marker_file,
        "marker_after_first": marker_file.exists(),
        "withdrawn_bytes": withdrawn_bytes,
        "index": first.page("projects/index").read_text(encoding="utf-8"),
        "downloads": [path.name for path in (html / "_downloads").rglob("*.py")],
        "cards": [path.name for path in (html / "_images" / "social_previews").glob("summary_projects_*")],
        "notebook_page": first.page(f"projects/{DELETED}/report").read_text(encoding="utf-8"),
    }
    yml = root / "projects" / OPTED_OUT / "project.yml"
    yml.write_text(yml.read_text(encoding="utf-8").replace("publish: true", "publish: false"), encoding="utf-8")
    shutil.rmtree(root / "projects" / DELETED)
    second = build_book(root, output, env=env)
    return first, second, facts


def test_first_build_publishes_all_three(builds):
    first, _, facts = builds
    assert first.returncode == 0, first.log[-3000:]
    for slug in (KEPT, OPTED_OUT, DELETED):
        assert f"{slug}/report.html" in facts["index"], slug
    assert "make_figures.py" in facts["downloads"], "the download was not copied"
    assert any(name.startswith(f"summary_projects_{OPTED_OUT}_") for name in facts["cards"]), "no social card"


def test_student_code_never_runs_in_a_build(builds):
    _, _, facts = builds
    assert "student code ran" in facts["notebook_page"]  # the cell is on the page, with its stored output
    assert "done" in facts["notebook_page"]
    assert 'class="project-citation' in facts["notebook_page"] and "Chen et al." in facts["notebook_page"]
    assert not facts["marker_after_first"] and not facts["marker_file"].exists()


def test_withdrawn_and_deleted_projects_leave_nothing_after_a_rebuild(builds):
    _, second, facts = builds
    assert second.returncode == 0, second.log[-3000:]
    assert second.page(f"projects/{KEPT}/report").is_file()
    for path in second.html.rglob("*"):
        relative = path.relative_to(second.html).as_posix()
        assert OPTED_OUT not in relative and DELETED not in relative, relative
        if not path.is_file():
            continue
        data = path.read_bytes()
        assert data not in facts["withdrawn_bytes"], f"{relative} is a copy of a withdrawn project's file"
        if path.suffix in TEXT_SUFFIXES:
            text = data.decode("utf-8", errors="replace")
            for slug in (OPTED_OUT, DELETED):
                assert slug not in text, f"{relative} still mentions {slug}"


def test_the_kept_project_is_still_linked_everywhere(builds):
    _, second, _ = builds
    index = second.page("projects/index").read_text(encoding="utf-8")
    assert f"{KEPT}/report.html" in index
    record = json.loads((second.html.parent / "gallery-files.json").read_text(encoding="utf-8"))
    assert set(record) == {KEPT}
