"""Lint of the GitHub Actions workflows: valid YAML, the jobs and steps the pipeline needs,
fail-fast shell steps, pinned actions, least privilege, and zizmor's security audit."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

WORKFLOWS = Path(__file__).resolve().parents[1] / ".github" / "workflows"
FILES = sorted(WORKFLOWS.glob("*.yml"))
PINNED = re.compile(r"^[\w.-]+/[\w./-]+@[0-9a-f]{40} # v\d+(\.\d+)*$")


def load(path: Path) -> dict:
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    data["on"] = data.pop(True, data.get("on"))  # YAML 1.1 reads the key `on` as true
    return data


def steps(workflow: dict):
    for job_name, job in workflow["jobs"].items():
        for step in job.get("steps", []):
            yield job_name, step


def test_there_are_workflows_to_lint():
    assert {path.name for path in FILES} >= {"publish.yml", "projects.yml"}


@pytest.mark.parametrize("path", FILES, ids=lambda path: path.name)
def test_every_shell_step_fails_fast_and_expands_nothing(path):
    for job_name, step in steps(load(path)):
        if "run" not in step:
            continue
        where = f"{path.name}, job {job_name}, step {step.get('name', step['run'][:40])!r}"
        assert step["run"].lstrip().startswith("set -euo pipefail\n"), f"{where}: must start with set -euo pipefail"
        assert "${{" not in step["run"], f"{where}: pass expressions through env:, not into the script"


@pytest.mark.parametrize("path", FILES, ids=lambda path: path.name)
def test_every_action_is_pinned_to_a_commit_with_its_version_named(path):
    for job_name, step in steps(load(path)):
        if "uses" in step:
            line = next(line for line in path.read_text().splitlines() if f"uses: {step['uses']}" in line)
            reference = line.split("uses:", 1)[1].strip()
            assert PINNED.match(reference), f"{path.name}, job {job_name}: {reference!r} is not pinned as sha # vX.Y.Z"


@pytest.mark.parametrize("path", FILES, ids=lambda path: path.name)
def test_least_privilege(path):
    workflow = load(path)
    assert "permissions" in workflow and not (workflow["permissions"] or {}).get("pages")
    for job_name, job in workflow["jobs"].items():
        permissions = job.get("permissions", workflow["permissions"]) or {}
        writes = {scope for scope, level in permissions.items() if level == "write"}
        if {"pages", "id-token"} & writes:
            assert job_name == "deploy", f"{path.name}: only the deploy job may write to Pages, not {job_name}"
        if writes:
            condition = job.get("if", "")
            runs_on_pull_requests = "pull_request" in workflow["on"] and "github.event_name != 'pull_request'" not in condition
            assert not runs_on_pull_requests, f"{path.name}: job {job_name} could run a pull request with {writes}"


def test_publish_pipeline_has_its_jobs_and_steps():
    workflow = load(WORKFLOWS / "publish.yml")
    jobs = workflow["jobs"]
    assert set(jobs) >= {"test", "plan", "execute", "site", "deploy", "preview"}
    plan = jobs["plan"]["steps"][0]
    assert "vars.SCIMLKIT_SHARDS" in plan["env"]["SHARD_COUNT"]
    assert "vars.SCIMLKIT_GPU_RUNNER" in plan["env"]["GPU_RUNNER"]

    execute = jobs["execute"]
    assert execute["runs-on"] == "${{ needs.plan.outputs.runner }}"
    assert execute["strategy"]["matrix"]["shard"] == "${{ fromJSON(needs.plan.outputs.shards) }}"
    scripts = "\n".join(step.get("run", "") for step in execute["steps"])
    assert "--execute-only --shard" in scripts and "jax[cuda12]" in scripts

    site = jobs["site"]
    assert site["needs"] == ["plan", "execute"]
    scripts = [step.get("run", "") for step in site["steps"]]
    merge = next(index for index, script in enumerate(scripts) if "--merge" in script)
    assert merge < next(index for index, script in enumerate(scripts) if "make pdf" in script)
    assert sum("nothing to execute" in script for script in scripts) == 2, "HTML and PDF execute nothing again"
    uses = [step.get("uses", "") for step in site["steps"]]
    assert any(use.startswith("actions/upload-pages-artifact@") for use in uses)
    assert any(use.startswith("actions/cache/save@") for use in uses)
    cache_upload = [step for step in site["steps"] if step.get("with", {}).get("name") == "execution-cache"]
    assert cache_upload and cache_upload[0]["with"]["include-hidden-files"] is True

    assert jobs["deploy"]["steps"][0]["uses"].startswith("actions/deploy-pages@")
    assert set(jobs["deploy"]["permissions"]) == {"pages", "id-token"}

    preview = jobs["preview"]
    assert preview["if"] == "github.event_name == 'pull_request'"
    uses = [step.get("uses", "") for step in preview["steps"]]
    restore = next(i for i, use in enumerate(uses) if use.startswith("actions/cache/restore@"))
    build = next(i for i, step in enumerate(preview["steps"]) if "make site" in step.get("run", ""))
    upload = next(i for i, use in enumerate(uses) if use.startswith("actions/upload-artifact@"))
    assert restore < build < upload and preview["steps"][upload]["with"]["path"] == "_build/html"
    assert not any(use.startswith("actions/cache/save@") for use in uses), "a pull request never writes the cache"


def test_zizmor_finds_nothing():
    zizmor = Path(sys.executable).with_name("zizmor")
    assert zizmor.exists(), "zizmor is a dev dependency: run make env"
    done = subprocess.run(
        [str(zizmor), "--offline", "--no-progress", str(WORKFLOWS)], capture_output=True, text=True, check=False
    )
    assert done.returncode == 0, done.stdout + done.stderr
