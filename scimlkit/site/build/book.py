"""What the build driver and the Sphinx extensions both need to know about the book.

The lowest module of the build, with :mod:`.context` (the execution key) and
:mod:`.notebook_key` (how the key goes into a notebook) under it: the list of lectures
in ``_toc.yml`` and their numbers, where the execution cache and the course PDF are,
and a lecture as the notebook myst-nb will hash. It imports nothing else from the
site, so the driver, the shards, the stored outputs, the claims check and the Sphinx
extensions can all use it without importing one another.
"""

from __future__ import annotations

import os
from pathlib import Path

from .notebook_key import apply_key

CACHE_VARIABLE = "SCIMLKIT_EXECUTION_CACHE"
DEFAULT_CACHE = "_build/.jupyter_cache"
#: The course PDF (``make pdf``): its file name, and the variable that points at another copy.
PDF_NAME = "sciml-in-python.pdf"
PDF_VARIABLE = "SCIMLKIT_COURSE_PDF"


def resolve_cache_path(book_root: Path, configured: str) -> Path:
    """An absolute cache folder: ``$SCIMLKIT_EXECUTION_CACHE``, else the configured
    path taken relative to the book (never to the shell's working directory)."""
    override = os.environ.get(CACHE_VARIABLE)
    if override:
        return Path(override).resolve()
    return (book_root / (configured or DEFAULT_CACHE)).resolve()


def toc_files(root: Path) -> list[Path]:
    """Every source file listed in ``_toc.yml``, in table-of-contents order."""
    from sphinx_external_toc.parsing import parse_toc_yaml

    site_map = parse_toc_yaml(root / "_toc.yml")
    files = []
    for docname in site_map:
        for suffix in (".md", ".ipynb", ".rst"):
            path = root / f"{docname}{suffix}"
            if path.is_file():
                files.append(path)
                break
    return files


def lecture_numbers(root: Path) -> dict[str, int]:
    """``{docname: number}`` for the chapters of ``_toc.yml``'s numbered parts, as the
    sidebar numbers them (Jupyter Book's default ``use_multitoc_numbering``: a second
    numbered part would go on counting). File names, links and the PDF's chapters
    follow these numbers (``tests/site/test_numbering.py``)."""
    from sphinx_external_toc.parsing import parse_toc_yaml

    site_map = parse_toc_yaml(root / "_toc.yml")
    chapters = [docname for tree in site_map[site_map.root.docname].subtrees if tree.numbered for docname in tree.files()]
    return {str(docname): number for number, docname in enumerate(chapters, start=1)}


def keyed_notebook(path: Path, key: str):
    """The notebook exactly as myst-nb will see it during the Sphinx build."""
    from myst_nb.core.read import read_myst_markdown_notebook

    text = apply_key(path.read_text(encoding="utf-8"), key)
    return read_myst_markdown_notebook(text, add_source_map=True, path=path)
