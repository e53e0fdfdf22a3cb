"""The duration line's rule: what counts as prose, code and exercises on a page Sphinx built.

The pages are parsed by the extensions the book uses (myst-nb, sphinx-exercise) without
executing anything, so the doctrees have the structure the real build measures: code
cells, their outputs, glued values, gated solutions.
"""

from __future__ import annotations

import io

import nbformat
import pytest
from sphinx.application import Sphinx
from sphinx.util.docutils import docutils_namespace

from scimlkit.site.build.duration import (
    LINES_PER_MINUTE,
    MINUTES_PER_EXERCISE,
    OPTIONAL_PREFIX,
    WORDS_PER_MINUTE,
    PageLength,
    Reading,
    about,
    count_words,
    duration_text,
    estimate,
    format_minutes,
    measure,
)

CONF = """\
extensions = ["myst_nb", "sphinx_exercise"]
nb_execution_mode = "off"
myst_enable_extensions = ["dollarmath", "amsmath", "colon_fence"]
"""
# Three lines of code (one with a comment in words) and a printed output: neither is prose.
CODE = (
    'ratio = compute_the_ratio(alpha, beta)  # the ratio of the two rates\nprint(ratio)\nglue("ratio", ratio)'
)
OUTPUT = nbformat.v4.new_output("stream", name="stdout", text="these words are printed by the code cell\n")
GLUED = nbformat.v4.new_output(
    "display_data",
    data={"application/papermill.record/text/plain": "0.53"},
    metadata={"scrapbook": {"name": "ratio", "mime_prefix": "application/papermill.record/"}},
)


def code(source: str = CODE, outputs=(OUTPUT, GLUED)):
    return nbformat.v4.new_code_cell(source, outputs=list(outputs), execution_count=1)


def markdown(text: str):
    return nbformat.v4.new_markdown_cell(text)


def built_page(tmp_path, *cells) -> PageLength:
    """Parse a notebook of ``cells`` with Sphinx and measure its doctree."""
    source = tmp_path / "source"
    source.mkdir()
    (source / "conf.py").write_text(CONF)
    notebook = nbformat.v4.new_notebook(
        cells=list(cells),
        metadata={"kernelspec": {"name": "python3", "display_name": "Python 3", "language": "python"}},
    )
    nbformat.write(notebook, source / "page.ipynb")
    (source / "index.md").write_text("# Index\n\n```{toctree}\npage\n```\n")
    warnings = io.StringIO()
    with docutils_namespace():  # each test registers the extensions afresh
        app = Sphinx(
            str(source),
            str(source),
            str(tmp_path / "out"),
            str(tmp_path / "doctrees"),
            "dummy",
            status=None,
            warning=warnings,
            freshenv=True,
        )
        app.build()
        assert warnings.getvalue() == "", warnings.getvalue()
        return measure(app.env.get_doctree("page"))


def test_prose_counts_words_and_code_counts_lines_outputs_nothing(tmp_path):
    page = built_page(
        tmp_path,
        markdown("# Two words\n\nThis paragraph has exactly seven words, counted."),
        code(),
    )
    assert page.text == Reading(words=2 + 7, lines=3)
    assert page.exercises == 0 and page.exercise_text == Reading()


def test_a_glued_value_inline_maths_and_markup_render_as_words(tmp_path):
    page = built_page(
        tmp_path,
        code(),
        markdown(
            "# T\n\nThe ratio is {glue:text}`ratio:.2f` and $\\alpha + \\beta = \\gamma$ holds, "
            "see *the* **bold** `code` word -- done."
        ),
    )
    # T; The ratio is 0.53 and <formula> holds, see the bold code word done: 13 words.
    # A bug reading the role or the TeX as text would count "{glue:text}`ratio:.2f`" or
    # "\alpha + \beta = \gamma" word by word.
    assert page.text.words == 1 + 13


def test_directive_options_and_comments_are_not_words_and_displayed_maths_is_lines(tmp_path):
    page = built_page(
        tmp_path,
        markdown(
            "# T\n\n% A comment the reader never sees.\n\n```{admonition} Four words of title\n:class: tip\n\nFive words in the body.\n```\n\n"
            "$$\na = b\n\n+ c\n$$\n\n"
            "```{math}\n:label: an-equation\n\\begin{aligned} x &= 1 \\\\\n y &= 2 \\end{aligned}\n```\n"
        ),
    )
    assert page.text.words == 1 + 4 + 5
    assert page.text.lines == 2 + 2


def test_exercises_and_their_solutions_are_counted_apart(tmp_path):
    page = built_page(
        tmp_path,
        markdown("# Exercises\n\nOne sentence of lecture prose here."),
        markdown(
            "```{exercise}\n:label: ex-first\n\nFit the model with four points.\n```\n\n"
            "```{solution-start} ex-first\n:class: dropdown\n```\n\nWe refit it here, like this."
        ),
        code(),
        markdown(
            "```{solution-end}\n```\n\n```{exercise}\n:label: ex-second\n\nTry a smaller step size.\n```"
        ),
    )
    assert page.text == Reading(words=1 + 6, lines=0)
    assert page.exercises == 2
    # Statements (6 + 5 words), the solution's prose (6) and code (3 lines), and the
    # titles sphinx-exercise gives them ("Exercise" twice, "Solution to").
    assert page.exercise_text.lines == 3
    assert page.exercise_text.words == 6 + 6 + 5 + 4


@pytest.mark.parametrize(
    "text, words",
    [("a , b -- 3.5 (x)", 4), ("Gauss-Newton's step: 1e-8.", 3), ("  ", 0), ("— ; .", 0)],
)
def test_a_word_is_a_token_with_a_letter_or_digit(text, words):
    assert count_words(text) == words


def test_each_part_is_rounded_up_and_the_total_to_five_minutes():
    length = PageLength(
        text=Reading(words=WORDS_PER_MINUTE * 30 + 1, lines=LINES_PER_MINUTE * 20),
        exercises=3,
        exercise_text=Reading(words=WORDS_PER_MINUTE * 2, lines=LINES_PER_MINUTE),
    )
    parts = estimate(length, run_seconds=61)
    assert parts.reading == 30 + 20 + 1  # 30 min and one word, 20 min of code
    assert parts.running == 2
    assert parts.exercises == 3 * MINUTES_PER_EXERCISE + 2 + 1
    assert parts.total == 51 + 2 + 33
    assert about(parts.total) == 85 and about(82) == 80 and about(83) == 85 and about(1) == 5


@pytest.mark.parametrize(
    "minutes, text", [(45, "45 min"), (60, "1 h"), (80, "1 h 20 min"), (125, "2 h 5 min")]
)
def test_format_minutes(minutes, text):
    assert format_minutes(minutes) == text


def test_the_line_states_the_parts_the_counts_and_the_rates():
    length = PageLength(Reading(words=6100, lines=240), exercises=1, exercise_text=Reading())
    text = duration_text(length, run_seconds=45)
    # 6100/120 = 50.8 -> 51 min, 240/5 = 48 min: 99 min reading; 1 min running; 10 for the
    # exercise; 110 in all.
    assert text.startswith(
        "About 1 h 50 min: 1 h 39 min reading, 1 min running the code, 10 min for 1 exercise."
    )
    assert "6,100 words (120 a minute)" in text and "240 lines" in text and "45 s" in text
    assert f"{MINUTES_PER_EXERCISE} minutes to try each exercise" in text
    assert "for 0 exercises" not in duration_text(PageLength(Reading(10), 0, Reading()), run_seconds=5)


def test_optional_sections_are_counted_apart_with_everything_in_them(tmp_path):
    page = built_page(
        tmp_path,
        markdown("# Title here\n\nFour words of core.\n\n## Core section\n\nThree more words."),
        code(),
        markdown(
            "## Optional: a deep dive\n\nSix words in the optional part.\n\n"
            "### Its subsection\n\nTwo words.\n\n$$\na = b\n$$"
        ),
        code(outputs=[OUTPUT]),
        markdown(
            "```{exercise}\n:label: ex-deep\n\nSweep the step size.\n```\n\n"
            "```{solution-start} ex-deep\n:class: dropdown\n```\n\nLike this."
        ),
        code(outputs=[OUTPUT]),
        markdown("```{solution-end}\n```\n\n## After it\n\nBack in the core: seven words here."),
        markdown("## Optional: a second one\n\nOne."),
        code(outputs=[OUTPUT]),
    )
    # Core: "Title here" 2 + 4, "Core section" 2 + 3, "After it" 2 + 7 words; one code cell.
    assert page.text == Reading(words=2 + 4 + 2 + 3 + 2 + 7, lines=3)
    assert page.exercises == 0 and page.exercise_text == Reading()
    optional = page.optional
    assert optional is not None and optional.optional is None
    # Both optional sections: their titles (4 + 4 words: "Optional:" is a word), "Six words in
    # the optional part" 6, "Its subsection" 2, "Two words" 2, "One" 1; the displayed
    # equation (1 line) and two code cells (3 lines each).
    assert optional.text == Reading(words=4 + 6 + 2 + 2 + 4 + 1, lines=1 + 3 + 3)
    # Its exercise: "Exercise" + "Sweep the step size" 4, "Solution to" + "Like this" 2, 3 lines.
    assert optional.exercises == 1
    assert optional.exercise_text == Reading(words=1 + 4 + 2 + 2, lines=3)
    assert optional.sections == 2  # the subsection inside the first is part of it, not a third


def test_the_project_section_is_counted_in_neither_figure_and_the_line_says_so(tmp_path):
    page = built_page(
        tmp_path,
        markdown("# Title here\n\nFour words of core.\n\n## Exercises\n\nTwo words."),
        markdown(
            "### Optional: a project\n\n```{exercise}\n:label: ex-project\n\nAn open question.\n```\n\n"
            "```{solution-start} ex-project\n:class: dropdown\n```\n\nSome directions."
        ),
        markdown("```{solution-end}\n```"),
    )
    assert page.projects == 1 and page.optional is None
    assert page.text == Reading(words=2 + 4 + 1 + 2) and page.exercises == 0
    text = duration_text(page, run_seconds=60)
    assert "optional" not in text
    assert "The open-ended project at the end is not counted: it takes as long as you give it." in text
    # Any other optional section still counts, in the optional figure.
    (tmp_path / "other").mkdir()
    other = built_page(tmp_path / "other", markdown("# T\n\n## Optional: a projection\n\nThree words here."))
    assert other.projects == 0 and other.optional is not None and other.optional.text.words == 3 + 3


def test_only_a_title_that_begins_with_the_prefix_makes_a_section_optional(tmp_path):
    page = built_page(
        tmp_path,
        markdown("# T\n\n## Why optional: not this one\n\nFour words of core.\n\n## Optional\n\nTwo more."),
    )
    assert OPTIONAL_PREFIX == "Optional:"
    assert page.optional is None
    assert page.text.words == 1 + 5 + 4 + 1 + 2


def test_the_line_gives_the_core_and_what_the_optional_sections_add():
    length = PageLength(
        Reading(words=WORDS_PER_MINUTE * 60, lines=LINES_PER_MINUTE * 30),
        exercises=2,
        exercise_text=Reading(),
        optional=PageLength(
            Reading(words=WORDS_PER_MINUTE * 20, lines=LINES_PER_MINUTE * 10), 1, Reading(lines=5), sections=2
        ),
    )
    core = estimate(length, run_seconds=300)
    assert core == estimate(PageLength(length.text, 2, Reading()), run_seconds=300)  # the optional part left out
    assert (core.reading, core.running, core.exercises) == (90, 5, 20)
    extra = estimate(length.optional, run_seconds=0)
    assert (extra.reading, extra.running, extra.exercises) == (30, 0, MINUTES_PER_EXERCISE + 1)
    text = duration_text(length, run_seconds=300)
    assert text.startswith(
        "About 1 h 55 min: 1 h 30 min reading, 5 min running the code (all of it, the optional "
        "sections' too), 20 min for 2 exercises. The optional sections add about 40 min "
        "(30 min reading, 11 min for 1 exercise)."
    ), text
    assert (
        f"{WORDS_PER_MINUTE * 60:,} words (120 a minute) and 150 lines of code and displayed maths "
        f"(5 a minute) outside its optional sections ({WORDS_PER_MINUTE * 20:,} words and 50 lines in them)"
    ) in text
    assert "the 300 s its code took to run" in text
    # Without optional sections the line says nothing about them.
    plain = duration_text(PageLength(length.text, 2, Reading()), run_seconds=300)
    assert "optional" not in plain and plain.startswith("About 1 h 55 min: 1 h 30 min reading, 5 min running the code, ")


def test_one_optional_section_is_named_in_the_singular():
    one = PageLength(
        Reading(words=WORDS_PER_MINUTE * 60),
        exercises=0,
        exercise_text=Reading(),
        optional=PageLength(Reading(words=WORDS_PER_MINUTE * 20), 0, Reading(), sections=1),
    )
    text = duration_text(one, run_seconds=60)
    assert "(all of it, the optional section's too)" in text
    assert "The optional section adds about 20 min (20 min reading)." in text
    assert "outside its optional section (2,400 words and 0 lines in it)" in text
    assert "sections" not in text
