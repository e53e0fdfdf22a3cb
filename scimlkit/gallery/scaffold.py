"""``scimlkit project new``: a submission folder laid out as the check expects.

The report template follows a review article (abstract, introduction, background,
methods, results, discussion, references) and cites from the project's own
``references.bib``. As made, the project does not pass ``project check``: the abstract,
the section texts and the references are the scaffold's stand-ins
(``placeholders``), and the report's PDF does not exist yet. ``code/`` is a small
Python project whose script draws the thumbnail, with a complete lock made by
``uv lock`` (every transitive dependency pinned) when uv can reach the package index.
"""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import sys
import unicodedata
from pathlib import Path

from .check import MAX_SLUG, SLUG
from .citation import write_citation
from .deadlines import COURSE_TERM
from .placeholders import ABSTRACT, EXAMPLE_NOTE, REPORT_INSTRUCTIONS
from .schema import TERM, Project
from .yaml_source import read_mapping

DEPENDENCIES = ("numpy", "matplotlib")
LOCK_TIMEOUT_S = 300


class ScaffoldError(ValueError):
    """The folder cannot be made (bad title or slug, or it exists already)."""


def slugify(title: str) -> str:
    ascii_title = unicodedata.normalize("NFKD", title).encode("ascii", "ignore").decode()
    words = re.findall(r"[a-z0-9]+", ascii_title.lower())
    slug = ""
    for word in words:
        candidate = f"{slug}-{word}" if slug else word
        if len(candidate) > MAX_SLUG:
            break
        slug = candidate
    return slug


def new_project(
    root: Path, title: str, authors: list[str], *, slug: str | None = None, term: str | None = None, lock: bool = True,
    latex: bool = False,
) -> Path:
    """Make ``root/<slug>/``; ``lock=False`` leaves out the uv lock (no package index needed),
    ``latex=True`` writes the report as ``report.tex`` from the SIAM-style template."""
    term = term or COURSE_TERM
    if not TERM.fullmatch(term):
        raise ScaffoldError(f"--term must be the month the course ran as YYYY-MM (e.g. {COURSE_TERM}), not {term[:40]!r}")
    slug = slug or slugify(title)
    if not slug or not SLUG.match(slug) or len(slug) > MAX_SLUG:
        raise ScaffoldError(
            f"cannot make a slug from {title!r}: pass --slug with lower-case letters, digits and hyphens"
        )
    if not authors:
        raise ScaffoldError("give at least one --author")
    folder = root / slug
    if folder.exists():
        raise ScaffoldError(f"{folder} exists already; choose another title or --slug")
    (folder / "figures").mkdir(parents=True)
    try:
        _write_scaffold(folder, slug, title, authors, term, latex=latex, lock=lock)
    except BaseException:  # a failed `uv lock` (or Ctrl-C) leaves nothing behind, so a retry works
        shutil.rmtree(folder, ignore_errors=True)
        raise
    return folder


def _write_scaffold(
    folder: Path, slug: str, title: str, authors: list[str], term: str, *, latex: bool, lock: bool
) -> None:
    (folder / "code").mkdir()
    (folder / "project.yml").write_text(_project_yml(title, authors, term, latex), encoding="utf-8")
    if latex:
        (folder / "report.tex").write_text(_latex_report(title, authors), encoding="utf-8")
    else:
        (folder / "report.md").write_text(_report(title), encoding="utf-8")
    (folder / "references.bib").write_text(_REFERENCES, encoding="utf-8")
    (folder / "code" / "pyproject.toml").write_text(_pyproject(slug), encoding="utf-8")
    (folder / "code" / "make_figures.py").write_text(_FIGURE_SCRIPT, encoding="utf-8")
    # `uv run` makes code/.venv; git leaves it out of the submission and the check skips it.
    (folder / "code" / ".gitignore").write_text(".venv/\n__pycache__/\n", encoding="utf-8")
    _draw_figures(folder / "code" / "make_figures.py")
    write_citation(folder, Project.model_validate(read_mapping(folder / "project.yml")[0]))
    if lock:
        lock_code(folder / "code")


def uv_command() -> str:
    """uv next to this Python (the course's .venv has it), else the one on PATH."""
    beside = Path(sys.executable).with_name("uv")
    found = str(beside) if beside.is_file() else shutil.which("uv")
    if found is None:
        raise ScaffoldError("uv is not installed: run `make env` (or `pip install uv`) to lock code/")
    return found


def lock_code(code: Path) -> None:
    """``uv lock`` in ``code/``: resolve and pin every transitive dependency into uv.lock."""
    try:
        done = subprocess.run(
            [uv_command(), "lock", "--directory", str(code)],
            capture_output=True, text=True, timeout=LOCK_TIMEOUT_S, check=False,
        )
    except subprocess.TimeoutExpired:
        raise ScaffoldError(f"`uv lock` in {code} took over {LOCK_TIMEOUT_S} s; run it yourself there") from None
    if done.returncode != 0:
        raise ScaffoldError(f"`uv lock` in {code} failed; run it yourself there:\n{done.stderr.strip()[-1500:]}")


def _quoted(text: str) -> str:
    # A JSON string is a valid double-quoted YAML scalar, whatever it contains.
    return json.dumps(text, ensure_ascii=False)


def _project_yml(title: str, authors: list[str], term: str, latex: bool = False) -> str:
    from .topics import TOPICS

    author_lines = "\n".join(f"  - name: {_quoted(name)}" for name in authors)
    topics = ", ".join(TOPICS)
    if latex:
        report_lines = "report: report.pdf  # compiled from report.tex by `scimlkit project pdf`"
    else:
        report_lines = (
            "report: report.md  # or report.ipynb (run, with outputs saved), or report.pdf from report.tex\n"
            "pdf: report.pdf  # made from report.md by `scimlkit project pdf`"
        )
    return f"""\
# The project's description for the gallery; `scimlkit project check` validates it.
# The schema is in the project guide (book/project_guide.md).
title: {_quoted(title)}
authors:
{author_lines}
    # affiliation: "Your department"
    # url: "https://your.page"
    # orcid: "0000-0002-1825-0097"  # your ORCID iD, shown and cited with your name
term: "{term}"  # the month the course ran, YYYY-MM
abstract: >-
  {ABSTRACT}
keywords:  # one to six of: {topics}
  - parameter-estimation
stage: report  # proposal (1-3 pages), write-up (3-12) or report (8-20)
{report_lines}
bibliography: references.bib  # the works you cite
thumbnail: figures/thumbnail.png  # PNG or JPEG, at most 1 MB
# slides: slides.pdf
# video: "https://..."  # a recording of your presentation
# code: "https://github.com/you/your-project"  # only if the code is not in code/
# arxiv: "2401.00001"  # your own preprint of this report, if you post one
# doi: "10.5281/zenodo.1234567"  # an archive of your project, if you make one
license: CC-BY-4.0  # the licence of your report and figures (the project guide lists the choices)
publish: true  # false keeps your project off the course site (see the project guide)
"""


def _escape_markdown(text: str) -> str:
    return re.sub(r"([\\`*_{}\[\]()<>#+!|~$&:-])", r"\\\1", text)


def _report(title: str) -> str:
    state, why, literature, methods, results, discussion = REPORT_INSTRUCTIONS
    return f"""\
# {_escape_markdown(title)}

## Abstract

{state}

## Introduction

{why} Cite the works you build on from references.bib, e.g. {{cite}}`chen2018neural`.

## Background

{literature}, written for a reader who took the course, in the manner of a review
article {{cite}}`rackauckas2020universal,kidger2021neural`.

## Methods

{methods}, and the numerical choices (solver, tolerances, optimizer, learning rate),
with enough detail to repeat them. Number the equations you refer to:

$$
u'(t) = f_\\theta(u(t), t)
$$ (model)

## Results

```{{figure}} figures/thumbnail.png
:alt: The figure drawn by code/make_figures.py

{results} Every figure is produced by code in `code/`.
```

## Discussion

{discussion} Compare with the alternative methods you could have used.

## References

The site lists the works cited above here, from references.bib.
"""


def _latex_report(title: str, authors: list[str]) -> str:
    from .latex import document

    state, why, literature, methods, results, discussion = REPORT_INSTRUCTIONS
    body = rf"""
\section{{Introduction}}
{why} Cite the works you build on from references.bib~\cite{{chen2018neural}}.

\section{{Background}}
{literature}, written for a reader who took the course, in the manner of a review
article~\cite{{rackauckas2020universal,kidger2021neural}}.

\section{{Methods}}
{methods}, and the numerical choices (solver, tolerances, optimizer, learning rate),
with enough detail to repeat them. Number the equations you refer to:
\begin{{equation}}\label{{eq:model}}
u'(t) = f_\theta(u(t), t).
\end{{equation}}

\section{{Results}}
\begin{{figure}}[tbp]\centering
\includegraphics[width=0.8\textwidth]{{figures/thumbnail.png}}
\caption{{{results} Every figure is produced by code in \texttt{{code/}}.}}\label{{fig:first}}
\end{{figure}}

\section{{Discussion}}
{discussion} Compare with the alternative methods you could have used.
"""
    return document(title, authors, state, ["your keywords"], body, "references")


def _pyproject(slug: str) -> str:
    return f"""\
[project]
name = "{slug}"
version = "0.1.0"
description = "Analysis code of the course project {slug}"
requires-python = ">=3.11"
dependencies = [{", ".join(_quoted(name) for name in DEPENDENCIES)}]

# `scimlkit project reproduce` runs this in a fresh environment made from uv.lock and
# compares the figures it draws with the committed ones.
[tool.scimlkit]
reproduce = "python make_figures.py"

# uv.lock pins every package of the environment your figures came from: after a change
# here, run `uv lock` in this folder and commit uv.lock.
"""


def _draw_figures(script: Path) -> None:
    """Run the scaffold's figure script here, so the committed thumbnail is what the code
    draws and `scimlkit project reproduce` finds it reproduced from the start."""
    import runpy

    import matplotlib

    backend = matplotlib.get_backend()
    try:
        runpy.run_path(str(script), run_name="__main__")
    finally:
        matplotlib.use(backend)


_REFERENCES = f'''\
% The works your report cites: one entry per work, keys of your choice (cite them in
% report.md as {{cite}}`key`). Plain BibTeX only: no LaTeX commands; write accented letters as they are (é, ü).
@inproceedings{{chen2018neural,
  author    = {{Chen, Ricky T. Q. and Rubanova, Yulia and Bettencourt, Jesse and Duvenaud, David}},
  title     = {{Neural Ordinary Differential Equations}},
  booktitle = {{Advances in Neural Information Processing Systems}},
  volume    = {{31}},
  year      = {{2018}},
  note      = {{{EXAMPLE_NOTE}}}
}}

@article{{rackauckas2020universal,
  author  = {{Rackauckas, Christopher and Ma, Yingbo and Martensen, Julius and Warner, Collin and Zubov, Kirill and Supekar, Rohit and Skinner, Dominic and Ramadhan, Ali and Edelman, Alan}},
  title   = {{Universal Differential Equations for Scientific Machine Learning}},
  journal = {{arXiv preprint arXiv:2001.04385}},
  year    = {{2020}},
  note    = {{{EXAMPLE_NOTE}}}
}}

@phdthesis{{kidger2021neural,
  author = {{Kidger, Patrick}},
  title  = {{On Neural Differential Equations}},
  school = {{University of Oxford}},
  year   = {{2021}},
  note   = {{{EXAMPLE_NOTE}}}
}}
'''


_FIGURE_SCRIPT = '''\
"""Draw the report's figures into ../figures/ (run: python make_figures.py)."""

from pathlib import Path

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt
import numpy as np

FIGURES = Path(__file__).resolve().parent.parent / "figures"

t = np.linspace(0.0, 10.0, 400)
fig, ax = plt.subplots(figsize=(4.8, 3.0), dpi=100)
ax.plot(t, np.exp(-0.2 * t) * np.sin(2.0 * t))
ax.set_xlabel("t")
ax.set_ylabel("u(t)")
fig.savefig(FIGURES / "thumbnail.png")
plt.close(fig)
'''
