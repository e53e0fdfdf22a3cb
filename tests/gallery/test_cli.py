"""The ``scimlkit project`` command: exit codes, messages, and no tracebacks."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from scimlkit.cli import main
from scimlkit.gallery.deadlines import COURSE_TERM
from scimlkit.gallery.environment import uv_lock_problems

from .conftest import complete, restamp, set_field


def run(capsys, *args: str) -> tuple[int, str]:
    code = main(list(args))
    captured = capsys.readouterr()
    return code, captured.out + captured.err


def test_the_unedited_scaffold_is_refused_saying_what_to_write(tmp_path: Path, capsys):
    root = tmp_path / "projects"
    root.mkdir()
    code, output = run(capsys, "project", "new", "Neural SDEs for finance", "--author", "Ada", "--root", str(root))
    folder = root / "neural-sdes-for-finance"
    assert code == 0 and (folder / "project.yml").is_file(), output
    assert "still to do before it passes" in output
    report = (folder / "report.md").read_text()
    for section in ("## Abstract", "## Introduction", "## Background", "## Methods", "## Results", "## Discussion", "## References"):
        assert section in report
    assert f'term: "{COURSE_TERM}"' in (folder / "project.yml").read_text()
    code, output = run(capsys, "project", "check", "--root", str(root))
    assert code == 1 and "1 project(s) checked, 1 with problems" in output
    assert "abstract: is still the scaffold's placeholder: write the abstract of your report" in output
    assert "references.bib:3: the entry 'chen2018neural' is the scaffold's example reference: replace it" in output
    assert "report.md:5: still holds the scaffold's instruction 'State the question" in output
    assert "pdf: the file 'report.pdf' does not exist" in output and "scimlkit project pdf" in output
    complete(folder)  # the scaffold's own uv.lock stays
    code, output = run(capsys, "project", "check", "--root", str(root))
    assert code == 0 and "1 project(s) checked, 0 with problems" in output


def test_the_scaffold_locks_its_code_completely(scaffold_lock: Path):
    lock = scaffold_lock.read_text()
    for package in ("numpy", "matplotlib", "pillow", "contourpy", "kiwisolver", "pyparsing"):
        assert f'name = "{package}"' in lock, package
    assert uv_lock_problems(scaffold_lock.parent) == []


@pytest.mark.parametrize("term", ["2026-1", "January", "2026-13"])
def test_an_invalid_term_refuses_before_creating_anything(tmp_path: Path, capsys, term: str):
    root = tmp_path / "projects"
    root.mkdir()
    code, output = run(capsys, "project", "new", "A title", "--author", "Ada", "--term", term, "--root", str(root))
    assert code == 2 and f"not {term!r}" in output
    assert list(root.iterdir()) == []


def test_a_failed_lock_leaves_no_folder_so_a_retry_works(tmp_path: Path, capsys, monkeypatch):
    from scimlkit.gallery import scaffold

    def refuse(code: Path) -> None:
        raise scaffold.ScaffoldError("`uv lock` failed: no network")

    monkeypatch.setattr(scaffold, "lock_code", refuse)
    root = tmp_path / "projects"
    root.mkdir()
    code, output = run(capsys, "project", "new", "Neural SDEs", "--author", "Ada", "--root", str(root))
    assert code == 2 and "no network" in output and list(root.iterdir()) == []
    monkeypatch.setattr(scaffold, "lock_code", lambda code: (code / "uv.lock").write_text(""))
    code, output = run(capsys, "project", "new", "Neural SDEs", "--author", "Ada", "--root", str(root))
    assert code == 0 and (root / "neural-sdes" / "code" / "uv.lock").is_file(), output


def test_new_refuses_an_existing_folder_and_an_empty_slug(project: Path, capsys):
    code, output = run(capsys, "project", "new", "Demo project", "--author", "A", "--root", str(project.parent))
    assert code == 2 and "exists already" in output
    code, output = run(capsys, "project", "new", "数值方法 ???", "--author", "A", "--root", str(project.parent))
    assert code == 2 and "--slug" in output


def test_check_fails_with_precise_messages(project: Path, capsys):
    set_field(project, "term", '"soon"')
    code, output = run(capsys, "project", "check", str(project))
    assert code == 1
    assert "demo-project/project.yml:9: term: must be the month" in output
    assert "1 project(s) checked, 1 with problems" in output


def test_check_accepts_a_project_yml_path_and_reports_missing_paths(project: Path, capsys):
    assert run(capsys, "project", "check", str(project / "project.yml"))[0] == 0
    code, output = run(capsys, "project", "check", str(project / "nowhere"))
    assert code == 2 and "is not a folder" in output


def test_check_resolves_dot_and_dot_dot_to_the_folders_they_name(project: Path, capsys, monkeypatch):
    monkeypatch.chdir(project)
    code, output = run(capsys, "project", "check", ".")
    assert code == 0 and "demo-project: ok" in output, output
    monkeypatch.chdir(project / "code")
    code, output = run(capsys, "project", "check", "..")
    assert code == 0 and "demo-project: ok" in output, output


def test_terminal_escapes_in_a_title_are_shown_not_obeyed(project: Path, capsys):
    set_field(project, "title", '"\\e[2J\\e[31mred"')
    code, output = run(capsys, "project", "check", str(project))
    assert code == 1 and "\x1b" not in output and "control characters" in output


def test_list_shows_publication_states(project: Path, capsys):
    root = project.parent
    opted_out = root / "opted-out"
    project.rename(opted_out)
    set_field(opted_out, "publish", "false")
    restamp(opted_out)  # a renamed folder has a new address: its CITATION.cff is made again
    broken = root / "broken"
    broken.mkdir()
    (broken / "project.yml").write_text("title: [\n")
    shutil.copytree(opted_out, root / "published-one")
    set_field(root / "published-one", "publish", "true")
    restamp(root / "published-one")
    code, output = run(capsys, "project", "list", "--root", str(root))
    rows = {line.split()[0]: line for line in output.splitlines()[1:]}
    assert code == 0
    assert "no (opted out)" in rows["opted-out"] and "no (invalid)" in rows["broken"]
    assert " yes " in rows["published-one"]


@pytest.mark.parametrize("content", [b"\x00\xff" * 100, b"title: " + b"[" * 20000, b"{{{{"])
def test_console_script_never_prints_a_traceback(project: Path, content: bytes):
    (project / "project.yml").write_bytes(content)
    done = subprocess.run(
        [sys.executable, "-m", "scimlkit.cli", "project", "check", str(project)],
        capture_output=True, text=True, check=False,
    )
    assert done.returncode == 1
    assert "Traceback" not in done.stdout + done.stderr
    assert "project.yml" in done.stdout


def test_missing_optional_dependency_names_the_extra_to_install(monkeypatch, capsys):
    import sys
    from pathlib import Path

    from scimlkit.cli import main

    monkeypatch.setitem(sys.modules, "nbformat", None)
    notebook_project = Path(__file__).resolve().parents[2] / "projects" / "ode-ensembles-on-accelerators"
    assert main(["project", "check", str(notebook_project)]) == 2
    error = capsys.readouterr().err
    assert "needs nbformat" in error and "scimlkit[projects]" in error
