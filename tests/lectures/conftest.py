"""Lecture tests read the claims each page makes from the built course (marked ``site``)."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from .glued import glued_values


def pytest_collection_modifyitems(items):
    here = Path(__file__).parent
    for item in items:
        if here in Path(item.fspath).parents:
            item.add_marker(pytest.mark.site)


@pytest.fixture(scope="session")
def glued(built_book) -> Callable[[str], dict[str, Any]]:
    """``glued("lectures/04_pdes_method_of_lines")``: that page's glued values by name."""
    # The page's downloadable notebook: myst-nb's own copy in jupyter_execute/ has no
    # outputs when they came from the execution cache (see scimlkit/site/notebooks.py),
    # which is always the case after the build driver's pre-execution.
    executed = built_book.html / "_notebooks"
    return lambda docname: glued_values(executed / f"{docname}.ipynb")
