"""The course's project calendar, in one place: the syllabus and the project guide show
this table and the syllabus its timeline (a test compares them), ``scimlkit project new``
dates new projects with ``COURSE_TERM``, and the check holds each stage's PDF to its
page range.
"""

from __future__ import annotations

from dataclasses import dataclass

COURSE_TERM = "2026-01"  # the month the current course runs, as project.yml's `term`


COURSE_YEAR = COURSE_TERM[:4]


@dataclass(frozen=True)
class Part:
    name: str
    stage: str | None  # project.yml `stage` of a submission of this part, if it is a document
    weight: str
    due: str
    pages: tuple[int, int] | None  # inclusive page range of its PDF
    self_paced: str  # when a reader working alone gets to it
    read_first: str  # the lectures to have read, linked ({doc} from a page in book/)
    submit: str  # what the pull request carries


PARTS = (
    Part("Proposal", "proposal", "feedback only", f"12 January {COURSE_YEAR}", (1, 3), "end of week 1",
         "{doc}`lectures 1 to 5 <../lectures/05_neural_and_universal_odes>` (what SciML is, Runge-Kutta methods, "
         "JAX, automatic differentiation, neural and universal ODEs)",
         "a pull request adding `projects/<slug>/` with `stage: proposal`"),
    Part("First write-up", "write-up", "33%", f"14 January {COURSE_YEAR}", (3, 12), "end of week 2",
         "{doc}`lectures 1 to 10 <../lectures/10_deep_bsde>` (adds finite differences, PDEs, stiffness, SDEs and "
         "deep BSDEs)",
         "the same folder, updated, with `stage: write-up`"),
    Part("Presentation", None, "33%", f"last week of the course (27-30 January {COURSE_YEAR})", None, "end of week 4",
         "the lectures your project draws on",
         "`slides` (a PDF) and, online, `video` (a link to a recording)"),
    Part("Report", "report", "34%", f"4 February {COURSE_YEAR}", (8, 20), "end of week 5",
         "the whole course",
         "the same folder with `stage: report`, the PDF and `code/uv.lock`"),
)
STAGES = {part.stage: part for part in PARTS if part.stage}


def table() -> str:
    """The deadline table as Markdown, exactly as the syllabus and the guide print it."""
    rows = ["| Part | Pages | Weight | Due |", "|---|---|---|---|"]
    for part in PARTS:
        pages = f"{part.pages[0]}-{part.pages[1]}" if part.pages else "20-minute talk"
        rows.append(f"| {part.name} | {pages} | {part.weight} | {part.due} |")
    return "\n".join(rows)


def timeline() -> str:
    """The project's timeline as Markdown, for a term and for a reader working alone."""
    rows = ["| Part | In the term | Working alone | Read first | Submit |", "|---|---|---|---|---|"]
    for part in PARTS:
        rows.append(f"| {part.name} | {part.due} | {part.self_paced} | {part.read_first} | {part.submit} |")
    return "\n".join(rows)
