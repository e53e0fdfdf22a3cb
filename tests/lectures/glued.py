"""Read the values a lecture glued (``sk.glue``) from its executed notebook in the built book.

The lecture tests assert the claims a page makes on the very run the page shows. When
Sphinx renders an executed notebook, myst-nb moves the glue outputs out of it into
``_build/jupyter_execute/<page>.glue.json`` (name -> output); a notebook that still
carries them (one executed outside Sphinx) is read directly.
"""

from __future__ import annotations

import ast
import json
from pathlib import Path
from typing import Any


def _literal(source: str, name: str, text: Any) -> Any:
    text = "".join(text) if isinstance(text, list) else text
    try:
        return ast.literal_eval(text)
    except (ValueError, SyntaxError) as error:
        raise ValueError(
            f"{source}: glued {name!r} is {text!r}, not a literal; glue it with sk.glue, which stores plain Python values"
        ) from error


def glued_values(executed_notebook: Path) -> dict[str, Any]:
    """Every glued name of ``executed_notebook`` with its value (a bool, int, float or str)."""
    if not executed_notebook.is_file():
        raise FileNotFoundError(f"{executed_notebook} was not written by the build")
    values: dict[str, Any] = {}
    glue_file = executed_notebook.with_suffix(".glue.json")
    if glue_file.is_file():
        for name, output in json.loads(glue_file.read_text(encoding="utf-8")).items():
            values[name] = _literal(glue_file.name, name, output["data"]["text/plain"])
    notebook = json.loads(executed_notebook.read_text(encoding="utf-8"))
    for index, cell in enumerate(notebook["cells"], start=1):
        for output in cell.get("outputs", []):
            record = (output.get("metadata") or {}).get("scrapbook")
            if record is None:
                continue
            text = output["data"][record.get("mime_prefix", "") + "text/plain"]
            values[record["name"]] = _literal(f"{executed_notebook.name}, cell {index}", record["name"], text)
    return values
