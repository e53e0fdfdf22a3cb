"""The scaffold's stand-in text, which must not reach the site.

``scimlkit project new`` writes these sentences into a new project so that a student
sees what goes where; ``project check`` refuses a project that still holds any of them,
saying what to write instead. Keeping the text here ties the two together.
"""

from __future__ import annotations

from pathlib import Path

from .bibliography import Bibliography
from .problems import Problem

ABSTRACT = (
    "Replace this paragraph with the abstract of your report: the question, the method "
    "you used, and what you found, in a few sentences."
)
# The first sentence of each section of the scaffold's report.md, as the scaffold writes it.
REPORT_INSTRUCTIONS = (
    "State the question, the method and the main result in one paragraph.",
    "Why the problem matters, and what this report contributes.",
    "The methods and results from the literature your work builds on",
    "The model, the data, the training or estimation procedure",
    "Describe what the figures show.",
    "What worked, what did not, the limitations, and what you would try next.",
)
# Other scaffold text that must not be published, with what to do instead.
LEFTOVERS = {
    "The site lists the works cited above here": "the scaffold's note under References: delete it (the site "
    "lists the works you cite there)",
    "your keywords": "the scaffold's keywords: put your own in \\keywords{...} (the ones of project.yml)",
}
EXAMPLE_NOTE = "Scaffold example entry: replace it with a work your report cites"


def abstract_problems(abstract: str, yml: Path, line: int | None) -> list[Problem]:
    if ABSTRACT[:40] in " ".join(abstract.split()):
        return [
            Problem(yml, "is still the scaffold's placeholder: write the abstract of your report in 3 to 6 "
                    "sentences (the question, the method you used, what you found)", line, "abstract")
        ]
    return []


def report_problems(text: str, report: Path, where: str = "") -> list[Problem]:
    """Scaffold text left in a report's source (``where`` prefixes each message, e.g. a notebook cell)."""
    problems = []
    for number, line in enumerate(text.splitlines(), start=1):
        for instruction in REPORT_INSTRUCTIONS:
            if instruction in line:
                problems.append(
                    Problem(report, f"{where}still holds the scaffold's instruction {instruction[:50]!r}: "
                            "replace it with your own text for that section", number if not where else None)
                )
        for leftover, advice in LEFTOVERS.items():
            if leftover in line:
                problems.append(Problem(report, f"{where}still holds {advice}", number if not where else None))
    return problems


def bibliography_problems(bib: Bibliography) -> list[Problem]:
    return [
        Problem(bib.path, f"the entry {entry.key!r} is the scaffold's example reference: replace it with "
                "a work your report cites (author, title, journal or publisher, year)", entry.line)
        for entry in bib.entries.values()
        if EXAMPLE_NOTE[:30] in entry.fields.get("note", "")
    ]
