"""Markdown cells a reader's Jupyter or Colab shows well: MyST turned into plain Markdown.

The downloaded and Colab notebooks keep the executed code cells and their outputs; only
their Markdown cells change. MyST syntax that plain Jupyter would show as literal text
becomes what it means:

- admonitions become quoted blocks with a bold title (headed blocks when they hold
  display maths, which a quote would break); dropdowns become ``<details>``;
- definitions, theorems (``prf:``) and exercises become headed sections, numbered in
  the notebook; a solution becomes a "Solution to Exercise n" section whose cell
  JupyterLab shows collapsed;
- ``{cite}`` becomes author-year text, and the cited works are listed in a last cell;
- ``{ref}``, ``{numref}``, ``{eq}`` and ``{doc}`` become links to the published site;
  ``(label)=`` targets and ``% comments`` go; ``{glue:text}`` becomes the glued value;
- figures become Markdown images (served by the site) with their caption; maths is kept
  exactly as written.

The converter works on the MyST source of each cell with the MyST parser's own block
tokens (so fences inside code blocks are never touched) rather than on the rendered
doctree: the cells then keep the author's Markdown, maths and line breaks.
(QuantEcon's ``sphinx-tojupyter`` rebuilds notebooks from the doctree in a Sphinx builder
of its own; it would mean a second full Sphinx build and notebooks without the cached
outputs.)

What maintained tools do now, and why each part here remains:

- *Reading MyST into a notebook* is not done here: jupytext's MyST format and myst-nb's
  ``read_myst_markdown_notebook`` (which the build uses, ``build.book.keyed_notebook``)
  split the file into cells, and this module starts from the notebook myst-nb read.
  Both copy a Markdown cell's MyST source verbatim (myst-nb 1.4's ``_flush_markdown``
  takes the file's lines as they are), so the cells still need converting.
- *Finding the blocks* is myst-parser's own tokenizer (``create_md_parser`` with the
  course's extensions), not a hand-written one; only the directive bodies' ``:key:``
  options are split here (``split_options``), because myst-parser's option parser needs
  the directive's class, and most of these directives (exercises, proofs, glue figures)
  belong to extensions that are not loaded when a notebook is cleaned.
- *Directives and roles to CommonMark*: mystmd has an ipynb export with a CommonMark
  option (``myst-to-ipynb``, ``markdown: commonmark``) in some versions of its repository,
  but not in the snapshot of its main branch read for this review (August 2026), and the
  version of its writer that was read leaves every code cell without outputs. It is also
  mystmd's own build (Node, its own reference and citation resolution), while the links,
  equation numbers and author-year citations here must be Sphinx's: ``sphinx_resolver``
  reads them from the Sphinx build that wrote the page. So the conversion stays.
- *Glued values* (``glued_values``): myst-nb's ``extract_glue_data_cell`` finds the same
  outputs but removes them from the cell it is given (it prepares cells for rendering);
  reading the ``scrapbook`` records directly leaves the notebook as it is.
- *The reference list* (``bibliography``) formats the book's BibTeX files with pybtex,
  which sphinxcontrib-bibtex uses too, with the same ``plain`` style, written as Markdown.
"""

from __future__ import annotations

import ast
import copy
import posixpath
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

#: MyST extensions the course enables (``_config.yml``) that change block structure.
_EXTENSIONS = {"amsmath", "colon_fence", "deflist", "dollarmath", "substitution"}
_ROLE = re.compile(r"\{(?P<name>[A-Za-z][\w:.+-]*)\}`(?P<content>[^`]+)`")
_EXPLICIT_TARGET = re.compile(r"^(?P<text>.*?)\s*<(?P<target>[^<>]+)>$", re.DOTALL)
_SUBSTITUTION = re.compile(r"\{\{\s*(?P<name>[\w.-]+)\s*\}\}")
COLLAPSED = "jp-MarkdownHeadingCollapsed"  # JupyterLab's "this heading's section is folded"
_SPLIT = "\x00scimlkit-collapsed-cell\x00"
_SPLIT_END = "\x00scimlkit-cell-break\x00"

ADMONITION_TITLES = {
    "note": "Note", "tip": "Tip", "hint": "Hint", "important": "Important", "warning": "Warning",
    "caution": "Caution", "attention": "Attention", "danger": "Danger", "error": "Error",
    "seealso": "See also", "margin": "", "sidebar": "", "topic": "", "admonition": "",
}
NUMBERED = {  # headed sections, numbered per notebook
    "exercise": "Exercise", "definition": "Definition", "theorem": "Theorem", "lemma": "Lemma",
    "proposition": "Proposition", "corollary": "Corollary", "algorithm": "Algorithm",
    "remark": "Remark", "conjecture": "Conjecture", "example": "Example", "axiom": "Axiom",
    "criterion": "Criterion", "assumption": "Assumption", "observation": "Observation",
    "property": "Property", "proof": "Proof",
}
DROPPED = {"bibliography", "toctree", "tableofcontents", "contents", "index", "include", "only"}


@dataclass(frozen=True)
class Reference:
    """One bibliography entry: how a citation names it, and its full listing."""

    authors: str  # "Rackauckas et al."
    year: str
    listing: str  # Markdown


@dataclass
class Resolver:
    """What the converter looks up: labels, equations, page titles, the bibliography."""

    site_url: str = ""  # the published site's root URL ("" leaves links relative)
    labels: dict[str, tuple[str, str, str]] = field(default_factory=dict)  # label -> (doc, anchor, title)
    equations: dict[str, tuple[str, int]] = field(default_factory=dict)  # label -> (doc, number)
    titles: dict[str, str] = field(default_factory=dict)  # docname -> title
    references: dict[str, Reference] = field(default_factory=dict)
    substitutions: dict[str, str] = field(default_factory=dict)

    def url(self, docname: str, anchor: str = "") -> str:
        base = self.site_url.rstrip("/") + "/" if self.site_url else ""
        return f"{base}{docname}.html" + (f"#{anchor}" if anchor else "")


class NotebookCleaner:
    """Converts the Markdown cells of one notebook (numbering and citations span cells)."""

    def __init__(self, resolver: Resolver, glued: dict[str, Any] | None = None, docname: str = ""):
        self.resolver = resolver
        self.docname = docname
        self.glued = glued or {}
        self.counters: dict[str, int] = {}
        self.exercise_numbers: dict[str, int] = {}
        self.cited: list[str] = []
        from markdown_it.renderer import RendererHTML
        from myst_parser.config.main import MdParserConfig
        from myst_parser.parsers.mdit import create_md_parser

        self._parser = create_md_parser(MdParserConfig(enable_extensions=_EXTENSIONS), RendererHTML)

    # -- blocks ---------------------------------------------------------------------
    def markdown(self, text: str) -> str:
        """One cell's (or one directive body's) MyST source as plain Markdown."""
        lines = text.splitlines()
        pieces: list[str] = []
        position = 0
        plain: list[str] = []

        def flush_plain() -> None:
            if plain:
                pieces.append(self.inline("\n".join(plain)))
                plain.clear()

        for token in self._parser.parse(text):
            if token.level != 0 or token.map is None:
                continue
            start, end = token.map
            if start < position:
                continue
            plain.extend(lines[position:start])
            position = start
            replacement = self._block(token, lines[start:end])
            if replacement is None:
                continue  # ordinary Markdown: handled as plain text with the lines around it
            flush_plain()
            pieces.append(replacement)
            position = end
        plain.extend(lines[position:])
        flush_plain()
        return re.sub(r"\n{3,}", "\n\n", "\n".join(pieces)).strip("\n")

    def _block(self, token, source: list[str]) -> str | None:
        kind = token.type
        if kind in ("myst_target", "myst_line_comment", "myst_block_break"):
            return ""
        if kind == "math_block_label":  # `$$ ... $$ (label)`: maths kept, label dropped
            return f"$$\n{token.content.strip()}\n$$"
        if kind in ("fence", "code_block"):
            if kind == "fence" and token.info.startswith("{"):
                return self._directive(token.info, token.content)
            return "\n".join(source)  # code: never touched
        if kind == "colon_fence" and token.info.startswith("{"):
            return self._directive(token.info, token.content)
        if kind == "math_block" or kind == "amsmath":
            return "\n".join(source)
        return None

    def _directive(self, info: str, body: str) -> str:
        match = re.match(r"\{(?P<name>[^}]+)\}\s*(?P<argument>.*)", info, re.DOTALL)
        name, argument = match["name"].strip(), match["argument"].strip()
        options, content = split_options(body)
        short = name.split(":")[-1]
        if name in DROPPED or short in DROPPED:
            return ""
        if name in ("code-block", "code", "sourcecode"):
            return f"```{argument}\n{content.rstrip()}\n```"
        if name == "math":
            return f"$$\n{content.strip()}\n$$"
        if name == "raw":
            return content if argument.lower() == "html" else ""
        if name in ("figure", "image", "glue:figure"):
            return self._figure(name, argument, options, content)
        if name == "list-table":
            return self._list_table(argument, content)
        if name in ("solution", "solution-start"):
            return self._solution(name, argument, content)
        if name == "solution-end":  # what follows leaves the folded solution's cells
            return _SPLIT_END
        if name in ("dropdown", "toggle", "details"):
            return f"<details><summary>{argument or 'Details'}</summary>\n\n{self.markdown(content)}\n\n</details>"
        if short in NUMBERED and (name == short or name.startswith("prf:")):
            return self._numbered(short, argument, options, content)
        if name in ADMONITION_TITLES:
            title = argument if name in ("admonition", "margin", "sidebar", "topic") else ADMONITION_TITLES[name]
            inner = content if name in ("admonition", "margin", "sidebar", "topic") or not argument else (
                f"{argument}\n{content}")
            return self._admonition(self.inline(title), self.markdown(inner))
        # Layout directives (tabs, grids, cards) and anything else: the title, then the content.
        heading = f"**{self.inline(argument)}**\n\n" if argument else ""
        return heading + self.markdown(content)

    def _admonition(self, title: str, content: str) -> str:
        if "$$" in content or "\\begin{" in content:
            rule = "\n\n---\n\n"  # a quote would break display maths: a headed block instead
            return f"{rule}**{title}**\n\n{content}{rule}" if title else f"{rule}{content}{rule}"
        quoted = "\n".join(f"> {line}" if line.strip() else ">" for line in content.splitlines())
        return f"> **{title}**\n>\n{quoted}" if title else quoted

    def _numbered(self, kind: str, argument: str, options: dict[str, str], content: str) -> str:
        label = NUMBERED[kind]
        if kind == "proof":
            heading = f"#### Proof{': ' + self.inline(argument) if argument else ''}"
        else:
            number = self.counters[kind] = self.counters.get(kind, 0) + 1
            if kind == "exercise" and "label" in options:
                self.exercise_numbers[options["label"]] = number
            title = f" ({self.inline(argument)})" if argument else ""
            heading = f"#### {label} {number}{title}"
        return f"{heading}\n\n{self.markdown(content)}"

    def _solution(self, name: str, argument: str, content: str) -> str:
        number = self.exercise_numbers.get(argument.strip())
        title = f"Solution to Exercise {number}" if number else "Solution"
        body = self.markdown(content)
        if name == "solution":  # the whole solution is Markdown: fold it in place
            return f"<details><summary>{title}</summary>\n\n{body}\n\n</details>"
        # A gated solution spans the code cells up to solution-end: a section of its own,
        # starting a cell that JupyterLab shows folded.
        return f"{_SPLIT}#### {title}\n\n{body}".rstrip()

    def _figure(self, name: str, argument: str, options: dict[str, str], content: str) -> str:
        if name == "glue:figure":
            return f"*{self.markdown(content)}*" if content.strip() else ""
        source = argument
        if not re.match(r"^[a-z]+://", source):
            source = f"{self.resolver.site_url.rstrip('/')}/_images/{Path(source).name}" if (
                self.resolver.site_url) else source
        alt = options.get("alt", "").replace("]", "")
        image = f"![{alt}]({source})"
        caption = self.markdown(content).strip()
        return f"{image}\n\n*{caption}*" if name == "figure" and caption else image

    def _list_table(self, argument: str, content: str) -> str:
        rows: list[list[str]] = []
        for line in content.splitlines():
            row = re.match(r"^\*\s+-\s*(.*)$", line)
            cell = re.match(r"^\s+-\s*(.*)$", line)
            if row:
                rows.append([row[1]])
            elif cell and rows:
                rows[-1].append(cell[1])
            elif line.strip() and rows:
                rows[-1][-1] += " " + line.strip()
        if not rows:
            return ""
        width = max(len(row) for row in rows)
        cells = [[self.inline(text).replace("|", "\\|") for text in row] + [""] * (width - len(row)) for row in rows]
        table = ["| " + " | ".join(cells[0]) + " |", "|" + " --- |" * width]
        table += ["| " + " | ".join(row) + " |" for row in cells[1:]]
        title = f"**{self.inline(argument)}**\n\n" if argument else ""
        return title + "\n".join(table)

    # -- inline ---------------------------------------------------------------------
    def inline(self, text: str) -> str:
        text = _SUBSTITUTION.sub(lambda m: self.resolver.substitutions.get(m["name"], m[0]), text)
        return _ROLE.sub(lambda m: self._role(m["name"], m["content"]), text)

    def _role(self, name: str, content: str) -> str:
        handler: Callable[[str], str] | None = getattr(self, "_role_" + name.replace(":", "_").replace("-", "_"), None)
        if name.startswith("cite"):
            return self._cite(name, content)
        if name.startswith("glue"):
            return self._glue(content)
        if handler is not None:
            return handler(content)
        return _EXPLICIT_TARGET.match(content)["text"] if _EXPLICIT_TARGET.match(content) else content

    def _cite(self, name: str, content: str) -> str:
        keys = [key.strip() for key in content.split(",") if key.strip()]
        for key in keys:
            if key not in self.cited:
                self.cited.append(key)
        found = [self.resolver.references.get(key) for key in keys]
        named = [(ref.authors, ref.year) if ref else (key, "") for key, ref in zip(keys, found)]
        if name in ("cite:t", "cite:ts"):
            return ", ".join(f"{authors} ({year})" if year else authors for authors, year in named)
        if name == "cite:author":
            return ", ".join(authors for authors, _ in named)
        if name == "cite:year":
            return ", ".join(year for _, year in named)
        return "(" + "; ".join(f"{authors}, {year}" if year else authors for authors, year in named) + ")"

    def _glue(self, content: str) -> str:
        name, _, spec = content.partition(":")
        if name not in self.glued:
            return f"`{name}`"
        value = self.glued[name]
        try:
            return format(value, spec) if spec else str(value)
        except (TypeError, ValueError):
            return str(value)

    def _link(self, content: str, lookup: Callable[[str], tuple[str, str] | None]) -> str:
        explicit = _EXPLICIT_TARGET.match(content)
        text, target = (explicit["text"], explicit["target"]) if explicit else (None, content)
        found = lookup(target.strip())
        if found is None:
            return text or target
        title, url = found
        return f"[{text or title}]({url})"

    def _role_ref(self, content: str) -> str:
        def lookup(label: str):
            if label in self.exercise_numbers:
                return f"Exercise {self.exercise_numbers[label]}", f"#{label}"
            if label in self.resolver.labels:
                docname, anchor, title = self.resolver.labels[label]
                return title or label, self.resolver.url(docname, anchor)
            return None

        explicit = _EXPLICIT_TARGET.match(content)
        label = (explicit["target"] if explicit else content).strip()
        if label in self.exercise_numbers:  # an exercise of this notebook: plain text
            return explicit["text"] if explicit else f"Exercise {self.exercise_numbers[label]}"
        return self._link(content, lookup)

    _role_numref = _role_ref
    _role_prf_ref = _role_ref

    def _role_eq(self, content: str) -> str:
        def lookup(label: str):
            if label not in self.resolver.equations:
                return None
            docname, number = self.resolver.equations[label]
            return f"({number})", self.resolver.url(docname, f"equation-{label}")

        return self._link(content, lookup)

    def _role_doc(self, content: str) -> str:
        def lookup(target: str):
            target = target.removesuffix(".md").removesuffix(".ipynb")
            folder = posixpath.dirname(self.docname)
            docname = target.lstrip("/") if target.startswith("/") else posixpath.normpath(posixpath.join(folder, target))
            return self.resolver.titles.get(docname, docname), self.resolver.url(docname)

        return self._link(content, lookup)

    def _role_math(self, content: str) -> str:
        return f"${content}$"

    def _role_sub(self, content: str) -> str:
        return f"<sub>{content}</sub>"

    def _role_sup(self, content: str) -> str:
        return f"<sup>{content}</sup>"

    def _role_kbd(self, content: str) -> str:
        return f"<kbd>{content}</kbd>"

    def _role_abbr(self, content: str) -> str:
        return re.sub(r"\s*\([^)]*\)\s*$", "", content)

    # -- notebooks ------------------------------------------------------------------
    def references_cell_source(self) -> str | None:
        if not self.cited:
            return None
        entries = []
        for key in sorted(self.cited, key=lambda k: (self.resolver.references[k].authors.lower(), k)
                          if k in self.resolver.references else (k, k)):
            reference = self.resolver.references.get(key)
            entries.append(f"- {' '.join(reference.listing.split())}" if reference else f"- {key}")
        return "## References\n\n" + "\n".join(entries)


def split_options(body: str) -> tuple[dict[str, str], str]:
    """A directive body's ``:key: value`` lines (or ``---`` YAML block) and its content."""
    lines = body.splitlines()
    options: dict[str, str] = {}
    if lines and lines[0].strip() == "---":
        import yaml

        closing = next((i for i, line in enumerate(lines[1:], 1) if line.strip() == "---"), None)
        if closing is not None:
            loaded = yaml.safe_load("\n".join(lines[1:closing])) or {}
            options = {str(k): str(v) for k, v in loaded.items()} if isinstance(loaded, dict) else {}
            return options, "\n".join(lines[closing + 1:])
    index = 0
    while index < len(lines):
        option = re.match(r"^:(?P<key>[\w-]+):\s*(?P<value>.*)$", lines[index])
        if not option:
            break
        options[option["key"]] = option["value"].strip()
        index += 1
    return options, "\n".join(lines[index:])


def glued_values(notebook: dict) -> dict[str, Any]:
    """Values the notebook's cells glued (myst-nb stores each as a ``text/plain`` literal)."""
    values = {}
    for cell in notebook.get("cells", []):
        for output in cell.get("outputs", []):
            record = (output.get("metadata") or {}).get("scrapbook")
            data = output.get("data") or {}
            key = (record or {}).get("mime_prefix", "") + "text/plain"
            if record is None or key not in data:
                continue
            text = "".join(data[key]) if isinstance(data[key], list) else data[key]
            try:
                values[record["name"]] = ast.literal_eval(text)
            except (ValueError, SyntaxError):
                values[record["name"]] = text
    return values


def clean_notebook(notebook: dict, resolver: Resolver, docname: str = "") -> dict:
    """A copy of ``notebook`` (the page ``docname``) whose Markdown cells are plain Markdown,
    with a references cell."""
    cleaned = copy.deepcopy(notebook)
    cleaner = NotebookCleaner(resolver, glued_values(notebook), docname)
    cells = []
    for cell in cleaned.get("cells", []):
        if cell.get("cell_type") != "markdown":
            cells.append(cell)
            continue
        source = cell["source"] if isinstance(cell["source"], str) else "".join(cell["source"])
        parts = re.split(f"({_SPLIT}|{_SPLIT_END})", cleaner.markdown(source))
        folded = False
        for index, part in enumerate(parts):
            if part in (_SPLIT, _SPLIT_END):
                folded = part == _SPLIT
                continue
            if not part.strip():
                continue
            piece = copy.deepcopy(cell)
            piece["source"] = part.strip("\n")
            if folded:  # a solution's heading: folded in JupyterLab
                piece["metadata"] = {**piece.get("metadata", {}), COLLAPSED: True}
            if index > 0 and "id" in piece:
                piece["id"] = f"{cell['id']}-{index}"[:64]
            cells.append(piece)
            folded = False
    references = cleaner.references_cell_source()
    if references:
        cell = {"cell_type": "markdown", "metadata": {}, "source": references}
        if any("id" in c for c in cells):
            cell["id"] = "scimlkit-references"
        cells.append(cell)
    cleaned["cells"] = cells
    return cleaned


def bibliography(paths: list[Path]) -> dict[str, Reference]:
    """Every entry of the BibTeX files as author-year names and Markdown listings."""
    from pybtex.database import parse_file
    from pybtex.plugin import find_plugin

    style = find_plugin("pybtex.style.formatting", "plain")()
    backend = find_plugin("pybtex.backends", "markdown")()
    references = {}
    for path in paths:
        data = parse_file(str(path), bib_format="bibtex")
        formatted = {entry.key: entry for entry in style.format_entries(data.entries.values())}
        for key, entry in data.entries.items():
            people = entry.persons.get("author") or entry.persons.get("editor") or []
            last = [" ".join(person.last_names) for person in people]
            last = [_latex_to_text(name) for name in last]
            if len(last) >= 3:
                authors = f"{last[0]} et al."
            elif len(last) == 2:
                authors = f"{last[0]} and {last[1]}"
            else:
                authors = last[0] if last else _latex_to_text(entry.fields.get("title", key))
            listing = formatted[key].text.render(backend) if key in formatted else key
            references[key] = Reference(authors, entry.fields.get("year", ""), _latex_to_text(listing))
    return references


def _latex_to_text(text: str) -> str:
    return re.sub(r"[{}]", "", text).replace("\\&", "&").replace("--", "–")


def sphinx_resolver(app) -> Resolver:
    """The resolver for a Sphinx build (made once per build: the bibliography is parsed once)."""
    cached = getattr(app, "_scimlkit_notebook_resolver", None)
    if cached is not None:
        return cached
    env = app.env
    std = env.get_domain("std")
    labels = {label: (doc, anchor, title) for label, (doc, anchor, title) in std.labels.items()}
    for label, (doc, anchor) in std.anonlabels.items():
        labels.setdefault(label, (doc, anchor, ""))
    equations = {label: (doc, number) for label, (doc, number) in env.get_domain("math").data["objects"].items()}
    srcdir = Path(app.srcdir)
    bibfiles = [srcdir / name for name in getattr(app.config, "bibtex_bibfiles", []) or []]
    substitutions = {str(k): str(v) for k, v in (getattr(app.config, "myst_substitutions", None) or {}).items()}
    resolver = Resolver(
        site_url=app.config.html_baseurl or "",
        labels=labels,
        equations=equations,
        titles={doc: title.astext() for doc, title in env.titles.items()},
        references=bibliography([path for path in bibfiles if path.is_file()]),
        substitutions=substitutions,
    )
    app._scimlkit_notebook_resolver = resolver
    return resolver
