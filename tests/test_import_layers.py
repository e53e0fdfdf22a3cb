"""Imports inside ``scimlkit`` run one way: no circle anywhere.

Every module under ``scimlkit/`` is parsed (not imported) and every ``import`` statement
in it is read, those inside functions included, since a function-level import that runs
back up is still a circle. Relative imports are resolved against the module's package,
and ``from package import name`` counts as an import of ``package.name`` when that is a
module. A circle fails the test with the modules named in order.
"""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parents[1] / "scimlkit"


def module_names(root: Path = PACKAGE) -> dict[str, Path]:
    """Every module of the package under ``root``, by dotted name."""
    names = {}
    for path in sorted(root.rglob("*.py")):
        parts = path.relative_to(root.parent).with_suffix("").parts
        if parts[-1] == "__init__":
            parts = parts[:-1]
        names[".".join(parts)] = path
    return names


def imported_modules(name: str, path: Path, known: set[str]) -> set[str]:
    """The modules of ``known`` that module ``name`` imports, anywhere in its body."""
    is_package = path.name == "__init__.py"
    package = name if is_package else name.rpartition(".")[0]
    found = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"), filename=str(path))):
        if isinstance(node, ast.Import):
            targets = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")
                base = base[: len(base) - (node.level - 1)]
                source = ".".join(base + ([node.module] if node.module else []))
            else:
                source = node.module or ""
            targets = [f"{source}.{alias.name}" for alias in node.names if f"{source}.{alias.name}" in known]
            if len(targets) < len(node.names):
                targets.append(source)  # names defined in the module (or package) itself
        else:
            continue
        for target in targets:
            # ``import a.b.c`` imports a.b.c; a name inside a module counts as the module
            while target and target not in known:
                target = target.rpartition(".")[0]
            if target and target != name:
                found.add(target)
    return found


def import_graph(root: Path = PACKAGE) -> dict[str, set[str]]:
    names = module_names(root)
    return {name: imported_modules(name, path, set(names)) for name, path in names.items()}


def find_cycle(graph: dict[str, set[str]]) -> list[str] | None:
    """One import circle, as ``[a, b, ..., a]``, or ``None`` when there is none."""
    state: dict[str, str] = {}
    trail: list[str] = []

    def visit(node: str) -> list[str] | None:
        state[node] = "open"
        trail.append(node)
        for other in sorted(graph.get(node, ())):
            if state.get(other) == "open":
                return trail[trail.index(other):] + [other]
            if other not in state:
                cycle = visit(other)
                if cycle:
                    return cycle
        state[node] = "done"
        trail.pop()
        return None

    for node in sorted(graph):
        if node not in state:
            cycle = visit(node)
            if cycle:
                return cycle
    return None


def test_the_graph_reads_relative_and_function_level_imports():
    graph = import_graph()
    # a function-level relative import, two packages up (claims check -> build's primitives)
    assert "scimlkit.site.build.book" in graph["scimlkit.site.appendix.claims_check"]
    # ``from . import guard`` is an import of the module guard
    assert "scimlkit.site.build.guard" in graph["scimlkit.site.build.driver"]
    assert "scimlkit.site.build.driver" in graph["scimlkit.site.build.__main__"]


def test_the_cycle_finder_names_a_circle():
    graph = {"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}
    assert find_cycle(graph) == ["a", "b", "c", "a"]
    assert find_cycle({"a": {"b"}, "b": set()}) is None


def test_no_import_circle_in_scimlkit():
    cycle = find_cycle(import_graph())
    assert cycle is None, "import circle: " + " -> ".join(cycle)


@pytest.mark.parametrize(
    "layer",
    ["scimlkit.site.build.book", "scimlkit.site.build.context", "scimlkit.site.build.notebook_key"],
)
def test_the_build_primitives_import_nothing_else_from_the_site(layer):
    site = {name for name in import_graph()[layer] if name.startswith("scimlkit.site")}
    assert site <= {"scimlkit.site.build.notebook_key", "scimlkit.site.build.context"}, site


def test_only_the_commands_import_the_build_driver():
    importers = {name for name, imports in import_graph().items() if "scimlkit.site.build.driver" in imports}
    assert importers == {"scimlkit.site.build.__main__", "scimlkit.site.build.pdf"}


#: Which of the site's packages each may import: one way, down to ``build``.
SITE_LAYERS = {
    "build": set(),
    "reader": {"build"},
    "gallery_pages": {"build", "reader"},
    "appendix": {"build"},
}


def site_package(module: str) -> str | None:
    parts = module.split(".")
    inside = len(parts) >= 3 and parts[:2] == ["scimlkit", "site"] and parts[2] in SITE_LAYERS
    return parts[2] if inside else None


def test_the_site_packages_import_each_other_one_way():
    assert set(SITE_LAYERS) == {path.name for path in (PACKAGE / "site").iterdir() if (path / "__init__.py").is_file()}
    upward = sorted(
        (name, other)
        for name, imports in import_graph().items()
        if site_package(name) is not None
        for other in imports
        if site_package(other) not in (None, site_package(name), *SITE_LAYERS[site_package(name)])
    )
    assert not upward, upward


# The toolkit's two sides (issue 25). Every top-level module is in exactly one set, so a
# new module has to be placed before this test passes.
NUMERICAL = {
    "problems", "solvers", "finite_differences", "convolutions", "reaction_diffusion",
    "implicit_solvers", "compiled_rosenbrock", "sparse_jacobians", "stiffness", "sdes",
    "events", "ensembles", "autodiff", "gradients",
}  # fmt: skip
LEARNING = {
    "neural_odes", "training", "pinns", "trial_solutions", "sindy", "surrogates",
    "estimation", "shooting", "deep_bsde",
}  # fmt: skip
#: Neither side: infrastructure (devices, profiles, figures, glue), the data both use,
#: the command and the two non-numerical packages.
NEITHER = {"__init__", "data", "devices", "profiles", "plotting", "claims", "cli", "gallery", "site"}


def test_every_toolkit_module_is_on_one_side():
    top_level = {path.stem if path.is_file() else path.name for path in PACKAGE.iterdir()}
    top_level = {name for name in top_level if not name.startswith((".", "__pycache__"))}
    placed = [NUMERICAL, LEARNING, NEITHER]
    assert sum(map(len, placed)) == len(set().union(*placed)), "a module is in two sets"
    assert top_level == set().union(*placed), top_level.symmetric_difference(set().union(*placed))


def reachable(graph: dict[str, set[str]], start: str) -> set[str]:
    """Modules ``start`` imports, directly or through others (not through the lazy
    ``scimlkit/__init__.py``, whose imports only serve type checkers)."""
    seen, stack = set(), [start]
    while stack:
        for other in graph.get(stack.pop(), ()):
            if other != "scimlkit" and other not in seen:
                seen.add(other)
                stack.append(other)
    return seen


@pytest.mark.parametrize("module", sorted(NUMERICAL))
def test_the_numerical_side_never_imports_the_learning_side(module):
    graph = import_graph()
    learning = {f"scimlkit.{name}" for name in LEARNING}
    assert not reachable(graph, f"scimlkit.{module}") & learning


def test_the_benchmarks_report_format_loads_no_sphinx():
    """Every script in benchmarks/ imports it; a benchmark needs none of the site."""
    code = "import sys, scimlkit.site.appendix.benchmark_report; print(sorted(m for m in sys.modules if m.startswith(('sphinx', 'docutils', 'myst_nb'))))"
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True, cwd=PACKAGE.parent)
    assert done.stdout.strip() == "[]", done.stdout
