"""A build spread over machines: shard selection, bundles, merge, and a final build that
executes nothing a shard did."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from datetime import datetime
from pathlib import Path
from types import SimpleNamespace

import pytest

from scimlkit.site.build.context import ExecutionContext
from scimlkit.site.build.shards import Shard, expected_seconds, key_problem, select, split

from .book import lecture, write_mini_book

LECTURES = ("alpha", "beta", "gamma")


def run_driver(root: Path, *args: str, env: dict[str, str]) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "scimlkit.site.build", "--root", str(root), *args],
        cwd=root, env={**os.environ, **env}, capture_output=True, text=True, check=False,
    )


def test_shard_is_parsed_with_clear_messages():
    assert Shard.parse("2/4") == Shard(2, 4)
    with pytest.raises(ValueError, match="write it as I/N"):
        Shard.parse("2-4")
    with pytest.raises(ValueError, match="between 1 and N"):
        Shard.parse("5/4")


def test_split_balances_by_recorded_run_times():
    paths = [Path(f"lectures/{name}.md") for name in "abcde"]
    seconds = dict(zip(paths, [100.0, 90.0, 40.0, 30.0, 20.0]))
    shards = split(paths, seconds, 2)
    loads = [sum(seconds[path] for path in shard) for shard in shards]
    assert sorted(path for shard in shards for path in shard) == sorted(paths), "every lecture exactly once"
    assert loads == [150.0, 130.0], "longest first onto the least loaded shard"
    assert shards[0] == [paths[0], paths[3], paths[4]], "a shard keeps the book's order"


def test_selection_uses_the_latest_recorded_time_and_the_median_for_new_lectures():
    def record(name, seconds, day):
        return SimpleNamespace(uri=f"/elsewhere/lectures/{name}.md", data={"execution_seconds": seconds},
                               created=datetime(2026, 1, day))

    cache = SimpleNamespace(list_cache_records=lambda: [
        record("long", 10.0, 1), record("long", 300.0, 2), record("short", 20.0, 1), record("mid", 100.0, 1),
    ])
    paths = [Path(f"/here/lectures/{name}.md") for name in ("long", "short", "mid", "new")]
    seconds = expected_seconds(paths, {"lectures/long.md": 300.0, "lectures/short.md": 20.0, "lectures/mid.md": 100.0})
    assert seconds[paths[3]] == 100.0, "a lecture never run counts as the median of the known ones"
    first, second = select(paths, cache, Shard(1, 2)), select(paths, cache, Shard(2, 2))
    assert first == [paths[0]] and second == [paths[1], paths[2], paths[3]]


def test_key_check_accepts_own_and_gpu_results_of_the_same_code_only():
    ours = ExecutionContext("cpu", "cpu (1 device: cpu)", "abc")
    assert key_problem(ours.key, ours) is None
    assert key_problem(ExecutionContext("gpu", "gpu (1 device: H200)", "abc").key, ours) is None
    assert "digest" in key_problem(ExecutionContext("cpu", ours.device, "def").key, ours)
    assert "cpu (2 devices: cpu)" in key_problem(ExecutionContext("cpu", "cpu (2 devices: cpu)", "abc").key, ours)
    assert "not an execution key" in key_problem("whatever", ours)


def counted(name: str) -> str:
    return lecture(
        name.title(),
        f"""
        import os
        with open(os.environ["COUNTER_FILE"], "a") as handle:
            handle.write("{name}\\n")
        print("ran {name}")
        """,
    )


@pytest.fixture
def book(tmp_path):
    root = write_mini_book(tmp_path / "book", {name: counted(name) for name in LECTURES})
    counter = tmp_path / "runs.txt"
    return root, counter, {"COUNTER_FILE": str(counter)}


def runs(counter: Path) -> list[str]:
    return counter.read_text().split() if counter.exists() else []


# Runs the build driver on a small book (a subprocess with its own kernels).
@pytest.mark.site
@pytest.mark.slow
def test_two_shards_merged_then_the_build_executes_nothing(book, tmp_path):
    root, counter, env = book
    bundles = []
    for index in (1, 2):
        bundle = tmp_path / f"bundle-{index}"
        done = run_driver(
            root, "--execute-only", "--shard", f"{index}/2", "--bundle", str(bundle),
            env={**env, "SCIMLKIT_EXECUTION_CACHE": str(tmp_path / f"cache-{index}")},
        )
        assert done.returncode == 0, done.stdout + done.stderr
        assert "lectures done" in done.stdout, "a CI log (no terminal) gets plain progress lines"
        bundles.append(bundle)
    assert sorted(runs(counter)) == sorted(LECTURES), "the shards must execute each lecture exactly once"
    sizes = [len(json.loads((bundle / "bundle.json").read_text())["notebooks"]) for bundle in bundles]
    assert sorted(sizes) == [1, 2]

    final = {**env, "SCIMLKIT_EXECUTION_CACHE": str(tmp_path / "final-cache")}
    merged = run_driver(root, "--merge", *map(str, bundles), env=final)
    assert merged.returncode == 0, merged.stdout + merged.stderr
    built = run_driver(root, "--path-output", str(tmp_path / "out"), env=final)
    assert built.returncode == 0, built.stdout[-3000:] + built.stderr[-3000:]
    assert "nothing to execute" in built.stdout
    assert sorted(runs(counter)) == sorted(LECTURES), "the final build executed a lecture a shard had done"
    page = (tmp_path / "out" / "_build" / "html" / "beta.html").read_text()
    assert "ran beta" in page and "scimlkit-provenance" in page


# Runs the build driver on a small book (a subprocess with its own kernels).
@pytest.mark.site
@pytest.mark.slow
def test_bundles_with_a_wrong_key_or_other_code_are_refused(book, tmp_path):
    root, counter, env = book
    bundle = tmp_path / "bundle"
    done = run_driver(root, "--execute-only", "--bundle", str(bundle),
                      env={**env, "SCIMLKIT_EXECUTION_CACHE": str(tmp_path / "cache")})
    assert done.returncode == 0, done.stderr
    target = {**env, "SCIMLKIT_EXECUTION_CACHE": str(tmp_path / "other-cache")}

    manifest = json.loads((bundle / "bundle.json").read_text())
    wrong = ExecutionContext.from_key(manifest["key"])
    forged = dict(manifest, key=ExecutionContext(wrong.profile, wrong.device, "0" * 12).key)
    (bundle / "bundle.json").write_text(json.dumps(forged))
    refused = run_driver(root, "--merge", str(bundle), env=target)
    assert refused.returncode == 1
    assert "bundle refused" in refused.stderr and "digest 000000000000" in refused.stderr

    (bundle / "bundle.json").write_text(json.dumps(manifest))
    (root / "gamma.md").write_text(counted("gamma").replace('print("ran gamma")', 'print("edited")'))
    refused = run_driver(root, "--merge", str(bundle), env=target)
    assert refused.returncode == 1 and "does not match gamma.md" in refused.stderr

    rebuilt = run_driver(root, "--execute-only", env=target)
    assert rebuilt.returncode == 0
    assert runs(counter).count("alpha") == 2, "a refused bundle must add nothing to the cache"


# Runs the build driver on a small book (a subprocess with its own kernels).
@pytest.mark.site
@pytest.mark.slow
def test_shard_without_execute_only_is_refused(book):
    root, _, env = book
    done = run_driver(root, "--shard", "1/2", env=env)
    assert done.returncode == 2 and "add --execute-only" in done.stderr
