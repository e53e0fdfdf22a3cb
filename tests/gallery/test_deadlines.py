"""One project calendar: the syllabus and the project guide print the same deadline table."""

from __future__ import annotations

import re
from pathlib import Path

from scimlkit.gallery.deadlines import COURSE_TERM, COURSE_YEAR, PARTS, STAGES, table, timeline

BOOK = Path(__file__).resolve().parents[2] / "book"


def test_syllabus_and_guide_print_the_same_deadline_table():
    for name in ("syllabus.md", "project_guide.md"):
        assert table() in (BOOK / name).read_text(encoding="utf-8"), name


def test_syllabus_and_submission_page_print_the_same_timeline():
    for name in ("syllabus.md", "submitting.md"):
        assert timeline() in (BOOK / name).read_text(encoding="utf-8"), name
    assert all(part.due.endswith(f"{COURSE_YEAR}") or part.due.endswith(f"{COURSE_YEAR})") for part in PARTS)


def test_the_guide_names_a_channel_and_no_instructor_by_mail():
    text = (BOOK / "project_guide.md").read_text(encoding="utf-8") + (BOOK / "submitting.md").read_text(encoding="utf-8")
    assert "/discussions" in text and "e-mail" not in text.replace("e-mail address git records", "")


def test_no_other_due_date_contradicts_the_table():
    dates = {part.due for part in PARTS}
    for name in ("syllabus.md", "project_guide.md"):
        text = (BOOK / name).read_text(encoding="utf-8")
        for line in text.splitlines():
            if re.search(r"\bdue\b", line, re.IGNORECASE):
                for match in re.finditer(r"\b\d{1,2}(-\d{1,2})? (January|February)\b", line):
                    assert any(match.group() in due for due in dates), (name, line)


def test_stages_and_term_are_consistent():
    assert [part.name for part in PARTS] == ["Proposal", "First write-up", "Presentation", "Report"]
    assert STAGES["report"].pages == (8, 20) and STAGES["proposal"].pages[1] < STAGES["report"].pages[0]
    assert re.fullmatch(r"20\d\d-(0[1-9]|1[0-2])", COURSE_TERM)
