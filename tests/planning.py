"""Small validated workbooks for the planner's tests, built directly as model objects.

Conditions are tiny stand-ins (`Is`, `Not`) with the `matches(value)` interface of
rules.conditions, classified by the product's plain evaluator (`rules.engine.classify.classify_plain`),
so placement is tested on its own. End-to-end tests go through validate and the engine.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, replace

from rules.model import Cluster, Region, Rule, Settings, Workbook
from rules.validation.settings import fleet_caps

D = dt.date

REGIONS = (
    Region("swedencentral", "EU", "high", "Europe/Stockholm", {"area": "EU"}),
    Region("westeurope", "EU", "high", "Europe/Amsterdam", {"area": "EU"}),
    Region("eastus", "US", "high", "America/New_York", {"area": "US"}),
    Region("westus", "US", "high", "America/Los_Angeles", {"area": "US"}),
    Region("japaneast", "JP", "normal", "Asia/Tokyo", {"area": "rest"}),
    Region("uksouth", "UK", "low", "Europe/London", {"area": "EU"}),
    Region("utc", "XX", "normal", "UTC", {"area": "rest"}),
    Region("australiaeast", "AU", "normal", "Australia/Sydney", {"area": "rest"}),
    Region("halifax", "CA", "low", "America/Halifax", {"area": "rest"}),
)


@dataclass(frozen=True)
class Is:
    values: tuple

    def matches(self, value) -> bool:
        items = value if isinstance(value, tuple) else (value,)
        wanted = {str(v).casefold() for v in self.values}
        return any(str(item).casefold() in wanted for item in items)


@dataclass(frozen=True)
class Not:
    values: tuple

    def matches(self, value) -> bool:
        return not Is(self.values).matches(value)


def cluster(name: str, nodes: int = 10, region: str = "utc", **fields) -> Cluster:
    fields.setdefault("duration_hours", 6.0)
    fields.setdefault("workload", "research")
    return Cluster(name=name, region=region, sku=fields.pop("sku", "H100"), nodes=nodes,
                   row=fields.pop("row", 2), **fields)


def rule(id: str, kind: str, value=None, *, when: dict | None = None, frm: dt.date | None = None,
         to: dt.date | None = None, severity: str = "error", enabled: bool = True,
         note: str = "", row: int = 2) -> Rule:
    """A rule row; ``when`` maps attribute -> value or Is/Not condition."""
    conditions = tuple(
        (attribute, test if isinstance(test, (Is, Not)) else Is((test,)))
        for attribute, test in sorted((when or {}).items())
    )
    return Rule(id=id, kind=kind, value=value, from_date=frm, to_date=to, severity=severity,
                enabled=enabled, note=note, conditions=conditions, row=row, cell=f"Rules!A{row}")


def settings(**overrides) -> Settings:
    base = Settings(
        start_date=D(2026, 1, 5), deadline=D(2026, 1, 31), daily_node_cap=1000,
        window_start=dt.time(11, 0), window_end=dt.time(20, 0), default_duration_hours=6.0,
        big_cluster_nodes=400, work_weekends=True, soak_days=1, timezone="UTC",
        cells={"daily_node_cap": "Settings!B4", "deadline": "Settings!B3"},
    )
    return replace(base, **overrides)


def workbook(clusters, rules=(), **setting_overrides) -> Workbook:
    rules = tuple(replace(r, row=i + 2, cell=f"Rules!A{i + 2}") for i, r in enumerate(rules))
    clusters = tuple(replace(c, row=i + 2) for i, c in enumerate(clusters))
    chosen = settings(**setting_overrides)
    return Workbook(clusters, REGIONS, chosen, rules, fleet_caps(chosen))
