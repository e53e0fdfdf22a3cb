"""The JSON format every script in ``benchmarks/`` writes, and its writer.

A report holds goals (a target, the measured value, met or not), tables and bar
plots. The Performance appendix renders the committed reports with the
``{benchmark-results}`` directive, so the site always shows the latest measurement.
"""

from __future__ import annotations

import json
import os
import platform
from dataclasses import asdict, dataclass, field
from datetime import datetime, timezone
from importlib import metadata
from pathlib import Path

RESULTS_DIR = Path("benchmarks") / "results"
_VERSIONED = ("jax", "jaxlib", "diffrax", "equinox", "optax", "jupyter-book", "myst-nb", "torch")


@dataclass
class Goal:
    description: str
    measured: str
    met: bool


@dataclass
class Table:
    caption: str
    columns: list[str]
    rows: list[list[object]]


@dataclass
class BarPlot:
    title: str
    ylabel: str
    labels: list[str]
    values: list[float]


@dataclass
class Report:
    name: str
    title: str
    summary: str
    goals: list[Goal] = field(default_factory=list)
    tables: list[Table] = field(default_factory=list)
    plots: list[BarPlot] = field(default_factory=list)

    def to_json(self) -> dict:
        return {
            **asdict(self),
            "date": datetime.now(timezone.utc).strftime("%Y-%m-%d %H:%M UTC"),
            "machine": machine_description(),
            "versions": _versions(),
        }


def machine_description() -> dict:
    memory_gb = None
    if hasattr(os, "sysconf") and "SC_PHYS_PAGES" in os.sysconf_names:
        memory_gb = round(os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 2**30, 1)
    return {
        "cpus": os.cpu_count(),
        "memory_gb": memory_gb,
        "platform": f"{platform.system()} {platform.machine()}",
        "python": platform.python_version(),
    }


def _versions() -> dict[str, str]:
    versions = {}
    for name in _VERSIONED:
        try:
            versions[name] = metadata.version(name)
        except metadata.PackageNotFoundError:
            continue
    return versions


def write_report(report: Report, root: Path = Path(".")) -> Path:
    """Write ``benchmarks/results/<name>.json`` under ``root`` and return its path."""
    path = root / RESULTS_DIR / f"{report.name}.json"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(report.to_json(), indent=2) + "\n", encoding="utf-8")
    return path


def read_report(path: Path) -> dict:
    data = json.loads(path.read_text(encoding="utf-8"))
    missing = {"name", "title", "summary", "date", "machine", "goals", "tables", "plots"} - set(data)
    if missing:
        raise ValueError(f"{path}: benchmark report lacks {', '.join(sorted(missing))}")
    return data
