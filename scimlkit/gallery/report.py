"""Checks on a report: it parses, it stays inside its folder, it cites enough work.

The site renders MyST reports and notebooks, so their text is untrusted input to
Sphinx. Anything that can reach outside the folder or run code at build time is
refused here: raw HTML, substitutions (MyST renders them with Jinja2), directives
outside a short allowlist (``include``, ``raw``, ``eval-rst``, ``code-cell`` ... are
not on it), links and images that leave the folder, notebook metadata that would
change how myst-nb runs. An invalid project never reaches the site, so these checks
are also the site's first line of defence.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from pathlib import Path

from . import placeholders
from .files import inside
from .problems import Problem
from .yaml_source import YamlSourceError, parse_mapping

MIN_REFERENCES = 3
ADMONITIONS = {
    "admonition", "attention", "caution", "danger", "error", "hint", "important", "note",
    "seealso", "tip", "warning",
}
# Directives a report may use; everything else (include, raw, eval-rst, code-cell, toctree,
# plot, ...) could read files, run code or change the site's structure.
CONTENT_DIRECTIVES = ADMONITIONS | {
    "figure", "list-table", "table", "epigraph", "topic", "sidebar", "margin", "dropdown",
    "tab-set", "tab-item", "card", "grid", "grid-item", "grid-item-card",
}
LITERAL_DIRECTIVES = {"code", "code-block", "sourcecode", "math", "image"}
CITE_ROLES = {"cite", "cite:p", "cite:t", "cite:ps", "cite:ts"}
ALLOWED_ROLES = {"math", "eq", "ref", "numref", "doc", "download", "sub", "sup", "abbr", "code", "term", "kbd"} | CITE_ROLES
FILE_OPTIONS = re.compile(r"^\s*:(file|url|source|literal|encoding|include)\s*:", re.MULTILINE)
FORBIDDEN_METADATA = ("mystnb", "myst", "substitutions", "html_meta")
# Output types the site shows; others (HTML, JavaScript, widgets) are dropped at build time.
SHOWN_MIME_TYPES = ("text/plain", "image/png", "image/jpeg", "image/svg+xml", "text/latex")
LINK_SCHEMES = ("http://", "https://", "mailto:")
IMAGE_SUFFIXES = (".png", ".jpg", ".jpeg", ".svg", ".gif")
_REFERENCE_HEADINGS = {"references", "bibliography"}


@dataclass
class MarkdownScan:
    """What a scan of MyST text found: problems, its first heading, its references."""

    problems: list[Problem] = field(default_factory=list)
    first_heading_level: int | None = None
    references: int = 0
    cited: list[tuple[str, int | None, str]] = field(default_factory=list)  # (key, line, where) of each {cite}


def _parser():
    from markdown_it.renderer import RendererHTML
    from myst_parser.config.main import MdParserConfig
    from myst_parser.parsers.mdit import create_md_parser

    # The same syntax extensions as the book (_config.yml), so that the scan sees what Sphinx will.
    extensions = {"amsmath", "colon_fence", "deflist", "dollarmath", "html_image", "linkify", "substitution"}
    return create_md_parser(MdParserConfig(enable_extensions=extensions), RendererHTML)


_FIGURE_WORD = re.compile(r"\b(fig(ure)?s?\.?)\s*$", re.IGNORECASE)


class _Scanner:
    def __init__(self, folder: Path, file: Path, where: str = "") -> None:
        self.folder, self.file, self.where = folder, file, where
        self.parser = _parser()
        self.result = MarkdownScan()

    def problem(self, line: int | None, message: str) -> None:
        self.result.problems.append(Problem(self.file, f"{self.where}{message}", line))

    def scan(self, text: str, offset: int = 0) -> MarkdownScan:
        tokens = self.parser.parse(text)
        in_references = None  # level of the References heading while inside its section
        for index, token in enumerate(tokens):
            line = offset + token.map[0] + 1 if token.map else None
            if token.type == "front_matter":
                self.front_matter(token.content, line)
            elif token.type == "heading_open":
                level = int(token.tag[1])
                if self.result.first_heading_level is None and offset == 0:
                    self.result.first_heading_level = level
                title = tokens[index + 1].content.strip().lower()
                if title in _REFERENCE_HEADINGS:
                    in_references = level
                elif in_references is not None and level <= in_references:
                    in_references = None
            elif token.type == "list_item_open" and in_references is not None and token.level in (0, 1):
                self.result.references += 1
            elif token.type in ("html_block", "html_inline"):
                self.problem(line, "raw HTML is not allowed; use Markdown, ![alt](file.png) or a {figure} directive")
            elif token.type.startswith("substitution"):
                self.problem(line, "substitutions ({{ ... }}) are not allowed in a report")
            elif token.type in ("fence", "colon_fence"):
                self.directive(token, line)
            elif token.type == "inline":
                self.inline(token.children or [], line)
        return self.result

    def front_matter(self, text: str, line: int | None) -> None:
        try:
            data, _ = parse_mapping(text)
        except YamlSourceError as error:
            self.problem(line, f"front matter: {error.message}")
            return
        for key in (*FORBIDDEN_METADATA, "kernelspec", "jupytext"):
            if key in data:
                self.problem(
                    line,
                    f"the front matter key {key!r} is not allowed in a MyST report "
                    "(a MyST report carries committed figures; use a notebook report for stored outputs)",
                )

    def directive(self, token, line: int | None) -> None:
        info = token.info.strip()
        if not info.startswith("{"):
            return  # a plain code block
        name, _, argument = info[1:].partition("}")
        if name in LITERAL_DIRECTIVES:
            if name == "image":
                self.local_file(argument.strip(), line, "image", IMAGE_SUFFIXES)
            return
        if name not in CONTENT_DIRECTIVES:
            self.problem(line, f"the directive {{{name}}} is not allowed in a report")
            return
        if name == "figure":
            self.local_file(argument.strip(), line, "figure", IMAGE_SUFFIXES)
        if FILE_OPTIONS.search(token.content):
            self.problem(line, f"the {{{name}}} directive may not read files or URLs")
        self.scan(token.content, offset=(token.map[0] + 1) if token.map else 0)

    def inline(self, children, line: int | None) -> None:
        for previous, child in zip([None, *children], children):
            if child.type == "myst_role" and child.meta.get("name") == "numref" and previous is not None \
                    and _FIGURE_WORD.search(previous.content or ""):
                self.problem(line, "{numref} prints 'Figure N' itself, on the site and in the PDF: "
                             "drop the word before it")
            if child.type == "html_inline":
                self.problem(line, "raw HTML is not allowed; use Markdown, ![alt](file.png) or a {figure} directive")
            elif child.type == "image":
                self.local_file(str(child.attrs.get("src", "")), line, "image", IMAGE_SUFFIXES)
            elif child.type == "link_open":
                self.link(str(child.attrs.get("href", "")), line)
            elif child.type == "myst_role":
                name = child.meta.get("name", "")
                if name not in ALLOWED_ROLES:
                    self.problem(line, f"the role {{{name}}} is not allowed in a report")
                elif name in CITE_ROLES:
                    self.result.cited += [(key.strip(), line, self.where) for key in child.content.split(",") if key.strip()]
                elif name == "download":
                    target = re.sub(r"^.*<(.*)>$", r"\1", child.content.strip())
                    self.local_file(target, line, "download", None)
            elif child.type.startswith("substitution"):
                self.problem(line, "substitutions ({{ ... }}) are not allowed in a report")

    def link(self, href: str, line: int | None) -> None:
        if href.startswith("#") or href.lower().startswith(LINK_SCHEMES):
            return
        if re.match(r"^[a-zA-Z][a-zA-Z0-9+.-]*:", href):
            self.problem(line, f"the link {href[:60]!r} uses a scheme other than http(s) or mailto")
            return
        self.local_file(href.split("#")[0], line, "link", None)

    def local_file(self, target: str, line: int | None, what: str, suffixes) -> None:
        if not target:
            self.problem(line, f"the {what} has no target")
            return
        if re.match(r"^[a-zA-Z][a-zA-Z0-9+.-]*:", target) or target.startswith("/"):
            self.problem(line, f"the {what} {target[:60]!r} must be a file inside the project folder")
            return
        base = self.file.parent
        path = inside(self.folder, str((base / target).relative_to(self.folder))) if _under(base, self.folder) else None
        if path is None:
            self.problem(line, f"the {what} {target[:60]!r} points outside the project folder")
        elif path.is_symlink() or not path.is_file():
            self.problem(line, f"the {what} {target[:60]!r} is not a file in the project folder")
        elif suffixes and not path.name.lower().endswith(suffixes):
            self.problem(line, f"the {what} {target[:60]!r} must be one of {', '.join(suffixes)}")


def _under(path: Path, folder: Path) -> bool:
    return path == folder or folder in path.parents


def scan_markdown(text: str, folder: Path, file: Path, where: str = "") -> MarkdownScan:
    return _Scanner(folder, file, where).scan(text)


def read_text(path: Path) -> tuple[str | None, list[Problem]]:
    raw = path.read_bytes()
    try:
        return raw.decode("utf-8"), []
    except UnicodeDecodeError as error:
        line = raw[: error.start].count(b"\n") + 1
        return None, [Problem(path, f"not UTF-8 text (byte {error.start} cannot be decoded)", line)]


def myst_report_problems(path: Path, folder: Path) -> MarkdownScan:
    """Problems of a MyST report, how many references it lists and what it cites."""
    text, problems = read_text(path)
    if text is None:
        return MarkdownScan(problems)
    if "{code-cell}" in text:
        line = _line_of(text, "{code-cell}")
        return MarkdownScan([Problem(path, "a MyST report may not hold {code-cell} blocks; use a notebook report", line)])
    scan = scan_markdown(text, folder, path)
    if scan.first_heading_level != 1:
        scan.problems.append(Problem(path, "the report must start with a level-1 heading (# Title)", 1))
    return scan


def notebook_report_problems(path: Path, folder: Path) -> MarkdownScan:
    """Problems of a notebook report (it must carry its outputs), its references and citations."""
    import nbformat

    text, problems = read_text(path)
    if text is None:
        return MarkdownScan(problems)
    try:
        raw = json.loads(text)
    except json.JSONDecodeError as error:
        return MarkdownScan([Problem(path, f"not valid JSON: {error.msg}", error.lineno)])
    except RecursionError:
        return MarkdownScan([Problem(path, "the JSON is nested too deeply")])
    if not isinstance(raw, dict) or raw.get("nbformat") != 4:
        return MarkdownScan([Problem(path, "not a notebook in nbformat 4 (save it with a current Jupyter)")])
    try:
        notebook = nbformat.reads(text, as_version=nbformat.NO_CONVERT)
        nbformat.validate(notebook)
    except nbformat.ValidationError as error:
        return MarkdownScan([Problem(path, f"not a valid notebook: {error.message}")])
    except (AttributeError, TypeError, KeyError, ValueError) as error:
        return MarkdownScan([Problem(path, f"not a valid notebook: {error}")])
    if "{code-cell}" in text:
        return MarkdownScan([Problem(path, "the notebook may not mention {code-cell}: myst-nb would treat it as a MyST notebook")])
    result = MarkdownScan()
    problems = [
        Problem(path, f"the notebook metadata key {key!r} is not allowed (it changes how the site runs the notebook)")
        for key in FORBIDDEN_METADATA
        if key in notebook.metadata
    ]
    references = 0
    first_heading = None
    for number, cell in enumerate(notebook.cells, start=1):
        problems += placeholders.report_problems(cell.source, path, where=f"cell {number}: ")
        if cell.cell_type == "markdown":
            scan = scan_markdown(cell.source, folder, path, where=f"cell {number}: ")
            problems += scan.problems
            references += scan.references
            result.cited += scan.cited
            if first_heading is None and scan.first_heading_level is not None:
                first_heading = scan.first_heading_level
        elif cell.cell_type == "code":
            problems += _code_cell_problems(path, number, cell)
        elif cell.cell_type == "raw" and cell.source.strip():
            problems.append(Problem(path, f"cell {number}: raw cells are not published; remove it"))
    if first_heading != 1:
        problems.append(Problem(path, "the first markdown heading must be a level-1 heading (# Title)"))
    result.problems, result.references = problems, references
    return result


def _code_cell_problems(path: Path, number: int, cell) -> list[Problem]:
    if cell.get("execution_count") is None and cell.source.strip():
        return [Problem(path, f"cell {number} has not been run: the site shows stored outputs only, so run all cells and save")]
    problems = []
    for output in cell.get("outputs", []):
        shows_something = any(mime in output.get("data", {}) for mime in SHOWN_MIME_TYPES)
        if output.get("output_type") in ("display_data", "execute_result") and not shows_something:
            kinds = ", ".join(sorted(output.get("data", {}))) or "nothing"
            problems.append(
                Problem(path, f"cell {number} has an output of {kinds} only, which the site does not show "
                        "(HTML and JavaScript outputs are dropped); display text or an image")
            )
    return problems


def pdf_problems(path: Path, yml: Path, field_name: str, line: int | None) -> list[Problem]:
    """A PDF must at least look like one: the magic number first and an end-of-file marker."""
    with path.open("rb") as stream:
        head = stream.read(5)
        stream.seek(max(0, path.stat().st_size - 1024))
        tail = stream.read()
    if head != b"%PDF-" or b"%%EOF" not in tail:
        return [Problem(yml, f"{path.name} is not a PDF file", line, field_name)]
    return []


def latex_citations(text: str) -> list[tuple[str, int, str]]:
    """``(key, line, "")`` of every key a LaTeX report cites with ``\\cite`` (``\\nocite{*}`` aside)."""
    found = []
    for match in re.finditer(r"\\(?:no)?cite[tp]?\*?(?:\[[^\]]*\])?\{([^}]*)\}", text):
        line = text.count("\n", 0, match.start()) + 1
        found += [(key.strip(), line, "") for key in match.group(1).split(",") if key.strip() and key.strip() != "*"]
    return found


def pdf_page_count(path: Path) -> int | None:
    """Pages of a PDF (read with pypdf), or None if it cannot be read as one."""
    from pypdf import PdfReader
    from pypdf.errors import PyPdfError

    if not pdf_problems(path, path, "pdf", None) == []:
        return None
    try:
        return len(PdfReader(path).pages)
    except (PyPdfError, OSError, ValueError, KeyError, TypeError, RecursionError):
        return None


def _line_of(text: str, needle: str) -> int:
    return text[: text.index(needle)].count("\n") + 1
