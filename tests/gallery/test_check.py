"""``check_project`` on many bad submissions: each problem names its file, line or field."""

from __future__ import annotations

import json
import os
import struct
import subprocess
import zlib
from pathlib import Path

import nbformat
import pytest
from PIL import Image

from scimlkit.gallery import check_project, check_projects, project_folders
from scimlkit.gallery.files import MAX_FILE_BYTES

from .conftest import problems_of, restamp, set_field, write_pdf

REPO = Path(__file__).resolve().parents[2]


def png_header(width: int, height: int) -> bytes:
    """A few hundred bytes that claim a huge PNG (a decompression bomb's header)."""
    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    ihdr = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", ihdr) + chunk(b"IDAT", zlib.compress(b"\x00" * 64)) + chunk(b"IEND", b"")


def test_the_scaffold_passes(project: Path):
    checked = check_project(project)
    assert checked.valid and checked.published and checked.project.title == "Demo project"


def test_the_examples_pass_and_cover_every_report_kind_and_stage():
    checked = check_projects(project_folders(REPO / "projects"))
    assert [item.problems for item in checked] == [[]] * len(checked)
    examples = [item.project for item in checked if item.project.example]
    assert {project.report_kind for project in examples} == {"ipynb", "md", "pdf"}
    assert {project.stage for project in examples} == {"proposal", "write-up", "report"}


@pytest.mark.parametrize(
    ("field", "value", "expected"),
    [
        ("title", '"ab"', "project.yml:3: title: String should have at least 3 characters"),
        ("term", '"2026-1"', "project.yml:9: term: must be the month"),
        ("report", "missing.md", "report: the file 'missing.md' does not exist"),
        ("report", "../../etc/passwd.md", "report: must not contain empty, '.' or '..' segments"),
        ("thumbnail", "figures/none.png", "thumbnail: the file 'figures/none.png' does not exist"),
        ("slides", "slides.pdf", "slides: the file 'slides.pdf' does not exist"),
        ("code", '"javascript:alert(1)"', "code: URL scheme should be 'http' or 'https'"),
        ("colour", "blue", "colour: is not a field of project.yml"),
    ],
)
def test_bad_fields_name_file_line_and_field(project: Path, field, value, expected):
    set_field(project, field, value)
    assert any(expected in problem for problem in problems_of(project)), problems_of(project)


def test_an_unknown_keyword_is_named_with_its_index(project: Path):
    path = project / "project.yml"
    path.write_text(path.read_text().replace("  - parameter-estimation", "  - parameter-estimation\n  - astrology"))
    assert any("project.yml:14: keywords[1]: 'astrology' is not allowed here; use one of 'neural-odes'" in problem
               for problem in problems_of(project)), problems_of(project)


def test_a_missing_field_is_required(project: Path):
    path = project / "project.yml"
    path.write_text("\n".join(line for line in path.read_text().splitlines() if not line.startswith("title:")))
    assert any("title: is required" in problem for problem in problems_of(project))


@pytest.mark.parametrize(
    ("content", "expected"),
    [
        (b"title: [unclosed\n", "malformed YAML"),
        (b"title: A\ntitle: B\n", "project.yml:2: the key 'title' appears twice"),
        (b"\xff\xfe t\x00i\x00", "not UTF-8"),
        (b"- just\n- a list\n", "must be a mapping"),
        (b"a: &a [1]\nb: *a\n", "aliases"),
        (b"abstract: " + b"x" * 70_000, "the limit is"),
    ],
)
def test_unreadable_project_files(project: Path, content: bytes, expected: str):
    (project / "project.yml").write_bytes(content)
    found = problems_of(project)
    assert any(expected in problem for problem in found), found
    assert all("Traceback" not in problem for problem in found)


def test_missing_project_file(project: Path):
    (project / "project.yml").unlink()
    assert any("project.yml: missing" in problem for problem in problems_of(project))


def test_symlinks_out_are_refused(project: Path, tmp_path: Path):
    secret = tmp_path / "secret.png"
    secret.write_bytes((project / "figures" / "thumbnail.png").read_bytes())
    (project / "figures" / "thumbnail.png").unlink()
    os.symlink(secret, project / "figures" / "thumbnail.png")
    assert any("symbolic links are not allowed" in problem for problem in problems_of(project))


def test_a_symlinked_folder_is_refused(project: Path, tmp_path: Path):
    os.symlink(tmp_path, project / "elsewhere")
    assert any("elsewhere: symbolic links are not allowed" in problem for problem in problems_of(project))


def test_what_git_ignores_is_skipped_and_nothing_else(project: Path):
    subprocess.run(["git", "init", "-q", str(project.parent)], check=True)
    venv = project / "code" / ".venv"  # what `uv run` leaves: many files and a symbolic link
    (venv / "lib").mkdir(parents=True)
    for number in range(450):
        (venv / "lib" / f"module{number}.py").write_text("")
    os.symlink("lib", venv / "lib64")
    assert (project / "code" / ".gitignore").is_file()
    assert problems_of(project) == []
    (project / "code" / ".gitignore").unlink()
    found = problems_of(project)
    assert any("symbolic links are not allowed" in problem for problem in found), found
    assert any("more than 400 files" in problem for problem in found), found


def test_oversized_files_are_refused(project: Path):
    with (project / "data.bin").open("wb") as stream:
        stream.truncate(MAX_FILE_BYTES + 1)
    assert any("data.bin: the file is" in problem and "limit per file" in problem for problem in problems_of(project))


@pytest.mark.parametrize(
    ("make", "expected"),
    [
        (lambda path: path.write_bytes(b"not an image"), "not a readable PNG or JPEG"),
        (lambda path: Image.new("RGB", (200, 200)).save(path, format="GIF"), "is a GIF image"),
        (lambda path: Image.new("RGB", (200, 200)).save(path, format="JPEG"), "holds a JPEG image but its name ends in .png"),
        (lambda path: Image.new("RGB", (10, 10)).save(path, format="PNG"), "10x10 pixels"),
        (lambda path: path.write_bytes(os.urandom(1024 * 1024 + 10)), "the limit is 1.0 MB"),
        (lambda path: path.write_bytes(png_header(30000, 30000)), "30000x30000 pixels"),
    ],
)
def test_thumbnail_type_and_size(project: Path, make, expected):
    make(project / "figures" / "thumbnail.png")
    assert any(expected in problem for problem in problems_of(project)), problems_of(project)


@pytest.mark.parametrize(
    ("name", "content"), [("requirements.txt", "numpy==2.3.0\nscipy==1.17.1\n"), ("poetry.lock", "garbage")]
)
def test_only_a_uv_lock_pins_the_environment(project: Path, name: str, content: str):
    (project / "code" / "uv.lock").unlink()
    (project / "code" / name).write_text(content)  # exact pins or not, `reproduce` could not rebuild from it
    assert any(f"no uv.lock ({name} cannot be rebuilt" in p and "run `uv lock` in code/" in p
               for p in problems_of(project)), problems_of(project)
    (project / "code" / name).unlink()
    assert any(p.endswith("no uv.lock: list your dependencies in code/pyproject.toml and run `uv lock` in code/")
               for p in problems_of(project)), problems_of(project)


def _edit_lock(project: Path, old: str, new: str) -> None:
    lock = project / "code" / "uv.lock"
    text = lock.read_text()
    assert old in text
    lock.write_text(text.replace(old, new, 1))


def test_a_lock_must_resolve_the_declared_dependencies(project: Path):
    pyproject = project / "code" / "pyproject.toml"
    pyproject.write_text(pyproject.read_text().replace('"numpy", "matplotlib"', '"numpy", "matplotlib", "scipy"'))
    assert any("uv.lock: the lock is out of date with pyproject.toml's dependencies: run `uv lock`" in problem
               for problem in problems_of(project)), problems_of(project)
    pyproject.write_text(pyproject.read_text().replace('"numpy", "matplotlib", "scipy"', '"numpy<2", "matplotlib"'))
    assert any("numpy 2." in problem and "does not satisfy the declared numpy<2" in problem for problem in problems_of(project))


def test_a_lock_of_direct_dependencies_only_is_incomplete(project: Path):
    lock = project / "code" / "uv.lock"
    text = lock.read_text()
    start = text.index('[[package]]\nname = "kiwisolver"')
    end = text.index("[[package]]", start + 10)
    lock.write_text(text[:start] + text[end:])
    assert any("the lock is incomplete: matplotlib depends on kiwisolver, which it does not pin" in problem
               for problem in problems_of(project)), problems_of(project)


def test_a_lock_made_for_another_project_is_refused(project: Path):
    _edit_lock(project, 'name = "demo-project"', 'name = "someone-else"')
    assert any("the lock was not made for the project 'demo-project'" in p for p in problems_of(project))


def test_code_elsewhere_needs_a_url(project: Path):
    for path in sorted((project / "code").iterdir()):
        path.unlink()
    (project / "code").rmdir()
    assert any("the analysis code is missing" in problem for problem in problems_of(project))
    set_field(project, "code", '"https://github.com/someone/project"')
    assert problems_of(project) == []


def _replace_in_report(project: Path, old: str, new: str) -> None:
    report = project / "report.md"
    text = report.read_text()
    assert old in text
    report.write_text(text.replace(old, new))


@pytest.mark.parametrize(
    ("addition", "expected"),
    [
        ("<script>alert(1)</script>", "raw HTML is not allowed"),
        ("Text with <img src=x onerror=alert(1)> inline.", "raw HTML is not allowed"),
        ("{{ cycler.__init__.__globals__.os.popen('id').read() }}", "substitutions"),
        ("```{include} /etc/passwd\n```", "the directive {include} is not allowed"),
        ("```{literalinclude} ../../../_config.yml\n```", "the directive {literalinclude} is not allowed"),
        ("```{raw} html\n<b>x</b>\n```", "the directive {raw} is not allowed"),
        ("```{eval-rst}\n.. include:: /etc/passwd\n```", "the directive {eval-rst} is not allowed"),
        (":::{note}\n```{include} x.md\n```\n:::", "the directive {include} is not allowed"),
        ("```{list-table}\n:file: /etc/passwd\n```", "may not read files"),
        ("![secret](../../../etc/hostname.png)", "points outside the project folder"),
        ("![remote](https://tracker.example/pixel.png)", "must be a file inside the project folder"),
        ("[click](javascript:alert(1))", ""),
        ("[config](../../_config.yml)", "points outside the project folder"),
        ("[archive](ftp://example.org/data)", "scheme other than http(s)"),
        ("[file](file:///etc/passwd)", ""),
        ("{download}`../../_config.yml`", "points outside the project folder"),
        ("{raw-html}`<b>x</b>`", "the role {raw-html} is not allowed"),
        ("```{figure} figures/none.png\n```", "is not a file in the project folder"),
    ],
)
def test_unsafe_report_content_is_refused_with_its_line(project: Path, addition: str, expected: str):
    _replace_in_report(project, "## Discussion", f"{addition}\n\n## Discussion")
    restamp(project)
    first = (project / "report.md").read_text().splitlines().index(addition.splitlines()[0]) + 1
    lines = {f"report.md:{first + offset}:" for offset in range(len(addition.splitlines()))}
    found = problems_of(project)
    if expected:
        assert any(expected in problem and any(line in problem for line in lines) for problem in found), found
    else:  # markdown-it refuses javascript: and file: links itself, leaving harmless text
        assert found == []


@pytest.mark.parametrize("before", ["Figure ", "Fig. ", "figures "])
def test_a_word_before_numref_would_print_twice(project: Path, before: str):
    _replace_in_report(project, "## Discussion", f"As {before}{{numref}}`fig-x` shows.\n\n## Discussion")
    restamp(project)
    assert any("{numref} prints 'Figure N' itself" in problem for problem in problems_of(project)), problems_of(project)
    _replace_in_report(project, f"As {before}{{numref}}", "As {numref}")
    restamp(project)
    assert problems_of(project) == []


def test_report_front_matter_may_not_configure_the_build(project: Path):
    report = project / "report.md"
    report.write_text("---\nmystnb:\n  execution_mode: force\n---\n" + report.read_text())
    assert any("report.md:1: the front matter key 'mystnb' is not allowed" in p for p in problems_of(project))


def test_code_cells_in_a_myst_report_are_refused(project: Path):
    _replace_in_report(project, "## Discussion", "```{code-cell} ipython3\nimport os\n```\n\n## Discussion")
    assert any("{code-cell}" in problem for problem in problems_of(project))


def test_at_least_three_references(project: Path):
    bib = project / "references.bib"
    text = bib.read_text()
    bib.write_text(text[: text.index("@phdthesis")])
    _replace_in_report(project, ",kidger2021neural", "")
    assert any("references.bib: the report lists 2 reference(s); at least 3" in problem for problem in problems_of(project))


def test_a_report_without_a_bibliography_counts_its_reference_list(project: Path):
    set_field(project, "bibliography", "null")
    found = problems_of(project)
    assert any("{cite}`chen2018neural` needs the project's BibTeX file" in problem for problem in found), found
    assert any("lists 0 reference(s)" in problem for problem in found)


@pytest.mark.parametrize(
    ("entry", "expected"),
    [
        ("@article{evil, title = {\\input{/etc/passwd}}, year = {2020}}", "references.bib:25: LaTeX commands such as '\\input'"),
        ("@article{big, title = {" + "x" * 3000 + "}, year = {2020}}", "references.bib:25: the field 'title' of 'big' holds 3000 characters"),
        ("@article{, title = {No key}, year = {2020}}", "references.bib:25: the @article entry has no key"),
        ("@book{Chen2018Neural, title = {Twin}, year = {2020}}", "references.bib:25: the key 'Chen2018Neural' collides with the entry 'chen2018neural' at line 3"),
        ("@preamble{ {\\def\\x{}} }", "LaTeX commands"),
        ("@string{ jn = {Journal} }", "references.bib:25: @string is not allowed"),
        ("@article{open, title = {Never closed}", "references.bib:25: the @article entry is never closed"),
        ("@article{bad key!, title = {A}}", "the key 'bad key!' is not a plain name"),
    ],
)
def test_hostile_bibliographies_are_refused_with_file_line_and_reason(project: Path, entry: str, expected: str):
    bib = project / "references.bib"
    text = bib.read_text().rstrip("\n") + "\n\n"
    assert text.count("\n") == 24, text.count("\n")  # the entry below starts on line 25
    bib.write_text(text + entry + "\n")
    assert any(expected in problem for problem in problems_of(project)), problems_of(project)


def test_title_words_a_style_would_lower_must_be_protected(project: Path):
    bib = project / "references.bib"
    bib.write_text(bib.read_text() + "@article{mk1927,\n  title = {Epidemics in {SIR} Models after McKendrick and ODEs},\n"
                   "  author = {Kermack, W. O.},\n  year = {1927}\n}\n")
    found = problems_of(project)
    assert any("the title of 'mk1927' has 'McKendrick', 'ODEs', which the bibliography style would print in lower "
               "case: protect it with braces ({McKendrick}, {ODEs})" in problem for problem in found), found
    bib.write_text(bib.read_text().replace("McKendrick and ODEs", "{McKendrick} and {ODEs}"))
    assert not any("mk1927" in problem for problem in problems_of(project))


def test_a_cited_key_missing_from_the_bibliography_is_named_with_its_line(project: Path):
    _replace_in_report(project, "{cite}`chen2018neural`", "{cite:t}`smith2020`")
    assert any("report.md:9: the citation key 'smith2020' is not in references.bib" in p for p in problems_of(project))


def test_a_notebook_report_cites_from_the_bibliography(project: Path):
    notebook = nbformat.v4.new_notebook()
    notebook.cells = [nbformat.v4.new_markdown_cell("# Title\n\nAs shown by {cite}`chen2018neural` and {cite}`nobody1999`.")]
    nbformat.write(notebook, project / "report.ipynb")
    set_field(project, "report", "report.ipynb")
    found = problems_of(project)
    assert [problem for problem in found if "citation key" in problem] == [
        f"{project / 'report.ipynb'}:3: cell 1: the citation key 'nobody1999' is not in references.bib"
    ]


@pytest.mark.parametrize(("stage", "pages", "fits"), [
    ("report", 7, False), ("report", 8, True), ("report", 20, True), ("report", 21, False),
    ("proposal", 2, True), ("proposal", 9, False), ("write-up", 3, True),
])
def test_the_pdf_page_count_fits_the_stage(project: Path, stage: str, pages: int, fits: bool):
    set_field(project, "stage", stage)
    write_pdf(project / "report.pdf", pages)
    restamp(project)
    found = problems_of(project)
    assert found == [] if fits else any(f"pdf: report.pdf has {pages} page(s); a {stage} has" in p for p in found), found


def test_a_pdf_older_than_its_source_or_made_elsewhere_is_refused(project: Path):
    report = project / "report.md"
    report.write_text(report.read_text() + "\nA paragraph added after the PDF was made.\n")
    expected = f"pdf: report.pdf was made from an earlier version of report.md or its bibliography: " \
               f"run `scimlkit project pdf {project}` and commit the new PDF"
    assert any(problem.endswith(expected) for problem in problems_of(project)), problems_of(project)
    restamp(project)
    assert problems_of(project) == []
    bib = project / "references.bib"
    bib.write_text(bib.read_text().replace("2018", "2019", 1))
    assert any("earlier version of report.md or its bibliography" in p for p in problems_of(project))
    write_pdf(project / "report.pdf", pages=9)  # a PDF typeset some other way
    assert any("pdf: report.pdf was not made by `scimlkit project pdf`: run" in p for p in problems_of(project))


def test_a_broken_pdf_has_no_page_count(project: Path):
    (project / "report.pdf").write_bytes(b"%PDF-1.7\ngarbage\n%%EOF\n")
    assert any("pdf: report.pdf is not a readable PDF" in p for p in problems_of(project))


def test_a_report_needs_a_title(project: Path):
    _replace_in_report(project, "# Demo project", "Demo project")
    assert any("level-1 heading" in problem for problem in problems_of(project))


def _notebook_project(project: Path, cells, metadata=None) -> Path:
    notebook = nbformat.v4.new_notebook(cells=cells, metadata=metadata or {})
    nbformat.write(notebook, project / "report.ipynb")
    set_field(project, "report", "report.ipynb")
    restamp(project)
    return project / "report.ipynb"


REFERENCES = nbformat.v4.new_markdown_cell("# Title\n\n## References\n\n1. A\n2. B\n3. C\n")


def test_an_executed_notebook_passes(project: Path):
    cell = nbformat.v4.new_code_cell("1 + 1", execution_count=1)
    cell.outputs = [nbformat.v4.new_output("execute_result", {"text/plain": "2"}, execution_count=1)]
    _notebook_project(project, [REFERENCES, cell])
    assert problems_of(project) == []


def test_notebook_problems(project: Path):
    unrun = nbformat.v4.new_code_cell("1 + 1")
    html_only = nbformat.v4.new_code_cell("display", execution_count=2)
    html_only.outputs = [nbformat.v4.new_output("display_data", {"text/html": "<script>alert(1)</script>"})]
    raw_html = nbformat.v4.new_markdown_cell("<iframe src=https://evil.example></iframe>")
    _notebook_project(project, [REFERENCES, unrun, html_only, raw_html], {"mystnb": {"execution_mode": "force"}})
    found = problems_of(project)
    for expected in ("cell 2 has not been run", "cell 3 has an output of text/html only", "cell 4: raw HTML",
                     "metadata key 'mystnb' is not allowed"):
        assert any(expected in problem for problem in found), (expected, found)


def test_leftover_scaffold_text_is_refused_in_every_route(project: Path):
    report = project / "report.md"
    report.write_text(report.read_text() + "\nThe site lists the works cited above here, from references.bib.\n")
    assert any("report.md:" in problem and "the scaffold's note under References" in problem
               for problem in problems_of(project)), problems_of(project)
    report.write_text(report.read_text().replace("The site lists the works cited above here, from references.bib.\n", ""))
    notebook = _notebook_project(project, [REFERENCES, nbformat.v4.new_markdown_cell(
        "## Methods\n\nThe model, the data, the training or estimation procedure we used.")])
    assert any(f"{notebook.name}: cell 2: still holds the scaffold's instruction" in problem
               for problem in problems_of(project)), problems_of(project)
    set_field(project, "report", "report.pdf")
    set_field(project, "pdf", "null")
    (project / "report.tex").write_text("\\title{T}\n\\keywords{your keywords}\n\\cite{a}\n")
    assert any("report.tex:2: still holds the scaffold's keywords" in problem for problem in problems_of(project)), \
        problems_of(project)


@pytest.mark.parametrize(
    ("text", "expected"),
    [("{not json", "not valid JSON"), (json.dumps({"nbformat": 3, "worksheets": []}), "nbformat 4"),
     (json.dumps({"nbformat": 4, "nbformat_minor": 5, "cells": "x", "metadata": {}}), "not a valid notebook")],
)
def test_broken_notebooks(project: Path, text, expected):
    (project / "report.ipynb").write_text(text)
    set_field(project, "report", "report.ipynb")
    assert any(expected in problem for problem in problems_of(project)), problems_of(project)


def test_pdf_reports_need_a_real_pdf_and_a_bibliography(project: Path):
    (project / "report.pdf").write_bytes(b"<html>not a pdf</html>")
    set_field(project, "report", "report.pdf")
    set_field(project, "pdf", "null")
    set_field(project, "bibliography", "null")
    found = problems_of(project)
    assert any("report: report.pdf is not a PDF file" in problem for problem in found)
    assert any("bibliography: a PDF report needs a bibliography" in problem for problem in found)
    write_pdf(project / "report.pdf", 9)
    (project / "refs.bib").write_text("@article{a,title={A}}\n@comment{x}\n@book{b,title={B}}\n")
    set_field(project, "bibliography", "refs.bib")
    assert any("lists 2 reference(s)" in problem for problem in problems_of(project))


@pytest.mark.parametrize("name", ["Demo_Project", "demo--project", "-demo", "index", "x" * 61])
def test_folder_names_must_be_slugs(tmp_path: Path, project: Path, name: str):
    renamed = project.rename(project.parent / name)
    assert any("slug" in problem for problem in problems_of(renamed))


def test_slugs_must_be_unique_up_to_case(project: Path):
    twin = project.parent / "Demo-Project"
    twin.mkdir()
    (twin / "project.yml").write_text((project / "project.yml").read_text())
    checked = check_projects(project_folders(project.parent))
    mine = next(item for item in checked if item.folder == project)
    assert any("is also used by" in str(problem) for problem in mine.problems)
