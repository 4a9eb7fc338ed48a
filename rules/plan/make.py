"""The plan: the engine's classification, the placement loop's schedule, the engine's violations,
and the JSON document of issue 3 (the CLI's output, the API's payload, the output tabs' source).
"""
from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass, replace
from typing import Any

from rules import calendar
from rules.engine.classification import Classification, Violation
from rules.placement.seed import Replanned
from rules.engine.durable.compile import TooComplexError
from rules.model import Cluster, SheetError, Validated, Workbook
from rules.placement.loop import Excluded, Schedule, Unscheduled, Window, batch_sizes, place
from rules.progress import Progress, window_id


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


@dataclass(frozen=True, eq=False)
class Plan:
    windows: tuple[Window, ...]
    excluded: tuple[Excluded, ...]
    unscheduled: tuple[Unscheduled, ...]
    violations: tuple[Violation, ...]
    summary: Summary
    workbook: Workbook
    classification: Classification
    replanned: tuple[Replanned, ...] = ()  # published windows not kept where they were
    progress: Progress | None = None


def make_plan(workbook: Workbook, progress: Progress | None = None) -> Plan:
    """The plan of ``workbook``; with ``progress``, made at ``progress.now`` from what has
    happened (rules/progress.py)."""
    from rules.engine import classify as engine  # the engine imports durable_rules: loaded only when a plan is made

    classification = engine.classify(workbook)
    schedule = place(workbook, classification, progress)
    known = classification.clusters  # windows of clusters gone from the workbook: loads only
    violations = engine.find_violations(
        workbook, classification, schedule.loads,
        tuple(w.fact() for w in schedule.windows if w.cluster in known), schedule.unscheduled)
    if progress is not None:
        violations = as_run(workbook, schedule, violations, progress)
    return assemble(workbook, classification, schedule, violations, progress)


def as_run(workbook: Workbook, schedule: Schedule, violations, progress: Progress) -> list:
    """Violations only about windows that happened or are frozen (reported, or starting before
    now + freeze_hours) are nothing a plan can change, so they are warnings; progress notes
    (overdue windows, work that cannot be re-queued) are warnings too."""
    freeze_at = progress.freeze_at(workbook.settings.freeze_hours)
    movable = {(w.cluster, w.date) for w in schedule.windows
               if w.state == "planned" and w.start >= freeze_at}
    movable_dates = {date for _, date in movable}

    def frozen(v: Violation) -> bool:
        if v.severity != "error" or v.date is None:
            return False
        return (v.cluster, v.date) not in movable if v.cluster else v.date not in movable_dates

    out = [replace(v, severity="warning", message=f"frozen, kept as is: {v.message}")
           if frozen(v) else v for v in violations]
    rows = {c.name: c.row for c in workbook.clusters}
    for note in schedule.notes:
        cell = f"Clusters!A{rows[note.cluster]}" if note.cluster in rows else ""
        out.append(Violation("progress", "warning", note.message, cell, note.cluster, note.date))
    return out


def assemble(workbook: Workbook, classification: Classification, schedule: Schedule,
             violations, progress: Progress | None = None) -> Plan:
    ordered = tuple(sorted(violations, key=lambda v: (*v.sort_key(), v.severity, v.cell)))
    return Plan(schedule.windows, schedule.excluded, schedule.unscheduled, ordered,
                summarise(workbook, schedule, ordered), workbook, classification,
                schedule.replanned, progress)


def summarise(workbook: Workbook, schedule: Schedule, violations) -> Summary:
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
    gone = {w.id: w.shown for w in plan.progress.windows} if plan.progress else {}
    for w in plan.windows:
        wid = window_id(w.cluster, w.batch, w.retry)
        if w.cluster in clusters:
            region = regions[clusters[w.cluster].region.lower()]
            # timezone: so calendars can show the window in its own zone
            shown = {"timezone": region.timezone, "tier": classes[w.cluster].tier,
                     "region": clusters[w.cluster].region, "geo": region.geo}
        else:  # done or in progress in a cluster no longer in the workbook: as published
            shown = {key: gone[wid].get(key) for key in ("timezone", "tier", "region", "geo")}
        windows.append({
            "cluster": w.cluster, "date": w.date.isoformat(),
            "start": calendar.iso(w.start), "end": calendar.iso(w.end),
            "nodes": w.nodes, "batch": w.batch, "batches": w.batches, **shown,
            "rules": list(w.rules),
            "id": wid, "retry": w.retry,
            "retry_of": w.retry_of, "state": w.state, "failed_nodes": w.failed_nodes,
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
    }
    doc = {
        "windows": windows,
        "excluded": [{"cluster": e.cluster, "rules": list(e.rules), "reason": e.reason}
                     for e in plan.excluded],
        "unscheduled": _unscheduled(plan, clusters),
        "violations": [v.to_dict() for v in plan.violations],
        "errors": [],
        "summary": summary,
    }
    if plan.progress is not None:
        doc["as_of"] = {"now": calendar.iso(plan.progress.now), "fresh": plan.progress.fresh,
                        "freeze_hours": book.settings.freeze_hours,
                        "frozen_until": calendar.iso(plan.progress.freeze_at(
                            book.settings.freeze_hours))}
        doc["replanned"] = [{"id": window_id(r.cluster, r.batch, r.retry), "cluster": r.cluster,
                             "batch": r.batch, "retry": r.retry, "reason": r.reason}
                            for r in plan.replanned]
    return doc


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


def plan_document(validated: Validated, progress: Progress | None = None) -> dict[str, Any]:
    """The JSON plan of a validated workbook; only its errors when it has any."""
    if not validated.ok:
        return empty_document(validated.errors)
    try:
        return document(make_plan(validated.workbook, progress))
    except TooComplexError as err:  # a sheet problem found only when the rows are compiled
        return empty_document((SheetError(err.cell, str(err)),))


def to_json(doc: dict[str, Any]) -> str:
    """The same bytes for the same document: keys sorted, lists already in a stable order."""
    return json.dumps(doc, sort_keys=True, indent=2, ensure_ascii=False) + "\n"
