"""Downloaded and Colab notebooks carry plain Markdown: MyST turned into what it means."""

from __future__ import annotations

import json
import re
import textwrap
from pathlib import Path

import nbformat

from scimlkit.site.reader.clean_notebooks import COLLAPSED, Reference, Resolver, clean_notebook
from scimlkit.site.reader.notebooks import COLAB, DOWNLOADS
from tests.packaging.toolkit_env import toolkit_environment

from .book import REPO

RUN_LECTURE = "lectures/01_introduction"  # short enough to run in the test

MYST_LEFTOVERS = [
    (re.compile(r"^\s*(`{3,}|:{3,})\s*\{", re.MULTILINE), "a directive fence"),
    (re.compile(r"\{[A-Za-z][\w:.+-]*\}`"), "a {role}"),
    (re.compile(r"^\([\w.:-]+\)=\s*$", re.MULTILINE), "a (label)= target"),
    (re.compile(r"^:[\w-]+:", re.MULTILINE), "a directive option"),
    (re.compile(r"^%", re.MULTILINE), "a MyST comment"),
]


def myst_leftovers(source: str) -> list[str]:
    """What of MyST a Markdown cell still shows (fenced code blocks are not looked into)."""
    unquoted = re.sub(r"^>[ ]?", "", source, flags=re.MULTILINE)
    outside_code = re.sub(r"^(`{3,})(?!\s*\{)[^\n]*\n.*?^\1\s*$", "", unquoted, flags=re.MULTILINE | re.DOTALL)
    return [what for pattern, what in MYST_LEFTOVERS if pattern.search(outside_code)]


RESOLVER = Resolver(
    site_url="https://example.org/course/",
    labels={"sec-odes": ("lectures/02_odes", "sec-odes", "Ordinary differential equations")},
    equations={"eq-logistic": ("lectures/01_intro", 3)},
    titles={"lectures/02_odes": "ODEs in JAX"},
    references={
        "chen2018": Reference("Chen et al.", "2018", "Chen, Rubanova, Bettencourt, Duvenaud. Neural ODEs. 2018."),
        "kidger2021": Reference("Kidger", "2021", "Patrick Kidger. On neural differential equations. 2021."),
    },
)

LECTURE_MARKDOWN = textwrap.dedent(
    """\
    (sec-intro)=
    # A lecture

    % a comment for authors only
    ```{admonition} What you will learn
    :class: tip
    - neural ODEs {cite}`chen2018`, as {cite:t}`kidger2021` tells;
    - see {ref}`sec-odes`, {ref}`the solvers <sec-odes>`, equation {eq}`eq-logistic` and {doc}`02_odes`.
    ```

    ```{prf:definition} Neural ODE
    :label: def-node

    A *neural ODE* is $\\dot u = f_\\theta(u)$, glued {glue:text}`ratio:.2f` times faster:

    $$
    \\dot u = f_\\theta(u, t)
    $$ (eq-node)
    ```

    :::{note}
    Inline $x^2$ stays, and so does a code block:

    ```python
    print("{cite}`not-a-role-here`")
    ```
    :::

    ```{exercise}
    :label: ex-one

    Do something; compare with {ref}`ex-one`.
    ```

    ```{solution-start} ex-one
    :class: dropdown
    ```
    """
)


def notebook():
    nb = nbformat.v4.new_notebook()
    glue_output = nbformat.v4.new_output(
        "display_data",
        data={"application/papermill.record/text/plain": "41.23456"},
        metadata={"scrapbook": {"name": "ratio", "mime_prefix": "application/papermill.record/"}},
    )
    nb.cells = [
        nbformat.v4.new_markdown_cell(LECTURE_MARKDOWN),
        nbformat.v4.new_code_cell("print(1)", outputs=[glue_output]),
        nbformat.v4.new_markdown_cell("Because.\n\n```{solution-end}\n```\n\n## Summary\n\nDone {cite:p}`chen2018,kidger2021`."),
    ]
    return nb


def markdown_cells(nb) -> list[dict]:
    return [cell for cell in nb["cells"] if cell["cell_type"] == "markdown"]


def test_no_myst_is_left_and_everything_means_what_it_meant():
    cleaned = clean_notebook(notebook(), RESOLVER, "lectures/01_intro")
    sources = [cell["source"] for cell in markdown_cells(cleaned)]
    for source in sources:
        assert myst_leftovers(source) == [], source
    text = "\n".join(sources)
    assert "> **What you will learn**" in text and "> - neural ODEs (Chen et al., 2018), as Kidger (2021) tells;" in text
    assert "[Ordinary differential equations](https://example.org/course/lectures/02_odes.html#sec-odes)" in text
    assert "[the solvers](https://example.org/course/lectures/02_odes.html#sec-odes)" in text
    assert "[(3)](https://example.org/course/lectures/01_intro.html#equation-eq-logistic)" in text
    assert "[ODEs in JAX](https://example.org/course/" in text
    assert "#### Definition 1 (Neural ODE)" in text and "41.23 times faster" in text
    assert "$$\n\\dot u = f_\\theta(u, t)\n$$" in text  # maths intact, its label dropped
    assert 'print("{cite}`not-a-role-here`")' in text  # code is never rewritten
    assert "#### Exercise 1" in text and "compare with Exercise 1." in text
    assert "(Chen et al., 2018; Kidger, 2021)" in text
    assert sources[-1].startswith("## References") and "Neural ODEs" in sources[-1] and "Kidger" in sources[-1]


def test_a_gated_solution_is_a_folded_section_that_ends_at_solution_end():
    cleaned = clean_notebook(notebook(), RESOLVER, "lectures/01_intro")
    cells = cleaned["cells"]
    heading = next(i for i, cell in enumerate(cells) if cell["source"].startswith("#### Solution to Exercise 1"))
    assert cells[heading]["metadata"].get(COLLAPSED) is True
    assert cells[heading + 1]["cell_type"] == "code"  # the solution's code stays where it was
    assert cells[heading + 2]["source"] == "Because."  # the solution's prose, folded with it
    assert cells[heading + 3]["source"].startswith("## Summary")
    assert len({cell.get("id") for cell in cells}) == len(cells)
    nbformat.validate(nbformat.from_dict(cleaned))


# --- the notebooks the built course publishes ------------------------------------------


def published_notebooks(html: Path) -> list[Path]:
    return sorted((html / DOWNLOADS).rglob("*.ipynb")) + sorted((html / COLAB).rglob("*.ipynb"))


def test_every_published_notebook_reads_as_plain_markdown(built_book):
    notebooks = published_notebooks(built_book.html)
    assert any("lectures" in path.parts for path in notebooks)
    labels = {
        label
        for source in REPO.glob("lectures/*.md")
        for label in re.findall(r"^(?::label:\s*(\S+)|\(([\w.:-]+)\)=)", source.read_text(), re.MULTILINE)
        for label in label
        if label
    }
    for path in notebooks:
        for cell in markdown_cells(json.loads(path.read_text())):
            where = f"{path.relative_to(built_book.html)}: {cell['source'][:200]!r}"
            assert myst_leftovers(cell["source"]) == [], where
            words = re.sub(r"\]\([^)]*\)", "]", cell["source"])  # link targets may name labels
            unresolved = [label for label in labels if re.search(rf"(?<![\w-]){re.escape(label)}(?![\w-])", words)]
            assert unresolved == [], f"{where} names labels {unresolved}"


def test_a_downloaded_notebook_runs_in_an_environment_with_only_the_toolkit(built_book, tmp_path):
    """nbclient runs the reader's notebook top to bottom on a kernel from a fresh venv that
    holds the scimlkit wheel and ipykernel only (no myst-nb: sk.glue does nothing there)."""
    from jupyter_client.kernelspec import KernelSpecManager
    from jupyter_client.manager import KernelManager
    from nbclient import NotebookClient

    environment = toolkit_environment(tmp_path / "env", "ipykernel", extras="")
    kernels = tmp_path / "kernels"
    (kernels / "toolkit").mkdir(parents=True)
    (kernels / "toolkit" / "kernel.json").write_text(json.dumps({
        "argv": [str(environment.python), "-m", "ipykernel_launcher", "-f", "{connection_file}"],
        "display_name": "toolkit only", "language": "python",
        "env": {"PYTHONPATH": "", "PYTHONNOUSERSITE": "1"},
    }))
    notebook = nbformat.read(built_book.html / DOWNLOADS / f"{RUN_LECTURE}.ipynb", as_version=4)
    notebook.cells.append(nbformat.v4.new_code_cell(
        "import importlib.util, scimlkit\nprint(scimlkit.__file__, importlib.util.find_spec('myst_nb') is None)"
    ))
    specs = KernelSpecManager(kernel_dirs=[str(kernels)])
    manager = KernelManager(kernel_name="toolkit", kernel_spec_manager=specs)
    work = tmp_path / "run"
    work.mkdir()
    NotebookClient(notebook, km=manager, timeout=600, resources={"metadata": {"path": str(work)}}).execute()
    errors = [out for cell in notebook.cells for out in cell.get("outputs", []) if out.get("output_type") == "error"]
    assert errors == []
    where, no_myst_nb = notebook.cells[-1].outputs[0]["text"].split()
    assert where.startswith(str(environment.python.parents[1])) and no_myst_nb == "True"
