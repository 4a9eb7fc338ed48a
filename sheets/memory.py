"""An in-memory workbook source: what tests build small workbooks with."""
from __future__ import annotations

from dataclasses import dataclass, field

from rules.model import RawWorkbook, Table


@dataclass
class MemorySource:
    tabs: dict[str, list[list]] = field(default_factory=dict)  # title -> rows, header first
    description: str = "memory"

    def read(self) -> RawWorkbook:
        return RawWorkbook.of(
            Table(title, tuple(tuple(row) for row in rows)) for title, rows in self.tabs.items()
        )
