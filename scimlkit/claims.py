"""Claims are data: values a lecture's prose relies on, glued from the run that made them.

A sentence such as "the implicit method took 40x fewer steps" takes its number from the
cell that measured it, through myst-nb's ``glue`` (``{glue:text}`ratio`:.0f`` in the
prose), and a test reads the same glued value from the executed notebook and asserts it
(``tests/lectures/``). This wrapper stores plain Python values (a JAX or NumPy scalar
becomes a ``float``, ``int`` or ``bool``) so that the stored text is a literal the tests
can read back, and it is a no-op where myst-nb is absent (a downloaded notebook in
Colab), so the lecture still runs there.
"""

from __future__ import annotations

import numbers
from typing import Any

import numpy as np

GlueValue = bool | int | float | str


def plain_value(value: Any) -> GlueValue:
    """``value`` as a Python ``bool``, ``int``, ``float`` or ``str``, or a ``TypeError``."""
    if isinstance(value, (bool, np.bool_)):
        return bool(value)
    if isinstance(value, str):
        return value
    array = np.asarray(value)
    if array.shape != ():
        raise TypeError(f"glue a scalar, not an array of shape {array.shape}; reduce it first (e.g. float(x.max()))")
    scalar = array.item()
    if isinstance(scalar, bool):
        return scalar
    if isinstance(scalar, numbers.Integral):
        return int(scalar)
    if isinstance(scalar, numbers.Real):
        return float(scalar)
    raise TypeError(f"glue a number, a bool or a string, not {type(value).__name__}")


def glue(name: str, value: Any) -> None:
    """Store ``value`` under ``name`` for the page's prose and the lecture tests.

    >>> sk.glue("final_error", 1.5e-9)  # the page shows it with {glue:text}`final_error`
    """
    plain = plain_value(value)
    try:
        from myst_nb import glue as myst_glue
    except ImportError:  # a downloaded notebook outside the book's toolchain
        return
    myst_glue(name, plain, display=False)
