"""Reading project.yml: every malformed file is a YamlSourceError with a line, never a crash."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from scimlkit.gallery.yaml_source import (
    MAX_BYTES,
    YamlSourceError,
    parse_mapping,
    read_mapping,
)


def test_values_keep_their_lines():
    data, lines = parse_mapping("title: A\nauthors:\n  - name: B\n    url: https://b.org\n")
    assert data == {"title": "A", "authors": [{"name": "B", "url": "https://b.org"}]}
    assert lines[("authors", 0, "url")] == 4
    assert lines[("title",)] == 1


@pytest.mark.parametrize(
    ("text", "message", "line"),
    [
        ("a: &x [1]\nb: *x\n", "aliases", 2),
        ("title: A\ntitle: B\n", "appears twice", 2),
        ("- a\n- b\n", "must be a mapping", 1),
        ("a: !!python/object/apply:os.system ['true']\n", "tag", 1),
        ("a: !custom 3\n", "tag", 1),
        ("title: [unclosed\n", "malformed YAML", None),
        ("", "empty", None),
        ("? [1, 2]\n: x\n", "plain value", 1),
        ("1: x\n", "must be text", 1),
        ("a: 1\x00\n", "NUL", None),
    ],
)
def test_bad_yaml_is_named(text, message, line):
    with pytest.raises(YamlSourceError) as caught:
        parse_mapping(text)
    assert message in caught.value.message
    if line is not None:
        assert caught.value.line == line


def test_a_billion_laughs_is_refused_before_expansion():
    rows = ["a0: &a0 [x, x, x, x, x, x, x, x, x, x]"]
    rows += [f"a{i}: &a{i} [{', '.join([f'*a{i - 1}'] * 10)}]" for i in range(1, 9)]
    with pytest.raises(YamlSourceError, match="aliases"):
        parse_mapping("\n".join(rows))


def test_deep_nesting_is_an_error_not_a_crash():
    with pytest.raises(YamlSourceError, match="nested more than 20 levels"):
        parse_mapping("a: " + "[" * 5000 + "]" * 5000)


def test_oversized_and_non_utf8_files(tmp_path: Path):
    big = tmp_path / "big.yml"
    big.write_text("abstract: " + "x" * MAX_BYTES)
    with pytest.raises(YamlSourceError, match="limit"):
        read_mapping(big)
    latin = tmp_path / "latin.yml"
    latin.write_bytes(b"title: ok\nauthor: Jos\xe9\n")
    with pytest.raises(YamlSourceError) as caught:
        read_mapping(latin)
    assert "not UTF-8" in caught.value.message and caught.value.line == 2


@settings(max_examples=300, deadline=None)
@given(st.text(max_size=300))
def test_any_text_gives_data_or_a_yaml_source_error(text):
    try:
        data, lines = parse_mapping(text)
    except YamlSourceError as error:
        assert error.message
    else:
        assert isinstance(data, dict) and lines[()] >= 1
