"""Serve MathJax 3 from the site itself, so maths renders with no network at all.

The MathJax distribution comes from the ``django-static-mathjax`` wheel, a plain copy of
MathJax's own npm release (its ``package.json`` included; no Django code runs), locked in
``uv.lock`` with its hash (nothing is fetched while building or reading). It stays the
source because nothing made for Sphinx ships MathJax 3 for offline use (Sphinx and
Jupyter Book point at a CDN; ``jupyter-server-mathjax`` carries MathJax 2), and MathJax's
own release lives on npm, outside the Python lock. The version is pinned twice: exactly in
``pyproject.toml``, and here (``VERSION``), checked against the copy's ``package.json``.
Files are copied when their content hash differs, not their size. Its
``es5/`` folder is copied to ``_mathjax/`` at the root of the HTML output, and Sphinx's
``mathjax_path`` points there. It deliberately does not go under ``_static/``: Jupyter
Book adds a ``<script>`` tag for every ``.js`` file it finds in the book's static folder.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
from pathlib import Path

from sphinx.application import Sphinx
from sphinx.config import Config
from sphinx.util import logging

logger = logging.getLogger(__name__)

FOLDER = "_mathjax"
ENTRY = "tex-chtml.js"
VERSION = "3.2.2"  # MathJax's own version, as its package.json states it


def distribution() -> Path:
    """The installed MathJax 3 ``es5`` folder (the combined components and their fonts)."""
    import mathjax  # the django-static-mathjax distribution; importing runs no Django code

    folder = Path(mathjax.__file__).parent / "static" / "mathjax"
    if not (folder / "es5" / ENTRY).is_file():
        raise FileNotFoundError(f"no MathJax 3 {ENTRY} under {folder}: run `make env`")
    found = json.loads((folder / "package.json").read_text(encoding="utf-8")).get("version")
    if found != VERSION:
        raise RuntimeError(
            f"the installed MathJax is {found}, the site is pinned to {VERSION} "
            "(scimlkit/site/reader/mathjax.py): run `make env`, or update both pins together"
        )
    return folder


def _digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def copy_tree(source: Path, target: Path) -> int:
    """Mirror ``source`` into ``target``, hard-linking where possible; skip files whose
    content (SHA-256) is already the same."""
    copied = 0
    for path in source.rglob("*"):
        if path.is_dir():
            continue
        destination = target / path.relative_to(source)
        if destination.is_file() and (
            destination.samefile(path) or _digest(destination) == _digest(path)
        ):
            continue
        destination.parent.mkdir(parents=True, exist_ok=True)
        destination.unlink(missing_ok=True)
        try:
            os.link(path, destination)
        except OSError:
            shutil.copy2(path, destination)
        copied += 1
    return copied


def _configure(app: Sphinx, config: Config) -> None:
    # Sphinx's default is a CDN URL, which an offline reader cannot reach; a path a book
    # chose itself is left alone.
    from sphinx.ext.mathjax import MATHJAX_URL

    if config.mathjax_path in (MATHJAX_URL, ""):
        # Sphinx puts every relative script path under _static/; step out of it.
        config.mathjax_path = f"../{FOLDER}/{ENTRY}"


def _copy(app: Sphinx, exception: Exception | None) -> None:
    if exception is not None or app.builder.format != "html":
        return
    source = distribution()
    target = Path(app.outdir) / FOLDER
    copied = copy_tree(source / "es5", target)
    shutil.copy2(source / "LICENSE", target / "LICENSE")
    if copied:
        logger.info(
            f"[scimlkit] MathJax 3 served from {FOLDER}/ ({copied} file(s) copied)"
        )


def setup(app: Sphinx) -> None:
    app.connect("config-inited", _configure)
    app.connect("build-finished", _copy)
