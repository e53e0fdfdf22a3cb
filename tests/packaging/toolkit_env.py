"""A fresh virtual environment holding only the built scimlkit wheel, as a reader gets it.

The wheel is built from a copy of the sources (setuptools would otherwise leave
``build/`` and ``*.egg-info`` in the checkout) and installed with uv from the package
index, constrained to the versions of ``uv.lock`` so that uv's cache serves them.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
UV = str(Path(sys.executable).with_name("uv"))


@dataclass(frozen=True)
class ToolkitEnvironment:
    wheel: Path
    python: Path

    @property
    def bin(self) -> Path:
        return self.python.parent

    def run(self, *args: str, cwd: Path = REPO) -> subprocess.CompletedProcess:
        return subprocess.run(args, cwd=cwd, capture_output=True, text=True, check=False)


def _uv(*args: str, cwd: Path) -> None:
    done = subprocess.run([UV, *args], cwd=cwd, capture_output=True, text=True, check=False)
    if done.returncode != 0:
        raise RuntimeError(f"uv {' '.join(args)} failed:\n{done.stdout}\n{done.stderr}")


def build_wheel(work: Path) -> Path:
    source = work / "source"
    source.mkdir(parents=True)
    for name in ("pyproject.toml", "README.md"):
        shutil.copy2(REPO / name, source / name)
    shutil.copytree(REPO / "scimlkit", source / "scimlkit", ignore=shutil.ignore_patterns("__pycache__"))
    _uv("build", "--wheel", "--out-dir", str(work / "dist"), str(source), cwd=work)
    (wheel,) = (work / "dist").glob("scimlkit-*.whl")
    return wheel


def toolkit_environment(work: Path, *extra_packages: str, extras: str = "[projects]") -> ToolkitEnvironment:
    """Build the wheel and install ``scimlkit<extras>`` (and ``extra_packages``) into a new venv."""
    wheel = build_wheel(work)
    constraints = work / "constraints.txt"
    _uv("export", "--frozen", "--no-hashes", "--all-extras", "--all-groups", "--no-emit-project",
        "--output-file", str(constraints), cwd=REPO)
    venv = work / "venv"
    _uv("venv", "--quiet", "--python", sys.executable, str(venv), cwd=work)
    python = venv / "bin" / "python"
    _uv("pip", "install", "--quiet", "--python", str(python), "--constraint", str(constraints),
        f"scimlkit{extras} @ {wheel.as_uri()}", *extra_packages, cwd=work)
    return ToolkitEnvironment(wheel, python)
