"""The course site: the Sphinx extension ``scimlkit.site`` (in ``_config.yml``) and its build.

Four packages, each opening with what it does and where its work starts. Imports run
one way, ``gallery_pages`` -> ``reader`` -> ``build`` and ``appendix`` -> ``build``
(``tests/test_import_layers.py`` parses them):

- ``build``: ``python -m scimlkit.site.build`` (``make site``), which executes outdated
  lectures before Sphinx runs, and the Sphinx side of execution (the execution key,
  the provenance line); ``build.book`` holds what both sides share;
- ``reader``: what the reader gets beyond the executed pages (MathJax, notebooks and
  Colab, the course PDF's link, theme fixes, valid and accessible HTML);
- ``gallery_pages``: the project gallery's pages (``scimlkit.gallery`` is the students'
  tooling that checks the projects);
- ``appendix``: pages made from the code and the runs: Performance (and the report
  format ``benchmarks/`` writes, which needs no Sphinx), Claims (and the claims check,
  ``python -m scimlkit.site.claims_check``), Build environment, Toolkit reference, the
  syllabus's lecture table (and the check that pages link the lectures they name).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from sphinx.application import Sphinx


def setup(app: Sphinx) -> dict[str, Any]:
    # Imported here so that the build driver and the project command, which live in
    # this package too, start without loading myst-nb. The order is the order the
    # extensions' handlers run in.
    from .appendix import claims_page, environment, lecture_numbers, performance
    from .build import execution, provenance

    execution.setup(app)
    provenance.setup(app)
    environment.setup(app)
    performance.setup(app)
    claims_page.setup(app)
    lecture_numbers.setup(app)
    app.setup_extension("scimlkit.site.gallery_pages")
    app.setup_extension("scimlkit.site.reader")
    app.setup_extension("scimlkit.site.reader.html_fixes")
    app.setup_extension("scimlkit.site.appendix.toolkit_reference")
    return {"version": "0.1", "parallel_read_safe": True, "parallel_write_safe": True}
