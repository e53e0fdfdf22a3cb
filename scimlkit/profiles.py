"""Problem-size profiles: one lecture, two honest scales.

A cell that needs an accelerator for its full-scale run asks :func:`budget` for its
sizes. On a GPU runner it gets the full size; on a CPU-only machine it gets a smaller
size that still shows the method working. The profile is chosen from JAX's default
backend and can be forced with the ``SCIMLKIT_PROFILE`` environment variable.
"""

from __future__ import annotations

import os
from typing import Literal, TypeVar

Profile = Literal["cpu", "gpu"]
PROFILE_VARIABLE = "SCIMLKIT_PROFILE"
PROFILES: tuple[Profile, ...] = ("cpu", "gpu")
_ACCELERATOR_BACKENDS = frozenset({"gpu", "cuda", "rocm", "tpu"})

T = TypeVar("T")


def forced_profile() -> Profile | None:
    """The profile set by ``SCIMLKIT_PROFILE``, or ``None`` when it is unset or empty."""
    forced = os.environ.get(PROFILE_VARIABLE, "").strip().lower()
    if not forced:
        return None
    if forced not in PROFILES:
        raise ValueError(
            f"{PROFILE_VARIABLE}={os.environ[PROFILE_VARIABLE]!r} is not a profile; "
            f"use one of {', '.join(PROFILES)} or unset it to follow JAX's backend"
        )
    return forced  # type: ignore[return-value]


def profile() -> Profile:
    """Return the active profile, ``"cpu"`` or ``"gpu"``.

    ``SCIMLKIT_PROFILE`` wins when set; otherwise the profile follows the backend JAX
    would run on, so a machine with a working GPU build of JAX gets ``"gpu"``.
    """
    forced = forced_profile()
    if forced is not None:
        return forced
    import jax

    return "gpu" if jax.default_backend() in _ACCELERATOR_BACKENDS else "cpu"


def budget(*, cpu: T, gpu: T) -> T:
    """Pick a problem size by profile: ``n_steps = budget(cpu=300, gpu=5000)``."""
    return gpu if profile() == "gpu" else cpu


def device_summary() -> str:
    """Describe where JAX computes, e.g. ``"cpu (1 device: cpu)"``."""
    import jax

    devices = jax.devices()
    kinds = sorted({device.device_kind for device in devices})
    plural = "device" if len(devices) == 1 else "devices"
    return f"{jax.default_backend()} ({len(devices)} {plural}: {', '.join(kinds)})"
