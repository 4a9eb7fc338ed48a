"""The planning model: plain, immutable data that the sheet adapters produce and the engine reads.

Nothing here knows where the data came from (xlsx, Google Sheet, memory) or where it goes.
"""
from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from rules import contract

# A cell value as an adapter hands it over: text, a number, a bool, a date/datetime, a Formula
# or None.
CellValue = Any


class Formula(str):
    """The text of a cell that holds a formula (``=SUM(A1:A3)``).

    Only the source knows whether a cell is a formula (an .xlsx cell's type); text that merely
    starts with ``=`` is what the planner typed. Google Sheets hands over results, never formulas.
    """


@dataclass(frozen=True)
class Table:
    """One tab as read: its title as the sheet spells it, and its rows (row 0 is the header)."""

    title: str
    rows: tuple[tuple[CellValue, ...], ...]


@dataclass(frozen=True)
class RawWorkbook:
    """Every tab of a workbook, unvalidated, keyed by lower-cased title."""

    tables: dict[str, Table]
    duplicates: tuple[str, ...] = ()  # titles of later tabs whose name an earlier tab has
    epoch: dt.date = dt.date(1899, 12, 30)  # day 0 of the workbook's serial dates (1904: Mac)

    @classmethod
    def of(cls, tables: Iterable[Table], epoch: dt.date = dt.date(1899, 12, 30)) -> "RawWorkbook":
        """The tabs in sheet order; one whose name (ignoring case) is taken keeps the first."""
        kept: dict[str, Table] = {}
        duplicates = []
        for table in tables:
            if table.title.lower() in kept:
                duplicates.append(table.title)
            else:
                kept[table.title.lower()] = table
        return cls(kept, tuple(duplicates), epoch)

    def table(self, name: str) -> Table | None:
        return self.tables.get(name.lower())


@dataclass(frozen=True, order=True)
class SheetError:
    """A problem a planner can fix: where (``Clusters!D7``) and what, with how to fix it."""

    cell: str
    message: str

    def to_dict(self) -> dict[str, str]:
        return {"cell": self.cell, "message": self.message}


@dataclass(frozen=True)
class Region:
    name: str
    geo: str
    importance: str  # high | normal | low
    timezone: str  # IANA name, already defaulted from Settings
    extra: dict[str, CellValue] = field(default_factory=dict)  # lower-cased column -> value
    row: int = 0


@dataclass(frozen=True)
class Cluster:
    name: str
    region: str
    sku: str
    nodes: int
    workload: str  # research | applied
    services: tuple[str, ...] = ()
    rolling: bool = False
    canary: bool = False
    duration_hours: float = 0.0  # already defaulted from Settings
    pinned_date: dt.date | None = None
    status: str = ""  # "" | planned | done
    extra: dict[str, CellValue] = field(default_factory=dict)  # lower-cased column -> value
    row: int = 0


@dataclass(frozen=True)
class Settings:
    start_date: dt.date
    deadline: dt.date
    daily_node_cap: int
    window_start: dt.time
    window_end: dt.time
    default_duration_hours: float
    big_cluster_nodes: int
    work_weekends: bool = True
    soak_days: int = 1
    notice_hours: int = 24
    timezone: str = "UTC"
    objective: str = "order"  # order | finish (contract.OBJECTIVES)
    freeze_hours: int = 48  # no new or moved window starts before now + freeze_hours
    cells: dict[str, str] = field(default_factory=dict)  # setting name -> "Settings!B4"


@dataclass(frozen=True)
class Rule:
    """One enabled or disabled row of the Rules tab, its conditions already parsed."""

    id: str
    kind: str
    value: CellValue  # typed per kind: None, int, float or str (attribute name / rule id)
    from_date: dt.date | None
    to_date: dt.date | None
    severity: str  # error | warning
    enabled: bool
    note: str
    conditions: tuple[tuple[str, Any], ...]  # (attribute, rules.conditions.Condition)
    row: int
    cell: str  # the rule's row, e.g. "Rules!A12"

    @property
    def roles(self) -> contract.Kind:
        """What the rule's kind does (limits, waits, decides a tier, ...): ask it, not the name."""
        return contract.kind(self.kind)

    def applies_on(self, day: dt.date) -> bool:
        return (self.from_date is None or day >= self.from_date) and (
            self.to_date is None or day <= self.to_date
        )


@dataclass(frozen=True)
class FleetCap:
    """A node cap over the whole fleet made by a setting (``daily_node_cap``), not by a Rules row:
    it limits like a ``cap_nodes`` row without conditions or dates, and is named by its setting."""

    setting: str  # the setting's name, e.g. "daily_node_cap"
    nodes: int  # nodes out at most at any instant
    cell: str  # where to change it, e.g. "Settings!B4"


@dataclass(frozen=True)
class Workbook:
    """A validated workbook: what the engine plans from."""

    clusters: tuple[Cluster, ...]
    regions: tuple[Region, ...]
    settings: Settings
    rules: tuple[Rule, ...]
    fleet_caps: tuple[FleetCap, ...]  # made by validation from Settings

    def region(self, name: str) -> Region:
        return next(r for r in self.regions if r.name.lower() == name.lower())


@dataclass(frozen=True)
class Validated:
    """The result of validating a raw workbook: a model when there are no errors."""

    workbook: Workbook | None
    errors: tuple[SheetError, ...]

    @property
    def ok(self) -> bool:
        return self.workbook is not None and not self.errors
