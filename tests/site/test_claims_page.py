"""The Claims page: a small book with one lecture, its test and its allowlist, built by the
build driver; the page's tables must show what the claims check finds in them."""

from __future__ import annotations

import textwrap

import pytest
from bs4 import BeautifulSoup

from scimlkit.site.appendix.claims_check import SUMMARY_COLUMNS, check, summary

from .book import build_book, lecture, write_mini_book

REPOSITORY = "https://github.com/example/course"

DEMO = lecture(
    "Demo lecture",
    'import scimlkit as sk\n\nsk.glue("speedup", 3.2)\nsk.glue("error", 1e-9)\nsk.glue("tested_only", 7)',
    prose=(
        "The compiled loop is {glue:text}`speedup:.1f` times faster, with error {glue:text}`error:.0e`.\n\n"
        "A GPU has thousands of cores.\n\n"
        "The error falls to about $10^{-9}$, roughly.\n\n"
        "This sentence is nearly unbacked."
    ),
)

TEST = '''\
PAGE = "lectures/demo"


def test_the_loop_is_faster(values):
    assert values["speedup"] > 2  # an uncompiled loop gives about 1


def test_error_and_count(values):
    assert values["tested_only"] == 7
    error = values["error"]
    assert error < 1e-6
'''

ALLOWLIST = """\
- text: "A GPU has thousands of cores."
  reason: "general knowledge about the hardware"
"""


def write_book(root):
    (root / "lectures").mkdir(parents=True)
    write_mini_book(root, {"lectures/demo": DEMO, "claims": "# Claims\n\n```{claims-table}\n```\n"})
    with (root / "_config.yml").open("a") as config:
        config.write(f"repository:\n  url: {REPOSITORY}\n  branch: main\n")
    tests = root / "tests" / "lectures"
    (tests / "allowlists").mkdir(parents=True)
    (tests / "test_demo.py").write_text(TEST)
    (tests / "allowlists" / "demo.yml").write_text(textwrap.dedent(ALLOWLIST))
    return root


def test_the_data_behind_the_page(tmp_path):
    root = write_book(tmp_path / "book")
    (claims,) = check(root=root)
    line = DEMO.splitlines().index("This sentence is nearly unbacked.") + 1
    assert [str(p) for p in claims.problems] == [
        f'lectures/demo.md:{line}: unbacked claim (agreement): "This sentence is nearly unbacked."; glue the value, '
        "cite a source or add it to tests/lectures/allowlists/demo.yml"
    ]
    assert summary(claims) == {
        "values": 3, "shown": 2, "asserted": 3, "not_asserted": 0,
        "glue": 1, "cite": 0, "maths": 1, "allowlist": 1, "unbacked": 1,
    }  # fmt: skip


# Runs the build driver on a small book (a subprocess with its own kernel).
@pytest.mark.site
@pytest.mark.slow
def test_the_claims_page_shows_the_counts_and_links_each_value_to_its_test(tmp_path):
    root = write_book(tmp_path / "book")
    built = build_book(root, tmp_path / "out")
    assert built.returncode == 0, built.log[-3000:]
    assert built.sphinx_warnings() == []
    page = BeautifulSoup(built.page("claims").read_text(encoding="utf-8"), "html.parser")
    summary_table, values_table, allowlist_table = page.select("table")[:3]

    header = [cell.get_text(" ", strip=True) for cell in summary_table.select("thead th, thead td")]
    assert header == ["lecture", *SUMMARY_COLUMNS.values()]
    body = [[cell.get_text(" ", strip=True) for cell in row.find_all("td")] for row in summary_table.select("tbody tr")]
    (claims,) = check(root=root)
    expected = [str(count) for count in summary(claims).values()]
    assert body == [["Demo lecture", *expected], ["all lectures", *expected]]
    link = summary_table.select_one("tbody a")
    assert link["href"].endswith("lectures/demo.html")

    values = {
        row.find_all("td")[0].get_text(strip=True): row.find_all("td") for row in values_table.select("tbody tr")
    }
    assert set(values) == {"speedup", "error", "tested_only"}
    assert values["tested_only"][1].get_text(strip=True) == "not shown"
    links = {a.get_text(strip=True): a["href"] for a in values["error"][2].find_all("a")}
    line = TEST.splitlines().index('    error = values["error"]') + 1
    assert links == {
        "test_demo.py::test_error_and_count": f"{REPOSITORY}/blob/main/tests/lectures/test_demo.py#L{line}"
    }
    assert [td.get_text(strip=True) for td in allowlist_table.select("tbody td")] == [
        "A GPU has thousands of cores.",
        "general knowledge about the hardware",
    ]
    assert "This sentence is nearly unbacked." in page.get_text(" ")
