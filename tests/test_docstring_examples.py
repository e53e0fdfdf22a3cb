"""The examples in the toolkit's docstrings run, and every toolkit module has some.

They are what the Toolkit reference shows under each entry, so they must stay true.
Examples may use ``sk``, ``jax``, ``jnp`` and ``np`` without importing them (as the
lectures do); JAX's array printing varies, so they print rounded floats.
"""

from __future__ import annotations

import doctest
import importlib

import jax
import jax.numpy as jnp
import matplotlib
import numpy as np
import pytest

import scimlkit
from scimlkit.site.appendix.toolkit_reference import public_names

MODULES = sorted(set(public_names().values()))


@pytest.mark.parametrize("module", MODULES)
def test_docstring_examples_run(module: str):
    matplotlib.use("Agg")  # an example draws a figure
    found = doctest.DocTestFinder().find(
        importlib.import_module(f"scimlkit.{module}"),
        globs={"sk": scimlkit, "jax": jax, "jnp": jnp, "np": np},
    )
    tests = [test for test in found if test.examples]
    assert tests, f"scimlkit.{module} has no docstring example: add a short one to a public function"
    runner = doctest.DocTestRunner(optionflags=doctest.ELLIPSIS | doctest.NORMALIZE_WHITESPACE)
    report: list[str] = []
    for test in tests:
        runner.run(test, out=report.append)
    assert runner.failures == 0, "".join(report)
