"""Launch links: a project's code opened on Google Colab, in the environment its lock pins.

A reader of a project page can run the project's code without installing anything. For
a project whose analysis code sits in ``code/`` with a ``uv.lock``, the site writes a
notebook, ``_colab/projects/<slug>/launch.ipynb``, which the publishing workflow pushes to
the Colab branch (``scimlkit_colab_branch``), and the page links Colab to it. Its first
cell:

1. fetches only the project's folder from the course repository: a shallow, sparse
   ``git clone`` of the published branch (git is on Colab), so neither the other
   projects nor the lectures are downloaded;
2. installs what ``code/uv.lock`` pins: ``uv export --frozen`` writes the lock's
   packages, each at its locked version with its hashes, as a requirements file, and
   ``uv pip install --no-deps --python <this kernel's Python>`` installs exactly those
   (uv is on Colab; elsewhere the cell installs it with pip). Not ``uv sync``, which would
   build a separate virtual environment the notebook's kernel does not use, and not
   ``uv pip sync``, which would also remove every package Colab itself runs on. The
   packages of the Jupyter kernel itself (``KERNEL_PACKAGES``: ipykernel, IPython, ...)
   are left out of the export, so a lock that pins them (to run Jupyter locally) does
   not replace the versions Colab's runtime needs. A package Colab had already imported
   at another version needs a restart of the session, and the cell says which;
3. makes the project folder the working directory, as in the report: ``code/`` and
   ``figures/`` are where the report's cells expect them.

Then come the report's own cells, without outputs (a notebook report), or a cell that
runs the project's command (``[tool.scimlkit] reproduce`` in ``code/pyproject.toml``)
and one that shows the figures it drew (a MyST, LaTeX or PDF report). A project without
``code/`` (no code, or code in another repository) gets no launch link.

Colab rather than Binder: Binder builds an image from ``requirements.txt`` or
``environment.yml`` at the repository's root and cannot read ``uv.lock``, and one
repository holds many projects, each with its own lock.

``launch_link_problems`` is the link check's half: given a launch link and the built
site, it verifies that the notebook the link opens is in the build where the link says,
that its first cell fetches exactly the project's folder and installs from its lock,
and that this folder and lock exist (committed) in the repository.
"""

from __future__ import annotations

import html
import json
import subprocess
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

from .environment import CODE_FOLDER, LOCK_FILE
from .schema import Project

PROJECTS = "projects"
COLAB_FOLDER = "_colab"  # the site's folder that the publishing workflow pushes to the Colab branch
COLAB_URL = "https://colab.research.google.com"
LAUNCH_NOTEBOOK = "launch.ipynb"
SETUP_TAG = "scimlkit-launch-setup"
METADATA_KEY = "scimlkit_launch"
LOCK = f"{CODE_FOLDER}/{LOCK_FILE}"
#: What runs the notebook's kernel on Colab (google-colab pins its own versions); a lock that
#: pins them (to run Jupyter locally, say) does not replace them there.
KERNEL_PACKAGES = ("ipykernel", "ipython", "jupyter-client", "jupyter-core", "tornado", "pyzmq", "traitlets",
                   "comm", "debugpy", "matplotlib-inline")


@dataclass(frozen=True)
class LaunchTarget:
    """What a launch notebook fetches: ``folder`` of ``repository`` at ``branch``."""

    repository: str  # https://github.com/<owner>/<name>
    branch: str
    folder: str  # projects/<slug>, relative to the repository's root
    lock: str = LOCK  # relative to ``folder``

    def as_metadata(self) -> dict[str, str]:
        return {"repository": self.repository, "branch": self.branch, "folder": self.folder, "lock": self.lock}


def has_launch(folder: Path) -> bool:
    """Whether a project folder has code a launch notebook can install: ``code/`` with its lock."""
    code = folder / CODE_FOLDER
    return (code / LOCK_FILE).is_file() and (code / "pyproject.toml").is_file()


def notebook_path(slug: str) -> str:
    """The launch notebook's path under ``_colab/`` and on the Colab branch."""
    return f"{PROJECTS}/{slug}/{LAUNCH_NOTEBOOK}"


def _owner_and_name(repository: str) -> str:
    parts = urlsplit(repository)
    if parts.scheme != "https" or parts.netloc != "github.com":
        raise ValueError(f"Colab opens notebooks from GitHub only, not from {repository}")
    return parts.path.strip("/").removesuffix(".git")


def colab_url(repository: str, colab_branch: str, path: str) -> str:
    """Colab's address of the notebook at ``path`` on ``colab_branch`` of ``repository``."""
    return f"{COLAB_URL}/github/{_owner_and_name(repository)}/blob/{colab_branch}/{path}"


def launch_url(repository: str, colab_branch: str, slug: str) -> str:
    return colab_url(repository, colab_branch, notebook_path(slug))


def setup_source(target: LaunchTarget) -> str:
    """The first cell: fetch the project's folder, install its lock, work in the folder."""
    return f'''\
# Run this cell first. It fetches this project's folder from the course repository (only
# that folder), installs the package versions pinned in its {target.lock}, and makes the
# folder the working directory, as it is for the report. Running it again does no harm.
import os
import shutil
import subprocess
import sys
import tempfile
from importlib import metadata
from pathlib import Path

REPOSITORY = {target.repository!r}
BRANCH = {target.branch!r}
FOLDER = {target.folder!r}
LOCK = {target.lock!r}
KERNEL_PACKAGES = {list(KERNEL_PACKAGES)!r}
CHECKOUT = Path("course").resolve()


def run(*command, **options):
    subprocess.run([str(part) for part in command], check=True, **options)


if not Path.cwd().as_posix().endswith("/" + FOLDER):
    if not (CHECKOUT / FOLDER).is_dir():
        # A shallow, sparse clone: the files of FOLDER (and, with newer git, the few at the
        # repository's root), no other file's content is downloaded.
        run("git", "clone", "--quiet", "--depth", "1", "--branch", BRANCH, "--filter=blob:none",
            "--no-checkout", REPOSITORY, CHECKOUT)
        run("git", "-C", CHECKOUT, "sparse-checkout", "set", FOLDER)
        run("git", "-C", CHECKOUT, "checkout", "--quiet")
    os.chdir(CHECKOUT / FOLDER)

uv = [shutil.which("uv")] if shutil.which("uv") else [sys.executable, "-m", "uv"]
if uv[0] == sys.executable:
    run(sys.executable, "-m", "pip", "install", "--quiet", "uv")
before = {{dist.metadata["Name"].lower(): dist.version for dist in metadata.distributions()}}
requirements = Path(tempfile.mkdtemp()) / "requirements.txt"
# Every package of the lock at its locked version, with its hashes, except the project
# itself (not a package) and those this notebook's kernel runs on, which stay the host's.
keep = [option for name in KERNEL_PACKAGES for option in ("--no-emit-package", name)]
run(*uv, "export", "--frozen", "--no-dev", "--no-emit-project", *keep, "--quiet", "--output-file", requirements,
    cwd=Path(LOCK).parent)
run(*uv, "pip", "install", "--quiet", "--no-deps", "--python", sys.executable, "--requirement", requirements)

# A module imported before this cell ran keeps its old version until the session restarts.
loaded = {{name.lower() for module in list(sys.modules) if "." not in module
          for name in metadata.packages_distributions().get(module, [])}}
changed = sorted(name for name in loaded if name in before and before[name] != metadata.version(name))
if changed:
    print("Restart the session (Runtime > Restart session) and run this cell again: "
          "these packages were loaded before their locked versions were installed:", ", ".join(changed))
else:
    print("Ready:", FOLDER, "with the packages of", LOCK)
'''


def _code_cell(source: str, tags: list[str] | None = None) -> dict:
    return {"cell_type": "code", "execution_count": None, "metadata": {"tags": tags} if tags else {},
            "outputs": [], "source": source}


def _markdown_cell(source: str) -> dict:
    return {"cell_type": "markdown", "metadata": {}, "source": source}


def _report_cells(report: Path) -> list[dict]:
    """The report notebook's cells as a reader runs them: no outputs, no metadata."""
    notebook = json.loads(report.read_text(encoding="utf-8"))
    cells = []
    for cell in notebook.get("cells", []):
        source = cell.get("source", "")
        source = "".join(source) if isinstance(source, list) else source
        if cell.get("cell_type") == "code":
            cells.append(_code_cell(source))
        elif cell.get("cell_type") == "markdown":
            cells.append(_markdown_cell(source))
    return cells


def _command_cells(command: str | None) -> list[dict]:
    """Run the project's command in code/ with this kernel's Python, then show the figures."""
    if command is None:
        return [_markdown_cell("The project's code is in `code/`, which names no command to run "
                               "(`[tool.scimlkit] reproduce` in `code/pyproject.toml`).")]
    run = f'''\
# The project's command ([tool.scimlkit] reproduce in code/pyproject.toml), run in code/
# with this notebook's Python, as `scimlkit project reproduce` runs it.
import os
import shlex
import subprocess
import sys

command = shlex.split({command!r})
if command[0] in ("python", "python3"):
    command[0] = sys.executable
subprocess.run(command, cwd="code", check=True, env={{**os.environ, "MPLBACKEND": "Agg"}})
'''
    show = '''\
# The figures the command drew (figures/ of the project folder).
from pathlib import Path

from IPython.display import Image, display

for figure in sorted(Path("figures").glob("*.png")):
    print(figure.name)
    display(Image(filename=str(figure)))
'''
    return [_code_cell(run), _code_cell(show)]


def launch_notebook(folder: Path, project: Project, target: LaunchTarget, command: str | None) -> dict:
    """The notebook Colab opens for the project in ``folder``; ``command`` is its reproduce command."""
    title = html.escape(project.title, quote=False)
    repository = html.escape(target.repository)
    if project.report_kind == "ipynb":
        then = f"The cells after it are those of the report, `{html.escape(project.report)}`, without their outputs."
        rest = _report_cells(folder / project.report)
    else:
        then = "The cells after it run the project's code and show the figures it draws."
        rest = _command_cells(command)
    intro = (
        f"# Run the code of “{title}”\n\n"
        f"The first cell fetches the folder `{target.folder}` of {repository} (branch `{target.branch}`), "
        f"installs the package versions pinned in its `{target.lock}` and works in that folder. {then}"
    )
    return {
        "cells": [_markdown_cell(intro), _code_cell(setup_source(target), [SETUP_TAG]), *rest],
        "metadata": {
            "kernelspec": {"display_name": "Python 3", "language": "python", "name": "python3"},
            "language_info": {"name": "python"},
            METADATA_KEY: target.as_metadata(),
        },
        "nbformat": 4,
        "nbformat_minor": 4,
    }


def setup_cell(notebook: dict) -> str | None:
    """The source of a launch notebook's setup cell (tagged, and first among code cells)."""
    code = [cell for cell in notebook.get("cells", []) if cell.get("cell_type") == "code"]
    if not code or SETUP_TAG not in code[0].get("metadata", {}).get("tags", []):
        return None
    source = code[0].get("source", "")
    return "".join(source) if isinstance(source, list) else source


# --- the link check ---------------------------------------------------------------------


def colab_path(url: str, repository: str, colab_branch: str) -> str | None:
    """The path on the Colab branch that a Colab link opens, or None if the link opens
    something else (another repository, another branch, not a notebook on GitHub)."""
    try:
        prefix = colab_url(repository, colab_branch, "")
    except ValueError:
        return None
    if not url.startswith(prefix) or urlsplit(url).query or urlsplit(url).fragment:
        return None
    path = url[len(prefix):]
    return path if path.endswith(".ipynb") and ".." not in path.split("/") else None


def _tracked(repo: Path, path: str) -> bool | None:
    """Whether git tracks ``path`` in ``repo`` (None: ``repo`` is not a git working tree)."""
    if not (repo / ".git").exists():
        return None
    done = subprocess.run(["git", "-C", str(repo), "ls-files", "--error-unmatch", "--", path],
                          capture_output=True, check=False)
    return done.returncode == 0


def launch_link_problems(url: str, *, html_root: Path, repo: Path, repository: str, colab_branch: str) -> list[str]:
    """What is wrong with a Colab link of the built site in ``html_root`` (empty: nothing).

    Every Colab link must open a notebook of this repository's Colab branch that the build
    wrote under ``_colab/`` (the publishing workflow pushes that folder to the branch).
    A project's launch notebook must also fetch exactly its project's folder from this
    repository and install from that folder's ``code/uv.lock``, and both must exist in
    ``repo`` (committed, when ``repo`` is a git working tree).
    """
    path = colab_path(url, repository, colab_branch)
    if path is None:
        return [f"{url} does not open a notebook of {repository} on its Colab branch {colab_branch!r}"]
    parts = path.split("/")
    is_launch = len(parts) == 3 and parts[0] == PROJECTS and parts[2] == LAUNCH_NOTEBOOK
    who = f"project {parts[1]!r}: its launch link" if is_launch else f"the Colab link {url}"
    built = html_root / COLAB_FOLDER / path
    if not built.is_file():
        return [f"{who} opens {path} on the branch {colab_branch!r}, but the build wrote no "
                f"{COLAB_FOLDER}/{path} (the publishing workflow pushes {COLAB_FOLDER}/ to that branch)"]
    if not is_launch:
        return []
    try:
        notebook = json.loads(built.read_text(encoding="utf-8"))
        target = LaunchTarget(**notebook["metadata"][METADATA_KEY])
    except (ValueError, KeyError, TypeError) as error:
        return [f"{who} opens {COLAB_FOLDER}/{path}, which is not a launch notebook ({error!r})"]
    folder = f"{PROJECTS}/{parts[1]}"
    problems = []
    if target.folder != folder:
        problems.append(f"{who} fetches {target.folder}, not the project's folder {folder}")
    if target.repository != repository:
        problems.append(f"{who} fetches from {target.repository}, not from {repository}")
    if setup_cell(notebook) != setup_source(target):
        problems.append(f"{who}: the notebook's first code cell is not the setup cell that fetches "
                        f"{target.folder} and installs from its {target.lock}")
    for relative, what in ((target.folder, "the folder it fetches"), (f"{target.folder}/{target.lock}", "the lock it installs")):
        if not (repo / relative).exists():
            problems.append(f"{who}: {what}, {relative}, is not in the repository")
        elif _tracked(repo, relative) is False:
            problems.append(f"{who}: {what}, {relative}, is not committed, so the published repository lacks it")
    return problems
