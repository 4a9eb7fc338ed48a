"""Violation messages for planners: what broke, by how much, and what would fix it.

Shared by the engine's actions and the plain twin, so both say exactly the same thing.
"""
from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from rules.calendar import iso
from rules.contract import UNIT_CLUSTERS
from rules.model import Rule

DAILY = "daily_node_cap"
DEADLINE = "deadline"
UNSCHEDULED = "unscheduled"
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


def daily_cap(day: dt.date, load: float, limit: float, cell: str, pinned: Sequence[str]) -> str:
    return (
        f"nodes out on {day.isoformat()} are {amount(load)}, over the daily cap of {amount(limit)} "
        f"set in {cell} by {amount(load - limit)}; "
        + _fix("move clusters to other dates", f"raise daily_node_cap in {cell}", pinned)
    )


def rule_cap(rule: Rule, day: dt.date, load: float, limit: float, pinned: Sequence[str]) -> str:
    over = f"by {amount(load - limit)}"
    if rule.roles.limits == UNIT_CLUSTERS:
        head = (f"{amount(load)} clusters matched by rule {rule.id} ({rule.cell}) have a window on "
                f"{day.isoformat()}, over its cap of {amount(limit)} {over}")
        move = "move one to another date"
    else:
        cap = (f"{amount(rule.value)}% of its clusters' nodes ({amount(limit)})"
               if rule.roles.percent_of_members else amount(limit))
        head = (f"nodes out on {day.isoformat()} under rule {rule.id} ({rule.cell}) are "
                f"{amount(load)}, over its cap of {cap} {over}")
        move = "move clusters it matches to other dates"
    return f"{head}; {_fix(move, f'raise the cap in {rule.cell}', pinned)}"


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


def deadline(deadline_day: dt.date, cell: str, late: Sequence[tuple[dt.date, str]]) -> str:
    """``late``: (last window date, cluster), latest first."""
    last = late[0][0]
    listed = names([f"{name} ({day.isoformat()})" for day, name in late])
    return (f"the plan ends on {last.isoformat()}, {(last - deadline_day).days} day(s) after the "
            f"deadline {deadline_day.isoformat()} ({cell}): {len(late)} cluster(s) finish late, "
            f"the last: {listed}; renegotiate the deadline to {last.isoformat()} or later, or "
            f"raise the caps or allow rolling so the plan fits")


def unscheduled(cluster: str, reason: str) -> str:
    return f"{cluster} is not scheduled: {reason}"
