"""The optional Scenarios tab: named changes to the workbook, each row checked to its cell.

A scenario is the rows sharing a name, in sheet order. Each row changes a setting, enables or
disables a rule, sets a rule's value, or sets a Clusters column for the clusters its condition
cells match (rules/contract.py SCENARIOS and CHANGES). Targets are checked against the base
workbook; values as the tab they land on reads them.
"""
from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from typing import Any

from rules import contract as c
from rules.conditions import ConditionError, parse
from rules.engine.attributes import (CLUSTER_COLUMNS, attribute_kind, attribute_names,
                                     cluster_attributes)
from rules.model import RawWorkbook, SheetError, Workbook
from rules.scenarios.table import BASE
from rules.suggest import did_you_mean
from rules.validation.cells import CellError, normal, read
from rules.validation.tabs import Row, header_name, read_cell, read_tab

_RELATIVE_DAYS = re.compile(r"^\s*([+-]\d+)\s*(days?)?\s*$", re.IGNORECASE)
_MAX_RELATIVE_DAYS = 3660  # ten years either way; serial numbers of dates in bounds are larger
# Clusters columns a scenario may not set: they name the cluster and place it.
_FIXED_COLUMNS = ("cluster", "region")


@dataclass(frozen=True)
class Change:
    kind: str  # one of contract.CHANGE_NAMES
    target: str  # setting name, rule id or Clusters column, as the base workbook spells it
    value: Any  # the cell value to write (relative dates already resolved)
    conditions: tuple[tuple[str, Any], ...]  # (attribute, Condition) for attribute changes
    cell: str  # the row's change cell, e.g. "Scenarios!B3"


@dataclass(frozen=True)
class Scenario:
    name: str
    changes: tuple[Change, ...]
    cell: str  # its first row's name cell


def check_scenarios(raw: RawWorkbook, base: Workbook, errors: list[SheetError]
                    ) -> tuple[Scenario, ...]:
    """The scenarios of the Scenarios tab (none when there is no such tab)."""
    if raw.table(c.SCENARIOS.name) is None:
        return ()
    tab = read_tab(raw, c.SCENARIOS, errors)
    if tab is None:
        return ()
    cluster_extra = {k for cl in base.clusters for k in cl.extra}
    region_extra = {k for r in base.regions for k in r.extra}
    names = attribute_names(cluster_extra, region_extra)
    conditions = []
    for column in tab.extra_columns(c.SCENARIOS):
        if column in names:
            conditions.append(column)
        else:
            errors.append(SheetError(tab.header_ref(column), f'no cluster attribute named '
                                     f'"{column}"' + did_you_mean(column, sorted(names))))
    found: dict[str, list[Change]] = {}
    first_cell: dict[str, str] = {}
    for row in tab.rows:
        change = _change(row, base, conditions, cluster_extra, errors)
        name = read_cell(row, c.SCENARIOS.column("scenario"), errors)
        if name and name.strip().casefold() == BASE:
            errors.append(SheetError(row.ref("scenario"), f'"{name}" names the plan without '
                                     "changes in the comparison: give the scenario another name"))
            continue
        if change is None or not name:
            continue
        found.setdefault(name, []).append(change)
        first_cell.setdefault(name, row.ref("scenario"))
    return tuple(Scenario(name, tuple(changes), first_cell[name])
                 for name, changes in found.items())


def _change(row: Row, base: Workbook, conditions: list[str], cluster_extra: set[str],
            errors: list[SheetError]) -> Change | None:
    kind = read_cell(row, c.SCENARIOS.column("change"), errors)
    target = read_cell(row, c.SCENARIOS.column("target"), errors)
    value = row.get("value")
    if not kind or not target:
        return None
    parsed = []
    for attribute in conditions:
        try:
            test = parse(normal(row.get(attribute)), attribute, attribute_kind(attribute))
        except ConditionError as err:
            errors.append(SheetError(row.ref(attribute), str(err)))
            return None
        if test is not None:
            parsed.append((attribute, test))
    try:
        target, value = _TARGETS[kind](target, value, base, cluster_extra)
    except _TargetError as err:
        errors.append(SheetError(row.ref("target"), str(err)))
        return None
    except CellError as err:
        errors.append(SheetError(row.ref("value"), str(err)))
        return None
    if parsed and kind != "attribute":
        errors.append(SheetError(row.ref(parsed[0][0]), "condition cells choose clusters for an "
                                 "attribute change only: clear them on a " + kind + " row"))
        return None
    if parsed and not matching(base, parsed):
        errors.append(SheetError(row.ref(parsed[0][0]), "the condition cells of this row match "
                                 "no cluster, so it would change nothing: check their values"))
        return None
    return Change(kind, target, value, tuple(parsed), row.ref("change"))


def matching(base: Workbook, conditions) -> set[str]:
    """Lower-cased names of the clusters every (attribute, Condition) of ``conditions`` matches
    (every cluster when there are none)."""
    found = set()
    for cluster in base.clusters:
        attributes = cluster_attributes(cluster, base.region(cluster.region), base.settings)
        if all(test.matches(attributes.get(attr)) for attr, test in conditions):
            found.add(cluster.name.lower())
    return found


class _TargetError(ValueError):
    pass


def _setting(target, value, base: Workbook, _):
    name = header_name(target)
    if name not in c.SETTING_NAMES:
        raise _TargetError(f'there is no setting "{target}"' + did_you_mean(name, c.SETTING_NAMES))
    spec = c.setting(name)
    days = _relative_days(value)
    if days is not None and spec.type == c.DATE:
        return name, getattr(base.settings, name) + dt.timedelta(days=days)
    if isinstance(value, str) and _RELATIVE_DAYS.match(value):  # else "+300" reads as 300
        raise CellError(f"{name}: {value.strip()} counts days from the base, for a date setting "
                        f"only; type the scenario's {name} itself (e.g. "
                        f"{c.setting(name).example})")
    read(name, value, spec.type, spec.choices)  # raises CellError with the setting's wording
    return name, value


def _relative_days(value) -> int | None:
    """Days from the base in a date setting's value: ``+7``, ``-3 days``; or a plain whole
    number, as a spreadsheet stores ``+7`` typed into a cell (no date in bounds is so small a
    serial number)."""
    if isinstance(value, str):
        match = _RELATIVE_DAYS.match(value)
        return int(match[1]) if match else None
    if isinstance(value, (int, float)) and not isinstance(value, bool) and \
            float(value).is_integer() and abs(value) <= _MAX_RELATIVE_DAYS:
        return int(value)
    return None


def _rule(target, value, base: Workbook, _):
    rule = next((r for r in base.rules if r.id.lower() == str(target).strip().lower()), None)
    if rule is None:
        raise _TargetError(f'there is no rule "{target}"' + did_you_mean(
            str(target), [r.id for r in base.rules]))
    return rule.id, value


def _enable(target, value, base: Workbook, extra):
    rule_id, _ = _rule(target, value, base, extra)
    return rule_id, read("value", value, c.YESNO)


def _attribute(target, value, base: Workbook, cluster_extra: set[str]):
    name = header_name(target)
    settable = [n for n in c.CLUSTERS.column_names if n not in _FIXED_COLUMNS]
    if name in settable:
        read(name, value, c.CLUSTERS.column(name).type, c.CLUSTERS.column(name).choices)
    elif name not in cluster_extra or name in CLUSTER_COLUMNS:
        raise _TargetError(f'"{target}" is not a Clusters column a scenario can set' + (
            did_you_mean(name, settable + sorted(cluster_extra))
            or f" (use one of {', '.join(settable)} or an extra column)"))
    return name, value


_TARGETS = {"setting": _setting, "rule": _enable, "rule_value": _rule, "attribute": _attribute}
