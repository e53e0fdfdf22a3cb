"""Every lecture can be finished in a sitting (issue 26): its core estimate, as the built
page's duration line states it (:mod:`scimlkit.site.build.duration`), is at most about two
hours, that is at most 2 h 05 min.

What this measures: the build's estimate from the page's words and lines at fixed rates,
the run time this build recorded for the notebook (all of it, optional sections' code
included) and ten minutes per exercise; sections titled "Optional: ..." are counted apart
and do not count against the line. It reads the pages of the real book (the ``built_book``
fixture, so a ``site`` test), not a typed number.
"""

from __future__ import annotations

import re

import pytest
from bs4 import BeautifulSoup

from scimlkit.site.build.book import toc_files

from .book import REPO, Build

LECTURES = [path for path in toc_files(REPO) if path.parent.name == "lectures"]
#: "About two hours", as the duration line rounds its total to five minutes.
LIMIT_MINUTES = 125


def stated_minutes(text: str) -> int:
    """``"1 h 55 min"`` -> 115, ``"2 h"`` -> 120, ``"45 min"`` -> 45."""
    match = re.fullmatch(r"(?:(\d+) h)? ?(?:(\d+) min)?", text.strip())
    assert match and any(match.groups()), text
    return 60 * int(match.group(1) or 0) + int(match.group(2) or 0)


def test_stated_minutes_reads_the_line_as_written():
    assert [stated_minutes(text) for text in ("1 h 55 min", "2 h", "45 min", "2 h 5 min")] == [115, 120, 45, 125]


@pytest.mark.parametrize("lecture", LECTURES, ids=lambda path: path.stem)
def test_each_lecture_takes_at_most_about_two_hours_outside_its_optional_sections(built_book: Build, lecture):
    page = BeautifulSoup(built_book.page(f"lectures/{lecture.stem}").read_text(encoding="utf-8"), "html.parser")
    line = page.select_one(".scimlkit-duration")
    assert line, f"{lecture.name} has no duration line"
    text = line.get_text(" ", strip=True)
    core = re.match(r"About ([\dh min]+):", text)
    assert core, text
    assert stated_minutes(core.group(1)) <= LIMIT_MINUTES, f"{lecture.name}: {text}"
