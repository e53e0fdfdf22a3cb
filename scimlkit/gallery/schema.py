"""The typed schema of ``project.yml`` (published in the project guide).

Every text field is bounded and single-line where it is shown as a line, links are
http(s) only, and files are plain relative paths; whether those files exist inside the
project folder is checked separately (``files``), since that needs the folder.
"""

from __future__ import annotations

import re
from typing import Annotated, Literal

from pydantic import (
    AfterValidator,
    BaseModel,
    ConfigDict,
    Field,
    HttpUrl,
    StringConstraints,
    UrlConstraints,
)

from .topics import Keyword

MONTHS = (
    "January", "February", "March", "April", "May", "June",
    "July", "August", "September", "October", "November", "December",
)
REPORT_SUFFIXES = (".md", ".ipynb", ".pdf")
IMAGE_SUFFIXES = (".png", ".jpg", ".jpeg")
TERM = re.compile(r"(19|20)\d\d-(0[1-9]|1[0-2])")
_CONTROL = re.compile(r"[\x00-\x1f\x7f]")
_SEGMENT = re.compile(r"^[A-Za-z0-9_][A-Za-z0-9_.-]*$")


def _no_control_characters(text: str) -> str:
    if _CONTROL.search(text):
        raise ValueError("must not contain control characters")
    return text


def _no_control_characters_but_line_breaks(text: str) -> str:
    return _no_control_characters(text.replace("\n", " ").replace("\t", " "))


def _relative_path(text: str) -> str:
    """A path inside the project folder: plain segments joined by '/', no '..'."""
    if text.startswith("/") or "\\" in text or ":" in text:
        raise ValueError("must be a relative path inside the project folder (no '/', '\\' or ':' prefix)")
    for segment in text.split("/"):
        if segment in ("", ".", ".."):
            raise ValueError("must not contain empty, '.' or '..' segments")
        if not _SEGMENT.match(segment):
            raise ValueError(f"the segment {segment!r} may use only letters, digits, '_', '.' and '-'")
    return text


def _distinct(items: list) -> list:
    if len(set(items)) != len(items):
        raise ValueError("must not repeat an entry")
    return items


def _suffix_in(*suffixes: str):
    def check(path: str) -> str:
        if not path.lower().endswith(suffixes):
            raise ValueError(f"must end with one of {', '.join(suffixes)}")
        return path

    return check


def _matches(pattern: str, expected: str):
    compiled = re.compile(pattern)

    def check(text: str) -> str:
        if not compiled.fullmatch(text):
            raise ValueError(f"must be {expected}, not {text[:40]!r}")
        return text

    return check


def one_line(min_length: int = 1, max_length: int = 200):
    """Text shown on one line of a card: bounded, no line breaks, no control characters."""
    return Annotated[
        str,
        StringConstraints(strip_whitespace=True, min_length=min_length, max_length=max_length),
        AfterValidator(_no_control_characters),
    ]

def _orcid(text: str) -> str:
    """An ORCID iD, 0000-0002-1825-0097, whose last character is its ISO 7064 11-2 check digit."""
    if not re.fullmatch(r"\d{4}-\d{4}-\d{4}-\d{3}[\dX]", text):
        raise ValueError(f"must be an ORCID iD such as 0000-0002-1825-0097, not {text[:40]!r}")
    total = 0
    for digit in text.replace("-", "")[:-1]:
        total = (total + int(digit)) * 2
    check = (12 - total % 11) % 11
    if text[-1] != ("X" if check == 10 else str(check)):
        raise ValueError(f"{text!r} is not a valid ORCID iD (its check digit is wrong): copy it from orcid.org")
    return text


# The licences a project may choose (SPDX identifiers): open ones that allow the site to
# show and others to reuse the work. CC-BY-4.0 is the course's default for the report.
LICENSES = ("CC-BY-4.0", "CC-BY-SA-4.0", "CC0-1.0", "MIT", "Apache-2.0", "BSD-3-Clause", "GPL-3.0-or-later")
DEFAULT_LICENSE = "CC-BY-4.0"

WebLink = Annotated[HttpUrl, UrlConstraints(max_length=500, allowed_schemes=["http", "https"])]
RelativePath = Annotated[str, StringConstraints(max_length=200), AfterValidator(_relative_path)]


class Author(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    name: one_line(max_length=100)
    affiliation: one_line() | None = None
    url: WebLink | None = None
    orcid: Annotated[str, AfterValidator(_orcid)] | None = None


class Project(BaseModel):
    """One submission's ``project.yml``."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    title: one_line(min_length=3)
    authors: Annotated[list[Author], Field(min_length=1, max_length=12)]
    term: Annotated[
        str,
        AfterValidator(_matches(TERM.pattern, "the month the course ran as YYYY-MM, e.g. 2026-01")),
    ]
    abstract: Annotated[
        str,
        StringConstraints(strip_whitespace=True, min_length=50, max_length=3000),
        AfterValidator(_no_control_characters_but_line_breaks),
    ]
    keywords: Annotated[list[Keyword], Field(min_length=1, max_length=6), AfterValidator(_distinct)]
    report: Annotated[RelativePath, AfterValidator(_suffix_in(*REPORT_SUFFIXES))]
    thumbnail: Annotated[RelativePath, AfterValidator(_suffix_in(*IMAGE_SUFFIXES))]
    stage: Literal["proposal", "write-up", "report"] = Field(
        default="report", description="which part of the course the submission is; sets its PDF's page range"
    )
    pdf: Annotated[RelativePath, AfterValidator(_suffix_in(".pdf"))] | None = Field(
        default=None, description="the PDF of a MyST or notebook report (scimlkit project pdf makes it)"
    )
    slides: Annotated[RelativePath, AfterValidator(_suffix_in(".pdf"))] | None = None
    video: WebLink | None = Field(default=None, description="URL of a recording of the presentation")
    bibliography: Annotated[RelativePath, AfterValidator(_suffix_in(".bib"))] | None = None
    code: WebLink | None = Field(default=None, description="URL of the code repository, if the code is not in code/")
    arxiv: Annotated[
        str,
        AfterValidator(_matches(r"(\d{4}\.\d{4,5}|[a-z-]+(\.[A-Z]{2})?/\d{7})(v\d+)?", "an arXiv identifier such as 2001.04385")),
    ] | None = None
    doi: Annotated[
        str,
        StringConstraints(max_length=200),
        AfterValidator(_matches(r"10\.\d{4,9}/[^\s\x00-\x1f]+", "a DOI such as 10.5281/zenodo.1234567 (without https://doi.org/)")),
    ] | None = Field(default=None, description="DOI of an archive of the project, e.g. on Zenodo")
    license: Literal[LICENSES] = Field(  # type: ignore[valid-type]
        default=DEFAULT_LICENSE, description="SPDX identifier of the licence of the report and its figures"
    )
    example: bool = Field(default=False, description="true only for the course team's example projects")
    publish: bool = Field(default=True, description="false keeps the project out of the site entirely")

    @property
    def pdf_file(self) -> str | None:
        """The PDF whose pages are counted: the report itself, or its PDF version."""
        return self.report if self.report_kind == "pdf" else self.pdf

    @property
    def report_kind(self) -> str:
        return self.report.rsplit(".", 1)[1].lower()

    @property
    def term_label(self) -> str:
        year, month = self.term.split("-")
        return f"{MONTHS[int(month) - 1]} {year}"
