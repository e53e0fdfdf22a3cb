"""The wheel a reader installs (pip, Colab) carries the whole toolkit and its command."""

from __future__ import annotations

import re
import zipfile

import pytest

from .toolkit_env import REPO, toolkit_environment

pytestmark = [pytest.mark.site, pytest.mark.slow]


@pytest.fixture(scope="module")
def installed(tmp_path_factory):
    return toolkit_environment(tmp_path_factory.mktemp("wheel"))


def test_wheel_ships_every_subpackage_and_the_static_files(installed):
    names = set(zipfile.ZipFile(installed.wheel).namelist())
    for expected in (
        "scimlkit/site/build/driver.py",
        "scimlkit/gallery/check.py",
        "scimlkit/site/gallery_pages/gallery_static/scimlkit-gallery.css",
        "scimlkit/site/reader/reader_static/scimlkit-reader.js",
        "scimlkit/site/reader/reader_static/latex/bbm.sty",
    ):
        assert expected in names, f"{expected} is missing from {installed.wheel.name}"


def test_installed_command_checks_the_example_projects(installed):
    done = installed.run(str(installed.bin / "scimlkit"), "project", "check", "--root", str(REPO / "projects"))
    assert done.returncode == 0, done.stdout + done.stderr
    assert re.search(r"\b[1-9]\d* project\(s\) checked, 0 with problems", done.stderr), done.stderr


def test_installed_package_imports_from_the_venv_not_the_checkout(installed):
    code = (
        "import scimlkit, scimlkit.site, scimlkit.gallery, scimlkit.site.build;"
        "print(scimlkit.__file__); print(scimlkit.site.build.__name__)"
    )
    done = installed.run(str(installed.python), "-c", code, cwd=installed.wheel.parent)
    assert done.returncode == 0, done.stderr
    assert str(installed.python.parents[1]) in done.stdout.splitlines()[0]
