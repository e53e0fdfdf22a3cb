"""The reader of glued values, on the two places myst-nb leaves them."""

import json

import pytest

from .glued import glued_values


def glue_output(name, text):
    return {
        "output_type": "display_data",
        "data": {"application/papermill.record/text/plain": text},
        "metadata": {"scrapbook": {"name": name, "mime_prefix": "application/papermill.record/"}},
    }


def test_values_are_read_from_the_glue_file_sphinx_writes_and_from_the_notebook(tmp_path):
    notebook = tmp_path / "page.ipynb"
    notebook.write_text(json.dumps({"cells": [{"cell_type": "code", "outputs": [glue_output("kept", "'words'")]}]}))
    (tmp_path / "page.glue.json").write_text(
        json.dumps({"moved": {"data": {"text/plain": "0.25"}, "metadata": {}, "output_type": "display_data"}})
    )
    assert glued_values(notebook) == {"moved": 0.25, "kept": "words"}


def test_a_value_that_is_not_a_literal_is_refused_with_its_name(tmp_path):
    notebook = tmp_path / "page.ipynb"
    notebook.write_text(json.dumps({"cells": [{"cell_type": "code", "outputs": [glue_output("x", "Array(1.0)")]}]}))
    with pytest.raises(ValueError, match="glued 'x'"):
        glued_values(notebook)
