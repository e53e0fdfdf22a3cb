"""The GPU placement benchmark: it finds every gpu cell, and compares them cell by cell."""

from __future__ import annotations

import importlib.util
import re
from pathlib import Path

SCRIPT = Path(__file__).resolve().parents[1] / "benchmarks" / "gpu_placement.py"
LECTURES = Path(__file__).resolve().parents[1] / "lectures"


def load_script():
    spec = importlib.util.spec_from_file_location("gpu_placement", SCRIPT)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_every_gpu_tagged_cell_of_every_lecture_is_found():
    # Counted independently of the script: a tags line or front matter naming gpu after a code-cell fence.
    tagged = {}
    for path in sorted(LECTURES.glob("*.md")):
        blocks = re.findall(r"```\{code-cell\}[^\n]*\n((?::tags:[^\n]*\n)|(?:---\n.*?\n---\n))?",
                            path.read_text(encoding="utf-8"), flags=re.S)
        numbers = [n for n, header in enumerate(blocks, start=1) if re.search(r"tags:.*\bgpu\b", header or "")]
        if numbers:
            tagged[path.stem] = numbers
    found = load_script().gpu_lectures()
    assert found == tagged
    assert len(found) >= 5 and sum(map(len, found.values())) >= 12  # 05, 08, 10, 12 and 18 today


def test_without_a_gpu_the_report_has_the_cpu_column_and_says_no_gpu_was_measured():
    script = load_script()
    lectures = {"12_pinns": [7, 15]}
    cells = {"CPU": {"12_pinns": {7: ("default", 40.0), 15: ("default", 12.5)}}}
    rows, goals = script.cell_rows(lectures, cells, accelerator=None)
    assert rows == [["12_pinns", 7, 40.0, "no GPU measured", "", ""], ["12_pinns", 15, 12.5, "no GPU measured", "", ""]]
    assert goals == []  # nothing is claimed about a GPU that was not there


def test_on_a_gpu_each_cell_is_compared_with_its_cpu_time_at_the_same_size():
    script = load_script()
    lectures = {"18_gpu": [4, 9]}
    cells = {"CPU": {"18_gpu": {4: ("default", 9.0), 9: ("default", 1.0)}},
             "GPU": {"18_gpu": {4: ("cuda:0", 2.0), 9: ("cuda:0", 4.0)}}}
    rows, goals = script.cell_rows(lectures, cells, accelerator="gpu: H100")
    assert rows == [["18_gpu", 4, 9.0, "cuda:0", 2.0, "4.50x"], ["18_gpu", 9, 1.0, "cuda:0", 4.0, "0.25x"]]
    assert [goal.met for goal in goals] == [True, False]  # the latency-bound cell is slower on the GPU
    assert "4.50x" in goals[0].measured
