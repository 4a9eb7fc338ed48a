"""One run of the placement loop (rules/placement/loop.py) as the greedy planner
(rules/placement/greedy.py) sees it: its outcome, where its clusters went, and what the retry of
rules/placement/retry.py asks of it."""
from __future__ import annotations

from rules.engine.classification import Classification
from rules.model import Workbook
from rules.placement.days import open_days
from rules.placement.loop import Placer, batch_sizes
from rules.progress import Progress


class Run(Placer):
    """One run of the loop, as the retry and the choice between runs see it."""

    def __init__(self, workbook: Workbook, classification: Classification, todo: list[str],
                 progress: Progress | None, left_out: dict[str, str],
                 masks: dict[str, bytearray] | None = None):
        """``masks``: open days (``open_mask``) already worked out by another run of the same
        workbook and progress, filled in here too."""
        super().__init__(workbook, classification, todo, progress, left_out)
        self._open_days = {} if masks is None else masks

    def outcome(self) -> tuple[int, int]:
        """Fewer unscheduled clusters first, then the earlier last date."""
        return len(self.unscheduled), max((self.horizon.index(w.date) for w in self.windows),
                                          default=-1)

    def batches(self) -> dict[str, list[tuple[int, int]]]:
        """Each placed cluster's windows as (day index, nodes)."""
        found: dict[str, list[tuple[int, int]]] = {}
        for w in self.windows:
            found.setdefault(w.cluster, []).append((self.horizon.index(w.date), w.nodes))
        return found

    def takers(self, name: str) -> set[str]:
        """Unpinned clusters with a window on a day open to ``name`` under a limit it shares
        (the fleet caps, or an error rule limit of both)."""
        opened = self.open_mask(name)
        mine = {id(lim) for lim in self.limits.get(name, ()) if lim.enforced}
        found = {w.cluster for w in self.windows if opened[self.horizon.index(w.date)]
                 and not w.pinned and (self.fleet or mine & {
                     id(lim) for lim in self.limits.get(w.cluster, ())})}
        found.discard(name)
        return found

    def unchanged(self, name: str, order: list[str], moved: list[str]) -> bool:
        """On a run only seeded (pins, what happened, what is frozen): whether a run in order
        ``moved`` (``order`` with the unscheduled ``name`` moved) surely leaves as many clusters
        unscheduled as one in ``order``. So when ``name`` keeps no published window, every
        other cluster takes its turn as before, and ``name`` waits on a cycle or finds no
        dates even among these windows alone: loads only grow, so it finds none in any run, and
        a cluster that finds none adds no window."""
        if self.progress is not None and not self.progress.fresh \
                and self.work[name].candidates:
            return False
        _, ready, stuck = self.turns(order)
        _, again, _ = self.turns(moved)
        if [n for n in ready if n != name] != [n for n in again if n != name]:
            return False
        return name in stuck or not self._fits_alone(name)

    def _fits_alone(self, name: str) -> bool:
        """Whether every unit of ``name`` finds a date among the seeded windows alone."""
        if self.clusters[name].duration_hours > self.window_hours:
            return False
        lo = max(self.first_allowed(name, {})[0], self.last_day.get(name, -1) + 1)
        for unit in self.work[name].units:
            day, _ = self.search(name, unit.nodes, lo, set())
            if day is None:
                return False
            lo = day + 1
        return True

    def open_mask(self, name: str) -> bytearray:
        """The days the cluster's own rules open to it (rules/placement/days.py open_days),
        without limits: those are checked by headroom, per slot, where it matters."""
        if name not in self._open_days:
            smallest = batch_sizes(self.nodes[name], self.classes[name].rolling_percent)[-1]
            self._open_days[name] = open_days(
                self.clusters[name], self.tz[name], self.classes[name], self.rules,
                (), smallest, self.settings, self.horizon)
        return self._open_days[name]
