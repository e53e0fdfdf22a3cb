"""``scimlkit project new``: a submission folder that passes ``project check`` as made.

The report template follows a review article (abstract, introduction, background,
methods, results, discussion, references); ``code/`` is a small Python project whose
script draws the thumbnail, pinned to the versions installed here.
"""

from __future__ import annotations

import json
import math
import re
import unicodedata
from datetime import date
from importlib import metadata
from pathlib import Path

from .check import MAX_SLUG, SLUG

PINNED = ("numpy", "scipy", "matplotlib", "jax", "jaxlib", "diffrax", "equinox", "optax")


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


def new_project(root: Path, title: str, authors: list[str], *, slug: str | None = None, term: str | None = None) -> Path:
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
    (folder / "code").mkdir()
    term = term or date.today().strftime("%Y-%m")
    (folder / "project.yml").write_text(_project_yml(title, authors, term), encoding="utf-8")
    (folder / "report.md").write_text(_report(title), encoding="utf-8")
    (folder / "code" / "pyproject.toml").write_text(_pyproject(slug), encoding="utf-8")
    (folder / "code" / "requirements.lock").write_text(_pins(), encoding="utf-8")
    (folder / "code" / "make_figures.py").write_text(_FIGURE_SCRIPT, encoding="utf-8")
    _placeholder_thumbnail(folder / "figures" / "thumbnail.png")
    return folder


def _quoted(text: str) -> str:
    # A JSON string is a valid double-quoted YAML scalar, whatever it contains.
    return json.dumps(text, ensure_ascii=False)


def _project_yml(title: str, authors: list[str], term: str) -> str:
    from .topics import TOPICS

    author_lines = "\n".join(f"  - name: {_quoted(name)}" for name in authors)
    topics = ", ".join(TOPICS)
    return f"""\
# The project's description for the gallery; `scimlkit project check` validates it.
# The schema is in the project guide (book/project_guide.md).
title: {_quoted(title)}
authors:
{author_lines}
    # affiliation: "Your department"
    # url: "https://your.page"
term: "{term}"  # the month the course ran, YYYY-MM
abstract: >-
  Replace this paragraph with the abstract of your report: the question, the method
  you used, and what you found, in a few sentences.
keywords:  # one to six of: {topics}
  - parameter-estimation
report: report.md  # or report.ipynb (run, with outputs saved) or report.pdf
thumbnail: figures/thumbnail.png  # PNG or JPEG, at most 1 MB
# slides: slides.pdf
# bibliography: references.bib  # required for a PDF report
# code: "https://github.com/you/your-project"  # only if the code is not in code/
# arxiv: "2001.04385"
publish: true  # false keeps your project off the course site
"""


def _escape_markdown(text: str) -> str:
    return re.sub(r"([\\`*_{}\[\]()<>#+!|~$&:-])", r"\\\1", text)


def _report(title: str) -> str:
    return f"""\
# {_escape_markdown(title)}

## Abstract

State the question, the method and the main result in one paragraph.

## Introduction

Why the problem matters, and what this report contributes.

## Background

The methods and results from the literature your work builds on, written for a
reader who took the course [^review].

[^review]: A review article in the style of *SIAM Review* explains the field around a result.

## Methods

The model, the data, the training or estimation procedure, and the numerical choices
(solver, tolerances, optimizer, learning rate), with enough detail to repeat them.

## Results

![The figure drawn by code/make_figures.py](figures/thumbnail.png)

Describe what the figures show. Every figure is produced by code in `code/`.

## Discussion

What worked, what did not, the limitations, and what you would try next.

## References

1. R. T. Q. Chen, Y. Rubanova, J. Bettencourt and D. Duvenaud. Neural ordinary
   differential equations. *Advances in Neural Information Processing Systems* 31, 2018.
2. C. Rackauckas et al. Universal differential equations for scientific machine
   learning. arXiv:2001.04385, 2020.
3. P. Kidger. On neural differential equations. PhD thesis, University of Oxford, 2021.
"""


def _pyproject(slug: str) -> str:
    return f"""\
[project]
name = "{slug}"
version = "0.1.0"
description = "Analysis code of the course project {slug}"
requires-python = ">=3.11"
dependencies = [{", ".join(_quoted(name) for name in PINNED[:3])}]

# Pin the exact environment your figures came from: run `uv lock` (commit uv.lock),
# or keep requirements.lock with name==version lines.
"""


def _pins() -> str:
    lines = ["# Exact versions of the environment the figures were made with."]
    for name in PINNED:
        try:
            lines.append(f"{name}=={metadata.version(name)}")
        except metadata.PackageNotFoundError:
            continue
    return "\n".join(lines) + "\n"


def _placeholder_thumbnail(path: Path) -> None:
    from PIL import Image, ImageDraw

    image = Image.new("RGB", (480, 300), "#f4f6fb")
    draw = ImageDraw.Draw(image)
    points = [(x, 150 - 110 * math.sin(x / 40) * 0.9 ** (x / 40)) for x in range(20, 461, 4)]
    draw.line(points, fill="#1f77b4", width=4)
    image.save(path, format="PNG", optimize=True)


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
'''
