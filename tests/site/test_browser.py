"""The built site in a real browser: Debian's headless Chromium, driven by Playwright.

Every page is opened from a local server laid out as GitHub Pages publishes the site
(under ``/course/``, see the ``published_url`` fixture), with no network beyond it: maths
can only render if the site serves MathJax itself. Screenshots of the home page and of a
lecture, light and dark, are written to ``_build/screenshots/`` of the repository.
"""

from __future__ import annotations

import json
import subprocess
import sys
import textwrap
from urllib.parse import urljoin, urlsplit

import pytest
import yaml

from scimlkit.site.build.book import toc_files
from scimlkit.site.reader.course_pdf import NAME as PDF_NAME

from .book import REPO, Build

SCREENSHOTS = REPO / "_build" / "screenshots"
TOC_PAGES = [
    path.relative_to(REPO).with_suffix("").as_posix() for path in toc_files(REPO)
]
LECTURES = [page for page in TOC_PAGES if page.startswith("lectures/")]
# Pages Sphinx and its extensions make besides those of the table of contents.
GENERATED_PAGES = ["genindex", "search", "prf-prf"]
PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1280, "height": 900}

# Search must find each lecture by what it teaches. Each new lecture adds its own terms
# here, e.g. ("stiffness", "lectures/<the stiff solvers lecture>"), ("Brusselator", ...),
# ("BSDE", "lectures/<the deep BSDE lecture>").
SEARCH_CASES = [
    ("logistic", "lectures/01_introduction"),
    ("extrapolation", "lectures/01_introduction"),
    ("universal differential equation", "lectures/01_introduction"),
    ("vmap", "lectures/03_jax_for_sciml"),
    ("augmented", "lectures/05_neural_and_universal_odes"),
    ("Fornberg", "lectures/06_finite_differences_and_convolutions"),
    ("Gierer", "lectures/07_pdes_method_of_lines"),
    ("stiffness", "lectures/08_stiffness"),
    ("Saltelli", "lectures/11_parameter_estimation"),
    ("collocation", "lectures/12_pinns"),
    ("Savitzky", "lectures/13_sindy_model_discovery"),
    ("Latin hypercube", "lectures/14_surrogates"),
    ("multiple shooting", "lectures/15_training_diagnostics"),
    ("backsolve", "lectures/16_solvers_and_gradients_for_fitting"),
    ("restitution", "lectures/17_events"),
    ("sharding", "lectures/18_gpu"),
    ("Milstein", "lectures/09_sdes"),
    ("Allen-Cahn", "lectures/10_deep_bsde"),
    ("dual numbers", "lectures/04_automatic_differentiation"),
    # A toolkit function by its name finds its Toolkit reference entry.
    ("solve_rosenbrock_w", "book/reference/solvers_and_problems"),
]


class PageVisit:
    """One page opened in a fresh browser context, with everything that went wrong."""

    def __init__(
        self,
        browser,
        url: str,
        *,
        viewport=DESKTOP,
        color_scheme="light",
        expect_status=200,
    ):
        self.context = browser.new_context(viewport=viewport, color_scheme=color_scheme)
        self.context.set_default_timeout(15000)
        self.page = self.context.new_page()
        self.console_errors: list[str] = []
        self.failed: list[str] = []
        self.page.on("console", self._console)
        self.page.on(
            "pageerror", lambda error: self.console_errors.append(f"uncaught: {error}")
        )
        self.page.on(
            "requestfailed",
            lambda request: self.failed.append(f"{request.url} ({request.failure})"),
        )
        self.page.on("response", self._response)
        self.expect_status, self.url = expect_status, url
        response = self.page.goto(url, wait_until="load")
        assert response is not None and response.status == expect_status, (
            f"{url}: HTTP {response and response.status}"
        )
        self.page.evaluate("document.fonts.ready.then(() => true)")
        self.wait_for_maths()

    def _console(self, message) -> None:
        if message.type != "error":
            return
        # A page asked for on purpose with an error status (the 404 page) is reported by
        # the browser as a failed load of that document; nothing else is let through.
        if (
            message.location.get("url") == self.url
            and f"status of {self.expect_status}" in message.text
        ):
            return
        self.console_errors.append(f"{message.text} at {message.location}")

    def _response(self, response) -> None:
        if response.status >= 400 and not (
            response.url == self.url and response.status == self.expect_status
        ):
            self.failed.append(f"{response.url} (HTTP {response.status})")

    def wait_for_maths(self) -> None:
        has_maths = self.page.evaluate("document.querySelector('.math') !== null")
        if has_maths:
            self.page.wait_for_function(
                "window.MathJax && MathJax.startup && MathJax.startup.promise",
                timeout=15000,
            )
            self.page.evaluate("MathJax.startup.promise.then(() => true)")

    def close(self) -> None:
        self.context.close()


@pytest.fixture
def visit(browser):
    opened: list[PageVisit] = []

    def open_page(url: str, **options) -> PageVisit:
        opened.append(PageVisit(browser, url, **options))
        return opened[-1]

    yield open_page
    for page_visit in opened:
        page_visit.close()


def check_clean_page(visit_: PageVisit, *, social_card: bool = True) -> None:
    page = visit_.page
    assert visit_.console_errors == [], (
        f"{visit_.url}: console errors {visit_.console_errors}"
    )
    page.wait_for_load_state("networkidle")
    assert visit_.failed == [], f"{visit_.url}: failed requests {visit_.failed}"
    images = page.evaluate(
        """() => Array.from(document.images).map(img => ({
              src: img.currentSrc || img.src, loaded: img.complete && img.naturalWidth > 0,
              alt: img.getAttribute('alt'), figure: !!img.closest('figure, .cell_output')}))"""
    )
    for image in images:
        assert image["loaded"], f"{visit_.url}: image {image['src']} did not load"
        # Every image says what it is, or says it is decoration (alt=""); a figure or an
        # executed output always describes itself.
        assert image["alt"] is not None, (
            f"{visit_.url}: image {image['src']} has no alt attribute"
        )
        if image["figure"]:
            assert image["alt"].strip(), (
                f"{visit_.url}: figure {image['src']} has no alt text"
            )
    # Every maths element is typeset, and no TeX delimiters are left in the prose.
    untypeset = page.evaluate(
        "Array.from(document.querySelectorAll('.math')).filter(e => !e.querySelector('mjx-container')).length"
    )
    assert untypeset == 0, f"{visit_.url}: {untypeset} maths element(s) not typeset"
    prose = page.evaluate(
        """() => { const main = document.querySelector('main') || document.body;
                   const copy = main.cloneNode(true);
                   copy.querySelectorAll('pre, code, mjx-container, script').forEach(e => e.remove());
                   return copy.innerText; }"""
    )
    assert "$$" not in prose and "\\begin{" not in prose, (
        f"{visit_.url}: raw TeX left in the page"
    )
    metadata = page.evaluate(
        """() => Object.fromEntries(Array.from(document.querySelectorAll('meta[name="description"], meta[property^="og:"]'))
                                  .map(m => [m.getAttribute('name') || m.getAttribute('property'), m.content]))"""
    )
    wanted = ["description", "og:title", "og:description", "og:url"]
    wanted += ["og:image", "og:image:alt"] if social_card else []
    for key in wanted:
        assert metadata.get(key, "").strip(), f"{visit_.url}: no {key} metadata"
    description = metadata["description"]
    assert not description.startswith("Outputs computed"), "the description is the provenance line"
    assert "min reading, " not in description, "the description is the duration line"


@pytest.mark.parametrize("docname", TOC_PAGES + GENERATED_PAGES)
def test_page_loads_cleanly_with_images_and_maths(
    visit, published_url: str, docname: str
):
    visit_ = visit(f"{published_url}{docname}.html")
    check_clean_page(visit_, social_card=docname not in GENERATED_PAGES)
    if docname in LECTURES:
        assert visit_.page.locator("mjx-container").count() > 0, (
            f"{docname}: no typeset maths"
        )


def test_every_other_built_page_loads_cleanly(
    visit, built_book: Build, published_url: str
):
    checked = set(TOC_PAGES + GENERATED_PAGES + ["index", "404"])
    others = [
        page.relative_to(built_book.html).with_suffix("").as_posix()
        for page in sorted(built_book.html.rglob("*.html"))
        if "_static" not in page.relative_to(built_book.html).parts
    ]
    others = [page for page in others if page not in checked]
    assert others, "expected the project gallery's generated pages here"
    for docname in others:
        check_clean_page(visit(f"{published_url}{docname}.html"))


def test_root_redirects_to_the_home_page(browser, published_url: str):
    context = browser.new_context()
    try:
        page = context.new_page()
        page.goto(published_url)
        page.wait_for_url("**/book/index.html", timeout=10000)
        assert (
            page.locator("main h1")
            .first.inner_text()
            .startswith("Scientific Machine Learning")
        )
    finally:
        context.close()


def test_missing_page_gets_the_404_page(visit, published_url: str):
    visit_ = visit(f"{published_url}lectures/no-such-lecture.html", expect_status=404)
    check_clean_page(visit_, social_card=False)
    text = visit_.page.inner_text("main")
    assert "Page not found" in text or "404" in text
    # Its links go back into the site wherever the reader got lost.
    home = visit_.page.locator("a.navbar-brand, a[href$='book/index.html']").first
    assert home.get_attribute("href").startswith(urlsplit(published_url).path)


@pytest.mark.parametrize("docname", LECTURES)
def test_lecture_offers_notebook_markdown_and_colab(
    visit, published_url: str, docname: str
):
    visit_ = visit(f"{published_url}{docname}.html")
    page = visit_.page

    def fetch(href: str):
        response = page.request.get(urljoin(page.url, href))
        assert response.status == 200, f"{docname}: {href} -> HTTP {response.status}"
        return response

    ipynb = page.locator("a[href*='_notebooks/'][href$='.ipynb']")
    assert ipynb.count() == 1, f"{docname}: no .ipynb download"
    notebook = fetch(ipynb.get_attribute("href")).json()
    outputs = [
        cell
        for cell in notebook["cells"]
        if cell["cell_type"] == "code" and cell.get("outputs")
    ]
    assert outputs, f"{docname}: the downloaded notebook has no outputs"
    assert any(
        o.get("output_type") == "display_data" and "image/png" in o.get("data", {})
        for c in outputs
        for o in c["outputs"]
    )
    assert "source_map" not in notebook["metadata"]
    assert "[" not in notebook["metadata"]["kernelspec"]["display_name"], (
        "the execution key leaked into the kernel name"
    )

    markdown = page.locator("a[href*='_sources/'][href$='.md']")
    assert markdown.count() == 1, f"{docname}: no .md download"
    source = fetch(markdown.get_attribute("href")).text()
    assert source == (REPO / f"{docname}.md").read_text(encoding="utf-8")

    colab = page.locator("a[href^='https://colab.research.google.com/github/']")
    assert colab.count() == 1, f"{docname}: no Open in Colab link"
    path = urlsplit(colab.get_attribute("href")).path
    owner, repo, blob, branch, *rest = path.split("/")[2:]
    config = yaml.safe_load((REPO / "_config.yml").read_text())
    repository = config["repository"]["url"]
    assert repository.rstrip("/").endswith(f"/{owner}/{repo}")
    assert (
        blob == "blob" and branch == config["sphinx"]["config"]["scimlkit_colab_branch"]
    ), path
    assert "/".join(rest) == f"{docname}.ipynb", path
    # The notebook Colab opens is the one the site publishes under _colab/ (the publish
    # workflow pushes that folder to the branch named in the link).
    colab_copy = page.locator("a[href*='_colab/'][href$='.ipynb']")
    assert colab_copy.get_attribute("href").endswith(f"_colab/{'/'.join(rest)}")
    colab_notebook = fetch(colab_copy.get_attribute("href")).json()
    first = colab_notebook["cells"][0]
    assert first["cell_type"] == "code"
    install = "".join(first["source"])
    assert f"git+{repository}" in install
    # Run the first cell as Colab would, with scimlkit missing and pip recorded rather than
    # run, and as here, where scimlkit is installed.
    assert _run_install_cell(install, scimlkit_missing=True) == [
        [
            sys.executable,
            "-m",
            "pip",
            "install",
            "--quiet",
            f"scimlkit @ git+{repository}.git@main",
        ]
    ]
    assert _run_install_cell(install, scimlkit_missing=False) == []
    assert colab_notebook["cells"][1:] == notebook["cells"]


def _run_install_cell(source: str, *, scimlkit_missing: bool) -> list[list[str]]:
    """Run a notebook's install cell in a fresh interpreter; return the commands it ran."""
    prelude = textwrap.dedent(
        f"""
        import importlib.util, json, subprocess
        calls = []
        subprocess.run = lambda command, **options: calls.append(command)
        real_find_spec = importlib.util.find_spec
        if {scimlkit_missing!r}:
            importlib.util.find_spec = lambda name, *a: None if name == "scimlkit" else real_find_spec(name, *a)
        """
    )
    epilogue = "\nprint(json.dumps(calls))\n"
    done = subprocess.run(
        [sys.executable, "-c", prelude + source + epilogue],
        capture_output=True,
        text=True,
        check=True,
    )
    return json.loads(done.stdout.strip().splitlines()[-1])


def test_lecture_has_page_toc_prev_next_copy_buttons_and_definition(
    visit, published_url: str
):
    visit_ = visit(f"{published_url}{LECTURES[0]}.html")
    page = visit_.page
    toc_links = page.locator("#pst-page-toc-nav a")
    assert toc_links.count() >= 4
    assert page.locator(".prev-next-area a.left-prev").count() == 1
    assert page.locator(".prev-next-area a.right-next").count() == 1
    code_blocks = page.locator("div.cell_input pre").count()
    assert code_blocks > 0
    assert page.locator("div.cell_input button.copybtn").count() == code_blocks
    definition = page.locator("div.proof.definition")
    assert definition.count() >= 1
    assert "Definition" in definition.first.inner_text()
    assert definition.first.locator("mjx-container").count() > 0
    citation = definition.first.locator("a[href*='references.html#']").first
    citation.click()
    page.wait_for_url("**/book/references.html#*")
    target = urlsplit(page.url).fragment
    assert page.locator(f"[id='{target}']").count() == 1


def test_exercise_solution_is_hidden_until_clicked(visit, published_url: str):
    page = visit(f"{published_url}{LECTURES[0]}.html").page
    solution = page.locator("div.solution.dropdown").first
    body = solution.locator("section").first
    assert body.is_hidden(), "the solution is visible before the reader asks for it"
    toggle = solution.locator("button.toggle-button")
    assert toggle.count() == 1
    toggle.click()
    body.wait_for(state="visible", timeout=5000)
    assert solution.locator("div.cell_output").first.is_visible()


@pytest.mark.parametrize("term, docname", SEARCH_CASES)
def test_search_finds_the_lecture(visit, published_url: str, term: str, docname: str):
    page = visit(f"{published_url}search.html?q={term}").page
    results = page.locator("#search-results ul.search li a")
    results.first.wait_for(timeout=15000)
    hrefs = [
        urlsplit(urljoin(page.url, results.nth(i).get_attribute("href"))).path
        for i in range(results.count())
    ]
    assert any(href.endswith(f"/{docname}.html") for href in hrefs), (
        f"{term!r} found {hrefs}"
    )


def _luminance(css_colour: str) -> float:
    channels = [
        float(v) / 255
        for v in css_colour[css_colour.index("(") + 1 : -1].split(",")[:3]
    ]
    linear = [
        c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels
    ]
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]


def _contrast(foreground: str, background: str) -> float:
    light, dark = sorted([_luminance(foreground), _luminance(background)], reverse=True)
    return (light + 0.05) / (dark + 0.05)


COLOURS = """() => {
  const style = (sel, prop) => getComputedStyle(document.querySelector(sel))[prop];
  return {theme: document.documentElement.dataset.theme,
          text: style('article p', 'color'), page: style('body', 'backgroundColor'),
          code: style('div.cell_input pre', 'color'), codeBg: style('div.cell_input div.highlight', 'backgroundColor'),
          figureBg: style('div.cell_output img', 'backgroundColor')};
}"""


def test_dark_mode_toggles_and_stays_readable(visit, published_url: str):
    page = visit(f"{published_url}{LECTURES[0]}.html").page
    light = page.evaluate(COLOURS)
    assert light["theme"] == "light"
    for _ in range(3):  # the button cycles through auto, light and dark
        page.locator("button.theme-switch-button").first.click()
        if page.evaluate("document.documentElement.dataset.theme") == "dark":
            break
    dark = page.evaluate(COLOURS)
    assert dark["theme"] == "dark"
    assert _luminance(dark["page"]) < 0.05 < _luminance(light["page"])
    for colours in (light, dark):
        assert _contrast(colours["text"], colours["page"]) >= 7, colours
        assert _contrast(colours["code"], colours["codeBg"]) >= 4.5, colours
    # Figures are drawn for a white page: they keep a white ground in the dark theme.
    assert _luminance(dark["figureBg"]) > 0.9, dark
    page.reload()
    assert page.evaluate("document.documentElement.dataset.theme") == "dark", (
        "the choice is not remembered"
    )


@pytest.mark.parametrize("docname", ["book/index", *LECTURES[:1]])
def test_usable_at_phone_width(visit, published_url: str, docname: str):
    page = visit(f"{published_url}{docname}.html", viewport=PHONE).page
    widths = page.evaluate(
        "({page: document.documentElement.scrollWidth, body: document.body.scrollWidth, view: window.innerWidth})"
    )
    assert widths["page"] <= widths["view"] and widths["body"] <= widths["view"], widths
    # The content column uses the width: nothing is squeezed into a sliver.
    article = page.evaluate(
        "document.querySelector('article').getBoundingClientRect().width"
    )
    assert article >= 0.8 * PHONE["width"]
    # The navigation and the page's contents are one tap away.
    page.wait_for_load_state("networkidle")
    page.locator("button.primary-toggle:visible").first.click()
    page.locator("#pst-primary-sidebar-modal a[href$='syllabus.html']").first.wait_for(
        state="visible"
    )
    page.keyboard.press("Escape")
    if docname in LECTURES:
        page.locator("button.secondary-toggle:visible").first.click()
        page.locator("#pst-secondary-sidebar-modal #pst-page-toc-nav a").first.wait_for(
            state="visible"
        )


def test_home_page_links_the_course_pdf(visit, built_book: Build, published_url: str):
    page = visit(f"{published_url}book/index.html").page
    paragraph = page.locator("p.scimlkit-course-pdf")
    assert paragraph.count() == 1
    link = paragraph.locator(f"a[href$='{PDF_NAME}']")
    if (built_book.html / PDF_NAME).is_file():
        response = page.request.get(urljoin(page.url, link.get_attribute("href")))
        assert response.status == 200 and response.body()[:5] == b"%PDF-"
    else:  # a site built before `make pdf` says how to make it, and links nothing
        assert link.count() == 0 and "make pdf" in paragraph.inner_text()


def test_sitemap_lists_every_page(built_book: Build, published_url: str):
    import xml.etree.ElementTree as ET

    base = yaml.safe_load((REPO / "_config.yml").read_text())["html"]["baseurl"]
    tree = ET.parse(built_book.html / "sitemap.xml")
    locations = [
        element.text
        for element in tree.iter("{http://www.sitemaps.org/schemas/sitemap/0.9}loc")
    ]
    for docname in TOC_PAGES:
        assert f"{base}{docname}.html" in locations, (
            f"{docname} missing from the sitemap"
        )
    for location in locations:
        assert (
            location.startswith(base)
            and (built_book.html / location[len(base) :]).is_file()
        ), location


def test_social_preview_images_exist(built_book: Build):
    import re

    base = yaml.safe_load((REPO / "_config.yml").read_text())["html"]["baseurl"]
    for docname in TOC_PAGES:
        html = (built_book.html / f"{docname}.html").read_text(encoding="utf-8")
        image = re.search(r'<meta property="og:image" content="([^"]+)"', html)
        assert image and image.group(1).startswith(base), docname
        assert (built_book.html / image.group(1)[len(base) :]).is_file(), image.group(1)


def test_screenshots_of_home_and_lecture_in_light_and_dark(visit, published_url: str):
    from matplotlib.image import imread

    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    brightness = {}
    for name, docname in (("home", "book/index"), ("lecture", LECTURES[0])):
        for scheme in ("light", "dark"):
            visit_ = visit(f"{published_url}{docname}.html", color_scheme=scheme)
            assert (
                visit_.page.evaluate("document.documentElement.dataset.theme") == scheme
            )
            path = SCREENSHOTS / f"{name}-{scheme}.png"
            visit_.page.screenshot(path=str(path), full_page=False)
            assert path.stat().st_size > 20_000, f"{path} looks empty"
            brightness[name, scheme] = float(imread(path)[..., :3].mean())
    for name in ("home", "lecture"):
        assert brightness[name, "dark"] < 0.5 < brightness[name, "light"], brightness


def test_maths_needs_no_network(built_book: Build):
    """The pages load MathJax from the site itself, never from another host."""
    lecture = (built_book.html / f"{LECTURES[0]}.html").read_text(encoding="utf-8")
    import re

    sources = re.findall(r'<script[^>]+src="([^"]+)"', lecture)
    mathjax = [src for src in sources if "tex-chtml" in src or "mathjax" in src.lower()]
    assert mathjax and all("://" not in src for src in mathjax), mathjax
    target = (built_book.html / LECTURES[0]).parent / mathjax[0].split("?")[0]
    assert target.resolve().is_file()
    assert (
        "_static" not in target.resolve().relative_to(built_book.html.resolve()).parts
    )
    assert all(
        "://" not in src or src.startswith("https://sciml-python.github.io")
        for src in sources
    ), sources
    license_text = (built_book.html / "_mathjax" / "LICENSE").read_text()
    assert "Apache License" in license_text
