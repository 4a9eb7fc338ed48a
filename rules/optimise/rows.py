"""The capacity rows of the CP-SAT model and what each placement takes from them.

A row is one limit (or several limits over the same items, at the smallest room) at one point:
node limits hold at every instant, and a step function of windows that all open at known
instants peaks at one of them, so their rows are the instants windows open at (the modelled
ones', the fillers' and the fixed ones'); cluster limits count windows per campaign day. The
room of a row is what the windows kept as they are (pins, prerequisites, published) leave.
"""
from __future__ import annotations

import bisect
from collections.abc import Callable, Hashable
from dataclasses import dataclass

from rules.contract import UNIT_NODES
from rules.placement.runs import Run
from rules.placement.limits import Limit


@dataclass(frozen=True)
class Item:
    """Something the model places: a modelled cluster (its runs of days, its batches' nodes)
    or a filler group (one-day runs, one node: its volume's coefficient)."""

    limits: tuple[Limit, ...]  # enforced limits it counts in
    kind: tuple[str, float]  # (zone, hours): its windows (rules/placement/search.py)
    runs: tuple[tuple[int, ...], ...]  # candidate day indexes of its batches
    sizes: tuple[int, ...]  # nodes of each batch


def capacity_rows(probe: Run, items: dict[Hashable, Item]
                  ) -> tuple[dict[Hashable, list[tuple]], dict[Hashable, int]]:
    """For each item, what each of its runs takes (a sorted tuple of (row key, amount)); and
    each row's room."""
    members: dict[int, set] = {}
    for key, item in items.items():
        for limit in item.limits:
            members.setdefault(id(limit), set()).add(key)
    # Limits over the same items share rows; a group is numbered in the items' order, so the
    # rows (and the model) are the same in every process.
    numbers: dict[tuple, int] = {}
    group = {id(lim): numbers.setdefault((lim.unit, frozenset(members[id(lim)])), len(numbers))
             for item in items.values() for lim in item.limits}
    slots = {key: [[probe.slots.of(item.kind, d) for d in days] for days in item.runs]
             for key, item in items.items()}
    opens: dict[int, set[int]] = {}  # node row group -> the instants windows open at
    for key, item in items.items():
        for limit in item.limits:
            if limit.unit == UNIT_NODES:
                found = opens.setdefault(group[id(limit)], set())
                found.update(s[0] for run in slots[key] for s in run)
                found.update(start for start, *_ in limit.counted)  # the fixed windows'
    points = {key: sorted(instants) for key, instants in opens.items()}
    takes: dict[Hashable, list[tuple]] = {}
    room: dict[Hashable, int] = {}
    for key, item in items.items():
        takes[key] = []
        for run in slots[key]:
            taken: dict[Hashable, int] = {}
            for slot, nodes in zip(run, item.sizes):
                window: dict[Hashable, int] = {}  # a window loads a row once, whatever the
                for limit in item.limits:          # limits sharing it
                    for row, at in _rows_of(limit, group[id(limit)], slot, points):
                        room_at = limit.headroom(at)
                        if room_at is None:
                            continue
                        room[row] = min(room.get(row, room_at), room_at)
                        window[row] = max(window.get(row, 0), limit.amount(nodes))
                for row, amount in window.items():
                    taken[row] = taken.get(row, 0) + amount
            takes[key].append(tuple(sorted(taken.items())))
    return takes, room


def _rows_of(limit: Limit, key: int, slot, points):
    """The rows a window in ``slot`` loads under ``limit``, each with the slot to ask the
    limit's room at."""
    if limit.unit != UNIT_NODES:
        return [((key, "day", slot[2]), slot)]
    instants = points[key]
    at = bisect.bisect_left(instants, slot[0])
    stop = bisect.bisect_left(instants, slot[1], at)
    return [((key, "at", t), (t, t + 1, slot[2])) for t in instants[at:stop]]


def filler_groups(probe: Run, names: list[str], after: Callable[[str], int], last: int
                  ) -> dict[tuple[str, int], tuple[Item, int]] | None:
    """The clusters filled in around the modelled ones, grouped by their windows, open days
    (from ``after(name)`` to ``last``) and limits: each group as an item and its nodes. None
    when one of them has no open day by ``last``."""
    groups: dict[tuple, tuple[str, int]] = {}
    found: dict[tuple[str, int], tuple[Item, int]] = {}
    for name in names:
        nodes = sum(unit.nodes for unit in probe.work[name].units)
        if not nodes:
            continue
        opened = probe.open_mask(name)
        days = tuple(d for d in range(after(name), last + 1) if opened[d])
        if not days:
            return None
        limits = tuple(probe.enforced(name))
        shape = (probe.kind(name), days, tuple(id(lim) for lim in limits))
        key = groups.setdefault(shape, ("fill", len(groups)))
        item, total = found.get(key, (Item(limits, probe.kind(name), tuple((d,) for d in days),
                                           (1,)), 0))
        found[key] = (item, total + nodes)
    return found
