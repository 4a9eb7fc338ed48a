"""An empty planning workbook that follows the contract: every tab, its headers with a note
each, dropdowns on the enumerated columns, and the Settings tab listing every setting.

Settings values are left blank except where the contract has a default (work_weekends, soak_days):
a blank required setting is what a planner must decide, and validation says so.
"""
from __future__ import annotations

import os
from typing import IO

import openpyxl
from openpyxl.comments import Comment
from openpyxl.styles import Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation

from rules import contract as c

# Rows the dropdowns cover; planners rarely list more clusters than this.
ROWS = 2000
_HEADER_FILL = PatternFill("solid", fgColor="DDEBF7")
_NOTE_SIZE = {"width": 320, "height": 140}


def column_note(column: c.Column, tab: c.Tab) -> str:
    """The note a header cell carries: what the column holds, its type, whether it is required."""
    kind = (
        "one of " + ", ".join(column.choices) if column.choices else c.TYPE_PHRASES[column.type]
    )
    lines = [column.note, f"{'Required' if column.required else 'Optional'}: {kind}."]
    if column.example:
        lines.append(f"Example: {column.example}")
    if column is tab.columns[0]:
        lines.append(tab.extra_columns)
    return "\n".join(lines)


def setting_note(spec: c.Setting) -> str:
    need = "required" if spec.required else f"optional, blank means {_shown(spec.default)}"
    kind = c.describe(spec.type, spec.example)
    return f"{spec.note} {kind[0].upper()}{kind[1:]}; {need}."


def _shown(value: object) -> str:
    if isinstance(value, bool):
        return "yes" if value else "no"
    return str(value)


def setting_default(spec: c.Setting) -> object:
    """What an optional setting's value cell starts with: yes/no as words, numbers as numbers."""
    return _shown(spec.default) if isinstance(spec.default, bool) else spec.default


def takes_regions(tab: c.Tab, column: c.Column) -> bool:
    """Clusters' region column offers the regions the Regions tab lists."""
    return tab is c.CLUSTERS and column.name == "region"


def regions_range() -> str:
    letter = get_column_letter(c.REGIONS.column_names.index("region") + 1)
    return f"={c.REGIONS.name}!${letter}$2:${letter}${ROWS}"


def dropdown_prompt(column: str) -> str:
    return f"Choose a value from the list ({column})."


def _list_validation(choices: str, column: str) -> DataValidation:
    """A dropdown; an entry not in the list is refused, with a message naming the choices."""
    check = DataValidation(type="list", formula1=choices, allow_blank=True)
    check.error = dropdown_prompt(column)
    check.errorTitle = "Not in the list"
    check.showErrorMessage = True
    return check


def _dropdown(column: c.Column, tab: c.Tab) -> DataValidation | None:
    if takes_regions(tab, column):
        return _list_validation(regions_range(), column.name)
    if column.choices:
        return _list_validation(_listed(column.choices), column.name)
    return None


def _listed(choices: tuple[str, ...]) -> str:
    return '"' + ",".join(choices) + '"'


def build_template() -> openpyxl.Workbook:
    book = openpyxl.Workbook()
    book.remove(book.active)
    for tab in c.TABS:
        sheet = book.create_sheet(tab.name)
        for index, column in enumerate(tab.columns, start=1):
            cell = sheet.cell(row=1, column=index, value=column.name)
            cell.font = Font(bold=True)
            cell.fill = _HEADER_FILL
            cell.comment = Comment(column_note(column, tab), "planner", **_NOTE_SIZE)
            letter = get_column_letter(index)
            width = max(len(column.name), len(column.example), 10) + 4
            sheet.column_dimensions[letter].width = min(width, 40)
            check = _dropdown(column, tab)
            if check is not None:
                check.add(f"{letter}2:{letter}{ROWS}")
                sheet.add_data_validation(check)
        sheet.freeze_panes = "A2"
    _fill_settings(book[c.SETTINGS.name])
    return book


def _fill_settings(sheet) -> None:
    names = c.SETTINGS.column_names
    value_letter = get_column_letter(names.index("value") + 1)
    for row, spec in enumerate(c.SETTINGS_LIST, start=2):
        sheet.cell(row=row, column=names.index("setting") + 1, value=spec.name)
        if not spec.required:
            sheet.cell(row=row, column=names.index("value") + 1, value=setting_default(spec))
        sheet.cell(row=row, column=names.index("note") + 1, value=setting_note(spec))
        if spec.type == c.YESNO:
            check = _list_validation(_listed(c.YES_NO), spec.name)
            check.add(f"{value_letter}{row}")
            sheet.add_data_validation(check)
    sheet.column_dimensions[get_column_letter(names.index("setting") + 1)].width = 26
    sheet.column_dimensions[value_letter].width = 18
    sheet.column_dimensions[get_column_letter(names.index("note") + 1)].width = 90


def write_template(path: str | os.PathLike | IO[bytes]) -> None:
    build_template().save(path)
