"""The project gallery in built books: the real course book, and a small book of hostile submissions."""

from __future__ import annotations

import json
import shutil
import textwrap
from pathlib import Path

import pytest
from bs4 import BeautifulSoup

from scimlkit.gallery import check_projects, new_project, project_folders
from scimlkit.gallery.launch import launch_link_problems, launch_url, notebook_path

from ..gallery.conftest import complete, restamp, write_pdf
from .book import REPO, Build, build_book

pytestmark = pytest.mark.site


def soup(path: Path) -> BeautifulSoup:
    return BeautifulSoup(path.read_text(encoding="utf-8"), "html.parser")


def published_titles(projects: Path) -> set[str]:
    return {item.project.title for item in check_projects(project_folders(projects)) if item.published}


def cards(page: BeautifulSoup):
    return page.select(".scimlkit-gallery .scimlkit-card")


def test_gallery_shows_exactly_the_published_valid_projects(built_book: Build):
    page = soup(built_book.page("projects/index"))
    titles = [card.select_one(".scimlkit-card-title").get_text(strip=True) for card in cards(page)]
    assert sorted(titles) == sorted(published_titles(REPO / "projects"))
    assert len(titles) >= 3


def test_cards_open_with_the_full_length_example_then_newest_term_first(built_book: Build):
    found = cards(soup(built_book.page("projects/index")))
    assert found[0].select_one(".scimlkit-card-title").get_text(strip=True) == "Parameter sensitivity of the SIR epidemic model"
    terms = [card["data-term"] for card in found[1:]]
    assert terms == sorted(terms, reverse=True)


def test_every_card_link_and_thumbnail_works(built_book: Build):
    index = built_book.page("projects/index")
    for card in cards(soup(index)):
        title = card.select_one(".scimlkit-card-title").get_text(strip=True)
        target = (index.parent / card.select_one("a.scimlkit-card-title-link")["href"]).resolve()
        assert target.is_file(), title
        assert (index.parent / card.select_one("img")["src"]).resolve().is_file(), title
        project_page = soup(target)
        assert project_page.select_one("h1").get_text(strip=True).startswith(title.split()[0])
        header = project_page.select_one(".scimlkit-project-header")
        assert "Example project" in header.get_text()
        for link in header.select("a"):
            href = link["href"]
            assert href.startswith("https://") or (target.parent / href).resolve().is_file(), href


def test_the_gallery_shows_a_full_length_example_with_its_pdf(built_book: Build):
    index = built_book.page("projects/index")
    full_length = []
    for card in cards(soup(index)):
        meta = card.select_one(".scimlkit-card-meta").get_text(" ", strip=True)
        pages = int(meta.split(" pages")[0].split()[-1])
        pdf = (index.parent / card.select_one(".scimlkit-card-meta a")["href"]).resolve()
        assert pdf.read_bytes().startswith(b"%PDF-"), meta
        if "Report," in meta and 10 <= pages <= 14:  # well inside a report's 8-20 pages
            full_length.append(meta)
    assert full_length


def test_pdf_report_is_downloadable(built_book: Build):
    page_path = built_book.page("projects/sir-sensitivity/project")
    link = soup(page_path).select_one(".scimlkit-project-header a")
    assert (page_path.parent / link["href"]).resolve().read_bytes().startswith(b"%PDF-")


def test_project_pages_sit_under_the_gallery_in_the_navigation(built_book: Build):
    navigation = soup(built_book.page("projects/index")).select(".bd-sidenav a")
    hrefs = [link["href"] for link in navigation]
    assert "augmented-neural-odes/report.html" in hrefs and "sir-sensitivity/project.html" in hrefs


def test_a_figure_reference_reads_as_in_the_pdf(built_book: Build):
    # {numref} in the example's report.md; scimlkit project pdf typesets it "Figure 1" too.
    text = soup(built_book.page("projects/augmented-neural-odes/report")).get_text(" ", strip=True)
    assert "Figure 1 shows the two learned maps" in text and "Fig. 1" not in text


def test_projects_build_without_warnings(built_book: Build):
    assert [line for line in built_book.sphinx_warnings() if "projects/" in line or "[gallery]" in line] == []


def test_filter_and_search_narrow_the_cards(browser, site_url):
    page = browser.new_page()
    errors = []
    # Only the gallery's own script is under test here; theme scripts report elsewhere.
    page.on("pageerror", lambda error: errors.append(str(error)) if "scimlkit-gallery" in (error.stack or "") else None)
    page.goto(f"{site_url}/projects/index.html")
    visible = ".scimlkit-card:not([hidden])"
    total = page.locator(".scimlkit-card").count()
    assert total >= 3 and page.locator(visible).count() == total
    page.select_option(".scimlkit-gallery-keyword", "gpu")
    assert page.locator(visible).count() == 1
    assert "Ensembles" in page.locator(visible).inner_text()
    page.select_option(".scimlkit-gallery-keyword", "")
    page.fill(".scimlkit-gallery-search", "augmented")
    assert page.locator(visible).count() == 1
    assert page.locator(".scimlkit-gallery-count").inner_text() == f"1 of {total} projects shown"
    page.fill(".scimlkit-gallery-search", "no project mentions this")
    assert page.locator(visible).count() == 0
    page.fill(".scimlkit-gallery-search", "")
    assert page.locator(visible).count() == total
    assert errors == []
    page.close()


# --- a small book with hostile, invalid and opted-out submissions -----------------------

HOSTILE_TITLE = '<script>alert("title")</script> & <b>bold</b>'
HOSTILE_NAME = '"><img src=x onerror=alert(1)>'
OPTED_OUT_MARKER = "opted-out-marker-7f3a"
COURSE_SMITH = "The course's own Smith paper"
CITING = {"cites-smith-a": "Smith as cited by project A", "cites-smith-b": "Smith as cited by project B"}
CODE_ELSEWHERE = "https://github.com/example/elsewhere"


def _bib_entry(key: str, title: str) -> str:
    return f"@article{{{key},\n  author = {{Smith, Jane}},\n  title = {{{title}}},\n  journal = {{J. Tests}},\n  year = {{2020}}\n}}\n"


def _hostile_book(root: Path) -> Path:
    (root / "projects").mkdir(parents=True)
    (root / "_config.yml").write_text(
        textwrap.dedent(
            """\
            title: Gallery test book
            only_build_toc_files: true
            execute:
              execute_notebooks: cache
            bibtex_bibfiles: [course.bib]
            repository:
              url: https://github.com/sciml-python/course
              branch: main
            html:
              use_repository_button: true
            sphinx:
              extra_extensions: [scimlkit.site]
            """
        )
    )
    (root / "_toc.yml").write_text(
        "format: jb-book\nroot: intro\nchapters:\n  - file: projects/index\n  - file: bibliography\n"
    )
    (root / "intro.md").write_text("# Gallery test book\n\nThe course cites {cite}`smith2020`.\n")
    (root / "course.bib").write_text(_bib_entry("smith2020", COURSE_SMITH))
    (root / "bibliography.md").write_text("# Bibliography\n\n```{bibliography}\n:all:\n```\n")
    shutil.copy(REPO / "projects" / "index.md", root / "projects" / "index.md")
    shutil.copytree(REPO / "projects" / "augmented-neural-odes", root / "projects" / "augmented-neural-odes")

    for slug, title in CITING.items():
        folder = complete(new_project(root / "projects", f"Project {slug}", ["Ada"], slug=slug, term="2026-01"))
        bib = folder / "references.bib"
        bib.write_text(bib.read_text() + "\n" + _bib_entry("smith2020", title))
        report = folder / "report.md"
        report.write_text(report.read_text().replace(
            "## Discussion", "As {cite:t}`smith2020` showed, and others confirm {cite}`smith2020,chen2018neural`.\n\n## Discussion"
        ))
        restamp(folder)  # the report changed: its PDF is typeset again
    first = root / "projects" / next(iter(CITING))
    write_pdf(first / "slides.pdf", 3)
    (first / "project.yml").write_text(
        (first / "project.yml").read_text().replace('  - name: "Ada"\n', '  - name: "Ada"\n    orcid: "0000-0002-1825-0097"\n')
        .replace("license: CC-BY-4.0", "license: CC0-1.0")
        + 'slides: slides.pdf\nvideo: "https://example.org/talk"\ndoi: "10.5281/zenodo.1234567"\n'
    )
    # The second project's code is in another repository: no code/, so no launch link.
    elsewhere = root / "projects" / list(CITING)[1]
    shutil.rmtree(elsewhere / "code")
    (elsewhere / "project.yml").write_text((elsewhere / "project.yml").read_text() + f'code: "{CODE_ELSEWHERE}"\n')
    restamp(elsewhere)
    valid = complete(new_project(root / "projects", "Escaped title", [HOSTILE_NAME], slug="hostile-but-valid", term="2026-01"))
    yml = valid / "project.yml"
    yml.write_text(yml.read_text().replace('title: "Escaped title"', f"title: '{HOSTILE_TITLE}'"))
    for folder in (first, valid):
        restamp(folder)  # project.yml changed: CITATION.cff is made again, as `scimlkit project citation` does

    invalid = complete(new_project(root / "projects", "Invalid project", ["Mallory"], slug="sneaky", term="2026-01"))
    report = invalid / "report.md"
    report.write_text(report.read_text().replace("## Discussion", "```{include} /etc/passwd\n```\n\n## Discussion"))
    restamp(invalid)

    opted_out = complete(new_project(root / "projects", "Private project", ["Bob"], slug="private-project", term="2026-01"))
    yml = opted_out / "project.yml"
    yml.write_text(yml.read_text().replace("publish: true", "publish: false"))
    report = opted_out / "report.md"
    report.write_text(report.read_text().replace("## Discussion", f"{OPTED_OUT_MARKER}\n\n## Discussion"))
    restamp(opted_out)
    return root


@pytest.fixture(scope="module")
def hostile_root(tmp_path_factory) -> Path:
    return _hostile_book(tmp_path_factory.mktemp("hostile") / "book")


@pytest.fixture(scope="module")
def hostile_build(hostile_root: Path, tmp_path_factory) -> Build:
    return build_book(hostile_root, tmp_path_factory.mktemp("hostile-output"),
                      env={"SCIMLKIT_EXECUTION_CACHE": str(hostile_root / "_cache")})


def plain_quotes(text: str) -> str:
    """Undo Sphinx's smart quotes, which apply to project text as to every page."""
    return text.translate(str.maketrans({"\u201c": '"', "\u201d": '"', "\u2018": "'", "\u2019": "'"}))


def test_hostile_book_still_builds(hostile_build: Build):
    assert hostile_build.returncode == 0, hostile_build.log[-3000:]
    titles = [plain_quotes(card.select_one(".scimlkit-card-title").get_text(strip=True))
              for card in cards(soup(hostile_build.page("projects/index")))]
    assert sorted(titles) == sorted(
        [HOSTILE_TITLE, "Augmented neural ODEs fit what plain neural ODEs cannot", *(f"Project {slug}" for slug in CITING)]
    )


def test_invalid_project_is_left_out_with_a_warning_naming_it(hostile_build: Build):
    warnings = [line for line in hostile_build.sphinx_warnings() if "[gallery]" in line]
    assert len(warnings) == 1
    assert "project 'sneaky' is left out of the site" in warnings[0]
    assert "report.md" in warnings[0] and "{include} is not allowed" in warnings[0]
    assert not (hostile_build.html / "projects" / "sneaky").exists()


def test_opted_out_project_leaves_no_trace(hostile_build: Build):
    for path in hostile_build.html.rglob("*"):
        assert "private-project" not in path.as_posix()
        if path.is_file() and path.suffix in (".html", ".txt", ".js", ".md", ".ipynb", ".yml"):
            text = path.read_text(encoding="utf-8", errors="replace")
            assert OPTED_OUT_MARKER not in text and "Private project" not in text, path


def test_hostile_text_is_escaped_everywhere(hostile_build: Build):
    for name in ("projects/index", "projects/hostile-but-valid/report"):
        page = soup(hostile_build.page(name))
        assert page.find("script", string=lambda text: text and "alert(" in text) is None, name
        assert not page.select("img[onerror]") and not page.select("article b"), name
    assert HOSTILE_TITLE in plain_quotes(soup(hostile_build.page("projects/index")).get_text())
    header = soup(hostile_build.page("projects/hostile-but-valid/report")).select_one(".scimlkit-project-header")
    assert HOSTILE_NAME in plain_quotes(header.get_text())


def test_projects_cite_from_their_own_bibliography_with_the_same_key(hostile_build: Build):
    for slug, title in CITING.items():
        page = soup(hostile_build.page(f"projects/{slug}/report"))
        references = page.select("ol.scimlkit-project-references > li")
        # (the reference style writes titles in sentence case)
        texts = [plain_quotes(item.get_text(" ", strip=True)).casefold() for item in references]
        assert len(texts) == 4 and any(title.casefold() in text for text in texts), texts
        assert not any(COURSE_SMITH.casefold() in text for text in texts)
        other = next(other_title for other_slug, other_title in CITING.items() if other_slug != slug)
        assert other.casefold() not in page.get_text().casefold()
        number = next(index for index, text in enumerate(texts, start=1) if title.casefold() in text)
        smith_id = references[number - 1]["id"]
        citations = page.select(f'a.project-citation[href="#{smith_id}"]')
        assert [link.get_text() for link in citations] == [str(number), str(number)]
        assert "Smith [" in page.get_text()  # the textual form names the author


def test_the_course_bibliography_is_untouched_by_project_citations(hostile_build: Build):
    text = plain_quotes(soup(hostile_build.page("bibliography")).get_text()).casefold()
    assert COURSE_SMITH.casefold() in text
    assert not any(title.casefold() in text for title in CITING.values())
    assert "neural ordinary differential equations" not in text
    assert not [line for line in hostile_build.sphinx_warnings() if "smith2020" in line or "duplicate" in line.lower()]


def test_project_pages_link_their_pdf_with_its_page_count(hostile_build: Build):
    page_path = hostile_build.page("projects/cites-smith-a/report")
    link = next(a for a in soup(page_path).select(".scimlkit-project-header a") if "Report (PDF" in a.get_text())
    assert link.get_text(strip=True) == "Report (PDF, 9 pages)"
    assert (page_path.parent / link["href"]).resolve().read_bytes().startswith(b"%PDF-")
    index = hostile_build.page("projects/index")
    card = next(card for card in cards(soup(index)) if "cites-smith-a" in card.select_one("a")["href"])
    assert "9 pages" in card.select_one(".scimlkit-card-meta").get_text()
    assert (index.parent / card.select_one("a.scimlkit-card-pdf, .scimlkit-card-meta a")["href"]).resolve().is_file()


def test_a_page_says_how_to_cite_it_with_orcid_doi_and_licence(hostile_build: Build):
    slug = next(iter(CITING))
    page = soup(hostile_build.page(f"projects/{slug}/report"))
    links = {link.get_text(strip=True): link["href"] for link in page.select(".scimlkit-project-header a")}
    assert links["ORCID 0000-0002-1825-0097"] == "https://orcid.org/0000-0002-1825-0097"
    assert links["doi:10.5281/zenodo.1234567"] == "https://doi.org/10.5281/zenodo.1234567"
    assert links["Licence CC0-1.0"] == "https://spdx.org/licenses/CC0-1.0.html"
    entry = page.select_one(".scimlkit-project-citation pre").get_text()
    assert entry.startswith(f"@techreport{{{slug},") and f"title = {{{{Project {slug}}}}}" in entry
    assert f"url = {{https://sciml-python.github.io/course/projects/{slug}/report.html}}" in entry
    card = next(card for card in cards(soup(hostile_build.page("projects/index")))
                if card.select_one(".scimlkit-card-title").get_text(strip=True) == f"Project {slug}")
    assert card.select_one(".scimlkit-card-meta").get_text(strip=True).endswith("· CC0-1.0")
    hostile = soup(hostile_build.page("projects/hostile-but-valid/report")).select_one(".scimlkit-project-citation pre")
    assert "<script>" in hostile.get_text() and hostile.find("script") is None  # shown as text, never markup


def test_code_slides_and_video_are_links(hostile_build: Build):
    page_path = hostile_build.page(f"projects/{next(iter(CITING))}/report")
    links = {link.get_text(strip=True): link["href"] for link in soup(page_path).select(".scimlkit-project-header a")}
    assert links["Video of the talk"] == "https://example.org/talk"
    assert (page_path.parent / links["Slides (PDF)"]).resolve().read_bytes().startswith(b"%PDF-")
    code = next(href for text, href in links.items() if text.startswith("Code ("))
    assert code == f"https://github.com/sciml-python/course/tree/main/projects/{next(iter(CITING))}/code"


def test_a_project_with_code_links_its_launch_notebook_and_one_without_code_does_not(hostile_root: Path,
                                                                                     hostile_build: Build):
    with_code = "augmented-neural-odes"
    url = launch_url("https://github.com/sciml-python/course", "colab-notebooks", with_code)
    page = soup(hostile_build.page(f"projects/{with_code}/report"))
    launch = page.select_one(".scimlkit-project-launch")
    assert launch.select_one("a")["href"] == url and launch.select_one("a").get_text(strip=True) == "Run the code on Colab"
    says = " ".join(launch.get_text(" ", strip=True).split())
    assert "installs the versions pinned in code/uv.lock" in says and "python train.py" in says, says
    card = next(card for card in cards(soup(hostile_build.page("projects/index")))
                if with_code in card.select_one("a")["href"])
    assert [link["href"] for link in card.select(".scimlkit-card-meta a.scimlkit-card-launch")] == [url]
    # the link check: the notebook is in the build, fetches this folder, installs its lock
    assert launch_link_problems(url, html_root=hostile_build.html, repo=hostile_root,
                                repository="https://github.com/sciml-python/course", colab_branch="colab-notebooks") == []
    notebook = json.loads((hostile_build.html / "_colab" / notebook_path(with_code)).read_text(encoding="utf-8"))
    assert f"FOLDER = 'projects/{with_code}'" in "".join(notebook["cells"][1]["source"])

    elsewhere = list(CITING)[1]
    page = soup(hostile_build.page(f"projects/{elsewhere}/report"))
    assert page.select(".scimlkit-project-launch") == [] and page.select("a[href*='colab']") == []
    links = {link.get_text(strip=True): link["href"] for link in page.select(".scimlkit-project-header a")}
    assert links["Code repository"] == CODE_ELSEWHERE
    assert not (hostile_build.html / "_colab" / "projects" / elsewhere).exists()
