"""The SIAM-style PDF route: every example's PDF rebuilt once per session, its pages counted.

Needs Debian's TeX (`make tex`, which `make test` runs first).
"""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest

from scimlkit.cli import main
from scimlkit.gallery import check_project, new_project
from scimlkit.gallery.deadlines import STAGES
from scimlkit.gallery.latex import PREAMBLE, MystToLatex, PdfError, build_pdf, latex_error_summary
from scimlkit.gallery.report import pdf_page_count
from scimlkit.gallery.schema import Project
from scimlkit.gallery.yaml_source import read_mapping

from .conftest import complete

REPO = Path(__file__).resolve().parents[2]
EXAMPLES = ("augmented-neural-odes", "ode-ensembles-on-accelerators", "sir-sensitivity")


def pdf_text(pdf: Path) -> str:
    return subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True, check=True).stdout


@pytest.fixture(scope="session")
def rebuilt(tmp_path_factory) -> dict[str, Path]:
    """Each example's PDF, typeset again from its source (once per session)."""
    output = tmp_path_factory.mktemp("pdfs")
    return {slug: build_pdf(REPO / "projects" / slug, output / f"{slug}.pdf") for slug in EXAMPLES}


@pytest.mark.slow
@pytest.mark.parametrize("slug", EXAMPLES)
def test_each_example_pdf_rebuilds_with_the_committed_page_count(rebuilt, slug: str):
    project = Project.model_validate(read_mapping(REPO / "projects" / slug / "project.yml")[0])
    committed = pdf_page_count(REPO / "projects" / slug / project.pdf_file)
    pages = pdf_page_count(rebuilt[slug])
    low, high = STAGES[project.stage].pages
    assert pages == committed and low <= pages <= high, (pages, committed, project.stage)


@pytest.mark.slow
def test_the_full_length_example_is_a_paper(rebuilt):
    text = pdf_text(rebuilt["sir-sensitivity"])
    assert 10 <= pdf_page_count(rebuilt["sir-sensitivity"]) <= 14  # well inside a report's 8-20 pages
    for phrase in ("Abstract.", "Key words.", "1. Introduction", "Discussion", "References",
                   "Global sensitivity indices for nonlinear mathematical models"):
        assert phrase in text, phrase
    results = (REPO / "projects/sir-sensitivity/figures/results.tex").read_text()
    peak = results.split(r"\SIRPeakValue}{")[1].split("}")[0]
    assert f"peaks at {peak}" in " ".join(text.split())  # the number the code wrote, typeset


@pytest.mark.slow
def test_a_myst_report_cites_from_its_bibliography_in_the_pdf(rebuilt):
    text = " ".join(pdf_text(rebuilt["augmented-neural-odes"]).split())
    assert "Dupont et al. [2] showed" in text
    assert "Augmented neural ODEs" in text and "References" in text


@pytest.mark.slow
def test_a_completed_scaffold_typesets_to_a_pdf_the_check_accepts(tmp_path: Path, scaffold_lock: Path):
    folder = complete(new_project(tmp_path / "projects", "Demo project", ["Ada"], slug="demo-project", lock=False),
                      scaffold_lock)
    (folder / "report.pdf").unlink()
    build_pdf(folder)
    text = " ".join(pdf_text(folder / "report.pdf").split())
    assert "Chen, Y. Rubanova" in text and "DEMO PROJECT" in text
    pages = pdf_page_count(folder / "report.pdf")
    assert [str(problem) for problem in check_project(folder).problems] == [
        f"{folder / 'project.yml'}:16: pdf: report.pdf has {pages} page(s); a report has 8 to 20 "
        "(set `stage` if this is not the final report)"
    ]


def test_a_latex_error_is_shown_as_file_line_message_and_context(tmp_path: Path):
    tex = tmp_path / "report.tex"
    tex.write_text("\\documentclass{article}\n\\begin{document}\nFirst line.\n\\undefinedmacro here\nLast line.\n\\end{document}\n")
    log = "This is XeTeX\n" + "noise\n" * 200 + "! Undefined control sequence.\nl.4 \\undefinedmacro\n                     here\n"
    summary = latex_error_summary(log, tex)
    assert summary.splitlines()[0] == "report.tex:4: Undefined control sequence."
    assert ">    4 | \\undefinedmacro here" in summary and "     2 | \\begin{document}" in summary
    assert "     6 | \\end{document}" in summary and "noise" not in summary and len(summary.splitlines()) == 6


def test_figures_and_equations_are_numbered_as_on_the_site():
    latex = MystToLatex().convert("# T\n\n{numref}`fig-maps` shows it, as {eq}`model` says.\n")
    assert r"Figure~\ref{fig:fig-maps} shows it" in latex and r"\eqref{eq:model}" in latex
    assert "numberwithin" not in PREAMBLE  # equations (1), (2), ... as MyST numbers them on a page


def test_latex_in_report_text_is_escaped_not_obeyed():
    latex = MystToLatex().convert("# T\n\nA \\input{/etc/passwd} and 100% of $x$ {cite}`a,b`.\n")
    assert r"\textbackslash{}input\{/etc/passwd\}" in latex and r"100\%" in latex
    assert "$x$" in latex and r"\cite{a,b}" in latex
    for formula in ("$\\input{/etc/passwd}$", "$$\n\\immediate\\write18{id}\n$$", "{math}`\\def\\x{1}`"):
        with pytest.raises(PdfError, match="which a formula may not use"):
            MystToLatex().convert(f"# T\n\n{formula}\n")


@pytest.mark.slow
def test_a_hostile_bibliography_stops_the_pdf(tmp_path: Path, scaffold_lock: Path):
    folder = complete(new_project(tmp_path / "projects", "Demo project", ["Ada"], slug="demo-project", lock=False),
                      scaffold_lock)
    (folder / "references.bib").write_text("@article{x, title = {\\immediate\\write18{id}}}\n")
    with pytest.raises(PdfError, match="LaTeX commands"):
        build_pdf(folder)


@pytest.mark.slow
def test_the_latex_route_from_the_scaffold_to_a_checked_pdf(tmp_path: Path, scaffold_lock: Path, capsys):
    root = tmp_path / "projects"
    root.mkdir()
    assert main(["project", "new", "Demo project", "--author", "Ada", "--latex", "--root", str(root)]) == 0
    folder = root / "demo-project"
    found = [str(problem) for problem in check_project(folder).problems]
    assert any("report: the file 'report.pdf' does not exist" in p and "scimlkit project pdf" in p for p in found)
    assert main(["project", "pdf", str(folder)]) == 0
    output = capsys.readouterr().out
    assert "report.pdf (2 pages)" in output and "leave `pdf` unset for a LaTeX report" in output
    assert "set `pdf:" not in output
    found = [str(problem) for problem in check_project(folder).problems]
    assert any("report.tex:" in p and "still holds the scaffold's instruction" in p for p in found), found
    complete(folder)
    tex = folder / "report.tex"
    tex.write_text(tex.read_text().replace(r"\cite{chen2018neural}", r"\cite{chen2018neural,nobody1999}"))
    found = [str(problem) for problem in check_project(folder).problems]
    assert any("report.tex:" in p and "the citation key 'nobody1999' is not in references.bib" in p for p in found), found
