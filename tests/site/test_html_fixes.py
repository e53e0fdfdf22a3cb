"""The HTML post-processing pass fixes what upstream writes, and only that, idempotently."""

from __future__ import annotations

import re

from scimlkit.site.reader.html_fixes import TOGGLE_LABEL, fix_page

SVG = (
    '<svg xmlns:xlink="http://www.w3.org/1999/xlink" xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" '
    'xmlns="http://www.w3.org/2000/svg"><metadata><rdf:RDF></rdf:RDF></metadata>'
    '<defs><path id="glyph-1" transform="scale(0.01)"/><clipPath id="clip"><rect/></clipPath></defs>'
    '<g clip-path="url(#clip)"><use xlink:href="#glyph-1"/></g></svg>'
)
PAGE = (
    "<!DOCTYPE html><html><head><title>t</title></head><body>"
    '<input type="search" autocorrect="off" name="q">'
    '<details><summary><span class="toctree-toggle" role="presentation"><i class="fa-solid"></i></span></summary></details>'
    "<details><summary>Solution</summary></details>"
    '<div id="exercise-content">a</div><div id="exercise-content">b</div>'
    '<div role="list" class="citation-list"><div class="citation" role="doc-biblioentry">x</div></div>'
    f"{SVG}{SVG}</body></html>"
)


def ids(text: str) -> list[str]:
    return re.findall(r'\sid="([^"]+)"', text)


def test_fixes_make_ids_unique_and_keep_svg_references_consistent():
    fixed = fix_page(PAGE)
    assert len(ids(fixed)) == len(set(ids(fixed))) == 6
    for number in (1, 2):
        assert f'id="svg{number}-glyph-1"' in fixed and f'xlink:href="#svg{number}-glyph-1"' in fixed
        assert f"url(#svg{number}-clip)" in fixed
    assert 'id="exercise-content"' in fixed and 'id="exercise-content-2"' in fixed
    assert "autocorrect" not in fixed and "<metadata>" not in fixed and "xmlns:rdf" not in fixed
    assert '<path d="M 0 0" id="svg1-glyph-1"' in fixed
    assert fixed.count(f'aria-label="{TOGGLE_LABEL}"') == 1  # the summary with text keeps its own name
    assert 'role="listitem"' in fixed and "doc-biblioentry" not in fixed
    assert fix_page(fixed) == fixed


def test_the_root_redirect_becomes_a_complete_document():
    fixed = fix_page('\n<meta http-equiv="Refresh" content="0; url=book/index.html" />\n')
    assert fixed.startswith("<!DOCTYPE html>") and "<title>Redirecting to book/index.html</title>" in fixed
    assert 'content="0; url=book/index.html"' in fixed and '<a href="book/index.html">' in fixed
    assert fix_page(fixed) == fixed
