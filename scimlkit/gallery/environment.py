"""The pinned environment: the analysis code must come with a complete lock.

``code/uv.lock`` (made by ``uv lock``) is read and checked against ``code/pyproject.toml``:
it must be made for this project, resolve every declared dependency within its
specifier, and pin every package any locked package depends on (a lock that lists
only the direct dependencies cannot rebuild the environment). It is the only lock
accepted: ``scimlkit project reproduce`` rebuilds the environment from it with
``uv sync --frozen``, and a ``requirements`` file or another tool's lock could pass a
check here and still fail to rebuild there. A project that has one is told to run
``uv lock``.
"""

from __future__ import annotations

import re
from pathlib import Path

from .problems import Problem
from .schema import Project

CODE_FOLDER = "code"
LOCK_FILE = "uv.lock"
#: Other ways of pinning an environment, named in the message that asks for uv.lock instead.
OTHER_LOCKS = ("pylock.toml", "poetry.lock", "pdm.lock", "requirements.lock", "requirements.txt")


def environment_problems(folder: Path, project: Project, yml: Path, lines: dict) -> list[Problem]:
    code = folder / CODE_FOLDER
    if not code.is_dir():
        if project.code is None:
            return [
                Problem(yml, "the analysis code is missing: add a code/ folder with pyproject.toml and uv.lock, "
                        "or give the repository's URL in `code`", lines.get(()), "code")
            ]
        return []
    problems = []
    if not (code / "pyproject.toml").is_file():
        problems.append(Problem(code, "code/ needs a pyproject.toml describing the analysis project"))
    if (code / LOCK_FILE).is_file():
        return problems + (uv_lock_problems(code) if (code / "pyproject.toml").is_file() else [])
    others = [name for name in OTHER_LOCKS if (code / name).is_file()]
    found = f" ({', '.join(others)} cannot be rebuilt by `scimlkit project reproduce`)" if others else ""
    return problems + [
        Problem(code, f"no uv.lock{found}: list your dependencies in code/pyproject.toml and run `uv lock` in code/")
    ]


def _normal(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


def uv_lock_problems(code: Path) -> list[Problem]:
    """Does ``uv.lock`` resolve what ``pyproject.toml`` declares, with every dependency pinned?"""
    import tomllib

    from packaging.requirements import InvalidRequirement, Requirement
    from packaging.version import InvalidVersion, Version

    lock_path, pyproject_path = code / "uv.lock", code / "pyproject.toml"
    try:
        pyproject = tomllib.loads(pyproject_path.read_text(encoding="utf-8"))
        lock = tomllib.loads(lock_path.read_text(encoding="utf-8"))
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as error:
        return [Problem(code, f"cannot read pyproject.toml or uv.lock: {error}")]
    rerun = "run `uv lock` in code/ and commit uv.lock"
    project = pyproject.get("project", {})
    try:
        declared = [Requirement(text) for text in project.get("dependencies", [])]
    except InvalidRequirement as error:
        return [Problem(pyproject_path, f"a dependency is not a valid requirement: {error}")]
    packages = {_normal(item.get("name", "")): item for item in lock.get("package", []) if isinstance(item, dict)}
    root = packages.get(_normal(str(project.get("name", ""))))
    if root is None:
        return [Problem(lock_path, f"the lock was not made for the project {project.get('name')!r}: {rerun}")]
    locked_requirements = {_normal(item.get("name", "")) for item in root.get("metadata", {}).get("requires-dist", [])}
    if locked_requirements != {_normal(requirement.name) for requirement in declared}:
        return [Problem(lock_path, f"the lock is out of date with pyproject.toml's dependencies: {rerun}")]
    problems = []
    for requirement in declared:
        locked = packages.get(_normal(requirement.name))
        if locked is None:
            problems.append(Problem(lock_path, f"{requirement.name} is declared but not locked: {rerun}"))
            continue
        try:
            version = Version(str(locked.get("version", "")))
        except InvalidVersion:
            problems.append(Problem(lock_path, f"{requirement.name} is locked without a version: {rerun}"))
            continue
        if not requirement.specifier.contains(version, prereleases=True):
            problems.append(
                Problem(lock_path, f"{requirement.name} {version} does not satisfy the declared {requirement}: {rerun}")
            )
    for name, item in sorted(packages.items()):
        if item is not root and "version" not in item:
            problems.append(Problem(lock_path, f"{name} is locked without an exact version: {rerun}"))
        for dependency in item.get("dependencies", []):
            if _normal(dependency.get("name", "")) not in packages:
                problems.append(
                    Problem(lock_path, f"the lock is incomplete: {name} depends on {dependency.get('name')}, "
                            f"which it does not pin: {rerun}")
                )
    return problems
