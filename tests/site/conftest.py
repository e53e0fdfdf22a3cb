"""Fixtures shared by the site tests: the built course book, a local server, a browser."""

from __future__ import annotations

import functools
import http.server
import threading
from pathlib import Path

import pytest

from .book import REPO, Build

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
        pytest.fail(f"{CHROMIUM} is missing: run `make browsers` as root (or `sudo apt-get install chromium`)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        instance = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_FLAGS)
        yield instance
        instance.close()


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format, *args):  # noqa: A002 - signature fixed by the base class
        pass


def published_prefix() -> str:
    """The URL path the site is published under (``html.baseurl`` in ``_config.yml``)."""
    from urllib.parse import urlsplit

    import yaml

    config = yaml.safe_load((REPO / "_config.yml").read_text(encoding="utf-8"))
    path = urlsplit((config.get("html") or {}).get("baseurl") or "/").path
    return "/" + path.strip("/") + "/" if path.strip("/") else "/"


@pytest.fixture(scope="session")
def published_url(built_book: Build):
    """The built book served as GitHub Pages serves it: under the path of ``html.baseurl``
    (``/course/``), answering a missing page with the site's ``404.html`` and status 404.
    The 404 page links its assets absolutely, so it only works under that prefix."""
    prefix = published_prefix()
    root = built_book.html

    class PagesHandler(_QuietHandler):
        def translate_path(self, path):
            clean = path.split("?", 1)[0].split("#", 1)[0]
            if not clean.startswith(prefix):
                return str(root / "__outside_the_site__")
            return super().translate_path("/" + clean[len(prefix):])

        def send_error(self, code, message=None, explain=None):
            page = root / "404.html"
            if code != 404 or not page.is_file():
                return super().send_error(code, message, explain)
            body = page.read_bytes()
            self.send_response(404)
            self.send_header("Content-Type", "text/html; charset=utf-8")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            if self.command != "HEAD":
                self.wfile.write(body)

    handler = functools.partial(PagesHandler, directory=str(root))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}{prefix}"
    server.shutdown()
