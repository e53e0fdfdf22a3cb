"""Test-wide settings and the one course build that site and lecture tests share."""

import jax
import pytest

from tests.site.book import REPO, Build, build_book

jax.config.update("jax_enable_x64", True)


def pytest_addoption(parser):
    parser.addoption(
        "--executed",
        metavar="DIR",
        help="read lectures' glued values from DIR/<stem>.ipynb (written by the build driver's --export) "
        "instead of building the whole book",
    )



@pytest.fixture(scope="session")
def built_book(tmp_path_factory) -> Build:
    """The real course book, built once per test session into a temporary folder.

    It shares the repository's execution cache (keyed on content, so sharing is safe):
    after ``make site`` nothing re-executes; on a clean clone everything does.
    """
    output = tmp_path_factory.mktemp("book")
    build = build_book(REPO, output)
    if build.returncode != 0:
        pytest.fail(f"the book failed to build:\n{build.log[-6000:]}")
    return build


# Fixtures that need the built course book, or a browser, mark the tests that use them.
_SITE_FIXTURES = {"built_book", "site_url", "published_url"}


def pytest_collection_modifyitems(items):
    for item in items:
        names = set(getattr(item, "fixturenames", ()))
        if "browser" in names:
            item.add_marker(pytest.mark.browser)
        if names & _SITE_FIXTURES or "browser" in names:
            item.add_marker(pytest.mark.site)
            item.add_marker(pytest.mark.slow)
