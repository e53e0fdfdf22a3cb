"""The ``scimlkit`` command: ``scimlkit project new|check|pdf|citation|reproduce|preview|list``.

Every failure on bad input is a message and an exit status, never a traceback:
0 all good, 1 a project has problems, 2 the command itself was misused.
"""

from __future__ import annotations

import argparse
import re
import sys
from pathlib import Path

_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")


def _safe(text: str) -> str:
    """Text for a terminal: control characters (ANSI escapes included) shown as \\xNN."""
    return _CONTROL.sub(lambda match: f"\\x{ord(match.group()):02x}", text)


def default_root() -> Path:
    """``projects/`` of the course repository this command runs in (or below)."""
    here = Path.cwd().resolve()
    for folder in (here, *here.parents):
        if (folder / "_toc.yml").is_file() and (folder / "projects").is_dir():
            return folder / "projects"
    return here / "projects"


def _folders_to_check(paths: list[Path], root: Path) -> list[Path]:
    from .gallery import PROJECT_FILE, project_folders

    if not paths:
        return project_folders(root)
    folders = []
    for given in paths:
        path = given.resolve()  # `check .` and `check ..` name a folder by what it resolves to
        if path.name == PROJECT_FILE:
            path = path.parent
        if not path.is_dir():
            raise FileNotFoundError(f"{given} is not a folder")
        inner = project_folders(path)
        folders += [path] if (path / PROJECT_FILE).exists() or not inner else inner
    return folders


def cmd_new(args: argparse.Namespace) -> int:
    from .gallery import ScaffoldError, check_project, new_project

    try:
        folder = new_project(args.root, args.title, args.author, slug=args.slug, term=args.term, latex=args.latex)
    except ScaffoldError as error:
        print(f"error: {_safe(str(error))}", file=sys.stderr)
        return 2
    print(f"created {_safe(str(folder))}")
    checked = check_project(folder)
    print(f"still to do before it passes `scimlkit project check` ({len(checked.problems)}):")
    for problem in checked.problems:  # the scaffold's stand-ins, each with what to write instead
        print(f"  {_safe(str(problem))}")
    print("the project guide (book/project_guide.md) walks through each step")
    return 0


def cmd_check(args: argparse.Namespace) -> int:
    from .gallery import check_projects

    folders = _folders_to_check(args.paths, args.root)
    if not folders:
        print(f"no projects found under {_safe(str(args.root))}")
        return 0
    checked = check_projects(folders)
    failing = [item for item in checked if not item.valid]
    for item in checked:
        for problem in item.problems:
            print(_safe(str(problem)))
    for item in checked:
        state = "ok" if item.valid else f"{len(item.problems)} problem(s)"
        print(f"{_safe(item.slug)}: {state}", file=sys.stderr)
    print(f"{len(checked)} project(s) checked, {len(failing)} with problems", file=sys.stderr)
    return 1 if failing else 0


def cmd_pdf(args: argparse.Namespace) -> int:
    from .gallery.latex import PdfError, build_pdf
    from .gallery.report import pdf_page_count

    try:
        pdf = build_pdf(args.folder)
    except PdfError as error:
        print(f"error: {_safe(str(error))}", file=sys.stderr)
        return 1
    print(f"wrote {_safe(str(pdf))} ({pdf_page_count(pdf)} pages)")
    print(_pdf_field_advice(args.folder, pdf.name))
    return 0


def _pdf_field_advice(folder: Path, name: str) -> str:
    """What project.yml needs for the PDF just made: a LaTeX report *is* the PDF, others link it."""
    from .gallery.schema import Project
    from .gallery.yaml_source import read_mapping

    try:
        project = Project.model_validate(read_mapping(folder / "project.yml")[0])
    except (ValueError, OSError):  # YamlSourceError is a ValueError
        return "`scimlkit project check` says what project.yml still needs"
    if project.report_kind == "pdf":
        return f"project.yml names it as the report (`report: {project.report}`); leave `pdf` unset for a LaTeX report"
    if project.pdf == name:
        return f"project.yml already links it (`pdf: {name}`)"
    return f"set `pdf: {name}` in project.yml"


def cmd_reproduce(args: argparse.Namespace) -> int:
    from .gallery.reproduce import ReproduceError, reproduce

    folder = args.project if args.project.is_dir() else args.root / args.project.name
    if not folder.is_dir():
        print(f"error: no project {_safe(str(args.project))} (give a slug under {_safe(str(args.root))} or a folder)",
              file=sys.stderr)
        return 2
    try:
        result = reproduce(folder, timeout=args.timeout)
    except ReproduceError as error:
        text = f"### `{folder.name}`: could not rebuild the figures\n\n```text\n{error}\n```\n"
        print(f"error: {_safe(str(error))}", file=sys.stderr)
    else:
        text = result.summary()
        print(_safe(text))
    if args.summary:
        with args.summary.open("a", encoding="utf-8") as stream:
            stream.write(text + "\n")
    return 0 if "figures reproduced" in text else 1


def cmd_preview(args: argparse.Namespace) -> int:
    from .site.gallery_pages.preview import PREVIEW_FOLDER, PreviewError, build_preview, serve

    folder = args.folder.resolve()
    if not (folder / "project.yml").is_file():
        print(f"error: {_safe(str(args.folder))} is not a project folder (it has no project.yml)", file=sys.stderr)
        return 2
    course = args.root.resolve().parent
    output = (args.output or course / PREVIEW_FOLDER / folder.name).resolve()
    try:
        preview = build_preview(folder, course, output)
    except PreviewError as error:
        print(f"error: {_safe(str(error))}", file=sys.stderr)
        return 1
    print(f"the gallery with your card: {preview.gallery}")
    print(f"your project's page:        {preview.page}")
    if args.serve:
        serve(preview.gallery.parents[1], args.port)
    return 0


def cmd_citation(args: argparse.Namespace) -> int:
    from .gallery.citation import write_citation
    from .gallery.schema import Project
    from .gallery.yaml_source import read_mapping

    folder = args.folder.resolve()
    try:
        project = Project.model_validate(read_mapping(folder / "project.yml")[0])
    except ValueError:
        print("error: project.yml has problems: `scimlkit project check` names them", file=sys.stderr)
        return 1
    print(f"wrote {_safe(str(write_citation(folder, project)))}")
    return 0


def cmd_list(args: argparse.Namespace) -> int:
    from .gallery import check_projects, project_folders

    checked = check_projects(project_folders(args.root))
    rows = [("SLUG", "TERM", "PUBLISHED", "TITLE")]
    for item in checked:
        project = item.project
        if not item.valid:
            state = "no (invalid)"
        else:
            state = "yes" if project.publish else "no (opted out)"
        title = project.title if project else "?"
        rows.append((item.slug, project.term if project else "?", state, title[:60]))
    widths = [max(len(_safe(row[column])) for row in rows) for column in range(3)]
    for row in rows:
        cells = [_safe(cell).ljust(width) for cell, width in zip(row, widths)]
        print("  ".join([*cells, _safe(row[3])]).rstrip())
    return 0


def parser() -> argparse.ArgumentParser:
    main_parser = argparse.ArgumentParser(prog="scimlkit", description="Tools of the SciML in Python course.")
    groups = main_parser.add_subparsers(dest="group", required=True)
    project = groups.add_parser("project", help="scaffold, check and list course projects")
    commands = project.add_subparsers(dest="command", required=True)

    def with_root(sub: argparse.ArgumentParser) -> argparse.ArgumentParser:
        sub.add_argument("--root", type=Path, default=None, help="the projects/ folder (default: found from here)")
        return sub

    new = with_root(commands.add_parser("new", help="scaffold projects/<slug>/ from a title"))
    new.add_argument("title")
    new.add_argument("--author", action="append", default=[], required=True, help="an author's name (repeatable)")
    new.add_argument("--slug", help="the folder name (default: made from the title)")
    new.add_argument("--term", help="the course month as YYYY-MM (default: the current course's term)")
    new.add_argument("--latex", action="store_true", help="write the report as report.tex (SIAM-style template)")
    new.set_defaults(run=cmd_new)

    check = with_root(commands.add_parser("check", help="validate projects; exit 1 on any problem"))
    check.add_argument("paths", nargs="*", type=Path, metavar="PATH", help="project folders (default: all)")
    check.set_defaults(run=cmd_check)

    pdf = with_root(commands.add_parser("pdf", help="typeset the report as a SIAM-style PDF (report.pdf)"))
    pdf.add_argument("folder", type=Path, help="the project folder")
    pdf.set_defaults(run=cmd_pdf)

    again = with_root(commands.add_parser("reproduce", help="rebuild the figures from code/uv.lock and compare them"))
    again.add_argument("project", type=Path, help="a project's slug or folder")
    again.add_argument("--timeout", type=float, default=900, help="seconds for the environment and the run (900)")
    again.add_argument("--summary", type=Path, help="append the result as Markdown to this file (e.g. $GITHUB_STEP_SUMMARY)")
    again.set_defaults(run=cmd_reproduce)

    cite = with_root(commands.add_parser("citation", help="write CITATION.cff from project.yml"))
    cite.add_argument("folder", type=Path, help="the project folder")
    cite.set_defaults(run=cmd_citation)

    preview = with_root(commands.add_parser("preview", help="build one project's page and gallery card in seconds"))
    preview.add_argument("folder", type=Path, help="the project folder")
    preview.add_argument("--output", type=Path, help="where to build (default: _build/preview/<slug> in the course)")
    preview.add_argument("--serve", action="store_true", help="then serve it on http://127.0.0.1:PORT")
    preview.add_argument("--port", type=int, default=8000, help="port for --serve (8000)")
    preview.set_defaults(run=cmd_preview)

    listing = with_root(commands.add_parser("list", help="a table of projects and whether each is published"))
    listing.set_defaults(run=cmd_list)
    return main_parser


def main(argv: list[str] | None = None) -> int:
    args = parser().parse_args(argv)
    args.root = args.root or default_root()
    try:
        return args.run(args)
    except OSError as error:
        print(f"error: {_safe(str(error))}", file=sys.stderr)
        return 2
    except ModuleNotFoundError as error:
        print(
            f"error: `scimlkit project` needs {error.name}, which is not installed; "
            "install the command's extras with: pip install 'scimlkit[projects]'",
            file=sys.stderr,
        )
        return 2


if __name__ == "__main__":
    sys.exit(main())
