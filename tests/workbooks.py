"""Small workbooks for validation tests: a valid one, and ways to break one cell of it."""
from __future__ import annotations

import copy
import re

from rules.model import Validated
from rules.validation.tabs import column_index
from rules.validation.workbook import validate
from sheets.memory import MemorySource

_VALID = {
    "Clusters": [
        ["cluster", "region", "sku", "nodes", "workload", "services", "rolling", "canary",
         "duration_hours", "pinned_date", "status", "owner_team"],
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
    "Settings": [
        ["setting", "value", "note"],
        ["start_date", "2026-01-05", None],
        ["deadline", "2026-01-18", None],
        ["daily_node_cap", 1800, None],
        ["window_start", "11:00", None],
        ["window_end", "20:00", None],
        ["default_duration_hours", 6, None],
        ["big_cluster_nodes", 400, None],
        ["timezone", "UTC", None],
    ],
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
