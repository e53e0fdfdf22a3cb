"""``scimlkit project preview FOLDER``: one project's page and gallery card, built in seconds.

The course site takes minutes to build cold, because it executes every lecture. A
student who wants to see their project as the site will show it needs none of that:
this builds a small book holding only the gallery page and that one project, with the
course's own gallery machinery (``scimlkit.site``), the course's bibliography and no
execution (project pages never run code: notebooks show their stored outputs). The
project is checked first; a project with problems would be left out of the gallery, so
the problems are printed instead of a page.
"""

from __future__ import annotations

import functools
import http.server
import shutil
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import yaml

from ...gallery import check_project

PREVIEW_FOLDER = Path("_build") / "preview"


@dataclass(frozen=True)
class Preview:
    gallery: Path  # the gallery page, with the project's card
    page: Path  # the project's own page
    log: str


class PreviewError(RuntimeError):
    """The project has problems, or the small book did not build."""


def preview_page_name(folder: Path) -> str:
    """Where the gallery publishes the project (``report.html``, or ``project.html`` for a PDF report)."""
    project = check_project(folder).project
    return "project.html" if project.report_kind == "pdf" else Path(project.report).with_suffix(".html").as_posix()


# The course's settings that change how a project page reads (MyST syntax, figure and
# citation labels); the rest of its configuration is about lectures and publishing.
_READING_SETTINGS = ("numfig_format", "bibtex_reference_style", "bibtex_default_style", "myst_heading_anchors")


def preview_config(course: Path, slug: str) -> dict:
    """The small book's ``_config.yml``: the course's reading settings, no execution."""
    config = yaml.safe_load((course / "_config.yml").read_text(encoding="utf-8")) or {}
    sphinx_config = (config.get("sphinx") or {}).get("config") or {}
    return {
        "title": f"Preview: {slug}",
        "only_build_toc_files": True,
        "execute": {"execute_notebooks": "off"},
        "parse": config.get("parse") or {},
        "bibtex_bibfiles": ["references.bib"],
        # The page's links to the repository (its code/ folder, Colab) point where the site's do.
        "repository": config.get("repository") or {},
        "html": {"use_repository_button": True},
        "sphinx": {
            "extra_extensions": ["scimlkit.site"],
            "config": {key: sphinx_config[key] for key in _READING_SETTINGS if key in sphinx_config},
        },
    }


def build_preview(folder: Path, course: Path, output: Path) -> Preview:
    """Build ``output/book`` (sources) into ``output/_build/html`` with only ``folder``'s project."""
    checked = check_project(folder)
    if not checked.valid:
        problems = "\n".join(f"  {problem}" for problem in checked.problems)
        raise PreviewError(f"{folder.name} has {len(checked.problems)} problem(s), and the site leaves out a "
                           f"project with problems; fix them first:\n{problems}")
    if not checked.published:
        raise PreviewError(f"{folder.name} sets `publish: false`, so the gallery does not show it")
    book = output / "book"
    shutil.rmtree(output, ignore_errors=True)
    (book / "projects").mkdir(parents=True)
    shutil.copy(course / "projects" / "index.md", book / "projects" / "index.md")
    shutil.copytree(folder, book / "projects" / folder.name, ignore=shutil.ignore_patterns(".*", "__pycache__"))
    # The gallery page links the project guide; in the preview a stand-in page takes its place.
    (book / "book").mkdir()
    (book / "book" / "project_guide.md").write_text(
        "# Project guide\n\nOn the course site this is the guide to writing and submitting a project.\n",
        encoding="utf-8",
    )
    shutil.copy(course / "book" / "references.bib", book / "references.bib")
    (book / "_config.yml").write_text(yaml.safe_dump(preview_config(course, folder.name), sort_keys=False), encoding="utf-8")
    (book / "_toc.yml").write_text(
        "format: jb-book\nroot: intro\nchapters:\n  - file: projects/index\n  - file: book/project_guide\n",
        encoding="utf-8",
    )
    (book / "intro.md").write_text(
        f"# Preview of {folder.name}\n\nThe project's card is on the gallery page; its page is below it.\n",
        encoding="utf-8",
    )
    jupyter_book = Path(sys.executable).with_name("jupyter-book")
    command = [str(jupyter_book), "build", str(book), "--path-output", str(output), "--warningiserror", "--keep-going"]
    done = subprocess.run(command, capture_output=True, text=True, check=False)
    log = done.stdout + done.stderr
    html = output / "_build" / "html"
    if done.returncode != 0:
        warnings = [line for line in log.splitlines() if "WARNING" in line or "ERROR" in line]
        raise PreviewError("the preview did not build:\n" + "\n".join(warnings[-20:] or log.splitlines()[-20:]))
    page = html / "projects" / folder.name / preview_page_name(folder)
    return Preview(gallery=html / "projects" / "index.html", page=page, log=log)


def serve(html: Path, port: int) -> None:
    """Serve ``html`` on 127.0.0.1 until Ctrl-C."""
    handler = functools.partial(http.server.SimpleHTTPRequestHandler, directory=str(html))
    with http.server.ThreadingHTTPServer(("127.0.0.1", port), handler) as server:
        print(f"serving on http://127.0.0.1:{server.server_address[1]}/projects/index.html (Ctrl-C stops)", flush=True)
        try:
            server.serve_forever()
        except KeyboardInterrupt:
            print("stopped")
