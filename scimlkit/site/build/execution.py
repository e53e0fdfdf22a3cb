"""Key every lecture's cached outputs on the execution context (see ``context``).

jupyter-cache alone would serve outputs computed with an older scimlkit, and Sphinx
alone would not even re-read a lecture whose file did not change. This extension
closes both holes: it folds the execution key into each notebook before myst-nb
hashes it, and asks Sphinx to re-read every page built under a different key.
"""

from __future__ import annotations

from pathlib import Path

from sphinx.application import Sphinx
from sphinx.config import Config
from sphinx.environment import BuildEnvironment
from sphinx.errors import ExtensionError
from sphinx.util import logging

from .book import resolve_cache_path
from .context import execution_context
from .notebook_key import (
    NotebookHeaderError,
    apply_key,
    count_gpu_cells,
    is_executable_notebook,
    missing_header_reason,
)
from .stored_outputs import read_stored_keys, stored_key

logger = logging.getLogger(__name__)


def keyed_pages(env: BuildEnvironment) -> dict[str, str]:
    """Pages whose content depends on the execution key, with the key they were read under."""
    if not hasattr(env, "scimlkit_keyed_pages"):
        env.scimlkit_keyed_pages = {}
    return env.scimlkit_keyed_pages


def notebook_gpu_cells(env: BuildEnvironment) -> dict[str, int]:
    """Executed notebooks and how many ``gpu``-tagged cells each has."""
    if not hasattr(env, "scimlkit_notebooks"):
        env.scimlkit_notebooks = {}
    return env.scimlkit_notebooks


def _configure(app: Sphinx, config: Config) -> None:
    cache_path = resolve_cache_path(Path(app.srcdir), config.nb_execution_cache_path)
    config.nb_execution_cache_path = str(cache_path)
    app.scimlkit_context = execution_context(Path(app.srcdir))  # type: ignore[attr-defined]
    app.scimlkit_stored_keys = read_stored_keys(cache_path)  # type: ignore[attr-defined]


def _key_source(app: Sphinx, docname: str, source: list[str]) -> None:
    text = source[0]
    reason = missing_header_reason(text)
    if reason is not None:
        raise ExtensionError(
            f"{app.env.doc2path(docname)}: its code cells would silently not run because "
            f"{reason}; copy the front matter of an existing lecture"
        )
    if not is_executable_notebook(text):
        return
    # Stored GPU outputs the driver chose for this very text (stored_outputs), else the build's key.
    stored = stored_key(app.scimlkit_stored_keys, docname, text)  # type: ignore[attr-defined]
    key = stored or app.scimlkit_context.key  # type: ignore[attr-defined]
    try:
        source[0] = apply_key(text, key)
    except NotebookHeaderError as error:
        raise ExtensionError(f"{app.env.doc2path(docname)}: {error}") from error
    keyed_pages(app.env)[docname] = key
    notebook_gpu_cells(app.env)[docname] = count_gpu_cells(text)


def _outdated(app: Sphinx, env: BuildEnvironment, added, changed, removed) -> list[str]:
    """Re-read pages that were built under another execution key (or a stored GPU one)."""
    key = app.scimlkit_context.key  # type: ignore[attr-defined]
    stored = app.scimlkit_stored_keys  # type: ignore[attr-defined]
    stale = [
        doc
        for doc, page_key in keyed_pages(env).items()
        if page_key != stored.get(doc, {}).get("key", key) and doc not in changed and doc not in removed
    ]
    if stale:
        logger.info(f"[scimlkit] execution key changed; re-reading {len(stale)} page(s)")
    return stale


def _purge(app: Sphinx, env: BuildEnvironment, docname: str) -> None:
    keyed_pages(env).pop(docname, None)
    notebook_gpu_cells(env).pop(docname, None)


def _merge(app: Sphinx, env: BuildEnvironment, docnames, other: BuildEnvironment) -> None:
    for docname in docnames:
        if docname in keyed_pages(other):
            keyed_pages(env)[docname] = keyed_pages(other)[docname]
        if docname in notebook_gpu_cells(other):
            notebook_gpu_cells(env)[docname] = notebook_gpu_cells(other)[docname]


def setup(app: Sphinx) -> None:
    # Runs after myst-nb's config handlers and before it reads the cache path.
    app.connect("config-inited", _configure, priority=900)
    app.connect("env-get-outdated", _outdated)
    app.connect("env-purge-doc", _purge)
    app.connect("env-merge-info", _merge)
    app.connect("source-read", _key_source)
