"""Small workbooks for the engine's given -> expect tests, typed as a planner would (MemorySource
and validate), so the engine meets rules exactly as they come out of a sheet."""
from __future__ import annotations

from rules.engine.evaluators import PLAIN, durable_rules
from rules.model import Workbook
from rules.validation.workbook import validate
from sheets.memory import MemorySource

REGIONS = [
    ["region", "geo", "importance", "timezone", "area"],
    ["swedencentral", "EU", "normal", "Europe/Stockholm", "EU"],
    ["eastus", "US", "high", "America/New_York", "US"],
    ["westus", "US", "high", "America/Los_Angeles", "US"],
    ["uksouth", "UK", "low", "Europe/London", "rest"],
    ["australiaeast", "AU", "low", "Australia/Sydney", "rest"],
]
CLUSTER_COLUMNS = ["cluster", "region", "sku", "nodes", "workload", "services", "rolling",
                   "canary", "duration_hours", "pinned_date", "status", "owner_team"]
RULE_COLUMNS = ["rule", "kind", "value", "from", "to", "severity", "enabled", "note"]
SETTINGS = {
    "start_date": "2026-01-05", "deadline": "2026-01-18", "daily_node_cap": 1800,
    "window_start": "11:00", "window_end": "20:00", "default_duration_hours": 6,
    "big_cluster_nodes": 400, "timezone": "UTC", "soak_days": 1,
}
EVALUATORS = {e.name: e.classify for e in (durable_rules(), PLAIN)}


def sheet(clusters: list[dict], rules: list[dict] = (), **settings) -> Workbook:
    """A validated workbook; clusters and rules as dicts of column -> cell (blanks left out).

    Cluster defaults: region eastus, sku H100, 10 nodes, research. Rule keys other than the
    fixed columns are condition columns.
    """
    extra_rule_columns = sorted({k for r in rules for k in r} - set(RULE_COLUMNS))
    tabs = {
        "Clusters": [CLUSTER_COLUMNS] + [
            [{"region": "eastus", "sku": "H100", "nodes": 10, "workload": "research", **c}.get(col)
             for col in CLUSTER_COLUMNS]
            for c in clusters
        ],
        "Regions": REGIONS,
        "Settings": [["setting", "value", "note"]]
        + [[name, value, None] for name, value in {**SETTINGS, **settings}.items()],
        "Rules": [RULE_COLUMNS + extra_rule_columns]
        + [[r.get(col) for col in RULE_COLUMNS + extra_rule_columns] for r in rules],
    }
    validated = validate(MemorySource(tabs).read())
    assert validated.ok, validated.errors
    return validated.workbook
