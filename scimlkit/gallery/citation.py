"""How to cite a project: a BibTeX entry on its page, and ``CITATION.cff`` in its folder.

Both are made from ``project.yml`` (title, authors with their ORCID iDs, term, DOI,
licence) and the address of the project's page on the course site. ``scimlkit project new`` writes ``CITATION.cff``,
``scimlkit project citation`` writes it again after an edit, and ``project check``
refuses one that ``project.yml`` no longer matches, so GitHub's "Cite this repository"
and the page always agree.
"""

from __future__ import annotations

import re
from pathlib import Path

import yaml

from .problems import Problem
from .schema import MONTHS, Project

CITATION_FILE = "CITATION.cff"
COURSE = "Scientific Machine Learning in Python"
# The published site (``html.baseurl`` of the course's _config.yml; a test keeps them equal).
# A constant, so that a project's citation does not depend on where its folder sits.
COURSE_URL = "https://sciml-python.github.io/course"


def page_url(folder: Path, project: Project) -> str:
    """Where the course site publishes the project's page."""
    page = "project.html" if project.report_kind == "pdf" else re.sub(r"\.[^.]+$", ".html", project.report)
    return f"{COURSE_URL}/projects/{folder.name}/{page}"


def _bibtex_text(text: str) -> str:
    """Text for a BibTeX field: braces and backslashes, which would end or escape it, are dropped."""
    return re.sub(r"[{}\\]", "", text)


def bibtex(slug: str, project: Project, url: str) -> str:
    """A ``@techreport`` entry for the project, keyed by its slug."""
    year, month = project.term.split("-")
    fields = [
        ("author", " and ".join(_bibtex_text(author.name) for author in project.authors)),
        ("title", "{" + _bibtex_text(project.title) + "}"),
        ("institution", COURSE),
        ("type", "Course project " + ("report" if project.stage == "report" else project.stage)),
        ("year", year),
        ("month", MONTHS[int(month) - 1]),
    ]
    fields += [("doi", project.doi)] if project.doi else []
    fields.append(("url", url))
    fields.append(("note", f"Licence: {project.license}"))
    body = ",\n".join(f"  {name} = {{{value}}}" for name, value in fields)
    return f"@techreport{{{slug},\n{body}\n}}"


def _person(author) -> dict:
    # The name as written: splitting it into given and family names would guess wrong for
    # many cultures (and for a team).
    person = {"name": author.name}
    if author.orcid:
        person["orcid"] = f"https://orcid.org/{author.orcid}"
    return person


class _PlainDumper(yaml.SafeDumper):
    """YAML without anchors and aliases, which a person reading the file would trip on."""

    def ignore_aliases(self, data) -> bool:
        return True


def citation_cff(slug: str, project: Project, url: str) -> str:
    """``CITATION.cff`` (Citation File Format 1.2.0) of the project."""
    year, month = project.term.split("-")
    authors = [_person(author) for author in project.authors]
    reference = {
        "type": "report",
        "title": project.title,
        "authors": authors,
        "institution": {"name": COURSE},
        "year": int(year),
        "month": int(month),
    }
    data = {
        "cff-version": "1.2.0",
        "message": "If you use this project, cite its report as below.",
        "title": project.title,
        "authors": authors,
        "license": project.license,
        "keywords": list(project.keywords),
    }
    for key, value in (("doi", project.doi), ("url", url)):
        if value is not None:
            data[key] = value
            reference[key] = value
    data["preferred-citation"] = reference
    header = f"# Made from project.yml by `scimlkit project citation projects/{slug}`: edit project.yml, not this file.\n"
    return header + yaml.dump(data, Dumper=_PlainDumper, sort_keys=False, allow_unicode=True)


def write_citation(folder: Path, project: Project) -> Path:
    path = folder / CITATION_FILE
    path.write_text(citation_cff(folder.name, project, page_url(folder, project)), encoding="utf-8")
    return path


def citation_file_problems(folder: Path, project: Project) -> list[Problem]:
    """``CITATION.cff`` must be there and match ``project.yml``."""
    path = folder / CITATION_FILE
    command = f"run `scimlkit project citation {folder}`"
    if not path.is_file():
        return [Problem(path, f"is missing: {command} (it makes it from project.yml)")]
    expected = citation_cff(folder.name, project, page_url(folder, project))
    if path.read_text(encoding="utf-8", errors="replace") != expected:
        return [Problem(path, f"no longer matches project.yml: {command}")]
    return []
