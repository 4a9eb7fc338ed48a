"""A proven lower bound on the finish: the earliest last date any plan obeying the workbook's error
rules could have, from a relaxation that drops the interactions between clusters.

It is the latest of:
- each cluster on its own: its first open day (start_date, its between rules, its after rules'
  prerequisites finishing as early as they could, plus soak_days) and then one open day per
  batch (rules/placement/days.py says which days are open);
- each error limit (a cap rule or daily_node_cap) against the clusters it matches: for every
  day t, what those of its clusters that cannot start before t still need (nodes, or windows
  for cap_clusters) must fit in the limit's room from t to the finish, where a day's room is the
  smallest of the limits applying that day that match at least the same clusters. Caps hold at
  every instant, so a local day's room is the cap times the zones its clusters are in (the
  windows of one zone and day all open together): nodes out in different zones' hours pass;
  and, tighter where windows of many zones overlap, the cap at one time of day against the
  clusters whose windows are all out then (rules/placement/instant_bound.py).
A cluster with too few open days can be placed by no plan: it is listed, not counted.
"""
from __future__ import annotations

import bisect
import datetime as dt
from dataclasses import dataclass

from rules import calendar
from rules.contract import UNIT_NODES
from rules.engine.classification import Classification
from rules.model import Workbook
from rules.placement.after import prerequisites, ready_order
from rules.placement.days import first_day_at_or_after, open_days, plan_horizon, surely_applies
from rules.placement.instant_bound import Member, instant_finish
from rules.placement.instants import Clock, Horizon
from rules.placement.limits import Limit, build_limits
from rules.placement.loop import batch_sizes, to_place


@dataclass(frozen=True)
class Bound:
    finish: dt.date | None  # no plan's last window is earlier; None when nothing is to be placed
    reason: str  # the relaxation that sets it, in a planner's words
    impossible: tuple[tuple[str, str], ...]  # (cluster, why) for clusters no plan can place


@dataclass(frozen=True)
class _Earliest:
    start: int  # first day index its first unpinned batch may use
    finish: int  # day index of its last batch, at the earliest
    amount_nodes: int
    windows: int
    days: bytearray  # its open days (rules/placement/days.py)


def lower_bound(workbook: Workbook, classification: Classification) -> Bound:
    _, todo = to_place(workbook, classification)
    if not todo:
        return Bound(None, "nothing to place", ())
    settings = workbook.settings
    wanted = set(todo)
    clusters = {c.name: c for c in workbook.clusters if c.name in wanted}
    horizon = plan_horizon(settings, clusters.values())
    # Campaign day i is numbered as horizon day i (surely_applies allows for the shift).
    clock = Clock.over(settings.timezone, horizon.origin, horizon.date(horizon.size - 1))
    fleet, limits = build_limits(workbook, classification, clock)
    rules = {r.id: r for r in workbook.rules}
    zones = {r.name.lower(): r.timezone for r in workbook.regions}
    classes = classification.clusters
    prereqs = {n: prerequisites(n, classes[n], rules, classification.members, clusters)
               for n in todo}
    ready, stuck = ready_order(todo, prereqs)
    impossible = {n: "it waits for clusters that wait for it (after rules)" for n in stuck}
    earliest: dict[str, _Earliest] = {}
    ends: dict[str, dt.datetime] = {}
    soak = dt.timedelta(days=settings.soak_days)
    for name in ready:
        cluster, tz = clusters[name], zones[clusters[name].region.lower()]
        sizes = batch_sizes(cluster.nodes, classes[name].rolling_percent)
        start = horizon.index(settings.start_date)
        if any(p in impossible for p in prereqs[name]):
            impossible[name] = "a cluster it waits for (after rules) can be placed by no plan"
            continue
        for prerequisite in prereqs[name]:
            instant = ends[prerequisite].astimezone(dt.timezone.utc) + soak
            start = max(start, first_day_at_or_after(instant, tz, settings.window_start, horizon))
        days = open_days(cluster, tz, classes[name], rules, [*fleet, *limits.get(name, ())],
                         sizes[-1], settings, horizon)
        batches = sizes
        first = days.find(1, start) if days.find(1, start) >= 0 else start
        if cluster.pinned_date is not None:  # the pin is kept as given; the rest follows it
            pin = horizon.index(cluster.pinned_date)
            batches, first = sizes[1:], pin
            start = max(start, pin + 1)
        finish = _nth_open(days, start, len(batches)) if batches else first
        if finish is None:
            impossible[name] = (f"its own rules leave fewer than {len(batches)} dates from "
                                f"{horizon.date(min(start, horizon.size - 1))} on")
            continue
        earliest[name] = _Earliest(first, finish, cluster.nodes, len(sizes), days)
        ends[name] = calendar.window(horizon.date(finish), settings.window_start,
                                     cluster.duration_hours, tz)[1]
    candidates = []
    if earliest:
        name = max(earliest, key=lambda n: (earliest[n].finish, n))
        count = earliest[name].windows
        candidates.append((earliest[name].finish,
                           f"{name} cannot start before {horizon.date(earliest[name].start)} "
                           f"and takes {count} date{'' if count == 1 else 's'}"))
    zone_of = {n: zones[clusters[n].region.lower()] for n in earliest}
    held = {n: Member(zone_of[n], clusters[n].duration_hours, earliest[n].start,
                      earliest[n].amount_nodes) for n in earliest}
    for limit in _limits(fleet, limits):
        members = [n for n in _members(limit, fleet, limits, earliest)]
        found = _limit_finish(limit, members, earliest, fleet, limits, horizon, zone_of)
        if found is not None and limit.unit == UNIT_NODES:
            found = max(found, _instant_finish(limit, members, held, fleet, limits, horizon,
                                               settings.window_start), key=lambda c: c[0])
        if found is not None:
            candidates.append(found)
    if not candidates:
        return Bound(None, "no cluster can be placed", _listed(impossible))
    finish, reason = max(candidates, key=lambda c: c[0])
    if finish >= horizon.size:
        return Bound(horizon.date(horizon.size - 1) + dt.timedelta(days=1),
                     reason + ", past the last date searched", _listed(impossible))
    return Bound(horizon.date(finish), reason, _listed(impossible))


def _listed(impossible: dict[str, str]) -> tuple[tuple[str, str], ...]:
    return tuple(sorted(impossible.items()))


def _nth_open(days: bytearray, start: int, count: int) -> int | None:
    """The day index of the ``count``-th open day at or after ``start``."""
    day = start - 1
    for _ in range(count):
        day = days.find(1, day + 1)
        if day < 0:
            return None
    return day


def _limits(fleet: list[Limit], limits: dict[str, list[Limit]]) -> list[Limit]:
    unique = {id(lim): lim for lims in limits.values() for lim in lims if lim.enforced}
    return [*fleet, *sorted(unique.values(), key=lambda lim: lim.rule)]


def _members(limit: Limit, fleet: list[Limit], limits: dict[str, list[Limit]], placeable
             ) -> list[str]:
    if limit in fleet:
        return sorted(placeable)
    return sorted(n for n in placeable if any(lim is limit for lim in limits.get(n, ())))


def _covering(limit: Limit, members: list[str], fleet: list[Limit],
              limits: dict[str, list[Limit]], placeable) -> list[Limit]:
    """The limits of ``limit``'s unit that count every one of ``members``."""
    mine = set(members)
    return [lim for lim in _limits(fleet, limits) if lim.unit == limit.unit and (
        lim in fleet or mine <= {n for n in placeable if lim in limits.get(n, ())})]


def _instant_finish(limit: Limit, members: list[str], held: dict[str, Member],
                    fleet: list[Limit], limits: dict[str, list[Limit]], horizon: Horizon,
                    opens: dt.time) -> tuple[int, str]:
    """The finish the limit forces at one time of day (rules/placement/instant_bound.py)."""
    found = instant_finish([held[n] for n in members],
                           _covering(limit, members, fleet, limits, held), horizon, opens)
    if found is None:
        return -1, ""
    name = limit.source if limit.rule is None else f"rule {limit.rule}"
    at = f"{found.tau // 3600:02d}:{found.tau % 3600 // 60:02d} UTC"
    return found.finish, (
        f"{name}: {found.nodes:,} nodes of its clusters whose windows are all out at {at}, "
        f"from {found.first} on, need the room at that time of every date up to "
        f"{horizon.date(min(found.finish, horizon.size - 1))}")


def _limit_finish(limit: Limit, members: list[str], earliest: dict[str, _Earliest],
                  fleet: list[Limit], limits: dict[str, list[Limit]], horizon: Horizon,
                  zone_of: dict[str, str]) -> tuple[int, str] | None:
    """The earliest finish this limit's room allows its clusters, with the reason."""
    if not members:
        return None
    covering = _covering(limit, members, fleet, limits, earliest)
    # Windows of one local day open at one instant per zone (cluster caps: within three
    # campaign days), so a day holds at most the cap once per zone.
    zones = len({zone_of[n] for n in members})
    spread = zones if limit.unit == UNIT_NODES else min(zones, 3)
    need_of = {n: earliest[n].amount_nodes if limit.unit == UNIT_NODES else earliest[n].windows
               for n in members}
    total = sum(need_of.values())
    # A day no covering limit applies on is no constraint; a day none of them is open on, no room.
    union = 0
    for n in members:
        union |= int.from_bytes(earliest[n].days, "big")
    opened = union.to_bytes(horizon.size, "big")
    room = [total if opened[day] else 0 for day in range(horizon.size)]
    for lim in covering:
        first, last = surely_applies(lim)
        for day in range(max(first, 0), min(last, horizon.size - 1) + 1):
            room[day] = min(room[day], lim.allowed * spread)
    prefix = [0]
    for value in room:
        prefix.append(prefix[-1] + value)
    by_start: dict[int, int] = {}
    for n in members:
        by_start[earliest[n].start] = by_start.get(earliest[n].start, 0) + need_of[n]
    worst: tuple[int, int, int] | None = None
    need = 0
    for start in sorted(by_start, reverse=True):
        need += by_start[start]
        # The first day T with room from start to T at least need: prefix[T + 1] - prefix[start].
        finish = bisect.bisect_left(prefix, prefix[start] + need) - 1
        finish = horizon.size if finish >= horizon.size or prefix[-1] - prefix[start] < need \
            else finish
        if worst is None or finish > worst[0]:
            worst = (finish, start, need)
    finish, start, need = worst
    name = limit.source if limit.rule is None else f"rule {limit.rule}"
    return finish, (f"{name}: {need:,} {limit.unit if limit.unit == 'nodes' else 'windows'} of "
                    f"its clusters that cannot start before {horizon.date(start)} need the "
                    f"room of every date up to {horizon.date(min(finish, horizon.size - 1))}")
