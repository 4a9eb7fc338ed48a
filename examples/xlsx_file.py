"""Tabs of cells -> an .xlsx file that is the same, byte for byte, on every run.

openpyxl stamps the save time into docProps/core.xml and every zip entry; both are pinned
here so a regenerated workbook can be compared with ``cmp`` and diffs stay meaningful.
"""
from __future__ import annotations

import datetime as dt
import io
import zipfile
from pathlib import Path

from openpyxl import Workbook
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter
from openpyxl.writer.excel import ExcelWriter

FIXED_TIME = dt.datetime(2026, 11, 1, 0, 0, 0)
_ZIP_TIME = (1980, 1, 1, 0, 0, 0)  # the earliest a zip entry can carry
_MAX_WIDTH = 60


def _fill(sheet, rows: list[list]) -> None:
    for row in rows:
        sheet.append(row)
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    sheet.freeze_panes = "A2"
    for column, cells in enumerate(zip(*rows), start=1):
        for cell in sheet[get_column_letter(column)]:
            if isinstance(cell.value, dt.time):
                cell.number_format = "hh:mm"
            elif isinstance(cell.value, dt.date):
                cell.number_format = "yyyy-mm-dd"
        width = max(len(_shown(value)) for value in cells)
        sheet.column_dimensions[get_column_letter(column)].width = min(width + 2, _MAX_WIDTH)


def _shown(value) -> str:
    if isinstance(value, dt.time):
        return "00:00"
    if isinstance(value, dt.date):
        return "2026-01-01"
    return "" if value is None else str(value)


def workbook_bytes(tabs: dict[str, list[list]]) -> bytes:
    """The tabs, in the given order, each a header row then data rows, as .xlsx bytes."""
    book = Workbook()
    book.remove(book.active)
    for title, rows in tabs.items():
        _fill(book.create_sheet(title), rows)
    book.properties.creator = "examples/make_fleet.py"
    book.properties.created = book.properties.modified = FIXED_TIME
    raw = io.BytesIO()
    with zipfile.ZipFile(raw, "w", zipfile.ZIP_DEFLATED) as archive:
        ExcelWriter(book, archive).save()
    return _pinned_zip(raw.getvalue())


def _pinned_zip(data: bytes) -> bytes:
    """The same archive with every entry's timestamp and attributes fixed."""
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as source, zipfile.ZipFile(out, "w") as target:
        for info in source.infolist():
            entry = zipfile.ZipInfo(info.filename, date_time=_ZIP_TIME)
            entry.compress_type = zipfile.ZIP_DEFLATED
            entry.external_attr = 0o600 << 16
            target.writestr(entry, source.read(info.filename))
    return out.getvalue()


def write(tabs: dict[str, list[list]], path: str | Path) -> None:
    Path(path).write_bytes(workbook_bytes(tabs))
