"""The days a cluster's own rules leave it, whatever else is placed: the ground the lower bound
stands on, and the days a roll may skip without pausing for no rule.

A day is closed to a cluster by an error blackout or between rule matching it, by a weekend when
Settings work_weekends is no, by its window not fitting the local day (DST), or by an error limit
that, even empty, is smaller than its smallest batch. Loads of other clusters never close a day.
"""
from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from functools import lru_cache

from rules import calendar
from rules.contract import NEVER
from rules.engine.classification import ClusterClass
from rules.model import Cluster, Rule, Settings
from rules.placement.instants import FOREVER, Horizon
from rules.placement.limits import Limit

# Dates searched past the later of start_date and deadline before a cluster is declared unplaceable.
SEARCH_DAYS_PAST_DEADLINE = 366


def plan_horizon(settings: Settings, clusters: Iterable[Cluster]) -> Horizon:
    """Day 0 is the earlier of start_date and the earliest pin; it runs a year past the later of
    the deadline, start_date and the latest pin."""
    pins = [c.pinned_date for c in clusters if c.pinned_date]
    last = max([settings.start_date + dt.timedelta(days=SEARCH_DAYS_PAST_DEADLINE),
                settings.deadline + dt.timedelta(days=SEARCH_DAYS_PAST_DEADLINE), *pins])
    origin = min([settings.start_date, *pins])
    return Horizon(origin, (last - origin).days + 1)


def date_rule_days(cls: ClusterClass, rules: Mapping[str, Rule], horizon: Horizon
                   ) -> tuple[list[tuple[str, int, int]], list[tuple[str, int, int]]]:
    """The cluster's error blackouts and its error between rules, each as (rule, first, last)
    day indexes, in the order of its constraints."""
    blackouts, betweens = [], []
    for rule_id in cls.constraints:
        rule = rules[rule_id]
        if rule.severity != "error" or rule.roles.days is None:
            continue
        first = 0 if rule.from_date is None else horizon.index(rule.from_date)
        last = horizon.size - 1 if rule.to_date is None else horizon.index(rule.to_date)
        (blackouts if rule.roles.days == NEVER else betweens).append((rule_id, first, last))
    return blackouts, betweens


def open_days(cluster: Cluster, tz: str, cls: ClusterClass, rules: Mapping[str, Rule],
              limits: Iterable[Limit], smallest_batch: int, settings: Settings,
              horizon: Horizon) -> bytearray:
    """For every day index of the horizon, 1 when the cluster's own rules let a window of it
    open that day (the module docstring lists them), else 0."""
    if cluster.duration_hours > calendar.window_hours(settings.window_start, settings.window_end):
        return bytearray(horizon.size)
    days = bytearray(_fitting_days(horizon, settings.window_start, settings.window_end,
                                   cluster.duration_hours, tz, settings.work_weekends))
    blackouts, betweens = date_rule_days(cls, rules, horizon)
    # Between ranges intersect; one lying wholly outside the horizon closes every day.
    opens = min(max([0, *(first for _, first, _ in betweens)]), horizon.size)
    closes = max(opens, min([horizon.size, *(last + 1 for _, _, last in betweens)]))
    days[:opens] = bytes(opens)
    days[closes:] = bytes(horizon.size - closes)
    closed = [(first, last) for _, first, last in blackouts]
    closed += [surely_applies(limit) for limit in limits
               if limit.enforced and limit.amount(smallest_batch) > limit.allowed]
    for first, last in closed:
        first, last = max(first, 0), min(last, horizon.size - 1)
        if first <= last:
            days[first:last + 1] = bytes(last - first + 1)
    return days


@lru_cache(maxsize=256)
def _fitting_days(horizon: Horizon, opens: dt.time, closes: dt.time, hours: float, tz: str,
                  weekends: bool) -> bytes:
    """1 for each day a window of ``hours`` fits the local day in ``tz`` (and is no weekend day
    when weekends are off)."""
    weekday0 = horizon.origin.weekday()
    return bytes(
        int((weekends or (weekday0 + day) % 7 < 5)
            and calendar.fits_in_day(horizon.date(day), opens, closes, hours, tz))
        for day in range(horizon.size))


def surely_applies(limit: Limit) -> tuple[int, int]:
    """The day indexes (first, last) on which a limit holds for a window of any zone, when the
    limit's campaign days are numbered from the horizon's origin: a window of local day d opens
    within two days of campaign day d (zones from UTC-12 to UTC+14), so a dated end gives up two."""
    return (limit.first + 2 * (limit.span[0] > -FOREVER),
            limit.last - 2 * (limit.span[1] < FOREVER))


def first_day_at_or_after(instant: dt.datetime, tz: str, opens: dt.time, horizon: Horizon) -> int:
    """The first day index whose window, opening at ``opens`` local time in ``tz``, opens at or
    after ``instant`` (aware)."""
    local = instant.astimezone(calendar.zone(tz)).date()
    if calendar.local_instant(local, opens, tz) < instant:
        local += dt.timedelta(days=1)
    return horizon.index(local)
