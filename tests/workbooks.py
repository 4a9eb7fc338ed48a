"""The one workbook builder of the tests: workbooks typed as a planner would, read through
MemorySource and ``validate``, so every test meets rules exactly as they come out of a sheet.

- ``sheet(clusters, rules, **settings)``: a validated Workbook from rows given as dicts of
  column -> cell (blanks left out); rule keys other than the fixed columns are conditions.
- ``cluster(...)``, ``rule(...)``, ``workbook(...)``: the same with keyword shorthands.
- ``valid_tabs()``, ``set_cell``, ``check``, ``errors``, ``only_error``: a small valid workbook
  and one cell of it broken, for validation tests; ``xlsx`` and ``*_workbook()``: as uploads.
- tests/engine_fleets.py makes seeded random fleets as model objects (cells validation would
  refuse included), to compare the evaluators on every corner of the condition language.
"""
from __future__ import annotations

import copy
import datetime as dt
import io
import re

from rules.model import Validated, Workbook
from rules.validation.tabs import column_index
from rules.validation.workbook import validate
from sheets.memory import MemorySource
from sheets.xlsx import write_workbook

D = dt.date

REGIONS = [
    ["region", "geo", "importance", "timezone", "area"],
    ["swedencentral", "EU", "normal", "Europe/Stockholm", "EU"],
    ["westeurope", "EU", "high", "Europe/Amsterdam", "EU"],
    ["eastus", "US", "high", "America/New_York", "US"],
    ["westus", "US", "high", "America/Los_Angeles", "US"],
    ["japaneast", "JP", "normal", "Asia/Tokyo", "rest"],
    ["uksouth", "UK", "low", "Europe/London", "rest"],
    ["australiaeast", "AU", "low", "Australia/Sydney", "rest"],
    ["utc", "XX", "normal", "UTC", "rest"],
    ["halifax", "CA", "low", "America/Halifax", "rest"],
]
CLUSTER_COLUMNS = ["cluster", "region", "sku", "nodes", "workload", "services", "rolling",
                   "canary", "duration_hours", "pinned_date", "status", "owner_team"]
RULE_COLUMNS = ["rule", "kind", "value", "from", "to", "severity", "enabled", "note"]
# In this order, so deadline is Settings!B3 and daily_node_cap Settings!B4.
SETTINGS = {
    "start_date": "2026-01-05", "deadline": "2026-01-18", "daily_node_cap": 1800,
    "window_start": "11:00", "window_end": "20:00", "default_duration_hours": 6,
    "big_cluster_nodes": 400, "timezone": "UTC", "soak_days": 1,
}
CLUSTER_DEFAULTS = {"region": "eastus", "sku": "H100", "nodes": 10, "workload": "research"}


def tabs(clusters: list[dict], rules: list[dict] = (), **settings) -> dict[str, list[list]]:
    """The four tabs of a workbook with these rows (see ``sheet``)."""
    cluster_columns = CLUSTER_COLUMNS + sorted({k for c in clusters for k in c} - set(CLUSTER_COLUMNS))
    extra_rule_columns = sorted({k for r in rules for k in r} - set(RULE_COLUMNS))
    return {
        "Clusters": [cluster_columns] + [
            [{**CLUSTER_DEFAULTS, **c}.get(col) for col in cluster_columns] for c in clusters],
        "Regions": copy.deepcopy(REGIONS),
        "Settings": [["setting", "value", "note"]]
        + [[name, value, None] for name, value in {**SETTINGS, **settings}.items()],
        "Rules": [RULE_COLUMNS + extra_rule_columns]
        + [[r.get(col) for col in RULE_COLUMNS + extra_rule_columns] for r in rules],
    }


def sheet(clusters: list[dict], rules: list[dict] = (), **settings) -> Workbook:
    """A validated workbook; clusters and rules as dicts of column -> cell (blanks left out).

    Cluster defaults: region eastus, sku H100, 10 nodes, research. Settings: start 2026-01-05,
    deadline 2026-01-18, daily_node_cap 1800, windows 11:00-20:00 of 6 h, big over 400 nodes.
    """
    validated = check(tabs(clusters, rules, **settings))
    assert validated.ok, validated.errors
    return validated.workbook


# Shorthands: the same rows as keyword arguments, Python values typed into cells --------------

def Not(*values: str) -> str:
    """A negated condition cell: ``not H100, H200``."""
    return "not " + ", ".join(values)


def _cell(value):
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, tuple):
        return ", ".join(value)
    return value


def cluster(name: str, nodes: int = 10, region: str = "utc", **cells) -> dict:
    """A Clusters row: ``cluster("eus-1", 100, "eastus", rolling=True, pinned_date=D(...))``."""
    return {"cluster": name, "nodes": nodes, "region": region,
            **{column: _cell(value) for column, value in cells.items()}}


def rule(id: str, kind: str, value=None, *, when: dict | None = None, frm: dt.date | None = None,
         to: dt.date | None = None, severity: str | None = None, enabled: bool | None = None,
         note: str | None = None) -> dict:
    """A Rules row; ``when`` maps a condition column to its cell (True is yes, ``Not(...)``)."""
    row = {"rule": id, "kind": kind, "value": value, "from": frm, "to": to, "severity": severity,
           "enabled": None if enabled is None else _cell(enabled), "note": note}
    return {**row, **{column: _cell(test) for column, test in (when or {}).items()}}


def workbook(clusters: list[dict], rules: list[dict] = (), **settings) -> Workbook:
    """``sheet`` with a roomier campaign: deadline 2026-01-31 and 1,000 nodes a day unless given."""
    settings = {"deadline": D(2026, 1, 31), "daily_node_cap": 1000, **settings}
    return sheet(clusters, rules, **{k: _cell(v) for k, v in settings.items()})


# A small valid workbook, for validation tests that break one cell of it ------------------------

_VALID = {
    "Clusters": [
        CLUSTER_COLUMNS,
        ["swc-canary", "swedencentral", "H100", 8, "research", "chat", "no", "yes", 4, None, None,
         "team-a"],
        ["eus-big", "eastus", "H200", 600, "applied", "api, chat", "yes", "no", None, None,
         "planned", "team-b"],
        ["uks-old", "uksouth", "A100", 40, "research", None, None, None, None, "2026-01-08", None,
         "team-a"],
    ],
    "Regions": [
        ["region", "geo", "importance", "timezone", "area"],
        ["swedencentral", "EU", "normal", "Europe/Stockholm", "EU"],
        ["eastus", "US", "high", "America/New_York", "US"],
        ["uksouth", "UK", "low", None, "rest"],
    ],
    "Settings": [["setting", "value", "note"]] + [
        [name, SETTINGS[name], None]
        for name in ("start_date", "deadline", "daily_node_cap", "window_start", "window_end",
                     "default_duration_hours", "big_cluster_nodes", "timezone")],
    "Rules": [
        ["rule", "kind", "value", "from", "to", "severity", "enabled", "note", "sku", "canary",
         "size", "workload"],
        ["out-of-scope", "exclude", None, None, None, None, None, "not affected",
         "not H100, H200, GB200", None, None, None],
        ["canary-first", "priority", 0, None, None, None, None, None, None, "yes", None, None],
        ["small-research", "priority", 1, None, None, None, None, None, None, None, "small",
         "research"],
        ["spread-applied", "spread", "area", None, None, None, None, None, None, None, None,
         "applied"],
        ["first-days", "cap_nodes", 1300, "2026-01-05", "2026-01-07", None, None, None, None, None,
         None, None],
        ["big-per-day", "cap_clusters", 2, None, "2026-01-18", None, None, None, None, None, "big",
         None],
        ["rolling-big", "rolling", 6, None, None, None, None, None, None, None, "big", None],
        ["after-canary", "after", "canary-first", None, None, None, None, None, None, "no", None,
         None],
        ["no-xmas", "blackout", None, "2026-12-24", "2026-12-26", "warning", "no", None, None,
         None, None, None],
    ],
}


def valid_tabs() -> dict[str, list[list]]:
    """A fresh copy of a small valid workbook (3 clusters, 3 regions, 9 rules)."""
    return copy.deepcopy(_VALID)


def set_cell(tabs: dict[str, list[list]], ref: str, value) -> dict[str, list[list]]:
    """Put ``value`` at ``ref`` (``Clusters!D3``), growing the table as needed."""
    tab, col, row = re.fullmatch(r"(.+)!([A-Z]+)(\d+)", ref).groups()
    index = column_index(col) + 1
    rows = tabs[tab]
    while len(rows) < int(row):
        rows.append([])
    cells = rows[int(row) - 1]
    cells.extend([None] * (index - len(cells)))
    cells[index - 1] = value
    return tabs


def check(tabs: dict[str, list[list]]) -> Validated:
    return validate(MemorySource(tabs).read())


def errors(tabs: dict[str, list[list]]) -> list[tuple[str, str]]:
    return [(e.cell, e.message) for e in check(tabs).errors]


def only_error(tabs: dict[str, list[list]]) -> tuple[str, str]:
    """The one error of a workbook that should have exactly one."""
    found = errors(tabs)
    assert len(found) == 1, found
    return found[0]


# As uploads --------------------------------------------------------------------------------------

def xlsx(tabs: dict[str, list[list]]) -> bytes:
    out = io.BytesIO()
    write_workbook(out, tabs)
    return out.getvalue()


def valid_workbook() -> bytes:
    """Valid, and plannable without error violations (the deadline leaves room)."""
    return xlsx(set_cell(valid_tabs(), "Settings!B3", "2026-03-31"))


def late_workbook() -> bytes:
    """Valid, but no plan can end by its deadline: an error violation."""
    return xlsx(set_cell(valid_tabs(), "Settings!B3", "2026-01-05"))


def broken_workbook() -> bytes:
    """One sheet error: nodes of the first cluster is not a number."""
    return xlsx(set_cell(valid_tabs(), "Clusters!D2", "12O"))


# Planned, as the CLI plans it ------------------------------------------------------------------

def planned(clusters: list[dict], rules: list[dict] = (), **settings) -> dict:
    """The plan document of the workbook ``sheet`` would build (its errors, when invalid)."""
    from rules.plan.make import plan_document

    return plan_document(check(tabs(clusters, rules, **settings)))


def days(doc: dict) -> dict[str, list[str]]:
    """Each scheduled cluster's window dates, in order."""
    out: dict[str, list[str]] = {}
    for window in doc["windows"]:
        out.setdefault(window["cluster"], []).append(window["date"])
    return out


def broken(doc: dict) -> list[tuple]:
    """The violations as (rule, severity, cluster, date)."""
    return [(v["rule"], v["severity"], v["cluster"], v["date"]) for v in doc["violations"]]
