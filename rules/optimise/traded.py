"""What an optimised plan trades for its finish: how far it strays from the priority order."""
from __future__ import annotations

import datetime as dt

from rules.placement.prefer import tier_rank


def out_of_order(windows, classes) -> tuple[int, int]:
    """How far a plan strays from the priority order: the clusters starting before a cluster of
    an earlier tier starts, and by how many days at most (tiers as placed: none last)."""
    first: dict[str, dt.date] = {}
    for w in windows:
        first[w.cluster] = min(first.get(w.cluster, w.date), w.date)
    rank = {n: tier_rank(classes[n].tier) for n in first}
    latest: dict[tuple, dt.date] = {}  # tier -> the latest first date of it or any earlier tier
    for r in sorted(set(rank.values())):
        mine = max(d for n, d in first.items() if rank[n] == r)
        latest[r] = max(mine, latest[max(latest)] if latest else mine)
    ranks = sorted(latest)
    count, most = 0, 0
    for name, day in first.items():
        earlier = [latest[r] for r in ranks if r < rank[name]]
        if earlier and max(earlier) > day:
            count, most = count + 1, max(most, (max(earlier) - day).days)
    return count, most
