"""Seeded random workbooks and schedules for the engine tests: many condition forms, list
attributes, dates, extra columns, unreadable values and blanks, so that both evaluators meet
every corner of the condition language."""
from __future__ import annotations

import datetime as dt
import random
from dataclasses import replace

from rules.engine.attributes import ATTRIBUTE_TYPES
from rules.conditions import parse
from rules.model import Cluster, Region, Rule, Settings, Workbook
from rules.validation.settings import fleet_caps

D = dt.date

REGIONS = (
    Region("swedencentral", "EU", "high", "Europe/Stockholm", {"area": "EU", "tier_hint": 1}),
    Region("westeurope", "eu", "high", "Europe/Amsterdam", {"area": "EU", "tier_hint": 2}),
    Region("eastus", "US", "high", "America/New_York", {"area": "US", "tier_hint": None}),
    Region("westus", "US", "normal", "America/Los_Angeles", {"area": "us", "tier_hint": 3}),
    Region("australiaeast", "AU", "low", "Australia/Sydney", {"area": "rest", "tier_hint": "n/a"}),
    Region("uksouth", "UK", "low", "Europe/London", {"area": "Rest", "tier_hint": 2.5}),
)

# Condition cells per attribute: equality, lists, not, comparisons, ranges of every bracket
# style, mixed lists, dates, yes/no, quotes, blanks.
CELLS = {
    "sku": ["H100", "H100, H200", "not A100", "not(H100, GB200)", '"GB200"', "h200", "-"],
    "nodes": ["> 400", "<= 100", "100..400", "[50..500)", "(10..60]", "]100..800[", "8",
              "< 10, 50..60, 600", "not 100..400", "not > 300", ">= 401", "not (8..16)",
              "not < 100", "not <= 60", "not >= 401", "not [10..100)", "not (50..60]",
              "not < 10, 50..60"],
    "workload": ["research", "applied", "not research", "Research, applied"],
    "services": ["api", "chat, api", "not api", "not(chat)", "batch", "not batch, chat"],
    "rolling": ["yes", "no", "not yes"],
    "canary": ["yes", "no"],
    "duration_hours": ["> 5", "4..6", "not 6", "< 4.5"],
    "pinned_date": [">= 2026-01-10", "[2026-01-05..2026-01-11]", "not 2026-01-08",
                    "< 2026-01-07, 2026-01-20", "not < 2026-01-08", "not <= 2026-01-06"],
    "status": ["planned", "not done", "done"],
    "geo": ["EU", "not US", "US, UK", "not(eu)"],
    "importance": ["high", "not low", "normal, low"],
    "area": ["EU", "US", "rest", "not rest", "eu, us"],
    "size": ["big", "small", "not big"],
    "region": ["eastus", "not westus, uksouth", "swedencentral, westeurope"],
    "owner_team": ["team-a", "not team-b", "team-a, team-c", '"team d"'],
    "rack": ["> 10", "not 5..15", "12", "< 3.5, 20..30", "[1..2]"],
    "since": ["< 2026-01-01", "not [2025-06-01..2025-12-31]", "2025-03-04", ">= 2025-09-01"],
    "flag": ["yes", "no", "not yes"],
    "tier_hint": ["2", "> 1.5", "not 1..2"],
}
KINDS = ["exclude", "priority", "priority", "priority", "spread", "cap_nodes", "cap_clusters",
         "cap_percent", "rolling", "rolling", "blackout", "between", "after"]
SPREAD_ON = ["area", "geo", "services", "owner_team", "rack"]


def condition(attribute: str, cell: str):
    return parse(cell, attribute, ATTRIBUTE_TYPES.get(attribute))


def random_cluster(rng: random.Random, index: int) -> Cluster:
    extra = {
        "owner_team": rng.choice(["team-a", "Team-B", "team-c", "team d", None, "  TEAM-A "]),
        "rack": rng.choice([1, 2, 5, 12, 12.0, 15, 20, 29.5, 31, "n/a", None, "12"]),
        "since": rng.choice([D(2025, 3, 4), D(2025, 9, 1), D(2026, 1, 2), "2025-07-15", 45900,
                             None, "soon"]),
        "flag": rng.choice([True, False, "yes", "N", None, "maybe"]),
    }
    services = tuple(rng.sample(["api", "chat", "batch", "API"], rng.randint(0, 3)))
    return Cluster(
        name=f"c{index:03d}-{rng.choice(['x', 'y'])}",
        region=rng.choice(REGIONS).name,
        sku=rng.choice(["H100", "H200", "GB200", "A100", "h100"]),
        nodes=rng.choice([1, 8, 10, 16, 50, 60, 100, 101, 300, 400, 401, 600, 800, 1200]),
        workload=rng.choice(["research", "applied"]),
        services=services,
        rolling=rng.random() < 0.4,
        canary=rng.random() < 0.1,
        duration_hours=rng.choice([4.0, 4.5, 6.0, 8.0]),
        pinned_date=rng.choice([None, None, None, D(2026, 1, 8), D(2026, 1, 20), D(2026, 1, 6)]),
        status=rng.choice(["", "", "planned", "done"]),
        extra=extra,
        row=index + 2,
    )


def random_rule(rng: random.Random, index: int, ids: list[str]) -> Rule:
    kind = rng.choice(KINDS)
    value = {
        "exclude": None, "blackout": None, "between": None,
        "priority": rng.randint(0, 5), "spread": rng.choice(SPREAD_ON),
        "cap_nodes": rng.choice([200, 500, 1300]), "cap_clusters": rng.randint(1, 4),
        "cap_percent": rng.choice([3, 5.5, 26]), "rolling": rng.choice([5, 6, 10]),
        "after": rng.choice(ids) if ids else None,
    }[kind]
    if kind == "after" and value is None:
        kind = "exclude"
    attributes = rng.sample(sorted(CELLS), rng.choice([0, 1, 1, 2, 2, 3]))
    conditions = tuple(
        (attribute, cond) for attribute in sorted(attributes)
        if (cond := condition(attribute, rng.choice(CELLS[attribute]))) is not None
    )
    start = D(2026, 1, 5) + dt.timedelta(days=rng.randint(0, 10))
    return Rule(
        id=f"r{index}", kind=kind, value=value,
        from_date=rng.choice([None, start]),
        to_date=rng.choice([None, start + dt.timedelta(days=rng.randint(0, 6))]),
        severity=rng.choice(["error", "error", "warning"]),
        enabled=rng.random() < 0.85, note="", conditions=conditions,
        row=index + 2, cell=f"Rules!A{index + 2}",
    )


def settings(**overrides) -> Settings:
    base = Settings(
        start_date=D(2026, 1, 5), deadline=D(2026, 1, 18), daily_node_cap=1800,
        window_start=dt.time(11, 0), window_end=dt.time(20, 0), default_duration_hours=6.0,
        big_cluster_nodes=400, work_weekends=True, soak_days=1, timezone="UTC",
        cells={"daily_node_cap": "Settings!B4", "deadline": "Settings!B3"},
    )
    return replace(base, **overrides)


def random_workbook(seed: int, clusters: int = 60, rules: int = 16) -> Workbook:
    rng = random.Random(seed)
    made: list[Rule] = []
    for index in range(rules):
        made.append(random_rule(rng, index, [r.id for r in made]))
    fleet = tuple(random_cluster(rng, i) for i in range(clusters))
    return Workbook(fleet, REGIONS, settings(), tuple(made), fleet_caps(settings()))


def random_schedule(workbook: Workbook, classification, seed: int):
    """A proposed schedule that breaks rules now and then: (loads, windows, unscheduled)."""
    from rules import calendar
    from rules.placement.limits import loads_of
    from rules.plan.document import Unscheduled, Window

    rng = random.Random(seed)
    settings = workbook.settings
    windows, unscheduled = [], []
    for cluster in sorted(workbook.clusters, key=lambda c: c.name):
        one = classification.clusters[cluster.name]
        if one.excluded_by or cluster.status == "done":
            continue
        if rng.random() < 0.08:
            unscheduled.append(
                Unscheduled(cluster.name, "no date leaves room under the caps", None,
                            f"Clusters!A{cluster.row}") if rng.random() < 0.5 else
                Unscheduled(cluster.name, "larger than cap big-one-a-day on every date: allow "
                            "rolling or raise the cap", "big-one-a-day", "Rules!A7"))
            continue
        tz = workbook.region(cluster.region).timezone
        first = cluster.pinned_date or settings.start_date + dt.timedelta(days=rng.randint(-2, 22))
        batches = 1 if one.rolling_percent is None else rng.randint(2, 5)
        day = first
        for batch in range(batches):
            start, end = calendar.window(day, settings.window_start, cluster.duration_hours, tz)
            windows.append(Window(cluster.name, day, start, end, -(-cluster.nodes // batches),
                                  batch + 1, batches, cluster.pinned_date is not None and batch == 0,
                                  ()))
            day += dt.timedelta(days=rng.randint(1, 3))
    return loads_of(workbook, classification, windows), windows, unscheduled

