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
from openpyxl.chart import Reference, ScatterChart, Series
from openpyxl.styles import Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.hyperlink import Hyperlink

from rules.calendar import SERIAL_EPOCH
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
    """The peak of nodes out per campaign day (dots) against the cap over the whole fleet (a
    step line: each day's cap from half a day before its date to half a day after), and every
    limit over its cap on the days it is (its peak and its cap as marks), on a date axis."""
    width = len(DAILY_HEADER)
    header = next((i for i, row in enumerate(rows) if list(row[:width]) == DAILY_HEADER), None)
    if header is None or header + 1 >= len(rows):
        return
    top, bottom = header + 2, len(rows)  # the daily rows, 1-based
    days = [row[0] for row in rows[header + 1:]]
    step = len(rows[header]) + 2  # the cap step's points, right of the daily table
    sheet.cell(row=header + 1, column=step, value="cap step (chart): from").font = Font(bold=True)
    sheet.cell(row=header + 1, column=step + 1, value="cap").font = Font(bold=True)
    at = header + 2
    for row in rows[header + 1:]:
        if row[2] is None:
            continue
        noon = dt.datetime.combine(row[0], dt.time(12))
        for x in (noon - dt.timedelta(days=1), noon):
            _put(sheet.cell(row=at, column=step), x)
            sheet.cell(row=at, column=step + 1, value=row[2])
            at += 1
    chart = ScatterChart(scatterStyle="lineMarker")
    chart.title = "Peak nodes out per day against the cap"
    _series(chart, sheet, 1, 2, top, bottom, "circle")
    if at > header + 2:
        _series(chart, sheet, step, step + 1, header + 2, at - 1, None)
    for column in range(width + 1, len(rows[header]) + 1):  # a limit's peak, then its cap
        _series(chart, sheet, 1, column, top, bottom, "triangle" if (column - width) % 2 else "dash")
    chart.x_axis.title = "campaign day"
    chart.x_axis.number_format = "yyyy-mm-dd"
    chart.x_axis.majorUnit = 7
    chart.x_axis.scaling.min = (days[0] - SERIAL_EPOCH).days - 1
    chart.x_axis.scaling.max = (days[-1] - SERIAL_EPOCH).days + 1
    chart.y_axis.title = "nodes out at once"
    chart.y_axis.scaling.min = 0
    for axis in (chart.x_axis, chart.y_axis):
        axis.delete = False  # openpyxl hides axes unless told
    chart.x_axis.axPos, chart.y_axis.axPos = "b", "l"  # dates along the bottom, nodes on the left
    chart.x_axis.crosses = chart.y_axis.crosses = "min"
    chart.width, chart.height = 24, 12
    sheet.add_chart(chart, f"{get_column_letter(step + 3)}2")


def _series(chart, sheet, x_column, y_column, top, bottom, marker: str | None) -> None:
    """One series: marks only when ``marker`` is given, else a straight (not smoothed) line."""
    xs = Reference(sheet, min_col=x_column, min_row=top, max_row=bottom)
    ys = Reference(sheet, min_col=y_column, min_row=top - 1, max_row=bottom)
    series = Series(ys, xs, title_from_data=True)
    series.smooth = False
    if marker:
        series.marker.symbol = marker
        series.marker.size = 7
        series.graphicalProperties.line.noFill = True
    else:
        series.marker.symbol = "none"
    chart.series.append(series)
