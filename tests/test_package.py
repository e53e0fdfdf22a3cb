import subprocess
import sys

import pytest

import scimlkit


def test_every_public_name_resolves():
    for name in scimlkit.__all__:
        assert getattr(scimlkit, name) is not None


def test_unknown_names_raise_attribute_error():
    with pytest.raises(AttributeError, match="no attribute 'nope'"):
        scimlkit.nope  # noqa: B018


def test_importing_the_package_does_not_import_jax():
    code = "import sys, scimlkit, scimlkit.site; print('jax' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"
