"""Tabs of cells -> an .xlsx file that is the same, byte for byte, on every run.

The layout is the shared writer's (``sheets.xlsx.build_workbook``). openpyxl stamps the save
time into docProps/core.xml and into every zip entry; both are pinned here so a regenerated
workbook can be compared with ``cmp`` and a committed one only changes when its content does.
"""
from __future__ import annotations

import datetime as dt
import io
import zipfile
from pathlib import Path

from openpyxl.writer.excel import ExcelWriter

from sheets.xlsx import build_workbook

FIXED_TIME = dt.datetime(2026, 11, 1, 0, 0, 0)
_ZIP_TIME = (1980, 1, 1, 0, 0, 0)  # the earliest a zip entry can carry


def workbook_bytes(tabs: dict[str, list[list]]) -> bytes:
    """The tabs, in the given order, each a header row then data rows, as .xlsx bytes."""
    book = build_workbook(tabs)
    for sheet in book.worksheets:
        for row in sheet.iter_rows():
            for cell in row:
                if isinstance(cell.value, dt.time):
                    cell.number_format = "hh:mm"  # as a planner types it, not 11:00:00
    book.properties.creator = "examples/make_fleet.py"
    book.properties.created = book.properties.modified = FIXED_TIME
    raw = io.BytesIO()
    with zipfile.ZipFile(raw, "w", zipfile.ZIP_DEFLATED) as archive:
        ExcelWriter(book, archive).save()  # not book.save(): it would stamp the clock
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
