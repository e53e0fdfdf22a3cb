"""The claims check: every claim a lecture makes is backed by its run, a citation or maths.

    python -m scimlkit.site.claims_check [lectures/X.md ...]

With no argument it checks every lecture listed in ``_toc.yml`` (the files under
``lectures/``); it prints one ``file:line: message`` per problem and exits 1, or prints a
one-line summary and exits 0. For a lecture ``lectures/<stem>.md`` it reads the tests
``tests/lectures/test_<stem>.py`` and the allowlist ``tests/lectures/allowlists/<stem>.yml``
(optional), and checks four rules.

1. **Displayed values are asserted.** Every glue name the page displays (the roles
   ``{glue}``, ``{glue:}``, ``{glue:text}``, ``{glue:md}``... anywhere outside code, and
   the ``{glue:figure}``/``{glue:math}`` directives) is read in the test file as
   ``values["name"]``, ``values.get("name")`` or ``glued(PAGE)["name"]`` inside the test
   of an ``assert`` statement. A read assigned to a local name that an ``assert`` of the
   same function then uses counts too (``fitted = values["a"]`` ... ``assert fitted > 0``),
   so does a read in the iterable of a ``for`` loop whose variable an ``assert`` uses.
   The test file is parsed with :mod:`ast`; a read in a comment, an assert's message, a
   bare comparison or a helper function (unless the helper itself asserts it) does not
   count, nor does one that only checks the value is there (``is not None``,
   ``isinstance``): an assert must bound the value.
2. **No dead glue.** Every name a code cell passes to ``sk.glue`` (or ``glue``) is
   displayed or asserted.
3. **Comparative and quantitative sentences are backed.** A prose sentence that compares
   or counts (the words in :data:`CLAIM_PATTERNS`) carries a glued value (a ``{glue``
   role), a citation (a ``{cite`` role) or maths (``$...$``), or is listed in the
   allowlist. Each allowlist entry must match at least one such sentence, so the list
   cannot rot.
4. **Other lectures are links.** A lecture named by its number in plain text ("lecture
   5", "lectures 1-3") outside code is reported: written ``{doc}`lecture 5 <08_stiffness>```
   it resolves, and ``tests/site/test_numbering.py`` checks that the number is the
   linked lecture's. The build refuses such a mention on every page of ``lectures/``
   and ``book/`` (:mod:`.lecture_numbers`).

Names built with f-strings, in the lecture (``sk.glue(f"noisy_{key}_error", ...)``) or in
its test (``values[f"compare_{key}"]``), are expanded when the enclosing ``for`` loops run
over literal tuples or lists (or over a name bound to one); otherwise the f-string is a
pattern, each replacement field matching any non-empty text, and it covers every name it
matches (a glue pattern must match at least one displayed or asserted name).

What the prose scan reads: paragraphs, list items, block quotes and the bodies of prose
directives (exercises, solutions, admonitions, ``{figure}`` captions...). It skips the
front matter, code cells with their options (so figure captions and alt text written in
a cell's ``mystnb`` metadata), code blocks, display maths (``$$`` and ``{math}``),
directive arguments and options, headings, labels ``(name)=``, comments (``%`` and
``<!-- -->``), tables, the "What you will learn" admonition (its goals announce what the
body shows and backs), questions (a sentence ending in ``?`` claims nothing), and inside a
sentence inline code, maths, roles (``{doc}`lecture 3 <...>``` is not a number) and link
text. Sentences are split after ``.``, ``!`` or ``?`` followed by a space and a capital,
a digit or markup, except after common abbreviations (e.g., i.e., et al., Fig., vs.); a
list item starts a new sentence.

What counts as a claim (tuned on the 17 lectures, so that a hit is a sentence whose truth
depends on a run or on a source): comparatives of cost and accuracy (faster, slower,
cheaper, costlier, better, worse, more/less accurate), agreement and exactness (agree,
exact, exactly, close to, closer, nearly, almost, roughly, about N, approximately),
vague counts (several, a few, dozens, hundreds, thousands, many times, much
more/less/faster..., far more/fewer..., fewer), dominance (dominates, beats,
outperforms), growth and convergence (grows, flat, converges), ratios and magnitudes
(N times, Nx, orders of magnitude), and typed numbers that read as measurements: a
percentage, a decimal number (0.52, 1e-6) or a number with a unit of time or memory.
Left out because they were noise on the lectures: "most" ("most of the cost" is usually
a definition), "never"/"always" (statements about a method, not a run), "much" alone
("much of"), plain integers (problem sizes such as "100 dimensions" are set in the code
next to them), "exact" before a noun that names the reference object ("the exact
solution", "an exact Jacobian").

The allowlist ``tests/lectures/allowlists/<stem>.yml`` is a YAML list of entries
``{text: "...", reason: "..."}``, both non-empty strings: ``text`` is a verbatim fragment
of one sentence as written in the Markdown source (whitespace runs, line breaks included,
count as one space; ``*`` and backticks may be left out), and ``reason`` says in one line
why no run is needed (general knowledge, a definition...). A sentence that already has a
glued value, a citation or maths needs no entry, and an entry that matches none of the
flagged sentences is reported as stale.
"""

from __future__ import annotations

import argparse
import ast
import itertools
import re
import sys
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path

REPO = Path(__file__).resolve().parents[3]

# ---------------------------------------------------------------------------------------------
# What a claim is

_NUMBER = r"\d+(?:[.,]\d+)*"
CLAIM_PATTERNS: dict[str, str] = {
    "comparison of cost": r"\b(?:faster|slower|cheaper|costlier|quicker)\b",
    "comparison of quality": r"\b(?:better|worse|(?:more|less) accurate(?:ly)?|outperforms?|outperformed|beats?|"
    r"dominat(?:es|ed|ing))\b",
    "agreement": r"\b(?:agree(?:s|d|ment)?|close to|closer|nearly|roughly|approximately|about \d)",
    "exactness": r"\bexactly\b|\bexact\b(?! (?:solution|solutions|reference|derivatives?|gradients?|jacobians?|"
    r"hessians?|values?|versions?|formula|form|arithmetic|answer|expression|dynamics|equation|map|flow|posterior|"
    r"integral|trajector(?:y|ies)|coefficients?|law|model|zero|copy|same|shape)\b)",
    "vague count": r"\b(?:several[- ](?:times|fold)|(?:a few|a dozen|dozens of)(?! (?:short |more )?lines\b)|"
    r"hundreds|thousands|many times|fewer)\b",
    "large difference": r"\b(?:much|far) (?:more|less|fewer|faster|slower|cheaper|better|worse|larger|smaller|"
    r"higher|lower|below|above)\b|\borders? of magnitude\b",
    "growth": r"\b(?:gr(?:ows?|ew|owing)\b(?! the\b)|flattens?\b|(?:is|are|stays?|remains?|goes|went|becomes?|"
    r"looks?) (?:almost |nearly )?flat\b|converge[sd]?\b)",
    "ratio": rf"\b{_NUMBER}(?:x| ?×| times)(?![\w-])",
    "percentage": rf"\b{_NUMBER}\s*(?:%|percent\b)",
    "decimal number": r"(?<![\w.])\d+\.\d+(?:e[-+]?\d+)?\b|(?<![\w.])\d+e[-+]?\d+\b",
    "measured time or memory": rf"\b{_NUMBER}\s*(?:s|ms|µs|us|ns|sec|seconds?|minutes?|min|hours?|"
    r"[kKMGT]i?B|bytes|GFLOPs?|FLOPs?)\b",
}
_CLAIM = re.compile("|".join(f"(?P<g{i}>{p})" for i, p in enumerate(CLAIM_PATTERNS.values())), re.IGNORECASE)
_CLAIM_KINDS = list(CLAIM_PATTERNS)

GLUE_ROLE = re.compile(r"\{glue(?::(?P<kind>[\w-]*))?\}`(?P<body>[^`]+)`")
GLUE_DIRECTIVE = re.compile(r"^\s*(?:`{3,}|:{3,}|~{3,})\{glue(?::[\w-]*)?\}\s+(?P<name>[\w.-]+)")
CITE_ROLE = re.compile(r"\{cite(?::[\w-]+)?\}`")
MATHS = re.compile(r"\$\$.+?\$\$|(?<![\\$])\$(?!\s)[^$]+?(?<![\s\\])\$", re.DOTALL)

# Directives whose body is not prose (code, maths, tables of contents, raw output...).
NON_PROSE_DIRECTIVES = {
    "code-cell", "code-block", "code", "sourcecode", "math", "raw", "bibliography", "toctree",
    "literalinclude", "include", "eval-rst", "mermaid", "glue:math", "csv-table", "graphviz",
}  # fmt: skip
# The learning goals at the top of a lecture announce what its body shows (and backs).
GOALS_TITLE = "what you will learn"
ABBREVIATIONS = ("e.g", "i.e", "al", "Fig", "fig", "Eq", "eq", "vs", "cf", "etc", "approx", "resp", "Sec", "No")


# ---------------------------------------------------------------------------------------------
# Results


@dataclass(frozen=True)
class Problem:
    path: str
    line: int
    message: str

    def __str__(self) -> str:
        return f"{self.path}:{self.line}: {self.message}"


@dataclass(frozen=True)
class Sentence:
    line: int
    text: str  # as written in the source, whitespace runs collapsed
    kinds: tuple[str, ...]  # which claim patterns it matched
    backing: str  # "glue", "cite", "maths", "allowlist" or "" (unbacked)
    reason: str = ""  # the allowlist's reason, for "allowlist"


@dataclass(frozen=True)
class Assertion:
    name: str  # the glue name (or the f-string pattern's text, for a pattern)
    function: str  # the test function (or "<module>")
    line: int


@dataclass
class AllowEntry:
    text: str
    reason: str
    index: int  # 1-based position in the file
    line: int  # line in the YAML file (best effort: 1 when unknown)
    matched: int = 0


@dataclass
class LectureClaims:
    """Everything the check found in one lecture (what the Claims page shows)."""

    stem: str
    lecture: Path
    test_file: Path
    allowlist_file: Path
    displayed: dict[str, list[int]] = field(default_factory=dict)  # name -> prose lines
    glued: dict[str, int] = field(default_factory=dict)  # sk.glue name -> line
    glue_patterns: dict[str, int] = field(default_factory=dict)  # f-string pattern -> line
    assertions: dict[str, list[Assertion]] = field(default_factory=dict)  # name -> asserting reads
    assertion_patterns: list[Assertion] = field(default_factory=list)  # unexpanded f-strings
    sentences: list[Sentence] = field(default_factory=list)  # claim sentences only
    allowlist: list[AllowEntry] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)

    def asserting(self, name: str) -> list[Assertion]:
        """The assertions that read ``name`` (exactly, or through an f-string pattern)."""
        found = list(self.assertions.get(name, []))
        found += [a for a in self.assertion_patterns if _pattern(a.name).fullmatch(name)]
        return found

    def backed(self, backing: str) -> list[Sentence]:
        return [s for s in self.sentences if s.backing == backing]

    def glued_names(self) -> list[str]:
        """Glued names: the literal ones, and the displayed or asserted names a pattern covers."""
        names = set(self.glued)
        for pattern in self.glue_patterns:
            regex = _pattern(pattern)
            names |= {n for n in (*self.displayed, *self.assertions) if regex.fullmatch(n)}
        return sorted(names)


    def value_names(self) -> list[str]:
        """The lecture's glued values: glued in its code, or shown in its text."""
        return sorted(set(self.glued_names()) | set(self.displayed))


#: The Claims page's columns (keys of :func:`summary`) and their headings.
SUMMARY_COLUMNS: dict[str, str] = {
    "values": "glued values",
    "shown": "shown in the text",
    "asserted": "asserted by a test",
    "not_asserted": "shown, not asserted",
    "glue": "claims with a glued value",
    "cite": "cited claims",
    "maths": "claims with maths",
    "allowlist": "allowlisted claims",
    "unbacked": "unbacked claims",
}


def summary(claims: LectureClaims) -> dict[str, int]:
    """A lecture's counts, keyed as :data:`SUMMARY_COLUMNS` (claims are comparative sentences)."""
    names = claims.value_names()
    return {
        "values": len(names),
        "shown": len(claims.displayed),
        "asserted": sum(bool(claims.asserting(name)) for name in names),
        "not_asserted": sum(not claims.asserting(name) for name in claims.displayed),
        "glue": len(claims.backed("glue")),
        "cite": len(claims.backed("cite")),
        "maths": len(claims.backed("maths")),
        "allowlist": len(claims.backed("allowlist")),
        "unbacked": len(claims.backed("")),
    }


def totals(lectures: Iterable[LectureClaims]) -> dict[str, int]:
    """The sum of :func:`summary` over lectures."""
    total = dict.fromkeys(SUMMARY_COLUMNS, 0)
    for claims in lectures:
        for key, count in summary(claims).items():
            total[key] += count
    return total


# ---------------------------------------------------------------------------------------------
# The lecture source: prose lines and code cells


@dataclass
class _Block:
    lines: list[tuple[int, str]]  # (line number, text)


def _fence(line: str) -> re.Match[str] | None:
    return re.match(r"^(\s*)(`{3,}|~{3,}|:{3,})\s*(.*?)\s*$", line)


def split_source(text: str) -> tuple[list[list[tuple[int, str]]], list[tuple[int, str]], list[tuple[int, str]]]:
    """Split a MyST notebook into prose paragraphs, code cells and glue-visible lines.

    Returns ``(paragraphs, code_cells, display_lines)``: paragraphs as lists of
    ``(line, text)``; code cells (:class:`CodeCell`); and every line outside code
    and front matter (where a glue role or directive displays a value).
    """
    lines = text.splitlines()
    paragraphs: list[list[tuple[int, str]]] = []
    cells: list[CodeCell] = []
    display: list[tuple[int, str]] = []
    current: list[tuple[int, str]] = []
    # open fences: (marker char, length, kind) with kind "prose", "code" or "cell"
    stack: list[tuple[str, int, str]] = []
    cell_start, cell_lines = 0, []
    in_maths = False
    in_comment = False
    options = False  # just after a directive's opening line: `:key: value` lines
    yaml_options = False

    def flush() -> None:
        nonlocal current
        if current:
            paragraphs.append(current)
        current = []

    start = 0
    if lines and lines[0].strip() == "---":
        for index in range(1, len(lines)):
            if lines[index].strip() == "---":
                start = index + 1
                break
    for index in range(start, len(lines)):
        number, line = index + 1, lines[index]
        stripped = line.strip()
        code_open = bool(stack) and stack[-1][2] in ("code", "cell")
        fence = _fence(line)
        if fence and (not code_open or (fence.group(2)[0] == stack[-1][0] and len(fence.group(2)) >= stack[-1][1]
                                        and not fence.group(3))):
            marks, rest = fence.group(2), fence.group(3)
            if not rest and stack and marks[0] == stack[-1][0] and len(marks) >= stack[-1][1]:
                _, _, kind = stack.pop()
                if kind == "cell":
                    cells.append(_cell_code(cell_start, cell_lines))
                flush()
                options = False
                continue
            flush()
            if rest.startswith("{"):
                name = rest[1:].split("}", 1)[0]
                kind = "cell" if name == "code-cell" else "code" if name in NON_PROSE_DIRECTIVES else "prose"
                if name == "admonition" and rest.split("}", 1)[1].strip().lower().startswith(GOALS_TITLE):
                    kind = "goals"
                display.append((number, line))  # a {glue:figure} name directive displays a value
            else:
                kind = "code"
            if kind == "cell":
                cell_start, cell_lines = number + 1, []
            stack.append((marks[0], len(marks), kind))
            options = kind in ("prose", "goals")
            yaml_options = False
            continue
        if code_open:
            if stack[-1][2] == "cell":
                cell_lines.append(line)
            continue
        if options:
            if stripped == "---" and not yaml_options:
                yaml_options = True
                continue
            if yaml_options:
                yaml_options = stripped != "---"
                continue
            if re.match(r"^\s*:[\w-]+:", line):
                continue
            options = False
        if in_comment:
            in_comment = "-->" not in line
            continue
        if stripped.startswith("<!--"):
            in_comment = "-->" not in stripped
            flush()
            continue
        if stripped.startswith("%"):
            continue
        display.append((number, line))
        if stack and stack[-1][2] == "goals":
            continue
        if in_maths:
            current.append((number, line))
            if stripped.endswith("$$") and stripped != "$$" or stripped == "$$":
                in_maths = False
            continue
        if stripped.startswith("$$"):
            in_maths = not (len(stripped) > 2 and stripped.endswith("$$"))
            current.append((number, line))  # display maths belongs to the sentence around it
            continue
        if not stripped:
            flush()
            continue
        if stripped.startswith(("#", "|")) or re.match(r"^\s*\([\w:.-]+\)=\s*$", line):
            flush()
            continue
        if re.match(r"^\s*(?:[-*+]|\d+[.)])\s", line):
            flush()  # a list item starts a new sentence
        current.append((number, line))
    flush()
    return paragraphs, cells, display


@dataclass(frozen=True)
class CodeCell:
    line: int  # the line of the cell's first line of code
    source: str
    tags: tuple[str, ...] = ()


def _cell_code(first: int, lines: list[str]) -> CodeCell:
    """A code cell's code without its options (``:tags: [...]`` lines or a ``---`` YAML block)."""
    skip, options = 0, []
    if lines and lines[0].strip() == "---":
        closing = next((i for i in range(1, len(lines)) if lines[i].strip() == "---"), None)
        if closing is not None:
            skip, options = closing + 1, lines[1:closing]
    else:
        while skip < len(lines) and re.match(r"^:[\w-]+:", lines[skip]):
            options.append(lines[skip].lstrip(":"))
            skip += 1
    tags: tuple[str, ...] = ()
    for option in options:
        found = re.match(r"^\s*tags:?\s*\[(.*)\]", option)
        if found:
            tags = tuple(t.strip().strip("'\"") for t in found.group(1).split(",") if t.strip())
    return CodeCell(first + skip, "\n".join(lines[skip:]), tags)


def _mask(text: str, pattern: re.Pattern[str] | str, char: str = " ") -> str:
    return re.sub(pattern, lambda m: "".join(c if c == "\n" else char for c in m.group(0)), text)


_ROLE = re.compile(r"\{[\w:-]+\}`[^`]*`")
_CODE = re.compile(r"`[^`]*`")
_LINK = re.compile(r"!?\[[^\]]*\]\([^)]*\)|<https?://[^>]*>|https?://\S+")
_HTML = re.compile(r"<[^>]+>")


def sentences(paragraph: list[tuple[int, str]]) -> Iterator[tuple[int, str, str]]:
    """``(line, source text, text to scan)`` of each sentence of a paragraph.

    The scanned text has roles, inline code, maths, links and HTML tags blanked out.
    """
    text = "\n".join(line for _, line in paragraph)
    starts = list(itertools.accumulate([0] + [len(line) + 1 for _, line in paragraph]))
    # For splitting, maths, roles and code read as a word (a sentence may start with one);
    # for the claim scan they are blank.
    split = text
    for pattern in (MATHS, _ROLE, _CODE, _LINK, _HTML):
        split = _mask(split, pattern, "W")
    scan = "".join(" " if w == "W" and t != "W" else t for w, t in zip(split, text, strict=True))
    cuts = [0]
    for match in re.finditer(r"[.!?][\"')\]*_]*\s+(?=[\"'(\[*_]*[A-Z0-9W])", split):
        before = split[: match.start()].rsplit(None, 1)
        word = before[-1] if before else ""
        if word.lstrip("(") in ABBREVIATIONS or re.fullmatch(r"[A-Z]", word):
            continue
        cuts.append(match.end())
    cuts.append(len(text))
    for a, b in itertools.pairwise(cuts):
        source = text[a:b]
        if not source.strip():
            continue
        offset = a + len(source) - len(source.lstrip())
        line_index = max(i for i, s in enumerate(starts) if s <= offset)
        yield paragraph[min(line_index, len(paragraph) - 1)][0], " ".join(source.split()), scan[a:b]


def claim_kinds(scan_text: str) -> tuple[str, ...]:
    """Which kinds of claim (keys of :data:`CLAIM_PATTERNS`) a sentence's scanned text makes."""
    kinds = []
    for match in _CLAIM.finditer(" ".join(scan_text.split())):
        kind = _CLAIM_KINDS[int(match.lastgroup[1:])]
        if kind not in kinds:
            kinds.append(kind)
    return tuple(kinds)


def backing_of(source: str) -> str:
    if GLUE_ROLE.search(source):
        return "glue"
    if CITE_ROLE.search(source):
        return "cite"
    if MATHS.search(source):
        return "maths"
    return ""


# ---------------------------------------------------------------------------------------------
# Mentions of other lectures

#: A lecture named by its number: "lecture 5", "Lectures 1-3", "lectures 4 and 6", "lecture 6b".
LECTURE_NUMBER = re.compile(
    r"\b[Ll]ectures?(?:\s|~)+\d+[a-z]?\b(?:\s*(?:-|–|and)\s*\d+[a-z]?\b)?"
)


def prose_blocks(text: str) -> list[tuple[list[int], str]]:
    """The text outside code, as blocks of consecutive lines: ``(line numbers, joined text)``.

    The lines are :func:`split_source`'s display lines (prose, headings, tables,
    directive titles), cut into blocks at blank lines, so that a phrase or a role broken
    across two lines stays whole. A directive's opening fence keeps only its title (its
    backticks would otherwise pair with those of the prose).
    """
    _, _, display = split_source(text)
    blocks: list[list[tuple[int, str]]] = []
    for number, line in display:
        if not line.strip():
            blocks.append([])
        elif blocks and blocks[-1] and blocks[-1][-1][0] == number - 1:
            blocks[-1].append((number, line))
        else:
            blocks.append([(number, line)])
    return [
        ([number for number, _ in block], "\n".join(_mask(line, _FENCE_OPENING) for _, line in block))
        for block in blocks
        if block
    ]


_FENCE_OPENING = re.compile(r"^\s*(?:`{3,}|~{3,}|:{3,})(?:\{[^}]*\})?")


def plain_lecture_mentions(text: str) -> list[tuple[int, str]]:
    """``(line, mention)`` of every lecture named by its number in plain text.

    Such a mention is a link in waiting: written as ``{doc}`lecture 5 <08_stiffness>```
    (or a Markdown link) it resolves, and the numbering test checks its number. Read is
    the text outside code (:func:`prose_blocks`), with roles, links, inline code, maths
    and HTML tags blanked out.
    """
    found = []
    for numbers, joined in prose_blocks(text):
        for pattern in (MATHS, _ROLE, _CODE, _LINK, _HTML):
            joined = _mask(joined, pattern)
        for match in LECTURE_NUMBER.finditer(joined):
            found.append((numbers[joined.count("\n", 0, match.start())], " ".join(match.group(0).split())))
    return found


# ---------------------------------------------------------------------------------------------
# Python: glue calls in code cells, reads of glued values in tests


def _parents(tree: ast.AST) -> dict[ast.AST, ast.AST]:
    return {child: node for node in ast.walk(tree) for child in ast.iter_child_nodes(node)}


def _literal_names(tree: ast.AST) -> dict[str, object]:
    """Names bound (anywhere) to a literal: ``solvers = ("Heun", "Tsit5")``."""
    bound: dict[str, object] = {}
    for node in ast.walk(tree):
        if isinstance(node, ast.Assign) and len(node.targets) == 1 and isinstance(node.targets[0], ast.Name):
            try:
                bound[node.targets[0].id] = ast.literal_eval(node.value)
            except (ValueError, TypeError, SyntaxError, MemoryError, RecursionError):
                pass
    return bound


def _bind(target: ast.AST, value: object) -> dict[str, object] | None:
    if isinstance(target, ast.Name):
        return {target.id: value}
    if isinstance(target, (ast.Tuple, ast.List)) and isinstance(value, (tuple, list)) and len(value) == len(target.elts):
        out: dict[str, object] = {}
        for t, v in zip(target.elts, value, strict=True):
            sub = _bind(t, v)
            if sub is None:
                return None
            out.update(sub)
        return out
    return None


def _loop_bindings(node: ast.AST, parents: dict[ast.AST, ast.AST], literals: dict[str, object]) -> list[dict] | None:
    """Every binding of the enclosing ``for`` loops' variables, or None if one is not literal."""
    loops = []
    parent = parents.get(node)
    while parent is not None:
        if isinstance(parent, ast.For):
            loops.append(parent)
        elif isinstance(parent, (ast.ListComp, ast.SetComp, ast.GeneratorExp, ast.DictComp)):
            # The element is a child of the comprehension, its loops are siblings of it.
            loops.extend(reversed(parent.generators))
        parent = parents.get(parent)
    options: list[list[dict]] = []
    for loop in reversed(loops):
        iterable = loop.iter
        try:
            values = ast.literal_eval(iterable)
        except (ValueError, TypeError, SyntaxError, MemoryError, RecursionError):
            values = literals.get(iterable.id) if isinstance(iterable, ast.Name) else None
        if not isinstance(values, (tuple, list)):
            return None
        bound = [_bind(loop.target, value) for value in values]
        if any(b is None for b in bound):
            return None
        options.append(bound)
    return [{k: v for d in combo for k, v in d.items()} for combo in itertools.product(*options)]


_STRING_METHODS = {"lower": str.lower, "upper": str.upper, "title": str.title, "strip": str.strip}


def _format(node: ast.JoinedStr, binding: dict[str, object]) -> str | None:
    parts = []
    for value in node.values:
        if isinstance(value, ast.Constant):
            parts.append(str(value.value))
            continue
        if not isinstance(value, ast.FormattedValue) or value.format_spec is not None:
            return None
        expression = value.value
        method = None
        if (
            isinstance(expression, ast.Call)
            and isinstance(expression.func, ast.Attribute)
            and expression.func.attr in _STRING_METHODS
            and not expression.args
        ):
            method, expression = _STRING_METHODS[expression.func.attr], expression.func.value
        if not isinstance(expression, ast.Name) or expression.id not in binding:
            return None
        text = str(binding[expression.id])
        parts.append(method(text) if method else text)
    return "".join(parts)


def pattern_text(node: ast.JoinedStr) -> str:
    """An f-string as a pattern: ``f"noisy_{key}_error"`` -> ``noisy_{}_error``."""
    return "".join(str(v.value) if isinstance(v, ast.Constant) else "{}" for v in node.values)


def _pattern(text: str) -> re.Pattern[str]:
    return re.compile(".+".join(re.escape(part) for part in text.split("{}")))


def names_of(node: ast.AST, parents: dict[ast.AST, ast.AST], literals: dict[str, object]) -> tuple[list[str], str | None]:
    """The names a string expression can take: ``(names, None)``, or ``([], pattern)``."""
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return [node.value], None
    if isinstance(node, ast.JoinedStr):
        bindings = _loop_bindings(node, parents, literals)
        if bindings is not None:
            names = [_format(node, binding) for binding in bindings]
            if all(name is not None for name in names):
                return list(dict.fromkeys(names)), None
        return [], pattern_text(node)
    return [], None


def _code_for_ast(source: str) -> str:
    """A code cell with IPython magics and shell escapes turned into ``pass``."""
    out = []
    for line in source.splitlines():
        stripped = line.lstrip()
        if stripped.startswith(("%", "!")):
            out.append(line[: len(line) - len(stripped)] + "pass")
        else:
            out.append(line)
    return "\n".join(out)


def parse_cells(cells: Sequence[CodeCell]) -> tuple[list[tuple[CodeCell, ast.Module]], list[Problem]]:
    """Each code cell with its syntax tree; a problem (without path) for a cell that does not parse."""
    trees, problems = [], []
    for cell in cells:
        try:
            trees.append((cell, ast.parse(_code_for_ast(cell.source))))
        except SyntaxError as error:
            problems.append(Problem("", cell.line + (error.lineno or 1) - 1, f"code cell does not parse: {error.msg}"))
    return trees, problems


def _called(node: ast.AST, name: str) -> bool:
    """Whether ``node`` calls ``name`` or ``<module>.name`` (``sk.glue``, ``glue``)."""
    if not isinstance(node, ast.Call):
        return False
    func = node.func
    return (isinstance(func, ast.Attribute) and func.attr == name) or (isinstance(func, ast.Name) and func.id == name)


def glue_calls(trees: Sequence[tuple[CodeCell, ast.Module]]) -> tuple[dict[str, int], dict[str, int], list[Problem]]:
    """Names passed to ``sk.glue``/``glue`` in code cells: ``(names, patterns, problems)`` (line numbers)."""
    problems = []
    literals: dict[str, object] = {}
    for _, tree in trees:
        literals.update(_literal_names(tree))
    names: dict[str, int] = {}
    patterns: dict[str, int] = {}
    for cell, tree in trees:
        parents = _parents(tree)
        for node in ast.walk(tree):
            if not _called(node, "glue"):
                continue
            argument = node.args[0] if node.args else next((k.value for k in node.keywords if k.arg == "name"), None)
            if argument is None:
                continue
            line = cell.line + node.lineno - 1
            found, pattern = names_of(argument, parents, literals)
            for name in found:
                names.setdefault(name, line)
            if pattern is not None:
                patterns.setdefault(pattern, line)
            if not found and pattern is None:
                problems.append(Problem("", line, f"glue name {ast.unparse(argument)} is not a string or f-string"))
    return names, patterns, problems


def budget_problems(trees: Sequence[tuple[CodeCell, ast.Module]]) -> list[Problem]:
    """``sk.budget`` calls in ``gpu`` cells that do not name their quantity with ``what=``.

    A CPU build writes a note under a ``gpu`` cell from these calls ("ran on the CPU at
    reduced scale: 300 steps instead of 5000"); without ``what`` it cannot say what the
    numbers count. ``budget(**SIZES)`` counts when ``SIZES`` is a ``dict(...)`` or ``{...}``
    with a ``what`` key in some cell.
    """
    sized: set[str] = set()
    for _, tree in trees:
        for node in ast.walk(tree):
            if isinstance(node, ast.Assign) and len(node.targets) == 1 and isinstance(node.targets[0], ast.Name):
                value = node.value
                keys = (
                    [k.arg for k in value.keywords] if _called(value, "dict") and isinstance(value.func, ast.Name)
                    else [k.value for k in value.keys if isinstance(k, ast.Constant)] if isinstance(value, ast.Dict)
                    else []
                )  # fmt: skip
                if "what" in keys:
                    sized.add(node.targets[0].id)
    problems = []
    for cell, tree in trees:
        if "gpu" not in cell.tags:
            continue
        for node in ast.walk(tree):
            if not _called(node, "budget"):
                continue
            named = any(
                k.arg == "what" or (k.arg is None and isinstance(k.value, ast.Name) and k.value.id in sized)
                for k in node.keywords
            )
            if not named:
                problems.append(
                    Problem("", cell.line + node.lineno - 1, "sk.budget call in a gpu cell without what= (the CPU "
                            "build's reduced-scale note must name the quantity, e.g. what=\"training steps\")")
                )
    return problems


def _is_glued_call(node: ast.AST) -> bool:
    return isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id == "glued"


def asserted_reads(test_source: str) -> tuple[dict[str, list[Assertion]], list[Assertion]]:
    """Glued names read inside ``assert`` statements of a lecture test file.

    Returns ``(names, patterns)``: for each name, the asserting reads (function, line),
    and the reads through f-strings that could not be expanded (as patterns).
    """
    tree = ast.parse(test_source)
    parents = _parents(tree)
    literals = _literal_names(tree)
    found: dict[str, list[Assertion]] = {}
    patterns: list[Assertion] = []
    scopes: list[tuple[str, list[ast.stmt]]] = [("<module>", [s for s in tree.body if not isinstance(s, ast.FunctionDef)])]
    scopes += [(node.name, node.body) for node in ast.walk(tree) if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef))]
    for function, body in scopes:
        statements = [s for stmt in body for s in _walk_scope(stmt)]
        receivers = {"values"}
        for stmt in statements:  # values = glued(PAGE); v = values
            if isinstance(stmt, ast.Assign) and len(stmt.targets) == 1 and isinstance(stmt.targets[0], ast.Name):
                if _is_glued_call(stmt.value) or (isinstance(stmt.value, ast.Name) and stmt.value.id in receivers):
                    receivers.add(stmt.targets[0].id)
        reads: list[tuple[ast.AST, ast.AST]] = []  # (read node, the name expression)
        for stmt in statements:
            for node in _walk_expressions(stmt):
                if isinstance(node, ast.Subscript) and (
                    (isinstance(node.value, ast.Name) and node.value.id in receivers) or _is_glued_call(node.value)
                ):
                    reads.append((node, node.slice))
                elif (
                    isinstance(node, ast.Call)
                    and isinstance(node.func, ast.Attribute)
                    and node.func.attr == "get"
                    and isinstance(node.func.value, ast.Name)
                    and node.func.value.id in receivers
                    and node.args
                ):
                    reads.append((node, node.args[0]))
        asserted_names = _asserted_local_names(statements)
        for node, key in reads:
            if not _in_assert_test(node, parents) and not _assigned_to(node, parents, asserted_names):
                continue
            if _only_checks_presence(node, parents):
                continue
            names, pattern = names_of(key, parents, literals)
            for name in names:
                found.setdefault(name, []).append(Assertion(name, function, node.lineno))
            if pattern is not None:
                patterns.append(Assertion(pattern, function, node.lineno))
    return found, patterns


def _walk_scope(statement: ast.stmt) -> Iterator[ast.stmt]:
    """The statements of a function body, nested blocks included, nested functions not."""
    yield statement
    for child in ast.iter_child_nodes(statement):
        if isinstance(child, ast.stmt) and not isinstance(child, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
            yield from _walk_scope(child)


def _walk_expressions(statement: ast.stmt) -> Iterator[ast.AST]:
    """The expression nodes that belong to ``statement`` itself (not to nested statements)."""
    todo = [c for c in ast.iter_child_nodes(statement) if not isinstance(c, ast.stmt)]
    while todo:
        node = todo.pop()
        yield node
        todo.extend(c for c in ast.iter_child_nodes(node) if not isinstance(c, ast.stmt))


def _only_checks_presence(node: ast.AST, parents: dict[ast.AST, ast.AST]) -> bool:
    """Whether a read is only tested for being there (``is not None``, ``isinstance``): no bound."""
    parent = parents.get(node)
    if isinstance(parent, ast.Compare) and len(parent.ops) == 1 and isinstance(parent.ops[0], (ast.Is, ast.IsNot)):
        other = parent.comparators[0] if parent.left is node else parent.left
        return isinstance(other, ast.Constant) and other.value is None  # `is True` bounds a flag
    return isinstance(parent, ast.Call) and isinstance(parent.func, ast.Name) and parent.func.id in ("isinstance", "type")


def _in_assert_test(node: ast.AST, parents: dict[ast.AST, ast.AST]) -> bool:
    child, parent = node, parents.get(node)
    while parent is not None:
        if isinstance(parent, ast.Assert):
            return child is parent.test
        if isinstance(parent, ast.stmt):
            return False
        child, parent = parent, parents.get(parent)
    return False


def _asserted_local_names(statements: list[ast.stmt]) -> set[str]:
    """Local names whose value reaches an ``assert`` test, directly or through assignments."""
    names = {n.id for s in statements if isinstance(s, ast.Assert) for n in ast.walk(s.test) if isinstance(n, ast.Name)}
    changed = True
    while changed:
        changed = False
        for stmt in statements:
            targets: list[ast.AST] = []
            value: ast.AST | None = None
            if isinstance(stmt, ast.Assign):
                targets, value = stmt.targets, stmt.value
            elif isinstance(stmt, (ast.AnnAssign, ast.AugAssign)) and stmt.value is not None:
                targets, value = [stmt.target], stmt.value
            elif isinstance(stmt, ast.For):
                targets, value = [stmt.target], stmt.iter
            if value is None:
                continue
            bound = {n.id for t in targets for n in ast.walk(t) if isinstance(n, ast.Name)}
            if bound & names:
                used = {n.id for n in ast.walk(value) if isinstance(n, ast.Name)} - names
                if used:
                    names |= used
                    changed = True
    return names


def _assigned_to(node: ast.AST, parents: dict[ast.AST, ast.AST], asserted: set[str]) -> bool:
    """Whether ``node`` sits in the value of an assignment (or a loop's iterable) whose target an assert uses."""
    child, parent = node, parents.get(node)
    while parent is not None and not isinstance(parent, ast.stmt):
        child, parent = parent, parents.get(parent)
    if isinstance(parent, ast.Assign) and child is parent.value:
        targets = parent.targets
    elif isinstance(parent, (ast.AnnAssign, ast.AugAssign)) and child is parent.value:
        targets = [parent.target]
    elif isinstance(parent, ast.For) and child is parent.iter:
        targets = [parent.target]
    else:
        return False
    return any(isinstance(n, ast.Name) and n.id in asserted for t in targets for n in ast.walk(t))


# ---------------------------------------------------------------------------------------------
# The allowlist


class AllowlistError(ValueError):
    pass


def read_allowlist(path: Path) -> list[AllowEntry]:
    """The entries of an allowlist file (none if it does not exist); an ``AllowlistError`` if malformed."""
    if not path.is_file():
        return []
    import yaml

    text = path.read_text(encoding="utf-8")
    try:
        data = yaml.safe_load(text)
    except yaml.YAMLError as error:
        raise AllowlistError(f"{path}: not valid YAML: {error}") from error
    if data is None:
        return []
    if not isinstance(data, list):
        raise AllowlistError(f"{path}: an allowlist is a YAML list of {{text, reason}} entries, not a {type(data).__name__}")
    entry_lines = [i + 1 for i, line in enumerate(text.splitlines()) if re.match(r"^-\s", line)]
    entries = []
    for index, item in enumerate(data, start=1):
        line = entry_lines[index - 1] if index - 1 < len(entry_lines) else 1
        where = f"{path}: entry {index} (line {line})"
        if not isinstance(item, dict):
            raise AllowlistError(f"{where}: an entry is a mapping with keys text and reason, not {item!r}")
        missing = [key for key in ("text", "reason") if not isinstance(item.get(key), str) or not item[key].strip()]
        if missing:
            raise AllowlistError(f"{where}: needs a non-empty string {' and '.join(missing)} ({item!r})")
        extra = sorted(set(item) - {"text", "reason"})
        if extra:
            raise AllowlistError(f"{where}: unknown key(s) {', '.join(extra)}; an entry has text and reason only")
        entries.append(AllowEntry(" ".join(item["text"].split()), " ".join(item["reason"].split()), index, line))
    return entries


# ---------------------------------------------------------------------------------------------
# Checking a lecture


def lecture_paths(root: Path, stem: str) -> tuple[Path, Path, Path]:
    """``(lecture, test file, allowlist)`` of lecture ``stem`` under ``root``."""
    return (
        root / "lectures" / f"{stem}.md",
        root / "tests" / "lectures" / f"test_{stem}.py",
        root / "tests" / "lectures" / "allowlists" / f"{stem}.yml",
    )


def check_lecture(lecture: Path, root: Path | None = None) -> LectureClaims:
    """Read and check one lecture (``root/lectures/<stem>.md``); problems are in ``.problems``."""
    lecture = Path(lecture).resolve()
    root = Path(root).resolve() if root is not None else lecture.parent.parent
    stem = lecture.stem
    _, test_file, allowlist_file = lecture_paths(root, stem)
    claims = LectureClaims(stem, lecture, test_file, allowlist_file)
    where = _relative(lecture, root)
    problems = claims.problems

    paragraphs, cells, display = split_source(lecture.read_text(encoding="utf-8"))
    for number, line in display:
        directive = GLUE_DIRECTIVE.match(line)
        if directive:
            claims.displayed.setdefault(directive.group("name"), []).append(number)
            continue
        for match in GLUE_ROLE.finditer(line):
            name = match.group("body").split(":", 1)[0].strip()
            claims.displayed.setdefault(name, []).append(number)
    trees, cell_problems = parse_cells(cells)
    claims.glued, claims.glue_patterns, glue_problems = glue_calls(trees)
    cell_problems += glue_problems + budget_problems(trees)
    problems += [Problem(where, p.line, p.message) for p in sorted(cell_problems, key=lambda p: p.line)]

    test_where = _relative(test_file, root)
    if test_file.is_file():
        try:
            claims.assertions, claims.assertion_patterns = asserted_reads(test_file.read_text(encoding="utf-8"))
        except SyntaxError as error:
            problems.append(Problem(test_where, error.lineno or 1, f"does not parse: {error.msg}"))
    elif claims.displayed or claims.glued:
        problems.append(Problem(where, 1, f"glues values but has no test file {test_where}"))

    for name, lines in claims.displayed.items():
        if not claims.asserting(name):
            problems.append(
                Problem(where, lines[0], f"glued value {name!r} is displayed but no assert in {test_where} reads it")
            )
    shown_or_read = set(claims.displayed) | set(claims.assertions)
    for name, line in claims.glued.items():
        if name not in shown_or_read and not any(_pattern(a.name).fullmatch(name) for a in claims.assertion_patterns):
            problems.append(Problem(where, line, f"glued value {name!r} is neither displayed nor asserted (dead glue)"))
    for pattern, line in claims.glue_patterns.items():
        regex = _pattern(pattern)
        if not any(regex.fullmatch(name) for name in shown_or_read) and not any(
            a.name == pattern for a in claims.assertion_patterns
        ):
            problems.append(
                Problem(where, line, f"glued values f{pattern!r} are neither displayed nor asserted (dead glue)")
            )

    allow_where = _relative(allowlist_file, root)
    try:
        claims.allowlist = read_allowlist(allowlist_file)
    except AllowlistError as error:
        problems.append(Problem(allow_where, 1, str(error).split(": ", 1)[1]))
    for paragraph in paragraphs:
        for line, source, scan in sentences(paragraph):
            kinds = claim_kinds(scan)
            if not kinds or source.rstrip("*_)\"'").endswith("?"):  # a question claims nothing
                continue
            backing, reason = backing_of(source), ""
            if not backing:
                for entry in claims.allowlist:
                    if entry.text in source or _plain(entry.text) in _plain(source):
                        entry.matched += 1
                        backing, reason = backing or "allowlist", reason or entry.reason
            claims.sentences.append(Sentence(line, source, kinds, backing, reason))
            if not backing:
                short = source if len(source) <= 140 else source[:137] + "..."
                problems.append(
                    Problem(where, line, f"unbacked claim ({', '.join(kinds)}): \"{short}\"; glue the value, "
                            f"cite a source or add it to {allow_where}")
                )
    for line, mention in plain_lecture_mentions(lecture.read_text(encoding="utf-8")):
        problems.append(
            Problem(where, line, f"{mention!r} names a lecture in plain text: make it a link, "
                    f"{{doc}}`lecture N <NN_stem>` (the build refuses it too)")
        )
    for entry in claims.allowlist:
        if not entry.matched:
            problems.append(
                Problem(allow_where, entry.line, f"entry {entry.index} matches no unbacked claim sentence of "
                        f"{where} (stale or not verbatim): {entry.text!r}")
            )
    return claims


def _plain(text: str) -> str:
    """Text without emphasis marks and backticks, for allowlist matching."""
    return " ".join(re.sub(r"[*`]", "", text).split())


def _relative(path: Path, root: Path) -> str:
    try:
        return path.resolve().relative_to(root).as_posix()
    except ValueError:
        return str(path)


def course_lectures(root: Path = REPO) -> list[Path]:
    """The lectures listed in ``_toc.yml`` (the files under ``lectures/``), in order."""
    from ..build.book import toc_files

    return [path for path in toc_files(root) if path.parent == root / "lectures" and path.suffix == ".md"]


def check(paths: Iterable[Path] | None = None, root: Path = REPO) -> list[LectureClaims]:
    """Check the given lectures (all the course's lectures by default)."""
    root = Path(root).resolve()
    chosen = list(paths) if paths is not None else course_lectures(root)
    return [check_lecture(Path(p) if Path(p).is_absolute() else root / p, root) for p in chosen]


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m scimlkit.site.claims_check", description=__doc__.split("\n\n")[0])
    parser.add_argument("lectures", nargs="*", type=Path, help="lecture files (default: every lecture in _toc.yml)")
    parser.add_argument("--root", type=Path, default=None, help="the course's folder (default: this checkout)")
    args = parser.parse_args(argv)
    root = (args.root or (Path.cwd() if (Path.cwd() / "_toc.yml").is_file() else REPO)).resolve()
    paths = [p.resolve() for p in args.lectures] if args.lectures else None
    for path in paths or []:
        if not path.is_file():
            parser.error(f"{path} does not exist")
    if paths and args.root is None:
        # each lecture's course folder is the one above its lectures/ folder
        results = [check_lecture(path, path.parent.parent) for path in paths]
    else:
        results = check(paths, root)
    problems = [p for lecture in results for p in lecture.problems]
    for problem in problems:
        print(problem)
    if problems:
        print(f"{len(problems)} claims problem(s) in {sum(bool(r.problems) for r in results)} lecture(s)", file=sys.stderr)
        return 1
    displayed = sum(len(r.displayed) for r in results)
    backed = sum(len(r.sentences) for r in results)
    print(
        f"claims check: {len(results)} lecture(s) clean: {displayed} displayed values asserted, "
        f"{backed} claim sentences backed"
    )
    return 0

