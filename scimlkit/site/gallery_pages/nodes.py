"""The gallery's own docutils nodes and their HTML.

Untrusted text never goes into these tags as markup: titles, names and abstracts are
``Text`` children (escaped by Sphinx's writer) and every attribute value written here
passes through ``html.escape``. Other builders (LaTeX, text) skip the gallery.
"""

from __future__ import annotations

from html import escape

from docutils import nodes
from sphinx.application import Sphinx


class gallery_card(nodes.General, nodes.Element):
    """One project's card; ``keywords``, ``search`` and ``term`` feed the client-side filter."""


class card_link(nodes.General, nodes.Element):
    """A link to a project page, resolved to a relative URL when the page is written."""


def visit_card(translator, node: gallery_card) -> None:
    translator.body.append(
        '<article class="scimlkit-card"'
        f' data-keywords="{escape(" ".join(node["keywords"]))}"'
        f' data-term="{escape(node["term"])}"'
        f' data-search="{escape(node["search"])}">'
    )


def depart_card(translator, node: gallery_card) -> None:
    translator.body.append("</article>\n")


def visit_link(translator, node: card_link) -> None:
    uri = translator.builder.get_relative_uri(translator.builder.current_docname, node["docname"])
    label = f' aria-label="{escape(node["label"])}"' if node.get("label") else ""
    translator.body.append(f'<a class="{escape(" ".join(node["classes"]))}" href="{escape(uri)}"{label}>')


def depart_link(translator, node: card_link) -> None:
    translator.body.append("</a>")


def skip(translator, node) -> None:
    raise nodes.SkipNode


def setup(app: Sphinx) -> None:
    others = {fmt: (skip, None) for fmt in ("latex", "text", "man", "texinfo")}
    app.add_node(gallery_card, html=(visit_card, depart_card), **others)
    app.add_node(card_link, html=(visit_link, depart_link), **others)
