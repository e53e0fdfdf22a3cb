"""JAX's persistent compilation cache: kernels fill it by default, never when turned off."""

from __future__ import annotations

import os

from scimlkit.site.compilation_cache import configure

from .book import lecture, write_mini_book
from .test_shards import run_driver

JITTED = "import jax\nimport jax.numpy as jnp\nprint(jax.jit(lambda x: jnp.cumsum(jnp.sin(x)))(jnp.arange(5.0)))"


def test_kernels_fill_the_cache_unless_it_is_turned_off(tmp_path):
    root = write_mini_book(tmp_path / "book", {"jitted": lecture("Jitted", JITTED)})
    for run, flags in (("on", []), ("off", ["--no-compilation-cache"])):
        cache = tmp_path / run / "execution-cache"
        done = run_driver(root, "--execute-only", *flags, env={"SCIMLKIT_EXECUTION_CACHE": str(cache)})
        assert done.returncode == 0, done.stdout + done.stderr
        programs = list((tmp_path / run / ".jax_cache").glob("*-cache"))
        if run == "on":
            assert any("jit__lambda" in program.name for program in programs), programs
            assert f"JAX compilation cache: {tmp_path / run / '.jax_cache'}" in done.stdout
        else:
            assert programs == [] and "JAX compilation cache: off" in done.stdout


def test_a_folder_set_by_the_user_wins(tmp_path, monkeypatch):
    monkeypatch.setenv("JAX_COMPILATION_CACHE_DIR", str(tmp_path / "mine"))
    assert configure(True, tmp_path / "_build" / ".jupyter_cache") == tmp_path / "mine"
    assert configure(False, tmp_path / "_build" / ".jupyter_cache") is None
    assert "JAX_COMPILATION_CACHE_DIR" not in os.environ
