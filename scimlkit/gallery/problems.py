"""What a check found wrong: one problem names its file, where in it, and what."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class Problem:
    file: Path
    message: str
    line: int | None = None
    field: str | None = None

    def __str__(self) -> str:
        return self.describe()

    def describe(self, base: Path | None = None) -> str:
        """One line: ``file:line: field: message``, the file shown relative to ``base``."""
        file = self.file
        if base is not None and file.is_relative_to(base):
            file = file.relative_to(base)
        where = f"{file}:{self.line}" if self.line else str(file)
        field = f" {self.field}:" if self.field else ""
        return f"{where}:{field} {self.message}"
