"""benchmarks/peer_process.py: each framework's worker in its own process, at a set thread count."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path

import pytest

HELPER = Path(__file__).resolve().parents[1] / "benchmarks" / "peer_process.py"


def load_helper():
    spec = importlib.util.spec_from_file_location("peer_process", HELPER)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


WORKER = '''
import os, sys
sys.path.insert(0, {folder!r})
from peer_process import report_result
threads = int(sys.argv[sys.argv.index("--threads") + 1])
report_result({{"omp": os.environ["OMP_NUM_THREADS"], "xla": os.environ["XLA_FLAGS"], "cost": abs(threads - 2)}})
'''


def test_a_worker_runs_in_its_own_process_with_every_pool_at_the_thread_count(tmp_path):
    helper = load_helper()
    script = tmp_path / "worker.py"
    script.write_text(WORKER.format(folder=str(HELPER.parent)))
    one = helper.run_worker(script, "any", 1)
    assert one["omp"] == "1" and "intra_op_parallelism_threads=1" in one["xla"]
    assert "multi_thread_eigen=false" in one["xla"]
    best, trials = helper.fastest_threads(script, "any", "cost")
    assert best == 2 and set(trials) == {1, 2}  # the smaller cost wins, and both trials are kept
    assert trials[2]["omp"] == "2"


def test_a_failing_worker_is_reported_with_its_output(tmp_path):
    helper = load_helper()
    script = tmp_path / "broken.py"
    script.write_text("import sys\nprint('partial output')\nsys.exit(3)\n")
    with pytest.raises(RuntimeError, match="partial output"):
        helper.run_worker(script, "broken", 1)


def test_spread_is_median_minimum_maximum():
    helper = load_helper()
    assert helper.spread([3.0, 1.0, 2.0, 10.0]) == (2.5, 1.0, 10.0)
    assert helper.format_spread([3.0, 1.0, 2.0], ".1f", "x") == "2.0x (1.0 to 3.0x)"


def test_paired_ratio_pairs_the_extremes_against_each_other():
    helper = load_helper()
    # Peer 10, 12, 20 s against ours 4, 5, 8 s: medians 12 / 5; worst 10 / 8; best 20 / 4.
    assert helper.paired_ratio([12.0, 20.0, 10.0], [5.0, 4.0, 8.0]) == (2.4, 1.25, 5.0)


@pytest.mark.parametrize("median, worst, verdict", [
    (2.5, 2.0, "over the whole spread"), (2.0, 1.9, "at the median only"), (1.99, 0.5, "not met")])
def test_goal_verdict_needs_the_whole_spread_for_met(median, worst, verdict):
    assert load_helper().goal_verdict(median, worst, 2.0) == verdict


@pytest.mark.parametrize("threads", [1, 2])
def test_the_child_sees_the_interpreter_of_the_parent(threads, tmp_path):
    helper = load_helper()
    script = tmp_path / "which.py"
    script.write_text(f"import sys\nsys.path.insert(0, {str(HELPER.parent)!r})\n"
                      "from peer_process import report_result\nreport_result({'python': sys.executable})\n")
    assert helper.run_worker(script, "which", threads)["python"] == sys.executable
