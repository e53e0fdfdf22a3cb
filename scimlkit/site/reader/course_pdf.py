"""The whole course as one PDF: the home page's link to it, and the LaTeX build's extra file.

``make pdf`` (:mod:`scimlkit.site.build.pdf`) builds the PDF with Jupyter Book's
``pdflatex`` builder; this extension gives that LaTeX build a stand-in for ``bbm.sty``.

In that LaTeX build the chapters are numbered as the sidebar numbers the pages: a
lecture is chapter N when it is lecture N, and the pages outside the numbered part of
``_toc.yml`` (the course's front matter, the projects, the reference and the appendix)
are unnumbered chapters (:func:`number_chapters_as_the_sidebar`). Sections, figures and
exercises then carry the same chapter number in the PDF as on the site.

The HTML build copies that PDF to the site's root when it exists, and the
``{course-pdf}`` directive (on the home page) renders a link to it; without a PDF it says
how to make one instead of linking to nothing. When the PDF appears or goes away, the
pages using the directive are rebuilt.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

from docutils import nodes
from sphinx import addnodes
from sphinx.application import Sphinx
from sphinx.util import logging
from sphinx.util.docutils import SphinxDirective
from sphinx.util.osutil import relative_uri

from ..build.book import PDF_NAME as NAME
from ..build.book import PDF_VARIABLE

logger = logging.getLogger(__name__)


class course_pdf_link(nodes.General, nodes.Element):
    """Placeholder, replaced when the page is written (the PDF may appear later)."""


class CoursePdfDirective(SphinxDirective):
    has_content = False

    def run(self) -> list[nodes.Node]:
        _pdf_pages(self.env)[self.env.docname] = find_pdf(self.env.app) is not None
        return [course_pdf_link()]


def find_pdf(app: Sphinx) -> Path | None:
    """The built course PDF: ``$SCIMLKIT_COURSE_PDF``, else ``_build/pdf/`` next to the
    HTML output, else under the book's own ``_build/``."""
    override = os.environ.get(PDF_VARIABLE)
    candidates = [Path(override)] if override else []
    candidates += [
        Path(app.outdir).parent / "pdf" / NAME,
        Path(app.srcdir) / "_build" / "pdf" / NAME,
    ]
    return next((path for path in candidates if path.is_file()), None)


def _pdf_pages(env) -> dict[str, bool]:
    if not hasattr(env, "scimlkit_pdf_pages"):
        env.scimlkit_pdf_pages = {}
    return env.scimlkit_pdf_pages


def _outdated(app: Sphinx, env, added, changed, removed) -> list[str]:
    present = find_pdf(app) is not None
    return [
        doc
        for doc, had in _pdf_pages(env).items()
        if had != present and doc not in removed
    ]


def _purge(app: Sphinx, env, docname: str) -> None:
    _pdf_pages(env).pop(docname, None)


def _merge(app: Sphinx, env, docnames, other) -> None:
    for docname in docnames:
        if docname in _pdf_pages(other):
            _pdf_pages(env)[docname] = _pdf_pages(other)[docname]


def _resolve(app: Sphinx, doctree: nodes.document, docname: str) -> None:
    for placeholder in list(doctree.findall(course_pdf_link)):
        if app.builder.format != "html":
            placeholder.parent.remove(placeholder)  # the PDF does not link to itself
            continue
        paragraph = nodes.paragraph(classes=["scimlkit-course-pdf"])
        if find_pdf(app) is not None:
            uri = relative_uri(app.builder.get_target_uri(docname), NAME)
            paragraph += nodes.Text("The whole course is also one PDF: ")
            paragraph += nodes.reference(
                "", "download the course as a PDF", refuri=uri, internal=False
            )
            paragraph += nodes.Text(".")
        else:
            paragraph += nodes.Text("The course as one PDF is built by ")
            paragraph += nodes.literal("", "make pdf")
            paragraph += nodes.Text("; this copy of the site was built without it.")
        placeholder.replace_self(paragraph)


#: LaTeX's section-numbering depth as Sphinx's preamble set it, kept for the numbered chapters.
_KEEP_DEPTH = r"\edef\ScimlkitSecnumdepth{\the\value{secnumdepth}}"


def number_chapters_as_the_sidebar(app: Sphinx, doctree: nodes.document, docname: str) -> None:
    """Give each chapter of the LaTeX document the sidebar's number, or none.

    The LaTeX builder joins every page into one doctree, a ``start_of_file`` node per
    page, and LaTeX numbers every ``\\chapter`` in turn, the front matter's included.
    Before each page this puts the counters right: a page the sidebar numbers N
    (``env.toc_secnumbers``) sets the chapter counter to N - 1 and restores the section
    numbering; any other page turns numbering off (``secnumdepth`` -1), so its chapter
    neither shows a number nor advances the counter.
    """
    if app.builder.format != "latex":
        return
    pages = [node for node in doctree.findall(addnodes.start_of_file) if node.get("docname") in app.env.all_docs]
    if not pages:
        return
    doctree.insert(0, nodes.raw("", _KEEP_DEPTH, format="latex"))
    for page in pages:
        number = app.env.toc_secnumbers.get(page["docname"], {}).get("")
        if number and len(number) > 1:
            continue  # a page inside a chapter: its section numbers follow the chapter's
        if number:
            counters = rf"\setcounter{{secnumdepth}}{{\ScimlkitSecnumdepth}}\setcounter{{chapter}}{{{number[0] - 1}}}"
        else:
            counters = r"\setcounter{secnumdepth}{-1}"
        page.insert(0, nodes.raw("", counters + "\n", format="latex"))


def _copy(app: Sphinx, exception: Exception | None) -> None:
    if exception is not None or app.builder.format != "html":
        return
    pdf = find_pdf(app)
    target = Path(app.outdir) / NAME
    if pdf is None:
        target.unlink(missing_ok=True)
        return
    shutil.copy2(pdf, target)


def _latex_files(app: Sphinx, config) -> None:
    # Jupyter Book's LaTeX class loads bbm.sty, which Debian has only in the 500 MB
    # texlive-fonts-extra; a stand-in (blackboard bold from amssymb) goes with the .tex.
    stand_in = str(Path(__file__).with_name("reader_static") / "latex" / "bbm.sty")
    config.latex_additional_files = [*config.latex_additional_files, stand_in]


def setup(app: Sphinx) -> None:
    app.connect("config-inited", _latex_files)
    app.add_node(course_pdf_link)
    app.add_directive("course-pdf", CoursePdfDirective)
    app.connect("env-get-outdated", _outdated)
    app.connect("env-purge-doc", _purge)
    app.connect("env-merge-info", _merge)
    app.connect("doctree-resolved", _resolve)
    app.connect("doctree-resolved", number_chapters_as_the_sidebar)
    app.connect("build-finished", _copy)
