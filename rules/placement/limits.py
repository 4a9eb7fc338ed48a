"""The limits placement keeps, and their loads, kept incrementally while windows are added.

A limit is a cap_nodes / cap_percent / cap_clusters rule, or a fleet cap a setting makes
(``daily_node_cap``). Node limits hold at every instant: their load is a step function of time
(nodes of the windows whose UTC interval contains the instant) in a sorted list of boundaries,
so "the most nodes out over this interval" costs a binary search (log n) plus the boundaries
inside the interval (a handful: windows open at window_start in each zone). Plain lists and the
standard bisect: at these sizes (boundaries ~ zones x durations x days) they answer about three
times faster than sortedcontainers' SortedList, and a new boundary is one memmove. Cluster
limits count clusters with a window starting on a campaign day. From..to are campaign days
(Settings ``timezone``).
"""
from __future__ import annotations

import bisect
import datetime as dt
import math
from dataclasses import dataclass, field
from fractions import Fraction
from functools import cached_property

from rules import calendar
from rules.contract import UNIT_CLUSTERS, UNIT_NODES
from rules.engine.classification import Classification, LoadFact
from rules.model import Workbook
from rules.placement.instants import FOREVER, Clock, Slot, daily_peaks, overlapping
from rules.plan.document import RULE


@dataclass(frozen=True)
class Label:
    """What kept a date closed, as explanations name it: a rule row, a fleet cap's setting, or
    the window not fitting the day. Rule ids and built-in names never compare equal."""

    rule: str | None = None
    source: str | None = None
    too_small: bool = False  # the limit, even empty, is smaller than the window

    @property
    def name(self) -> str:
        return self.rule if self.rule is not None else str(self.source)


@dataclass(eq=False)  # a limit is itself: compared by identity
class Limit:
    rule: str | None  # the rule's id; None for a fleet cap
    source: str  # RULE, or the setting that made it
    cell: str
    unit: str  # nodes | clusters
    limit: float  # as people read it (cap_percent: value % of the members' nodes)
    allowed: int  # the largest whole amount within the limit
    first: int  # campaign days it applies on, inclusive
    last: int
    span: tuple[int, int]  # the instants it applies at: [first 00:00, the day after last 00:00)
    enforced: bool  # error rules constrain placement; warning rules are only checked
    fleet_wide: bool  # counts every cluster (no conditions)
    counted: list[tuple[int, int, int, str, bool]] = field(default_factory=list)
    # per kind of window (zone, hours): every day index before it is full, and how many windows
    # were counted when that day was last seen open
    open_from: dict[tuple[str, float], tuple[int, int]] = field(default_factory=dict)

    @cached_property  # asked for on every date a search tries
    def label(self) -> Label:
        return Label(rule=self.rule) if self.rule is not None else Label(source=self.source)

    def applies(self, day: int) -> bool:
        return self.first <= day <= self.last

    def amount(self, nodes: int) -> int:
        return nodes if self.unit == UNIT_NODES else 1

    def open_from_day(self, kind, start: int, days: int, slot_of) -> int:
        """The first day index from ``start`` on whose window of this ``kind`` (zone, hours)
        the limit leaves room in (``slot_of(day)`` gives the window). Loads only grow, so a full
        day stays full and the pointer only moves on."""
        day, seen = self.open_from.get(kind, (start, -1))
        if seen == len(self.counted):  # nothing added since: still open
            return day
        while day < days:
            room = self.headroom(slot_of(day))
            if room is None or room > 0:
                break
            day += 1
        self.open_from[kind] = day, len(self.counted)
        return day

    def add(self, slot: Slot, nodes: int, cluster: str, pinned: bool) -> None:
        self.counted.append((slot[0], slot[1], self.amount(nodes), cluster, pinned))

    def facts(self, clock: Clock) -> list[LoadFact]:
        """Each campaign day's peak load, where the limit applies."""
        lo, hi = self.span
        if self.unit == UNIT_NODES:
            intervals = [(s, e, n) for s, e, n, _, _ in self.counted]
        else:  # a cluster counts once on the whole campaign day a window of it starts on
            starts = {(clock.day_of(s), c) for s, _, _, c, _ in self.counted}
            intervals = [(clock.bounds[d], clock.bounds[d + 1], 1) for d, _ in starts]
        peaks = daily_peaks(intervals, clock, lo, hi)
        # the windows out during the peak; for cluster limits, those starting on its day
        names = overlapping(peaks, clock, [(s, e if self.unit == UNIT_NODES else s + 1, c, p)
                                           for s, e, _, c, p in self.counted])
        return [
            LoadFact(rule=self.rule, source=self.source, cell=self.cell, date=clock.date(day),
                     start=clock.instant(p.start), end=clock.instant(p.end), amount=p.amount,
                     limit=self.limit, unit=self.unit, clusters=tuple(names[day][0]),
                     pinned=tuple(names[day][1]))
            for day, p in sorted(peaks.items()) if self.applies(day)
        ]

    def describe(self) -> str:
        return (f"{self.allowed} nodes out at once" if self.unit == UNIT_NODES
                else f"{self.allowed} clusters a date")


@dataclass(eq=False)
class NodeLimit(Limit):
    """Nodes out at every instant: a step function kept as sorted boundaries and their loads."""

    # headroom(slot): how much more fits in the window ``slot``; None when the limit does not
    # apply then (both kinds of limit answer it).

    bounds: list[int] = field(default_factory=lambda: [-FOREVER])  # sorted instants
    level: list[int] = field(default_factory=lambda: [0])  # nodes out from bounds[i] to the next

    def covers(self, slot: Slot) -> bool:
        """Whether the limit applies during the window ``slot`` (headroom is not None)."""
        return max(slot[0], self.span[0]) < min(slot[1], self.span[1])

    def headroom(self, slot: Slot) -> int | None:
        start, end = max(slot[0], self.span[0]), min(slot[1], self.span[1])
        if start >= end:
            return None
        first = bisect.bisect_right(self.bounds, start) - 1
        stop = bisect.bisect_left(self.bounds, end, first)
        return self.allowed - max(self.level[first:stop])

    def add(self, slot: Slot, nodes: int, cluster: str, pinned: bool) -> None:
        super().add(slot, nodes, cluster, pinned)
        bounds, level = self.bounds, self.level
        for t in (slot[0], slot[1]):
            at = bisect.bisect_right(bounds, t) - 1
            if bounds[at] != t:
                bounds.insert(at + 1, t)
                level.insert(at + 1, level[at])
        first = bisect.bisect_left(bounds, slot[0])
        for at in range(first, bisect.bisect_left(bounds, slot[1], first)):
            level[at] += nodes


@dataclass(eq=False)
class ClusterLimit(Limit):
    """Clusters with a window starting on a campaign day."""

    loads: list[int] = field(default_factory=list)

    def covers(self, slot: Slot) -> bool:
        return self.applies(slot[2])

    def headroom(self, slot: Slot) -> int | None:
        day = slot[2]
        return self.allowed - self.loads[day] if self.applies(day) else None

    def add(self, slot: Slot, nodes: int, cluster: str, pinned: bool) -> None:
        super().add(slot, nodes, cluster, pinned)
        self.loads[slot[2]] += 1


def build_limits(workbook: Workbook, classification: Classification, clock: Clock
                 ) -> tuple[list[Limit], dict[str, list[Limit]]]:
    """The fleet caps (every cluster counts), and for each cluster the rule limits it falls under
    (sheet order)."""
    fleet = [_limit(NodeLimit, None, cap.setting, cap.cell, UNIT_NODES, cap.nodes,
                    Fraction(cap.nodes), None, None, True, True, clock) for cap in workbook.fleet_caps]
    nodes = {c.name: c.nodes for c in workbook.clusters}
    by_cluster: dict[str, list[Limit]] = {}
    for rule in workbook.rules:
        if not rule.enabled or not rule.roles.limits or rule.id not in classification.members:
            continue
        members = classification.members[rule.id]
        if rule.roles.percent_of_members:
            exact = Fraction(str(rule.value)) * sum(nodes[m] for m in members) / 100
            shown: float = float(exact)
        else:
            exact = Fraction(int(rule.value))
            shown = int(rule.value)
        unit = rule.roles.limits
        kind = ClusterLimit if unit == UNIT_CLUSTERS else NodeLimit
        limit = _limit(kind, rule.id, RULE, rule.cell, unit, shown, exact, rule.from_date,
                       rule.to_date, rule.severity == "error", not rule.conditions, clock)
        for member in members:
            by_cluster.setdefault(member, []).append(limit)
    return fleet, by_cluster


def _limit(kind, rule, source, cell, unit, shown, exact, from_date, to_date, enforced, fleet_wide,
           clock: Clock) -> Limit:
    first = 0 if from_date is None else max(0, clock.index(from_date))
    last = clock.size - 1 if to_date is None else min(clock.size - 1, clock.index(to_date))
    limit = kind(rule=rule, source=source, cell=cell, unit=unit, limit=shown,
                 allowed=math.floor(exact), first=first, last=last,
                 span=clock.span(from_date, to_date), enforced=enforced, fleet_wide=fleet_wide)
    if isinstance(limit, ClusterLimit):
        limit.loads = [0] * clock.size
    return limit


def fleet_cap_by_day(limits: list[Limit], clock: Clock) -> dict:
    """Per campaign day, the tightest enforced node cap over the whole fleet placement kept."""
    fleet = [lim for lim in limits if lim.fleet_wide and lim.enforced and lim.unit == UNIT_NODES]
    return {clock.date(day): min(lim.allowed for lim in fleet if lim.applies(day))
            for day in range(clock.size) if any(lim.applies(day) for lim in fleet)}


def loads_of(workbook: Workbook, classification: Classification, windows) -> list[LoadFact]:
    """Every limit's peaks per campaign day for ``windows`` (WindowFacts), counted as placement
    counts them: a proposed schedule's loads, for checking one that placement did not make."""
    windows = list(windows)
    if not windows:
        return []
    dates = [w.date for w in windows]
    clock = Clock.over(workbook.settings.timezone, min(dates) - dt.timedelta(days=2),
                       max(dates) + dt.timedelta(days=2))
    fleet, by_cluster = build_limits(workbook, classification, clock)
    for w in windows:
        start = calendar.epoch(w.start)
        slot = (start, calendar.epoch(w.end), clock.day_of(start))
        for limit in [*fleet, *by_cluster.get(w.cluster, ())]:
            limit.add(slot, w.nodes, w.cluster, w.pinned)
    unique = {id(limit): limit for limits in by_cluster.values() for limit in limits}
    return [f for limit in [*fleet, *unique.values()] for f in limit.facts(clock)]
