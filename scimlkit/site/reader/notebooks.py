"""Per-lecture notebooks for readers: download with outputs, or open in Colab.

For every page that myst-nb turned into a notebook, the build writes two files next to
the HTML, with plain Markdown cells (``clean_notebooks``), from the notebook myst-nb read (``_build/jupyter_execute/``) with its outputs
(myst-nb writes that file without them when they came from the execution cache, so they
are merged back from the cache here):

- ``_notebooks/<page>.ipynb``: the executed notebook with all its outputs, cleaned of
  build-only metadata (the execution key in the kernel name, the source map);
- ``_colab/<page>.ipynb``: the same notebook whose first cell installs ``scimlkit``
  from the course repository when it is missing, so that it runs on Google Colab.

The page's download menu gets the ``.ipynb`` next to the theme's ``.md`` source, and a
launch menu gets "Open in Colab". Colab opens notebooks from GitHub, so the Colab link
points at ``_colab/`` as published on the branch ``scimlkit_colab_branch`` of the
repository in ``_config.yml`` (the publishing workflow pushes that folder there).
"""

from __future__ import annotations

import copy
import json
import re
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from sphinx.application import Sphinx
from sphinx.util import logging

from .clean_notebooks import clean_notebook, sphinx_resolver

logger = logging.getLogger(__name__)

DOWNLOADS = "_notebooks"
COLAB = "_colab"
COLAB_URL = "https://colab.research.google.com"
INSTALL_TAG = "scimlkit-install"
_KEY_SUFFIX = re.compile(r"\s*\[[^\]]*\]\s*$")  # what notebook_key.apply_key appends


def reader_notebook(executed: dict) -> dict:
    """The executed notebook as a reader should get it: outputs kept, build metadata gone."""
    notebook = copy.deepcopy(executed)
    metadata = notebook.setdefault("metadata", {})
    metadata.pop("source_map", None)
    metadata.pop(
        "jupytext", None
    )  # no pairing with a .md file the reader does not have
    kernelspec = metadata.get("kernelspec")
    if kernelspec and "display_name" in kernelspec:
        kernelspec["display_name"] = _KEY_SUFFIX.sub("", kernelspec["display_name"])
    return notebook


def install_source(repository_url: str, branch: str) -> str:
    requirement = f"scimlkit @ git+{repository_url.rstrip('/')}.git@{branch}"
    return (
        "# Run this cell first. It installs the course toolkit, scimlkit, when it is\n"
        "# missing (as on Google Colab), and does nothing where it is installed.\n"
        "import importlib.util\n"
        "import subprocess\n"
        "import sys\n"
        "\n"
        'if importlib.util.find_spec("scimlkit") is None:\n'
        f'    subprocess.run([sys.executable, "-m", "pip", "install", "--quiet", "{requirement}"], check=True)\n'
    )


def colab_notebook(executed: dict, repository_url: str, branch: str) -> dict:
    """The reader's notebook with a first cell that installs scimlkit when it is missing."""
    notebook = reader_notebook(executed)
    cell = {
        "cell_type": "code",
        "execution_count": None,
        "id": "scimlkit-install",
        "metadata": {"tags": [INSTALL_TAG]},
        "outputs": [],
        "source": install_source(repository_url, branch),
    }
    if notebook.get("nbformat_minor", 0) < 5 and notebook.get("nbformat") == 4:
        cell.pop("id")
    notebook["cells"] = [cell, *notebook.get("cells", [])]
    return notebook


def colab_link(repository_url: str, branch: str, pagename: str) -> str:
    """Colab's URL for ``_colab/<pagename>.ipynb`` as published on ``branch``."""
    parts = urlsplit(repository_url)
    if parts.netloc != "github.com":
        raise ValueError(
            f"Colab opens notebooks from GitHub only, not from {repository_url}"
        )
    owner_repo = parts.path.strip("/").removesuffix(".git")
    return f"{COLAB_URL}/github/{owner_repo}/blob/{branch}/{pagename}.ipynb"


def _has_outputs(notebook: dict) -> bool:
    return any(cell.get("outputs") for cell in notebook.get("cells", []))


def executed_notebook(app: Sphinx, path: Path) -> dict:
    """The notebook myst-nb wrote for a page, with the outputs of its cached execution."""
    import nbformat

    notebook = nbformat.reads(path.read_text(encoding="utf-8"), as_version=4)
    if _has_outputs(notebook) or app.config.nb_execution_mode != "cache":
        return dict(notebook)
    from jupyter_cache import get_cache

    try:
        _, merged = get_cache(
            app.config.nb_execution_cache_path
        ).merge_match_into_notebook(notebook)
    except KeyError:  # not executed (excluded from execution): it keeps what it has
        return dict(notebook)
    return json.loads(nbformat.writes(merged))


def repository(app: Sphinx) -> tuple[str, str]:
    """The course repository's URL and branch, as ``_config.yml`` gives them to the theme."""
    options = app.config.html_theme_options or {}
    return options.get("repository_url", ""), options.get(
        "repository_branch", "main"
    ) or "main"


def _write(path: Path, notebook: dict) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    text = json.dumps(notebook, indent=1, ensure_ascii=False) + "\n"
    if not path.is_file() or path.read_text(encoding="utf-8") != text:
        path.write_text(text, encoding="utf-8")


def _add_buttons(
    app: Sphinx, pagename: str, templatename: str, context: dict[str, Any], doctree
) -> None:
    if app.builder.format != "html" or doctree is None:
        return
    executed_path = Path(app.outdir).parent / "jupyter_execute" / f"{pagename}.ipynb"
    if not executed_path.is_file():
        return
    executed = json.loads(json.dumps(executed_notebook(app, executed_path)))
    # MyST in Markdown cells becomes plain Markdown (clean_notebooks).
    executed = clean_notebook(executed, sphinx_resolver(app), pagename)
    repository_url, branch = repository(app)
    outdir = Path(app.outdir)
    _write(outdir / DOWNLOADS / f"{pagename}.ipynb", reader_notebook(executed))

    buttons = context.setdefault("header_buttons", [])
    pathto = context["pathto"]
    notebook_button = {
        "type": "link",
        "url": f"{pathto(DOWNLOADS, 1)}/{pagename}.ipynb",
        "text": ".ipynb",
        "icon": "fas fa-code",
        "tooltip": "Download the notebook, with its outputs",
        "label": "download-notebook-button",
    }
    downloads = next((b for b in buttons if b.get("label") == "download-buttons"), None)
    if downloads is None:
        downloads = {
            "type": "group",
            "tooltip": "Download this page",
            "icon": "fas fa-download",
            "buttons": [],
            "label": "download-buttons",
        }
        buttons.insert(0, downloads)
    downloads["buttons"] = [
        b for b in downloads["buttons"] if b.get("label") != "download-notebook-button"
    ]
    downloads["buttons"].insert(0, notebook_button)

    # A project's code runs from its launch link (scimlkit.gallery.launch): this notebook's
    # first cell installs scimlkit only, and Colab would open it without the project's code/.
    if not repository_url or pagename.startswith("projects/"):
        return
    colab_branch = app.config.scimlkit_colab_branch
    _write(
        outdir / COLAB / f"{pagename}.ipynb",
        colab_notebook(executed, repository_url, branch),
    )
    launch = {
        "type": "group",
        "tooltip": "Run this lecture",
        "icon": "fas fa-rocket",
        "label": "launch-buttons",
        "buttons": [
            {
                "type": "link",
                "url": colab_link(repository_url, colab_branch, pagename),
                "text": "Open in Colab",
                "tooltip": "Open this lecture as a notebook on Google Colab",
                "icon": "_static/images/logo_colab.png",
                "label": "colab-button",
            },
            {
                "type": "link",
                "url": f"{pathto(COLAB, 1)}/{pagename}.ipynb",
                "text": "Colab notebook",
                "tooltip": "The notebook Colab opens (its first cell installs scimlkit)",
                "icon": "fas fa-file-arrow-down",
                "label": "colab-notebook-button",
            },
        ],
    }
    buttons[:] = [b for b in buttons if b.get("label") != "launch-buttons"]
    buttons.insert(0, launch)


def setup(app: Sphinx) -> None:
    app.add_config_value("scimlkit_colab_branch", "colab-notebooks", "html")
    # After sphinx-book-theme has made its header buttons (priority 501).
    app.connect("html-page-context", _add_buttons, priority=600)
