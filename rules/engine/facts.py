"""What both violation checkers read about a proposed schedule, and how they word what they find.

The planner hands over loads (each limit's peak per campaign day), windows and unscheduled
clusters; this
module derives the per-cluster progress and the ``after`` gates (the aggregations durable_rules
cannot do), and turns a checker's findings into sorted Violations.
"""
from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass, field

from rules.calendar import epoch
from rules.contract import NEVER
from rules.engine import messages as say
from rules.engine.classification import Classification, LoadFact
from rules.model import Rule, Workbook
from rules.plan.document import DEADLINE, UNSCHEDULED, Unscheduled, Violation, Window


@dataclass(frozen=True)
class Progress:
    """One cluster's windows in the proposed schedule."""

    cluster: str
    days: tuple[dt.date, ...]  # local dates, sorted, once each
    first: Window  # the earliest window
    last_end: dt.datetime
    pinned: bool

    @property
    def start(self) -> int:
        return epoch(self.first.start)


@dataclass(frozen=True)
class Gate:
    """An ``after`` rule's prerequisites: the two latest ends among its prerequisite clusters
    (the second one for the latest cluster itself, which does not wait for itself)."""

    rule: Rule
    ends: tuple[tuple[dt.datetime, str], ...]  # (last window end, cluster), latest first, <= 2
    soak_days: int

    def ready_at(self, index: int) -> int:
        """When a cluster waiting for the ``index``-th latest prerequisite may start (epoch)."""
        return epoch(self.ends[index][0]) + self.soak_days * 86400

    def ready(self, cluster: str) -> tuple[int, str, dt.datetime] | None:
        """(epoch when ``cluster`` may start, the prerequisite it waits for, its end), or None."""
        for index, (end, name) in enumerate(self.ends):
            if name != cluster:
                return self.ready_at(index), name, end
        return None


@dataclass(frozen=True)
class ScheduleFacts:
    """What both checkers read about a proposed schedule."""

    workbook: Workbook
    rules: dict[str, Rule]  # enabled rows by id
    loads: tuple[LoadFact, ...]  # by campaign day, then limit
    progress: dict[str, Progress]
    gates: dict[str, Gate]
    memberships: dict[str, tuple[str, ...]]  # cluster -> blackout/between/after rules matching it
    unscheduled: tuple[Unscheduled, ...]
    earliest: dt.date | None = None  # the lower bound on any plan's last date, when known


@dataclass
class Found:
    """What a checker decided; ``violations`` words it the same for both."""

    over: set[int] = field(default_factory=set)  # indexes of loads over their limit
    windows: set[tuple[str, str]] = field(default_factory=set)  # (blackout/between/after, cluster)
    late: set[str] = field(default_factory=set)  # clusters ending after the deadline
    unscheduled: set[int] = field(default_factory=set)  # indexes into ScheduleFacts.unscheduled


def describe(workbook: Workbook, classification: Classification, loads: Iterable[LoadFact],
             windows: Iterable[Window], unscheduled: Iterable[Unscheduled],
             earliest: dt.date | None = None) -> ScheduleFacts:
    """The schedule's facts, sorted, with the per-cluster and per-gate aggregates; ``earliest``:
    the lower bound on any plan's last date (for the deadline's advice), None when unknown."""
    rules = {r.id: r for r in workbook.rules if r.enabled}
    by_cluster: dict[str, list[Window]] = {}
    for window in windows:
        by_cluster.setdefault(window.cluster, []).append(window)
    progress = {
        name: Progress(
            cluster=name,
            days=tuple(sorted({w.date for w in ws})),
            first=min(ws, key=lambda w: (w.start, w.batch)),  # aware: compared as instants
            last_end=max(w.end for w in ws),
            pinned=any(w.pinned for w in ws),
        )
        for name, ws in sorted(by_cluster.items())
    }
    loads = tuple(sorted(loads, key=lambda f: (f.date, f.rule is not None, f.rule or f.source)))
    gates = {}
    for rule in rules.values():
        if rule.roles.waits:
            ends = sorted(
                ((progress[m].last_end, m) for m in classification.members.get(str(rule.value), ())
                 if m in progress),
                key=lambda item: (-epoch(item[0]), item[1]),
            )
            gates[rule.id] = Gate(rule, tuple(ends[:2]), workbook.settings.soak_days)
    memberships = {
        name: tuple(r for r in (*one.constraints, *one.after) if r in rules and rules[r].roles.checks_windows)
        for name, one in classification.clusters.items() if name in progress
    }
    return ScheduleFacts(workbook, rules, loads, progress, gates, memberships,
                         tuple(unscheduled), earliest)


def violations(schedule: ScheduleFacts, found: Found) -> list[Violation]:
    settings = schedule.workbook.settings
    out: list[Violation] = []
    zone = settings.timezone
    for index in sorted(found.over):
        load = schedule.loads[index]
        cluster = load.pinned[0] if load.pinned else None
        if load.rule is None:
            out.append(Violation(None, "error", say.fleet_cap(load, zone), load.cell, cluster,
                                 load.date, load.source))
        else:
            rule = schedule.rules[load.rule]
            out.append(Violation(rule.id, rule.severity, say.rule_cap(rule, load, zone),
                                 rule.cell, cluster, load.date))
    for rule_id, cluster in sorted(found.windows):
        out.append(_window_violation(schedule, schedule.rules[rule_id], schedule.progress[cluster]))
    if found.late:
        late = sorted(((schedule.progress[c].days[-1], c) for c in found.late),
                      key=lambda item: (-item[0].toordinal(), item[1]))
        cell = settings.cells.get("deadline", "Settings!A1")
        message = say.deadline(settings.deadline, cell, late, schedule.earliest)
        out.append(Violation(None, "error", message, cell, late[0][1], late[0][0], DEADLINE))
    for index in sorted(found.unscheduled):
        item = schedule.unscheduled[index]
        out.append(Violation(item.rule, "error", say.unscheduled(item.cluster, item.reason),
                             item.cell, item.cluster, source=UNSCHEDULED))
    return sorted(out, key=Violation.sort_key)


def _window_violation(schedule: ScheduleFacts, rule: Rule, progress: Progress) -> Violation:
    name, pinned = progress.cluster, progress.pinned
    if rule.roles.waits:
        ready, waits_for, end = schedule.gates[rule.id].ready(name)
        when = dt.datetime.fromtimestamp(ready, tz=end.tzinfo)
        text = say.after(rule, name, progress.first.start, waits_for, end, when,
                         schedule.workbook.settings.soak_days, pinned)
        return Violation(rule.id, rule.severity, text, rule.cell, name, progress.first.date)
    never = rule.roles.days == NEVER
    day = next(d for d in progress.days if rule.applies_on(d) == never)
    text = (say.blackout if never else say.between)(rule, name, day, pinned)
    return Violation(rule.id, rule.severity, text, rule.cell, name, day)


def limit_rules(schedule: ScheduleFacts) -> list[Rule]:
    return [r for r in schedule.rules.values() if r.roles.limits]
