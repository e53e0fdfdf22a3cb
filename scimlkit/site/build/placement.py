"""Per-cell device placement and the reduced-scale note, set by the build around each cell.

Small adaptive solves are bound by kernel-launch latency and run faster on the CPU than
on an accelerator, so on a GPU runner only cells tagged ``gpu`` run on the accelerator;
every other cell runs on JAX's CPU backend in the same kernel. On a CPU-only machine a
``gpu`` cell runs at its reduced :func:`scimlkit.budget` sizes, and its output gets a
note that says so, built from the budget calls the cell made.

Nothing of this is in the lecture's code. Two halves talk through one small JSON file:

- in the build's worker process, :class:`CellAnnouncer` is nbclient's ``on_cell_execute``
  hook: before each code cell it writes the cell's number and tags to the file (the
  progress display reads the same file);
- in the kernel, :func:`install` (run at kernel start-up through
  :func:`kernel_arguments`) registers IPython ``pre_run_cell``/``post_run_cell`` hooks
  that read the file, make the chosen device JAX's default for the cell, and add the note.
"""

from __future__ import annotations

import json
import numbers
import os
import re
import time
from pathlib import Path

from .context import DEVICE_VARIABLE

CELL_FILE_VARIABLE = "SCIMLKIT_CELL_FILE"
#: ``platform:index`` of the device ``gpu`` cells use (default: JAX's first device when it
#: is an accelerator). Naming a second CPU device lets the placement be tested without a GPU.
GPU_DEVICE_VARIABLE = "SCIMLKIT_GPU_DEVICE"
GPU_TAG = "gpu"
NOTE_CLASS = "scimlkit-scale-note"


def kernel_arguments() -> list[str]:
    """Command-line arguments that make an IPython kernel install the hooks at start-up."""
    line = "__import__('scimlkit.site.build.placement').site.build.placement.install()"
    return [f"--IPKernelApp.exec_lines={line}"]


class CellAnnouncer:
    """nbclient ``on_cell_execute`` hook: write the next code cell's number and tags."""

    def __init__(self, path: Path, notebook) -> None:
        self.path = path
        code_cells = [index for index, cell in enumerate(notebook.cells) if cell.cell_type == "code"]
        self.number = {index: number for number, index in enumerate(code_cells, start=1)}
        self.total = len(code_cells)

    def __call__(self, cell, cell_index: int, **_) -> None:
        announcement = {
            "cell": self.number.get(cell_index, 0),
            "of": self.total,
            "tags": list(cell.metadata.get("tags", [])),
        }
        partial = self.path.with_suffix(".partial")
        partial.write_text(json.dumps(announcement), encoding="utf-8")
        partial.replace(self.path)  # readers never see half a file


def read_announcement(path: Path) -> dict | None:
    """The cell a worker announced last, or ``None`` before its first cell."""
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None


# What a value's default text shows when it is not meant for a reader: a class, a function.
_UNREADABLE = re.compile(r"<class |<function |<lambda>|<bound method | at 0x[0-9a-f]+")


def readable(value) -> str | None:
    """``value`` as a reader would write it (``float32`` for a dtype class, ``(4, 256)``),
    or None when it has no such text (a function, an optimizer schedule, an object)."""
    if isinstance(value, type):
        return value.__name__  # jnp.float32 is a class
    if isinstance(value, (str, numbers.Real)):
        return str(value)  # numpy scalars too
    if isinstance(value, (tuple, list)):
        parts = [readable(item) for item in value]
        return None if None in parts else f"({', '.join(parts)})"
    import numpy as np

    if isinstance(value, np.dtype):
        return value.name
    return None


def reduced_size(call) -> str:
    """One budget call in the note: ``"300 steps instead of 5000"``.

    Settings passed as dicts are compared key by key (``"training: iterations 1000
    instead of 2000, a different learning_rate"``); a value with no readable text is
    named by what it is (``"the CPU profile's learning-rate schedule"``), never printed.
    """
    what = call.what
    if isinstance(call.cpu, dict) and isinstance(call.gpu, dict):
        parts = []
        for key in [*call.cpu, *(k for k in call.gpu if k not in call.cpu)]:
            cpu, gpu = call.cpu.get(key), call.gpu.get(key)
            if cpu is gpu or (readable(cpu) is not None and readable(cpu) == readable(gpu)):
                continue
            if readable(cpu) is None or readable(gpu) is None:
                parts.append(f"a different {key}")
            else:
                parts.append(f"{key} {readable(cpu)} instead of {readable(gpu)}")
        text = ", ".join(parts) or "the same settings"
        return f"{what}: {text}" if what else text
    cpu, gpu = readable(call.cpu), readable(call.gpu)
    if cpu is None or gpu is None:
        return f"the CPU profile's {what or 'setting'}"
    unit = f" {what}" if what else ""
    return f"{cpu}{unit} instead of {gpu}"


def scale_note(calls) -> str:
    """The note under a ``gpu`` cell that ran at the CPU profile's sizes.

    Refuses (``ValueError``) a note that would show a class or a function's default text
    (``<class 'jax.numpy.float32'>``, ``<function ... at 0x...>``) to the reader.
    """
    reduced = [reduced_size(call) for call in calls if call.cpu is not call.gpu and call.cpu != call.gpu]
    if not reduced:
        return "Ran on the CPU at the CPU profile's reduced scale."
    note = f"Ran on the CPU at reduced scale: {'; '.join(reduced)}."
    if _UNREADABLE.search(note):
        raise ValueError(f"the reduced-scale note {note!r} does not read as prose: name the quantity with "
                         "sk.budget(..., what=...) and pass sizes, not objects")
    return note


def show_scale_note(calls) -> None:
    from html import escape

    from IPython.display import display

    text = scale_note(calls)
    sizes = [{"what": call.what, "cpu": repr(call.cpu), "gpu": repr(call.gpu)} for call in calls]
    display(
        {"text/html": f'<p class="{NOTE_CLASS}">{escape(text)}</p>', "text/plain": text},
        raw=True,
        metadata={"scimlkit": {"reduced_scale": sizes}},
    )


class _KernelHooks:
    """The kernel half: device and note for each cell the build announces, and a record
    of where and how long each cell ran (:func:`cell_records`)."""

    def __init__(self, cell_file: Path, placing: bool) -> None:
        self.cell_file = cell_file
        self.placing = placing
        self.cell: dict | None = None  # the running cell's record; None between cells

    def devices(self):
        import jax

        spec = os.environ.get(GPU_DEVICE_VARIABLE, "").strip()
        if spec:
            platform, _, index = spec.partition(":")
            accelerator = jax.devices(platform)[int(index or 0)]
        else:
            accelerator = jax.devices()[0]
        return accelerator, jax.devices("cpu")[0]

    def before(self, info) -> None:
        from scimlkit.profiles import take_budget_calls

        if info.silent:
            return
        announcement = read_announcement(self.cell_file) or {}
        tags = announcement.get("tags", [])
        self.cell = {"cell": announcement.get("cell"), "tags": tags, "device": "default"}
        take_budget_calls()  # forget calls made by earlier cells
        if self.placing:
            import jax

            accelerator, cpu = self.devices()
            device = accelerator if GPU_TAG in tags else cpu
            jax.config.update("jax_default_device", device)
            self.cell["device"] = f"{device.platform}:{device.id}"
        self.cell["started"] = time.perf_counter()

    def after(self, result) -> None:
        from scimlkit.profiles import profile, take_budget_calls

        if self.cell is None:
            return
        cell, self.cell = self.cell, None
        cell["seconds"] = round(time.perf_counter() - cell.pop("started"), 4)
        calls = take_budget_calls()
        if self.placing:
            import jax

            jax.config.update("jax_default_device", None)
        if GPU_TAG in cell["tags"] and profile() == "cpu":
            show_scale_note(calls)
        with records_file(self.cell_file).open("a", encoding="utf-8") as handle:
            handle.write(json.dumps(cell) + "\n")


def records_file(cell_file: Path) -> Path:
    return cell_file.with_suffix(".cells.jsonl")


def cell_records(cell_file: Path) -> list[dict]:
    """Each executed cell's number, tags, device (``platform:id``, or ``default`` where
    nothing was placed) and seconds, as the kernel wrote them."""
    try:
        lines = records_file(cell_file).read_text(encoding="utf-8").splitlines()
    except OSError:
        return []
    return [json.loads(line) for line in lines if line.strip()]


def install() -> None:
    """Register the hooks in the running IPython kernel (see :func:`kernel_arguments`)."""
    from IPython import get_ipython

    cell_file = os.environ.get(CELL_FILE_VARIABLE)
    shell = get_ipython()
    if not cell_file or shell is None:
        return
    # Placing cells needs a second kind of device: an accelerator, or a named stand-in.
    placing = not os.environ.get(DEVICE_VARIABLE, "cpu").startswith("cpu") or bool(
        os.environ.get(GPU_DEVICE_VARIABLE, "").strip()
    )
    hooks = _KernelHooks(Path(cell_file), placing)
    shell.events.register("pre_run_cell", hooks.before)
    shell.events.register("post_run_cell", hooks.after)


def client_options(cell_file: Path, notebook) -> dict:
    """Options for nbclient's ``NotebookClient`` that put the hooks into the kernel.

    The kernel finds the cell file through its environment, inherited from this worker
    process, which executes one notebook at a time.
    """
    os.environ[CELL_FILE_VARIABLE] = str(cell_file)
    return {"extra_arguments": kernel_arguments(), "on_cell_execute": CellAnnouncer(cell_file, notebook)}
