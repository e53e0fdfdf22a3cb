"""Build books for the site tests: the real course book, or a small one made in a test."""

from __future__ import annotations

import os
import re
import subprocess
import sys
import textwrap
from dataclasses import dataclass
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
_ANSI = re.compile(r"\x1b\[[0-9;]*[A-Za-z]")


@dataclass
class Build:
    returncode: int
    log: str
    html: Path

    def page(self, docname: str) -> Path:
        return self.html / f"{docname}.html"

    def sphinx_warnings(self) -> list[str]:
        """Warning lines printed by Sphinx (not by kernels, whose logs differ in form)."""
        return [
            line
            for line in self.log.splitlines()
            if re.search(r"(^|: )(WARNING|ERROR|CRITICAL): ", line) and "[IPKernelApp]" not in line
        ]


def build_book(root: Path, output: Path, *, env: dict[str, str] | None = None, only: str | None = None) -> Build:
    """Run the build driver (what ``make site`` runs) on ``root``, writing under ``output``."""
    command = [sys.executable, "-m", "scimlkit.site.build", "--root", str(root), "--path-output", str(output)]
    if only:
        command += ["--only", only]
    done = subprocess.run(
        command,
        cwd=root,
        env={**os.environ, **(env or {})},
        capture_output=True,
        text=True,
        check=False,
    )
    log = _ANSI.sub("", done.stdout + done.stderr)
    return Build(done.returncode, log, output / "_build" / "html")


FRONT_MATTER = """\
---
jupytext:
  text_representation:
    extension: .md
    format_name: myst
    format_version: 0.13
    jupytext_version: 1.16.4
kernelspec:
  display_name: Python 3 (ipykernel)
  language: python
  name: python3
---
"""


def lecture(title: str, *cells: str, prose: str = "Some prose.") -> str:
    """A MyST notebook with one markdown paragraph and the given code cells."""
    body = [FRONT_MATTER, f"# {title}\n", f"{prose}\n"]
    for cell in cells:
        body.append(f"```{{code-cell}} ipython3\n{textwrap.dedent(cell).strip()}\n```\n")
    return "\n".join(body)


def write_mini_book(root: Path, lectures: dict[str, str]) -> Path:
    """A book with the course's configuration essentials and the given lectures."""
    root.mkdir(parents=True, exist_ok=True)
    (root / "_config.yml").write_text(
        textwrap.dedent(
            """\
            title: Mini book
            only_build_toc_files: true
            execute:
              execute_notebooks: cache
              cache: _build/.jupyter_cache
              timeout: 120
            sphinx:
              extra_extensions: [scimlkit.site]
              config:
                nb_execution_raise_on_error: true
                nb_execution_show_tb: true
            """
        )
    )
    chapters = "\n".join(f"  - file: {name}" for name in lectures)
    (root / "_toc.yml").write_text(f"format: jb-book\nroot: intro\nchapters:\n{chapters}\n")
    (root / "intro.md").write_text("# Mini book\n\nA book made by a test.\n")
    for name, text in lectures.items():
        (root / f"{name}.md").write_text(text)
    return root
