"""One tab as validation reads it: headers matched by name, blank rows skipped, cells in A1 form."""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from rules import contract as c
from rules.calendar import SERIAL_EPOCH
from rules.validation.cells import CellError, is_blank, read, text
from rules.model import CellValue, RawWorkbook, SheetError, Table
from rules.suggest import did_you_mean


def column_letter(index: int) -> str:
    """0 -> A, 25 -> Z, 26 -> AA."""
    letters = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


def column_index(letters: str) -> int:
    """A -> 0, aa -> 26 (either case: Google accepts ``a1``)."""
    index = 0
    for ch in letters.upper():
        index = index * 26 + ord(ch) - 64
    return index - 1


def header_name(value: CellValue) -> str:
    """A header as matched: case and surrounding space ignored, inner spaces as underscores."""
    return "_".join(text(value).lower().split())


@dataclass(frozen=True)
class Row:
    tab: "Tab"
    number: int  # 1-based, as the sheet shows it
    cells: tuple[CellValue, ...]

    def get(self, column: str) -> CellValue:
        index = self.tab.columns.get(column)
        if index is None or index >= len(self.cells):
            return None
        return self.cells[index]

    def ref(self, column: str) -> str:
        """The A1 reference of this row's cell in ``column`` (column A when the tab lacks it)."""
        return self.tab.ref(self.tab.columns.get(column, 0), self.number)


@dataclass
class Tab:
    title: str  # as the sheet spells it
    columns: dict[str, int]  # header name -> 0-based column index
    rows: tuple[Row, ...] = ()  # filled once, right after the headers are read
    epoch: dt.date = SERIAL_EPOCH  # the workbook's day 0 of serial dates

    def ref(self, column: int, row: int) -> str:
        return f"{self.title}!{column_letter(column)}{row}"

    def header_ref(self, column: str) -> str:
        return self.ref(self.columns[column], 1)

    def extra_columns(self, spec: c.Tab) -> list[str]:
        """Headers the contract does not list for this tab, in sheet order."""
        fixed = set(spec.column_names)
        return [name for name in sorted(self.columns, key=self.columns.get) if name not in fixed]


def read_tab(raw: RawWorkbook, spec: c.Tab, errors: list[SheetError]) -> Tab | None:
    """The tab the contract names, or None (with an error) when the workbook has none."""
    table = raw.table(spec.name)
    if table is None:
        titles = [t.title for t in raw.tables.values()]
        hint = did_you_mean(spec.name, titles)
        errors.append(SheetError(
            f"{spec.name}!A1",
            f'the workbook has no tab named "{spec.name}"'
            + (f"{hint} Rename it to {spec.name}." if hint else
               f": add a tab named {spec.name} with the headers "
               + ", ".join(col.name for col in spec.columns if col.required) + " in row 1"),
        ))
        return None
    return _headers(table, spec, errors, raw.epoch)


def _headers(table: Table, spec: c.Tab, errors: list[SheetError], epoch: dt.date) -> Tab | None:
    header = table.rows[0] if table.rows else ()
    data = [
        (number, tuple(cells))
        for number, cells in enumerate(table.rows[1:], start=2)
        if not all(is_blank(v) for v in cells)
    ]
    columns: dict[str, int] = {}
    tab = Tab(table.title, columns, epoch=epoch)
    width = max([len(header)] + [len(cells) for _, cells in data])
    if len(data) > c.MAX_ROWS or width > c.MAX_COLUMNS:
        # Refused before any cell is read: whatever passes here plans in seconds.
        errors.append(SheetError(
            tab.ref(c.MAX_COLUMNS if width > c.MAX_COLUMNS else 0,
                    data[c.MAX_ROWS][0] if len(data) > c.MAX_ROWS else 1),
            f"{spec.name} has {len(data):,} rows and {width} columns: a tab holds at most "
            f"{c.MAX_ROWS:,} rows and {c.MAX_COLUMNS} columns, so split the campaign",
        ))
        return None
    for index in range(width):
        name = header_name(header[index] if index < len(header) else None)
        if not name:
            if any(index < len(cells) and not is_blank(cells[index]) for _, cells in data):
                errors.append(SheetError(
                    tab.ref(index, 1),
                    f"column {column_letter(index)} has values but no header: "
                    "name it in row 1, or clear the column",
                ))
            continue
        if name in columns:
            errors.append(SheetError(
                tab.ref(index, 1),
                f'the header "{name}" appears twice (also {tab.ref(columns[name], 1)}): '
                "delete or rename one of them",
            ))
            continue
        columns[name] = index
    free = width
    for col in spec.columns:
        if col.required and col.name not in columns:
            strays = [n for n in columns if n not in spec.column_names]
            hint = did_you_mean(col.name, strays)
            errors.append(SheetError(
                tab.ref(free, 1),
                f'the {spec.name} tab has no "{col.name}" column'
                + (f"{hint} Rename that header to {col.name}." if hint
                   else f": add the header {col.name} in row 1"),
            ))
            free += 1
    tab.rows = tuple(Row(tab, number, cells) for number, cells in data)
    return tab


def read_cell(row: Row, column: c.Column, errors: list[SheetError]) -> CellValue:
    """The row's cell read as the contract column says, or None (blank, or wrong: then an error).

    A required column the tab lacks was reported once at its header; its cells are not repeated.
    """
    if column.name not in row.tab.columns:
        return None
    value = row.get(column.name)
    if is_blank(value):
        if column.required:
            errors.append(SheetError(row.ref(column.name), _blank_message(column)))
        return None
    try:
        return read(column.name, value, column.type, column.choices, row.tab.epoch)
    except CellError as err:
        errors.append(SheetError(row.ref(column.name), str(err)))
        return None


def _blank_message(column: c.Column) -> str:
    if column.type == c.CHOICE:
        return f"{column.name} is blank: fill in one of {', '.join(column.choices)}"
    if column.type == c.TEXT:
        return f"{column.name} is blank: fill it in" + (f", e.g. {column.example}" if column.example else "")
    return f"{column.name} is blank: fill in {c.describe(column.type, column.example)}"
