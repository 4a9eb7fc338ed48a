"""The plan: the engine's classification, the placement loop's schedule, the engine's violations,
and the JSON document of issue 3 (the CLI's output, the API's payload, the output tabs' source).
"""
from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass
from typing import Any

from rules import calendar
from rules.engine.ambiguity import ambiguities
from rules.engine.classification import Classification, Violation
from rules.engine.durable.compile import TooComplexError
from rules.model import Cluster, SheetError, Validated, Workbook
from rules.placement.bound import Bound, lower_bound
from rules.placement.loop import Excluded, Schedule, Unscheduled, Window, batch_sizes, place


@dataclass(frozen=True)
class Day:
    date: dt.date
    nodes_out: int
    clusters: int  # windows on that date
    cap: int  # the node cap over the whole fleet that day (daily_node_cap or a lower cap_nodes)


@dataclass(frozen=True)
class Summary:
    first_date: dt.date | None
    last_date: dt.date | None
    days: int  # calendar days from first to last, both counted
    peak_nodes_out: int
    peak_date: dt.date | None
    daily_node_cap: int
    nodes_scheduled: int
    clusters_scheduled: int
    windows: int
    excluded: int
    unscheduled: int
    errors: int  # error violations
    warnings: int
    deadline: dt.date
    deadline_met: bool  # every cluster placed, the last window on or before the deadline
    daily: tuple[Day, ...]
    bound: Bound  # the earliest finish any plan obeying the error rules could have


@dataclass(frozen=True, eq=False)
class Plan:
    windows: tuple[Window, ...]
    excluded: tuple[Excluded, ...]
    unscheduled: tuple[Unscheduled, ...]
    violations: tuple[Violation, ...]
    summary: Summary
    workbook: Workbook
    classification: Classification


def make_plan(workbook: Workbook) -> Plan:
    from rules.engine import classify as engine  # the engine imports durable_rules: loaded only when a plan is made

    classification = engine.classify(workbook)
    schedule = place(workbook, classification)
    violations = engine.find_violations(
        workbook, classification, schedule.loads,
        tuple(w.fact() for w in schedule.windows), schedule.unscheduled)
    return assemble(workbook, classification, schedule, [*violations, *ambiguities(workbook)])


def assemble(workbook: Workbook, classification: Classification, schedule: Schedule,
             violations) -> Plan:
    ordered = tuple(sorted(violations, key=lambda v: (*v.sort_key(), v.severity, v.cell)))
    bound = lower_bound(workbook, classification)
    return Plan(schedule.windows, schedule.excluded, schedule.unscheduled, ordered,
                summarise(workbook, schedule, ordered, bound), workbook, classification)


def summarise(workbook: Workbook, schedule: Schedule, violations, bound: Bound) -> Summary:
    s = workbook.settings
    out: dict[dt.date, list[int]] = {}
    for w in schedule.windows:
        day = out.setdefault(w.date, [0, 0])
        day[0] += w.nodes
        day[1] += 1
    first = min(out, default=None)
    last = max(out, default=None)
    daily: list[Day] = []
    if first is not None:
        fleet_caps = [r for r in workbook.rules if r.enabled and r.kind == "cap_nodes"
                      and r.severity == "error" and not r.conditions]
        for offset in range((last - first).days + 1):
            date = first + dt.timedelta(days=offset)
            nodes, count = out.get(date, (0, 0))
            cap = min([s.daily_node_cap, *(int(r.value) for r in fleet_caps if r.applies_on(date))])
            daily.append(Day(date, nodes, count, cap))
    peak = max(daily, key=lambda d: (d.nodes_out, -d.date.toordinal()), default=None)
    return Summary(
        first_date=first,
        last_date=last,
        days=len(daily),
        peak_nodes_out=peak.nodes_out if peak else 0,
        peak_date=peak.date if peak else None,
        daily_node_cap=s.daily_node_cap,
        nodes_scheduled=sum(w.nodes for w in schedule.windows),
        clusters_scheduled=len({w.cluster for w in schedule.windows}),
        windows=len(schedule.windows),
        excluded=len(schedule.excluded),
        unscheduled=len(schedule.unscheduled),
        errors=sum(v.severity == "error" for v in violations),
        warnings=sum(v.severity == "warning" for v in violations),
        deadline=s.deadline,
        deadline_met=not schedule.unscheduled and (last is None or last <= s.deadline),
        daily=tuple(daily),
        bound=bound,
    )


# The JSON document ---------------------------------------------------------------------------

def _iso(day: dt.date | None) -> str | None:
    return day.isoformat() if day else None


def empty_document(errors=()) -> dict[str, Any]:
    return {"windows": [], "excluded": [], "unscheduled": [], "violations": [],
            "errors": [e.to_dict() for e in errors], "summary": {}}


def document(plan: Plan) -> dict[str, Any]:
    book, classes = plan.workbook, plan.classification.clusters
    clusters = {c.name: c for c in book.clusters}
    regions = {r.name.lower(): r for r in book.regions}
    windows = []
    for w in plan.windows:
        region = regions[clusters[w.cluster].region.lower()]
        windows.append({
            "cluster": w.cluster, "date": w.date.isoformat(),
            "start": calendar.iso(w.start), "end": calendar.iso(w.end),
            "timezone": region.timezone,  # so calendars can show the window in its own zone
            "nodes": w.nodes, "batch": w.batch, "batches": w.batches,
            "tier": classes[w.cluster].tier, "region": clusters[w.cluster].region,
            "geo": region.geo, "rules": list(w.rules),
        })
    s = plan.summary
    summary = {
        "first_date": _iso(s.first_date), "last_date": _iso(s.last_date), "days": s.days,
        "peak_nodes_out": s.peak_nodes_out, "peak_date": _iso(s.peak_date),
        "daily_node_cap": s.daily_node_cap, "nodes_scheduled": s.nodes_scheduled,
        "clusters_scheduled": s.clusters_scheduled, "windows": s.windows,
        "excluded": s.excluded, "unscheduled": s.unscheduled, "errors": s.errors,
        "warnings": s.warnings, "deadline": _iso(s.deadline), "deadline_met": s.deadline_met,
        "daily": [{"date": d.date.isoformat(), "nodes_out": d.nodes_out, "clusters": d.clusters,
                   "cap": d.cap} for d in s.daily],
        "bound": bound_document(s),
    }
    return {
        "windows": windows,
        "excluded": [{"cluster": e.cluster, "rules": list(e.rules), "reason": e.reason}
                     for e in plan.excluded],
        "unscheduled": _unscheduled(plan, clusters),
        "violations": [v.to_dict() for v in plan.violations],
        "errors": [],
        "summary": summary,
    }


def bound_document(s: Summary) -> dict[str, Any]:
    """The lower bound beside the plan: its date, why, the plan's gap to it in days (None while
    clusters are unscheduled), and whether any plan could meet the deadline."""
    bound = s.bound
    placed_all = not s.unscheduled and s.last_date is not None
    return {
        "finish": _iso(bound.finish), "reason": bound.reason,
        "gap_days": (s.last_date - bound.finish).days if placed_all and bound.finish else None,
        "deadline_possible": not bound.impossible and (
            bound.finish is None or bound.finish <= s.deadline),
        "impossible": [{"cluster": name, "reason": why} for name, why in bound.impossible],
    }


def _unscheduled(plan: Plan, clusters: dict[str, Cluster]) -> list[dict[str, Any]]:
    """What of each cluster was not placed: all of it, or all but a pinned first batch."""
    wanted = {u.cluster for u in plan.unscheduled}
    kept: dict[str, list[Window]] = {}
    for w in plan.windows:
        if w.cluster in wanted:
            kept.setdefault(w.cluster, []).append(w)
    out = []
    for u in plan.unscheduled:
        mine, nodes = kept.get(u.cluster, []), clusters[u.cluster].nodes
        batches = mine[0].batches if mine else len(
            batch_sizes(nodes, plan.classification.clusters[u.cluster].rolling_percent))
        out.append({"cluster": u.cluster, "reason": u.reason,
                    "nodes": nodes - sum(w.nodes for w in mine), "batches": batches - len(mine)})
    return out


def plan_document(validated: Validated) -> dict[str, Any]:
    """The JSON plan of a validated workbook; only its errors when it has any."""
    if not validated.ok:
        return empty_document(validated.errors)
    try:
        return document(make_plan(validated.workbook))
    except TooComplexError as err:  # a sheet problem found only when the rows are compiled
        return empty_document((SheetError(err.cell, str(err)),))


def to_json(doc: dict[str, Any]) -> str:
    """The same bytes for the same document: keys sorted, lists already in a stable order."""
    return json.dumps(doc, sort_keys=True, indent=2, ensure_ascii=False) + "\n"
