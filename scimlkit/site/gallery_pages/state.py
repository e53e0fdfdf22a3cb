"""What the gallery's extensions share: the published projects of this build.

The gallery's index (:mod:`.index`) checks every project once, at ``config-inited``, and
keeps the result on the Sphinx application; the project pages, their citations and the
withdrawal sweep read it from here, so none of them imports another to find it.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from ...gallery import CheckedProject

PROJECTS = "projects"
GALLERY_DOC = "projects/index"


@dataclass(frozen=True)
class Page:
    """A published project and the source file that becomes its page."""

    checked: CheckedProject
    source: str  # relative to the book, POSIX

    @property
    def docname(self) -> str:
        return self.source.rsplit(".", 1)[0]

    @property
    def project(self):
        return self.checked.project

    @property
    def folder(self) -> str:
        return f"{PROJECTS}/{self.checked.slug}"


@dataclass
class GalleryState:
    pages: list[Page] = field(default_factory=list)
    rejected: list[CheckedProject] = field(default_factory=list)

    def page(self, docname: str) -> Page | None:
        return next((page for page in self.pages if page.docname == docname), None)


def gallery_state(app) -> GalleryState:
    """This build's gallery (empty before the index has collected it)."""
    return getattr(app, "scimlkit_gallery", None) or GalleryState()


def page_of(app, docname: str) -> Page | None:
    """The published project whose page ``docname`` is, if it is one."""
    return gallery_state(app).page(docname)


def page_source(checked: CheckedProject) -> str:
    """The file that becomes the project's page (``project.yml`` itself for a PDF report)."""
    project = checked.project
    folder = f"{PROJECTS}/{checked.slug}"
    if project.report_kind == "pdf":
        return f"{folder}/project.yml"
    return f"{folder}/{project.report}"


def gallery_order(page: Page) -> tuple:
    """Sort key of the cards: the course team's full-length examples (stage ``report``)
    first, so that a new reader meets a whole paper before the short examples; then every
    project newest term first, by title within a term."""
    project = page.project
    exemplar = project.example and project.stage == "report"
    return (not exemplar, -int(project.term.replace("-", "")), project.title.casefold())
