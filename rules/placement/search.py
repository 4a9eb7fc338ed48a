"""The day search under the placement loop: the earliest date every error rule allows a window
on, why a given date is not allowed, and why a cluster fits on no date at all.

Plain Python over the loads the loop keeps (rules/placement/limits.py); warning rules never
constrain a search.
"""
from __future__ import annotations

import datetime as dt
from collections import Counter

from rules import calendar
from rules.contract import NEVER
from rules.engine.classification import Classification
from rules.model import Cluster, Workbook
from rules.placement.days import first_day_at_or_after, window_hours
from rules.placement.explain import TOO_SMALL, WINDOW, explain_unplaceable
from rules.placement.limits import DAILY, Horizon, Limit, build_limits
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
        self.daily, self.limits = build_limits(workbook, classification, horizon)
        self._fits: dict[tuple[str, float, int], bool] = {}
        self.window_hours = window_hours(s)

    def first_day_at_or_after(self, name: str, instant: dt.datetime) -> int:
        """The first day index whose window for ``name`` opens at or after ``instant``."""
        return first_day_at_or_after(instant, self.tz[name], self.settings.window_start,
                                     self.horizon)

    def enforced(self, name: str) -> list[Limit]:
        return [self.daily, *(lim for lim in self.limits.get(name, ()) if lim.enforced)]

    def search(self, name: str, nodes: int, lo: int, shaped: set[str]):
        """The earliest day index >= lo every error rule allows; else None and what blocked."""
        cls, size = self.classes[name], self.horizon.size
        limits = self.enforced(name)
        blackouts, hi, closing = [], size, None
        for rule_id in cls.constraints:
            rule = self.rules[rule_id]
            if rule.severity != "error" or rule.roles.days is None:
                continue
            first = 0 if rule.from_date is None else self.horizon.index(rule.from_date)
            last = size - 1 if rule.to_date is None else self.horizon.index(rule.to_date)
            if rule.roles.days == NEVER:
                blackouts.append((rule_id, first, last))
            else:
                if first > lo:
                    shaped.add(rule_id)
                if last + 1 < hi:
                    hi, closing = last + 1, rule_id
                lo = max(lo, first)
        amounts = [(limit, limit.amount(nodes)) for limit in limits]
        oversized = [limit for limit, amount in amounts if amount > limit.allowed]
        blocks: Counter[str] = Counter()
        for limit in limits:  # dates before a limit's pointer are full
            if limit.open_from > lo:
                key = TOO_SMALL + limit.rule if limit in oversized else limit.rule
                blocks[key] += limit.open_from - lo
                lo = limit.open_from
        weekends = self.settings.work_weekends
        weekday0 = self.horizon.origin.weekday()
        for day in range(lo, hi):
            if not weekends and (weekday0 + day) % 7 >= 5:
                continue
            blocked = next((r for r, f, l in blackouts if f <= day <= l), None)
            if blocked is None and not self.fits_on(name, day):
                blocked = WINDOW
            if blocked is None:
                for limit, amount in amounts:
                    if limit.first <= day <= limit.last and \
                            limit.loads[day] + amount > limit.allowed:
                        blocked = limit.rule
                        break
                if blocked is not None and oversized:
                    small = next((lim.rule for lim in oversized if lim.applies(day)), None)
                    blocked = blocked if small is None else TOO_SMALL + small
            if blocked is None:
                shaped.update(r.removeprefix(TOO_SMALL) for r in blocks if r != WINDOW)
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
        if not self.settings.work_weekends and self.horizon.date(day).weekday() >= 5:
            return "work_weekends is no"
        date = self.horizon.date(day)
        for rule_id in self.classes[name].constraints:
            rule = self.rules[rule_id]
            if rule.severity == "error" and rule.roles.days is not None and \
                    rule.applies_on(date) == (rule.roles.days == NEVER):
                return f"rule {rule_id} ({rule.kind}, {rule.cell})"
        if not self.fits_on(name, day):
            return "its window no longer fits the maintenance window"
        for limit in self.enforced(name):
            if limit.applies(day) and limit.loads[day] + limit.amount(nodes) > limit.allowed:
                return f"{limit.rule} has no room left on {date} ({limit.describe()})"
        return None

    def fits_on(self, name: str, day: int) -> bool:
        key = (self.tz[name], self.clusters[name].duration_hours, day)
        if key not in self._fits:
            s = self.settings
            self._fits[key] = calendar.fits_in_day(
                self.horizon.date(day), s.window_start, s.window_end, key[1], key[0])
        return self._fits[key]

    def unplaceable(self, name, nodes, rolling, lo, blocks) -> Unscheduled:
        limits = {lim.rule: lim for lim in [self.daily, *self.limits.get(name, ())]}
        reason, rule = explain_unplaceable(
            name, nodes, self.classes[name].rolling_rule if rolling else None, limits, blocks,
            self.horizon.date(min(lo, self.horizon.size - 1)),
            self.horizon.date(self.horizon.size - 1))
        if rule == DAILY:
            cell = self.settings.cells.get(DAILY, "Settings!A1")
        elif rule in self.rules:
            cell = self.rules[rule].cell
        else:
            cell = f"Clusters!A{self.clusters[name].row}"
        return Unscheduled(name, reason, rule, cell)
