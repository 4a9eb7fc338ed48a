"""Excel workbooks (.xlsx): reading one as a Source, and writing tables to one.

Formulas are read as their text (``=SUM(A1:A3)``, marked as a ``Formula``), never as a cached
result, so validation can say that formulas are not evaluated instead of trusting a value Excel
computed some time ago. Resources are bounded before parsing: the archive's unpacked size, then
the rows and columns of each tab (``rules.contract``).
"""
from __future__ import annotations

import datetime as dt
import io
import os
import zipfile
from collections.abc import Iterable, Mapping, Sequence
from typing import IO, Any

import openpyxl
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter
from openpyxl.utils.exceptions import InvalidFileException
from openpyxl.worksheet.formula import ArrayFormula, DataTableFormula

from rules import contract as c
from rules.model import Formula, RawWorkbook, Table

from . import xlsx_bytes
from .source import SourceError

_MAX_WIDTH = 60
# A planning workbook of the contract's size unpacks to a few MiB; a zip bomb to gigabytes.
MAX_UNPACKED_BYTES = 32 * 2**20
MAX_ENTRIES = 1_000


class XlsxSource:
    """A workbook from a path, the bytes of a file, or an open binary file object."""

    def __init__(self, workbook: str | os.PathLike | bytes | IO[bytes], description: str | None = None):
        self._workbook = workbook
        if description is None:
            description = (
                os.fspath(workbook) if isinstance(workbook, (str, os.PathLike)) else "workbook"
            )
        self.description = description

    def read(self) -> RawWorkbook:
        target = self._workbook
        if isinstance(target, (bytes, bytearray)):
            target = io.BytesIO(target)
        elif isinstance(target, (str, os.PathLike)):
            _check_path(os.fspath(target), self.description)
        _check_archive(target, self.description)
        try:
            book = openpyxl.load_workbook(target, read_only=True, data_only=False)
        except (InvalidFileException, zipfile.BadZipFile):
            raise SourceError(
                f"{self.description} is not an Excel workbook (.xlsx): save it as .xlsx from "
                "Excel or Google Sheets and try again"
            ) from None
        except Exception as err:  # a damaged file can fail anywhere inside openpyxl
            raise SourceError(
                f"{self.description} is not an Excel workbook (.xlsx), or it is damaged ({_reason(err)})"
            ) from None
        try:
            return RawWorkbook.of(
                (Table(sheet.title, _rows(sheet, self.description)) for sheet in book.worksheets),
                book.epoch.date(),  # plain numbers in date cells count from the file's day 0
            )
        except SourceError:
            raise
        except Exception as err:
            raise SourceError(f"{self.description} is damaged: {_reason(err)}") from None
        finally:
            book.close()


def _check_archive(target: str | IO[bytes], description: str) -> None:
    """Refuse, before parsing, an archive that would unpack to more than any planning workbook:
    the sizes are the ones the archive declares, which zipfile enforces while unpacking."""
    try:
        with zipfile.ZipFile(target) as archive:
            entries = archive.infolist()
    except (zipfile.BadZipFile, OSError, ValueError):
        return  # not a zip at all: openpyxl says so in its own words
    finally:
        if hasattr(target, "seek"):
            target.seek(0)
    unpacked = sum(entry.file_size for entry in entries)
    if len(entries) > MAX_ENTRIES or unpacked > MAX_UNPACKED_BYTES:
        raise SourceError(
            f"{description} unpacks to {unpacked / 2**20:,.0f} MiB in {len(entries):,} parts: a "
            f"planning workbook is at most {MAX_UNPACKED_BYTES // 2**20} MiB unpacked "
            f"({c.MAX_ROWS:,} rows a tab); remove what the plan does not need"
        )


def _check_path(path: str, description: str) -> None:
    if not os.path.exists(path):
        raise SourceError(f"{description}: no such file")
    if os.path.isdir(path):
        raise SourceError(f"{description} is a directory, not a workbook")


def _reason(err: Exception) -> str:
    text = " ".join(str(err).split()) or type(err).__name__
    return text[:200]


def _rows(sheet, description: str) -> tuple[tuple[Any, ...], ...]:
    """The sheet's rows, without trailing blanks. Only the cells the file holds are read (its
    declared dimensions are ignored: they can claim a million rows), and a value past the
    contract's rows or columns is refused instead of read."""
    sheet.reset_dimensions()
    rows = []
    for number, row in enumerate(sheet.iter_rows(), start=1):
        cells = [_cell(cell) for cell in row]
        while cells and cells[-1] is None:
            cells.pop()
        if not cells:
            rows.append(())
            continue
        if number > c.MAX_ROWS + 1 or len(cells) > c.MAX_COLUMNS:
            where = f"{sheet.title}!{get_column_letter(len(cells))}{number}"
            raise SourceError(
                f"{description}: {where} holds a value beyond the {c.MAX_ROWS:,} rows and "
                f"{c.MAX_COLUMNS} columns a tab may have: clear it, or split the workbook"
            )
        rows.append(tuple(cells))
    while rows and not rows[-1]:
        rows.pop()
    return tuple(rows)


def _cell(cell) -> Any:
    """A cell's value; a formula (the cell's type says so) as a Formula of its text."""
    value = cell.value
    if isinstance(value, (ArrayFormula, DataTableFormula)):
        return Formula(getattr(value, "text", None) or "=" + str(getattr(value, "ref", "")))
    if getattr(cell, "data_type", None) == "f":
        return Formula(value)
    if isinstance(value, str) and value == "":
        return None
    return value


# --- writing ---------------------------------------------------------------------------------

def build_workbook(tabs: Mapping[str, Sequence[Sequence[Any]]]) -> openpyxl.Workbook:
    """A workbook with one sheet per tab (row 0 the header), formatted for people: bold frozen
    header, widths from the content, dates as dates. Text is always text: a value starting with
    ``=`` is never turned into a formula."""
    book = openpyxl.Workbook()
    book.remove(book.active)
    for title, rows in tabs.items():
        sheet = book.create_sheet(title)
        widths: dict[int, int] = {}
        for r, row in enumerate(rows, start=1):
            for col, value in enumerate(row, start=1):
                _put(sheet, r, col, value)
                widths[col] = max(widths.get(col, 0), len(_shown(value)))
        for cell in sheet[1] if rows else ():
            cell.font = Font(bold=True)
        sheet.freeze_panes = "A2"
        for col, width in widths.items():
            sheet.column_dimensions[get_column_letter(col)].width = min(max(width + 2, 8), _MAX_WIDTH)
    return book


def write_workbook(path: str | os.PathLike | IO[bytes], tabs: Mapping[str, Sequence[Sequence[Any]]]) -> None:
    xlsx_bytes.save(build_workbook(tabs), path)


def _put(sheet, row: int, col: int, value: Any) -> None:
    cell = sheet.cell(row=row, column=col)
    if isinstance(value, (list, tuple)):
        value = ", ".join(str(v) for v in value)
    if isinstance(value, dt.datetime) and value.tzinfo is not None:
        value = value.isoformat(timespec="seconds")  # Excel has no time zones: keep the offset
    cell.value = value
    if isinstance(value, str) and value.startswith("="):
        cell.data_type = "s"  # text from a sheet stays text
    elif isinstance(value, dt.datetime):
        cell.number_format = "yyyy-mm-dd hh:mm"
    elif isinstance(value, dt.date):
        cell.number_format = "yyyy-mm-dd"


def _shown(value: Any) -> str:
    if isinstance(value, dt.datetime) and value.tzinfo is not None:
        return value.isoformat(timespec="seconds")
    if isinstance(value, dt.datetime):
        return "yyyy-mm-dd hh:mm"
    if isinstance(value, dt.date):
        return "yyyy-mm-dd"
    if isinstance(value, Iterable) and not isinstance(value, str):
        return ", ".join(str(v) for v in value)
    return "" if value is None else str(value)
