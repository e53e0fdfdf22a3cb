"""A project's PDF must be made from its current source.

``scimlkit project pdf`` writes a digest of what the PDF is made from (the report's
source, ``report.md``, ``report.ipynb`` or ``report.tex``, and its bibliography) into
the PDF's document information. ``scimlkit project check`` computes the digest again
and refuses a PDF that carries none (made some other way) or another one (the report
changed after its PDF was made), naming the command that makes it anew. A PDF report
with no source in the folder has nothing to compare with and is taken as it is.
"""

from __future__ import annotations

import hashlib
from pathlib import Path

from .problems import Problem
from .schema import Project

INFO_KEY = "/ScimlkitSourceDigest"


def report_source(folder: Path, project: Project) -> Path | None:
    """The file the PDF is typeset from, if the folder has it."""
    source = folder / project.report if project.report_kind != "pdf" else (folder / project.report).with_suffix(".tex")
    return source if source.is_file() else None


def source_digest(folder: Path, project: Project) -> str | None:
    """``sha256:...`` of the report's source and bibliography, or None without a source."""
    source = report_source(folder, project)
    if source is None:
        return None
    digest = hashlib.sha256()
    bibliography = folder / project.bibliography if project.bibliography else None
    for path in (source, bibliography):
        if path is not None and path.is_file():
            digest.update(path.name.encode() + b"\0" + path.read_bytes() + b"\0")
    return f"sha256:{digest.hexdigest()}"


def stamp(pdf: Path, digest: str) -> None:
    """Write ``digest`` into the document information of ``pdf``."""
    from pypdf import PdfReader, PdfWriter

    writer = PdfWriter(clone_from=PdfReader(pdf))
    writer.add_metadata({INFO_KEY: digest})
    with pdf.open("wb") as stream:
        writer.write(stream)


def stamped_digest(pdf: Path) -> str | None:
    from pypdf import PdfReader
    from pypdf.errors import PyPdfError

    try:
        info = PdfReader(pdf).metadata or {}
    except (PyPdfError, OSError, ValueError, KeyError, TypeError, RecursionError):
        return None
    value = info.get(INFO_KEY)
    return str(value) if value is not None else None


def stale_pdf_problems(folder: Path, project: Project, pdf: Path, yml: Path, field: str, line: int | None) -> list[Problem]:
    """A problem when ``pdf`` was not made by ``scimlkit project pdf`` from the current source."""
    expected = source_digest(folder, project)
    if expected is None:
        return []
    found = stamped_digest(pdf)
    if found == expected:
        return []
    source = report_source(folder, project)
    why = ("was not made by `scimlkit project pdf`" if found is None
           else f"was made from an earlier version of {source.name} or its bibliography")
    return [Problem(yml, f"{pdf.name} {why}: run `scimlkit project pdf {folder}` and commit the new PDF", line, field)]
