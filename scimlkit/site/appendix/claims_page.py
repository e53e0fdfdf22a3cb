"""The ``{claims-table}`` directive: the Claims page, made from the claims check's data.

At build time it runs :func:`scimlkit.site.claims_check.check` on the book's lectures and
renders, for each lecture, how many glued values the page shows and how many a test
asserts, how its comparative sentences are backed (a glued value, a citation, maths or
the allowlist), and for each glued value the test functions that assert it, linked to
the repository (``repository.url`` and ``repository.branch`` of ``_config.yml``).
"""

from __future__ import annotations

from pathlib import Path

from docutils import nodes
from sphinx import addnodes
from sphinx.application import Sphinx
from sphinx.util.docutils import SphinxDirective

from .claims_check import SUMMARY_COLUMNS, LectureClaims, check, summary, totals
from .tables import paragraph, table


def repository(root: Path) -> tuple[str | None, str]:
    """The repository's web address and branch from the book's ``_config.yml``."""
    import yaml

    config_file = root / "_config.yml"
    config = yaml.safe_load(config_file.read_text(encoding="utf-8")) if config_file.is_file() else None
    settings = (config or {}).get("repository") or {}
    url = settings.get("url")
    return (url.rstrip("/") if url else None), settings.get("branch") or "main"


def source_link(root: Path, path: Path, line: int, text: str) -> nodes.Node:
    """``text`` linked to ``path#L<line>`` in the repository (plain code text without one)."""
    url, branch = repository(root)
    relative = path.relative_to(root).as_posix()
    if url is None:
        return nodes.literal(text, text)
    reference = nodes.reference("", "", refuri=f"{url}/blob/{branch}/{relative}#L{line}")
    reference += nodes.literal(text, text)
    return reference


class ClaimsTable(SphinxDirective):
    """``{claims-table}``: the claims of every lecture in the table of contents."""

    def run(self):
        root = Path(self.env.srcdir)
        lectures = check(root=root)
        for claims in lectures:
            # the allowlists' folder too: its time changes when an allowlist is added
            for path in (claims.lecture, claims.test_file, claims.allowlist_file, claims.allowlist_file.parent):
                if path.exists():
                    self.env.note_dependency(str(path))
        rows = [[self.lecture_link(root, c), *summary(c).values()] for c in lectures]
        rows.append(["all lectures", *totals(lectures).values()])
        out: list[nodes.Node] = [table(["lecture", *SUMMARY_COLUMNS.values()], rows, caption="Claims per lecture")]
        for claims in lectures:
            out += self.lecture_section(root, claims)
        return out

    def lecture_link(self, root: Path, claims: LectureClaims) -> nodes.paragraph:
        docname = claims.lecture.relative_to(root).with_suffix("").as_posix()
        xref = addnodes.pending_xref(
            "", refdomain="std", reftype="doc", reftarget=f"/{docname}", refexplicit=False, refdoc=self.env.docname
        )
        xref += nodes.inline(docname, docname)
        node = nodes.paragraph()
        node += xref
        return node

    def lecture_section(self, root: Path, claims: LectureClaims) -> list[nodes.Node]:
        heading = nodes.rubric()
        heading += self.lecture_link(root, claims).children
        out: list[nodes.Node] = [heading]
        names = claims.value_names()
        if names:
            rows = []
            for name in names:
                by_function: dict[str, int] = {}
                for assertion in claims.asserting(name):
                    by_function.setdefault(assertion.function, assertion.line)
                cell = nodes.paragraph()
                for index, (function, line) in enumerate(by_function.items()):
                    if index:
                        cell += nodes.Text(", ")
                    cell += source_link(root, claims.test_file, line, f"{claims.test_file.name}::{function}")
                if not by_function:
                    cell += nodes.Text("not asserted")
                shown = claims.displayed.get(name)
                rows.append([f"`{name}`", f"line {shown[0]}" if shown else "not shown", cell])
            out.append(table(["glued value", "shown in the text", "asserted by"], rows, caption="Glued values"))
        allowed = claims.backed("allowlist")
        if allowed:
            out.append(
                table(
                    ["sentence", "why no run is needed"],
                    [(s.text, s.reason) for s in allowed],
                    caption=f"Allowlisted sentences ({claims.allowlist_file.name})",
                )
            )
        unbacked = claims.backed("")
        if unbacked:
            items = nodes.bullet_list()
            for sentence in unbacked:
                item = nodes.list_item()
                item += paragraph(f"line {sentence.line}: {sentence.text}")
                items += item
            out += [paragraph(f"Not yet backed ({len(unbacked)}):"), items]
        return out


def setup(app: Sphinx) -> None:
    app.add_directive("claims-table", ClaimsTable)
