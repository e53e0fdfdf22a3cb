"""Problem-size profiles: one lecture, two honest scales.

A cell that needs an accelerator for its full-scale run asks :func:`budget` for its
sizes. On a GPU runner it gets the full size; on a CPU-only machine it gets a smaller
size that still shows the method working. The profile is chosen from JAX's default
backend and can be forced with the ``SCIMLKIT_PROFILE`` environment variable.
"""

from __future__ import annotations

import os
from collections import deque
from dataclasses import dataclass
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


@dataclass(frozen=True)
class BudgetCall:
    """One :func:`budget` call: both sizes, the one the profile chose, and what they count."""

    cpu: object
    gpu: object
    chosen: Profile
    what: str | None = None

    def reduced(self) -> str:
        """``"100 steps instead of 400"`` (without ``what``: ``"100 instead of 400"``)."""
        unit = f" {self.what}" if self.what else ""
        return f"{self.cpu}{unit} instead of {self.gpu}"


# The build reads the calls a cell made to say on a CPU build how much smaller its run was
# (scimlkit.site.build.placement); bounded so a budget called in a loop cannot grow it.
_BUDGET_CALLS: deque[BudgetCall] = deque(maxlen=32)


def budget(*, cpu: T, gpu: T, what: str | None = None) -> T:
    """Pick a problem size by profile: ``n_steps = budget(cpu=300, gpu=5000, what="steps")``.

    ``what`` names the quantity for the note a CPU build adds under a ``gpu`` cell
    ("ran on the CPU at reduced scale: 300 steps instead of 5000").

    >>> n_steps = sk.budget(cpu=200, gpu=5000)
    >>> n_steps == (200 if sk.profile() == "cpu" else 5000)
    True
    """
    chosen = profile()
    _BUDGET_CALLS.append(BudgetCall(cpu=cpu, gpu=gpu, chosen=chosen, what=what))
    return gpu if chosen == "gpu" else cpu


def take_budget_calls() -> list[BudgetCall]:
    """The :func:`budget` calls made since the last take, oldest first; forgets them."""
    calls = list(_BUDGET_CALLS)
    _BUDGET_CALLS.clear()
    return calls


def device_summary() -> str:
    """Describe where JAX computes, e.g. ``"cpu (1 device: cpu)"``."""
    import jax

    devices = jax.devices()
    kinds = sorted({device.device_kind for device in devices})
    plural = "device" if len(devices) == 1 else "devices"
    return f"{jax.default_backend()} ({len(devices)} {plural}: {', '.join(kinds)})"
