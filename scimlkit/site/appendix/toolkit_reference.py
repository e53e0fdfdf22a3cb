"""The Toolkit reference: every public ``scimlkit`` name, linked both ways with the lectures.

A reference page (``book/reference/*.rst``) writes one ``toolkit-reference`` directive
per toolkit module::

    .. toolkit-reference:: problems

It expands to a summary table and an autodoc entry (signature, type hints, docstring)
for each name the module exports through ``scimlkit.__all__``, documented as
``scimlkit.<name>``, the name lectures call as ``sk.<name>``.

The links come from the lectures themselves, at build time. While Sphinx reads the
pages, every displayed code cell that calls ``sk.<name>`` is recorded with the section
that holds it. When pages are written, each entry links to the section of the *first*
such cell in table-of-contents order: by the course's rule (write a method from
scratch, then switch to the toolkit) that is the section that builds the method. A
class that a toolkit function returns (``sk.fit`` returns a ``FitResult``) links to
where that function is first called, if that comes before the class's own first call. Under the first cell that
calls a name, the lecture gets a line linking to the name's entry; lecture sources are
not edited.

``tests/test_toolkit_reference.py`` checks, without building, that every public name
has a docstring and is called by a lecture, with the same scanner as the build.
"""

from __future__ import annotations

import inspect
import re
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, Iterable, Iterator

from docutils import nodes
from docutils.parsers.rst import directives
from docutils.statemachine import StringList
from sphinx.util import logging
from sphinx.util.docutils import SphinxDirective

import scimlkit

if TYPE_CHECKING:
    from sphinx.application import Sphinx
    from sphinx.environment import BuildEnvironment

logger = logging.getLogger(__name__)

#: A toolkit call in lecture code: ``sk.<name>`` (lectures import scimlkit as sk).
_TOOLKIT_CALL = re.compile(r"(?<![\w.])sk\.([A-Za-z_]\w*)")
_CODE_CELL = re.compile(r"^```\{code-cell\}[^\n]*\n(.*?)^```[ \t]*$", re.MULTILINE | re.DOTALL)
_CELL_OPTIONS = re.compile(r"\A(?:---\n.*?\n---\n|(?::[\w-]+:[^\n]*\n)+)", re.DOTALL)


# --- What the toolkit exports and what the lectures call (no Sphinx needed) -------------


def public_names() -> dict[str, str]:
    """Every public name mapped to the toolkit module that defines it."""
    return {name: scimlkit._EXPORTS[name] for name in scimlkit.__all__}


def toolkit_names(code: str) -> list[str]:
    """The public names ``code`` calls as ``sk.<name>``, in order of first appearance."""
    public = scimlkit._EXPORTS
    found = dict.fromkeys(name for name in _TOOLKIT_CALL.findall(code) if name in public)
    return list(found)


def code_cells(markdown: str) -> list[str]:
    """The sources of a MyST notebook's code cells, options stripped."""
    return [_CELL_OPTIONS.sub("", body, count=1) for body in _CODE_CELL.findall(markdown)]


def lecture_uses(lectures: Iterable[Path]) -> dict[str, Path]:
    """The first lecture (in the given order) whose code cells call each public name."""
    first: dict[str, Path] = {}
    for lecture in lectures:
        for cell in code_cells(lecture.read_text(encoding="utf-8")):
            for name in toolkit_names(cell):
                first.setdefault(name, lecture)
    return first


def is_data(name: str) -> bool:
    """Whether a public name is a value (a table, a constant) rather than a function or class."""
    value = getattr(scimlkit, name)
    return not (inspect.isclass(value) or inspect.isroutine(value))


def docstring(name: str) -> str:
    """The documentation of a public name: its own docstring, or for a value the ``#:``
    comment above its assignment (what autodoc shows); empty when there is none."""
    module = f"scimlkit.{scimlkit._EXPORTS[name]}"
    if is_data(name):
        from sphinx.pycode import ModuleAnalyzer

        lines = ModuleAnalyzer.for_module(module).find_attr_docs().get(("", name), [])
        return "\n".join(lines).strip()
    value = getattr(scimlkit, name)
    own = value.__dict__.get("__doc__") if inspect.isclass(value) else value.__doc__
    # A dataclass without a docstring gets one written from its signature: not documentation.
    if inspect.isclass(value) and own and own.startswith(f"{value.__name__}("):
        return ""
    return inspect.cleandoc(own or "")


def summary(name: str) -> str:
    """The first paragraph of a public name's documentation, on one line."""
    return " ".join(docstring(name).split("\n\n", 1)[0].split())


def returned_classes(name: str) -> list[str]:
    """The public classes named in a public function's return annotation."""
    value = getattr(scimlkit, name)
    if not inspect.isroutine(value):
        return []
    try:
        annotation = inspect.signature(value).return_annotation
    except (TypeError, ValueError):
        return []
    if annotation is inspect.Signature.empty:
        return []
    text = annotation if isinstance(annotation, str) else repr(annotation)
    words = set(re.findall(r"\w+", text))
    return sorted(
        other for other in words & set(scimlkit._EXPORTS) if other != name and inspect.isclass(getattr(scimlkit, other))
    )


@dataclass(frozen=True)
class Use:
    """Where a lecture first calls a public name."""

    docname: str
    cell: int  # the cell's position among the page's code cells
    section: str  # the id of the section that holds the cell
    section_title: str
    via: str | None = None  # for a returned class: the function that returned it


def first_uses(cells: Iterable[tuple[str, int, str, str, list[str]]]) -> dict[str, Use]:
    """The first use of each public name, from ``(docname, cell, section, section title,
    names)`` in reading order. A class is met where it is first named or where a function
    that returns it is first called, whichever comes first."""
    uses: dict[str, Use] = {}
    position: dict[str, int] = {}  # of each name's first cell in reading order
    for order, (docname, cell, section, title, names) in enumerate(cells):
        for name in names:
            if name not in uses:
                uses[name], position[name] = Use(docname, cell, section, title), order
    for name in sorted(position, key=position.__getitem__):
        if uses[name].via is not None:
            continue
        for returned in returned_classes(name):
            if returned not in position or position[name] < position[returned]:
                use = uses[name]
                uses[returned] = Use(use.docname, use.cell, use.section, use.section_title, via=name)
                position[returned] = position[name]
    return uses


def covered_names(lectures: Iterable[Path]) -> dict[str, str]:
    """Each public name a lecture uses, with how: ``"calls"`` or ``"returned by sk.<f>"``."""
    direct = lecture_uses(lectures)
    found = {name: "calls" for name in direct}
    for name in direct:
        for returned in returned_classes(name):
            found.setdefault(returned, f"returned by sk.{name}")
    return found


# --- Sphinx: the directive, what the build records, and the links it writes -------------


class toolkit_origin(nodes.General, nodes.Element):
    """Placeholder in an entry for its lecture link, filled in when the page is written."""


class ToolkitReference(SphinxDirective):
    """``.. toolkit-reference:: <module>``: every public name of one toolkit module."""

    required_arguments = 1
    option_spec = {"no-summary": directives.flag}

    def run(self) -> list[nodes.Node]:
        module = self.arguments[0]
        names = sorted(name for name, where in public_names().items() if where == module)
        if not names:
            logger.warning("scimlkit has no public name from module %r", module, location=self.get_location())
            return []
        lines = [f".. automodule:: scimlkit.{module}", "   :no-index:", ""]
        if "no-summary" not in self.options:
            lines += [".. list-table::", "   :header-rows: 1", "", "   * - Name", "     - Summary"]
            for name in names:
                lines += [f"   * - :py:obj:`sk.{name} <scimlkit.{name}>`", f"     - {summary(name)}"]
            lines.append("")
        for name in names:
            lines.append("")
            value = getattr(scimlkit, name)
            if inspect.isclass(value):
                lines += [f".. autoclass:: scimlkit.{name}", "   :members:", ""]
            elif inspect.isroutine(value):
                lines += [f".. autofunction:: scimlkit.{name}", ""]
            else:
                lines += [f".. py:data:: {name}", "   :module: scimlkit", ""]
                lines += [f"   {line}" if line else "" for line in docstring(name).splitlines()]
        container = nodes.container()
        self.state.nested_parse(StringList(lines, source=f"<toolkit-reference {module}>"), self.content_offset, container)
        entries = _reference_entries(self.env)
        for desc in container.findall(_desc_type()):
            signature = next(iter(desc.findall(_signature_type())), None)
            if signature is None or desc.parent is not container:
                continue  # members of a class are documented with their class
            full = signature.get("fullname") or ""
            ids = signature.get("ids") or []
            name = full.rsplit(".", 1)[-1]
            if name in names and ids:
                entries[name] = (self.env.docname, ids[0])
                content = next(iter(desc.findall(_content_type())))
                content += toolkit_origin(name=name)
        return container.children


def _desc_type():
    from sphinx import addnodes

    return addnodes.desc


def _signature_type():
    from sphinx import addnodes

    return addnodes.desc_signature


def _content_type():
    from sphinx import addnodes

    return addnodes.desc_content


def _reference_entries(env: BuildEnvironment) -> dict[str, tuple[str, str]]:
    if not hasattr(env, "scimlkit_reference_entries"):
        env.scimlkit_reference_entries = {}
    return env.scimlkit_reference_entries


def _lecture_cells(env: BuildEnvironment) -> dict[str, list[tuple[int, str, str, list[str]]]]:
    if not hasattr(env, "scimlkit_toolkit_cells"):
        env.scimlkit_toolkit_cells = {}
    return env.scimlkit_toolkit_cells


def _code_cells(doctree: nodes.Node) -> Iterator[tuple[int, nodes.Element]]:
    """A page's displayed code cells (myst-nb containers), numbered in reading order."""
    cells = (node for node in doctree.findall(nodes.container) if node.get("nb_element") == "cell_code")
    yield from enumerate(cells)


def _record_toolkit_calls(app: Sphinx, doctree: nodes.document) -> None:
    found = []
    for index, cell in _code_cells(doctree):
        source = "\n".join(block.astext() for block in cell.findall(nodes.literal_block) if _is_cell_source(block))
        names = toolkit_names(source)
        if not names:
            continue
        section = _enclosing_section(cell)
        if section is None or not section["ids"]:
            continue
        found.append((index, section["ids"][0], section[0].astext() if section.children else "", names))
    cells = _lecture_cells(app.env)
    if found:
        cells[app.env.docname] = found
    else:
        cells.pop(app.env.docname, None)


def _is_cell_source(block: nodes.literal_block) -> bool:
    parent = block.parent
    return parent is not None and parent.get("nb_element") == "cell_code_source"


def _enclosing_section(node: nodes.Node) -> nodes.section | None:
    while node is not None and not isinstance(node, nodes.section):
        node = node.parent
    return node


def _toc_order(env: BuildEnvironment) -> list[str]:
    """Every page in table-of-contents order, from the root document."""
    order: list[str] = []
    seen: set[str] = set()

    def visit(docname: str) -> None:
        if docname in seen:
            return
        seen.add(docname)
        order.append(docname)
        for child in env.toctree_includes.get(docname, []):
            visit(child)

    visit(env.config.root_doc)
    return order


def _uses(env: BuildEnvironment) -> dict[str, Use]:
    cells = _lecture_cells(env)
    ordered = [
        (docname, index, section, title, names)
        for docname in _toc_order(env)
        for index, section, title, names in cells.get(docname, [])
    ]
    return first_uses(ordered)


def _write_links(app: Sphinx, doctree: nodes.document, docname: str) -> None:
    env = app.env
    uses = _uses(env)
    entries = _reference_entries(env)
    for placeholder in list(doctree.findall(toolkit_origin)):
        placeholder.replace_self(_origin_paragraph(app, docname, placeholder["name"], uses.get(placeholder["name"])))
    firsts: dict[int, list[str]] = {}
    for name, use in uses.items():
        if use.docname == docname and use.via is None and name in entries:
            firsts.setdefault(use.cell, []).append(name)
    if not firsts:
        return
    for index, cell in list(_code_cells(doctree)):
        names = firsts.get(index)
        if not names:
            continue
        note = nodes.paragraph(classes=["scimlkit-toolkit-link"])
        note += nodes.Text("In the Toolkit reference: ")
        for position, name in enumerate(sorted(names)):
            if position:
                note += nodes.Text(", ")
            target_doc, anchor = entries[name]
            uri = app.builder.get_relative_uri(docname, target_doc) + "#" + anchor
            link = nodes.reference("", "", internal=True, refuri=uri)
            link += nodes.literal(text=f"sk.{name}")
            note += link
        note += nodes.Text(".")
        cell.parent.insert(cell.parent.index(cell) + 1, note)


def _origin_paragraph(app: Sphinx, fromdoc: str, name: str, use: Use | None) -> nodes.paragraph:
    note = nodes.paragraph(classes=["scimlkit-toolkit-origin"])
    if use is None:
        note += nodes.Text("No lecture uses it yet.")
        return note
    env = app.env
    lecture = env.titles[use.docname].astext() if use.docname in env.titles else use.docname
    if use.via is not None:
        note += nodes.Text("Returned by ")
        note += nodes.literal(text=f"sk.{use.via}")
        note += nodes.Text(", first called in ")
    else:
        note += nodes.Text("Built and first called in ")
    uri = app.builder.get_relative_uri(fromdoc, use.docname) + "#" + use.section
    link = nodes.reference("", "", internal=True, refuri=uri)
    link += nodes.Text(lecture if use.section_title in ("", lecture) else f"{lecture}: {use.section_title}")
    note += link
    note += nodes.Text(".")
    return note


def _resolve_public_name(app: Sphinx, env: BuildEnvironment, node: nodes.Element, contnode: nodes.Node):
    """Link ``:func:`solve``` in a docstring, or ``ODEProblem`` in a signature, to the
    entry of the public name, which is documented as ``scimlkit.<name>``."""
    if node.get("refdomain") != "py":
        return None
    target = node.get("reftarget", "")
    if "." in target and not target.startswith("scimlkit."):
        return None
    entry = _reference_entries(env).get(target.rsplit(".", 1)[-1])
    if entry is None:
        return None
    from sphinx.util.nodes import make_refnode

    return make_refnode(app.builder, node["refdoc"], entry[0], entry[1], contnode)


def _purge(app: Sphinx, env: BuildEnvironment, docname: str) -> None:
    _lecture_cells(env).pop(docname, None)
    entries = _reference_entries(env)
    for name in [name for name, (where, _) in entries.items() if where == docname]:
        del entries[name]


def _merge(app: Sphinx, env: BuildEnvironment, docnames: set[str], other: BuildEnvironment) -> None:
    for docname, found in _lecture_cells(other).items():
        if docname in docnames:
            _lecture_cells(env)[docname] = found
    for name, (where, anchor) in _reference_entries(other).items():
        if where in docnames:
            _reference_entries(env)[name] = (where, anchor)


def _pages_with_links(app: Sphinx, env: BuildEnvironment) -> list[str]:
    """Rewrite the reference pages and the lectures that call the toolkit on every build:
    a lecture read again may have moved a first call, which changes links on pages that
    were not read again."""
    pages = {where for where, _ in _reference_entries(env).values()} | set(_lecture_cells(env))
    return sorted(pages & set(env.all_docs))


def _configure_autodoc(app: Sphinx, config: Any) -> None:
    # jaxtyping annotations such as Float[Array, 'm n'] read best without module paths.
    defaults = {
        "autodoc_typehints_format": "short",
        "autodoc_member_order": "bysource",
        "autodoc_preserve_defaults": True,
        # Naming jaxtyping's array types keeps autodoc from evaluating annotations written
        # as Float[ArrayLike, " m"] into Float[jaxlib._jax.Array, 'm'] | Float[ndarray, 'm']:
        # the signature then shows them as the source writes them.
        "autodoc_type_aliases": {
            name: name for name in ("Array", "ArrayLike", "PyTree", "PRNGKeyArray")
        },
    }
    for key, value in defaults.items():
        if key not in config._raw_config:
            config[key] = value


def _skip(translator: Any, node: nodes.Node) -> None:
    raise nodes.SkipNode


def setup(app: Sphinx) -> dict[str, Any]:
    app.setup_extension("sphinx.ext.autodoc")
    app.connect("config-inited", _configure_autodoc)
    # Every placeholder is replaced when its page is resolved; a writer that still met
    # one (a builder that resolves pages its own way) leaves it out.
    skip = (_skip, None)
    app.add_node(toolkit_origin, html=skip, latex=skip, text=skip, man=skip, texinfo=skip)
    app.add_directive("toolkit-reference", ToolkitReference)
    app.connect("doctree-read", _record_toolkit_calls)
    app.connect("doctree-resolved", _write_links)
    app.connect("env-purge-doc", _purge)
    app.connect("env-merge-info", _merge)
    app.connect("env-get-updated", _pages_with_links)
    app.connect("missing-reference", _resolve_public_name)
    return {"version": "0.1", "parallel_read_safe": True, "parallel_write_safe": True}
