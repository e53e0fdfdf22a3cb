"""Build docutils tables (and paragraphs) from strings whose `backticks` mark code (or nodes)."""

from __future__ import annotations

from collections.abc import Sequence

from docutils import nodes


def table(header: Sequence[str], rows: Sequence[Sequence[object]], caption: str | None = None) -> nodes.table:
    node = nodes.table(classes=["scimlkit-table"])
    if caption:
        node += nodes.title(text=caption)
    group = nodes.tgroup(cols=len(header))
    node += group
    for _ in header:
        group += nodes.colspec(colwidth=1)
    head = nodes.thead()
    group += head
    head += _row(header)
    body = nodes.tbody()
    group += body
    for row in rows:
        if len(row) != len(header):
            raise ValueError(f"row {list(row)!r} has {len(row)} cells, the header has {len(header)}")
        body += _row(row)
    return node


def _row(cells: Sequence[object]) -> nodes.row:
    row = nodes.row()
    for cell in cells:
        entry = nodes.entry()
        entry += cell if isinstance(cell, nodes.Element) else paragraph(str(cell))
        row += entry
    return row


def paragraph(text: str) -> nodes.paragraph:
    """A paragraph of plain text in which `backticks` mark code, as in Markdown."""
    node = nodes.paragraph()
    for index, part in enumerate(text.split("`")):
        if part:
            node += nodes.literal(part, part) if index % 2 else nodes.Text(part)
    return node
