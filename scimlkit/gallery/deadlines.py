"""The course's project calendar, in one place: the syllabus and the project guide show
this table (a test compares them), ``scimlkit project new`` dates new projects with
``COURSE_TERM``, and the check holds each stage's PDF to its page range.
"""

from __future__ import annotations

from dataclasses import dataclass

COURSE_TERM = "2026-01"  # the month the current course runs, as project.yml's `term`


@dataclass(frozen=True)
class Part:
    name: str
    stage: str | None  # project.yml `stage` of a submission of this part, if it is a document
    weight: str
    due: str
    pages: tuple[int, int] | None  # inclusive page range of its PDF


PARTS = (
    Part("Proposal", "proposal", "feedback only", "12 January", (1, 3)),
    Part("First write-up", "write-up", "33%", "14 January", (3, 12)),
    Part("Presentation", None, "33%", "last week of the course (27-30 January)", None),
    Part("Report", "report", "34%", "4 February", (8, 20)),
)
STAGES = {part.stage: part for part in PARTS if part.stage}


def table() -> str:
    """The deadline table as Markdown, exactly as the syllabus and the guide print it."""
    rows = ["| Part | Pages | Weight | Due |", "|---|---|---|---|"]
    for part in PARTS:
        pages = f"{part.pages[0]}-{part.pages[1]}" if part.pages else "20-minute talk"
        rows.append(f"| {part.name} | {pages} | {part.weight} | {part.due} |")
    return "\n".join(rows)
