"""The input workbook plus the Schedule, Violations and Summary tabs, as an .xlsx for people.

An .xlsx input is copied with its formatting, notes and dropdowns; any other source (a Google
Sheet, a workbook in memory) is written from its cells. Output tabs already there are replaced.
Text is always written as text: a cluster named ``=HYPERLINK(...)`` stays a string.
"""
from __future__ import annotations

import datetime as dt
import io
import os
from collections.abc import Sequence
from typing import IO, Any

import openpyxl
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.chart import BarChart, LineChart, Reference
from openpyxl.styles import Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.hyperlink import Hyperlink

from rules.model import RawWorkbook

from . import xlsx_bytes
from .xlsx import XlsxSource
from .output_tabs import DAILY_HEADER, OUTPUT_TABS, SUMMARY, VIOLATIONS, VIOLATIONS_HEADER, output_tabs

_MAX_WIDTH = 80
_ERROR_FILL = PatternFill("solid", fgColor="F8D7DA")
_WARNING_FILL = PatternFill("solid", fgColor="FFF3CD")

Input = str | os.PathLike | bytes | IO[bytes] | RawWorkbook


def plan_workbook(source: Input, doc: dict[str, Any]) -> openpyxl.Workbook:
    book = _input_book(source)
    for sheet in list(book.worksheets):
        if sheet.title.lower() in {t.lower() for t in OUTPUT_TABS}:
            book.remove(sheet)
    for title, rows in output_tabs(doc).items():
        sheet = book.create_sheet(title)
        _fill(sheet, rows)
        _page_setup(sheet)
        if title == VIOLATIONS:
            _shade_severities(sheet)
            _link_cells(sheet, {s.title.lower(): s.title for s in book.worksheets})
        if title == SUMMARY:
            _chart(sheet, rows)
            book.active = book.worksheets.index(sheet)  # the workbook opens on the plan's figures
    for sheet in book.worksheets:
        sheet.sheet_view.tabSelected = sheet is book.active
    return book


def write_plan_xlsx(out: str | os.PathLike | IO[bytes], source: Input, doc: dict[str, Any]) -> None:
    xlsx_bytes.save(plan_workbook(source, doc), out)


def _input_book(source: Input) -> openpyxl.Workbook:
    if isinstance(source, RawWorkbook):
        book = openpyxl.Workbook()
        book.remove(book.active)
        for table in source.tables.values():
            _fill(book.create_sheet(table.title), [list(r) for r in table.rows])
        return book
    if isinstance(source, (bytes, bytearray)):
        source = io.BytesIO(source)
    try:
        book = openpyxl.load_workbook(source)  # full mode: keeps notes, dropdowns and formats
    except Exception:  # formatting openpyxl cannot rebuild (a bad style index, ...): keep the cells
        if hasattr(source, "seek"):
            source.seek(0)
        return _input_book(XlsxSource(source).read())
    # Values, not baggage: links to other files (paths on someone's network) stay behind.
    book._external_links = []
    return book


def _fill(sheet, rows: Sequence[Sequence[Any]]) -> None:
    widths: dict[int, int] = {}
    for r, row in enumerate(rows, start=1):
        for c, value in enumerate(row, start=1):
            shown = _put(sheet.cell(row=r, column=c), value)
            widths[c] = max(widths.get(c, 0), len(shown))
    if rows:
        for cell in sheet[1]:
            cell.font = Font(bold=True)
        sheet.freeze_panes = "A2"
    for c, width in widths.items():
        sheet.column_dimensions[get_column_letter(c)].width = min(max(width + 2, 8), _MAX_WIDTH)


def _put(cell, value: Any) -> str:
    """Write one value and return how wide it shows."""
    if isinstance(value, (list, tuple)):
        value = ", ".join(str(v) for v in value)
    if isinstance(value, dt.datetime) and value.tzinfo is not None:
        value = value.isoformat(timespec="seconds")  # Excel has no time zones: keep the offset
    if isinstance(value, str):
        value = ILLEGAL_CHARACTERS_RE.sub("", value)
        cell.value = value
        cell.data_type = "s"  # never a formula, whatever it starts with
        return value
    cell.value = value
    if isinstance(value, dt.datetime):
        cell.number_format = "yyyy-mm-dd hh:mm"
        return "yyyy-mm-dd hh:mm"
    if isinstance(value, dt.date):
        cell.number_format = "yyyy-mm-dd"
        return "yyyy-mm-dd"
    if isinstance(value, dt.time):
        cell.number_format = "hh:mm"
        return "hh:mm"
    return "" if value is None else str(value)


def _shade_severities(sheet) -> None:
    for row in sheet.iter_rows(min_row=2):
        if row[0].value is None:  # the "no violations" line
            continue
        fill = _WARNING_FILL if row[0].value == "warning" else _ERROR_FILL
        for cell in row:
            cell.fill = fill


def _link_cells(sheet, titles: dict[str, str]) -> None:
    """Each violation's cell reference (``Rules!A16``) as a link to that cell of the workbook."""
    column = VIOLATIONS_HEADER.index("cell") + 1
    for (cell,) in sheet.iter_rows(min_row=2, min_col=column, max_col=column):
        tab, _, where = str(cell.value or "").partition("!")
        if where and tab.lower() in titles:
            cell.hyperlink = Hyperlink(ref=cell.coordinate, location=f"'{titles[tab.lower()]}'!{where}")
            cell.style = "Hyperlink"


def _page_setup(sheet) -> None:
    """Printable as it is: landscape, one page wide, the header row on every page."""
    sheet.page_setup.orientation = "landscape"
    sheet.page_setup.fitToWidth, sheet.page_setup.fitToHeight = 1, 0
    sheet.sheet_properties.pageSetUpPr.fitToPage = True
    sheet.print_title_rows = "1:1"


def _chart(sheet, rows: Sequence[Sequence[Any]]) -> None:
    """Nodes out per date (bars) against the cap (a line), from the daily table."""
    header = next((i for i, row in enumerate(rows) if list(row) == DAILY_HEADER), None)
    if header is None or header + 1 >= len(rows):
        return
    first, last = header + 1, len(rows)  # 0-based data rows -> 1-based sheet rows below
    bars = BarChart()
    bars.title = "Nodes out per date against the cap"
    bars.y_axis.title = "nodes"
    bars.x_axis.title = "date"
    bars.x_axis.number_format = "yyyy-mm-dd"
    bars.add_data(Reference(sheet, min_col=2, min_row=first, max_row=last), titles_from_data=True)
    dates = Reference(sheet, min_col=1, min_row=first + 1, max_row=last)
    bars.set_categories(dates)
    cap = LineChart()
    cap.add_data(Reference(sheet, min_col=3, min_row=first, max_row=last), titles_from_data=True)
    cap.set_categories(dates)
    bars += cap
    bars.width, bars.height = 24, 12
    sheet.add_chart(bars, f"{get_column_letter(len(DAILY_HEADER) + 2)}2")
