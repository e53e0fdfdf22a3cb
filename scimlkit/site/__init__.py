"""Sphinx extensions of the course book (listed in ``_config.yml``).

- execution key: lectures re-execute when scimlkit's numerics, the lock file, the
  profile or the device change, not only when their code cells do;
- provenance: every executed page says when, where and at which profile it ran;
- ``{build-environment}``, ``{benchmark-results}`` and ``{claims-table}`` directives for the
  appendix;
- reader features (``reader``): offline MathJax, notebook downloads and Colab, the
  course PDF's link, and the theme's start mode and favicon;
- valid, accessible HTML on every page (``html_fixes``);
- the Toolkit reference (``toolkit_reference``): autodoc entries for every public
  name, linked both ways with the lecture section that first calls it.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from sphinx.application import Sphinx


def setup(app: Sphinx) -> dict[str, Any]:
    # Imported here so that the build driver and the project command, which live in
    # this package too, start without loading myst-nb.
    from . import benchmarks, claims_page, environment, execution, provenance

    execution.setup(app)
    provenance.setup(app)
    environment.setup(app)
    benchmarks.setup(app)
    claims_page.setup(app)
    app.setup_extension("scimlkit.site.gallery")
    app.setup_extension("scimlkit.site.reader")
    app.setup_extension("scimlkit.site.html_fixes")
    app.setup_extension("scimlkit.site.toolkit_reference")
    return {"version": "0.1", "parallel_read_safe": True, "parallel_write_safe": True}
