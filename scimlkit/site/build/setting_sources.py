"""Where each of the build's settings came from, for the first line the build prints.

A ``SCIMLKIT_*`` variable left over in a shell silently overrides what the build would
detect (a GPU run forced to the CPU profile, a cache in another folder). The build's
first line therefore names each setting's value and its source: the environment,
``_config.yml``, or detection.
"""

from __future__ import annotations

from collections.abc import Mapping

from .book import CACHE_VARIABLE, PDF_VARIABLE
from .context import DEVICE_VARIABLE, PROFILE_VARIABLE, ExecutionContext

PREFIX = "SCIMLKIT_"
KNOWN = (PROFILE_VARIABLE, DEVICE_VARIABLE, CACHE_VARIABLE, PDF_VARIABLE)


def _source(variable: str, environ: Mapping[str, str], otherwise: str) -> str:
    value = environ.get(variable, "").strip()
    return f"from ${variable}={value}" if value else otherwise


def describe(context: ExecutionContext, cache: str, environ: Mapping[str, str]) -> str:
    """``cpu profile (detected) | cpu (1 device: cpu) (detected) | scimlkit … ; execution
    cache … (_config.yml)``; ``environ`` is the environment as the user started the build."""
    parts = [
        f"{context.profile} profile ({_source(PROFILE_VARIABLE, environ, 'detected')})",
        f"{context.device} ({_source(DEVICE_VARIABLE, environ, 'detected')})",
        f"scimlkit {context.digest}",
    ]
    line = " | ".join(parts) + f"; execution cache {cache} ({_source(CACHE_VARIABLE, environ, 'from _config.yml')})"
    pdf = environ.get(PDF_VARIABLE, "").strip()
    if pdf:
        line += f"; course PDF from ${PDF_VARIABLE}={pdf}"
    unknown = sorted(name for name in environ if name.startswith(PREFIX) and name not in KNOWN)
    if unknown:
        line += f"; ignored (not a scimlkit setting): {', '.join('$' + name for name in unknown)}"
    return line
