import re
from pathlib import Path

import nbformat
import pytest

from scimlkit.site.appendix.benchmark_report import (
    RESULTS_DIR,
    BarPlot,
    Goal,
    Report,
    Table,
    read_report,
    write_report,
)
from scimlkit.site.build.driver import describe_failure


def notebook_with_error():
    nb = nbformat.v4.new_notebook()
    nb.cells = [
        nbformat.v4.new_markdown_cell("# Title"),
        nbformat.v4.new_code_cell("x = 1", execution_count=1),
        nbformat.v4.new_code_cell(
            "1 / 0",
            execution_count=2,
            outputs=[
                nbformat.v4.new_output(
                    "error",
                    ename="ZeroDivisionError",
                    evalue="division by zero",
                    traceback=["\x1b[0;31mZeroDivisionError\x1b[0m: division by zero"],
                )
            ],
        ),
        nbformat.v4.new_code_cell("y = 2"),
    ]
    nb.metadata["source_map"] = [1, 5, 9, 13]
    return nb


def test_failure_message_names_lecture_cell_line_and_exception(tmp_path):
    message = describe_failure(tmp_path / "lecture.md", notebook_with_error(), RuntimeError("boom"))
    assert message.startswith(f"{tmp_path / 'lecture.md'}, line 9: code cell 2 of 3 raised ZeroDivisionError: division by zero")
    assert "--- cell source ---\n1 / 0" in message
    assert "\x1b" not in message


def test_cells_allowed_to_fail_are_not_blamed(tmp_path):
    nb = notebook_with_error()
    nb.cells[2].metadata["tags"] = ["raises-exception"]
    message = describe_failure(tmp_path / "l.md", nb, TimeoutError("Cell execution timed out"))
    # Nothing else errored: the last started cell (the tagged one, by execution count) is named.
    assert "code cell 2 of 3" in message and "TimeoutError" in message


def test_benchmark_report_round_trips(tmp_path):
    report = Report(
        name="demo",
        title="Demo",
        summary="A demonstration.",
        goals=[Goal("under a second", "0.5 s", True)],
        tables=[Table("times", ["case", "seconds"], [["a", 0.5]])],
        plots=[BarPlot("times", "seconds", ["a"], [0.5])],
    )
    path = write_report(report, tmp_path)
    data = read_report(path)
    assert data["goals"][0]["met"] is True and data["tables"][0]["rows"] == [["a", 0.5]]
    assert data["machine"]["cpus"] >= 1 and "jax" in data["versions"]


def test_incomplete_benchmark_report_is_refused(tmp_path):
    path = tmp_path / "bad.json"
    path.write_text('{"name": "x"}')
    with pytest.raises(ValueError, match="lacks"):
        read_report(path)


def test_performance_page_shows_every_committed_benchmark_report():
    # A missing report only warns at build time, and a report nobody includes never shows.
    root = Path(__file__).resolve().parents[2]
    shown = set(re.findall(r"```\{benchmark-results\}\s+(\S+)", (root / "book" / "performance.md").read_text()))
    committed = {path.stem for path in (root / RESULTS_DIR).glob("*.json")}
    assert shown == committed, f"only on the page: {shown - committed}; only committed: {committed - shown}"
    for name in committed:
        read_report(root / RESULTS_DIR / f"{name}.json")


def test_goal_overview_counts_each_reports_goals_and_names_the_unmet():
    from scimlkit.site.appendix.performance import goal_rows

    stiff = {"title": "Stiff", "date": "2026-12-07 14:27 UTC",
             "goals": [{"description": "2x BDF", "measured": "1.21x (worst 1.12x)", "met": False}]}
    sindy = {"title": "SINDy", "date": "2026-12-07 14:20 UTC",
             "goals": [{"description": "same terms", "measured": "1.2e-14", "met": True},
                       {"description": ">= 1x PySINDy", "measured": "2.12x (worst 1.47x)", "met": True}]}
    rows = goal_rows([stiff, {"title": "no goals", "date": "2026-12-07", "goals": []}, sindy])
    assert rows == [("Stiff (2026-12-07)", "0 of 1", "2x BDF: 1.21x (worst 1.12x)"),
                    ("SINDy (2026-12-07)", "2 of 2", "none")]


def test_performance_page_collects_the_goals():
    page = (Path(__file__).resolve().parents[2] / "book" / "performance.md").read_text()
    assert "```{benchmark-goals}" in page


@pytest.fixture
def isolated_environment(monkeypatch):
    """export_context writes os.environ and the probe is cached: undo both."""
    from scimlkit.site.build import context
    from scimlkit.site.build import driver as build

    monkeypatch.setattr(build.os, "environ", dict(build.os.environ))
    build.os.environ.pop(build.GPU_MEMORY_VARIABLE, None)
    context.probe_device.cache_clear()
    yield
    context.probe_device.cache_clear()


def test_gpu_kernels_running_side_by_side_share_the_device_memory(isolated_environment, monkeypatch, tmp_path):
    from scimlkit.site.build import driver as build

    monkeypatch.setenv("SCIMLKIT_PROFILE", "gpu")
    monkeypatch.setenv("SCIMLKIT_DEVICE", "gpu (1 device: NVIDIA H200)")
    assert build.default_jobs() == 2
    build.export_context(tmp_path, jobs=2)
    assert build.os.environ[build.GPU_MEMORY_VARIABLE] == "0.45"


def test_cpu_builds_leave_the_jax_memory_setting_alone(isolated_environment, monkeypatch, tmp_path):
    from scimlkit.site.build import driver as build

    monkeypatch.setenv("SCIMLKIT_PROFILE", "cpu")
    monkeypatch.setenv("SCIMLKIT_DEVICE", "cpu (1 device: cpu)")
    assert build.default_jobs() == (build.os.cpu_count() or 1)
    build.export_context(tmp_path, jobs=2)
    assert build.GPU_MEMORY_VARIABLE not in build.os.environ
