"""Where and with what the book's notebooks execute: profile, device and code digest.

The three together form the *execution key*. It is folded into every lecture's
kernelspec before jupyter-cache hashes the notebook, so outputs computed with another
profile, on another kind of device, or with another version of scimlkit's numerics or
of the locked environment are never served from the cache.
"""

from __future__ import annotations

import hashlib
import importlib.util
import json
import os
import pkgutil
import re
import subprocess
import sys
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import scimlkit
from scimlkit.profiles import forced_profile

DEVICE_VARIABLE = "SCIMLKIT_DEVICE"
PROFILE_VARIABLE = "SCIMLKIT_PROFILE"
#: Parts of scimlkit that lectures never execute: changing them must not re-run lectures.
NON_NUMERIC_PARTS = ("site", "gallery", "cli.py")
LOCK_FILE = "uv.lock"
REPORTS_DIR = Path("benchmarks") / "results"


@dataclass(frozen=True)
class ExecutionContext:
    profile: str
    device: str
    digest: str

    @property
    def key(self) -> str:
        return f"{self.profile} profile | {self.device} | scimlkit {self.digest}"

    @classmethod
    def from_key(cls, key: str) -> ExecutionContext:
        """The context a :attr:`key` was made from (raises ``ValueError`` for other text)."""
        match = re.fullmatch(r"(\w+) profile \| (.+) \| scimlkit (\w+)", key.strip())
        if match is None:
            raise ValueError(f"{key!r} is not an execution key (profile | device | scimlkit digest)")
        return cls(*match.groups())


def package_digest(
    package_dir: Path | None = None, lock_file: Path | None = None, reports: tuple[Path, ...] = ()
) -> str:
    """Hash scimlkit's numerical source files, the lock file and the benchmark reports the
    lectures read (12 hex digits)."""
    package_dir = package_dir or Path(scimlkit.__file__).parent
    digest = hashlib.sha256()
    for path in sorted(package_dir.rglob("*.py")):
        relative = path.relative_to(package_dir)
        if relative.parts[0] in NON_NUMERIC_PARTS or "__pycache__" in relative.parts:
            continue
        digest.update(relative.as_posix().encode())
        digest.update(path.read_bytes())
    if lock_file is not None and lock_file.is_file():
        digest.update(lock_file.read_bytes())
    for report in reports:
        digest.update(report.name.encode())
        digest.update(report.read_bytes())
    return digest.hexdigest()[:12]


def reports_read_by_lectures(book_root: Path) -> tuple[Path, ...]:
    """The committed benchmark reports (``benchmarks/results/*.json``) whose file name a
    lecture's source mentions: a lecture that quotes a report must re-execute when the
    report is re-run, while reports no lecture reads (the build times) change no key."""
    lectures = "".join(path.read_text(encoding="utf-8") for path in sorted((book_root / "lectures").glob("*.md")))
    results = sorted((book_root / REPORTS_DIR).glob("*.json"))
    return tuple(path for path in results if path.name in lectures)


CPU_ONLY_DEVICE = "cpu (1 device: cpu)"


def accelerator_plugins() -> list[str]:
    """Installed JAX backends other than the built-in CPU one (CUDA, ROCm, TPU)."""
    prefixes = ("jax_cuda", "jax_rocm", "libtpu")
    found = [module.name for module in pkgutil.iter_modules() if module.name.startswith(prefixes)]
    namespace = importlib.util.find_spec("jax_plugins")
    if namespace is not None and namespace.submodule_search_locations:
        found += [module.name for module in pkgutil.iter_modules(namespace.submodule_search_locations)]
    return sorted(found)


@lru_cache(maxsize=1)
def probe_device() -> tuple[str, str]:
    """Which profile and JAX device the kernels will get.

    Environment variables set by the build driver answer first. Without an accelerator
    plugin JAX can only use its single CPU device, which needs no probe (this keeps a
    warm rebuild fast). Otherwise a fresh interpreter asks JAX; a subprocess keeps JAX,
    and any GPU memory it would reserve, out of the Sphinx process.
    """
    profile, device = os.environ.get(PROFILE_VARIABLE), os.environ.get(DEVICE_VARIABLE)
    if profile and device:
        return profile, device
    host_devices_forced = "xla_force_host_platform_device_count" in os.environ.get("XLA_FLAGS", "")
    if not accelerator_plugins() and not host_devices_forced:
        return forced_profile() or "cpu", CPU_ONLY_DEVICE
    code = "import json, scimlkit as s; print(json.dumps([s.profile(), s.device_summary()]))"
    done = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=False
    )
    if done.returncode != 0:
        raise RuntimeError(f"could not determine the execution profile:\n{done.stderr}")
    profile, device = json.loads(done.stdout.strip().splitlines()[-1])
    return profile, device


def execution_context(book_root: Path) -> ExecutionContext:
    profile, device = probe_device()
    return ExecutionContext(
        profile=profile,
        device=device,
        digest=package_digest(lock_file=book_root / LOCK_FILE, reports=reports_read_by_lectures(book_root)),
    )
