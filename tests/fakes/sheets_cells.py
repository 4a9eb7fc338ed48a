"""Cells, A1 ranges and value rendering as Google Sheets does them, for the fake Sheets API.

Written from the API reference and from the recorded responses in
``shared/fixtures/gspread-cassettes``; only what the project and those recordings exercise.
"""
from __future__ import annotations

import ast
import datetime as dt
import operator
import re
from dataclasses import dataclass, field

from rules.calendar import SERIAL_EPOCH, to_serial
from rules.validation.tabs import column_index, column_letter


class ApiError(Exception):
    """Answered as Google's error envelope: {"error": {"code", "message", "status"}}."""

    STATUSES = {400: "INVALID_ARGUMENT", 401: "UNAUTHENTICATED", 403: "PERMISSION_DENIED",
                404: "NOT_FOUND", 429: "RESOURCE_EXHAUSTED", 500: "INTERNAL", 503: "UNAVAILABLE"}

    def __init__(self, code: int, message: str, details: list | None = None,
                 drive_reason: str | None = None):
        super().__init__(message)
        self.code, self.message, self.details = code, message, details
        self.drive_reason = drive_reason  # Drive v3 answers in its older envelope

    def envelope(self) -> dict:
        if self.drive_reason:
            return {"error": {"code": self.code, "message": self.message, "errors": [
                {"message": self.message, "domain": "global", "reason": self.drive_reason,
                 "locationType": "parameter", "location": "fileId"}]}}
        error = {"code": self.code, "message": self.message,
                 "status": self.STATUSES.get(self.code, "UNKNOWN")}
        if self.details:
            error["details"] = self.details
        return {"error": error}


@dataclass(frozen=True)
class Cell:
    """One cell. ``kind`` is None for a cell holding no value (it may still have a note)."""

    kind: str | None = None  # "string" | "number" | "bool" | "formula"
    value: object = None
    number_format: str | None = None  # "DATE" | "TIME" when typed or formatted as one
    note: str | None = None
    validation: dict | None = None

    @property
    def empty(self) -> bool:
        return self.kind is None

    def user_entered_value(self) -> dict | None:
        key = {"string": "stringValue", "number": "numberValue", "bool": "boolValue",
               "formula": "formulaValue"}.get(self.kind)
        return {key: self.value} if key else None


EMPTY = Cell()


@dataclass
class Tab:
    sheet_id: int
    title: str
    rows: int = 1000
    cols: int = 26
    frozen_rows: int = 0
    cells: dict[tuple[int, int], Cell] = field(default_factory=dict)

    def cell(self, row: int, col: int) -> Cell:
        return self.cells.get((row, col), EMPTY)

    def put(self, row: int, col: int, cell: Cell) -> None:
        if cell.empty and cell.note is None and cell.validation is None:
            self.cells.pop((row, col), None)
        else:
            self.cells[(row, col)] = cell

    def properties(self, index: int) -> dict:
        grid = {"rowCount": self.rows, "columnCount": self.cols}
        if self.frozen_rows:
            grid["frozenRowCount"] = self.frozen_rows
        return {"sheetId": self.sheet_id, "title": self.title, "index": index,
                "sheetType": "GRID", "gridProperties": grid}

# --- what a user types (valueInputOption USER_ENTERED) or an API client sends RAW -------------

_NUMBER = re.compile(r"^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$")
_DATE = re.compile(r"^(\d{4})[-/](\d{1,2})[-/](\d{1,2})$")
_TIME = re.compile(r"^(\d{1,2}):(\d{2})(?::(\d{2}))?$")


def entered(value, raw: bool) -> Cell | None:
    """The cell a value becomes; None means "leave the cell as it is" (JSON null)."""
    if value is None:
        return None
    if isinstance(value, bool):
        return Cell("bool", value)
    if isinstance(value, (int, float)):
        return Cell("number", value)
    text = str(value)
    if text == "":
        return EMPTY
    if raw:
        return Cell("string", text)
    if text.startswith("'"):
        return Cell("string", text[1:])
    if text.startswith("="):
        return Cell("formula", text)
    if _NUMBER.match(text.strip()):
        return Cell("number", float(text) if any(c in text for c in ".eE") else int(text))
    if text.strip().upper() in ("TRUE", "FALSE"):
        return Cell("bool", text.strip().upper() == "TRUE")
    match = _DATE.match(text.strip())
    if match:
        try:
            day = dt.date(*(int(g) for g in match.groups()))
            return Cell("number", to_serial(day), "DATE")
        except ValueError:
            pass
    match = _TIME.match(text.strip())
    if match and int(match[1]) < 24 and int(match[2]) < 60:
        seconds = int(match[1]) * 3600 + int(match[2]) * 60 + int(match[3] or 0)
        return Cell("number", seconds / 86400, "TIME")
    return Cell("string", text)


def from_extended(extended: dict | None) -> tuple:
    """(kind, value) from an ExtendedValue of updateCells."""
    if not extended:
        return None, None
    for key, kind in (("stringValue", "string"), ("numberValue", "number"),
                      ("boolValue", "bool"), ("formulaValue", "formula")):
        if key in extended:
            return kind, extended[key]
    raise ApiError(400, f"Invalid value: {extended!r}")


# --- what a reader gets back -----------------------------------------------------------------

_OPERATORS = {ast.Add: operator.add, ast.Sub: operator.sub, ast.Mult: operator.mul,
              ast.Div: operator.truediv, ast.USub: operator.neg, ast.UAdd: operator.pos}


def _arithmetic(node):
    if isinstance(node, ast.Constant) and isinstance(node.value, (int, float)):
        return node.value
    if isinstance(node, ast.BinOp) and type(node.op) in _OPERATORS:
        return _OPERATORS[type(node.op)](_arithmetic(node.left), _arithmetic(node.right))
    if isinstance(node, ast.UnaryOp) and type(node.op) in _OPERATORS:
        return _OPERATORS[type(node.op)](_arithmetic(node.operand))
    raise ValueError


def evaluate(formula: str):
    """Only constant arithmetic (``=4/2``) is computed; any function shows as ``#NAME?``."""
    try:
        return _arithmetic(ast.parse(formula[1:], mode="eval").body)
    except (SyntaxError, ValueError, ZeroDivisionError, TypeError):
        return "#NAME?"


def number(value):
    """JSON numbers as Google writes them: 53, not 53.0."""
    return int(value) if isinstance(value, float) and value.is_integer() else value


def render(cell: Cell, value_option: str, date_option: str):
    if cell.kind == "formula":
        if value_option == "FORMULA":
            return cell.value
        return render(Cell(*_computed(cell.value)), value_option, date_option)
    if cell.kind == "string":
        return cell.value
    if cell.kind == "bool":
        return cell.value if value_option != "FORMATTED_VALUE" else str(cell.value).upper()
    formatted = value_option == "FORMATTED_VALUE" or (
        cell.number_format and date_option == "FORMATTED_STRING")
    if not formatted:
        return number(cell.value)
    if cell.number_format == "DATE":
        return (SERIAL_EPOCH + dt.timedelta(days=int(cell.value))).isoformat()
    if cell.number_format == "TIME":
        minutes = round(cell.value * 1440)
        return f"{minutes // 60}:{minutes % 60:02d}:00"
    return str(number(cell.value))


def _computed(formula: str) -> tuple:
    result = evaluate(formula)
    return ("string", result) if isinstance(result, str) else ("number", result)


# --- A1 notation ----------------------------------------------------------------------------

_CELLS = re.compile(r"^([A-Za-z]{0,3})(\d*)(?::([A-Za-z]{0,3})(\d*))?$")
_PLAIN_TITLE = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")
_CELL_LIKE = re.compile(r"^([A-Za-z]{1,3}\d+|[Rr]\d*[Cc]\d*)$")


def quoted_title(title: str) -> str:
    """As Google echoes ranges: ``Sheet1`` bare, ``'D3'`` and ``'My tab'`` quoted."""
    if _PLAIN_TITLE.match(title) and not _CELL_LIKE.match(title):
        return title
    return "'" + title.replace("'", "''") + "'"


def split_range(text: str) -> tuple[str | None, str | None]:
    """``'My tab'!A1:B2`` -> ("My tab", "A1:B2"); ``Sheet1`` -> ("Sheet1", None)."""
    if text.startswith("'"):
        end = 1
        while True:
            end = text.index("'", end)
            if text[end + 1:end + 2] == "'":
                end += 2
                continue
            break
        title, rest = text[1:end].replace("''", "'"), text[end + 1:]
        if rest == "":
            return title, None
        if not rest.startswith("!"):
            raise ValueError(text)
        return title, rest[1:]
    if "!" in text:
        title, cells = text.rsplit("!", 1)
        return title, cells
    return text, None


def parse_cells(cells: str) -> tuple:
    """``A1:B2`` -> (row0, col0, row1, col1), zero-based and half open; None = unbounded."""
    match = _CELLS.match(cells.strip())
    if not match or cells.strip() == "":
        raise ValueError(cells)
    c0, r0, c1, r1 = match.groups()
    if c1 is None and r1 is None:  # one cell
        if not c0 or not r0:
            raise ValueError(cells)
        c1, r1 = c0, r0
    if (not c0 and not r0) or (not c1 and not r1) or int(r0 or 1) < 1 or int(r1 or 1) < 1:
        raise ValueError(cells)
    row0 = int(r0) - 1 if r0 else 0
    col0 = column_index(c0) if c0 else 0
    row1 = int(r1) if r1 else None
    col1 = column_index(c1) + 1 if c1 else None
    if (row1 is not None and row1 <= row0) or (col1 is not None and col1 <= col0):
        raise ValueError(cells)
    return row0, col0, row1, col1


def a1(title: str, row0: int, col0: int, row1: int, col1: int) -> str:
    start = f"{column_letter(col0)}{row0 + 1}"
    end = f"{column_letter(col1 - 1)}{row1}"
    return f"{quoted_title(title)}!{start}" + ("" if start == end else f":{end}")
