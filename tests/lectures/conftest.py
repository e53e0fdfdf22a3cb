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
def glued(request) -> Callable[[str], dict[str, Any]]:
    """``glued("lectures/07_pdes_method_of_lines")``: that page's glued values by name."""
    exported = request.config.getoption("--executed")
    if exported:
        return lambda docname: glued_values(Path(exported) / f"{Path(docname).name}.ipynb")
    executed = request.getfixturevalue("built_book").html.parent / "jupyter_execute"
    return lambda docname: glued_values(executed / f"{docname}.ipynb")


@pytest.fixture(scope="module")
def values(glued, request) -> dict[str, Any]:
    """The glued values of the page named by the test module's ``PAGE``."""
    return glued(request.module.PAGE)
