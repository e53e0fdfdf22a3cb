"""Read the values a lecture glued (``sk.glue``) from its executed notebook in the built book.

The lecture tests assert the claims a page makes on the very run the page shows: the
executed notebook the page offers for download (``_build/html/_notebooks/<page>.ipynb``),
which holds the outputs myst-nb rendered, cached ones included.
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
    notebook = json.loads(executed_notebook.read_text(encoding="utf-8"))
    values: dict[str, Any] = {}
    for index, cell in enumerate(notebook["cells"], start=1):
        for output in cell.get("outputs", []):
            record = (output.get("metadata") or {}).get("scrapbook")
            if record is None:
                continue
            name = record["name"]
            text = output["data"][record.get("mime_prefix", "") + "text/plain"]
            text = "".join(text) if isinstance(text, list) else text
            try:
                values[name] = ast.literal_eval(text)
            except (ValueError, SyntaxError) as error:
                raise ValueError(
                    f"{executed_notebook.name}, cell {index}: glued {name!r} is {text!r}, not a literal; "
                    "glue it with sk.glue, which stores plain Python values"
                ) from error
    return values
