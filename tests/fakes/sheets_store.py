"""The fake's spreadsheets: tabs of cells, protected ranges, and the Sheets API v4 operations on them.

Every write goes to a copy that replaces the original only when the whole request succeeded, so
a `:batchUpdate` is atomic as Google's is: one bad sub-request and nothing changes.
"""
from __future__ import annotations

import copy
import json
import datetime as dt
import itertools
from dataclasses import dataclass, field, replace

from .sheets_batch import apply_request
from .sheets_cells import ApiError, Tab, a1, entered, parse_cells, quoted_title, render, split_range

DEFAULT_FORMAT = {
    "backgroundColor": {"red": 1, "green": 1, "blue": 1},
    "padding": {"top": 2, "right": 3, "bottom": 2, "left": 3},
    "verticalAlignment": "BOTTOM",
    "wrapStrategy": "OVERFLOW_CELL",
    "textFormat": {"foregroundColor": {}, "fontFamily": "arial,sans,sans-serif", "fontSize": 10,
                   "bold": False, "italic": False, "strikethrough": False, "underline": False,
                   "foregroundColorStyle": {"rgbColor": {}}},
    "backgroundColorStyle": {"rgbColor": {"red": 1, "green": 1, "blue": 1}},
}
_ACCENTS = {  # Google's default theme, as recorded
    "TEXT": {}, "BACKGROUND": {"red": 1, "green": 1, "blue": 1},
    "ACCENT1": {"red": 0.25882354, "green": 0.52156866, "blue": 0.95686275},
    "ACCENT2": {"red": 0.91764706, "green": 0.2627451, "blue": 0.20784314},
    "ACCENT3": {"red": 0.9843137, "green": 0.7372549, "blue": 0.015686275},
    "ACCENT4": {"red": 0.20392157, "green": 0.65882355, "blue": 0.3254902},
    "ACCENT5": {"red": 1, "green": 0.42745098, "blue": 0.003921569},
    "ACCENT6": {"red": 0.27450982, "green": 0.7411765, "blue": 0.7764706},
    "LINK": {"red": 0.06666667, "green": 0.33333334, "blue": 0.8},
}
THEME = {"primaryFontFamily": "Arial", "themeColors": [
    {"colorType": kind, "color": {"rgbColor": rgb}} for kind, rgb in _ACCENTS.items()]}


@dataclass
class Spreadsheet:
    id: str
    title: str
    created: dt.datetime
    modified: dt.datetime
    tabs: list[Tab] = field(default_factory=list)
    protected: list[dict] = field(default_factory=list)
    ids: itertools.count = field(default_factory=lambda: itertools.count(1_000_001))

    # --- lookups ------------------------------------------------------------------------
    def tab_titled(self, title: str) -> Tab | None:
        return next((t for t in self.tabs if t.title.lower() == title.lower()), None)

    def tab_id(self, sheet_id: int) -> Tab:
        tab = next((t for t in self.tabs if t.sheet_id == sheet_id), None)
        if tab is None:
            raise ApiError(400, f"No grid with id: {sheet_id}")
        return tab

    def resolve(self, text: str, write: bool = False) -> tuple[Tab, tuple[int, int, int, int]]:
        """A range in A1 notation -> (tab, (row0, col0, row1, col1)) within the grid."""
        try:
            title, cells = split_range(text)
            tab = self.tab_titled(title)
            if tab is None and cells is None:  # "A1:B2" alone means the first tab
                tab, cells = self.tabs[0], title
                parse_cells(cells)
            if tab is None:
                raise ValueError(text)
            row0, col0, row1, col1 = parse_cells(cells) if cells else (0, 0, None, None)
        except ValueError:
            raise ApiError(400, f"Unable to parse range: {text}") from None
        bounded = (row0, col0, tab.rows if row1 is None else row1, tab.cols if col1 is None else col1)
        if bounded[2] > tab.rows or bounded[3] > tab.cols or (write and row0 >= tab.rows):
            raise ApiError(400, f"Range ({quoted_title(tab.title)}!{cells}) exceeds grid limits. "
                                f"Max rows: {tab.rows}, max columns: {tab.cols}")
        return tab, bounded

    # --- reading ------------------------------------------------------------------------
    def metadata(self) -> dict:
        sheets = []
        for index, tab in enumerate(self.tabs):
            sheet = {"properties": tab.properties(index)}
            mine = [p for p in self.protected if p["range"]["sheetId"] == tab.sheet_id]
            if mine:
                sheet["protectedRanges"] = copy.deepcopy(mine)
            sheets.append(sheet)
        return {
            "spreadsheetId": self.id,
            "properties": {"title": self.title, "locale": "en_US", "autoRecalc": "ON_CHANGE",
                           "timeZone": "Etc/GMT", "defaultFormat": copy.deepcopy(DEFAULT_FORMAT),
                           "spreadsheetTheme": copy.deepcopy(THEME)},
            "sheets": sheets,
            "spreadsheetUrl": f"https://docs.google.com/spreadsheets/d/{self.id}/edit",
        }

    def value_range(self, text: str, value_option: str = "FORMATTED_VALUE",
                    date_option: str = "SERIAL_NUMBER", major: str = "ROWS") -> dict:
        """values.get: trailing blank cells of a row and trailing blank rows are left out."""
        tab, (row0, col0, row1, col1) = self.resolve(text)
        grid = [[render(tab.cell(r, c), value_option, date_option) if not tab.cell(r, c).empty
                 else "" for c in range(col0, col1)] for r in range(row0, row1)]
        if major == "COLUMNS":
            grid = [list(column) for column in zip(*grid)] if grid else []
        values = [_trim(row) for row in grid]
        while values and not values[-1]:
            values.pop()
        answer = {"range": a1(tab.title, row0, col0, row1, col1), "majorDimension": major}
        if values:
            answer["values"] = values
        return answer

    # --- writing ------------------------------------------------------------------------
    def update_values(self, text: str, values, raw: bool) -> dict:
        if not isinstance(values, list) or not all(isinstance(row, list) for row in values):
            message = f"Invalid value at 'data.values' (type.googleapis.com/google.protobuf.ListValue), {json.dumps(values)}"
            raise ApiError(400, message, [{"@type": "type.googleapis.com/google.rpc.BadRequest",
                                           "fieldViolations": [{"field": "data.values",
                                                                "description": message}]}])
        tab, (row0, col0, row1, col1) = self.resolve(text, write=True)
        height, width = len(values), max((len(row) for row in values), default=0)
        if row0 + height > tab.rows or col0 + width > tab.cols:
            raise ApiError(400, f"Range ({quoted_title(tab.title)}!{a1(tab.title, row0, col0, row0 + height, col0 + max(width, 1)).split('!')[1]}) "
                                f"exceeds grid limits. Max rows: {tab.rows}, max columns: {tab.cols}")
        _, cells = split_range(text)
        if cells and ":" in cells and (row0 + height > row1 or col0 + width > col1):
            raise ApiError(400, f"Requested writing within range [{text}], but tried writing "
                                f"outside of it")
        for r, row in enumerate(values):
            for c, value in enumerate(row):
                cell = entered(value, raw)
                if cell is not None:
                    old = tab.cell(row0 + r, col0 + c)
                    tab.put(row0 + r, col0 + c, replace(cell, note=old.note, validation=old.validation))
        answer = {"spreadsheetId": self.id, "updatedRange": a1(tab.title, row0, col0, row0 + max(height, 1), col0 + max(width, 1)),
                  "updatedRows": height, "updatedColumns": width,
                  "updatedCells": sum(len(row) for row in values)}
        return answer

    def clear(self, text: str) -> str:
        tab, (row0, col0, row1, col1) = self.resolve(text)
        for (r, c), cell in list(tab.cells.items()):
            if row0 <= r < row1 and col0 <= c < col1:
                tab.put(r, c, replace(cell, kind=None, value=None, number_format=None))
        return a1(tab.title, row0, col0, row1, col1)

    def batch_update(self, requests: list) -> list:
        replies = []
        for index, request in enumerate(requests):
            if not isinstance(request, dict) or len(request) != 1:
                raise ApiError(400, f"Invalid requests[{index}]: exactly one kind of request is required.")
            (kind, body), = request.items()
            try:
                replies.append(apply_request(self, kind, body))
            except ApiError as error:
                raise ApiError(error.code, f"Invalid requests[{index}].{kind}: {error.message}") from None
        return replies

    def copy(self) -> "Spreadsheet":
        """A copy to write to: tabs and their cell maps are new, cells (immutable) are shared."""
        twin = copy.copy(self)
        twin.tabs = [replace(tab, cells=dict(tab.cells)) for tab in self.tabs]
        twin.protected = copy.deepcopy(self.protected)
        return twin


def _trim(row: list) -> list:
    end = len(row)
    while end and row[end - 1] == "":
        end -= 1
    return row[:end]
