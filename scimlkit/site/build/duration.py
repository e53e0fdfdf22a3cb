"""How long a lecture takes a student: reading, running its code and its exercises.

Computed from the page as this build made it, never typed: :func:`measure` counts the
built doctree, :func:`duration_text` turns the counts and the run time this build
recorded for the notebook into the line under the lecture's title.

What is counted
- **prose**: the words a reader sees outside code cells and exercises: titles, paragraphs,
  lists, admonitions, captions, tables. A word is a whitespace-separated token with a
  letter or digit in it, so punctuation alone is none. Directive options (``:label:``,
  ``:class:``) never reach the doctree; a glued value counts as the words it renders as
  (a number is one word); inline maths counts as one word.
- **lines**: the non-blank lines of code cells' sources, of other code blocks and of
  displayed equations, which are read symbol by symbol like code. Cell outputs are not
  counted: they are looked at while the code runs.
- **exercises**: each ``exercise`` directive; its statement and its solution (prose and
  code) are counted apart from the lecture and added to the exercise time.
- **optional sections**: a section whose title begins with :data:`OPTIONAL_PREFIX`
  ("Optional:", which the reader sees in the heading and the sidebar) is counted apart,
  with everything in it: its subsections, code, displayed maths and exercises. A student
  can skip it and still follow every later lecture (the lecture's author checks that; no
  later lecture may rely on it without linking to it). The line gives the core time and
  says how much the optional sections add.
- **the project**: the section titled :data:`PROJECT_TITLE` that ends every lecture holds
  an open-ended exercise, a possible final project, which takes as long as a student
  gives it. It is counted in neither figure; the line says it is left out.

The rates are conventions, not measurements of this course's readers:
- :data:`WORDS_PER_MINUTE` = 120, half the 238 words a minute Brysbaert's meta-analysis of
  190 studies found for adults reading English non-fiction silently (most adults between
  175 and 300; M. Brysbaert, "How many words do we read per minute?", Journal of Memory
  and Language 109, 104047, 2019). Those studies measured ordinary prose; text full of
  equations and references to code, read to be learnt, goes slower, and by how much no
  study we know measures.
- :data:`LINES_PER_MINUTE` = 5 (300 lines an hour): within the rates given for careful
  code review, from about 125 lines an hour for system code to 500 for application code
  (Humphrey 1989, as quoted in S. McConnell, *Code Complete*), and under the 500 lines
  an hour above which the Cisco review study (J. Cohen, *Best Kept Secrets of Peer Code
  Review*, SmartBear 2006) found reviewers missing defects.
- :data:`MINUTES_PER_EXERCISE` = 10 to try an exercise before opening its solution, on
  top of reading the statement and the solution at the rates above: our assumption.
- Running: the seconds the whole notebook, solutions included, took to execute when this
  build computed (or cached) its outputs, as the provenance line shows; a student's
  machine may be slower or faster. The execution records no time per cell, so the whole
  run time, optional sections' code included, is counted in the core time: the core
  estimate errs on the long side.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from docutils import nodes
from sphinx_exercise.nodes import exercise_enumerable_node, exercise_node, solution_node

WORDS_PER_MINUTE = 120
LINES_PER_MINUTE = 5
MINUTES_PER_EXERCISE = 10
#: The total is given to the nearest this many minutes ("about"); the parts to the minute.
TOTAL_ROUNDED_TO = 5
#: A section whose title starts with this is optional: counted apart from the core.
OPTIONAL_PREFIX = "Optional:"
#: The section that holds a lecture's open-ended project exercise: not timed.
PROJECT_TITLE = "Optional: a project"

_EXERCISES = (exercise_node, exercise_enumerable_node)
_SKIPPED = (nodes.Invisible, nodes.system_message)  # comments, targets, substitution definitions
_LINE_BLOCKS = (nodes.literal_block, nodes.doctest_block, nodes.math_block)


@dataclass
class Reading:
    """Prose words and lines of code or displayed maths, and the minutes they take to read."""

    words: int = 0
    lines: int = 0

    def minutes(self) -> float:
        return self.words / WORDS_PER_MINUTE + self.lines / LINES_PER_MINUTE


@dataclass
class PageLength:
    """A page's counts: the lecture's text, and its exercises with their solutions;
    ``optional``: the same counts for its optional sections, when it has any, with
    ``sections`` saying how many there are."""

    text: Reading
    exercises: int
    exercise_text: Reading
    optional: PageLength | None = None
    sections: int = 0
    projects: int = 0


@dataclass(frozen=True)
class Estimate:
    """Whole minutes: each part rounded up."""

    reading: int
    running: int
    exercises: int

    @property
    def total(self) -> int:
        return self.reading + self.running + self.exercises


def count_words(text: str) -> int:
    return sum(1 for token in text.split() if any(character.isalnum() for character in token))


def _inline_text(node: nodes.Node) -> str:
    """A paragraph's (or title's) text as read, an inline formula standing for one word."""
    if isinstance(node, nodes.Text):
        return str(node)
    if isinstance(node, _SKIPPED):
        return ""
    if isinstance(node, nodes.math):
        return " formula "
    return "".join(_inline_text(child) for child in node.children)


def _non_blank_lines(text: str) -> int:
    return sum(1 for line in text.splitlines() if line.strip())


def is_optional_section(node: nodes.Node) -> bool:
    """A section whose title begins with :data:`OPTIONAL_PREFIX`."""
    if not isinstance(node, nodes.section) or not node.children or not isinstance(node[0], nodes.title):
        return False
    return _inline_text(node[0]).lstrip().startswith(OPTIONAL_PREFIX)


def is_project_section(node: nodes.Node) -> bool:
    """A section titled :data:`PROJECT_TITLE`."""
    return is_optional_section(node) and _inline_text(node[0]).strip() == PROJECT_TITLE


def measure(doctree: nodes.Node) -> PageLength:
    """Count a built page: its prose and lines, its exercises apart, and its optional
    sections apart from both (in ``optional``, which stays ``None`` without them)."""
    core = PageLength(Reading(), 0, Reading())

    def walk(node: nodes.Node, part: PageLength, tally: Reading) -> None:
        if isinstance(node, _SKIPPED):
            return
        if isinstance(node, nodes.Element) and node.get("nb_element") == "cell_code_output":
            return
        if part is core and is_project_section(node):
            core.projects += 1
            return
        if part is core and is_optional_section(node):
            if core.optional is None:
                core.optional = PageLength(Reading(), 0, Reading())
            core.optional.sections += 1
            part = core.optional
            tally = part.text
        if isinstance(node, _EXERCISES):
            part.exercises += 1
            tally = part.exercise_text
        elif isinstance(node, solution_node):
            tally = part.exercise_text
        if isinstance(node, _LINE_BLOCKS):
            tally.lines += _non_blank_lines(node.astext())
        elif isinstance(node, (nodes.TextElement, nodes.Text)):
            tally.words += count_words(_inline_text(node))
        else:
            for child in node.children:
                walk(child, part, tally)

    walk(doctree, core, core.text)
    return core


def estimate(length: PageLength, run_seconds: float) -> Estimate:
    """The core's minutes (the whole run time included); for the optional sections call it
    on ``length.optional`` with ``run_seconds=0``."""
    return Estimate(
        reading=math.ceil(length.text.minutes()),
        running=math.ceil(run_seconds / 60),
        exercises=length.exercises * MINUTES_PER_EXERCISE + math.ceil(length.exercise_text.minutes()),
    )


def format_minutes(minutes: int) -> str:
    """``80`` -> ``"1 h 20 min"``, ``45`` -> ``"45 min"``, ``120`` -> ``"2 h"``."""
    hours, rest = divmod(minutes, 60)
    if not hours:
        return f"{rest} min"
    return f"{hours} h {rest} min" if rest else f"{hours} h"


def about(minutes: int) -> int:
    """The total as stated: to the nearest :data:`TOTAL_ROUNDED_TO` minutes, never zero."""
    return max(TOTAL_ROUNDED_TO, TOTAL_ROUNDED_TO * math.floor(minutes / TOTAL_ROUNDED_TO + 0.5))


def _exercises(count: int) -> str:
    return f"{count} exercise" if count == 1 else f"{count} exercises"


def duration_text(length: PageLength, run_seconds: float) -> str:
    """The line under a lecture's title: the core time, then what the optional sections add."""
    parts = estimate(length, run_seconds)
    several = length.optional is not None and length.optional.sections > 1
    sections = "optional sections" if several else "optional section"
    summary = (
        f"About {format_minutes(about(parts.total))}: {format_minutes(parts.reading)} reading, "
        f"{format_minutes(parts.running)} running the code"
    )
    if length.optional is not None:
        summary += f" (all of it, the {sections}' too)" if several else f" (all of it, the {sections}'s too)"
    if length.exercises:
        summary += f", {format_minutes(parts.exercises)} for {_exercises(length.exercises)}"
    summary += "."
    optional_counts = ""
    if length.optional is not None:
        optional = estimate(length.optional, run_seconds=0)
        extra = f"{format_minutes(optional.reading)} reading"
        if length.optional.exercises:
            extra += f", {format_minutes(optional.exercises)} for {_exercises(length.optional.exercises)}"
        verb = "add" if several else "adds"
        summary += f" The {sections} {verb} about {format_minutes(about(optional.total))} ({extra})."
        optional_counts = (
            f" outside its {sections} ({length.optional.text.words:,} words and "
            f"{length.optional.text.lines:,} lines in {'them' if several else 'it'})"
        )
    if length.projects:
        summary += " The open-ended project at the end is not counted: it takes as long as you give it."
    return (
        f"{summary} Estimated by this build from the page's {length.text.words:,} words "
        f"({WORDS_PER_MINUTE} a minute) and {length.text.lines:,} lines of code and "
        f"displayed maths ({LINES_PER_MINUTE} a minute){optional_counts}, the {run_seconds:.0f} s "
        f"its code took to run, and {MINUTES_PER_EXERCISE} minutes to try each exercise before "
        f"reading its solution."
    )
