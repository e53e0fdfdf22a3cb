"""The pinned environment: the analysis code must come with a complete lock.

``code/uv.lock`` (made by ``uv lock``) is read and checked against ``code/pyproject.toml``:
it must be made for this project, resolve every declared dependency within its
specifier, and pin every package any locked package depends on (a lock that lists
only the direct dependencies cannot rebuild the environment). Other lock formats and
``requirements`` files of exact ``==`` pins are accepted with the pins checked.
"""

from __future__ import annotations

import re
from pathlib import Path

from .problems import Problem
from .schema import Project

CODE_FOLDER = "code"
LOCK_FILES = ("uv.lock", "pylock.toml", "poetry.lock", "pdm.lock")
PIN_FILES = ("requirements.lock", "requirements.txt")
_EXACT_PIN = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]*(\[[A-Za-z0-9,._-]+\])?==[A-Za-z0-9.+!-]+(\s*;.*)?(\s+--hash=\S+)*$")


def environment_problems(folder: Path, project: Project, yml: Path, lines: dict) -> list[Problem]:
    code = folder / CODE_FOLDER
    if not code.is_dir():
        if project.code is None:
            return [
                Problem(yml, "the analysis code is missing: add a code/ folder with pyproject.toml and a lock file, "
                        "or give the repository's URL in `code`", lines.get(()), "code")
            ]
        return []
    problems = []
    if not (code / "pyproject.toml").is_file():
        problems.append(Problem(code, "code/ needs a pyproject.toml describing the analysis project"))
    if (code / "uv.lock").is_file() and (code / "pyproject.toml").is_file():
        return problems + uv_lock_problems(code)
    if any((code / name).is_file() for name in LOCK_FILES):
        return problems
    pin_files = [code / name for name in PIN_FILES if (code / name).is_file()]
    if not pin_files:
        names = ", ".join(LOCK_FILES + PIN_FILES)
        return problems + [Problem(code, f"no pinned environment: add a lock file or exact pins (one of {names})")]
    for path in pin_files:
        problems += _pin_problems(path)
    return problems


def _pin_problems(path: Path) -> list[Problem]:
    try:
        text = path.read_text(encoding="utf-8")
    except UnicodeDecodeError:
        return [Problem(path, "not UTF-8 text")]
    problems = []
    requirements = 0
    for number, raw in enumerate(text.splitlines(), start=1):
        line = raw.split(" #")[0].strip()
        if not line or line.startswith("#"):
            continue
        requirements += 1
        if not _EXACT_PIN.match(line):
            problems.append(Problem(path, f"{line[:60]!r} is not pinned exactly (write name==version)", number))
    if requirements == 0:
        problems.append(Problem(path, "the file pins no packages"))
    return problems


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
