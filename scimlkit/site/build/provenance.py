"""Say on every executed page when, where and at which profile its outputs were computed,
and above that how long the lecture takes a student (:mod:`.duration`)."""

from __future__ import annotations

from datetime import datetime, timezone

from docutils import nodes
from myst_nb.sphinx_ import NbMetadataCollector
from sphinx.application import Sphinx

from .context import ExecutionContext
from .duration import duration_text, measure
from .execution import keyed_pages, notebook_gpu_cells


def provenance_text(exec_data: dict, profile: str, device: str, gpu_cells: int, *, stored: bool = False) -> str:
    """The provenance line; ``stored``: outputs of another build shown by this one."""
    when = datetime.fromtimestamp(exec_data["mtime"], tz=timezone.utc).strftime("%Y-%m-%d %H:%M UTC")
    runtime = exec_data.get("runtime")
    took = f" in {runtime:.1f} s" if runtime is not None else ""
    text = f"Outputs computed on {when}{took}, {profile.upper()} profile, JAX on {device}."
    if gpu_cells:
        scale = "full" if profile == "gpu" else "reduced CPU"
        plural = "cell" if gpu_cells == 1 else "cells"
        text += f" {gpu_cells} GPU-tagged {plural} ran at the {scale} scale."
    if stored:
        text += " These are stored outputs of a GPU build of the same code, shown by this CPU build."
    return text


def _add_provenance(app: Sphinx, doctree: nodes.document) -> None:
    docname = app.env.docname
    gpu_cells = notebook_gpu_cells(app.env).get(docname)
    exec_data = NbMetadataCollector.get_exec_data(app.env, docname)
    if gpu_cells is None or not exec_data or not exec_data.get("succeeded"):
        return
    # The page's own key, not the build's: it may show stored GPU outputs (stored_outputs).
    context = ExecutionContext.from_key(keyed_pages(app.env)[docname])
    stored = context.key != app.scimlkit_context.key  # type: ignore[attr-defined]
    notes = []
    if exec_data.get("runtime") is not None:
        # Counted before anything is added to the page.
        duration = nodes.container(classes=["scimlkit-duration"])
        duration += nodes.paragraph(text=duration_text(measure(doctree), exec_data["runtime"]))
        notes.append(duration)
    provenance = nodes.container(classes=["scimlkit-provenance"])
    provenance += nodes.paragraph(
        text=provenance_text(exec_data, context.profile, context.device, gpu_cells, stored=stored)
    )
    notes.append(provenance)
    section = next(iter(doctree.findall(nodes.section)), None)
    if section is not None and section.children and isinstance(section[0], nodes.title):
        section[1:1] = notes
    else:
        doctree[0:0] = notes


def setup(app: Sphinx) -> None:
    app.connect("doctree-read", _add_provenance)
