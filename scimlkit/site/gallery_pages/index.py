"""The gallery's index page, ``projects/index.md``, and which project files become pages.

At ``config-inited`` (after sphinx-external-toc has read ``_toc.yml``) every folder
under ``projects/`` is checked with ``scimlkit.gallery``. Published valid projects
become pages without any edit to ``_toc.yml``:

- their page file (the MyST or notebook report, or ``project.yml`` itself for a PDF
  report, read by ``project_pages.ProjectPageParser``) is taken off the exclude list
  that ``only_build_toc_files`` produced, and listed in a hidden toctree under the
  gallery page in the external site map;
- every other file under ``projects/`` (unpublished and invalid projects entirely,
  and the code and extra files of published ones) is excluded, so nothing of an
  opted-out project is read, copied or linked;
- their pages are excluded from notebook execution: student code never runs here;
- what earlier builds wrote for a project that is no longer published is removed
  (``withdrawn``).

Invalid projects are left out with one warning each that names the project and its
problems; the rest of the book builds as usual.
"""

from __future__ import annotations

import os
from pathlib import Path

from docutils import nodes
from sphinx import addnodes
from sphinx.application import Sphinx
from sphinx.config import Config
from sphinx.util import logging
from sphinx.util.docutils import SphinxDirective
from sphinx.util.matching import Matcher

from ...gallery import check_projects, project_folders
from ...gallery.topics import label
from . import nodes as gallery_nodes
from . import project_pages
from .state import GALLERY_DOC, PROJECTS, GalleryState, Page, gallery_order, gallery_state, page_source

logger = logging.getLogger(__name__)

STATIC = Path(__file__).with_name("gallery_static")


def _collect(app: Sphinx, config: Config) -> None:
    root = Path(app.srcdir)
    checked = check_projects(project_folders(root / PROJECTS))
    pages = sorted((Page(item, page_source(item)) for item in checked if item.published), key=gallery_order)
    state = GalleryState(pages, [item for item in checked if not item.valid])
    app.scimlkit_gallery = state  # type: ignore[attr-defined]

    sources = {page.source for page in pages}
    published_folders = {page.folder for page in pages}
    excluded = [pattern for pattern in config.exclude_patterns if pattern not in sources]
    projects = root / PROJECTS
    for folder in sorted(projects.iterdir()) if projects.is_dir() else []:
        relative = f"{PROJECTS}/{folder.name}"
        if folder.is_dir() and relative not in published_folders:
            excluded += [relative, f"{relative}/**"]
    # Only the page file of a published project is a document; its other sources are not,
    # and no other .yml file is (the .yml suffix exists for PDF projects' pages).
    suffixes = tuple(config.source_suffix)
    for relative in _source_files(root, excluded, suffixes):
        in_published = any(relative.startswith(folder + "/") for folder in published_folders)
        if (relative.endswith(".yml") or in_published) and relative not in sources:
            excluded.append(relative)
    config.exclude_patterns = excluded
    config.nb_execution_excludepatterns = [*config.nb_execution_excludepatterns, *sorted(sources)]
    config.html_static_path = [*config.html_static_path, str(STATIC)]
    _add_to_site_map(config, pages)


def _source_files(root: Path, excluded: list[str], suffixes: tuple[str, ...]):
    """Files Sphinx would read as documents (hidden folders included, as Sphinx does)."""
    skip = Matcher(excluded)
    for directory, subfolders, names in os.walk(root):
        here = Path(directory).relative_to(root).as_posix()
        prefix = "" if here == "." else f"{here}/"
        subfolders[:] = [name for name in subfolders if not skip(prefix + name)]
        for name in names:
            if name.endswith(suffixes) and not skip(prefix + name):
                yield prefix + name


def _add_to_site_map(config: Config, pages: list[Page]) -> None:
    """List the project pages under the gallery page, as if _toc.yml named them."""
    from sphinx_external_toc.api import Document, FileItem, TocTree

    site_map = getattr(config, "external_site_map", None)
    if site_map is None or not pages:
        return
    if GALLERY_DOC not in site_map:
        logger.warning(f"[gallery] {GALLERY_DOC} is not in _toc.yml: project pages have no place in the navigation")
        return
    for page in pages:
        site_map[page.docname] = Document(page.docname)
    site_map[GALLERY_DOC].subtrees.append(TocTree(items=[FileItem(page.docname) for page in pages], hidden=True))


def _report_rejected(app: Sphinx) -> None:
    root = Path(app.srcdir)
    for item in gallery_state(app).rejected:
        reasons = "; ".join(problem.describe(root) for problem in item.problems)
        logger.warning(f"[gallery] project {item.slug!r} is left out of the site: {reasons}")


class ProjectGallery(SphinxDirective):
    """``{project-gallery}``: the cards of every published project, newest term first."""

    def run(self) -> list[nodes.Node]:
        pages = gallery_state(self.env.app).pages
        for page in pages:
            self.env.note_dependency(str(page.checked.folder / "project.yml"))
        if not pages:
            return [nodes.paragraph(text="No projects have been published yet.")]
        gallery = nodes.container(classes=["scimlkit-gallery"])
        gallery += nodes.raw("", _controls(pages), format="html")
        grid = nodes.container(classes=["scimlkit-gallery-grid"])
        app = self.env.app
        grid.extend(_card(page, project_pages.launch_link(app, page)) for page in pages)
        gallery += grid
        return [gallery]


def _controls(pages: list[Page]) -> str:
    """The search box and keyword menu (hidden until the script runs, useless without it)."""
    from html import escape

    used = sorted({keyword for page in pages for keyword in page.project.keywords}, key=label)
    options = "".join(f'<option value="{escape(keyword)}">{escape(label(keyword))}</option>' for keyword in used)
    return (
        '<div class="scimlkit-gallery-controls" hidden>'
        '<label>Search <input type="search" class="scimlkit-gallery-search" '
        'placeholder="title, author, abstract" aria-label="Search projects"></label>'
        f'<label>Keyword <select class="scimlkit-gallery-keyword"><option value="">all</option>{options}</select></label>'
        '<p class="scimlkit-gallery-count" aria-live="polite"></p></div>'
    )


def _card(page: Page, launch: str | None = None) -> nodes.Node:
    project = page.project
    names = ", ".join(author.name for author in project.authors)
    labels = [label(keyword) for keyword in project.keywords]
    search = " ".join([project.title, names, project.abstract, *labels, *project.keywords]).casefold()
    card = gallery_nodes.gallery_card(keywords=list(project.keywords), term=project.term, search=search)
    thumbnail = gallery_nodes.card_link(docname=page.docname, classes=["scimlkit-card-image"], label=project.title)
    thumbnail += nodes.image(uri=f"/{page.folder}/{project.thumbnail}", alt="")
    card += thumbnail
    body = nodes.container(classes=["scimlkit-card-body"])
    if project.example:
        body += nodes.paragraph("", "", nodes.inline(text="Example project", classes=["scimlkit-example-badge"]))
    title = gallery_nodes.card_link(docname=page.docname, classes=["scimlkit-card-title-link"])
    title += nodes.Text(project.title)
    body += nodes.paragraph("", "", title, classes=["scimlkit-card-title"])
    body += nodes.paragraph(text=names, classes=["scimlkit-card-authors"])
    pages = project_pages.page_count(page)
    stage = project_pages.stage_label(project)
    meta = nodes.paragraph(text=f"{project.term_label} · {stage}, {pages} pages · ", classes=["scimlkit-card-meta"])
    meta += addnodes.download_reference(
        "", "", nodes.inline(text="PDF"), reftarget=f"/{page.folder}/{project.pdf_file}", refexplicit=True,
        classes=["scimlkit-card-pdf"],
    )
    if launch:
        meta += nodes.Text(" · ")
        meta += nodes.reference("", "Run on Colab", refuri=launch, classes=["scimlkit-card-launch"],
                                reftitle="Run the project's code on Google Colab, with the versions its uv.lock pins")
    meta += nodes.Text(f" · {project.license}")
    body += meta
    keywords = nodes.bullet_list(classes=["scimlkit-card-keywords"])
    for text in labels:
        keywords += nodes.list_item("", nodes.Text(text))
    body += keywords
    card += body
    return card


def setup(app: Sphinx) -> None:
    # After sphinx-external-toc (900) has parsed _toc.yml and listed the files it excludes.
    app.connect("config-inited", _collect, priority=950)
    app.connect("builder-inited", _report_rejected)
    app.add_directive("project-gallery", ProjectGallery)
    app.add_css_file("scimlkit-gallery.css")
    app.add_js_file("scimlkit-gallery.js", loading_method="defer")
