"""How to cite a project: BibTeX and CITATION.cff made from project.yml, kept in step by the check."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml
from pydantic import ValidationError

from scimlkit.gallery.citation import CITATION_FILE, COURSE_URL, bibtex, citation_cff, page_url
from scimlkit.gallery.schema import Project

from .conftest import problems_of, restamp, set_field
from .test_schema import VALID

REPO = Path(__file__).resolve().parents[2]


def test_the_course_address_is_the_sites():
    config = yaml.safe_load((REPO / "_config.yml").read_text(encoding="utf-8"))
    assert config["html"]["baseurl"].rstrip("/") == COURSE_URL


def test_bibtex_and_cff_carry_title_authors_orcid_term_doi_licence_and_address(tmp_path: Path):
    project = Project.model_validate({
        **VALID, "title": "Stiff {solvers} \\in practice", "term": "2026-01", "doi": "10.5281/zenodo.1234567",
        "license": "CC0-1.0", "authors": [{"name": "Ada Lovelace", "orcid": "0000-0002-1825-0097"}, {"name": "Team X"}],
    })
    url = page_url(tmp_path / "stiff-solvers", project)
    assert url == f"{COURSE_URL}/projects/stiff-solvers/report.html"
    entry = bibtex("stiff-solvers", project, url)
    assert entry.startswith("@techreport{stiff-solvers,\n")
    for line in ("author = {Ada Lovelace and Team X}", "title = {{Stiff solvers in practice}}", "year = {2026}",
                 "month = {January}", "doi = {10.5281/zenodo.1234567}", f"url = {{{url}}}", "note = {Licence: CC0-1.0}"):
        assert f"  {line}" in entry, line  # braces and backslashes from the title cannot break the entry
    cff = yaml.safe_load(citation_cff("stiff-solvers", project, url))
    assert cff["cff-version"] == "1.2.0" and cff["license"] == "CC0-1.0" and cff["doi"] == "10.5281/zenodo.1234567"
    assert cff["authors"] == [{"name": "Ada Lovelace", "orcid": "https://orcid.org/0000-0002-1825-0097"}, {"name": "Team X"}]
    reference = cff["preferred-citation"]
    assert (reference["type"], reference["year"], reference["month"], reference["url"]) == ("report", 2026, 1, url)
    assert "&id" not in citation_cff("stiff-solvers", project, url)  # no YAML anchors for a reader to trip on


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("authors", [{"name": "A", "orcid": "0000-0002-1825-0098"}], "check digit is wrong"),
        ("authors", [{"name": "A", "orcid": "https://orcid.org/0000-0002-1825-0097"}], "must be an ORCID iD"),
        ("doi", "https://doi.org/10.5281/zenodo.1", "must be a DOI"),
        ("license", "WTFPL", "Input should be 'CC-BY-4.0'"),
    ],
)
def test_bad_orcid_doi_and_licence_are_refused(field, value, message):
    with pytest.raises(ValidationError, match=message):
        Project.model_validate({**VALID, field: value})


def test_a_missing_or_stale_citation_file_is_refused_naming_the_command(project: Path):
    set_field(project, "title", '"A new title for the project"')
    expected = f"{CITATION_FILE}: no longer matches project.yml: run `scimlkit project citation {project}`"
    assert any(problem.endswith(expected) for problem in problems_of(project)), problems_of(project)
    restamp(project)
    assert problems_of(project) == []
    (project / CITATION_FILE).unlink()
    assert any(f"{CITATION_FILE}: is missing: run `scimlkit project citation" in p for p in problems_of(project))
