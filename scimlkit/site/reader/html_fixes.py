"""Every published page valid HTML (Nu HTML checker) and accessible (axe-core, WCAG 2.1 AA).

The defects come from upstream pieces, so one pass over the written pages fixes them for
every page, those that lectures and the gallery add later included:

- the theme's search box carries ``autocorrect``, which HTML does not have;
- the theme's sidebar toggles are ``<summary>`` elements with an icon and no name;
- sphinx-exercise gives every exercise and solution body the same ``id``;
- Sphinx marks bibliography entries ``doc-biblioentry``, a role ARIA 1.2 deprecated, so
  the list that holds them has no list items as far as assistive technology knows;
- matplotlib's inline SVG charts carry RDF metadata, empty glyph paths without ``d``,
  and ids (``glyph``, ``axes_1``) that repeat once a page shows two charts;
- Jupyter Book's root redirect page has no doctype and no title;
- the theme copies two Jinja macro files (not pages) into ``_static/``.

Colours the theme and the gallery draw below 4.5:1 contrast are overridden by
``accessibility_static/scimlkit-accessible.css``. Every fix is idempotent: pages that an
incremental build did not rewrite are simply fixed again.
"""

from __future__ import annotations

import html as html_escape
import re
from collections import Counter
from pathlib import Path

from sphinx.application import Sphinx
from sphinx.config import Config
from sphinx.util import logging

logger = logging.getLogger(__name__)

STATIC = Path(__file__).with_name("accessibility_static")
STYLESHEET = "scimlkit-accessible.css"
#: Jinja macro files the themes ship in their static folders (not pages, not valid HTML).
TEMPLATE_FRAGMENTS = ("webpack-macros.html", "sbt-webpack-macros.html")
TOGGLE_LABEL = "Show or hide the pages of this section"

_ID = re.compile(r'(\sid=")([^"]+)(")')
_SVG = re.compile(r"<svg\b.*?</svg>", re.DOTALL)
_SUMMARY = re.compile(r"<summary(?P<attrs>\s[^>]*)?>(?P<inner>.*?)</summary>", re.DOTALL)
_TAG = re.compile(r"<[^>]+>")


def fix_page(text: str) -> str:
    """One page's HTML with every fix applied (applying it twice changes nothing)."""
    text = _complete_redirect_page(text)
    text = re.sub(r'\s+autocorrect="[^"]*"', "", text)
    text = _SUMMARY.sub(_name_summary, text)
    text = text.replace('role="doc-biblioentry"', 'role="listitem"')
    duplicated = {name for name, count in Counter(m[2] for m in _ID.finditer(text)).items() if count > 1}
    counter = iter(range(1, 10**6))
    text = _SVG.sub(lambda match: _fix_svg(match[0], duplicated, next(counter)), text)
    return _renumber_duplicate_ids(text)


def _complete_redirect_page(text: str) -> str:
    refresh = re.search(r'<meta http-equiv="Refresh" content="0; url=([^"]+)"\s*/?>', text, re.IGNORECASE)
    if refresh is None or text.lstrip().lower().startswith("<!doctype"):
        return text
    target = html_escape.escape(html_escape.unescape(refresh[1]))
    return (
        '<!DOCTYPE html>\n<html lang="en">\n<head>\n<meta charset="utf-8">\n'
        f"<title>Redirecting to {target}</title>\n"
        f'<meta http-equiv="Refresh" content="0; url={target}">\n'
        f'</head>\n<body>\n<p>This page has moved to <a href="{target}">{target}</a>.</p>\n</body>\n</html>\n'
    )


def _name_summary(match: re.Match) -> str:
    attrs = match["attrs"] or ""
    has_text = _TAG.sub("", match["inner"]).strip()
    if has_text or "aria-label" in attrs:
        return match[0]
    return f'<summary{attrs} aria-label="{TOGGLE_LABEL}">{match["inner"]}</summary>'


def _fix_svg(svg: str, duplicated: set[str], number: int) -> str:
    svg = re.sub(r"<metadata>.*?</metadata>\s*", "", svg, flags=re.DOTALL)
    svg = re.sub(r'\s+xmlns:(?!xlink\b)[\w-]+="[^"]*"', "", svg)
    # An empty glyph (a space) is written as a path without `d`: give it an empty move.
    svg = re.sub(r"<path\b(?![^>]*\sd=)", '<path d="M 0 0"', svg)
    ids = [match[2] for match in _ID.finditer(svg)]
    if not duplicated.intersection(ids):
        return svg
    prefix = f"svg{number}-"
    names = "|".join(re.escape(name) for name in sorted(set(ids), key=len, reverse=True))
    svg = re.sub(rf'(\sid=")({names})(")', rf"\g<1>{prefix}\g<2>\g<3>", svg)
    svg = re.sub(rf'(href="#)({names})(")', rf"\g<1>{prefix}\g<2>\g<3>", svg)
    return re.sub(rf"(url\(#)({names})(\))", rf"\g<1>{prefix}\g<2>\g<3>", svg)


def _renumber_duplicate_ids(text: str) -> str:
    seen: Counter[str] = Counter()

    def renumber(match: re.Match) -> str:
        seen[match[2]] += 1
        if seen[match[2]] == 1:
            return match[0]
        return f"{match[1]}{match[2]}-{seen[match[2]]}{match[3]}"

    return _ID.sub(renumber, text)


def fix_site(outdir: Path) -> int:
    """Fix every page under ``outdir``; return how many changed."""
    changed = 0
    for name in TEMPLATE_FRAGMENTS:
        (outdir / "_static" / name).unlink(missing_ok=True)
    for page in outdir.rglob("*.html"):
        text = page.read_text(encoding="utf-8")
        fixed = fix_page(text)
        if fixed != text:
            page.write_text(fixed, encoding="utf-8")
            changed += 1
    return changed


def _configure(app: Sphinx, config: Config) -> None:
    config.html_static_path = [*config.html_static_path, str(STATIC)]


def _fix(app: Sphinx, exception: Exception | None) -> None:
    if exception is not None or app.builder.format != "html":
        return
    changed = fix_site(Path(app.outdir))
    if changed:
        logger.info(f"[scimlkit] valid, accessible HTML: {changed} page(s) fixed")


def setup(app: Sphinx) -> dict:
    app.connect("config-inited", _configure)
    app.add_css_file(STYLESHEET)
    # After every other build-finished handler that writes pages (priority 900).
    app.connect("build-finished", _fix, priority=900)
    return {"version": "0.1", "parallel_read_safe": True, "parallel_write_safe": True}
