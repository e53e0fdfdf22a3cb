"""scimlkit: the toolkit behind the *Scientific Machine Learning in Python* course.

The lectures import the public names below. They load on first use, so that tools
which only need a corner of the package (the book's Sphinx extension, the project
command) start without importing JAX.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

__version__ = "0.1.0"

_EXPORTS = {
    "add_relative_noise": "data",
    "train_test_split": "data",
    "COLORS": "plotting",
    "new_figure": "plotting",
    "use_book_style": "plotting",
    "ODEProblem": "problems",
    "logistic_growth": "problems",
    "logistic_growth_exact": "problems",
    "lotka_volterra": "problems",
    "solve": "problems",
    "budget": "profiles",
    "device_summary": "profiles",
    "profile": "profiles",
    "FitResult": "training",
    "fit": "training",
}

__all__ = sorted(_EXPORTS)


def __getattr__(name: str) -> Any:
    if name in _EXPORTS:
        module = importlib.import_module(f".{_EXPORTS[name]}", __name__)
        value = getattr(module, name)
        globals()[name] = value
        return value
    raise AttributeError(f"module 'scimlkit' has no attribute {name!r}")


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(_EXPORTS))


if TYPE_CHECKING:
    from .data import add_relative_noise, train_test_split
    from .plotting import COLORS, new_figure, use_book_style
    from .problems import ODEProblem, logistic_growth, logistic_growth_exact, lotka_volterra, solve
    from .profiles import budget, device_summary, profile
    from .training import FitResult, fit
