"""The plan: the engine's classification, the placement loop's schedule, the engine's violations,
and the JSON document of issue 3 (the CLI's output, the API's payload, the output tabs' source).
"""
from __future__ import annotations

import datetime as dt
from collections import Counter
from dataclasses import dataclass, replace
from typing import Any
from zoneinfo import ZoneInfo

from rules.calendar import epoch
from rules.engine import evaluators
from rules.engine.ambiguity import ambiguities
from rules.engine.classification import Classification
from rules.engine.durable.compile import TooComplexError
from rules.model import Cluster, SheetError, Validated, Workbook
from rules.placement.bound import Bound
from rules.placement.greedy import Schedule
from rules.plan.optimised import scheduled
from rules.placement.instants import Clock, daily_peaks
from rules.placement.loop import batch_sizes
from rules.placement.seed import Replanned
from rules.plan.document import (AsOf, BoundEntry, Day, Document, Excluded, Impossible,
                                 OptimiserEntry, Over, ReplannedEntry, Summary, Unscheduled,
                                 UnscheduledEntry, Violation, Window, WindowEntry)
from rules.plan.spread import spread_gaps
from rules.progress import Progress, window_id


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


def make_plan(workbook: Workbook, progress: Progress | None = None,
              optimise: float | None = None) -> Plan:
    """The plan of ``workbook``; with ``progress``, made at ``progress.now`` from what has
    happened (rules/progress.py). A stable plan (keeping published windows) that breaks an error
    rule a fresh plan obeys gives way to the fresh plan, each replanned window saying why.
    ``optimise``: the optimiser's budget in seconds (rules/plan/optimised.py)."""
    evaluator = evaluators.for_plans()
    classification = evaluator.classify(workbook)
    plan = _planned(workbook, classification, evaluator, progress, optimise)
    if progress is None or progress.fresh or not plan.summary.errors:
        return plan
    fresh = _planned(workbook, classification, evaluator, replace(progress, fresh=True),
                     optimise)
    broken = _error_rules(plan) - _error_rules(fresh)
    if not broken:
        return plan
    why = (f"re-planned from scratch: keeping the published windows would break "
           f"{', '.join(sorted(broken))}, which a fresh plan obeys")
    return replace(fresh, replanned=tuple(replace(r, reason=why) for r in fresh.replanned))


def _error_rules(plan: Plan) -> set[str]:
    return {v.rule for v in plan.violations if v.severity == "error"}


def _planned(workbook: Workbook, classification: Classification, evaluator,
             progress: Progress | None, optimise: float | None) -> Plan:
    schedule, optimiser = scheduled(workbook, classification, progress, optimise)
    known = classification.clusters  # windows of clusters gone from the workbook: loads only
    checked = tuple(replace(w, end=w.finished) if w.finished else w
                    for w in schedule.windows if w.cluster in known)
    bound = schedule.bound
    violations = evaluator.violations(
        workbook, classification, schedule.loads, checked, schedule.unscheduled,
        None if bound.impossible else bound.finish)
    violations = [*violations, *ambiguities(workbook)]
    if progress is not None:
        violations = as_run(workbook, schedule, violations, progress)
    return assemble(workbook, classification, schedule, violations, progress, optimiser)


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
             violations, progress: Progress | None = None,
             optimiser: OptimiserEntry | None = None) -> Plan:
    ordered = tuple(sorted(violations, key=Violation.sort_key))
    return Plan(schedule.windows, schedule.excluded, schedule.unscheduled, ordered,
                summarise(workbook, classification, schedule, ordered, optimiser), workbook,
                classification, schedule.replanned, progress)


def summarise(workbook: Workbook, classification: Classification, schedule: Schedule,
              violations, optimiser: OptimiserEntry | None = None) -> Summary:
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
        peak_start=peak.peak_start if peak else None,
        peak_end=peak.peak_end if peak else None,
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
        bound=_bound_entry(schedule.bound, schedule, last, s.deadline),
        spread=spread_gaps(schedule.windows, classification),
        optimiser=optimiser,
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
        start, end = (clock.instant(peak.start).astimezone(tz),
                      clock.instant(peak.end).astimezone(tz)) if peak else (None, None)
        days.append(Day(date=day, nodes_out=peak.amount if peak else 0, peak_start=start,
                        peak_end=end, clusters=starting[index], cap=schedule.caps.get(day),
                        over=tuple(over.get(day, ()))))
    return days


def _bound_entry(bound: Bound, schedule: Schedule, last: dt.date | None,
                 deadline: dt.date) -> BoundEntry:
    """The lower bound beside the plan: the plan's gap to it in days (None while clusters are
    unscheduled), and whether any plan could meet the deadline."""
    placed_all = not schedule.unscheduled and last is not None
    return BoundEntry(
        finish=bound.finish, reason=bound.reason,
        gap_days=(last - bound.finish).days if placed_all and bound.finish else None,
        deadline_possible=not bound.impossible and (
            bound.finish is None or bound.finish <= deadline),
        impossible=tuple(Impossible(name, why) for name, why in bound.impossible))


# The document -------------------------------------------------------------------------------

def document(plan: Plan) -> Document:
    book, classes = plan.workbook, plan.classification.clusters
    clusters = {c.name: c for c in book.clusters}
    regions = {r.name.lower(): r for r in book.regions}
    gone = {w.id: w.shown for w in plan.progress.windows} if plan.progress else {}
    windows = []
    for w in plan.windows:
        if w.cluster in clusters:
            cluster = clusters[w.cluster]
            region = regions[cluster.region.lower()]
            shown = (classes[w.cluster].tier, cluster.region, region.geo, w.rules, region.timezone)
        else:  # reported in a cluster no longer in the workbook: shown as published
            was = gone[w.id]
            shown = (was.get("tier"), was.get("region"), was.get("geo"), w.rules,
                     was.get("timezone"))
        windows.append(WindowEntry(
            w.cluster, w.date, w.start, w.end, w.nodes, w.batch, w.batches, *shown,
            w.id, w.state, w.retry, w.retry_of, w.failed_nodes))
    return Document(tuple(windows), plan.excluded, _unscheduled(plan, clusters), plan.violations,
                    (), plan.summary, book.settings.notice_hours, *_as_of(plan))


def _as_of(plan: Plan) -> tuple[AsOf | None, tuple[ReplannedEntry, ...]]:
    """When the plan was made from progress, and the published windows it did not keep."""
    progress = plan.progress
    if progress is None:
        return None, ()
    hours = plan.workbook.settings.freeze_hours
    return (AsOf(progress.now, progress.fresh, hours, progress.freeze_at(hours)),
            tuple(ReplannedEntry(window_id(r.cluster, r.batch, r.retry), r.cluster, r.batch,
                                 r.retry, r.reason) for r in plan.replanned))


def _unscheduled(plan: Plan, clusters: dict[str, Cluster]) -> tuple[UnscheduledEntry, ...]:
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
        out.append(UnscheduledEntry(u.cluster, u.reason, nodes - sum(w.nodes for w in mine),
                                    batches - len(mine)))
    return tuple(out)


def plan_document(validated: Validated, progress: Progress | None = None,
                  optimise: float | None = None) -> dict[str, Any]:
    """The JSON plan of a validated workbook; only its errors when it has any. ``progress`` and
    ``optimise``: see make_plan."""
    if not validated.ok:
        return Document(errors=validated.errors).as_json()
    try:
        return document(make_plan(validated.workbook, progress, optimise)).as_json()
    except TooComplexError as err:  # a sheet problem found only when the rows are compiled
        return Document(errors=(SheetError(err.cell, str(err)),)).as_json()

