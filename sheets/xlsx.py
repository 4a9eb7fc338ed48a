"""Excel workbooks (.xlsx): reading one as a Source, and writing tables to one.

Formulas are read as their text (``=SUM(A1:A3)``), never as a cached result, so validation can
say that formulas are not evaluated instead of trusting a value Excel computed some time ago.
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

from rules.model import RawWorkbook, Table

from . import xlsx_bytes
from .source import SourceError

_MAX_WIDTH = 60


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
            return RawWorkbook({
                sheet.title.lower(): Table(sheet.title, _rows(sheet)) for sheet in book.worksheets
            })
        except Exception as err:
            raise SourceError(f"{self.description} is damaged: {_reason(err)}") from None
        finally:
            book.close()


def _check_path(path: str, description: str) -> None:
    if not os.path.exists(path):
        raise SourceError(f"{description}: no such file")
    if os.path.isdir(path):
        raise SourceError(f"{description} is a directory, not a workbook")


def _reason(err: Exception) -> str:
    text = " ".join(str(err).split()) or type(err).__name__
    return text[:200]


def _rows(sheet) -> tuple[tuple[Any, ...], ...]:
    rows = []
    for row in sheet.iter_rows(values_only=True):
        cells = [_cell(v) for v in row]
        while cells and cells[-1] is None:
            cells.pop()
        rows.append(tuple(cells))
    while rows and not rows[-1]:
        rows.pop()
    return tuple(rows)


def _cell(value: Any) -> Any:
    if isinstance(value, (ArrayFormula, DataTableFormula)):
        return getattr(value, "text", None) or "=" + str(getattr(value, "ref", ""))
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
