"""validate(raw) -> Validated: every problem of a workbook, each at its cell, or the model.

Pure. The order of the errors is fixed (tab order of the contract, then row, then column), so
the same workbook gives the same report on every source and every run.
"""
from __future__ import annotations

import re

from rules import contract as c
from rules.model import RawWorkbook, SheetError, Validated, Workbook
from rules.validation.tabs import column_index
from rules.validation.fleet import check_fleet
from rules.validation.rules import check_rules
from rules.validation.settings import check_settings, fleet_caps

_CELL = re.compile(r"^(?P<tab>.*)!(?P<col>[A-Z]+)(?P<row>\d+)$")
_TAB_ORDER = {t.name.lower(): i for i, t in enumerate(c.TABS)}


def validate(raw: RawWorkbook) -> Validated:
    errors: list[SheetError] = [
        SheetError(f"{title}!A1", f'a second tab named "{title}" (tab names are read ignoring '
                                  "case, so the two cannot be told apart): rename or delete one")
        for title in raw.duplicates
    ]
    values, settings = check_settings(raw, errors)
    fleet = check_fleet(raw, values, errors)
    rules = check_rules(raw, fleet.cluster_extra, fleet.region_extra, errors)
    errors = sorted(set(errors), key=error_order)
    if errors:
        return Validated(None, tuple(errors))
    return Validated(Workbook(fleet.clusters, fleet.regions, settings, rules, fleet_caps(settings)),
                     ())


def error_order(error: SheetError) -> tuple:
    """Tab (contract order), row, column, then message: a cell ``Clusters!AA7`` sorts after Z7."""
    match = _CELL.match(error.cell)
    if not match:
        return (len(_TAB_ORDER), error.cell, 0, 0, error.message)
    tab = match["tab"].strip("'")
    return (
        _TAB_ORDER.get(tab.lower(), len(_TAB_ORDER)),
        tab,
        int(match["row"]),
        column_index(match["col"]),
        error.message,
    )
