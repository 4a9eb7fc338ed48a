"""An openpyxl workbook -> .xlsx bytes that are the same on every run for the same content.

openpyxl stamps the save time into docProps/core.xml and into every zip entry; both are
pinned here, so the same input gives the same bytes and a committed file only changes when
its content does.
"""
from __future__ import annotations

import datetime as dt
import io
import os
import zipfile
from typing import IO

import openpyxl
from openpyxl.writer.excel import ExcelWriter

FIXED_TIME = dt.datetime(2026, 11, 1, 0, 0, 0)
_ZIP_TIME = (1980, 1, 1, 0, 0, 0)  # the earliest a zip entry can carry


def stable_bytes(book: openpyxl.Workbook) -> bytes:
    book.properties.created = book.properties.modified = FIXED_TIME
    raw = io.BytesIO()
    with zipfile.ZipFile(raw, "w", zipfile.ZIP_DEFLATED) as archive:
        ExcelWriter(book, archive).save()  # not book.save(): it would stamp the clock
    return _pinned_zip(raw.getvalue())


def save(book: openpyxl.Workbook, out: str | os.PathLike | IO[bytes]) -> None:
    data = stable_bytes(book)
    if hasattr(out, "write"):
        out.write(data)
    else:
        with open(out, "wb") as handle:
            handle.write(data)


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
