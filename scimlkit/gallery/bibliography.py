"""A project's own ``references.bib``: read strictly, line by line, before anything uses it.

A report cites from its project's BibTeX file (``{cite}`key``` in MyST and notebook
reports, ``\\cite{key}`` in LaTeX). The file is untrusted: it ends up in the site's
pages and in a LaTeX run, so only plain BibTeX is accepted. Refused, each with its line:

- LaTeX commands (a backslash anywhere), ``@preamble`` and ``@string`` (which put text
  into the LaTeX run or expand elsewhere): write accents as Unicode letters instead;
- huge fields, too many entries, unbalanced braces;
- an entry without a key, a key that is not a plain name, and two entries whose keys
  collide (BibTeX compares keys ignoring case).

Keys belong to their project: two projects may both use ``smith2020``, and neither is
mixed with the course's own bibliography (the site formats a project's list itself).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

from .problems import Problem

MAX_BIB_BYTES = 256 * 1024
MAX_ENTRIES = 300
MAX_FIELD_CHARS = 2000
KEY = re.compile(r"^[A-Za-z][A-Za-z0-9_:.+/-]{0,79}$")
_ENTRY_START = re.compile(r"@\s*([A-Za-z]+)\s*([{(])")
_FIELD = re.compile(r"\s*([A-Za-z][A-Za-z0-9_-]*)\s*=\s*", re.ASCII)


@dataclass
class BibEntry:
    key: str
    kind: str
    line: int
    fields: dict[str, str] = field(default_factory=dict)


@dataclass
class Bibliography:
    path: Path
    entries: dict[str, BibEntry] = field(default_factory=dict)  # by key
    problems: list[Problem] = field(default_factory=list)

    def __len__(self) -> int:
        return len(self.entries)


def read_bibliography(path: Path) -> Bibliography:
    """Every entry of ``path`` with its line, and every problem found on the way."""
    bib = Bibliography(path)
    size = path.stat().st_size
    if size > MAX_BIB_BYTES:
        bib.problems.append(Problem(path, f"the file is {size} bytes; the limit is {MAX_BIB_BYTES}"))
        return bib
    raw = path.read_bytes()
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as error:
        line = raw[: error.start].count(b"\n") + 1
        bib.problems.append(Problem(path, f"not UTF-8 text (byte {error.start} cannot be decoded)", line))
        return bib
    backslash = text.find("\\")
    if backslash >= 0:
        command = re.match(r"\\[A-Za-z]*", text[backslash:]).group() or "\\"
        bib.problems.append(
            Problem(path, f"LaTeX commands such as '{command}' are not allowed in a project's BibTeX file: "
                    "write accented letters as Unicode (é, ü) and leave out formatting", _line(text, backslash))
        )
        return bib
    _parse(text, bib)
    bib.problems += [problem for entry in bib.entries.values() for problem in _lowered_title_problems(bib.path, entry)]
    return bib


def _lowered_title_problems(path: Path, entry: BibEntry) -> list[Problem]:
    """Bibliography styles set titles in sentence case: 'Augmented Neural ODEs' would print as
    'Augmented neural odes'. Words with a capital after their first letter (acronyms, names
    such as McKendrick) must be protected with braces, as in {ODEs}."""
    unprotected = re.sub(r"\{[^{}]*\}", " ", entry.fields.get("title", ""))
    words = sorted({word for word in re.findall(r"[^\W\d_][\w-]*", unprotected) if re.search(r"[A-Z]", word[1:])})
    if not words:
        return []
    protected = ", ".join("{" + word + "}" for word in words)
    return [
        Problem(path, f"the title of {entry.key!r} has {', '.join(map(repr, words))}, which the bibliography style "
                f"would print in lower case: protect it with braces ({protected})", entry.line)
    ]


def _line(text: str, position: int) -> int:
    return text.count("\n", 0, position) + 1


def _parse(text: str, bib: Bibliography) -> None:
    seen: dict[str, BibEntry] = {}
    position = 0
    while True:
        match = _ENTRY_START.search(text, position)
        if match is None:
            return
        kind, line = match.group(1).lower(), _line(text, match.start())
        closing = "}" if match.group(2) == "{" else ")"
        end = _matching_end(text, match.end(), closing)
        if end is None:
            bib.problems.append(Problem(bib.path, f"the @{kind} entry is never closed (unbalanced braces)", line))
            return
        body = text[match.end():end]
        position = end + 1
        if kind == "comment":
            continue
        if kind in ("preamble", "string"):
            bib.problems.append(
                Problem(bib.path, f"@{kind} is not allowed in a project's BibTeX file; write each entry out in full", line)
            )
            continue
        if len(seen) >= MAX_ENTRIES:
            bib.problems.append(Problem(bib.path, f"the file holds more than {MAX_ENTRIES} entries", line))
            return
        entry = _entry(kind, body, line, text, match.end(), bib)
        if entry is None:
            continue
        twin = seen.get(entry.key.casefold())
        if twin is not None:
            bib.problems.append(
                Problem(bib.path, f"the key {entry.key!r} collides with the entry {twin.key!r} at line {twin.line} "
                        "(BibTeX keys ignore case); give each entry its own key", line)
            )
            continue
        seen[entry.key.casefold()] = entry
        bib.entries[entry.key] = entry


def _matching_end(text: str, start: int, closing: str) -> int | None:
    depth = 0
    for index in range(start, len(text)):
        char = text[index]
        if char == "{":
            depth += 1
        elif char == "}":
            if depth == 0 and closing == "}":
                return index
            depth -= 1
            if depth < 0:
                return None
        elif char == ")" and closing == ")" and depth == 0:
            return index
    return None


def _entry(kind: str, body: str, line: int, text: str, offset: int, bib: Bibliography) -> BibEntry | None:
    key, comma, rest = body.partition(",")
    key = key.strip()
    if not key or "=" in key:
        bib.problems.append(Problem(bib.path, f"the @{kind} entry has no key: write @{kind}{{yourkey2024, ...}}", line))
        return None
    if not KEY.match(key):
        bib.problems.append(
            Problem(bib.path, f"the key {key[:40]!r} is not a plain name (letters, digits and _:.+/- only, "
                    "starting with a letter, at most 80 characters)", line)
        )
        return None
    entry = BibEntry(key, kind, line)
    start = len(key) + len(comma)
    for name, value, at in _fields(body, start):
        field_line = _line(text, offset + at)
        if len(value) > MAX_FIELD_CHARS:
            bib.problems.append(
                Problem(bib.path, f"the field {name!r} of {key!r} holds {len(value)} characters; "
                        f"the limit is {MAX_FIELD_CHARS}", field_line)
            )
            return None
        entry.fields[name.lower()] = value
    return entry


def _fields(body: str, index: int):
    """``(name, value, position)`` of each ``name = {value}``, ``"value"`` or ``number``."""
    while index < len(body):
        match = _FIELD.match(body, index)
        if match is None:
            return
        name, start = match.group(1), match.end()
        if start < len(body) and body[start] == "{":
            end = _matching_end(body, start + 1, "}")
            value, index = body[start + 1:end], (end or len(body)) + 1
        elif start < len(body) and body[start] == '"':
            end = body.find('"', start + 1)
            end = len(body) if end < 0 else end
            value, index = body[start + 1:end], end + 1
        else:
            bare = re.match(r"[^,\s]*", body[start:]).group()
            value, index = bare, start + len(bare)
        yield name, " ".join(value.split()), match.start(1)
        comma = re.match(r"\s*,?", body[index:])
        index += comma.end()


def short_authors(entry: BibEntry) -> str:
    """"Chen et al.", "Dupont and Doucet" or "Kidger": the authors as a textual citation names them."""
    names = [name.strip() for name in re.split(r"\s+and\s+", entry.fields.get("author", "")) if name.strip()]
    surnames = [name.split(",")[0].strip() if "," in name else name.split()[-1] for name in names]
    surnames = [surname.strip("{}") for surname in surnames]
    if len(surnames) > 2:
        return f"{surnames[0]} et al."
    return " and ".join(surnames) or entry.key


def citation_problems(bib: Bibliography | None, cited: list[tuple[str, int | None, str]], report: Path) -> list[Problem]:
    """A cited key missing from the project's BibTeX file, or a citation without any file."""
    problems = []
    for key, line, where in cited:
        if bib is None:
            problems.append(
                Problem(report, f"{where}{{cite}}`{key[:40]}` needs the project's BibTeX file: "
                        "set `bibliography: references.bib` in project.yml", line)
            )
        elif key not in bib.entries:
            problems.append(Problem(report, f"{where}the citation key {key[:40]!r} is not in {bib.path.name}", line))
    return problems
