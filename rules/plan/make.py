"""The plan: the engine's classification, the placement loop's schedule, the engine's violations,
and the JSON document of issue 3 (the CLI's output, the API's payload, the output tabs' source).
"""
from __future__ import annotations

import datetime as dt
import json
from collections import Counter
from dataclasses import dataclass
from zoneinfo import ZoneInfo
from typing import Any

from rules import calendar
from rules.calendar import epoch
from rules.engine.classification import Classification, Violation
from rules.engine.durable.compile import TooComplexError
from rules.model import Cluster, SheetError, Validated, Workbook
from rules.placement.bound import Bound, lower_bound
from rules.placement.instants import Clock, daily_peaks
from rules.placement.loop import Excluded, Schedule, Unscheduled, Window, batch_sizes, place


@dataclass(frozen=True)
class Over:
    """A limit over its cap on a campaign day (a violation's load): errors and warnings."""

    rule: str | None
    source: str
    severity: str
    amount: float  # its peak load that day
    cap: float
    unit: str  # nodes | clusters


@dataclass(frozen=True)
class Day:
    """One campaign day (a date in Settings ``timezone``)."""

    date: dt.date
    nodes_out: int  # the most nodes out at any one instant of the day
    peak: tuple[dt.datetime, dt.datetime] | None  # the first interval at that peak (UTC)
    clusters: int  # windows starting that day
    cap: int | None  # the tightest node cap over the whole fleet placement kept that day
    over: tuple[Over, ...]  # limits over their cap that day


@dataclass(frozen=True)
class Summary:
    first_date: dt.date | None
    last_date: dt.date | None
    days: int  # calendar days from first to last, both counted
    peak_nodes_out: int  # the most nodes out at any instant of the plan
    peak_date: dt.date | None  # its campaign day
    peak: tuple[dt.datetime, dt.datetime] | None  # its first interval at that height (UTC)
    timezone: str  # the campaign's zone: the days of ``daily`` and of caps' from..to
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
    daily: tuple[Day, ...]  # every campaign day from the first window's to the last one's
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
    return assemble(workbook, classification, schedule, violations)


def assemble(workbook: Workbook, classification: Classification, schedule: Schedule,
             violations) -> Plan:
    ordered = tuple(sorted(violations, key=lambda v: (*v.sort_key(), v.severity, v.cell)))
    bound = lower_bound(workbook, classification)
    return Plan(schedule.windows, schedule.excluded, schedule.unscheduled, ordered,
                summarise(workbook, schedule, ordered, bound), workbook, classification)


def summarise(workbook: Workbook, schedule: Schedule, violations, bound: Bound) -> Summary:
    s = workbook.settings
    dates = [w.date for w in schedule.windows]
    daily = _daily(s.timezone, schedule, violations)
    peak = max(daily, key=lambda d: (d.nodes_out, -d.date.toordinal()), default=None)
    first, last = min(dates, default=None), max(dates, default=None)
    return Summary(
        first_date=first,
        last_date=last,
        days=(last - first).days + 1 if dates else 0,
        peak_nodes_out=peak.nodes_out if peak else 0,
        peak_date=peak.date if peak else None,
        peak=peak.peak if peak else None,
        timezone=s.timezone,
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


def _daily(zone: str, schedule: Schedule, violations) -> list[Day]:
    """Per campaign day: the peak of nodes out at any instant, against the cap placement kept."""
    if not schedule.windows:
        return []
    tz = ZoneInfo(zone)
    first = min(w.start for w in schedule.windows).astimezone(tz).date()
    last = (max(w.end for w in schedule.windows) - dt.timedelta(seconds=1)).astimezone(tz).date()
    clock = Clock.over(zone, first, last)
    peaks = daily_peaks(((epoch(w.start), epoch(w.end), w.nodes) for w in schedule.windows), clock)
    starting = Counter(clock.day_of(epoch(w.start)) for w in schedule.windows)
    loads = {(f.rule, f.source, f.date): f for f in schedule.loads}
    over: dict[dt.date, list[Over]] = {}
    for v in violations:
        load = loads.get((v.rule, v.source, v.date))
        if load is not None:
            over.setdefault(v.date, []).append(
                Over(v.rule, v.source, v.severity, load.amount, load.limit, load.unit))
    days = []
    for index in range(clock.size):
        day, peak = clock.date(index), peaks.get(index)
        days.append(Day(day, peak.amount if peak else 0,
                        (clock.instant(peak.start), clock.instant(peak.end)) if peak else None,
                        starting[index], schedule.caps.get(day), tuple(over.get(day, ()))))
    return days


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
    zone = ZoneInfo(s.timezone)

    def when(peak) -> dict[str, str | None]:
        start, end = peak or (None, None)
        return {"peak_start": start and calendar.iso(start.astimezone(zone)),
                "peak_end": end and calendar.iso(end.astimezone(zone))}

    summary = {
        "first_date": _iso(s.first_date), "last_date": _iso(s.last_date), "days": s.days,
        "peak_nodes_out": s.peak_nodes_out, "peak_date": _iso(s.peak_date), **when(s.peak),
        "timezone": s.timezone,
        "daily_node_cap": s.daily_node_cap, "nodes_scheduled": s.nodes_scheduled,
        "clusters_scheduled": s.clusters_scheduled, "windows": s.windows,
        "excluded": s.excluded, "unscheduled": s.unscheduled, "errors": s.errors,
        "warnings": s.warnings, "deadline": _iso(s.deadline), "deadline_met": s.deadline_met,
        "daily": [{"date": d.date.isoformat(), "nodes_out": d.nodes_out, **when(d.peak),
                   "clusters": d.clusters, "cap": d.cap,
                   "over": [{"rule": o.rule, "source": o.source, "severity": o.severity,
                             "amount": o.amount, "cap": o.cap, "unit": o.unit} for o in d.over]}
                  for d in s.daily],
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
