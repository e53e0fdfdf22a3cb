"""The whole course as one PDF, and the home page's link to it.

``make pdf`` runs ``python -m scimlkit.site.course_pdf``: the build driver with Jupyter
Book's ``pdflatex`` builder (XeLaTeX and latexmk from Debian's TeX packages, see
``_config.yml``'s ``latex`` section; a stand-in for ``bbm.sty`` goes with the ``.tex``),
then a check of the result (page count, every
lecture's title in the text) and a copy to ``_build/pdf/``.

The HTML build copies that PDF to the site's root when it exists, and the
``{course-pdf}`` directive (on the home page) renders a link to it; without a PDF it says
how to make one instead of linking to nothing. When the PDF appears or goes away, the
pages using the directive are rebuilt.
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

from docutils import nodes
from sphinx.application import Sphinx
from sphinx.util import logging
from sphinx.util.docutils import SphinxDirective
from sphinx.util.osutil import relative_uri

logger = logging.getLogger(__name__)

NAME = "sciml-in-python.pdf"
PDF_VARIABLE = "SCIMLKIT_COURSE_PDF"


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
    app.connect("build-finished", _copy)


# ---------------------------------------------------------------- make pdf


def pdf_facts(pdf: Path) -> tuple[int, str]:
    """Page count and text of a PDF, read with poppler's pdfinfo and pdftotext."""
    info = subprocess.run(
        ["pdfinfo", str(pdf)], capture_output=True, text=True, check=True
    ).stdout
    pages = next(
        int(line.split()[-1]) for line in info.splitlines() if line.startswith("Pages:")
    )
    text = subprocess.run(
        ["pdftotext", "-layout", str(pdf), "-"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    return pages, text


def lecture_titles(root: Path) -> list[str]:
    from .build import toc_files

    titles = []
    for path in toc_files(root):
        if path.parent.name != "lectures":
            continue
        for line in path.read_text(encoding="utf-8").splitlines():
            if line.startswith("# "):
                titles.append(line[2:].strip())
                break
    return titles


def check_pdf(pdf: Path, root: Path, min_pages: int = 10) -> list[str]:
    """What is wrong with the course PDF (an empty list when nothing is)."""
    problems = []
    pages, text = pdf_facts(pdf)
    flat = " ".join(text.split())
    if pages < min_pages:
        problems.append(f"{pdf} has {pages} page(s), fewer than {min_pages}")
    for title in lecture_titles(root):
        if " ".join(title.split()) not in flat:
            problems.append(f"{pdf} lacks the lecture {title!r}")
    if "References" not in flat and "Bibliography" not in flat:
        problems.append(f"{pdf} has no references")
    return problems


def main(argv: list[str] | None = None) -> int:
    from . import build

    parser = argparse.ArgumentParser(
        prog="python -m scimlkit.site.course_pdf",
        description="Build and check the course PDF.",
    )
    parser.add_argument(
        "--root", type=Path, default=Path.cwd(), help="the book's root folder"
    )
    parser.add_argument(
        "--path-output",
        type=Path,
        help="write _build/ under this folder instead of the root",
    )
    args = parser.parse_args(argv)
    root = args.root.resolve()
    output = (args.path_output or root).resolve()
    started = time.perf_counter()
    forwarded = ["--root", str(root), "--builder", "pdflatex"]
    if args.path_output:
        forwarded += ["--path-output", str(output)]
    code = build.main(forwarded)
    if code != 0:
        return code
    produced = sorted((output / "_build" / "latex").glob("*.pdf"))
    if not produced:
        print("error: the LaTeX build produced no PDF", file=sys.stderr)
        return 1
    target = output / "_build" / "pdf" / NAME
    target.parent.mkdir(parents=True, exist_ok=True)
    shutil.copy2(produced[0], target)
    problems = check_pdf(target, root)
    for problem in problems:
        print(f"error: {problem}", file=sys.stderr)
    pages, _ = pdf_facts(target)
    size = target.stat().st_size / 1e6
    print(
        f"[pdf] {target}: {pages} pages, {size:.1f} MB, in {time.perf_counter() - started:.0f} s"
    )
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
