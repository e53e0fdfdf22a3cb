"""``make pdf``: the whole course as one PDF, built and checked.

``make pdf`` runs ``python -m scimlkit.site.build.pdf``: the build driver with Jupyter
Book's ``pdflatex`` builder (XeLaTeX and latexmk from Debian's TeX packages, see
``_config.yml``'s ``latex`` section; :mod:`scimlkit.site.reader.course_pdf` puts a
stand-in for ``bbm.sty`` beside the ``.tex``), then a check of the result (page count,
every lecture's title in the text, and in the table of contents as the chapter the
sidebar numbers it) and a copy to ``_build/pdf/``, where the HTML build
finds it and links it from the home page.
"""

from __future__ import annotations

import argparse
import re
import shutil
import subprocess
import sys
import time
from pathlib import Path

from . import driver
from .book import PDF_NAME, lecture_numbers, toc_files


def pdf_facts(pdf: Path) -> tuple[int, str]:
    """Page count and text of a PDF, read with poppler's pdfinfo and pdftotext."""
    info = subprocess.run(
        ["pdfinfo", str(pdf)], capture_output=True, text=True, check=True
    ).stdout
    pages = next(
        int(line.split()[-1]) for line in info.splitlines() if line.startswith("Pages:")
    )
    text = subprocess.run(
        ["pdftotext", "-layout", str(pdf), "-"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    return pages, text


def lecture_titles(root: Path) -> list[str]:
    titles = []
    for path in toc_files(root):
        if path.parent.name != "lectures":
            continue
        for line in path.read_text(encoding="utf-8").splitlines():
            if line.startswith("# "):
                titles.append(line[2:].strip())
                break
    return titles


def numbered_titles(root: Path) -> list[tuple[int, str]]:
    """``(number, title)`` of each page the sidebar numbers (the lectures), in order."""
    numbers = lecture_numbers(root)
    found = []
    for path in toc_files(root):
        docname = path.relative_to(root).with_suffix("").as_posix()
        title = next((line[2:].strip() for line in path.read_text(encoding="utf-8").splitlines()
                      if line.startswith("# ")), None)
        if docname in numbers and title:
            found.append((numbers[docname], title))
    return found


def chapter_problems(text: str, chapters: list[tuple[int, str]]) -> list[str]:
    """Chapters the PDF's table of contents does not list under their sidebar number.

    ``text`` is ``pdftotext -layout``'s, in which a numbered chapter's entry reads
    ``N  Title ... page`` (a long title wraps, so its first three words are matched; a
    hyphen may come out as any dash).
    """
    problems = []
    for number, title in chapters:
        start = r"\s+".join(re.escape(word).replace(r"\-", "[-\u2010\u2011\u2013]") for word in title.split()[:3])
        if not re.search(rf"(?m)^\s*{number}\s+{start}", text):
            problems.append(f"the table of contents does not list {title!r} as chapter {number}")
    return problems


def check_pdf(pdf: Path, root: Path, min_pages: int = 10) -> list[str]:
    """What is wrong with the course PDF (an empty list when nothing is)."""
    problems = []
    pages, text = pdf_facts(pdf)
    flat = " ".join(text.split())
    if pages < min_pages:
        problems.append(f"{pdf} has {pages} page(s), fewer than {min_pages}")
    for title in lecture_titles(root):
        if " ".join(title.split()) not in flat:
            problems.append(f"{pdf} lacks the lecture {title!r}")
    problems += [f"{pdf}: {problem}" for problem in chapter_problems(text, numbered_titles(root))]
    if "References" not in flat and "Bibliography" not in flat:
        problems.append(f"{pdf} has no references")
    return problems


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m scimlkit.site.build.pdf",
        description="Build and check the course PDF.",
    )
    parser.add_argument(
        "--root", type=Path, default=Path.cwd(), help="the book's root folder"
    )
    parser.add_argument(
        "--path-output",
        type=Path,
        help="write _build/ under this folder instead of the root",
    )
    args = parser.parse_args(argv)
    root = args.root.resolve()
    output = (args.path_output or root).resolve()
    started = time.perf_counter()
    forwarded = ["--root", str(root), "--builder", "pdflatex"]
    if args.path_output:
        forwarded += ["--path-output", str(output)]
    code = driver.main(forwarded)
    if code != 0:
        return code
    produced = sorted((output / "_build" / "latex").glob("*.pdf"))
    if not produced:
        print("error: the LaTeX build produced no PDF", file=sys.stderr)
        return 1
    target = output / "_build" / "pdf" / PDF_NAME
    target.parent.mkdir(parents=True, exist_ok=True)
    shutil.copy2(produced[0], target)
    problems = check_pdf(target, root)
    for problem in problems:
        print(f"error: {problem}", file=sys.stderr)
    pages, _ = pdf_facts(target)
    size = target.stat().st_size / 1e6
    print(
        f"[pdf] {target}: {pages} pages, {size:.1f} MB, in {time.perf_counter() - started:.0f} s"
    )
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
