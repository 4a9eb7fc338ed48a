"""Violation messages for planners: what broke, by how much, and what would fix it.

Shared by the engine's actions and the plain twin, so both say exactly the same thing.
"""
from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from zoneinfo import ZoneInfo

from rules.calendar import iso
from rules.contract import UNIT_CLUSTERS
from rules.engine.classification import LoadFact
from rules.model import Rule

_SHOWN = 5  # names listed before "and N more"


def amount(value: float) -> str:
    """``1,950`` or ``320.84``: as a planner reads a number."""
    if float(value).is_integer():
        return f"{int(value):,}"
    return f"{value:,.2f}".rstrip("0").rstrip(".")


def names(items: Sequence[str]) -> str:
    shown = ", ".join(items[:_SHOWN])
    return shown + (f" and {len(items) - _SHOWN} more" if len(items) > _SHOWN else "")


def span(rule: Rule) -> str:
    if rule.from_date and rule.to_date:
        return f"from {rule.from_date.isoformat()} to {rule.to_date.isoformat()}"
    if rule.from_date:
        return f"from {rule.from_date.isoformat()} on"
    if rule.to_date:
        return f"up to {rule.to_date.isoformat()}"
    return "on every date"


def _fix(move: str, raise_cap: str, pinned: Sequence[str]) -> str:
    if pinned:
        return f"pinned on that date: {names(pinned)}; change their pinned_date or {raise_cap}"
    return f"{move} or {raise_cap}"


def interval(load: LoadFact, zone: str) -> str:
    """``2026-12-08 00:00 to 03:00 UTC (11:00 to 14:00 Australia/Sydney)``: UTC, then the zone."""
    def shown(tz) -> str:
        start, end = load.start.astimezone(tz), load.end.astimezone(tz)
        until = f"{end:%H:%M}" if end.date() == start.date() else f"{end:%Y-%m-%d %H:%M}"
        return f"{start:%Y-%m-%d %H:%M} to {until}"
    utc = f"{shown(dt.timezone.utc)} UTC"
    return utc if zone == "UTC" else f"{utc} ({shown(ZoneInfo(zone))} {zone})"


def _windows(load: LoadFact) -> str:
    return f"windows out then: {names(load.clusters)}"


def fleet_cap(load: LoadFact, zone: str) -> str:
    """A fleet cap a setting makes (daily_node_cap), over at some instant of a campaign day."""
    return (
        f"nodes out from {interval(load, zone)} are {amount(load.amount)}, over the "
        f"{load.source} of {amount(load.limit)} set in {load.cell} by "
        f"{amount(load.amount - load.limit)} ({_windows(load)}); "
        + _fix("move clusters to other dates", f"raise {load.source} in {load.cell}",
               load.pinned)
    )


def rule_cap(rule: Rule, load: LoadFact, zone: str) -> str:
    over = f"by {amount(load.amount - load.limit)}"
    day = load.date.isoformat()
    if rule.roles.limits == UNIT_CLUSTERS:
        head = (f"{amount(load.amount)} clusters matched by rule {rule.id} ({rule.cell}) have a "
                f"window starting on {day} ({zone}), over its cap of {amount(load.limit)} {over}: "
                f"{names(load.clusters)}")
        move = "move one to another date"
    else:
        cap = (f"{amount(rule.value)}% of its clusters' nodes ({amount(load.limit)})"
               if rule.roles.percent_of_members else amount(load.limit))
        head = (f"nodes out from {interval(load, zone)} under rule {rule.id} ({rule.cell}) are "
                f"{amount(load.amount)}, over its cap of {cap} {over} ({_windows(load)})")
        move = "move clusters it matches to other dates"
    return f"{head}; {_fix(move, f'raise the cap in {rule.cell}', load.pinned)}"


def _pin_fix(pinned: bool) -> str:
    return "; the date is pinned: change its pinned_date" if pinned else ""


def blackout(rule: Rule, cluster: str, day: dt.date, pinned: bool) -> str:
    return (f"{cluster} has a window on {day.isoformat()}, inside the blackout of rule {rule.id} "
            f"({rule.cell}), {span(rule)}; move it out of that range{_pin_fix(pinned)}")


def between(rule: Rule, cluster: str, day: dt.date, pinned: bool) -> str:
    return (f"{cluster} has a window on {day.isoformat()}, but rule {rule.id} ({rule.cell}) allows "
            f"its maintenance only {span(rule)}; move it into that range{_pin_fix(pinned)}")


def after(rule: Rule, cluster: str, start: dt.datetime, waits_for: str, end: dt.datetime,
          ready: dt.datetime, soak_days: int, pinned: bool) -> str:
    early = (ready - start).total_seconds() / 3600
    return (f"{cluster} starts at {iso(start)}, {amount(round(early, 2))} h too early: rule "
            f"{rule.id} ({rule.cell}) makes it wait for {waits_for} (its last window ends "
            f"{iso(end)}) plus {soak_days} soak day(s), until {iso(ready)}; start it later"
            f"{_pin_fix(pinned)}")


def deadline(deadline_day: dt.date, cell: str, late: Sequence[tuple[dt.date, str]],
             earliest: dt.date | None = None) -> str:
    """``late``: (last window date, cluster), latest first; ``earliest``: the lower bound on any
    plan's last date (rules/placement/bound.py), None when unknown: the date to renegotiate to
    is the bound's when it is earlier than this plan's end."""
    last = late[0][0]
    listed = names([f"{name} ({day.isoformat()})" for day, name in late])
    if earliest is None or earliest >= last:
        advice = f"renegotiate the deadline to {last.isoformat()} or later"
    elif earliest <= deadline_day:
        advice = (f"a plan that meets it is not ruled out (none can end before "
                  f"{earliest.isoformat()}): try plan --optimise")
    else:
        advice = (f"no plan can end before {earliest.isoformat()}: renegotiate the deadline to "
                  f"{earliest.isoformat()} or later (this plan needs {last.isoformat()}; plan "
                  f"--optimise may end earlier)")
    return (f"the plan ends on {last.isoformat()}, {(last - deadline_day).days} day(s) after the "
            f"deadline {deadline_day.isoformat()} ({cell}): {len(late)} cluster(s) finish late, "
            f"the last: {listed}; {advice}, or raise the caps or allow rolling so the plan fits")


def unscheduled(cluster: str, reason: str) -> str:
    return f"{cluster} is not scheduled: {reason}"
