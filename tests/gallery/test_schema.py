"""The project.yml schema: what it accepts, and a precise error for what it does not."""

from __future__ import annotations

from pathlib import Path
from typing import get_args

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from pydantic import ValidationError

from scimlkit.gallery import TOPICS, Author, Project
from scimlkit.gallery.topics import Keyword

VALID = {
    "title": "Augmented neural ODEs",
    "authors": [{"name": "Ada Lovelace", "affiliation": "Analytical Engines", "url": "https://ada.example.org"}],
    "term": "2026-01",
    "abstract": "A study of augmented neural ODEs on maps that plain neural ODEs cannot represent.",
    "keywords": ["neural-odes"],
    "report": "report.md",
    "thumbnail": "figures/thumbnail.png",
}


def errors(**changes) -> dict[tuple, str]:
    data = {**VALID, **changes}
    data = {key: value for key, value in data.items() if value is not ...}
    with pytest.raises(ValidationError) as caught:
        Project.model_validate(data)
    return {tuple(error["loc"]): error["msg"] for error in caught.value.errors()}


def test_a_complete_project_is_valid_and_published_by_default():
    project = Project.model_validate(VALID)
    assert project.publish is True and project.example is False
    assert project.term_label == "January 2026" and project.report_kind == "md"


def test_keyword_type_and_topic_table_agree():
    assert set(get_args(Keyword)) == set(TOPICS)


@pytest.mark.parametrize(
    ("changes", "location", "fragment"),
    [
        ({"title": ...}, ("title",), "required"),
        ({"title": "ab"}, ("title",), "at least 3"),
        ({"title": "x" * 201}, ("title",), "at most 200"),
        ({"title": "two\nlines"}, ("title",), "control characters"),
        ({"title": "bell\x07"}, ("title",), "control characters"),
        ({"title": 42}, ("title",), "valid string"),
        ({"authors": []}, ("authors",), "at least 1"),
        ({"authors": [{"name": "A", "url": "javascript:alert(1)"}]}, ("authors", 0, "url"), "http"),
        ({"authors": [{"name": "A", "url": "data:text/html,<script>"}]}, ("authors", 0, "url"), "http"),
        ({"authors": [{"name": "A", "email": "a@b.c"}]}, ("authors", 0, "email"), "Extra"),
        ({"authors": "Ada"}, ("authors",), "valid list"),
        ({"term": "2026-13"}, ("term",), "YYYY-MM"),
        ({"term": "January 2026"}, ("term",), "YYYY-MM"),
        ({"abstract": "too short"}, ("abstract",), "at least 50"),
        ({"keywords": ["quantum-gravity"]}, ("keywords", 0), "Input should be"),
        ({"keywords": ["gpu", "gpu"]}, ("keywords",), "repeat"),
        ({"keywords": []}, ("keywords",), "at least 1"),
        ({"report": "report.docx"}, ("report",), ".md, .ipynb, .pdf"),
        ({"report": "../other/report.md"}, ("report",), "'..'"),
        ({"report": "/etc/passwd.md"}, ("report",), "relative path"),
        ({"report": "C:report.md"}, ("report",), "relative path"),
        ({"report": "sub\\report.md"}, ("report",), "relative path"),
        ({"report": "a//report.md"}, ("report",), "empty"),
        ({"report": ".hidden/report.md"}, ("report",), "segment"),
        ({"thumbnail": "figures/thumb.svg"}, ("thumbnail",), ".png"),
        ({"slides": "slides.pptx"}, ("slides",), ".pdf"),
        ({"code": "ftp://example.org/code"}, ("code",), "http"),
        ({"code": "javascript:alert(1)"}, ("code",), "http"),
        ({"arxiv": "not-an-id"}, ("arxiv",), "arXiv identifier"),
        ({"publish": "maybe"}, ("publish",), "boolean"),
        ({"unknown_field": 1}, ("unknown_field",), "Extra"),
    ],
)
def test_bad_fields_are_named(changes, location, fragment):
    found = errors(**changes)
    assert location in found, found
    assert fragment in found[location]


@pytest.mark.parametrize("arxiv", ["2001.04385", "1904.01681v3", "math.NA/0601001", "hep-th/9901001v2"])
def test_arxiv_identifiers(arxiv):
    assert Project.model_validate({**VALID, "arxiv": arxiv}).arxiv == arxiv


@settings(max_examples=200, deadline=None)
@given(st.text(min_size=3, max_size=200))
def test_any_single_line_title_is_kept_verbatim_or_refused(title):
    """Hostile but printable titles are data (escaped later), never a crash."""
    try:
        project = Project.model_validate({**VALID, "title": title})
    except ValidationError as error:
        assert all(item["loc"] == ("title",) for item in error.errors())
    else:
        assert project.title == title.strip()


HOSTS = st.from_regex(r"[a-z][a-z0-9-]{0,15}(\.[a-z][a-z0-9-]{0,15}){0,2}\.(org|com|io|edu)", fullmatch=True)
# A segment of dots alone ("." or "..") is removed by URL normalisation (RFC 3986, 5.2.4),
# so it cannot be kept verbatim; test_dot_segments_are_normalised covers it.
SEGMENTS = st.from_regex(r"[A-Za-z0-9_.~-]{1,12}", fullmatch=True).filter(lambda segment: segment.strip(".") != "")
PATHS = st.lists(SEGMENTS, max_size=4).map(lambda parts: "/" + "/".join(parts))


@settings(max_examples=200, deadline=None)
@given(st.sampled_from(["http", "https"]), HOSTS, PATHS)
def test_web_urls_are_accepted_and_kept(scheme, host, path):
    url = f"{scheme}://{host}{path}"
    project = Project.model_validate({**VALID, "code": url})
    assert str(project.code).rstrip("/") == url.rstrip("/")


@pytest.mark.parametrize(
    ("given", "kept"),
    [("http://a.org/.", "http://a.org/"), ("https://a.org/x/../y", "https://a.org/y"), ("https://a.org/x/./y", "https://a.org/x/y")],
)
def test_dot_segments_are_normalised(given, kept):
    assert str(Project.model_validate({**VALID, "code": given}).code) == kept


@settings(max_examples=200, deadline=None)
@given(st.sampled_from(["ftp", "file", "javascript", "data", "mailto", "ssh", "git"]), HOSTS, PATHS)
def test_urls_with_other_schemes_are_refused(scheme, host, path):
    with pytest.raises(ValidationError) as caught:
        Project.model_validate({**VALID, "code": f"{scheme}://{host}{path}"})
    assert all(item["loc"] == ("code",) for item in caught.value.errors())


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=60))
def test_arbitrary_text_is_a_web_url_or_refused(url):
    try:
        project = Project.model_validate({**VALID, "code": url})
    except ValidationError:
        return
    assert str(project.code).startswith(("http://", "https://"))


def test_every_field_is_documented_in_the_project_guide():
    guide = (Path(__file__).resolve().parents[2] / "book" / "project_guide.md").read_text(encoding="utf-8")
    for name in [*Project.model_fields, *Author.model_fields, *TOPICS]:
        assert f"`{name}`" in guide, name
