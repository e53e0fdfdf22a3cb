"""Every lecture ends the same way (CONTRIBUTING.md, steps 8 and 11): a summary, at least
two exercises in the core, and last an open-ended project exercise under the heading the
duration line leaves out (:data:`scimlkit.site.build.duration.PROJECT_TITLE`).

Read from the source: headings and exercise labels outside code cells and code blocks.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from scimlkit.site.build.book import toc_files
from scimlkit.site.build.duration import PROJECT_TITLE

from .book import REPO

LECTURES = [path for path in toc_files(REPO) if path.parent.name == "lectures"]


def outline(source: str) -> list[tuple[str, str]]:
    """``("heading", "## Title")`` and ``("exercise", label)`` in page order, code skipped."""
    items, fence = [], None
    lines = source.splitlines()
    for number, line in enumerate(lines):
        stripped = line.strip()
        opening = re.match(r"^(`{3,}|~{3,})", stripped)
        if fence is None and opening:
            fence = opening.group(1)
            if stripped.startswith(f"{fence}{{exercise}}") and number + 1 < len(lines):
                label = re.match(r"^:label:\s*(\S+)", lines[number + 1].strip())
                items.append(("exercise", label.group(1) if label else ""))
            continue
        if fence is not None:
            if stripped == fence:
                fence = None
            continue
        if re.match(r"^#{1,3} ", line):
            items.append(("heading", line.rstrip()))
    return items


def test_outline_reads_headings_and_exercises_outside_code():
    source = (
        "# T\n\n```{code-cell} ipython3\n## not a heading\n```\n\n## Exercises\n\n"
        "```{exercise}\n:label: ex-a\nQ.\n```\n\n### Optional: a project\n\n````md\n## shown, not a heading\n````\n"
    )
    assert outline(source) == [
        ("heading", "# T"), ("heading", "## Exercises"), ("exercise", "ex-a"), ("heading", "### Optional: a project"),
    ]


@pytest.mark.parametrize("lecture", LECTURES, ids=lambda path: path.stem)
def test_each_lecture_ends_with_summary_exercises_and_one_project(lecture: Path):
    items = outline(lecture.read_text(encoding="utf-8"))
    headings = [text for kind, text in items if kind == "heading"]
    assert "## Summary" in headings and "## Exercises" in headings, f"{lecture.name}: {headings[-3:]}"
    assert headings.index("## Summary") < headings.index("## Exercises"), lecture.name
    assert headings[-1] == f"### {PROJECT_TITLE}", f"{lecture.name} ends with {headings[-1]!r}"
    assert headings.count(f"### {PROJECT_TITLE}") == 1, lecture.name
    after_project = items[items.index(("heading", f"### {PROJECT_TITLE}")) + 1 :]
    projects = [label for kind, label in after_project if kind == "exercise"]
    assert len(projects) == 1 and projects[0].endswith("-project"), f"{lecture.name}: {projects}"
    exercises_start = items.index(("heading", "## Exercises"))
    core = []
    for kind, text in items[exercises_start + 1 :]:
        if kind == "heading":
            break
        core.append(text)
    assert len(core) >= 2, f"{lecture.name} has {len(core)} core exercise(s) before its first subsection"
    elsewhere = [label for kind, label in items if kind == "exercise" and label.endswith("-project")]
    assert elsewhere == projects, f"{lecture.name}: project exercises outside the project section: {elsewhere}"
