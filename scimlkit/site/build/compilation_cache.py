"""JAX's persistent compilation cache for the lectures' kernels.

An edit to scimlkit's numerics re-executes every lecture, and most of a lecture's
time on a CPU goes into compiling the same programs as last time. With the cache on,
kernels load those programs from ``_build/.jax_cache`` instead. It is on by default for
local rebuilds; the cold-build benchmark turns it off (``--no-compilation-cache``) so
that it measures a first build. Outputs do not depend on it: a cached program is the
one XLA would compile again.
"""

from __future__ import annotations

import os
from pathlib import Path

DIRECTORY_VARIABLE = "JAX_COMPILATION_CACHE_DIR"
MIN_COMPILE_SECONDS_VARIABLE = "JAX_PERSISTENT_CACHE_MIN_COMPILE_TIME_SECS"
#: JAX's default keeps only programs that took a second to compile; a lecture's are
#: mostly shorter, and loading even a 0.1 s one from disk is faster than compiling it.
MIN_COMPILE_SECONDS = "0.1"


def add_arguments(parser) -> None:
    parser.add_argument(
        "--no-compilation-cache",
        dest="compilation_cache",
        action="store_false",
        help="compile every JAX program afresh (by default kernels reuse them from _build/.jax_cache)",
    )


def configure(enabled: bool, execution_cache: Path) -> Path | None:
    """Point the kernels (through their environment) at the cache beside the execution cache.

    A folder the user set in ``JAX_COMPILATION_CACHE_DIR`` wins; disabled, the variable is
    removed so no kernel reads or writes a cache.
    """
    if not enabled:
        os.environ.pop(DIRECTORY_VARIABLE, None)
        return None
    folder = Path(os.environ.setdefault(DIRECTORY_VARIABLE, str(execution_cache.parent / ".jax_cache")))
    os.environ.setdefault(MIN_COMPILE_SECONDS_VARIABLE, MIN_COMPILE_SECONDS)
    return folder
