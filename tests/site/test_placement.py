"""Per-cell device placement, the reduced-scale note, and stored GPU outputs in a CPU build.

No GPU here: a second CPU device (XLA's forced host device count) stands in for the
accelerator through ``SCIMLKIT_GPU_DEVICE``, which the placement honours on any machine.
"""

from __future__ import annotations

import json
from datetime import datetime
from hashlib import sha256
from pathlib import Path
from types import SimpleNamespace

import pytest

from scimlkit.profiles import BudgetCall
from scimlkit.site.build.context import ExecutionContext
from scimlkit.site.build.placement import scale_note
from scimlkit.site.build.stored_outputs import adopt, stored_key

from .book import lecture, write_mini_book
from .test_shards import run_driver

GPU_CELL = ":tags: [gpu]\n"


def tag_gpu(text: str, marker: str) -> str:
    """Tag the code cell that starts with ``marker`` as a ``gpu`` cell."""
    fence = "```{code-cell} ipython3\n"
    assert fence + marker in text
    return text.replace(fence + marker, fence + GPU_CELL + marker, 1)


def code_outputs(notebook_file: Path) -> list[str]:
    """Each code cell's outputs as one text (streams and plain-text displays)."""
    notebook = json.loads(notebook_file.read_text())
    texts = []
    for cell in notebook["cells"]:
        if cell["cell_type"] != "code":
            continue
        parts = []
        for output in cell["outputs"]:
            parts.append("".join(output.get("text", "")) + "".join(output.get("data", {}).get("text/plain", "")))
        # A print may reach the notebook as several stream outputs: join them as written.
        texts.append("".join(parts))
    return texts


def test_scale_note_lists_every_reduced_size():
    calls = [
        BudgetCall(cpu=100, gpu=400, chosen="cpu", what="steps"),
        BudgetCall(cpu=64, gpu=64, chosen="cpu", what="width"),
        BudgetCall(cpu=8, gpu=32, chosen="cpu"),
    ]
    assert scale_note(calls) == "Ran on the CPU at reduced scale: 100 steps instead of 400; 8 instead of 32."
    assert "reduced scale" in scale_note([])


def test_scale_note_writes_types_and_settings_as_a_reader_would():
    import jax.numpy as jnp
    import numpy as np
    import optax

    precision = BudgetCall(cpu=jnp.float32, gpu=jnp.float64, chosen="cpu", what="arithmetic")
    assert scale_note([precision]) == "Ran on the CPU at reduced scale: float32 arithmetic instead of float64."
    dtype = BudgetCall(cpu=np.dtype("float32"), gpu=np.dtype("float64"), chosen="cpu", what="arithmetic")
    assert scale_note([dtype]) == "Ran on the CPU at reduced scale: float32 arithmetic instead of float64."
    counts = BudgetCall(cpu=np.int64(100), gpu=np.int64(400), chosen="cpu", what="steps")
    assert scale_note([counts]) == "Ran on the CPU at reduced scale: 100 steps instead of 400."
    widths = BudgetCall(cpu=(4, 256), gpu=(4, 64, 512), chosen="cpu", what="network widths")
    assert "(4, 256) network widths instead of (4, 64, 512)" in scale_note([widths])
    settings = BudgetCall(
        cpu=dict(network="recurrent", iterations=1000, learning_rate=optax.constant_schedule(3e-2), batch=64),
        gpu=dict(network="per_step", iterations=2000, learning_rate=1e-2, batch=64),
        chosen="cpu",
        what="training",
    )
    assert scale_note([settings]) == (
        "Ran on the CPU at reduced scale: training: network recurrent instead of per_step, "
        "iterations 1000 instead of 2000, a different learning_rate."
    )
    schedule = BudgetCall(cpu=optax.constant_schedule(1e-2), gpu=optax.constant_schedule(1e-3), chosen="cpu",
                          what="learning-rate schedule")
    assert scale_note([schedule]) == "Ran on the CPU at reduced scale: the CPU profile's learning-rate schedule."


@pytest.mark.parametrize(
    "cpu, gpu",
    [
        ("<class 'jax.numpy.float32'>", "<class 'jax.numpy.float64'>"),
        ("<function schedule at 0x7f3a2c1d0e50>", "0.01"),
        ("<bound method Model.step of Model()>", "x"),
    ],
)
def test_scale_note_refuses_text_that_does_not_read_as_prose(cpu, gpu):
    # What the notes of lectures 12 and 10 printed before their budget calls said what they count.
    with pytest.raises(ValueError, match="does not read as prose"):
        scale_note([BudgetCall(cpu=cpu, gpu=gpu, chosen="cpu", what="settings")])


# Runs the build driver on a small book (a subprocess with its own kernels).
@pytest.mark.site
@pytest.mark.slow
def test_tagged_cells_run_on_the_accelerator_and_the_others_on_the_cpu(tmp_path):
    text = lecture(
        "Placed",
        "import jax\nimport jax.numpy as jnp\nimport scimlkit as sk",
        "x = jnp.ones(3)\nprint('plain cell on', [d.id for d in x.devices()])\nprint(sk.budget(cpu=1, gpu=2))",
        "y = jax.jit(lambda v: 2 * v)(jnp.arange(3.0))\nprint('gpu cell on', [d.id for d in y.devices()])\n"
        "steps = sk.budget(cpu=100, gpu=400, what='steps')",
        "z = jnp.zeros(2)\nprint('next cell on', [d.id for d in z.devices()])",
        "w = jnp.ones(2)\nprint('second gpu cell on', [d.id for d in w.devices()])",
    )
    text = tag_gpu(text, "y = jax.jit")
    text = tag_gpu(text, "w = jnp.ones")
    root = write_mini_book(tmp_path / "book", {"placed": text})
    env = {
        "XLA_FLAGS": "--xla_force_host_platform_device_count=2",
        "SCIMLKIT_GPU_DEVICE": "cpu:1",
        "SCIMLKIT_EXECUTION_CACHE": str(tmp_path / "cache"),
    }
    done = run_driver(root, "--execute-only", "--bundle", str(tmp_path / "bundle"), env=env)
    assert done.returncode == 0, done.stdout + done.stderr
    imports, plain, gpu, after, second_gpu = code_outputs(tmp_path / "bundle" / "notebooks" / "placed.md.ipynb")
    assert "plain cell on [0]" in plain
    assert "reduced scale" not in plain, "only gpu cells carry the note"
    assert "gpu cell on [1]" in gpu
    assert "Ran on the CPU at reduced scale: 100 steps instead of 400." in gpu
    assert "next cell on [0]" in after, "the device must be set again for every cell"
    assert "second gpu cell on [1]" in second_gpu
    assert "Ran on the CPU at the CPU profile's reduced scale." in second_gpu
    cells = json.loads((tmp_path / "bundle" / "bundle.json").read_text())["notebooks"][0]["cells"]
    assert [(cell["cell"], cell["device"]) for cell in cells] == [
        (1, "cpu:0"), (2, "cpu:0"), (3, "cpu:1"), (4, "cpu:0"), (5, "cpu:1")
    ], "each cell's device is recorded with the executed notebook"
    assert cells[2]["tags"] == ["gpu"] and all(cell["seconds"] > 0 for cell in cells)


def test_a_stored_key_is_used_only_for_the_text_it_was_chosen_for(tmp_path):
    cache = SimpleNamespace(path=str(tmp_path / "cache"), list_cache_records=list)
    source = tmp_path / "heavy.md"
    source.write_text("text")
    assert adopt(cache, [source], tmp_path, ExecutionContext("cpu", "cpu", "abc").key) == [source]
    choices = {"heavy": {"key": "gpu profile | gpu | scimlkit abc", "source_sha256": sha256(b"text").hexdigest()}}
    assert stored_key(choices, "heavy", "text") == "gpu profile | gpu | scimlkit abc"
    assert stored_key(choices, "heavy", "text, edited") is None, "an edited page must not take a GPU key"
    assert stored_key(choices, "other", "text") is None


def heavy_lecture(message: str) -> str:
    text = lecture(
        "Heavy",
        "import os\nimport scimlkit as sk",
        "steps = sk.budget(cpu=100, gpu=400, what='steps')\n"
        "with open(os.environ['COUNTER_FILE'], 'a') as handle:\n"
        "    handle.write('heavy\\n')\n"
        f"print({message!r}, steps)",
    )
    return tag_gpu(text, "steps = sk.budget")


# Runs the build driver on a small book (a subprocess with its own kernels).
@pytest.mark.site
@pytest.mark.slow
def test_cpu_build_shows_stored_gpu_outputs_marked_and_never_passes_cpu_outputs_as_gpu(tmp_path):
    root = write_mini_book(tmp_path / "book", {"heavy": heavy_lecture("trained for")})
    counter = tmp_path / "runs.txt"
    simulated_gpu = {
        "COUNTER_FILE": str(counter),
        "SCIMLKIT_PROFILE": "gpu",
        "SCIMLKIT_DEVICE": "gpu (1 device: Simulated GPU)",
        "SCIMLKIT_EXECUTION_CACHE": str(tmp_path / "gpu-cache"),
    }
    done = run_driver(root, "--execute-only", "--bundle", str(tmp_path / "gpu-bundle"), env=simulated_gpu)
    assert done.returncode == 0, done.stdout + done.stderr
    computed = json.loads((tmp_path / "gpu-bundle" / "bundle.json").read_text())["notebooks"][0]["computed_utc"]

    preview = {"COUNTER_FILE": str(counter), "SCIMLKIT_EXECUTION_CACHE": str(tmp_path / "preview-cache")}
    merged = run_driver(root, "--merge", str(tmp_path / "gpu-bundle"), env=preview)
    assert merged.returncode == 0, merged.stderr
    built = run_driver(root, "--path-output", str(tmp_path / "out"), env=preview)
    assert built.returncode == 0, built.stdout[-3000:] + built.stderr[-3000:]
    assert counter.read_text().split() == ["heavy"], "the CPU build re-executed a lecture with stored GPU outputs"
    page = (tmp_path / "out" / "_build" / "html" / "heavy.html").read_text()
    assert "trained for 400" in page and "reduced scale" not in page
    assert "GPU profile, JAX on gpu (1 device: Simulated GPU)" in page
    assert "stored outputs of a GPU build" in page
    assert datetime.fromisoformat(computed).strftime("%Y-%m-%d %H:%M UTC") in page, "the date it was computed"

    (root / "heavy.md").write_text(heavy_lecture("edited, trained for"))
    built = run_driver(root, "--path-output", str(tmp_path / "out"), env=preview)
    assert built.returncode == 0, built.stdout[-3000:] + built.stderr[-3000:]
    assert counter.read_text().split() == ["heavy", "heavy"]
    page = (tmp_path / "out" / "_build" / "html" / "heavy.html").read_text()
    assert "edited, trained for 100" in page
    assert "Ran on the CPU at reduced scale: 100 steps instead of 400." in page
    assert "CPU profile" in page and "GPU profile" not in page and "stored outputs" not in page
