"""Read a ``project.yml`` safely, remembering the line of every value.

``yaml.safe_load`` is not enough for untrusted files: it silently keeps the last of two
duplicate keys, expands aliases (a few hundred bytes can become gigabytes) and forgets
where each value came from. This reader refuses aliases, custom tags and duplicate keys,
and returns, beside the data, the line of each value keyed by its path
(``("authors", 0, "url")``) so that schema errors can point at the line.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml

MAX_BYTES = 64 * 1024
MAX_DEPTH = 20
_PLAIN_TAGS = {
    "tag:yaml.org,2002:str",
    "tag:yaml.org,2002:int",
    "tag:yaml.org,2002:float",
    "tag:yaml.org,2002:bool",
    "tag:yaml.org,2002:null",
    "tag:yaml.org,2002:timestamp",
    "tag:yaml.org,2002:seq",
    "tag:yaml.org,2002:map",
}

Lines = dict[tuple, int]


class YamlSourceError(ValueError):
    """The file cannot be read as a plain YAML mapping; ``line`` is 1-based or None."""

    def __init__(self, message: str, line: int | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.line = line


def read_mapping(path: Path) -> tuple[dict[str, Any], Lines]:
    """The top-level mapping of ``path`` and the line of each value in it."""
    size = path.stat().st_size
    if size > MAX_BYTES:
        raise YamlSourceError(f"the file is {size} bytes; the limit is {MAX_BYTES}")
    raw = path.read_bytes()
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as error:
        line = raw[: error.start].count(b"\n") + 1
        raise YamlSourceError(f"not UTF-8 text (byte {error.start} cannot be decoded)", line) from None
    return parse_mapping(text)


def parse_mapping(text: str) -> tuple[dict[str, Any], Lines]:
    if "\x00" in text:
        raise YamlSourceError("the text contains a NUL character")
    try:
        depth = 0
        for event in yaml.parse(text, Loader=yaml.SafeLoader):
            if isinstance(event, yaml.AliasEvent):
                raise YamlSourceError("YAML aliases (*name) are not allowed", _line(event))
            if isinstance(event, yaml.CollectionStartEvent):
                depth += 1
                if depth > MAX_DEPTH:  # stop early: deep nesting makes the parser slow
                    raise YamlSourceError(f"the YAML is nested more than {MAX_DEPTH} levels deep", _line(event))
            elif isinstance(event, yaml.CollectionEndEvent):
                depth -= 1
        root = yaml.compose(text, Loader=yaml.SafeLoader)
    except yaml.MarkedYAMLError as error:
        mark = error.problem_mark or error.context_mark
        line = mark.line + 1 if mark is not None else None
        raise YamlSourceError(f"malformed YAML: {error.problem or error.context}", line) from None
    except yaml.YAMLError as error:
        raise YamlSourceError(f"malformed YAML: {error}") from None
    if root is None:
        raise YamlSourceError("the file is empty")
    if not isinstance(root, yaml.MappingNode):
        raise YamlSourceError("the file must be a mapping of field: value lines", _line(root))
    lines: Lines = {}
    return _convert(root, (), lines), lines


def _line(item) -> int:
    return item.start_mark.line + 1


def _convert(node: yaml.Node, path: tuple, lines: Lines) -> Any:
    lines[path] = _line(node)
    if node.tag not in _PLAIN_TAGS:
        raise YamlSourceError(f"the YAML tag {node.tag!r} is not allowed", _line(node))
    if isinstance(node, yaml.MappingNode):
        mapping: dict[str, Any] = {}
        for key_node, value_node in node.value:
            key = _scalar(key_node)
            if not isinstance(key, str):
                raise YamlSourceError(f"the key {key!r} must be text", _line(key_node))
            if key in mapping:
                raise YamlSourceError(f"the key {key!r} appears twice", _line(key_node))
            mapping[key] = _convert(value_node, (*path, key), lines)
        return mapping
    if isinstance(node, yaml.SequenceNode):
        return [_convert(item, (*path, index), lines) for index, item in enumerate(node.value)]
    return _scalar(node)


def _scalar(node: yaml.Node) -> Any:
    if not isinstance(node, yaml.ScalarNode):
        raise YamlSourceError("a key must be a plain value, not a list or mapping", _line(node))
    try:
        return yaml.SafeLoader("").construct_object(node)
    except (yaml.YAMLError, ValueError) as error:
        raise YamlSourceError(f"cannot read the value {node.value!r}: {error}", _line(node)) from None
