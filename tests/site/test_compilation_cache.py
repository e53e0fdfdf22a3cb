"""JAX's persistent compilation cache: kernels fill it by default, never when turned off."""

from __future__ import annotations

import os

import pytest

from scimlkit.site.build.compilation_cache import (
    DIRECTORY_VARIABLE,
    MIN_COMPILE_SECONDS,
    MIN_COMPILE_SECONDS_VARIABLE,
    configure,
)

from .book import lecture, write_mini_book
from .test_shards import run_driver

JITTED = "import jax\nimport jax.numpy as jnp\nprint(jax.jit(lambda x: jnp.cumsum(jnp.sin(x)))(jnp.arange(5.0)))"


# Runs the build driver on a small book (a subprocess with its own kernels).
@pytest.mark.site
@pytest.mark.slow
def test_kernels_fill_the_cache_unless_it_is_turned_off(tmp_path):
    root = write_mini_book(tmp_path / "book", {"jitted": lecture("Jitted", JITTED)})
    for run, flags in (("on", []), ("off", ["--no-compilation-cache"])):
        cache = tmp_path / run / "execution-cache"
        # A fast machine compiles this tiny kernel under the build's 0.1 s threshold, which
        # would leave the cache empty for a reason unrelated to the switch under test.
        env = {"SCIMLKIT_EXECUTION_CACHE": str(cache), MIN_COMPILE_SECONDS_VARIABLE: "0"}
        done = run_driver(root, "--execute-only", *flags, env=env)
        assert done.returncode == 0, done.stdout + done.stderr
        programs = list((tmp_path / run / ".jax_cache").glob("*-cache"))
        if run == "on":
            assert any("jit__lambda" in program.name for program in programs), programs
            assert f"JAX compilation cache: {tmp_path / run / '.jax_cache'}" in done.stdout
        else:
            assert programs == [] and "JAX compilation cache: off" in done.stdout


@pytest.fixture
def unset_cache_variables(monkeypatch):
    """configure() writes os.environ; setting first makes monkeypatch restore it afterwards."""
    for variable in (DIRECTORY_VARIABLE, MIN_COMPILE_SECONDS_VARIABLE):
        monkeypatch.setenv(variable, "")
        monkeypatch.delenv(variable)
    return monkeypatch


def test_programs_that_compile_in_a_tenth_of_a_second_are_kept(tmp_path, unset_cache_variables):
    assert configure(True, tmp_path / "_build" / ".jupyter_cache") == tmp_path / "_build" / ".jax_cache"
    assert os.environ[MIN_COMPILE_SECONDS_VARIABLE] == MIN_COMPILE_SECONDS == "0.1"


def test_a_folder_set_by_the_user_wins(tmp_path, unset_cache_variables):
    unset_cache_variables.setenv(DIRECTORY_VARIABLE, str(tmp_path / "mine"))
    assert configure(True, tmp_path / "_build" / ".jupyter_cache") == tmp_path / "mine"
    assert configure(False, tmp_path / "_build" / ".jupyter_cache") is None
    assert DIRECTORY_VARIABLE not in os.environ
