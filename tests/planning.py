"""Small validated workbooks for the planner's tests, built directly as model objects.

Conditions are tiny stand-ins (`Is`, `Not`) with the `matches(value)` interface of
rules.conditions, and `classify_local` is the simplest classification of issue 2's rule kinds,
so placement is tested on its own. End-to-end tests go through validate and the engine.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, replace

from rules.attributes import cluster_attributes
from rules.classification import Classification, ClusterClass
from rules.model import Cluster, Region, Rule, Settings, Workbook

D = dt.date

REGIONS = (
    Region("swedencentral", "EU", "high", "Europe/Stockholm", {"area": "EU"}),
    Region("westeurope", "EU", "high", "Europe/Amsterdam", {"area": "EU"}),
    Region("eastus", "US", "high", "America/New_York", {"area": "US"}),
    Region("westus", "US", "high", "America/Los_Angeles", {"area": "US"}),
    Region("japaneast", "JP", "normal", "Asia/Tokyo", {"area": "rest"}),
    Region("uksouth", "UK", "low", "Europe/London", {"area": "EU"}),
    Region("utc", "XX", "normal", "UTC", {"area": "rest"}),
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
    return Workbook(clusters, REGIONS, settings(**setting_overrides), rules)


def classify_local(book: Workbook) -> Classification:
    enabled = [r for r in book.rules if r.enabled]
    classes, members = {}, {r.id: [] for r in enabled}
    for c in book.clusters:
        attrs = cluster_attributes(c, book.region(c.region), book.settings)
        hits = [r for r in enabled if all(t.matches(attrs.get(a)) for a, t in r.conditions)]
        of = lambda *kinds: [r for r in hits if r.kind in kinds]  # noqa: E731
        tier = next(iter(of("priority")), None)
        rolling = next(iter(of("rolling")), None)
        classes[c.name] = ClusterClass(
            cluster=c.name, size=attrs["size"],
            excluded_by=tuple(r.id for r in of("exclude")),
            tier=tier.value if tier else None, tier_rule=tier.id if tier else None,
            spread=tuple((r.id, r.value, attrs.get(r.value)) for r in of("spread")),
            rolling_percent=rolling.value if rolling else None,
            rolling_rule=rolling.id if rolling else None,
            after=tuple(r.id for r in of("after")),
            constraints=tuple(r.id for r in of("cap_nodes", "cap_clusters", "cap_percent",
                                               "blackout", "between")),
        )
        if not classes[c.name].excluded_by:
            for r in hits:
                members[r.id].append(c.name)
    return Classification(classes, {k: tuple(sorted(v)) for k, v in members.items()})
