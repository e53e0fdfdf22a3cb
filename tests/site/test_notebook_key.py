import pytest

from scimlkit.site.build.notebook_key import (
    NotebookHeaderError,
    apply_key,
    count_gpu_cells,
    front_matter,
    is_executable_notebook,
    missing_header_reason,
)

from .book import FRONT_MATTER, lecture


def test_key_lands_in_the_kernelspec_display_name_and_lines_are_kept():
    text = lecture("T", "x = 1")
    keyed = apply_key(text, "cpu profile | abc")
    assert front_matter(keyed)["kernelspec"]["display_name"] == "Python 3 (ipykernel) [cpu profile | abc]"
    assert front_matter(keyed)["kernelspec"]["name"] == "python3"
    assert len(keyed.splitlines()) == len(text.splitlines())
    assert keyed.split("---", 2)[2] == text.split("---", 2)[2]


def test_applying_a_new_key_replaces_the_old_one():
    once = apply_key(lecture("T", "x = 1"), "first")
    twice = apply_key(once, "second")
    assert front_matter(twice)["kernelspec"]["display_name"] == "Python 3 (ipykernel) [second]"


def test_keys_with_quotes_survive_yaml():
    keyed = apply_key(lecture("T", "x = 1"), 'gpu "H100" \\ 2')
    assert front_matter(keyed)["kernelspec"]["display_name"].endswith('[gpu "H100" \\ 2]')


def test_plain_markdown_is_left_alone():
    text = "# A page\n\nNo code here.\n"
    assert not is_executable_notebook(text)
    assert apply_key(text, "k") == text


def test_missing_display_name_is_an_error():
    text = FRONT_MATTER.replace("  display_name: Python 3 (ipykernel)\n", "") + "# T\n"
    with pytest.raises(NotebookHeaderError, match="display_name"):
        apply_key(text, "k")


@pytest.mark.parametrize(
    "text, reason",
    [
        ("# T\n\n```{code-cell} ipython3\n1\n```\n", "no front matter"),
        ("---\ntitle: x\n---\n```{code-cell} ipython3\n1\n```\n", "format_name: myst"),
        (FRONT_MATTER.split("kernelspec")[0] + "---\n```{code-cell} ipython3\n1\n```\n", "kernelspec"),
    ],
)
def test_code_cells_that_would_silently_not_run_are_named(text, reason):
    assert reason in missing_header_reason(text)


def test_complete_notebooks_and_prose_pages_have_no_header_problem():
    assert missing_header_reason(lecture("T", "x = 1")) is None
    assert missing_header_reason("# Prose only\n") is None


def test_code_cell_syntax_shown_inside_a_code_block_is_not_a_code_cell():
    guide = "# How to write a cell\n\n````md\n```{code-cell} ipython3\nx = 1\n```\n````\n"
    assert missing_header_reason(guide) is None
    assert "no front matter" in missing_header_reason("# T\n\n```{code-cell} ipython3\nx = 1\n```\n")


def test_invalid_yaml_front_matter_is_reported():
    with pytest.raises(NotebookHeaderError, match="not valid YAML"):
        front_matter("---\nkernelspec: [unclosed\n---\n")


def test_gpu_cells_are_counted_by_tag():
    text = lecture("T", ":tags: [gpu]\nx = 1", ":tags: [hide-input, gpu]\ny = 2", ":tags: [gpus]\nz = 3", "w = 4")
    assert count_gpu_cells(text) == 2
