"""One numbering for the lectures: the sidebar's, read from ``_toc.yml``.

A lecture's number is its place in a numbered part of ``_toc.yml``, which is what the
sidebar shows. Its file name starts with the same two digits, a link to it that names a
number names that one (:func:`link_problems`), and the course PDF numbers its chapter
alike (:mod:`scimlkit.site.reader.course_pdf`); ``tests/site/test_numbering.py``
compares them. For the build this module adds:

- a check on every page read under ``lectures/`` and ``book/``: a lecture named by its
  number in plain text ("lecture 5" where ``{doc}`lecture 5 <08_stiffness>``` resolves)
  stops the build with the file and line of each (the claims check reports the same
  for lectures);
- the ``{lecture-table}`` directive, the syllabus's table of lectures: one row per lecture
  of ``_toc.yml``, in order, with its number, its title and the topics of the original
  course's schedule that it teaches. The directive's body is those topics, a YAML list
  of ``{topic: ..., lectures: [stem, ...]}``; a stem that is not a lecture of
  ``_toc.yml`` stops the build.
"""

from __future__ import annotations

import posixpath
import re
from dataclasses import dataclass
from pathlib import Path

import yaml
from docutils import nodes
from sphinx import addnodes
from sphinx.application import Sphinx
from sphinx.errors import ExtensionError
from sphinx.util.docutils import SphinxDirective

from ..build.book import lecture_numbers
from .claims_check import plain_lecture_mentions, prose_blocks
from .tables import table

#: The pages whose prose must link the lectures it names.
CHECKED_FOLDERS = ("lectures/", "book/")

_DOC_ROLE = re.compile(r"\{doc\}`(?P<content>[^`]*)`")
_EXPLICIT = re.compile(r"^(?P<text>.*?)\s*<(?P<target>[^<>]+)>$", re.DOTALL)
_MARKDOWN_LINK = re.compile(r"(?<!!)\[(?P<text>[^\]]*)\]\((?P<target>[^)\s]+\.(?:md|ipynb))(?:#[^)\s]*)?\)")
_NAMES_A_LECTURE = re.compile(r"\blectures?\b|^\s*\d+\s*$", re.IGNORECASE)


@dataclass(frozen=True)
class LectureLink:
    line: int
    text: str  # the link text as written ("" for a {doc} role that shows the title)
    target: str  # the docname it links


def links(text: str, docname: str) -> list[LectureLink]:
    """The ``{doc}`` roles and Markdown links to pages of the book in a page's prose,
    with their targets as docnames (resolved against the page ``docname``'s folder)."""
    folder = posixpath.dirname(docname)
    found = []
    for numbers, joined in prose_blocks(text):
        matches = [(m.start(), *_split_role(m["content"])) for m in _DOC_ROLE.finditer(joined)]
        matches += [(m.start(), m["text"], m["target"]) for m in _MARKDOWN_LINK.finditer(joined)]
        for start, link_text, target in sorted(matches):
            if re.match(r"^[a-z]+:", target):  # an address, not a page of the book
                continue
            target = re.sub(r"\.(?:md|ipynb)$", "", target.strip())
            resolved = target.lstrip("/") if target.startswith("/") else posixpath.normpath(posixpath.join(folder, target))
            found.append(LectureLink(numbers[joined.count("\n", 0, start)], " ".join(link_text.split()), resolved))
    return found


def _split_role(content: str) -> tuple[str, str]:
    explicit = _EXPLICIT.match(content.strip())
    return (explicit["text"], explicit["target"]) if explicit else ("", content)


def link_problems(text: str, docname: str, numbers: dict[str, int]) -> list[tuple[int, str]]:
    """``(line, message)`` for each link in a page whose text names a number ("lecture 5",
    "lectures 1 to 5": the last number) or a neighbour ("the next lecture", "the previous
    lecture") other than its lecture's, by the ``numbers`` of :func:`lecture_numbers`."""
    problems = []
    here = numbers.get(docname)
    for link in links(text, docname):
        number = numbers.get(link.target)
        if number is None:
            continue
        named = re.findall(r"\d+", link.text) if _NAMES_A_LECTURE.search(link.text) else []
        if named and int(named[-1]) != number:
            problems.append((link.line, f"link text {link.text!r} names lecture {named[-1]}, but it links "
                                        f"{link.target}, lecture {number}"))
        for word, step in (("next", 1), ("previous", -1), ("last", -1)):
            if here is not None and re.search(rf"\b{word}\b", link.text, re.IGNORECASE) and number != here + step:
                problems.append((link.line, f"link text {link.text!r} links {link.target}, lecture {number}, "
                                            f"from lecture {here}"))
    return sorted(problems)


def _check_page(app: Sphinx, docname: str, source: list[str]) -> None:
    path = Path(app.env.doc2path(docname))
    if not docname.startswith(CHECKED_FOLDERS) or path.suffix != ".md":
        return
    found = plain_lecture_mentions(source[0])
    if found:
        where = path.relative_to(app.srcdir).as_posix()
        raise ExtensionError("lectures named by their number without a link:\n" + "\n".join(
            f"{where}:{line}: {mention!r}: make it a link, {{doc}}`lecture N <NN_stem>`" for line, mention in found))


# ---------------------------------------------------------------------------------------------
# The syllabus's table of lectures


@dataclass(frozen=True)
class LectureRow:
    number: int
    docname: str
    topics: tuple[str, ...]  # "3. The language: ...", from the original schedule


def lecture_rows(root: Path, topics: list[dict]) -> list[LectureRow]:
    """Every lecture of ``_toc.yml``'s numbered parts in order, with the schedule's topics
    that list it (``topics``: the directive's body). A topic that names a stem which is
    not a numbered lecture of ``_toc.yml`` is an error, so the table cannot list a
    lecture the book does not have."""
    numbers = lecture_numbers(root)
    by_stem = {posixpath.basename(docname): docname for docname in numbers}
    covered: dict[str, list[str]] = {docname: [] for docname in numbers}
    for position, entry in enumerate(topics, start=1):
        if not isinstance(entry, dict) or not entry.get("topic") or not entry.get("lectures"):
            raise ValueError(f"topic {position} needs a 'topic' and a list of 'lectures': {entry!r}")
        for stem in entry["lectures"]:
            if stem not in by_stem:
                raise ValueError(f"topic {position} ({entry['topic']!r}) names {stem!r}, which is not a numbered "
                                 f"lecture of _toc.yml")
            covered[by_stem[stem]].append(f"{position}. {entry['topic']}")
    return [LectureRow(number, docname, tuple(covered[docname])) for docname, number in numbers.items()]


class LectureTable(SphinxDirective):
    """``{lecture-table}``: the lectures of ``_toc.yml`` with the schedule's topics each teaches."""

    has_content = True

    def run(self):
        root = Path(self.env.srcdir)
        self.env.note_dependency(str(root / "_toc.yml"))
        try:
            rows = lecture_rows(root, yaml.safe_load("\n".join(self.content)) or [])
        except (ValueError, yaml.YAMLError) as error:
            raise ExtensionError(f"{self.get_location()}: {{lecture-table}}: {error}") from error
        return [table(["#", "Lecture", "Topics of the original schedule"],
                      [[str(row.number), self.title_link(row.docname), "; ".join(row.topics) or "—"] for row in rows])]

    def title_link(self, docname: str) -> nodes.paragraph:
        xref = addnodes.pending_xref(
            "", refdomain="std", reftype="doc", reftarget=f"/{docname}", refexplicit=False, refdoc=self.env.docname
        )
        xref += nodes.inline(docname, docname)
        node = nodes.paragraph()
        node += xref
        return node


def setup(app: Sphinx) -> None:
    # Before the execution key is folded into a lecture (priority 500), so lines are the file's.
    app.connect("source-read", _check_page, priority=400)
    app.add_directive("lecture-table", LectureTable)
