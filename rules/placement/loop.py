"""The placement loop: each cluster, in placement order, to the earliest date every error rule allows.

Plain Python fed by the engine's classification. Warning rules never constrain placement (their
loads are kept so they can be checked). Pinned dates are kept as given and counted first.
"""
from __future__ import annotations

import datetime as dt
import math
from collections import Counter
from dataclasses import dataclass, replace
from fractions import Fraction

from rules import calendar
from rules.contract import NEVER
from rules.engine.classification import Classification, LoadFact
from rules.model import Cluster, Workbook
from rules.placement.after import prerequisites, ready_order, wait_cycle
from rules.placement.days import first_day_at_or_after, plan_horizon
from rules.placement.explain import WINDOW, explain_unplaceable
from rules.placement.instants import Clock, Slots
from rules.placement.limits import Label, Limit, build_limits, fleet_cap_by_day
from rules.placement.order import placement_order
from rules.plan.document import Excluded, Unscheduled, Window


@dataclass(frozen=True)
class Schedule:
    windows: tuple[Window, ...]  # sorted by date, cluster, batch
    excluded: tuple[Excluded, ...]  # sorted by cluster
    unscheduled: tuple[Unscheduled, ...]  # sorted by cluster
    loads: tuple[LoadFact, ...]  # every limit's peak on every campaign day it has a load
    caps: dict[dt.date, int]  # campaign day -> the tightest node cap over the whole fleet kept


def batch_sizes(nodes: int, percent: float | None) -> list[int]:
    """A whole cluster in one window, or daily batches of at most ceil(percent % × nodes)."""
    if percent is None:
        return [nodes]
    size = max(1, math.ceil(Fraction(str(percent)) * nodes / 100))
    count = math.ceil(nodes / size)
    return [size] * (count - 1) + [nodes - size * (count - 1)]


def to_place(workbook: Workbook, classification: Classification
             ) -> tuple[list[Excluded], list[str]]:
    """The clusters left out (excluded by a rule, or done) and the names of those to place."""
    excluded: list[Excluded] = []
    todo: list[str] = []
    rules = {r.id: r for r in workbook.rules}
    for cluster in sorted(workbook.clusters, key=lambda c: c.name):
        cls = classification.clusters[cluster.name]
        if cls.excluded_by:
            first = rules[cls.excluded_by[0]]
            reason = f"excluded by rule {first.id}" + (f": {first.note}" if first.note else "")
            excluded.append(Excluded(cluster.name, cls.excluded_by, reason))
        elif cluster.status == "done":
            excluded.append(Excluded(cluster.name, (), "status is done"))
        else:
            todo.append(cluster.name)
    return excluded, todo


def place(workbook: Workbook, classification: Classification) -> Schedule:
    excluded, todo = to_place(workbook, classification)
    placer = _Placer(workbook, classification, todo)
    placer.run(placement_order(todo, classification.clusters, placer.nodes))
    return Schedule(
        windows=tuple(sorted(placer.windows, key=lambda w: (w.date, w.cluster, w.batch))),
        excluded=tuple(excluded),
        unscheduled=tuple(sorted(placer.unscheduled, key=lambda u: u.cluster)),
        loads=tuple(f for limit in placer.all_limits() for f in limit.facts(placer.clock)),
        caps=fleet_cap_by_day(placer.all_limits(), placer.clock),
    )


class _Placer:
    def __init__(self, workbook: Workbook, classification: Classification, todo: list[str]):
        self.settings = s = workbook.settings
        self.classes = classification.clusters
        self.members = classification.members
        self.rules = {r.id: r for r in workbook.rules}
        self.rank = {r.id: i for i, r in enumerate(workbook.rules)}
        wanted = set(todo)
        self.clusters: dict[str, Cluster] = {c.name: c for c in workbook.clusters if c.name in wanted}
        self.nodes = {name: c.nodes for name, c in self.clusters.items()}
        zones = {r.name.lower(): r.timezone for r in workbook.regions}
        self.tz = {name: zones[c.region.lower()] for name, c in self.clusters.items()}
        self.horizon = plan_horizon(s, self.clusters.values())
        self.start = self.horizon.index(s.start_date)
        # Campaign days around the horizon's local days (a day's windows span up to two of them).
        self.clock = Clock.over(s.timezone, self.horizon.origin - dt.timedelta(days=2),
                                self.horizon.date(self.horizon.size + 1))
        self.fleet, self.limits = build_limits(workbook, classification, self.clock)
        self.slots = Slots(self.horizon, self.clock, s.window_start, s.window_end)
        self.windows: list[Window] = []
        self.unscheduled: list[Unscheduled] = []
        self.last_end: dict[str, dt.datetime] = {}
        self.window_hours = calendar.window_hours(s.window_start, s.window_end)

    def all_limits(self) -> list[Limit]:
        unique = {id(limit): limit for limits in self.limits.values() for limit in limits}
        return [*self.fleet, *sorted(unique.values(), key=lambda limit: self.rank[limit.rule])]

    # The loop -------------------------------------------------------------------------------

    def run(self, order: list[str]) -> None:
        for name in sorted(self.clusters):  # pins first, so every later date counts them
            pinned = self.clusters[name].pinned_date
            if pinned is not None:
                self._commit(name, [(self.horizon.index(pinned), self._sizes(name)[0], set())], True)
        prereqs = {name: prerequisites(name, self.classes[name], self.rules, self.members,
                                       self.clusters) for name in order}
        for name in order:  # a pinned whole cluster has nothing left to wait for
            if self._pinned_batches(name) == len(self._sizes(name)):
                prereqs[name] = {}
        ready, stuck = ready_order(order, prereqs)
        for name in ready:
            self._place(name, prereqs[name])
        waiting = set(stuck)
        for name in stuck:
            reason, rule = wait_cycle(name, prereqs[name], waiting)
            self._unscheduled(Unscheduled(name, reason, rule, self.rules[rule].cell))

    def _unscheduled(self, item: Unscheduled) -> None:
        """Report a cluster once; a pinned rolling cluster keeps its first batch (the planner fixed
        that day), so its reason says what was kept and what was not."""
        pinned = self.clusters[item.cluster].pinned_date
        if pinned is not None:
            sizes = self._sizes(item.cluster)
            rest = "batch 2" if len(sizes) == 2 else f"batches 2-{len(sizes)}"
            item = replace(item, reason=(
                f"{rest} of {len(sizes)} ({sum(sizes[1:])} of {sum(sizes)} nodes) cannot be "
                f"placed; only batch 1, pinned to {pinned}, is kept: {item.reason}"))
        self.unscheduled.append(item)

    def _sizes(self, name: str) -> list[int]:
        return batch_sizes(self.nodes[name], self.classes[name].rolling_percent)

    def _pinned_batches(self, name: str) -> int:
        """A pin fixes the first batch (or the whole cluster) on its date."""
        return int(self.clusters[name].pinned_date is not None)

    def _place(self, name: str, prereqs: dict[str, str]) -> None:
        cluster, sizes, done = self.clusters[name], self._sizes(name), self._pinned_batches(name)
        if done == len(sizes):  # pinned: kept as given, checked by the violations
            return
        if cluster.duration_hours > self.window_hours:
            s = self.settings
            self._unscheduled(Unscheduled(
                name,
                f"{name} takes {cluster.duration_hours:g} h, longer than the maintenance window "
                f"({s.window_start:%H:%M}-{s.window_end:%H:%M}, {self.window_hours:g} h): "
                f"shorten its duration_hours or widen window_start/window_end in Settings",
                None, f"Clusters!A{cluster.row}"))
            return
        lo, shaped = self._after_bound(name, prereqs)
        days: list[tuple[int, int, set[str]]] = []
        if done:
            lo = max(lo, self.horizon.index(cluster.pinned_date) + 1)
        for nodes in sizes[done:]:  # batches never share a date, so each is searched alone
            batch_shaped = set(shaped)
            day, blocks = self._search(name, nodes, lo, batch_shaped)
            if day is None:
                self._unscheduled(self._unplaceable(name, nodes, len(sizes) > 1, lo, blocks))
                return
            days.append((day, nodes, batch_shaped))
            lo = day + 1
        self._commit(name, days, False, first_batch=done + 1)

    def _after_bound(self, name: str, prereqs: dict[str, str]) -> tuple[int, set[str]]:
        """The first day index a window may open on, given start_date and the after rules."""
        lo, shaped = self.start, set()
        soak = dt.timedelta(days=self.settings.soak_days)
        for prerequisite, rule in prereqs.items():
            end = self.last_end.get(prerequisite)  # unscheduled prerequisites have their own error
            if end is None:
                continue
            # soak_days x 24 h of real time: add in UTC, not on the wall clock (DST).
            bound = self._first_day_at_or_after(name, end.astimezone(dt.timezone.utc) + soak)
            if bound > self.start:
                shaped.add(rule)
            lo = max(lo, bound)
        return lo, shaped

    def _first_day_at_or_after(self, name: str, instant: dt.datetime) -> int:
        return first_day_at_or_after(instant, self.tz[name], self.settings.window_start,
                                     self.horizon)

    def _search(self, name: str, nodes: int, lo: int, shaped: set[str]):
        """The earliest day index >= lo every error rule allows; else None and what blocked."""
        cls, size, kind = self.classes[name], self.horizon.size, self._kind(name)
        limits = [*self.fleet, *(lim for lim in self.limits.get(name, ()) if lim.enforced)]
        blackouts, hi, closing = [], size, None
        for rule_id in cls.constraints:
            rule = self.rules[rule_id]
            if rule.severity != "error" or rule.roles.days is None:
                continue
            first = 0 if rule.from_date is None else self.horizon.index(rule.from_date)
            last = size - 1 if rule.to_date is None else self.horizon.index(rule.to_date)
            if rule.roles.days == NEVER:
                blackouts.append((Label(rule=rule_id), first, last))
            else:
                if first > lo:
                    shaped.add(rule_id)
                if last + 1 < hi:
                    hi, closing = last + 1, Label(rule=rule_id)
                lo = max(lo, first)
        amounts = [(limit, limit.amount(nodes)) for limit in limits]
        oversized = [limit for limit, amount in amounts if amount > limit.allowed]
        blocks: Counter[Label] = Counter()
        for limit in limits:  # dates before a limit's pointer are full
            open_from = self._open_from(limit, name)
            if open_from > lo:
                key = replace(limit.label, too_small=True) if limit in oversized else limit.label
                blocks[key] += open_from - lo
                lo = open_from
        weekends = self.settings.work_weekends
        weekday0 = self.horizon.origin.weekday()
        for day in range(lo, hi):
            if not weekends and (weekday0 + day) % 7 >= 5:
                continue
            blocked = next((r for r, f, l in blackouts if f <= day <= l), None)
            if blocked is None and not self.slots.fits(kind, day):
                blocked = WINDOW
            if blocked is None:
                slot = self.slots.of(kind, day)
                for limit, amount in amounts:
                    room = limit.headroom(slot)
                    if room is not None and amount > room:
                        blocked = limit.label
                        break
                if blocked is not None and oversized:
                    small = next((lim for lim in oversized if lim.headroom(slot) is not None), None)
                    blocked = blocked if small is None else replace(small.label, too_small=True)
            if blocked is None:
                shaped.update(b.rule for b in blocks if b.rule is not None)
                return day, blocks
            blocks[blocked] += 1
        if closing is not None:
            blocks[closing] += 1
        return None, blocks

    def _kind(self, name: str) -> tuple[str, float]:
        """Clusters of one zone and duration have the same windows."""
        return self.tz[name], self.clusters[name].duration_hours

    def _open_from(self, limit: Limit, name: str) -> int:
        kind = self._kind(name)
        return limit.open_from_day(kind, self.start, self.horizon.size,
                                   lambda day: self.slots.of(kind, day))

    def _commit(self, name, days, pinned, first_batch=1) -> None:
        """Keep the windows of ``days`` (day index, nodes, rules that shaped it) and their loads."""
        cls, s = self.classes[name], self.settings
        sizes = self._sizes(name)
        base = {cls.tier_rule, cls.rolling_rule, *(r for r, _, _ in cls.spread)}
        limits = [*self.fleet, *self.limits.get(name, ())]
        for offset, (day, nodes, shaped) in enumerate(days):
            rules = tuple(sorted((r for r in base | shaped if r in self.rank),
                                 key=self.rank.__getitem__))
            date = self.horizon.date(day)
            start, end = calendar.window(date, s.window_start, self.clusters[name].duration_hours,
                                         self.tz[name])
            self.windows.append(Window(name, date, start, end, nodes, first_batch + offset,
                                       len(sizes), pinned, rules))
            slot = self.slots.of(self._kind(name), day)
            for limit in limits:
                limit.add(slot, nodes, name, pinned)
            if name not in self.last_end or end > self.last_end[name]:
                self.last_end[name] = end

    def _unplaceable(self, name, nodes, rolling, lo, blocks) -> Unscheduled:
        limits = {lim.label: lim for lim in [*self.fleet, *self.limits.get(name, ())]}
        reason, blamed = explain_unplaceable(
            name, nodes, self.classes[name].rolling_rule if rolling else None, limits, blocks,
            self.horizon.date(min(lo, self.horizon.size - 1)),
            self.horizon.date(self.horizon.size - 1))
        rule = None if blamed is None else blamed.rule
        if blamed in limits:
            cell = limits[blamed].cell
        elif rule in self.rules:
            cell = self.rules[rule].cell
        else:
            cell = f"Clusters!A{self.clusters[name].row}"
        return Unscheduled(name, reason, rule, cell)
