"""An opt-out that holds: a withdrawn project leaves nothing in the built site.

Sphinx builds incrementally: when a project is set to ``publish: false`` (or deleted, or
becomes invalid) its document is dropped from the environment, but the files an earlier
build wrote stay in ``_build/html`` (its page, ``_sources`` copy, images, downloads,
notebooks, social card), and pages that were not re-read keep their links to it in
the navigation. Publishing that folder would publish the withdrawn report. So:

- when the set of published projects (or a title) differs from the previous build's,
  every page is rewritten (``env-updated``), so no navigation, previous/next link or
  sitemap entry keeps pointing at a withdrawn project;
- after the build, everything an earlier build wrote for a project that is not
  published now is deleted: the folders named after its slug under ``projects/`` at
  any level of the output (pages, ``_sources``, ``_notebooks``, ``_colab``), the social
  card, and the images and downloads copied from its folder, which are recorded per
  project in ``_build/gallery-files.json`` (outside the published folder, since it
  names withdrawn slugs).
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path

from sphinx.application import Sphinx
from sphinx.util import logging

from .state import PROJECTS, gallery_state

logger = logging.getLogger(__name__)

RECORD = "gallery-files.json"
# Output folders that mirror the source tree, so that a project's files sit under
# <mirror>/projects/<slug>/.
MIRRORS = ("", "_sources", "_notebooks", "_colab")


def _published(app: Sphinx) -> dict[str, str]:
    return {page.checked.slug: page.project.title for page in gallery_state(app).pages}


def rewrite_all_when_gallery_changes(app: Sphinx, env) -> list[str]:
    """Every page, when the published projects differ from the last build's."""
    published = _published(app)
    previous = getattr(env, "scimlkit_gallery_published", None)
    env.scimlkit_gallery_published = published
    if previous is not None and previous != published:
        return sorted(env.found_docs)
    return []


def _record_path(app: Sphinx) -> Path:
    return Path(app.outdir).parent / RECORD


def _copied_files(app: Sphinx) -> dict[str, set[str]]:
    """Output files (relative to the HTML folder) copied from each project's folder."""
    copied: dict[str, set[str]] = {}
    env = app.env
    for source, (_, unique) in env.images.items():
        slug = _slug_of(source)
        if slug:
            copied.setdefault(slug, set()).add(f"_images/{unique}")
    for source, (_, destination) in env.dlfiles.items():
        slug = _slug_of(source)
        if slug:
            copied.setdefault(slug, set()).add(f"_downloads/{destination}")
    return copied


def _slug_of(source: str) -> str | None:
    parts = Path(source).as_posix().lstrip("/").split("/")
    return parts[1] if len(parts) > 2 and parts[0] == PROJECTS else None


def remove_withdrawn(app: Sphinx, exception: Exception | None) -> None:
    if exception is not None or app.builder.format != "html":
        return
    outdir = Path(app.outdir)
    published = set(_published(app))
    record_path = _record_path(app)
    try:
        recorded = {slug: set(files) for slug, files in json.loads(record_path.read_text(encoding="utf-8")).items()}
    except (OSError, ValueError, AttributeError):
        recorded = {}
    copied = _copied_files(app)
    in_use = set().union(*copied.values()) if copied else set()
    withdrawn = set(recorded) - published
    for mirror in MIRRORS:
        folder = outdir / mirror / PROJECTS
        if folder.is_dir():
            withdrawn |= {path.name for path in folder.iterdir() if path.is_dir() and path.name not in published}
    execute_folder = outdir.parent / "jupyter_execute" / PROJECTS
    for slug in sorted(withdrawn):
        for mirror in MIRRORS:
            _remove(outdir / mirror / PROJECTS / slug)
        _remove(execute_folder / slug)
        for card in (outdir / "_images" / "social_previews").glob(f"summary_{PROJECTS}_{slug}_*"):
            _remove(card)
        for relative in recorded.get(slug, set()) - in_use:
            _remove(outdir / relative)
        logger.info(f"[gallery] removed what earlier builds wrote for the unpublished project {slug!r}")
    kept = {slug: sorted(files) for slug, files in copied.items() if slug in published}
    record_path.parent.mkdir(parents=True, exist_ok=True)
    record_path.write_text(json.dumps(kept, indent=1, sort_keys=True) + "\n", encoding="utf-8")


def _remove(path: Path) -> None:
    if path.is_dir() and not path.is_symlink():
        shutil.rmtree(path)
    elif path.exists() or path.is_symlink():
        path.unlink()
    else:
        return
    parent = path.parent
    # A download sits in its own hashed folder: drop the folder once it is empty.
    if parent.name and parent.parent.name == "_downloads" and parent.is_dir() and not any(parent.iterdir()):
        parent.rmdir()


def setup(app: Sphinx) -> None:
    app.connect("env-updated", rewrite_all_when_gallery_changes)
    app.connect("build-finished", remove_withdrawn)
