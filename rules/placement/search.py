"""The day search under the placement loop: the earliest date every error rule allows a window
on, why a given date is not allowed, and why a cluster fits on no date at all.

Plain Python over the loads the loop keeps (rules/placement/limits.py: node caps hold at every
instant); warning rules never constrain a search.
"""
from __future__ import annotations

import datetime as dt
from collections import Counter
from dataclasses import replace

from rules import calendar
from rules.calendar import epoch
from rules.contract import NEVER
from rules.engine.classification import Classification
from rules.model import Cluster, Workbook
from rules.placement.days import date_rule_days, first_day_at_or_after
from rules.placement.explain import WINDOW, explain_unplaceable
from rules.placement.instants import Clock, Horizon, Slot, Slots
from rules.placement.limits import Label, Limit, build_limits
from rules.plan.document import Unscheduled


class DaySearch:
    """Dates for one cluster's windows against the limits, blackouts, betweens and the window."""

    def __init__(self, workbook: Workbook, classification: Classification,
                 clusters: dict[str, Cluster], horizon: Horizon):
        self.settings = s = workbook.settings
        self.classes = classification.clusters
        self.rules = {r.id: r for r in workbook.rules}
        self.clusters = clusters
        zones = {r.name.lower(): r.timezone for r in workbook.regions}
        self.tz = {name: zones[c.region.lower()] for name, c in clusters.items()}
        self.horizon = horizon
        self.start = horizon.index(s.start_date)
        # Campaign days around the horizon's local days (a day's windows span up to two of them).
        self.clock = Clock.over(s.timezone, horizon.origin - dt.timedelta(days=2),
                                horizon.date(horizon.size + 1))
        self.fleet, self.limits = build_limits(workbook, classification, self.clock)
        self.slots = Slots.over(horizon, self.clock, s.window_start, s.window_end)
        self.window_hours = calendar.window_hours(s.window_start, s.window_end)
        # Per cluster, what its own rows say, read once however often it is searched.
        self._enforced: dict[str, list[Limit]] = {}
        self._dates: dict[str, tuple[list, list]] = {}

    def enforced(self, name: str) -> list[Limit]:
        """The limits a window of ``name`` must fit: the fleet caps, then its error rules'."""
        if name not in self._enforced:
            self._enforced[name] = [*self.fleet, *(lim for lim in self.limits.get(name, ())
                                                   if lim.enforced)]
        return self._enforced[name]

    def _date_rules(self, name: str) -> tuple[list, list]:
        if name not in self._dates:
            self._dates[name] = date_rule_days(self.classes[name], self.rules, self.horizon)
        return self._dates[name]

    def first_day_at_or_after(self, name: str, instant: dt.datetime) -> int:
        """The first day index whose window for ``name`` opens at or after ``instant``."""
        return first_day_at_or_after(instant, self.tz[name], self.settings.window_start,
                                     self.horizon)

    def slot_of(self, start: dt.datetime, end: dt.datetime) -> Slot:
        """A window's slot from its instants (a published window keeps its own)."""
        first = epoch(start)
        return first, epoch(end), self.clock.day_of(first)

    def search(self, name: str, nodes: int, lo: int, shaped: set[str]):
        """The earliest day index >= lo every error rule allows; else None and what blocked."""
        size, kind = self.horizon.size, self.kind(name)
        limits = self.enforced(name)
        blackouts, betweens = self._date_rules(name)
        hi, closing = size, None
        for rule_id, first, last in betweens:
            if first > lo:
                shaped.add(rule_id)
            if last + 1 < hi:
                hi, closing = last + 1, Label(rule=rule_id)
            lo = max(lo, first)
        amounts = [(limit, limit.amount(nodes), limit.label) for limit in limits]
        # Limits smaller than the window even when empty, each with its label saying so.
        oversized = [(limit, replace(label, too_small=True))
                     for limit, amount, label in amounts if amount > limit.allowed]
        blocks: Counter[Label] = Counter()
        for limit, _, label in amounts:  # dates before a limit's pointer are full
            open_from = self._open_from(limit, name)
            if open_from > lo:
                small = next((key for lim, key in oversized if lim is limit), label)
                blocks[small] += open_from - lo
                lo = open_from
        weekends = self.settings.work_weekends
        weekday0 = self.horizon.origin.weekday()
        slot_of, fits = self.slots.of, self.slots.fits
        for day in range(lo, hi):
            if not weekends and (weekday0 + day) % 7 >= 5:
                continue
            blocked = next((Label(rule=r) for r, f, l in blackouts if f <= day <= l), None) \
                if blackouts else None
            if blocked is None and not fits(kind, day):
                blocked = WINDOW
            if blocked is None:
                slot = slot_of(kind, day)
                for limit, amount, label in amounts:
                    room = limit.headroom(slot)
                    if room is not None and amount > room:
                        blocked = label
                        break
                if blocked is not None and oversized:
                    blocked = next((key for lim, key in oversized if lim.covers(slot)), blocked)
            if blocked is None:
                shaped.update(b.rule for b in blocks if b.rule is not None)
                return day, blocks
            blocks[blocked] += 1
        if closing is not None:
            blocks[closing] += 1
        return None, blocks

    def blocker(self, name: str, nodes: int, day: int) -> str | None:
        """Why a window of ``nodes`` may not stay on ``day`` (the rule or setting, in words), or
        None when every error rule still allows it there."""
        if not 0 <= day < self.horizon.size:
            return "its date is outside the campaign"
        date = self.horizon.date(day)
        if not self.settings.work_weekends and date.weekday() >= 5:
            return "work_weekends is no"
        for rule_id in self.classes[name].constraints:
            rule = self.rules[rule_id]
            if rule.severity == "error" and rule.roles.days is not None and \
                    rule.applies_on(date) == (rule.roles.days == NEVER):
                return f"rule {rule_id} ({rule.cell})"
        kind = self.kind(name)
        if not self.slots.fits(kind, day):
            return "its window no longer fits the maintenance window"
        slot = self.slots.of(kind, day)
        for limit in self.enforced(name):
            room = limit.headroom(slot)
            if room is not None and limit.amount(nodes) > room:
                return f"{limit.label.name} has no room left on {date} ({limit.describe()})"
        return None

    def kind(self, name: str) -> tuple[str, float]:
        """Clusters of one zone and duration have the same windows."""
        return self.tz[name], self.clusters[name].duration_hours

    def _open_from(self, limit: Limit, name: str) -> int:
        kind = self.kind(name)
        return limit.open_from_day(kind, self.start, self.horizon.size,
                                   lambda day: self.slots.of(kind, day))

    def unplaceable(self, name, nodes, rolling, lo, blocks) -> Unscheduled:
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
