"""A cluster's candidate dates during one choice of the placement loop, while no window is added:
the preferences (rules/placement/prefer.py) and the spread (rules/placement/spread_dates.py) try
many starts, and each search and room check behind them is worked out once.
"""
from __future__ import annotations

from collections.abc import Callable, Sequence

from rules.placement.prefer import avoided


class Candidates:
    def __init__(self, search: Callable[[int, int], int | None],
                 room: Callable[[int, int], bool]):
        """``search(nodes, lo)``: the earliest day index from ``lo`` on that every error rule
        allows a batch of ``nodes`` on, or None; ``room(day, nodes)``: whether every limit has
        room for it on ``day``. Both read the loads, which must not change while this lives."""
        self._search, self._room = search, room
        self._next: dict[int, dict[int, int | None]] = {}  # nodes -> from day -> earliest day
        self._fits: dict[tuple[int, int], bool] = {}

    def learn(self, nodes: int, lo: int, day: int | None) -> None:
        """The search for ``nodes`` from ``lo`` found ``day``: no day from ``lo`` up to it is
        allowed, so a search from any of them finds it too."""
        known = self._next.setdefault(nodes, {})
        for first in range(lo, lo + 1 if day is None else day + 1):
            known[first] = day

    def earliest(self, nodes: int, lo: int) -> int | None:
        known = self._next.get(nodes, {})
        if lo not in known:
            self.learn(nodes, lo, self._search(nodes, lo))
        return self._next[nodes][lo]

    def fits(self, day: int, nodes: int) -> bool:
        key = (day, nodes)
        if key not in self._fits:
            self._fits[key] = self._room(day, nodes)
        return self._fits[key]

    def earliest_run(self, sizes: Sequence[int], lo: int, avoid: int = 0) -> list[int] | None:
        """The plain search's days for batches of ``sizes`` from ``lo``, each after the one
        before, the first on no day in ``avoid`` (rules/placement/prefer.py); None if one has
        no day."""
        days: list[int] = []
        for nodes in sizes:
            day = self.earliest(nodes, lo)
            while day is not None and not days and avoided(avoid, day):
                day = self.earliest(nodes, day + 1)
            if day is None:
                return None
            days.append(day)
            lo = day + 1
        return days
