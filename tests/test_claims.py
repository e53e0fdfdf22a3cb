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
