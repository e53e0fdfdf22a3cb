"""The site's pages of the project gallery (the Sphinx extension ``scimlkit.site.gallery_pages``).

:mod:`scimlkit.gallery` is the students' tooling (``scimlkit project check``, the
scaffold, the schema); this package turns the projects it accepts into pages of the
site and never checks anything itself. The work starts in :mod:`.index`, which checks
every folder under ``projects/`` at ``config-inited`` and keeps the published ones in
:mod:`.state`, which the others read:

- ``index``: the ``{project-gallery}`` cards, and which files Sphinx reads as pages;
- ``project_pages``: one page per project (header, PDF reports, sanitising), with
  ``citations`` for its numbered references and ``nodes`` for the cards' HTML;
- ``withdrawn``: a project that is no longer published leaves nothing in the output;
- ``preview``: ``scimlkit project preview``, one project's pages in a small book.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from sphinx.application import Sphinx


def setup(app: Sphinx) -> dict[str, Any]:
    from . import index, nodes, project_pages, withdrawn

    index.setup(app)
    nodes.setup(app)
    project_pages.setup(app)
    withdrawn.setup(app)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
