"""Setting up a new Google Sheet as a planning workbook, in one ``spreadsheets:batchUpdate``.

The same template as the .xlsx one (sheets/template.py, from rules/contract.py): every tab, its
headers with a note each, dropdowns (data validation) on the enumerated columns, the Clusters
region column tied to the Regions tab (ONE_OF_RANGE, so a new region is offered at once), and
the Settings tab listing every setting.
"""
from __future__ import annotations

from rules import contract as c

from .gsheet_client import SheetsClient
from .gsheet_requests import cell_data, new_sheet_id, sheets_by_title
from .source import SourceError
from .template import (ROWS, column_note, dropdown_prompt, regions_range, setting_default,
                       setting_note, takes_regions)

SETTINGS_ROWS = 100


def _validation(condition: dict, column: str) -> dict:
    return {"condition": condition, "strict": True, "showCustomUi": True,
            "inputMessage": dropdown_prompt(column)}


def one_of(choices, column: str) -> dict:
    return _validation({"type": "ONE_OF_LIST",
                        "values": [{"userEnteredValue": choice} for choice in choices]}, column)


def _column_dropdown(tab: c.Tab, column: c.Column) -> dict | None:
    if takes_regions(tab, column):
        return _validation({"type": "ONE_OF_RANGE", "values": [{"userEnteredValue": regions_range()}]},
                           column.name)
    if column.choices:
        return one_of(column.choices, column.name)
    return None


def _grid(sheet_id: int, row0: int, row1: int, col0: int, col1: int) -> dict:
    return {"sheetId": sheet_id, "startRowIndex": row0, "endRowIndex": row1,
            "startColumnIndex": col0, "endColumnIndex": col1}


def template_requests(metadata: dict) -> list[dict]:
    """The requests that add every contract tab to a spreadsheet that has none of them yet."""
    present = sheets_by_title(metadata)
    clash = [tab.name for tab in c.TABS if tab.name.lower() in present]
    if clash:
        raise SourceError(f"the spreadsheet already has a {', '.join(clash)} tab: the template sets "
                          "up a new spreadsheet only, and never overwrites a planner's tabs")
    taken = {s["properties"]["sheetId"] for s in present.values()}
    requests: list[dict] = []
    for tab in c.TABS:
        sheet_id = new_sheet_id(tab.name, taken)
        taken.add(sheet_id)
        rows = SETTINGS_ROWS if tab is c.SETTINGS else ROWS
        requests.append({"addSheet": {"properties": {
            "sheetId": sheet_id, "title": tab.name,
            "gridProperties": {"rowCount": rows, "columnCount": max(26, len(tab.columns)),
                               "frozenRowCount": 1}}}})
        header = [{**cell_data(column.name, bold=True), "note": column_note(column, tab)}
                  for column in tab.columns]
        requests.append({"updateCells": {"start": {"sheetId": sheet_id, "rowIndex": 0, "columnIndex": 0},
                                         "rows": [{"values": header}],
                                         "fields": "userEnteredValue,userEnteredFormat.textFormat.bold,note"}})
        for index, column in enumerate(tab.columns):
            rule = _column_dropdown(tab, column)
            if rule is not None:
                requests.append({"setDataValidation": {
                    "range": _grid(sheet_id, 1, rows, index, index + 1), "rule": rule}})
        if tab is c.SETTINGS:
            requests += _settings_requests(sheet_id)
    return requests


def _settings_requests(sheet_id: int) -> list[dict]:
    names = c.SETTINGS.column_names
    rows = []
    for spec in c.SETTINGS_LIST:
        row = [None] * len(names)
        row[names.index("setting")] = spec.name
        if not spec.required:
            row[names.index("value")] = setting_default(spec)
        row[names.index("note")] = setting_note(spec)
        rows.append({"values": [cell_data(value) for value in row]})
    requests = [{"updateCells": {"start": {"sheetId": sheet_id, "rowIndex": 1, "columnIndex": 0},
                                 "rows": rows, "fields": "userEnteredValue"}}]
    value = names.index("value")
    for row, spec in enumerate(c.SETTINGS_LIST, start=1):
        if spec.type == c.YESNO:
            requests.append({"setDataValidation": {"range": _grid(sheet_id, row, row + 1, value, value + 1),
                                                   "rule": one_of(c.YES_NO, spec.name)}})
    return requests


def set_up_sheet(spreadsheet_id: str, client: SheetsClient) -> None:
    """Add the template's tabs to the spreadsheet: all of them, or nothing (one batchUpdate)."""
    def attempt() -> None:
        metadata = client.http.fetch_sheet_metadata(spreadsheet_id)
        client.http.batch_update(spreadsheet_id, {"requests": template_requests(metadata)})

    client.call(f"setting up gsheet:{spreadsheet_id}", spreadsheet_id, attempt)
