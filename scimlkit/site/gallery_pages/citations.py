"""Citations in project reports, from each project's own ``references.bib``.

A report writes ``{cite}`key``` (or ``{cite:t}``) as a lecture does, but its keys
belong to its project: the course's ``sphinxcontrib-bibtex`` never sees them, so two
projects may both use ``smith2020`` and the course bibliography stays as it is. When a
project page is read, its ``{cite...}`` roles become ``{project-cite}`` roles, which
number the entries of the project's file in the order of the reference list (sorted by
author, year and title, as SIAM's style sorts them) and link to it; the list itself is
added under the report's *References* heading, or as a last section. The file was
checked first (``scimlkit.gallery.bibliography``): no LaTeX, bounded fields, every
cited key present.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from docutils import nodes
from sphinx.application import Sphinx
from sphinx.util import logging

from .state import page_of

logger = logging.getLogger(__name__)

_CITE = re.compile(r"\{cite(?::(p|t|ps|ts))?\}`")
ROLE, TEXTUAL_ROLE = "project-cite", "project-cite-t"


@dataclass(frozen=True)
class Reference:
    key: str
    number: int
    text: str  # the formatted entry
    short: str  # "Chen et al." for textual citations


def rewrite_cite_roles(text: str) -> str:
    """``{cite}`` and ``{cite:p}`` become the project role, ``{cite:t}`` its textual form."""
    return _CITE.sub(lambda match: f"{{{TEXTUAL_ROLE if match.group(1) in ('t', 'ts') else ROLE}}}`", text)


@cache
def _references(path: Path, mtime: float) -> dict[str, Reference]:
    from pybtex.database import parse_string
    from pybtex.plugin import find_plugin

    data = parse_string(path.read_text(encoding="utf-8"), "bibtex")
    style = find_plugin("pybtex.style.formatting", "plain")()
    formatted = style.format_bibliography(data)
    references = {}
    for number, entry in enumerate(formatted.entries, start=1):
        persons = data.entries[entry.key].persons.get("author") or data.entries[entry.key].persons.get("editor") or []
        surnames = [" ".join(person.last_names) for person in persons]
        if len(surnames) > 2:
            short = f"{surnames[0]} et al."
        else:
            short = " and ".join(surnames) or entry.key
        references[entry.key] = Reference(entry.key, number, entry.text.render_as("text"), short)
    return references


def references_of(page) -> dict[str, Reference]:
    """The numbered reference list of a project page (empty without a bibliography)."""
    if page is None or not page.project.bibliography:
        return {}
    path = page.checked.folder / page.project.bibliography
    return _references(path, path.stat().st_mtime)


def _anchor(key: str) -> str:
    return nodes.make_id(f"project-reference-{key}")


def _role(textual: bool):
    def role(name, rawtext, text, lineno, inliner, options=None, content=None):
        env = inliner.document.settings.env
        references = references_of(page_of(env.app, env.docname))
        keys = [key.strip() for key in text.split(",") if key.strip()]
        missing = [key for key in keys if key not in references]
        if missing:  # the check refuses this; the site only shows the keys
            message = inliner.reporter.warning(f"[gallery] unknown citation key(s) {', '.join(missing)}", line=lineno)
            return [nodes.inline(rawtext, f"[{text}]")], [message]
        result: list[nodes.Node] = []
        if textual:
            result.append(nodes.Text(f"{', '.join(references[key].short for key in keys)} "))
        result.append(nodes.Text("["))
        for index, key in enumerate(keys):
            if index:
                result.append(nodes.Text(", "))
            result.append(nodes.reference("", str(references[key].number), refid=_anchor(key), classes=["project-citation"]))
        result.append(nodes.Text("]"))
        return result, []

    return role


def add_reference_list(page, doctree: nodes.document) -> None:
    """The numbered list under the report's References heading, or as a new last section."""
    references = references_of(page)
    if not references:
        return
    listing = nodes.enumerated_list(enumtype="arabic", classes=["scimlkit-project-references"])
    for reference in sorted(references.values(), key=lambda item: item.number):
        item = nodes.list_item(ids=[_anchor(reference.key)])
        item += nodes.paragraph(text=reference.text)
        listing += item
    heading = next(
        (section for section in doctree.findall(nodes.section)
         if section.children and isinstance(section[0], nodes.title)
         and section[0].astext().strip().lower() in ("references", "bibliography")),
        None,
    )
    if heading is None:
        top = next(iter(doctree.findall(nodes.section)), doctree)
        heading = nodes.section(ids=["references"], names=["references"])
        heading += nodes.title(text="References")
        top += heading
    heading += listing


def setup(app: Sphinx) -> None:
    app.add_role(ROLE, _role(textual=False))
    app.add_role(TEXTUAL_ROLE, _role(textual=True))
