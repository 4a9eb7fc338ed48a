"""The sub-requests of the fake's `spreadsheets:batchUpdate`, each applied to a working copy."""
from __future__ import annotations

from dataclasses import replace

from .sheets_cells import ApiError, Cell, Tab, from_extended


def apply_request(sheet, kind: str, body: dict) -> dict:
    handler = _HANDLERS.get(kind)
    if handler is None:
        raise ApiError(400, f'Invalid JSON payload received. Unknown name "{kind}" at '
                            f"'requests[0]': Cannot find field.")
    return handler(sheet, body)


def _add_sheet(sheet, body: dict) -> dict:
    props = body.get("properties", {})
    title = props.get("title") or f"Sheet{len(sheet.tabs) + 1}"
    if sheet.tab_titled(title):
        raise ApiError(400, f'A sheet with the name "{title}" already exists. Please enter another name.')
    sheet_id = props.get("sheetId")
    if sheet_id is None:
        sheet_id = next(sheet.ids)
    elif any(t.sheet_id == sheet_id for t in sheet.tabs):
        raise ApiError(400, f"A sheet with the id {sheet_id} already exists.")
    grid = props.get("gridProperties", {})
    tab = Tab(sheet_id, title, grid.get("rowCount", 1000), grid.get("columnCount", 26),
              grid.get("frozenRowCount", 0))
    _check_frozen(tab)
    index = props.get("index", len(sheet.tabs))
    sheet.tabs.insert(index, tab)
    return {"addSheet": {"properties": tab.properties(sheet.tabs.index(tab))}}


def _check_frozen(tab: Tab) -> None:
    if tab.frozen_rows and tab.frozen_rows >= tab.rows:
        raise ApiError(400, "You can't freeze all visible rows on the sheet.")


def _delete_sheet(sheet, body: dict) -> dict:
    tab = sheet.tab_id(body.get("sheetId"))
    if len(sheet.tabs) == 1:
        raise ApiError(400, "You can't remove all the sheets in a document.")
    sheet.tabs.remove(tab)
    sheet.protected = [p for p in sheet.protected if p["range"]["sheetId"] != tab.sheet_id]
    return {}


def _fields(mask: str) -> set[str]:
    if not mask:
        raise ApiError(400, "At least one field must be updated. Specify 'fields'.")
    return {f.strip().replace("/", ".") for f in mask.split(",")}


def _update_sheet_properties(sheet, body: dict) -> dict:
    props = body.get("properties", {})
    tab = sheet.tab_id(props.get("sheetId", 0))
    fields = _fields(body.get("fields", ""))
    grid = props.get("gridProperties", {})
    for name in fields:
        if name == "title":
            other = sheet.tab_titled(props["title"])
            if other is not None and other is not tab:
                raise ApiError(400, f'A sheet with the name "{props["title"]}" already exists.')
            tab.title = props["title"]
        elif name in ("gridProperties.rowCount", "gridProperties.columnCount"):
            key = name.split(".")[1]
            count = grid.get(key, 0)
            if count < 1:
                raise ApiError(400, f"{key} must be at least 1")
            if key == "rowCount":
                tab.rows = count
            else:
                tab.cols = count
            tab.cells = {(r, c): v for (r, c), v in tab.cells.items() if r < tab.rows and c < tab.cols}
        elif name == "gridProperties.frozenRowCount":
            tab.frozen_rows = grid.get("frozenRowCount", 0)
        elif name == "gridProperties":
            tab.frozen_rows = grid.get("frozenRowCount", tab.frozen_rows)
        elif name != "index":
            raise ApiError(400, f"Unsupported field in fake: {name}")
    _check_frozen(tab)
    return {}


def _update_spreadsheet_properties(sheet, body: dict) -> dict:
    if "title" in _fields(body.get("fields", "")):
        sheet.title = body["properties"]["title"]
    return {}


def _grid(sheet, grid_range: dict):
    """A GridRange -> (tab, row0, col0, row1, col1), checked against the grid."""
    tab = sheet.tab_id(grid_range.get("sheetId", 0))
    row0, col0 = grid_range.get("startRowIndex", 0), grid_range.get("startColumnIndex", 0)
    row1, col1 = grid_range.get("endRowIndex", tab.rows), grid_range.get("endColumnIndex", tab.cols)
    if row1 > tab.rows or col1 > tab.cols:
        raise ApiError(400, f"GridRange ({row0},{col0})..({row1},{col1}) exceeds grid limits of "
                            f"{tab.title!r}. Max rows: {tab.rows}, max columns: {tab.cols}")
    return tab, row0, col0, row1, col1


def _wanted(fields: set[str]) -> tuple[bool, bool, bool, bool]:
    """Which parts of a cell a field mask updates: value, number format, note, validation."""
    every = "*" in fields
    return (every or "userEnteredValue" in fields,
            every or any(f.startswith("userEnteredFormat") for f in fields),
            every or "note" in fields, every or "dataValidation" in fields)


def _merged(old: Cell, data: dict, wanted: tuple[bool, bool, bool, bool]) -> Cell:
    """The cell after an update of the ``wanted`` parts (a part left out of ``data`` is cleared)."""
    kind, value, number_format, note, validation = (old.kind, old.value, old.number_format,
                                                    old.note, old.validation)
    if wanted[0]:
        kind, value = from_extended(data.get("userEnteredValue"))
    if wanted[1]:
        number_format = ((data.get("userEnteredFormat") or {}).get("numberFormat") or {}).get("type")
        number_format = number_format if number_format in ("DATE", "TIME") else None
    if wanted[2]:
        note = data.get("note")
    if wanted[3]:
        validation = data.get("dataValidation")
    return Cell(kind, value, number_format, note, validation)


def _update_cells(sheet, body: dict) -> dict:
    wanted = _wanted(_fields(body.get("fields", "")))
    rows = body.get("rows", [])
    if "range" in body:
        tab, row0, col0, row1, col1 = _grid(sheet, body["range"])
    elif "start" in body:
        start = body["start"]
        tab = sheet.tab_id(start.get("sheetId", 0))
        row0, col0 = start.get("rowIndex", 0), start.get("columnIndex", 0)
        row1 = row0 + len(rows)
        col1 = col0 + max((len(r.get("values", [])) for r in rows), default=0)
        if row1 > tab.rows or col1 > tab.cols:
            raise ApiError(400, f"GridCoordinate exceeds grid limits of {tab.title!r}. "
                                f"Max rows: {tab.rows}, max columns: {tab.cols}")
    else:
        raise ApiError(400, "updateCells needs a start or a range")
    if len(rows) > row1 - row0 or any(len(r.get("values", [])) > col1 - col0 for r in rows):
        raise ApiError(400, "The rows do not fit in the given range")
    # With a range, its cells the rows leave out are cleared for the fields named (Google's rule).
    for r in range(row0, row1):
        values = rows[r - row0].get("values", []) if r - row0 < len(rows) else []
        for c in range(col0, col1):
            data = values[c - col0] if c - col0 < len(values) else {}
            tab.put(r, c, _merged(tab.cell(r, c), data or {}, wanted))
    return {}


def _set_data_validation(sheet, body: dict) -> dict:
    tab, row0, col0, row1, col1 = _grid(sheet, body.get("range", {}))
    rule = body.get("rule")
    if rule is not None:
        condition = rule.get("condition", {})
        if condition.get("type") not in ("ONE_OF_LIST", "ONE_OF_RANGE", "BOOLEAN", "DATE_IS_VALID",
                                         "NUMBER_GREATER", "NUMBER_BETWEEN", "CUSTOM_FORMULA"):
            raise ApiError(400, f"Invalid ConditionType: {condition.get('type')}")
    for r in range(row0, row1):
        for c in range(col0, col1):
            tab.put(r, c, replace(tab.cell(r, c), validation=rule))
    return {}


def _add_protected_range(sheet, body: dict) -> dict:
    protected = dict(body.get("protectedRange", {}))
    if protected.get("warningOnly") and protected.get("editors"):
        raise ApiError(400, "A warningOnly protected range cannot have editors.")
    _grid(sheet, protected.get("range", {}))
    protected["range"] = {"sheetId": 0, **protected.get("range", {})}
    protected.setdefault("protectedRangeId", next(sheet.ids))
    protected["warningOnly"] = bool(protected.get("warningOnly"))
    if not protected["warningOnly"]:
        protected["requestingUserCanEdit"] = True
    sheet.protected.append(protected)
    return {"addProtectedRange": {"protectedRange": dict(protected)}}


def _delete_protected_range(sheet, body: dict) -> dict:
    wanted = body.get("protectedRangeId")
    if not any(p["protectedRangeId"] == wanted for p in sheet.protected):
        raise ApiError(400, f"No protected range with id: {wanted}")
    sheet.protected = [p for p in sheet.protected if p["protectedRangeId"] != wanted]
    return {}


_HANDLERS = {
    "addSheet": _add_sheet,
    "deleteSheet": _delete_sheet,
    "updateSheetProperties": _update_sheet_properties,
    "updateSpreadsheetProperties": _update_spreadsheet_properties,
    "updateCells": _update_cells,
    "setDataValidation": _set_data_validation,
    "addProtectedRange": _add_protected_range,
    "deleteProtectedRange": _delete_protected_range,
}
