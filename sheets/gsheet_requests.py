"""Pure builders of Sheets API v4 request bodies: cells, output tabs, protection. No I/O.

Everything we write goes as ``userEnteredValue`` of a typed kind (stringValue, numberValue,
boolValue): never parsed by Google, so a cluster named ``=IMPORTXML(...)`` stays text.
"""
from __future__ import annotations

import datetime as dt
import json
import zlib
from collections.abc import Mapping, Sequence

from rules.calendar import to_serial

from .source import SourceError

MAX_REQUEST_BYTES = 10 * 1024 * 1024  # Google refuses larger request bodies (400)
PROTECTION_DESCRIPTION = "Written by the maintenance planner on every validation: do not edit."
OUTPUT_FIELDS = "userEnteredValue,userEnteredFormat.numberFormat,userEnteredFormat.textFormat.bold"
DATE_FORMAT = {"type": "DATE", "pattern": "yyyy-mm-dd"}
TIME_FORMAT = {"type": "TIME", "pattern": "hh:mm"}


def cell_data(value, bold: bool = False) -> dict:
    """One CellData: the value typed explicitly, dates as serial numbers shown as dates."""
    data: dict = {}
    if isinstance(value, bool):
        data["userEnteredValue"] = {"boolValue": value}
    elif isinstance(value, (int, float)):
        data["userEnteredValue"] = {"numberValue": value}
    elif isinstance(value, dt.datetime):
        data["userEnteredValue"] = {"stringValue": value.isoformat()}
    elif isinstance(value, dt.date):
        data["userEnteredValue"] = {"numberValue": to_serial(value)}
        data["userEnteredFormat"] = {"numberFormat": DATE_FORMAT}
    elif isinstance(value, dt.time):  # a fraction of a day, shown as a time
        seconds = value.hour * 3600 + value.minute * 60 + value.second
        data["userEnteredValue"] = {"numberValue": seconds / 86400}
        data["userEnteredFormat"] = {"numberFormat": TIME_FORMAT}
    elif value is not None and value != "":
        data["userEnteredValue"] = {"stringValue": str(value)}
    if bold:
        data.setdefault("userEnteredFormat", {})["textFormat"] = {"bold": True}
    return data


def row_data(row: Sequence, bold: bool = False) -> dict:
    return {"values": [cell_data(value, bold) for value in row]}


def new_sheet_id(title: str, taken: set[int]) -> int:
    """A sheetId for a tab we add, chosen by us so later requests of the same batch can name it."""
    candidate = zlib.crc32(title.lower().encode()) % 2_000_000_000 + 1
    while candidate in taken:
        candidate += 1
    return candidate


def sheets_by_title(metadata: dict) -> dict[str, dict]:
    """Lower-cased title -> the sheet object of a spreadsheets.get answer."""
    return {s["properties"]["title"].lower(): s for s in metadata.get("sheets", [])}


def output_requests(metadata: dict, tabs: Mapping[str, Sequence[Sequence]],
                    header_rows: Mapping[str, int], editors: Sequence[str] = ()) -> list[dict]:
    """One batchUpdate's requests writing each tab whole: added if missing, grown if too small,
    every cell of its grid rewritten (the rows given, the rest cleared), and protected.

    ``header_rows``: how many top rows of each tab are frozen and bold. ``editors``: the only
    accounts allowed to edit the output tabs; none means a warning-only protection.
    """
    sheets = sheets_by_title(metadata)
    taken = {s["properties"]["sheetId"] for s in sheets.values()}
    requests: list[dict] = []
    for title, rows in tabs.items():
        frozen = header_rows.get(title, 1)
        height = max(len(rows), frozen + 1)  # Google refuses to freeze every row of a tab
        width = max((len(row) for row in rows), default=1) or 1
        sheet = sheets.get(title.lower())
        if sheet is None:
            sheet_id = new_sheet_id(title, taken)
            taken.add(sheet_id)
            rows_count, cols_count = height, width
            requests.append({"addSheet": {"properties": {
                "sheetId": sheet_id, "title": title,
                "gridProperties": {"rowCount": rows_count, "columnCount": cols_count,
                                   "frozenRowCount": frozen}}}})
            protected = []
        else:
            props = sheet["properties"]
            sheet_id, grid = props["sheetId"], props.get("gridProperties", {})
            rows_count = max(grid.get("rowCount", 0), height)
            cols_count = max(grid.get("columnCount", 0), width)
            requests.append({"updateSheetProperties": {
                "properties": {"sheetId": sheet_id, "gridProperties": {
                    "rowCount": rows_count, "columnCount": cols_count, "frozenRowCount": frozen}},
                "fields": "gridProperties.rowCount,gridProperties.columnCount,gridProperties.frozenRowCount"}})
            protected = sheet.get("protectedRanges", [])
        requests.append({"updateCells": {
            "range": {"sheetId": sheet_id, "startRowIndex": 0, "endRowIndex": rows_count,
                      "startColumnIndex": 0, "endColumnIndex": cols_count},
            "rows": [row_data(row, bold=i < frozen) for i, row in enumerate(rows)],
            "fields": OUTPUT_FIELDS}})
        if not any(p.get("description") == PROTECTION_DESCRIPTION for p in protected):
            requests.append({"addProtectedRange": {"protectedRange": protection(sheet_id, editors)}})
    return requests


def protection(sheet_id: int, editors: Sequence[str]) -> dict:
    protected = {"range": {"sheetId": sheet_id}, "description": PROTECTION_DESCRIPTION}
    if editors:
        protected["editors"] = {"users": list(editors)}
    else:
        protected["warningOnly"] = True
    return protected


def encode(requests: list[dict]) -> bytes:
    return json.dumps({"requests": requests}, ensure_ascii=False, separators=(",", ":")).encode()


def fitting_body(metadata: dict, tabs: Mapping[str, Sequence[Sequence]], header_rows: Mapping[str, int],
                 editors: Sequence[str] = (), limit: int = MAX_REQUEST_BYTES) -> bytes:
    """The output batchUpdate's body, within Google's request size: when the tabs are too big
    (a plan of several thousand clusters), the longest tab keeps as many rows as fit and ends
    with a row saying how many were left out, so the write stays one atomic request."""
    body = encode(output_requests(metadata, tabs, header_rows, editors))
    full, fitted, share = len(body), dict(tabs), 0.95
    title = max(tabs, key=lambda t: len(tabs[t]))
    rows, head = tabs[title], header_rows.get(title, 1)
    while len(body) > limit:
        keep = max(head, int(len(rows) * share * limit / full))
        if keep == head and len(fitted[title]) == head + 1:
            raise SourceError(f"the output tabs do not fit in one Google Sheets request "
                              f"({len(body)} bytes, at most {limit})")
        fitted[title] = list(rows[:keep]) + [[
            f"... {len(rows) - keep} more rows not shown: they do not fit in one Google Sheets "
            "request (10 MB at most); the whole plan: flask --app wsgi plan gsheet:<id> --json FILE"]]
        body = encode(output_requests(metadata, fitted, header_rows, editors))
        share *= 0.9
    return body
