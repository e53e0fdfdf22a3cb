"""What the reader gets beyond the executed pages (the Sphinx extension ``scimlkit.site.reader``).

Nothing here executes a lecture or knows about the execution cache beyond reading it;
each module is one feature, set up from :func:`setup`:

- ``theme``: the theme's start mode and favicon, three console errors fixed at their
  cause, the sidebar buttons, page descriptions (start reading here);
- ``mathjax``: MathJax 3 served by the site itself;
- ``notebooks``: per-lecture notebooks to download and to open in Colab, made plain by
  ``clean_notebooks``;
- ``course_pdf``: the home page's link to the whole course as one PDF (``make pdf``,
  which builds it, is :mod:`scimlkit.site.build.pdf`);
- ``html_fixes``: valid, accessible HTML on every written page (its own extension, set
  up by :mod:`scimlkit.site` after this one).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from sphinx.application import Sphinx


def setup(app: Sphinx) -> dict[str, Any]:
    from . import course_pdf, mathjax, notebooks, theme

    theme.setup(app)
    mathjax.setup(app)
    notebooks.setup(app)
    course_pdf.setup(app)
    return {"version": "0.1", "parallel_read_safe": True, "parallel_write_safe": True}
