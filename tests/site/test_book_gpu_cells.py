"""The real course book's `gpu` cells: on a CPU build each one says it ran at reduced scale."""

from __future__ import annotations

from pathlib import Path

import pytest

from scimlkit.site.build.notebook_key import count_gpu_cells
from scimlkit.site.build.placement import NOTE_CLASS

from .book import Build
from .test_book import LECTURES, docname, soup

GPU_LECTURES = [path for path in LECTURES if count_gpu_cells(path.read_text(encoding="utf-8"))]


def test_some_lecture_has_gpu_cells():
    assert GPU_LECTURES, "no lecture has a gpu-tagged cell: the reduced-scale note is untested on the book"


@pytest.mark.parametrize("lecture", GPU_LECTURES, ids=docname)
def test_every_gpu_cell_says_at_which_scale_it_ran(built_book: Build, lecture: Path):
    page = soup(built_book.page(docname(lecture)))
    provenance = page.select_one(".scimlkit-provenance").get_text()
    cells = page.select("div.cell.tag_gpu")
    assert len(cells) == count_gpu_cells(lecture.read_text(encoding="utf-8"))
    for cell in cells:
        notes = cell.select(f".{NOTE_CLASS}")
        if "CPU profile" in provenance:
            assert len(notes) == 1 and "Ran on the CPU at reduced scale" in notes[0].get_text(), cell.get_text()[:300]
        else:
            assert notes == [], "a GPU-profile output must not carry the reduced-scale note"
    for cell in page.select("div.cell:not(.tag_gpu)"):
        assert not cell.select(f".{NOTE_CLASS}"), "only gpu cells carry the note"
