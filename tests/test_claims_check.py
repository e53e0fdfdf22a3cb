"""The claims check (``python -m scimlkit.site.claims_check``): each rule fires on a small
made-up lecture and is quiet once the lecture is fixed; then the course's own lectures.

Static (no book is built, nothing is executed), so not marked ``site``; the two that check
the course's own lectures take seconds each and are marked ``slow``.
"""

from __future__ import annotations

import textwrap
from pathlib import Path

import pytest

from scimlkit.site.appendix import claims_check
from scimlkit.site.appendix.claims_check import REPO, check, check_lecture, claim_kinds, course_lectures, main

FRONT = "---\nkernelspec:\n  name: python3\n---\n\n# A lecture\n\n"

LECTURE = (
    FRONT
    + """\
```{code-cell} ipython3
import scimlkit as sk

sk.glue("speedup", 3.2)
sk.glue("error", 1e-9)
```

The compiled loop is {glue:text}`speedup:.1f` times faster than the Python one.
Its error is {glue:text}`error:.0e`.
"""
)

TEST = '''\
PAGE = "lectures/demo"


def test_speedup(values):
    assert values["speedup"] > 2  # a loop that is not compiled gives about 1


def test_error(values):
    assert values["error"] < 1e-6  # a wrong stencil gives 1e-2
'''


def write(root: Path, lecture: str = LECTURE, test: str | None = TEST, allowlist: str | None = None) -> Path:
    """A course folder under ``root`` with lecture ``demo``; returns the lecture's path."""
    (root / "lectures").mkdir(parents=True, exist_ok=True)
    (root / "tests" / "lectures" / "allowlists").mkdir(parents=True, exist_ok=True)
    path = root / "lectures" / "demo.md"
    path.write_text(lecture)
    test_file = root / "tests" / "lectures" / "test_demo.py"
    if test is None:
        test_file.unlink(missing_ok=True)
    else:
        test_file.write_text(textwrap.dedent(test))
    allow = root / "tests" / "lectures" / "allowlists" / "demo.yml"
    if allowlist is None:
        allow.unlink(missing_ok=True)
    else:
        allow.write_text(textwrap.dedent(allowlist))
    return path


def problems(root: Path, **kwargs) -> list[str]:
    return [str(p) for p in check_lecture(write(root, **kwargs), root).problems]


def line_of(text: str, fragment: str) -> int:
    return next(i for i, line in enumerate(text.splitlines(), 1) if fragment in line)


def test_a_backed_lecture_with_asserted_values_is_clean(tmp_path):
    claims = check_lecture(write(tmp_path), tmp_path)
    assert claims.problems == []
    assert set(claims.displayed) == {"speedup", "error"}
    assert [(a.function, a.line) for a in claims.asserting("speedup")] == [("test_speedup", 5)]
    assert [s.backing for s in claims.sentences] == ["glue"]


# ------------------------------------------------------------------- rule 1: displayed => asserted


def test_a_displayed_value_no_test_reads_is_reported_with_its_line(tmp_path):
    test = TEST.replace('assert values["error"] < 1e-6', "assert True")
    found = problems(tmp_path, test=test)
    assert found == [
        f"lectures/demo.md:{line_of(LECTURE, 'Its error')}: glued value 'error' is displayed but no assert "
        "in tests/lectures/test_demo.py reads it"
    ]


@pytest.mark.parametrize(
    "body",
    [
        'values["error"] < 1e-6',  # a comparison without assert checks nothing
        'print(values["error"])',
        'assert True, values["error"]',  # the message is not the test
        'error = values["error"]\n    assert True\n    print(error)',  # the name never reaches an assert
        'assert values["error"] is not None',  # present, but not bounded
        'assert isinstance(values["error"], float)',
    ],
    ids=["bare comparison", "print", "assert message", "unasserted name", "is not None", "isinstance"],
)
def test_a_read_outside_an_assert_does_not_count(tmp_path, body):
    test = TEST.replace('assert values["error"] < 1e-6', body)
    assert problems(tmp_path, test=test) == [
        f"lectures/demo.md:{line_of(LECTURE, 'Its error')}: glued value 'error' is displayed but no assert "
        "in tests/lectures/test_demo.py reads it"
    ]


@pytest.mark.parametrize(
    "body",
    [
        'assert values.get("error") < 1e-6',
        'assert glued(PAGE)["error"] < 1e-6',
        'page = glued(PAGE)\n    assert page["error"] < 1e-6',
        'error = values["error"]\n    assert error < 1e-6',
        'scaled = 2 * values["error"]\n    bound = scaled\n    assert bound < 1e-6',
        'for value in (values["error"], values["speedup"]):\n        assert value > 0',
        'assert values["error"] == pytest.approx(0, abs=1e-6)',
        'assert values["error"] is not False',
    ],
    ids=["get", "glued fixture", "glued alias", "local name", "chain of names", "loop", "approx", "is a flag"],
)
def test_reads_that_reach_an_assert_count(tmp_path, body):
    test = TEST.replace('assert values["error"] < 1e-6', body)
    assert problems(tmp_path, test=test) == []


def test_a_lecture_that_glues_without_a_test_file_is_reported(tmp_path):
    found = problems(tmp_path, test=None)
    assert "lectures/demo.md:1: glues values but has no test file tests/lectures/test_demo.py" in found


def test_values_displayed_inside_directives_count(tmp_path):
    lecture = LECTURE + textwrap.dedent(
        """
        ```{exercise}
        :label: ex-demo

        Why is the loop {glue:text}`hidden:.1f` times faster?
        ```

        ```{glue:figure} plot
        :name: fig-demo

        The loop in a figure.
        ```
        """
    )
    claims = check_lecture(write(tmp_path, lecture=lecture), tmp_path)
    assert {"hidden", "plot"} <= set(claims.displayed)
    assert {p.message.split("'")[1] for p in claims.problems} == {"hidden", "plot"}


# -------------------------------------------------------------------------- rule 2: no dead glue


def test_dead_glue_is_reported_and_an_assert_revives_it(tmp_path):
    lecture = LECTURE.replace('sk.glue("error", 1e-9)', 'sk.glue("error", 1e-9)\nsk.glue("unused", 4)')
    found = problems(tmp_path, lecture=lecture)
    assert found == [
        f"lectures/demo.md:{line_of(lecture, 'unused')}: glued value 'unused' is neither displayed nor asserted (dead glue)"
    ]
    test = TEST + '\n\ndef test_unused(values):\n    assert values["unused"] == 4\n'
    assert problems(tmp_path, lecture=lecture, test=test) == []


def test_f_string_glue_names_over_literal_loops_are_expanded(tmp_path):
    lecture = LECTURE.replace(
        'sk.glue("error", 1e-9)',
        'sk.glue("error", 1e-9)\nfor key, name in (("fd", "finite"), ("sg", "smooth")):\n    sk.glue(f"noisy_{key}_error", 1.0)',
    )
    claims = check_lecture(write(tmp_path, lecture=lecture), tmp_path)
    assert {"noisy_fd_error", "noisy_sg_error"} <= set(claims.glued)
    assert sorted(p.message for p in claims.problems) == [
        "glued value 'noisy_fd_error' is neither displayed nor asserted (dead glue)",
        "glued value 'noisy_sg_error' is neither displayed nor asserted (dead glue)",
    ]
    # The test reads them through an f-string over a tuple bound to a name.
    test = TEST + textwrap.dedent(
        """

        def test_noisy(values):
            keys = ("fd", "sg")
            for key in keys:
                assert values[f"noisy_{key.lower()}_error"] < 2
        """
    )
    assert problems(tmp_path, lecture=lecture, test=test) == []


def test_f_strings_inside_comprehensions_expand_over_their_loops(tmp_path):
    # Read inside a generator over a literal tuple: the names it reads, not a pattern that
    # would cover (and so pass as asserted) every displayed name.
    lecture = LECTURE.replace(
        'sk.glue("error", 1e-9)',
        'sk.glue("error", 1e-9)\nfor key in ("fd", "sg"):\n    sk.glue(f"noisy_{key}_error", 1.0)',
    ) + "\nThe errors were {glue:text}`noisy_fd_error` and {glue:text}`noisy_sg_error`.\n"
    test = TEST + textwrap.dedent(
        """

        def test_noisy(values):
            fd, sg = (values[f"noisy_{key}_error"] for key in ("fd", "sg"))
            assert fd < 2 and sg < 2
        """
    )
    claims = check_lecture(write(tmp_path, lecture=lecture, test=test), tmp_path)
    assert claims.problems == [] and claims.assertion_patterns == []
    assert [len(claims.asserting(name)) for name in ("noisy_fd_error", "noisy_sg_error", "error")] == [1, 1, 1]


def test_f_strings_over_computed_loops_are_patterns(tmp_path):
    lecture = LECTURE.replace(
        'sk.glue("error", 1e-9)',
        'sk.glue("error", 1e-9)\nfor name, row in rows.items():\n    sk.glue(f"{name.lower()}_steps", row)',
    )
    claims = check_lecture(write(tmp_path, lecture=lecture), tmp_path)
    assert claims.glue_patterns == {"{}_steps": line_of(lecture, "_steps")}
    assert [p.message for p in claims.problems] == [
        "glued values f'{}_steps' are neither displayed nor asserted (dead glue)"
    ]
    # A displayed name the pattern covers keeps it alive, and must itself be asserted.
    shown = lecture + "\nHeun took {glue:text}`heun_steps` steps.\n"
    found = problems(tmp_path, lecture=shown)
    assert [p.split(": ", 1)[1] for p in found] == [
        "glued value 'heun_steps' is displayed but no assert in tests/lectures/test_demo.py reads it"
    ]
    test = TEST + '\n\ndef test_steps(values):\n    assert values["heun_steps"] > 10\n'
    assert problems(tmp_path, lecture=shown, test=test) == []


# ---------------------------------------------------------------- rule 3: claim sentences backed


UNBACKED = "On this machine the compiled loop runs 3x faster than NumPy."


def test_an_unbacked_3x_faster_sentence_is_reported_and_backing_fixes_it(tmp_path):
    lecture = LECTURE + f"\n{UNBACKED}\n"
    found = problems(tmp_path, lecture=lecture)
    assert len(found) == 1
    assert found[0].startswith(f"lectures/demo.md:{line_of(lecture, '3x faster')}: unbacked claim (")
    assert "comparison of cost" in found[0] and "ratio" in found[0] and "tests/lectures/allowlists/demo.yml" in found[0]
    # Backed by a glued value, a citation, maths, or an allowlist entry.
    glued = UNBACKED.replace("3x", "{glue:text}`speedup:.0f`x")
    assert problems(tmp_path, lecture=LECTURE + f"\n{glued}\n") == []
    cited = UNBACKED.replace("NumPy.", "NumPy {cite}`someone2020`.")
    assert problems(tmp_path, lecture=LECTURE + f"\n{cited}\n") == []
    maths = UNBACKED.replace("3x", "$3\\times$")
    assert problems(tmp_path, lecture=LECTURE + f"\n{maths}\n") == []
    allowlist = '- text: "runs 3x   faster than NumPy"\n  reason: "a made-up example of general knowledge"\n'
    claims = check_lecture(write(tmp_path, lecture=lecture, allowlist=allowlist), tmp_path)
    assert claims.problems == []
    assert [(s.backing, s.reason) for s in claims.backed("allowlist")] == [
        ("allowlist", "a made-up example of general knowledge")
    ]


def test_a_sentence_is_matched_across_line_breaks(tmp_path):
    lecture = LECTURE + "\nOn this machine the compiled loop runs\n3x faster than NumPy. Next sentence.\n"
    allowlist = '- text: "loop runs 3x faster"\n  reason: "general knowledge"\n'
    assert problems(tmp_path, lecture=lecture, allowlist=allowlist) == []
    found = problems(tmp_path, lecture=lecture)
    assert [p.split(":")[1] for p in found] == [str(line_of(lecture, "compiled loop runs"))]


def test_an_allowlist_fragment_may_leave_out_emphasis_and_backticks(tmp_path):
    lecture = LECTURE + "\nThe *compiled* loop in `jax` is 3x faster.\n"
    allowlist = '- text: "The compiled loop in jax is 3x faster"\n  reason: "general knowledge"\n'
    assert problems(tmp_path, lecture=lecture, allowlist=allowlist) == []


def test_glue_in_comments_is_not_displayed(tmp_path):
    lecture = LECTURE + "\n% {glue:text}`old`\n\n<!-- {glue:text}`older` -->\n"
    assert set(check_lecture(write(tmp_path, lecture=lecture), tmp_path).displayed) == {"speedup", "error"}


@pytest.mark.parametrize(
    "sentence",
    [
        "This is twice as fast, roughly.",
        "The two results agree to rounding.",
        "The loss converges after a while.",
        "It takes orders of magnitude fewer steps.",
        "The error drops to 0.52 here.",
        "The run takes 12 s on a laptop.",
        "It keeps 95% of the energy.",
        "The implicit method is much cheaper here.",
        "Several-fold gains are common; it scales to thousands of points.",
        "The result is exact.",
    ],
)
def test_claims_of_every_kind_are_flagged(sentence):
    assert claim_kinds(sentence), sentence


@pytest.mark.parametrize(
    "sentence",
    [
        "Most of the cost is in the solve.",
        "We compare it with the exact solution.",
        "The loss is a few lines of JAX.",
        "Split the ensemble over several devices.",
        "Lecture 3 has 100 dimensions and 2 inputs.",
        "Grow the time span step by step.",
        "It is never negative and always stable.",
        "The state is a flat vector.",
        "A 3 x 3 grid of panels.",
    ],
)
def test_ordinary_sentences_are_not_claims(sentence):
    assert claim_kinds(sentence) == ()


def test_code_maths_headings_options_links_and_questions_are_not_scanned(tmp_path):
    lecture = LECTURE + textwrap.dedent(
        """
        ## A heading that is 3x faster

        (label-faster)=

        $$
        \\text{ten times faster} = 10\\times
        $$

        ```python
        print("3x faster")
        ```

        ```{admonition} Note
        :class: 3x faster

        See {doc}`lecture 3 is 3x faster <other>` and [the 3x faster page](https://example.org).
        ```

        % a comment that is 3x faster

        Is it 3x faster?

        ```{admonition} What you will learn
        - why implicit steps are far cheaper on stiff problems;
        ```
        """
    )
    assert problems(tmp_path, lecture=lecture) == []


def test_a_stale_allowlist_entry_is_an_error(tmp_path):
    allowlist = textwrap.dedent(
        """\
        - text: "a sentence that is not there"
          reason: "it used to be"
        """
    )
    found = problems(tmp_path, allowlist=allowlist)
    assert found == [
        "tests/lectures/allowlists/demo.yml:1: entry 1 matches no unbacked claim sentence of lectures/demo.md "
        "(stale or not verbatim): 'a sentence that is not there'"
    ]
    # An entry for a sentence that a glued value already backs is stale too.
    backed = '- text: "times faster than the Python one"\n  reason: "needless"\n'
    assert len(problems(tmp_path, allowlist=backed)) == 1


@pytest.mark.parametrize(
    "allowlist, message",
    [
        ('- text: "runs 3x faster"\n', "entry 1 (line 1): needs a non-empty string reason"),
        ('- reason: "why"\n', "entry 1 (line 1): needs a non-empty string text"),
        ('- text: "runs 3x faster"\n  reason: ""\n', "needs a non-empty string reason"),
        ('- text: "runs 3x faster"\n  reason: "ok"\n  reasons: "typo"\n', "unknown key(s) reasons"),
        ('text: "runs 3x faster"\nreason: "why"\n', "a YAML list of {text, reason} entries, not a dict"),
        ("- just a string\n", "an entry is a mapping with keys text and reason"),
        ('- text: "unclosed\n', "not valid YAML"),
    ],
)
def test_a_malformed_allowlist_is_reported_with_its_file_and_entry(tmp_path, allowlist, message):
    lecture = LECTURE + f"\n{UNBACKED}\n"
    found = problems(tmp_path, lecture=lecture, allowlist=allowlist)
    assert any(p.startswith("tests/lectures/allowlists/demo.yml:1: ") and message in p for p in found), found


# ------------------------------------------------- reduced-scale notes: budget calls name their quantity


def test_a_budget_call_in_a_gpu_cell_must_name_its_quantity(tmp_path):
    cell = "```{code-cell} ipython3\n:tags: [gpu]\nsteps = sk.budget(cpu=300, gpu=5000)\n```\n"
    lecture = LECTURE + "\n" + cell
    found = problems(tmp_path, lecture=lecture)
    assert found == [
        f"lectures/demo.md:{line_of(lecture, 'sk.budget')}: sk.budget call in a gpu cell without what= (the CPU "
        'build\'s reduced-scale note must name the quantity, e.g. what="training steps")'
    ]
    assert problems(tmp_path, lecture=lecture.replace("gpu=5000)", 'gpu=5000, what="steps")')) == []
    # Sizes kept in a dict with a what key, passed as **SIZES, name it too.
    sized = lecture.replace("steps = sk.budget(cpu=300, gpu=5000)", 'SIZES = dict(cpu=3, gpu=9, what="runs")\nn = sk.budget(**SIZES)')
    assert problems(tmp_path, lecture=sized) == []
    # Outside a gpu cell no note is written, so no what= is needed.
    assert problems(tmp_path, lecture=lecture.replace(":tags: [gpu]\n", "")) == []
    yaml_options = lecture.replace(":tags: [gpu]\n", "---\ntags: [gpu]\n---\n")
    assert len(problems(tmp_path, lecture=yaml_options)) == 1


# ------------------------------------------------------------------------------------ the command


def test_the_command_exits_1_with_file_line_messages_and_0_with_a_summary(tmp_path, capsys, monkeypatch):
    lecture = write(tmp_path, lecture=LECTURE + f"\n{UNBACKED}\n")
    monkeypatch.chdir(tmp_path)
    assert main([str(lecture)]) == 1
    out = capsys.readouterr().out.splitlines()
    assert len(out) == 1 and out[0].startswith(f"lectures/demo.md:{line_of(lecture.read_text(), '3x')}: ")
    write(tmp_path)
    assert main(["lectures/demo.md", "--root", str(tmp_path)]) == 0
    out = capsys.readouterr().out.splitlines()
    assert out == ["claims check: 1 lecture(s) clean: 2 displayed values asserted, 1 claim sentences backed"]


def test_the_course_lecture_list_comes_from_the_table_of_contents():
    lectures = course_lectures(REPO)
    assert len(lectures) >= 17
    assert all(path.parent == REPO / "lectures" for path in lectures)
    assert claims_check.lecture_paths(REPO, lectures[0].stem)[1].is_file()


def copy_lecture(stem: str, root: Path) -> Path:
    """A course lecture with its test and allowlist, copied under ``root``."""
    for source in claims_check.lecture_paths(REPO, stem):
        if source.is_file():
            target = root / source.relative_to(REPO)
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_text(source.read_text(encoding="utf-8"), encoding="utf-8")
    return root / "lectures" / f"{stem}.md"


@pytest.mark.slow
def test_breaking_an_assertion_or_adding_an_unbacked_claim_fails_a_clean_course_lecture(tmp_path):
    clean = [claims for claims in check() if not claims.problems and claims.displayed]
    if not clean:
        pytest.skip("no course lecture passes the claims check yet")
    for claims in clean:
        root = tmp_path / claims.stem
        lecture = copy_lecture(claims.stem, root)
        assert check_lecture(lecture, root).problems == []
        # Turn the one assert that reads a shown value into a plain statement.
        test_file = root / "tests" / "lectures" / f"test_{claims.stem}.py"
        lines = test_file.read_text(encoding="utf-8").splitlines()
        name, line = next(
            (name, reads[0].line)
            for name in claims.displayed
            if len(reads := claims.asserting(name)) == 1 and lines[reads[0].line - 1].lstrip().startswith("assert ")
        )  # every clean lecture with shown values has one (a StopIteration here says otherwise)
        lines[line - 1] = lines[line - 1].replace("assert ", "_ = ", 1)
        test_file.write_text("\n".join(lines) + "\n", encoding="utf-8")
        found = [p.message for p in check_lecture(lecture, root).problems]
        assert any(f"{name!r} is displayed but no assert" in message for message in found), (claims.stem, found)
        # An unbacked "3x faster" sentence.
        copy_lecture(claims.stem, root)
        lecture.write_text(lecture.read_text(encoding="utf-8") + f"\n{UNBACKED}\n", encoding="utf-8")
        found = [p.message for p in check_lecture(lecture, root).problems]
        assert len(found) == 1 and "unbacked claim" in found[0] and "3x faster" in found[0], (claims.stem, found)


@pytest.mark.slow
def test_every_course_lecture_passes_the_claims_check():
    found = [str(problem) for lecture in check() for problem in lecture.problems]
    assert not found, f"{len(found)} claims problem(s):\n" + "\n".join(found)
