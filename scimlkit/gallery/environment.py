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
#: pip options that say where packages come from, not which: allowed among exact pins.
_HARMLESS_OPTIONS = ("--index-url", "-i", "--extra-index-url", "--find-links", "-f", "--no-index",
                     "--only-binary", "--no-binary", "--prefer-binary", "--require-hashes", "--trusted-host")


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
    for number, line in _logical_lines(text):
        if line.startswith("-"):
            option = line.split("=")[0].split()[0]
            if option not in _HARMLESS_OPTIONS:
                problems.append(Problem(path, f"{line[:60]!r} is not a pinned requirement (write name==version)", number))
            continue
        requirements += 1
        reason = _not_exact_reason(line)
        if reason is not None:
            problems.append(Problem(path, f"{line[:60]!r} {reason}", number))
    if requirements == 0:
        problems.append(Problem(path, "the file pins no packages"))
    return problems


def _logical_lines(text: str):
    """(first line number, requirement) pairs: comments dropped, ``\\`` continuations
    joined, as pip reads the file (pip-compile and ``uv export`` put hashes on
    continuation lines)."""
    pending, start = "", 0
    for number, raw in enumerate(text.splitlines(), start=1):
        line = raw if raw.lstrip().startswith("#") else raw.split(" #")[0]
        line = "" if line.lstrip().startswith("#") else line.strip()
        if not pending:
            start = number
        if line.endswith("\\"):
            pending += line[:-1] + " "
            continue
        whole = (pending + line).strip()
        pending = ""
        if whole:
            yield start, whole
    if pending.strip():
        yield start, pending.strip()


def _not_exact_reason(line: str) -> str | None:
    """Why a requirement line does not pin one exact version, or None when it does."""
    from packaging.requirements import InvalidRequirement, Requirement

    words = line.split()
    requirement_text = " ".join(word for word in words if not word.startswith("--hash"))
    try:
        requirement = Requirement(requirement_text)
    except InvalidRequirement as error:
        return f"is not a valid requirement ({error})"
    specifiers = list(requirement.specifier)
    if requirement.url is not None:
        return "is a URL, not a pinned version (write name==version)"
    if len(specifiers) != 1 or specifiers[0].operator not in ("==", "===") or "*" in specifiers[0].version:
        return "is not pinned exactly (write name==version)"
    return None


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
