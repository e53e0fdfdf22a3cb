"""Fold the execution key into a MyST notebook's kernelspec.

jupyter-cache hashes a notebook's code cells, their metadata and its ``kernelspec``
mapping. Appending the key to ``kernelspec.display_name`` makes the key part of that
hash without changing which kernel runs. The edit is made on the text, line for line,
so line numbers in warnings still match the file on disk.
"""

from __future__ import annotations

import re

import yaml

_FRONT_MATTER = re.compile(r"\A---[ \t]*\n(.*?\n)---[ \t]*(\n|\Z)", re.DOTALL)
_KEY_SUFFIX = re.compile(r" \[[^\]]*\]$")


class NotebookHeaderError(ValueError):
    """A lecture's front matter cannot make it an executed notebook."""


def front_matter(text: str) -> dict | None:
    """The YAML front matter of a MyST file, or ``None`` when it has none."""
    match = _FRONT_MATTER.match(text)
    if match is None:
        return None
    try:
        data = yaml.safe_load(match.group(1))
    except yaml.YAMLError as error:
        raise NotebookHeaderError(f"front matter is not valid YAML: {error}") from error
    return data if isinstance(data, dict) else None


def is_executable_notebook(text: str) -> bool:
    """True when myst-nb will execute this file: jupytext MyST header plus kernelspec."""
    data = front_matter(text) or {}
    jupytext = data.get("jupytext") or {}
    fmt = (jupytext.get("text_representation") or {}).get("format_name")
    return fmt == "myst" and isinstance(data.get("kernelspec"), dict)


def has_code_cells(text: str) -> bool:
    """True when the file has top-level ``{code-cell}`` directives (not ones quoted in
    a code block, as a guide that shows the syntax has)."""
    if "{code-cell}" not in text:
        return False
    from markdown_it import MarkdownIt

    tokens = MarkdownIt("commonmark").parse(text)
    return any(
        token.type == "fence" and token.info.strip().startswith("{code-cell}") for token in tokens
    )


def missing_header_reason(text: str) -> str | None:
    """Why a file with code cells would silently not execute, or ``None`` if it would."""
    if not has_code_cells(text):
        return None
    data = front_matter(text)
    if data is None:
        return "it has code cells but no front matter"
    jupytext = data.get("jupytext") or {}
    if (jupytext.get("text_representation") or {}).get("format_name") != "myst":
        return "its front matter lacks jupytext.text_representation.format_name: myst"
    if not isinstance(data.get("kernelspec"), dict):
        return "its front matter lacks a kernelspec"
    return None


def apply_key(text: str, key: str) -> str:
    """Return ``text`` with ``kernelspec.display_name`` ending in ``[key]``.

    Files that are not executable notebooks are returned unchanged.
    """
    if not is_executable_notebook(text):
        return text
    match = _FRONT_MATTER.match(text)
    header_lines = match.group(1).splitlines(keepends=True)
    in_kernelspec = False
    for index, line in enumerate(header_lines):
        if not line.startswith((" ", "\t")):
            in_kernelspec = line.rstrip() == "kernelspec:"
            continue
        stripped = line.lstrip()
        if in_kernelspec and stripped.startswith("display_name:"):
            indent = line[: len(line) - len(stripped)]
            name = yaml.safe_load(stripped)["display_name"] or ""
            name = _KEY_SUFFIX.sub("", str(name))
            header_lines[index] = f"{indent}display_name: {_quote(f'{name} [{key}]')}\n"
            break
    else:
        raise NotebookHeaderError("kernelspec has no display_name line")
    start, end = match.span(1)
    return text[:start] + "".join(header_lines) + text[end:]


def _quote(value: str) -> str:
    return '"' + value.replace("\\", "\\\\").replace('"', '\\"') + '"'


_TAG_LINE = re.compile(r"^:?tags:\s*\[([^\]]*)\]", re.MULTILINE)


def count_gpu_cells(text: str) -> int:
    """How many code cells carry the ``gpu`` tag (``:tags: [gpu]``)."""
    return sum(
        "gpu" in [tag.strip().strip("'\"") for tag in tags.split(",")]
        for tags in _TAG_LINE.findall(text)
    )
