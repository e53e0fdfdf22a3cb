"""Read the values a lecture glued (``sk.glue``) from its executed notebook in the built book.

The lecture tests assert the claims a page makes on the very run the page shows: the
executed notebook myst-nb rendered (``_build/jupyter_execute/<page>.ipynb``).
"""

from __future__ import annotations

import ast
import json
from pathlib import Path
from typing import Any


def glued_values(executed_notebook: Path) -> dict[str, Any]:
    """Every glued name in ``executed_notebook`` with its value (a bool, int, float or str)."""
    if not executed_notebook.is_file():
        raise FileNotFoundError(f"{executed_notebook} was not written by the build")
    values: dict[str, Any] = {}
    # myst-nb moves glue outputs out of the notebook it writes into <page>.glue.json
    # (with the MIME prefix stripped from the data keys); read that when it is there.
    glue_file = executed_notebook.with_suffix(".glue.json")
    if glue_file.is_file():
        for name, output in json.loads(glue_file.read_text(encoding="utf-8")).items():
            text = output["data"]["text/plain"]
            values[name] = _literal(name, "".join(text) if isinstance(text, list) else text, glue_file.name)
    notebook = json.loads(executed_notebook.read_text(encoding="utf-8"))
    for index, cell in enumerate(notebook["cells"], start=1):
        for output in cell.get("outputs", []):
            record = (output.get("metadata") or {}).get("scrapbook")
            if record is None:
                continue
            name = record["name"]
            text = output["data"][record.get("mime_prefix", "") + "text/plain"]
            text = "".join(text) if isinstance(text, list) else text
            values[name] = _literal(name, text, f"{executed_notebook.name}, cell {index}")
    return values


def _literal(name: str, text: str, where: str) -> Any:
    try:
        return ast.literal_eval(text)
    except (ValueError, SyntaxError) as error:
        raise ValueError(
            f"{where}: glued {name!r} is {text!r}, not a literal; "
            "glue it with sk.glue, which stores plain Python values"
        ) from error
