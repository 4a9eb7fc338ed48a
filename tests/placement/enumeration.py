"""The optimum finish of a tiny fleet, by trying every assignment of batches to dates.

Independent of the planner: only the daily node cap, one clusters-per-date cap, the first date
each cluster may use, and batches on distinct, increasing dates. Small enough to enumerate:
a few clusters, a few batches, a horizon of about a week.
"""
from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Tiny:
    name: str
    batches: tuple[int, ...]  # nodes of each batch, in order
    first: int = 0  # first day index it may use


def optimum(fleet: list[Tiny], node_cap: int, cluster_cap: int, horizon: int = 14) -> int | None:
    """The smallest last day index of any valid assignment; None when none fits the horizon."""
    for last in range(horizon):
        if _fits(fleet, node_cap, cluster_cap, last):
            return last
    return None


def _fits(fleet, node_cap, cluster_cap, last) -> bool:
    nodes = [0] * (last + 1)
    counts = [0] * (last + 1)
    items = [(c, b) for c in fleet for b in range(len(c.batches))]

    def place(i: int, previous: int) -> bool:
        if i == len(items):
            return True
        cluster, batch = items[i]
        size = cluster.batches[batch]
        lo = cluster.first if batch == 0 else previous + 1
        for day in range(lo, last + 1):
            if nodes[day] + size <= node_cap and counts[day] < cluster_cap:
                nodes[day] += size
                counts[day] += 1
                if place(i + 1, day):
                    return True
                nodes[day] -= size
                counts[day] -= 1
        return False

    return place(0, -1)
