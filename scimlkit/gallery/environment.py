"""The pinned environment: the analysis code must come with a lock file or exact pins."""

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
