"""Check one project folder, or every folder under ``projects/``, from end to end.

``check_project`` never raises on bad input: every problem becomes a ``Problem``
naming the file, the line or field, and what is wrong.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

from pydantic import ValidationError

from . import placeholders
from .bibliography import Bibliography, citation_problems, read_bibliography
from .citation import citation_file_problems
from .deadlines import STAGES
from .environment import environment_problems
from .files import folder_problems, image_problems, referenced_file
from .pdf_digest import stale_pdf_problems
from .problems import Problem
from .report import (
    MIN_REFERENCES,
    MarkdownScan,
    latex_citations,
    myst_report_problems,
    notebook_report_problems,
    pdf_page_count,
    pdf_problems,
)
from .schema import Project
from .yaml_source import YamlSourceError, read_mapping

PROJECT_FILE = "project.yml"
SLUG = re.compile(r"^[a-z0-9]+(-[a-z0-9]+)*$")
MAX_SLUG = 60
RESERVED_SLUGS = {"index", "static", "images"}


@dataclass
class CheckedProject:
    folder: Path
    project: Project | None
    problems: list[Problem] = field(default_factory=list)

    @property
    def slug(self) -> str:
        return self.folder.name

    @property
    def valid(self) -> bool:
        return self.project is not None and not self.problems

    @property
    def published(self) -> bool:
        return self.valid and self.project.publish


def project_folders(root: Path) -> list[Path]:
    """Every sub-folder of ``root`` (``projects/``) that is a submission: it has a project.yml."""
    if not root.is_dir():
        return []
    return sorted(path for path in root.iterdir() if path.is_dir() and (path / PROJECT_FILE).exists())


def check_projects(folders: list[Path]) -> list[CheckedProject]:
    """Check each folder, and that no two share a slug (a web address) up to case."""
    checked = [check_project(folder) for folder in folders]
    for item in checked:
        twins = [
            other
            for other in item.folder.parent.iterdir()
            if other.is_dir() and other.name != item.folder.name and other.name.casefold() == item.slug.casefold()
        ]
        if twins:
            names = ", ".join(str(twin) for twin in twins)
            item.problems.append(Problem(item.folder, f"the slug {item.slug!r} is also used by {names}"))
    return checked


def check_project(folder: Path) -> CheckedProject:
    """All problems of one folder; a bug in the check itself is reported as a problem too."""
    try:
        return _check_project(folder)
    except ModuleNotFoundError:
        raise  # an incomplete installation, not a problem of the submission
    except Exception as error:  # noqa: BLE001 - the command and the site build must never die on a submission
        return CheckedProject(folder, None, [Problem(folder, f"the check could not finish ({type(error).__name__}: {error}); please report this")])


def _check_project(folder: Path) -> CheckedProject:
    yml = folder / PROJECT_FILE
    problems: list[Problem] = []
    if folder.is_symlink():
        return CheckedProject(folder, None, [Problem(folder, "the project folder is a symbolic link")])
    if folder.name in RESERVED_SLUGS:
        problems.append(Problem(folder, f"the slug {folder.name!r} is reserved by the site; rename the folder"))
    elif not SLUG.match(folder.name) or len(folder.name) > MAX_SLUG:
        problems.append(
            Problem(folder, f"the folder name {folder.name!r} is not a slug: use lower-case letters, digits and "
                    f"single hyphens, at most {MAX_SLUG} characters (e.g. augmented-neural-odes)")
        )
    # Oversized files and symbolic links stop the check before any file is read.
    structural = folder_problems(folder)
    if structural:
        return CheckedProject(folder, None, problems + structural)
    if yml.is_symlink() or not yml.is_file():
        return CheckedProject(folder, None, problems + [Problem(yml, "missing (or not a regular file)")])
    try:
        data, lines = read_mapping(yml)
        project = Project.model_validate(data)
    except YamlSourceError as error:
        return CheckedProject(folder, None, problems + [Problem(yml, error.message, error.line)])
    except ValidationError as error:
        return CheckedProject(folder, None, problems + _schema_problems(yml, error, lines))
    problems += _content_problems(folder, yml, project, lines)
    return CheckedProject(folder, project, problems)


def _schema_problems(yml: Path, error: ValidationError, lines: dict) -> list[Problem]:
    problems = []
    for item in error.errors(include_url=False):
        location = tuple(item["loc"])
        line = next((lines[location[:n]] for n in range(len(location), -1, -1) if location[:n] in lines), None)
        field = ".".join(str(part) if isinstance(part, str) else f"[{part}]" for part in location).replace(".[", "[")
        message = item["msg"].removeprefix("Value error, ")
        if item["type"] == "missing":
            message = "is required"
        elif item["type"] == "extra_forbidden":
            message = "is not a field of project.yml (check its spelling in the project guide)"
        elif item["type"] == "literal_error":
            allowed = message.removeprefix("Input should be ")
            message = f"{str(item['input'])[:60]!r} is not allowed here; use one of {allowed}"
        problems.append(Problem(yml, message, line, field or None))
    return problems


def _content_problems(folder: Path, yml: Path, project: Project, lines: dict) -> list[Problem]:
    problems: list[Problem] = placeholders.abstract_problems(project.abstract, yml, lines.get(("abstract",)))
    named = {"report": project.report, "thumbnail": project.thumbnail}
    for optional in ("pdf", "slides", "bibliography"):
        if getattr(project, optional):
            named[optional] = getattr(project, optional)
    missing = set()
    for field_name, relative in named.items():
        found = referenced_file(folder, relative, yml, field_name, lines.get((field_name,)))
        latex_source = field_name == "report" and (folder / relative).with_suffix(".tex").is_file()
        if found and (field_name == "pdf" or latex_source):
            found = [Problem(yml, f"{found[0].message}: make it with `scimlkit project pdf {folder}` (TeX from "
                             "`make tex`) and commit it", found[0].line, field_name)]
        problems += found
        if found:
            missing.add(field_name)
    if "thumbnail" not in missing:
        problems += image_problems(folder / project.thumbnail, yml, "thumbnail", lines.get(("thumbnail",)))
    if "slides" in named and "slides" not in missing:
        problems += pdf_problems(folder / project.slides, yml, "slides", lines.get(("slides",)))
    bib: Bibliography | None = None
    if "bibliography" in named and "bibliography" not in missing:
        bib = read_bibliography(folder / project.bibliography)
        problems += bib.problems + placeholders.bibliography_problems(bib)
    if "report" not in missing:
        problems += _report_problems(folder, yml, project, lines, bib)
    problems += _page_problems(folder, yml, project, lines, missing)
    problems += environment_problems(folder, project, yml, lines)
    problems += citation_file_problems(folder, project)
    return problems


def _report_problems(folder: Path, yml: Path, project: Project, lines: dict, bib: Bibliography | None) -> list[Problem]:
    report = folder / project.report
    if project.report_kind == "pdf":
        problems = pdf_problems(report, yml, "report", lines.get(("report",)))
        source = report.with_suffix(".tex")
        if source.is_file() and not source.is_symlink():
            text = source.read_text(encoding="utf-8", errors="replace")
            problems += placeholders.report_problems(text, source)
            problems += citation_problems(bib, latex_citations(text), source)
        if not project.bibliography:
            problems.append(
                Problem(yml, "a PDF report needs a bibliography: name its BibTeX file (its entries are the "
                        "report's references)", lines.get(("report",)), "bibliography")
            )
            return problems
        scan = MarkdownScan()
    else:
        scan = myst_report_problems(report, folder) if project.report_kind == "md" else notebook_report_problems(report, folder)
        problems = list(scan.problems) + citation_problems(bib, scan.cited, report)
        if project.report_kind == "md" and report.is_file():
            problems += placeholders.report_problems(report.read_text(encoding="utf-8", errors="replace"), report)
    references = len(bib) if bib is not None else scan.references
    if bib is not None or project.report_kind != "pdf":
        if references < MIN_REFERENCES:
            where = folder / (project.bibliography or project.report)
            problems.append(
                Problem(where, f"the report lists {references} reference(s); at least {MIN_REFERENCES} are required "
                        "(BibTeX entries of `bibliography`, or a numbered or bulleted list under a 'References' heading)")
            )
    return problems


def _page_problems(folder: Path, yml: Path, project: Project, lines: dict, missing: set[str]) -> list[Problem]:
    """Every report has a PDF, and its page count fits the stage (proposal, write-up, report)."""
    if project.pdf_file is None:
        return [
            Problem(yml, f"a {project.report_kind} report needs its PDF, for the page count and the gallery's "
                    f"download: run `scimlkit project pdf {folder}` and add `pdf: report.pdf`", lines.get(("report",)), "pdf")
        ]
    field_name = "report" if project.report_kind == "pdf" else "pdf"
    if field_name in missing:
        return []
    path = folder / project.pdf_file
    pages = pdf_page_count(path)
    if pages is None:
        return [Problem(yml, f"{path.name} is not a readable PDF", lines.get((field_name,)), field_name)]
    problems = stale_pdf_problems(folder, project, path, yml, field_name, lines.get((field_name,)))
    low, high = STAGES[project.stage].pages
    if not low <= pages <= high:
        problems.append(
            Problem(yml, f"{path.name} has {pages} page(s); a {project.stage} has {low} to {high} "
                    f"(set `stage` if this is not the final report)", lines.get((field_name,)), field_name)
        )
    return problems
