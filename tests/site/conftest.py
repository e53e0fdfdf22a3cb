"""Fixtures shared by the site tests: the built course book, a local server, a browser."""

from __future__ import annotations

import functools
import http.server
import threading
from pathlib import Path

import pytest

from .book import REPO, Build, build_book

CHROMIUM = "/usr/bin/chromium"
# Playwright adds --headless and a fresh, empty profile folder itself.
CHROMIUM_FLAGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


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


@pytest.fixture(scope="session")
def site_url(built_book: Build):
    """The built book served on 127.0.0.1 (an ephemeral port), for browser tests."""
    handler = functools.partial(_QuietHandler, directory=str(built_book.html))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()


@pytest.fixture(scope="session")
def browser():
    """Debian's headless Chromium driven by Playwright (never a downloaded browser)."""
    if not Path(CHROMIUM).exists():
        pytest.fail(f"{CHROMIUM} is missing: run `make test`, which installs Debian's chromium")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        instance = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_FLAGS)
        yield instance
        instance.close()


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format, *args):  # noqa: A002 - signature fixed by the base class
        pass
