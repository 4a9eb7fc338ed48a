"""A scenario's workbook: the base workbook's cells with the scenario's changes written in, so
the scenario is validated and planned exactly as if a planner had edited the tabs."""
from __future__ import annotations

from dataclasses import replace

from rules import contract as c
from rules.model import CellValue, RawWorkbook, Table, Workbook
from rules.scenarios.tab import Scenario, matching
from rules.validation.cells import text
from rules.validation.tabs import header_name


def apply(raw: RawWorkbook, base: Workbook, scenario: Scenario) -> RawWorkbook:
    """``raw`` with every change of ``scenario`` written into its tabs (the Scenarios tab left
    out, so a scenario's workbook is an ordinary one)."""
    tables = {key: table for key, table in raw.tables.items()
              if key != c.SCENARIOS.name.lower()}
    for change in scenario.changes:
        if change.kind == "setting":
            key = c.SETTINGS.name.lower()
            tables[key] = _set(tables[key], "setting", {change.target}, "value", change.value)
        elif change.kind in ("rule", "rule_value"):
            column = "enabled" if change.kind == "rule" else "value"
            value = ("yes" if change.value else "no") if change.kind == "rule" else change.value
            key = c.RULES.name.lower()
            tables[key] = _set(tables[key], "rule", {change.target.lower()}, column, value)
        else:
            key = c.CLUSTERS.name.lower()
            tables[key] = _set(tables[key], "cluster", matching(base, change.conditions), change.target,
                               change.value)
    return RawWorkbook(tables)


def _key(key_column: str, cell: CellValue) -> str:
    """A row's key as ``keys`` hold it: a setting as its header name, others lower-cased."""
    return header_name(cell) if key_column == "setting" else text(cell).strip().lower()


def _set(table: Table, key_column: str, keys: set[str], column: str,
         value: CellValue) -> Table:
    """``table`` with ``column`` set to ``value`` on the rows whose ``key_column`` is one of
    ``keys`` (lower-cased); the column is added when missing; a missing setting row is added."""
    header = list(table.rows[0]) if table.rows else []
    names = [header_name(h) for h in header]
    if column not in names:
        header.append(column)
        names.append(column)
    key_at, at = names.index(key_column), names.index(column)
    rows, seen = [tuple(header)], set()
    for row in table.rows[1:]:
        cells = list(row) + [None] * (len(header) - len(row))
        key = _key(key_column, cells[key_at])
        if key in keys:
            cells[at] = value
            seen.add(key)
        rows.append(tuple(cells))
    if key_column == "setting":
        for key in sorted(keys - seen):
            cells = [None] * len(header)
            cells[key_at], cells[at] = key, value
            rows.append(tuple(cells))
    return replace(table, rows=tuple(rows))
