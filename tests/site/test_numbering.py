"""One numbering: the sidebar's order (``_toc.yml``), the lecture files' prefixes, the
numbers that links name, the syllabus's lecture table and the course PDF's chapters agree,
and no page names a lecture by its number without a link.

The first tests read the sources (seconds); those marked ``site`` build small books
(a refused build, a table of lectures, the LaTeX of the PDF) or read the built course.
"""

from __future__ import annotations

import re
import subprocess
import sys
import textwrap
from pathlib import Path
from types import SimpleNamespace

import pytest
import yaml
from bs4 import BeautifulSoup
from docutils import nodes
from docutils.utils import new_document
from sphinx import addnodes

from scimlkit.site.appendix.claims_check import check_lecture, plain_lecture_mentions
from scimlkit.site.appendix.lecture_numbers import LectureLink, lecture_rows, link_problems, links
from scimlkit.site.build.book import lecture_numbers, toc_files
from scimlkit.site.build.pdf import chapter_problems, numbered_titles
from scimlkit.site.reader.course_pdf import number_chapters_as_the_sidebar

from .book import REPO, Build, build_book

NUMBERS = lecture_numbers(REPO)
CHECKED_PAGES = [
    path for path in toc_files(REPO)
    if path.suffix == ".md" and path.parent.relative_to(REPO).as_posix() in ("lectures", "book")
]


def docname(path: Path, root: Path = REPO) -> str:
    return path.relative_to(root).with_suffix("").as_posix()


# ---------------------------------------------------------------------------------------------
# The course's sources


def test_each_lecture_file_starts_with_its_number_in_the_sidebar():
    lectures = sorted((REPO / "lectures").glob("*.md"))
    assert lectures and all(docname(path) in NUMBERS for path in lectures), "a lecture file is not in _toc.yml"
    assert {docname: int(Path(docname).name[:2]) for docname in NUMBERS} == NUMBERS
    assert sorted(NUMBERS.values()) == list(range(1, len(NUMBERS) + 1))


def test_no_page_names_a_lecture_by_its_number_in_plain_text():
    found = [f"{docname(path)}.md:{line}: {mention}" for path in CHECKED_PAGES
             for line, mention in plain_lecture_mentions(path.read_text(encoding="utf-8"))]
    assert not found, "\n".join(found)


def test_every_link_to_a_lecture_names_its_number():
    linked = [link for path in CHECKED_PAGES for link in links(path.read_text(encoding="utf-8"), docname(path))
              if link.target in NUMBERS]
    assert len(linked) > 40  # the course links its lectures; a scanner that finds none fails here
    found = [f"{docname(path)}.md:{line}: {message}" for path in CHECKED_PAGES
             for line, message in link_problems(path.read_text(encoding="utf-8"), docname(path), NUMBERS)]
    assert not found, "\n".join(found)


def syllabus_topics() -> list[dict]:
    text = (REPO / "book" / "syllabus.md").read_text(encoding="utf-8")
    body = re.search(r"^```\{lecture-table\}\n(.*?)^```$", text, flags=re.MULTILINE | re.DOTALL)
    assert body, "book/syllabus.md has no {lecture-table}"
    return yaml.safe_load(body.group(1))


def test_the_syllabus_table_lists_every_lecture_in_order_with_its_topics():
    rows = lecture_rows(REPO, syllabus_topics())
    assert [row.docname for row in rows] == list(NUMBERS)
    assert [row.number for row in rows] == list(range(1, len(NUMBERS) + 1))
    # The original schedule's fifteen topics, each taught somewhere.
    topics = {topic.split(". ", 1)[1] for row in rows for topic in row.topics}
    assert len(syllabus_topics()) == 15 and len(topics) == 15
    assert any("Physics-informed" in topic for topic in rows[[r.docname for r in rows].index("lectures/12_pinns")].topics)


def test_a_syllabus_topic_naming_no_lecture_of_the_toc_is_refused():
    with pytest.raises(ValueError, match="'12_pinn', which is not a numbered lecture"):
        lecture_rows(REPO, [{"topic": "PINNs", "lectures": ["12_pinn"]}])
    with pytest.raises(ValueError, match="needs a 'topic' and a list of 'lectures'"):
        lecture_rows(REPO, [{"topic": "PINNs"}])


def test_the_pdf_lists_each_lecture_as_the_chapter_of_its_number():
    chapters = numbered_titles(REPO)
    assert [number for number, _ in chapters] == list(range(1, len(NUMBERS) + 1))
    first, second = chapters[0], chapters[1]
    contents = f"Contents\n\nSyllabus   3\n{first[0]}   {first[1]}   5\n{second[0]}     {second[1]}   40\n"
    assert chapter_problems(contents, [first, second]) == []
    # Numbered as before the renumbering (the front matter counted as three chapters).
    shifted = f"Contents\n\n1 Syllabus 3\n{first[0] + 3}   {first[1]}   5\n"
    assert chapter_problems(shifted, [first]) == [f"the table of contents does not list {first[1]!r} as chapter 1"]


# ---------------------------------------------------------------------------------------------
# The scanners, on small texts


def test_plain_mentions_are_found_in_prose_tables_and_titles_but_not_in_code_or_links():
    text = textwrap.dedent("""\
        # A page

        As lecture 5 showed, and {doc}`lecture 6 <06_x>`, `lecture 7`, [lecture 8](08_y.md).
        Broken across lines: see lecture
        9, and lectures 1-3.

        ```{code-cell} ipython3
        # lecture 10 in a code cell
        ```

        :::{admonition} Recap of lecture 11
        Nothing here, $\\text{lecture } 12$.
        :::

        | part | read first |
        |---|---|
        | proposal | lectures 13 and 14 |
        """)
    assert plain_lecture_mentions(text) == [
        (3, "lecture 5"), (4, "lecture 9"), (5, "lectures 1-3"), (11, "lecture 11"), (17, "lectures 13 and 14"),
    ]


def test_link_texts_must_name_the_linked_lecture_and_its_neighbours():
    numbers = {"lectures/01_a": 1, "lectures/02_b": 2, "lectures/03_c": 3}
    text = textwrap.dedent("""\
        # B

        Back to {doc}`lecture 1 <01_a>`, on to {doc}`lecture 2 <03_c>` and
        {doc}`the next
        lecture <03_c>`; {doc}`the previous lecture <03_c>` and [lectures 1 to 3](03_c.md),
        {doc}`the first one <01_a>` and {doc}`<../book/syllabus>`.
        """)
    assert links(text, "lectures/02_b")[1] == LectureLink(3, "lecture 2", "lectures/03_c")
    assert links(text, "lectures/02_b")[2] == LectureLink(4, "the next lecture", "lectures/03_c")
    assert link_problems(text, "lectures/02_b", numbers) == [
        (3, "link text 'lecture 2' names lecture 2, but it links lectures/03_c, lecture 3"),
        (5, "link text 'the previous lecture' links lectures/03_c, lecture 3, from lecture 2"),
    ]


def test_the_claims_check_reports_a_plain_mention_with_its_line(tmp_path):
    lecture = tmp_path / "lectures" / "01_a.md"
    lecture.parent.mkdir()
    lecture.write_text("# A\n\nThe next step is in\nlecture 4.\n", encoding="utf-8")
    problems = check_lecture(lecture, tmp_path).problems
    assert [(p.line, p.message.split(":")[0]) for p in problems] == [(4, "'lecture 4' names a lecture in plain text")]


def test_the_pdf_hook_numbers_lectures_and_leaves_other_chapters_unnumbered():
    document = new_document("<latex>")
    pages = {}
    for name in ("book/syllabus", "Lectures", "lectures/01_a", "lectures/02_b", "book/claims"):
        page = addnodes.start_of_file(docname=name)
        page += nodes.section()
        document += page
        pages[name] = page
    env = SimpleNamespace(
        all_docs={"book/index": 0, "book/syllabus": 0, "lectures/01_a": 0, "lectures/02_b": 0, "book/claims": 0},
        toc_secnumbers={"lectures/01_a": {"": (1,)}, "lectures/02_b": {"": (2,), "#s": (2, 1)}, "book/syllabus": {}},
    )
    app = SimpleNamespace(builder=SimpleNamespace(format="latex"), env=env)
    number_chapters_as_the_sidebar(app, document, "book/index")

    def counters(name: str) -> str:
        first = pages[name].children[0]
        return first.astext() if isinstance(first, nodes.raw) else ""

    assert isinstance(document.children[0], nodes.raw) and "ScimlkitSecnumdepth" in document.children[0].astext()
    assert counters("book/syllabus").strip() == r"\setcounter{secnumdepth}{-1}"
    assert counters("Lectures") == ""  # a part's caption, not a page
    assert r"\setcounter{chapter}{0}" in counters("lectures/01_a")
    assert r"\setcounter{chapter}{1}" in counters("lectures/02_b")
    assert r"\setcounter{secnumdepth}{\ScimlkitSecnumdepth}" in counters("lectures/02_b")
    assert counters("book/claims").strip() == r"\setcounter{secnumdepth}{-1}"
    app.builder.format = "html"
    untouched = new_document("<html>")
    number_chapters_as_the_sidebar(app, untouched, "book/index")
    assert not untouched.children


# ---------------------------------------------------------------------------------------------
# Small books built (site)

LECTURE_A = "# Lecture A\n\nIt goes on in {doc}`lecture 2 <02_b>`.\n\n## Exercises\n\n```{exercise}\n:label: ex-a\n\nDo it.\n```\n"
LECTURE_B = "# Lecture B\n\nAs {doc}`the previous lecture <01_a>` said.\n\n## Exercises\n\n```{exercise}\n:label: ex-b\n\nDo it again.\n```\n"
SYLLABUS = textwrap.dedent("""\
    # Syllabus

    ```{lecture-table}
    - topic: The first topic
      lectures: [01_a]
    ```
    """)
TOC = textwrap.dedent("""\
    format: jb-book
    root: intro
    parts:
      - caption: Course
        chapters:
          - file: book/syllabus
      - caption: Lectures
        numbered: true
        chapters:
          - file: lectures/01_a
          - file: lectures/02_b
      - caption: Appendix
        chapters:
          - file: book/claims
    """)


def write_numbered_book(root: Path, lecture_a: str = LECTURE_A) -> Path:
    for name, text in {"intro": "# A numbered book\n\nMade by a test.\n", "book/syllabus": SYLLABUS,
                       "book/claims": "# Claims\n\nNothing to claim.\n", "lectures/01_a": lecture_a,
                       "lectures/02_b": LECTURE_B}.items():
        (root / f"{name}.md").parent.mkdir(parents=True, exist_ok=True)
        (root / f"{name}.md").write_text(text, encoding="utf-8")
    (root / "_toc.yml").write_text(TOC, encoding="utf-8")
    (root / "_config.yml").write_text(textwrap.dedent("""\
        title: A numbered book
        only_build_toc_files: true
        execute:
          execute_notebooks: "off"
        sphinx:
          extra_extensions: [sphinx_exercise, scimlkit.site]
        """), encoding="utf-8")
    return root


@pytest.mark.site
@pytest.mark.slow
def test_the_build_refuses_a_plain_lecture_number_naming_file_and_line(tmp_path):
    root = write_numbered_book(tmp_path / "book", LECTURE_A.replace("{doc}`lecture 2 <02_b>`", "lecture 2"))
    build = build_book(root, tmp_path / "out")
    assert build.returncode != 0
    assert "lectures/01_a.md:3: 'lecture 2': make it a link" in build.log


@pytest.mark.site
@pytest.mark.slow
def test_a_numbered_book_builds_its_lecture_table_and_numbers_its_pdf_chapters(tmp_path):
    root = write_numbered_book(tmp_path / "book")
    build = build_book(root, tmp_path / "out")
    assert build.returncode == 0, build.log[-3000:]
    page = BeautifulSoup(build.page("book/syllabus").read_text(encoding="utf-8"), "html.parser")
    rows = [[cell.get_text(" ", strip=True) for cell in row.find_all("td")] for row in page.select("table tbody tr")]
    assert rows == [["1", "Lecture A", "1. The first topic"], ["2", "Lecture B", "—"]]

    done = subprocess.run(
        [sys.executable, "-m", "scimlkit.site.build", "--root", str(root), "--path-output", str(tmp_path / "pdf"),
         "--builder", "latex"],
        cwd=root, capture_output=True, text=True, check=False,
    )
    assert done.returncode == 0, (done.stdout + done.stderr)[-3000:]
    tex = next((tmp_path / "pdf" / "_build" / "latex").glob("*.tex")).read_text(encoding="utf-8")
    # Each chapter, with the counters set just before it.
    chapters = re.findall(r"((?:\\setcounter\{[a-z]+\}\{[^}]+\})+)\s*(?:\\[a-z]+\{[^}]*\}\s*)*?\\chapter\{([^}]*)\}", tex)
    assert [(title, counters) for counters, title in chapters] == [
        ("Syllabus", r"\setcounter{secnumdepth}{-1}"),
        ("Lecture A", r"\setcounter{secnumdepth}{\ScimlkitSecnumdepth}\setcounter{chapter}{0}"),
        ("Lecture B", r"\setcounter{secnumdepth}{\ScimlkitSecnumdepth}\setcounter{chapter}{1}"),
        ("Claims", r"\setcounter{secnumdepth}{-1}"),
    ]
    # Exercises carry the sidebar's number, the chapter's in the PDF: lecture 2, section 1.
    assert re.search(r"Exercise 2\.1\.1", tex)


def test_the_built_syllabus_lists_the_lectures_in_the_sidebars_order(built_book: Build):
    page = BeautifulSoup(built_book.page("book/syllabus").read_text(encoding="utf-8"), "html.parser")
    table = next(t for t in page.select("table") if t.find("th", string=re.compile("Topics of the original")))
    rows = [row.find_all("td") for row in table.select("tbody tr")]
    assert [int(cells[0].get_text(strip=True)) for cells in rows] == list(range(1, len(NUMBERS) + 1))
    linked = [cells[1].find("a")["href"] for cells in rows]
    assert [re.sub(r"\.html.*$", "", href).removeprefix("../") for href in linked] == list(NUMBERS)
