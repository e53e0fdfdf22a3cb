"""Every lecture can be finished in a sitting (issue 26): its core estimate, as the built
page's duration line states it (:mod:`scimlkit.site.build.duration`), is at most about two
hours, that is at most 2 h 05 min.

What this measures: the build's estimate from the page's words and lines at fixed rates,
the run time this build recorded for the notebook (all of it, optional sections' code
included) and ten minutes per exercise; sections titled "Optional: ..." are counted apart
and do not count against the line.

Two tests hold it. The first reads the pages of the real book (the ``built_book`` fixture,
so a ``site`` test): the line as a student sees it. The second, cheaper (a ``slow`` test,
no execution), applies the same rule to the source parsed by Sphinx without executing it,
with the run time of each lecture recorded by ``benchmarks/build_time.py`` (its cold,
one-worker column) taken three times over, as a slower or shared build may run it.
Unexecuted, a glued value renders as nothing; it counts each glue role as one word, in
the core, which a glued phrase of several words exceeds by a few words: two minutes of
margin cover that.
"""

from __future__ import annotations

import io
import json
import re
from pathlib import Path

import pytest
from bs4 import BeautifulSoup

from scimlkit.site.build.book import toc_files
from scimlkit.site.build.duration import about, estimate, measure

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


BUILD_TIMES = REPO / "benchmarks" / "results" / "build_time.json"
_GLUE_ROLE = re.compile(r"\{glue(?::text)?\}`")
_CONF = """\
extensions = ["myst_nb", "sphinx_exercise"]
nb_execution_mode = "off"
myst_enable_extensions = ["amsmath", "colon_fence", "deflist", "dollarmath", "substitution"]
suppress_warnings = ["*"]
"""


def recorded_run_seconds() -> dict[str, float]:
    """Each lecture's execution time in the report's cold build with one worker."""
    report = json.loads(BUILD_TIMES.read_text(encoding="utf-8"))
    table = next(table for table in report["tables"] if table["caption"].startswith("Execution time per lecture"))
    return {Path(row[0]).stem: float(row[1]) for row in table["rows"]}


def unexecuted_length(source: Path, folder: Path):
    """The page's counts, parsed by Sphinx with myst-nb and sphinx-exercise, nothing executed."""
    from sphinx.application import Sphinx
    from sphinx.util.docutils import docutils_namespace

    root = folder / "source"
    root.mkdir()
    (root / "conf.py").write_text(_CONF)
    (root / "page.md").write_text(source.read_text(encoding="utf-8"), encoding="utf-8")
    (root / "index.md").write_text("# Index\n\n```{toctree}\npage\n```\n")
    with docutils_namespace():
        app = Sphinx(str(root), str(root), str(folder / "out"), str(folder / "doctrees"), "dummy",
                     status=None, warning=io.StringIO(), freshenv=True)
        app.build()
        return measure(app.env.get_doctree("page"))


#: The CI build, two lectures at a time on a shared runner, ran lecture 12 in 305 s where
#: one idle worker here had taken 108 s (2.8x). The source test counts the recorded time at
#: this multiple, so that a line near the limit fails here first; a build slower still
#: fails the site test above, which reads the time that build took.
SLOWER_BUILD = 3
#: Glued phrases count as one word each here and as all their words on the page: the
#: built pages came out 0-2 minutes above this count, so the source test keeps that margin.
GLUE_MARGIN_MINUTES = 2


@pytest.mark.slow
@pytest.mark.parametrize("lecture", LECTURES, ids=lambda path: path.stem)
def test_each_lecture_core_estimate_from_its_source_and_recorded_run_time(lecture, tmp_path):
    run_seconds = recorded_run_seconds()
    assert lecture.stem in run_seconds, f"{BUILD_TIMES.name} has no run time for {lecture.name}: remeasure it"
    length = unexecuted_length(lecture, tmp_path)
    length.text.words += len(_GLUE_ROLE.findall(lecture.read_text(encoding="utf-8")))
    parts = estimate(length, SLOWER_BUILD * run_seconds[lecture.stem])
    assert about(parts.total + GLUE_MARGIN_MINUTES) <= LIMIT_MINUTES, (
        f"{lecture.name}: about {about(parts.total + GLUE_MARGIN_MINUTES)} min outside its optional sections, "
        f"counting {GLUE_MARGIN_MINUTES} min for glued phrases and a build {SLOWER_BUILD}x slower than the "
        f"recorded one ({parts.reading} reading, {parts.running} running, {parts.exercises} for "
        f"{length.exercises} exercises)"
    )
