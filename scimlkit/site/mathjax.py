"""Serve MathJax 3 from the site itself, so maths renders with no network at all.

The MathJax distribution comes from the ``django-static-mathjax`` wheel, a plain copy of
MathJax 3 locked in ``uv.lock`` (nothing is fetched while building or reading). Its
``es5/`` folder is copied to ``_mathjax/`` at the root of the HTML output, and Sphinx's
``mathjax_path`` points there. It deliberately does not go under ``_static/``: Jupyter
Book adds a ``<script>`` tag for every ``.js`` file it finds in the book's static folder.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

from sphinx.application import Sphinx
from sphinx.config import Config
from sphinx.util import logging

logger = logging.getLogger(__name__)

FOLDER = "_mathjax"
ENTRY = "tex-chtml.js"


def distribution() -> Path:
    """The installed MathJax 3 ``es5`` folder (the combined components and their fonts)."""
    import mathjax  # the django-static-mathjax distribution; importing runs no Django code

    folder = Path(mathjax.__file__).parent / "static" / "mathjax"
    if not (folder / "es5" / ENTRY).is_file():
        raise FileNotFoundError(f"no MathJax 3 {ENTRY} under {folder}: run `make env`")
    return folder


def copy_tree(source: Path, target: Path) -> int:
    """Mirror ``source`` into ``target``, hard-linking where possible; skip unchanged files."""
    copied = 0
    for path in source.rglob("*"):
        if path.is_dir():
            continue
        destination = target / path.relative_to(source)
        if destination.is_file() and destination.stat().st_size == path.stat().st_size:
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
