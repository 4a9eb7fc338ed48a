"""Tabs of cells -> the example .xlsx, the same byte for byte on every run.

The layout is the shared writer's (``sheets.xlsx.build_workbook``); the pinned bytes are
``sheets.xlsx_bytes``'s, so a regenerated workbook can be compared with ``cmp``.
"""
from __future__ import annotations

import datetime as dt
from pathlib import Path

from sheets.xlsx import build_workbook
from sheets.xlsx_bytes import stable_bytes


def workbook_bytes(tabs: dict[str, list[list]]) -> bytes:
    """The tabs, in the given order, each a header row then data rows, as .xlsx bytes."""
    book = build_workbook(tabs)
    for sheet in book.worksheets:
        for row in sheet.iter_rows():
            for cell in row:
                if isinstance(cell.value, dt.time):
                    cell.number_format = "hh:mm"  # as a planner types it, not 11:00:00
    book.properties.creator = "examples/make_fleet.py"
    return stable_bytes(book)


def write(tabs: dict[str, list[list]], path: str | Path) -> None:
    Path(path).write_bytes(workbook_bytes(tabs))
