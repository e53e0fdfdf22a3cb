import jax.numpy as jnp
import numpy as np
import pytest

from scimlkit.claims import plain_value


def test_scalars_become_python_values():
    assert type(plain_value(jnp.float64(0.25))) is float
    assert type(plain_value(np.int32(7))) is int
    assert plain_value(jnp.asarray(3.0) > 2.0) is True
    assert plain_value("Kvaerno5") == "Kvaerno5"


def test_arrays_are_refused_with_their_shape():
    with pytest.raises(TypeError, match=r"shape \(3,\)"):
        plain_value(jnp.ones(3))


def test_glue_hands_plain_values_to_myst_nb_without_displaying_them(monkeypatch):
    import sys
    import types

    from scimlkit.claims import glue

    calls = []
    fake = types.ModuleType("myst_nb")
    fake.glue = lambda name, value, display=True: calls.append((name, value, display))
    monkeypatch.setitem(sys.modules, "myst_nb", fake)
    glue("error", np.float64(2.5e-9))
    glue("flag", np.bool_(False))
    assert calls == [("error", 2.5e-9, False), ("flag", False, False)]
    assert type(calls[0][1]) is float
    # Outside the book's toolchain (no myst_nb) glue does nothing, quietly.
    monkeypatch.setitem(sys.modules, "myst_nb", None)
    glue("error", 1.0)


def test_zero_dimensional_arrays_of_each_kind():
    assert plain_value(np.asarray(True)) is True
    assert plain_value(np.asarray(5, dtype=np.int64)) == 5 and type(plain_value(np.asarray(5))) is int
    assert type(plain_value(np.asarray(2.5))) is float
    with pytest.raises(TypeError, match="a number, a bool or a string"):
        plain_value(np.asarray(1 + 2j))
    with pytest.raises(TypeError, match=r"shape \(2, 1\)"):
        plain_value(np.zeros((2, 1)))
