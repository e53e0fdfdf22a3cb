import shutil
from pathlib import Path

import scimlkit
from scimlkit.site.build.context import ExecutionContext, package_digest

PACKAGE = Path(scimlkit.__file__).parent


def copy_package(tmp_path: Path) -> Path:
    target = tmp_path / "scimlkit"
    shutil.copytree(PACKAGE, target, ignore=shutil.ignore_patterns("__pycache__"))
    return target


def test_digest_changes_with_numerical_source(tmp_path):
    package = copy_package(tmp_path)
    before = package_digest(package)
    with (package / "problems.py").open("a") as handle:
        handle.write("\n# an edit\n")
    assert package_digest(package) != before


def test_digest_ignores_the_site_gallery_and_command_line_parts(tmp_path):
    package = copy_package(tmp_path)
    before = package_digest(package)
    (package / "site" / "extra.py").write_text("X = 1\n")
    (package / "cli.py").write_text("# the project command\n")
    (package / "gallery").mkdir(exist_ok=True)
    (package / "gallery" / "schema_extra.py").write_text("Y = 2\n")
    assert package_digest(package) == before


def test_digest_covers_the_lock_file(tmp_path):
    package = copy_package(tmp_path)
    lock = tmp_path / "uv.lock"
    lock.write_text("version = 1\n")
    first = package_digest(package, lock)
    lock.write_text("version = 2\n")
    assert package_digest(package, lock) != first
    assert len(first) == 12


def test_key_names_profile_device_and_digest():
    key = ExecutionContext("gpu", "gpu (1 device: H100)", "0123456789ab").key
    assert key == "gpu profile | gpu (1 device: H100) | scimlkit 0123456789ab"


def test_probed_context_agrees_with_what_jax_reports(monkeypatch):
    """The CPU-only shortcut (no accelerator plugin, no probe) must match JAX itself."""
    from scimlkit.site.build import context

    monkeypatch.delenv(context.PROFILE_VARIABLE, raising=False)
    monkeypatch.delenv(context.DEVICE_VARIABLE, raising=False)
    context.probe_device.cache_clear()
    try:
        assert context.probe_device() == (scimlkit.profile(), scimlkit.device_summary())
    finally:
        context.probe_device.cache_clear()


def test_forced_profile_is_kept_on_a_cpu_only_install(monkeypatch):
    from scimlkit.site.build import context

    monkeypatch.setenv(context.PROFILE_VARIABLE, "gpu")
    monkeypatch.delenv(context.DEVICE_VARIABLE, raising=False)
    context.probe_device.cache_clear()
    try:
        if not context.accelerator_plugins():
            assert context.probe_device() == ("gpu", context.CPU_ONLY_DEVICE)
        else:
            assert context.probe_device()[0] == "gpu"
    finally:
        context.probe_device.cache_clear()


def test_digest_follows_the_benchmark_reports_a_lecture_reads(tmp_path):
    from scimlkit.site.build.context import reports_read_by_lectures

    (tmp_path / "lectures").mkdir()
    (tmp_path / "lectures" / "13_sindy.md").write_text('report = Path("../benchmarks/results/sindy.json")\n')
    results = tmp_path / "benchmarks" / "results"
    results.mkdir(parents=True)
    (results / "sindy.json").write_text('{"ratio": 1.2}\n')
    (results / "build_time.json").write_text('{"seconds": 600}\n')
    assert [path.name for path in reports_read_by_lectures(tmp_path)] == ["sindy.json"]

    def digest() -> str:
        return package_digest(PACKAGE, reports=reports_read_by_lectures(tmp_path))

    before = digest()
    (results / "build_time.json").write_text('{"seconds": 700}\n')  # no lecture reads it
    assert digest() == before
    (results / "sindy.json").write_text('{"ratio": 1.3}\n')  # a re-run benchmark
    assert digest() != before
