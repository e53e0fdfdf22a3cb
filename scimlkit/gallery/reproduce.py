"""``scimlkit project reproduce <slug>``: rebuild a project's figures from its lock.

A copy of the project is made in a temporary folder, a fresh environment is created
there from ``code/uv.lock`` exactly (``uv sync --frozen``: nothing is resolved again,
packages come from the package index or uv's cache), and the command named in
``code/pyproject.toml``'s ``[tool.scimlkit] reproduce`` runs in ``code/`` with that
environment. Every file under ``figures/`` is then compared with the committed one,
images within a tolerance (``figure_diff``), with a difference image written for each
that differs. The committed project is never written to.
"""

from __future__ import annotations

import os
import shlex
import shutil
import subprocess
import tempfile
import time
import tomllib
from dataclasses import dataclass, field
from pathlib import Path

from .environment import CODE_FOLDER, uv_lock_problems
from .figure_diff import RMS_TOLERANCE, FigureComparison, compare_figures
from .scaffold import uv_command

FIGURES = "figures"
DEFAULT_TIMEOUT_S = 900


class ReproduceError(RuntimeError):
    """The figures could not be rebuilt (no command, no lock, the environment or the run failed)."""


@dataclass
class Reproduction:
    slug: str
    command: str
    identical: list[str] = field(default_factory=list)
    close: dict[str, FigureComparison] = field(default_factory=dict)  # within the tolerance
    different: dict[str, FigureComparison] = field(default_factory=dict)
    missing: list[str] = field(default_factory=list)  # committed, but not made by the code
    tolerance: float = RMS_TOLERANCE
    diff_folder: Path | None = None
    setup_s: float = 0.0
    run_s: float = 0.0

    @property
    def reproduced(self) -> bool:
        return bool(self.identical or self.close) and not self.different and not self.missing

    def summary(self) -> str:
        """Markdown for a pull request: the verdict and the figures that differ."""
        verdict = "figures reproduced" if self.reproduced else "figures differ"
        lines = [
            f"### `{self.slug}`: {verdict}",
            "",
            f"`{self.command}` in a fresh environment from `code/uv.lock` "
            f"(environment {self.setup_s:.0f} s, run {self.run_s:.0f} s); images compared within an RMS "
            f"difference of {self.tolerance:g} (0-255 scale).",
            "",
            f"- identical: {len(self.identical)}",
        ]
        lines += [f"- within tolerance: `{name}`: {found.describe()}" for name, found in self.close.items()]
        lines += [f"- **differs**: `{name}`: {found.describe()}" for name, found in self.different.items()]
        lines += [f"- **not made by the code**: `{name}`" for name in self.missing]
        if self.different and self.diff_folder is not None:
            lines += ["", f"Difference images (darkest where the figures differ most): `{self.diff_folder}`"]
        return "\n".join(lines) + "\n"


def figure_tolerance(code: Path) -> float:
    """``[tool.scimlkit] figure_tolerance`` of ``code/pyproject.toml``, else the default."""
    try:
        pyproject = tomllib.loads((code / "pyproject.toml").read_text(encoding="utf-8"))
    except (OSError, tomllib.TOMLDecodeError):
        return RMS_TOLERANCE
    value = pyproject.get("tool", {}).get("scimlkit", {}).get("figure_tolerance", RMS_TOLERANCE)
    if isinstance(value, bool) or not isinstance(value, (int, float)) or value < 0:
        raise ReproduceError(f"{code / 'pyproject.toml'}: figure_tolerance must be a number >= 0, not {value!r}")
    return float(value)


def reproduce_command(code: Path) -> str:
    try:
        pyproject = tomllib.loads((code / "pyproject.toml").read_text(encoding="utf-8"))
    except (OSError, tomllib.TOMLDecodeError) as error:
        raise ReproduceError(f"cannot read {code / 'pyproject.toml'}: {error}") from None
    command = pyproject.get("tool", {}).get("scimlkit", {}).get("reproduce")
    if not isinstance(command, str) or not command.strip():
        raise ReproduceError(
            f"{code / 'pyproject.toml'} names no command: add [tool.scimlkit] reproduce = \"python make_figures.py\""
        )
    return command


def _run(command: list[str], *, cwd: Path, env: dict[str, str], timeout: float, what: str) -> None:
    try:
        done = subprocess.run(command, cwd=cwd, env=env, capture_output=True, text=True, timeout=timeout, check=False)
    except subprocess.TimeoutExpired:
        raise ReproduceError(f"{what} took longer than {timeout:.0f} s") from None
    except FileNotFoundError as error:
        raise ReproduceError(f"{what} could not start: {error}") from None
    if done.returncode != 0:
        raise ReproduceError(f"{what} failed (exit {done.returncode}):\n{(done.stdout + done.stderr)[-3000:]}")


def reproduce(folder: Path, *, timeout: float = DEFAULT_TIMEOUT_S, diff_folder: Path | None = None) -> Reproduction:
    """Rebuild ``folder``'s figures in a fresh environment and compare them with the committed
    ones; a difference image of each figure that differs goes to ``diff_folder`` (by default
    a folder named after the project in the system's temporary folder)."""
    code = folder / CODE_FOLDER
    if not (code / "uv.lock").is_file():
        raise ReproduceError(f"{code} has no uv.lock: run `uv lock` there first")
    problems = uv_lock_problems(code)
    if problems:
        raise ReproduceError("; ".join(str(problem) for problem in problems))
    command = reproduce_command(code)
    diff_folder = diff_folder or Path(tempfile.gettempdir()) / f"scimlkit-reproduce-{folder.name}"
    result = Reproduction(folder.name, command, tolerance=figure_tolerance(code), diff_folder=diff_folder)
    shutil.rmtree(diff_folder, ignore_errors=True)  # no difference image left from an earlier run
    deadline = time.monotonic() + timeout
    with tempfile.TemporaryDirectory(prefix=f"reproduce-{folder.name}-") as temporary:
        work = Path(temporary) / folder.name
        shutil.copytree(folder, work, ignore=shutil.ignore_patterns(".venv", "__pycache__", ".*"))
        # Only what the code draws may be compared: the committed figures leave the copy.
        shutil.rmtree(work / FIGURES, ignore_errors=True)
        (work / FIGURES).mkdir()
        environment = Path(temporary) / "env"
        env = {
            key: value for key, value in os.environ.items()
            if key not in ("VIRTUAL_ENV", "PYTHONPATH", "PYTHONHOME", "UV_PROJECT_ENVIRONMENT")
        }
        env["UV_PROJECT_ENVIRONMENT"] = str(environment)
        started = time.monotonic()
        _run([uv_command(), "sync", "--frozen", "--no-install-project", "--directory", str(work / CODE_FOLDER)],
             cwd=work / CODE_FOLDER, env=env, timeout=max(1.0, deadline - time.monotonic()),
             what="creating the environment from uv.lock")
        result.setup_s = time.monotonic() - started
        env.pop("UV_PROJECT_ENVIRONMENT")
        env.update(VIRTUAL_ENV=str(environment), PATH=f"{environment / 'bin'}{os.pathsep}{env.get('PATH', '')}",
                   MPLBACKEND="Agg")
        started = time.monotonic()
        _run(shlex.split(command), cwd=work / CODE_FOLDER, env=env, timeout=max(1.0, deadline - time.monotonic()),
             what=f"`{command}`")
        result.run_s = time.monotonic() - started
        committed, rebuilt = folder / FIGURES, work / FIGURES
        for path in sorted(committed.rglob("*")) if committed.is_dir() else []:
            if not path.is_file():
                continue
            name = path.relative_to(folder).as_posix()
            twin = rebuilt / path.relative_to(committed)
            if not twin.is_file():
                result.missing.append(name)
                continue
            diff_image = diff_folder / path.relative_to(committed).with_suffix(".diff.png")
            found = compare_figures(path, twin, tolerance=result.tolerance, diff_image=diff_image)
            if found.verdict == "identical":
                result.identical.append(name)
            elif found.verdict == "within tolerance":
                result.close[name] = found
            else:
                result.different[name] = found
    return result
