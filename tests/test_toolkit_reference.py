"""The toolkit's public names: exactly ``__all__``, each documented, each used by a lecture,
each on a page of the Toolkit reference (static checks; the rendering is tested in
tests/site/test_toolkit_reference_site.py)."""

from __future__ import annotations

import ast
import importlib
import inspect
import re
from pathlib import Path

import pytest

import scimlkit
from scimlkit.site.appendix.toolkit_reference import (
    Use,
    code_cells,
    covered_names,
    docstring,
    first_uses,
    public_names,
    returned_classes,
    toolkit_names,
)
from scimlkit.site.build.book import toc_files

REPO = Path(__file__).resolve().parents[1]
LECTURES = [path for path in toc_files(REPO) if path.parent.name == "lectures"]
REFERENCE_PAGES = sorted((REPO / "book" / "reference").glob("*.rst"))
COVERED = covered_names(LECTURES)


def test_dir_shows_exactly_the_public_names():
    assert dir(scimlkit) == sorted(scimlkit.__all__)
    for helper in ("Any", "TYPE_CHECKING", "annotations", "importlib"):
        assert helper not in dir(scimlkit)


@pytest.mark.parametrize("name", scimlkit.__all__)
def test_each_public_name_is_defined_by_the_module_it_is_listed_under(name: str):
    module = importlib.import_module(f"scimlkit.{public_names()[name]}")
    value = getattr(module, name)
    assert getattr(scimlkit, name) is value
    if inspect.isclass(value) or inspect.isroutine(value):
        assert value.__module__ == module.__name__, f"sk.{name} is re-exported from {value.__module__}"


def test_the_type_checking_imports_match_the_exports():
    """Editors and type checkers read the TYPE_CHECKING imports; the lazy loader reads _EXPORTS."""
    tree = ast.parse((REPO / "scimlkit" / "__init__.py").read_text(encoding="utf-8"))
    block = next(node for node in tree.body if isinstance(node, ast.If) and ast.unparse(node.test) == "TYPE_CHECKING")
    imported = {
        alias.name: node.module for node in block.body if isinstance(node, ast.ImportFrom) for alias in node.names
    }
    assert imported == public_names()


@pytest.mark.parametrize("name", scimlkit.__all__)
def test_every_public_name_has_a_docstring(name: str):
    assert docstring(name), (
        f"sk.{name} has no docstring (a value needs a `#:` comment on the line above its assignment)"
    )


@pytest.mark.parametrize("name", scimlkit.__all__)
def test_every_public_name_is_used_by_a_lecture(name: str):
    assert name in COVERED, (
        f"sk.{name}: no lecture in _toc.yml calls it (nor a function that returns it); "
        "give it a lecture that builds it from scratch and then calls the toolkit, or make it private"
    )


def test_every_toolkit_module_has_one_place_in_the_reference():
    documented = []
    for page in REFERENCE_PAGES:
        documented += re.findall(r"^\.\. toolkit-reference:: (\w+)", page.read_text(encoding="utf-8"), re.MULTILINE)
    assert sorted(documented) == sorted(set(public_names().values())), "a module is missing or documented twice"
    toc = {path.relative_to(REPO) for path in toc_files(REPO)}
    assert {page.relative_to(REPO) for page in REFERENCE_PAGES} <= toc, "a reference page is not in _toc.yml"


# --- The scanner the build and these checks share ---------------------------------------


def test_toolkit_names_are_public_sk_attributes_in_order():
    code = "y = sk.solve(sk.lorenz(), ts)  # sk.solve again\nmask.solve(1); sk.not_a_name; np.sk.fit"
    assert toolkit_names(code) == ["solve", "lorenz"]


def test_code_cells_skip_prose_and_cell_options():
    text = (
        "Prose mentions sk.fit.\n\n"
        "```{code-cell} ipython3\n---\nmystnb:\n  figure:\n    caption: sk.glue\n---\nsk.new_figure()\n```\n\n"
        "```python\nsk.solve()\n```\n\n"
        "```{code-cell} ipython3\n:tags: [gpu]\nsk.map_batch(f, xs)\n```\n"
    )
    assert [toolkit_names(cell) for cell in code_cells(text)] == [["new_figure"], ["map_batch"]]


def test_returned_classes_read_the_return_annotation():
    assert returned_classes("fit") == ["FitResult"]
    assert "ODEProblem" in returned_classes("lorenz")
    assert returned_classes("solve") == []


def test_first_uses_follow_reading_order_and_cover_returned_classes():
    cells = [
        ("lectures/a", 2, "from-scratch", "From scratch", ["lorenz"]),
        ("lectures/a", 5, "later", "Later", ["solve", "lorenz"]),
        ("lectures/b", 0, "top", "B", ["fit", "ODEProblem"]),
    ]
    uses = first_uses(cells)
    assert uses["lorenz"] == Use("lectures/a", 2, "from-scratch", "From scratch")
    assert uses["solve"].section == "later"
    # ODEProblem is named in lecture b, but lecture a already got one from sk.lorenz.
    assert uses["ODEProblem"] == Use("lectures/a", 2, "from-scratch", "From scratch", via="lorenz")
    assert uses["FitResult"].via == "fit" and uses["FitResult"].docname == "lectures/b"
