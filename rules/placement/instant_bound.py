"""The lower bound's node-cap relaxation at one time of day (rules/placement/bound.py uses it).

Node caps hold at every instant. Take a time of day τ (UTC) and the clusters whose window is
out at τ on every date (its zone's offsets over the horizon all put τ inside it): each window of
theirs holds exactly one τ-instant (a window is shorter than a day), and at each τ-instant the
cap bounds the sum of their nodes. So the nodes of those clusters that cannot start before some
τ-instant need the cap's room of every τ-instant from there on: no plan finishes before the date
whose window reaches the τ-instant where that room runs out. τ is tried at every instant windows
open at (a step function of windows peaks where one opens). Blackouts and between rules are left
out (a relaxation: dropping them only lowers the bound).
"""
from __future__ import annotations

import bisect
import datetime as dt
from dataclasses import dataclass
from functools import lru_cache

from rules import calendar
from rules.placement.instants import Horizon
from rules.placement.limits import Limit

DAY = 86400  # seconds; τ-instants are numbered by their UTC day (epoch seconds // DAY)


@dataclass(frozen=True)
class Member:
    """A cluster under the limit: its zone, window hours, first day index, and nodes."""

    zone: str
    hours: float
    start: int
    nodes: int


@dataclass(frozen=True)
class InstantFinish:
    finish: int  # day index no plan's last window of these clusters is earlier than
    tau: int  # the time of day, seconds after 00:00 UTC
    first: dt.date  # the first date whose τ-instant the needing clusters may use
    nodes: int  # nodes of those clusters


def instant_finish(members: list[Member], covering: list[Limit], horizon: Horizon,
                   opens: dt.time) -> InstantFinish | None:
    """The latest finish any time of day forces on ``members`` under ``covering`` (node
    limits whose members include them all; a τ-instant's room is the smallest allowed of
    those applying at it, unlimited when none does). ``opens``: window_start, local time."""
    # Clusters of one zone, hours and first day count alike: summed once.
    alike: dict[tuple[str, float, int], int] = {}
    for m in members:
        alike[m.zone, m.hours, m.start] = alike.get((m.zone, m.hours, m.start), 0) + m.nodes
    grouped = [Member(zone, hours, start, nodes) for (zone, hours, start), nodes in alike.items()]
    offsets = {m.zone: _opening_times(m.zone, opens, horizon) for m in grouped}
    worst = None
    for tau in sorted({t for times in offsets.values() for t in times}):
        held = [m for m in grouped if all((tau - t) % DAY < m.hours * 3600
                                          for t in offsets[m.zone])]
        found = _finish_at(tau, held, covering, horizon, opens) if held else None
        if found is not None and (worst is None or found.finish > worst.finish):
            worst = found
    return worst


def _finish_at(tau: int, held: list[Member], covering: list[Limit], horizon: Horizon,
               opens: dt.time) -> InstantFinish | None:
    need_from: dict[int, int] = {}
    for m in held:
        k = _tau_day(_opening(m.zone, opens, horizon.date(m.start)), tau)
        need_from[k] = need_from.get(k, 0) + m.nodes
    first = min(need_from)
    last = _tau_day(_opening(held[0].zone, opens, horizon.date(horizon.size - 1)), tau) + 2
    total = sum(need_from.values())
    prefix = [0]
    for k in range(first, last + 1):
        t = k * DAY + tau
        rooms = [lim.allowed for lim in covering if lim.span[0] <= t < lim.span[1]]
        prefix.append(prefix[-1] + (min(rooms) if rooms else total))
    worst = None
    need = 0
    for k0 in sorted(need_from, reverse=True):
        need += need_from[k0]
        # The first τ-instant K with the room of k0..K at least need.
        at = bisect.bisect_left(prefix, prefix[k0 - first] + need)
        if at >= len(prefix):
            finish = horizon.size
        else:
            finish = min(_first_day_reaching(m, at - 1 + first, tau, horizon, opens)
                         for m in {(m.zone, m.hours): m for m in held}.values())
        if worst is None or finish > worst.finish:
            worst = InstantFinish(finish, tau, dt.date(1970, 1, 1) + dt.timedelta(days=k0),
                                  need)
    return worst


def _first_day_reaching(m: Member, k: int, tau: int, horizon: Horizon, opens: dt.time) -> int:
    """The first day index whose window of ``m``'s zone holds τ-instant ``k`` or a later one."""
    day = horizon.index(dt.date(1970, 1, 1) + dt.timedelta(days=k)) - 2
    while day < horizon.size and _tau_day(_opening(m.zone, opens, horizon.date(day)), tau) < k:
        day += 1
    return day


def _tau_day(start: int, tau: int) -> int:
    """The UTC day of the τ-instant in a window opening at ``start`` (epoch seconds) that
    holds one."""
    return (start + (tau - start) % DAY) // DAY


@lru_cache(maxsize=65536)
def _opening(zone: str, opens: dt.time, day: dt.date) -> int:
    return calendar.epoch(calendar.local_instant(day, opens, zone))


@lru_cache(maxsize=256)
def _opening_times(zone: str, opens: dt.time, horizon: Horizon) -> frozenset[int]:
    """The times of day (seconds after 00:00 UTC) windows of ``zone`` open at over the
    horizon: one per UTC offset the zone has then."""
    return frozenset(_opening(zone, opens, horizon.date(d)) % DAY for d in range(horizon.size))
