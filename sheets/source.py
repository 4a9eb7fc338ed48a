"""One interface for every place a workbook comes from: an .xlsx file, a Google Sheet, memory."""
from __future__ import annotations

from typing import Protocol

from rules.model import RawWorkbook


class SourceError(Exception):
    """The workbook cannot be read at all (not a workbook, unreachable sheet): one clear line."""


class Source(Protocol):
    description: str  # for people: "examples/fleet.xlsx", "gsheet:1AbC..."

    def read(self) -> RawWorkbook:
        """Every tab, unvalidated. Raises SourceError when nothing can be read."""
        ...
