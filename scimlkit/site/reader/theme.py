"""The theme's defaults and fixes: what the reader meets on every page.

- two fixes at their cause for console errors a default sphinx-book-theme page shows:
  the theme reads its start mode from the template variable ``default_mode``, which
  nothing sets, so its script logs "Got invalid theme mode" on a first visit; and with no
  ``<link rel="icon">`` the browser asks for ``/favicon.ico``, a 404. The book gets a
  default mode (``auto``: follow the reader's system) and a favicon of its own;
- a third console error, "Identifier 'THEBE_JS_URL' has already been declared":
  sphinx-thebe (loaded by Jupyter Book) registers its inline configuration script with
  the file name ``None`` after the builder started; before writing, Sphinx 7.4 registers
  every late script again as ``filename or ''``, and ``''`` does not equal ``None``, so the
  page declared the same constants twice. The builder's copy gets the name ``''``;
- the visible sidebar buttons (``scimlkit-reader.js``): the themes wire only the first
  ``.primary-toggle`` in the page, a hidden copy, so the one a reader sees did nothing;
- page descriptions (``<meta name="description">``, Open Graph) start with the page's
  prose, not with the duration and provenance lines every executed lecture carries
  under its title;
  pages with no source (search, index, 404) get the course's description.
"""

from __future__ import annotations

import html
import re
from pathlib import Path

from docutils import nodes
from sphinx.application import Sphinx
from sphinx.config import Config

STATIC = Path(__file__).with_name("reader_static")
THEME_MODES = ("auto", "light", "dark")


def _configure(app: Sphinx, config: Config) -> None:
    context = dict(config.html_context or {})
    if context.get("default_mode") not in THEME_MODES:
        context["default_mode"] = "auto"
    config.html_context = context
    if not config.html_favicon:
        config.html_favicon = str(STATIC / "favicon.svg")
    config.html_static_path = [*config.html_static_path, str(STATIC)]
    if "ogp_social_cards" in config:  # sphinxext-opengraph's preview images: our logo
        cards = dict(config.ogp_social_cards or {})
        cards.setdefault("image_mini", str(STATIC / "logo.png"))
        cards.setdefault("line_color", "#1f5f8b")
        config.ogp_social_cards = cards


def _one_inline_script_each(app: Sphinx, env, docnames) -> None:
    from sphinx.builders.html._assets import _JavaScript

    scripts = getattr(app.builder, "_js_files", None)
    if scripts is None:
        return
    scripts[:] = [
        _JavaScript("", priority=script.priority, **script.attributes)
        if script.filename is None
        else script
        for script in scripts
    ]


def _describe_prose(
    app: Sphinx, pagename: str, templatename: str, context: dict, doctree
) -> None:
    # The page body is already rendered at this point; the doctree is only read by the
    # handlers that follow, such as sphinxext-opengraph's description (priority 500).
    if doctree is None:
        return
    for node in list(doctree.findall(nodes.container)):
        if {"scimlkit-provenance", "scimlkit-duration"} & set(node.get("classes", [])):
            node.parent.remove(node)


def _describe_generated_page(
    app: Sphinx, pagename: str, templatename: str, context: dict, doctree
) -> None:
    """Pages with no source (search, index, 404, ...) get a description too."""
    if (
        doctree is not None
        or app.builder.format != "html"
        or "og:title" in context.get("metatags", "")
    ):
        return
    title = html.escape(
        re.sub(r"<[^>]+>", "", context.get("title") or app.config.project), quote=True
    )
    description = html.escape(
        f"{title}: {app.config.scimlkit_site_description}", quote=True
    )
    url = (
        app.config.html_baseurl.rstrip("/") + "/" + app.builder.get_target_uri(pagename)
    )
    context["metatags"] = context.get("metatags", "") + "\n".join(
        [
            f'<meta name="description" content="{description}" />',
            f'<meta property="og:title" content="{title}" />',
            '<meta property="og:type" content="website" />',
            f'<meta property="og:url" content="{html.escape(url, quote=True)}" />',
            f'<meta property="og:description" content="{description}" />',
        ]
    )


def setup(app: Sphinx) -> None:
    app.add_config_value("scimlkit_site_description", "", "html")
    app.add_js_file("scimlkit-reader.js", defer="defer")
    app.connect("config-inited", _configure)
    app.connect("html-page-context", _describe_generated_page, priority=600)
    app.connect("html-page-context", _describe_prose, priority=450)
    app.connect(
        "env-before-read-docs", _one_inline_script_each, priority=900
    )  # after sphinx-thebe
