"""Launch links: the Colab notebook that fetches a project's folder and installs its lock,
and the link check that holds the link, the notebook and the repository together."""

from __future__ import annotations

import ast
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import nbformat
import pytest

from scimlkit.gallery import check_project
from scimlkit.gallery.launch import (
    COLAB_FOLDER,
    KERNEL_PACKAGES,
    SETUP_TAG,
    LaunchTarget,
    has_launch,
    launch_link_problems,
    launch_notebook,
    launch_url,
    notebook_path,
    setup_cell,
)
from scimlkit.gallery.reproduce import reproduce_command

REPO = Path(__file__).resolve().parents[2]
REPOSITORY = "https://github.com/sciml-python/course"
COLAB_BRANCH = "colab-notebooks"
ENSEMBLE = "ode-ensembles-on-accelerators"  # a notebook report whose cells import code/ensemble.py
AUGMENTED = "augmented-neural-odes"  # a MyST report: the notebook runs `python train.py`


def notebook_for(folder: Path, repository: str = REPOSITORY, branch: str = "main") -> dict:
    project = check_project(folder).project
    target = LaunchTarget(repository, branch, f"projects/{folder.name}")
    return launch_notebook(folder, project, target, reproduce_command(folder / "code"))


def constants(source: str) -> dict[str, object]:
    """The module-level constants a setup cell assigns (REPOSITORY, FOLDER, LOCK, ...)."""
    found = {}
    for node in ast.parse(source).body:
        if isinstance(node, ast.Assign) and isinstance(node.targets[0], ast.Name) and node.targets[0].id.isupper():
            try:
                found[node.targets[0].id] = ast.literal_eval(node.value)
            except ValueError:
                continue
    return found


@pytest.mark.parametrize("slug", [ENSEMBLE, AUGMENTED])
def test_a_project_with_code_gets_a_notebook_that_fetches_exactly_its_folder_and_installs_its_lock(slug: str):
    folder = REPO / "projects" / slug
    assert has_launch(folder)
    notebook = notebook_for(folder)
    setup = setup_cell(notebook)
    assert notebook["cells"][1]["metadata"]["tags"] == [SETUP_TAG] and setup == notebook["cells"][1]["source"]
    assert constants(setup) == {
        "REPOSITORY": REPOSITORY, "BRANCH": "main", "FOLDER": f"projects/{slug}", "LOCK": "code/uv.lock",
        "KERNEL_PACKAGES": list(KERNEL_PACKAGES),
    }
    assert (folder / constants(setup)["LOCK"]).is_file()
    # the sparse checkout names that folder alone, and the install reads the exported lock
    assert '"sparse-checkout", "set", FOLDER)' in setup
    assert '"export", "--frozen"' in setup and '"--no-deps", "--python", sys.executable, "--requirement"' in setup
    assert notebook["metadata"]["scimlkit_launch"]["folder"] == f"projects/{slug}"
    assert all(cell.get("outputs", []) == [] for cell in notebook["cells"])
    nbformat.validate(nbformat.from_dict(json.loads(json.dumps(notebook))))  # a valid notebook, as plain JSON


def test_a_notebook_report_keeps_its_own_cells_after_the_setup():
    folder = REPO / "projects" / ENSEMBLE
    report = json.loads((folder / "report.ipynb").read_text(encoding="utf-8"))
    sources = ["".join(cell["source"]) if isinstance(cell["source"], list) else cell["source"]
               for cell in report["cells"]]
    assert [cell["source"] for cell in notebook_for(folder)["cells"][2:]] == sources


def test_a_myst_report_runs_its_reproduce_command_in_code_and_shows_the_figures():
    cells = notebook_for(REPO / "projects" / AUGMENTED)["cells"]
    run, show = cells[2]["source"], cells[3]["source"]
    assert "shlex.split('python train.py')" in run and 'cwd="code"' in run and "command[0] = sys.executable" in run
    assert 'Path("figures").glob("*.png")' in show


def test_a_project_without_code_gets_no_launch(project: Path):
    assert has_launch(project)
    (project / "code" / "uv.lock").unlink()
    assert not has_launch(project)
    shutil.rmtree(project / "code")
    assert not has_launch(project)


def test_the_launch_url_opens_the_notebook_on_the_colab_branch():
    assert launch_url(REPOSITORY, COLAB_BRANCH, ENSEMBLE) == (
        "https://colab.research.google.com/github/sciml-python/course/blob/colab-notebooks/"
        f"projects/{ENSEMBLE}/launch.ipynb"
    )
    with pytest.raises(ValueError, match="GitHub only"):
        launch_url("https://gitlab.com/a/b", COLAB_BRANCH, ENSEMBLE)


# --- the link check ---------------------------------------------------------------------


def git(repo: Path, *arguments: str) -> None:
    subprocess.run(["git", "-C", str(repo), *arguments], check=True, capture_output=True)


def committed_repository(root: Path, slugs: list[str]) -> Path:
    """A git repository holding copies of the given example projects, committed."""
    for slug in slugs:
        shutil.copytree(REPO / "projects" / slug, root / "projects" / slug,
                        ignore=shutil.ignore_patterns(".venv", "__pycache__"))
    git(root, "init", "-q", "-b", "main")
    git(root, "add", "-A")
    git(root, "-c", "user.name=Test", "-c", "user.email=test@example.org", "commit", "-q", "-m", "projects")
    return root


@pytest.fixture
def site(tmp_path: Path):
    """A repository with the ensemble project and a built site holding its launch notebook."""
    repo = committed_repository(tmp_path / "repo", [ENSEMBLE])
    html = tmp_path / "html"
    path = html / COLAB_FOLDER / notebook_path(ENSEMBLE)
    path.parent.mkdir(parents=True)
    path.write_text(json.dumps(notebook_for(repo / "projects" / ENSEMBLE)), encoding="utf-8")
    return repo, html, path


def problems(repo: Path, html: Path, url: str | None = None) -> list[str]:
    return launch_link_problems(url or launch_url(REPOSITORY, COLAB_BRANCH, ENSEMBLE), html_root=html, repo=repo,
                                repository=REPOSITORY, colab_branch=COLAB_BRANCH)


def test_a_whole_launch_link_passes_the_link_check(site):
    repo, html, _ = site
    assert problems(repo, html) == []


def test_a_launch_link_without_its_notebook_fails_naming_the_project(site):
    repo, html, path = site
    path.unlink()
    assert problems(repo, html) == [
        f"project '{ENSEMBLE}': its launch link opens projects/{ENSEMBLE}/launch.ipynb on the branch "
        f"'colab-notebooks', but the build wrote no _colab/projects/{ENSEMBLE}/launch.ipynb "
        "(the publishing workflow pushes _colab/ to that branch)"
    ]


def test_a_launch_link_to_another_branch_or_repository_fails(site):
    repo, html, _ = site
    url = launch_url(REPOSITORY, COLAB_BRANCH, ENSEMBLE)
    for wrong in (url.replace("colab-notebooks", "main"), url.replace("sciml-python/course", "someone/course")):
        assert problems(repo, html, wrong) == [
            f"{wrong} does not open a notebook of {REPOSITORY} on its Colab branch 'colab-notebooks'"
        ]


def test_a_lock_missing_from_the_repository_fails_naming_the_project(site):
    repo, html, _ = site
    git(repo, "rm", "-q", f"projects/{ENSEMBLE}/code/uv.lock")
    assert problems(repo, html) == [
        f"project '{ENSEMBLE}': its launch link: the lock it installs, projects/{ENSEMBLE}/code/uv.lock, "
        "is not in the repository"
    ]


def test_an_uncommitted_project_fails_the_link_check(site):
    repo, html, _ = site
    git(repo, "rm", "-q", "--cached", "-r", f"projects/{ENSEMBLE}")
    found = problems(repo, html)
    assert len(found) == 2 and all("is not committed, so the published repository lacks it" in p for p in found)


def test_a_notebook_that_fetches_another_folder_or_edits_its_setup_fails(site):
    repo, html, path = site
    notebook = json.loads(path.read_text(encoding="utf-8"))
    notebook["metadata"]["scimlkit_launch"]["folder"] = "projects/augmented-neural-odes"
    path.write_text(json.dumps(notebook), encoding="utf-8")
    assert problems(repo, html)[0] == (
        f"project '{ENSEMBLE}': its launch link fetches projects/augmented-neural-odes, "
        f"not the project's folder projects/{ENSEMBLE}"
    )
    notebook = notebook_for(repo / "projects" / ENSEMBLE)
    notebook["cells"][1]["source"] = notebook["cells"][1]["source"].replace('"--frozen", ', "")
    path.write_text(json.dumps(notebook), encoding="utf-8")
    assert problems(repo, html) == [
        f"project '{ENSEMBLE}': its launch link: the notebook's first code cell is not the setup cell that "
        f"fetches projects/{ENSEMBLE} and installs from its code/uv.lock"
    ]


def test_a_lecture_colab_link_needs_only_its_notebook(tmp_path: Path):
    url = f"https://colab.research.google.com/github/sciml-python/course/blob/{COLAB_BRANCH}/lectures/01_introduction.ipynb"
    assert launch_link_problems(url, html_root=tmp_path, repo=tmp_path, repository=REPOSITORY,
                                colab_branch=COLAB_BRANCH) == [
        f"the Colab link {url} opens lectures/01_introduction.ipynb on the branch 'colab-notebooks', but the "
        "build wrote no _colab/lectures/01_introduction.ipynb (the publishing workflow pushes _colab/ to that branch)"
    ]
    (tmp_path / "_colab" / "lectures").mkdir(parents=True)
    (tmp_path / "_colab" / "lectures" / "01_introduction.ipynb").write_text("{}", encoding="utf-8")
    assert launch_link_problems(url, html_root=tmp_path, repo=tmp_path, repository=REPOSITORY,
                                colab_branch=COLAB_BRANCH) == []


# --- the setup cell, run ----------------------------------------------------------------


@pytest.mark.slow
def test_the_setup_cell_fetches_installs_and_the_report_cells_import_the_project_code(tmp_path: Path):
    """The ensemble example as Colab would run it, with a local repository for GitHub: a fresh
    Python with nothing installed runs the setup cell (a sparse clone of the project folder,
    its lock installed by uv, from uv's cache when it holds the wheels), then the report's cells
    that import code/ensemble.py and solve twenty members (not the timings, which take long)."""
    repo = committed_repository(tmp_path / "repo", [ENSEMBLE, AUGMENTED])
    git(repo, "config", "uploadpack.allowFilter", "true")  # the partial clone GitHub serves
    notebook = notebook_for(repo / "projects" / ENSEMBLE, repository=repo.as_uri())
    cells = [cell["source"] for cell in notebook["cells"] if cell["cell_type"] == "code"]
    script = [cells[0], *(source for source in cells[1:] if "ensemble.timings()" not in source)]
    script.append("import os, ensemble\nprint('WORKING IN', os.getcwd())\nprint('ENSEMBLE FROM', ensemble.__file__)\n"
                  "print('SOLVED', angles.shape)\n")
    (tmp_path / "run.py").write_text("\n".join(script), encoding="utf-8")
    uv = Path(sys.executable).with_name("uv")
    environment = tmp_path / "colab-python"
    subprocess.run([str(uv), "venv", "--quiet", "--python", sys.base_prefix + "/bin/python3", str(environment)],
                   check=True)
    content = tmp_path / "content"  # Colab's working directory
    content.mkdir()
    env = {key: value for key, value in os.environ.items() if key not in ("VIRTUAL_ENV", "PYTHONPATH")}
    env.update(PATH=f"{uv.parent}{os.pathsep}{env['PATH']}", MPLBACKEND="Agg")
    done = subprocess.run([str(environment / "bin" / "python"), str(tmp_path / "run.py")], cwd=content, env=env,
                          capture_output=True, text=True, timeout=900, check=False)
    assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-3000:]
    checkout = content / "course" / "projects" / ENSEMBLE
    assert f"WORKING IN {checkout}" in done.stdout
    assert f"ENSEMBLE FROM {checkout / 'code' / 'ensemble.py'}" in done.stdout
    assert "SOLVED (20, 2000)" in done.stdout and "JAX 0.10.2 on cpu" in done.stdout
    # only that folder was checked out, and the locked versions are what the fresh Python has
    assert sorted(path.name for path in (content / "course" / "projects").iterdir()) == [ENSEMBLE]
    versions = subprocess.run([str(environment / "bin" / "python"), "-c",
                               "from importlib.metadata import version as v; print(v('numpy'), v('matplotlib'))"],
                              capture_output=True, text=True, check=True, cwd=tmp_path).stdout.split()
    assert versions == ["2.4.6", "3.11.2"]
