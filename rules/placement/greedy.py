"""The greedy planner: the placement loop (rules/placement/loop.py) run in placement order, with
the preferences of rules/placement/prefer.py, the spread measured on dates
(rules/placement/spread_dates.py) and the retry of rules/placement/retry.py."""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from functools import cache

from rules.engine.classification import Classification, LoadFact
from rules.model import Workbook
from rules.placement.bound import Bound, lower_bound
from rules.placement.days import open_days
from rules.placement.limits import fleet_cap_by_day
from rules.placement.loop import Placer, batch_sizes, to_place
from rules.placement.order import placement_order
from rules.placement.candidates import Candidates
from rules.placement.prefer import TierOrder, consecutive, costs_no_days, fits
from rules.placement.retry import retry_unscheduled, scarce_clusters
from rules.placement.seed import Note, Replanned, Unit
from rules.placement.spread_dates import SpreadCurves
from rules.plan.document import Excluded, Unscheduled, Window
from rules.progress import Progress


@dataclass(frozen=True)
class Schedule:
    windows: tuple[Window, ...]  # sorted by date, cluster, batch, retry
    excluded: tuple[Excluded, ...]  # sorted by cluster
    unscheduled: tuple[Unscheduled, ...]  # sorted by cluster
    loads: tuple[LoadFact, ...]  # every limit's peak on every campaign day it has a load
    caps: dict[dt.date, int]  # campaign day -> the tightest node cap over the whole fleet kept
    bound: Bound  # the earliest finish any plan could have (rules/placement/bound.py)
    replanned: tuple[Replanned, ...] = ()  # published windows not kept, sorted
    notes: tuple[Note, ...] = ()  # progress warnings, sorted


# Runs of the placement loop after the first when a spread rule applies, each seeing the last.
SPREAD_RUNS = 2


def place(workbook: Workbook, classification: Classification,
          progress: Progress | None = None) -> Schedule:
    """The greedy plan: each cluster in placement order (scarce clusters first within their
    tier) to its earliest date, keeping what rules/placement/prefer.py prefers where it costs no
    days; a cluster finding no date is retried ahead of the clusters that took its dates. With a
    spread rule, SPREAD_RUNS more runs, each spread choice seeing the run before (the one with
    the smaller spread gap is kept). Then, of that plan and the plain loop's in the plain
    placement order, the one placing more clusters, then ending earlier (ties: the first).
    With ``progress``, every run first keeps what happened and what still holds
    (rules/placement/loop.py)."""
    excluded, todo = to_place(workbook, classification)
    left_out = {e.cluster.casefold(): e.reason for e in excluded}
    bound = lower_bound(workbook, classification)
    nodes = {c.name: c.nodes for c in workbook.clusters}
    scarce = scarce_clusters(workbook, classification, todo, lambda n: len(
        batch_sizes(nodes[n], classification.clusters[n].rolling_percent)))

    masks: dict[str, bytearray] = {}  # each cluster's open days, the same in every run

    def run(order: list[str], prefer: bool, projection=None) -> Run:
        placer = (_Preferring(workbook, classification, todo, progress, left_out, masks,
                              bound.finish, projection)
                  if prefer else Run(workbook, classification, todo, progress, left_out, masks))
        placer.run(order)
        return placer

    # The plain loop in the order without the scarce clusters first: the plan as it was before
    # the preferences, kept when it places more or ends earlier, so no plan gets worse.
    @cache
    def seeded() -> Run:  # only when a cluster is unscheduled
        found = Run(workbook, classification, todo, progress, left_out, masks)
        found.seed()
        return found

    def unchanged(name: str, order: list[str], moved: list[str]) -> bool:
        return seeded().unchanged(name, order, moved)

    today = placement_order(todo, classification.clusters, nodes)
    plain = retry_unscheduled(lambda order: run(order, False), today, run(today, False),
                              unchanged)
    first = placement_order(todo, classification.clusters, nodes, scarce)
    preferred = run(first, True)
    last = preferred
    for _ in range(SPREAD_RUNS if preferred.curves.key else 0):
        # Again, each spread choice seeing where the others went in the run before.
        last = run(first, True, last.batches())
        if (last.outcome(), last.curves.largest_gap()) < (preferred.outcome(),
                                                         preferred.curves.largest_gap()):
            preferred = last
    preferred = retry_unscheduled(lambda order: run(order, True), first, preferred, unchanged)
    placer = min((preferred, plain), key=Run.outcome)
    return schedule_of(placer, tuple(excluded), bound)


def schedule_of(placer: Placer, excluded: tuple[Excluded, ...], bound: Bound) -> Schedule:
    """A finished run of the loop as the plan's schedule."""
    return Schedule(
        windows=tuple(sorted(placer.windows, key=lambda w: (w.date, w.cluster, w.batch, w.retry))),
        excluded=excluded,
        unscheduled=tuple(sorted(placer.unscheduled, key=lambda u: u.cluster)),
        loads=tuple(f for limit in placer.all_limits() for f in limit.facts(placer.clock)),
        caps=fleet_cap_by_day(placer.all_limits(), placer.clock),
        bound=bound,
        replanned=tuple(sorted(placer.replanned, key=lambda r: (r.cluster, r.batch, r.retry))),
        notes=tuple(sorted(placer.notes, key=lambda n: (n.date or dt.date.min, n.cluster,
                                                        n.message))),
    )


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
        opened = self.open_mask(name, self.smallest(name))
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
        lo = max(self._bound(name, {})[0], self.last_day.get(name, -1) + 1)
        for unit in self.work[name].units:
            day, _ = self.search(name, unit.nodes, lo, set())
            if day is None:
                return False
            lo = day + 1
        return True

    def smallest(self, name: str) -> int:
        """The nodes of the cluster's smallest batch."""
        return batch_sizes(self.nodes[name], self.classes[name].rolling_percent)[-1]

    def open_mask(self, name: str, smallest: int) -> bytearray:
        if name not in self._open_days:
            self._open_days[name] = open_days(
                self.clusters[name], self.tz[name], self.classes[name], self.rules,
                (), smallest, self.settings, self.horizon)  # limits: by headroom, per slot
        return self._open_days[name]


class _Preferring(Run):
    """A run that keeps the preferences where they cost no days (rules/placement/prefer.py)."""

    def __init__(self, workbook: Workbook, classification: Classification, todo: list[str],
                 progress: Progress | None, left_out: dict[str, str],
                 masks: dict[str, bytearray] | None, target: dt.date | None, projection=None):
        super().__init__(workbook, classification, todo, progress, left_out, masks)
        self.target = self.horizon.index(target) if target else 0
        self.tier_order = TierOrder()
        self.curves = SpreadCurves(self.classes, todo, self.nodes, self.horizon.size, projection)

    def _commit(self, name: str, unit: Unit, day: int, shaped: set[str], pinned: bool = False,
                rules: tuple[str, ...] | None = None) -> None:
        super()._commit(name, unit, day, shaped, pinned, rules)
        self.curves.note(name, day, unit.nodes)

    def choose(self, name, plain, lo, shaped):
        """The first placement that costs no days (rules/placement/prefer.py) of: batches on
        consecutive open days with the tier order kept, the tier order alone, consecutive
        batches alone, the plain search; else the plain earliest days. A spread member then
        starts on the day, from there on, that keeps its values closest and costs no days."""
        units = [unit for unit, _, _ in plain]
        sizes = [unit.nodes for unit in units]
        plain_days = [day for _, day, _ in plain]
        dates = self._candidates(name)
        for nodes, first, day in zip(sizes, [lo, *(d + 1 for d in plain_days)], plain_days):
            dates.learn(nodes, first, day)  # the loop's own searches, from the same loads
        avoid = self.tier_order.avoid(self.classes[name].tier)
        opened = self.open_mask(name, sizes[-1])
        tries = [(avoid, True), (avoid, False)] + ([(0, True), (0, False)] if avoid else [])
        chosen = None
        for skip, together in tries:
            if together and len(sizes) == 1:
                continue
            if together:
                found = consecutive(opened, sizes, lo, dates.fits, skip)
            else:
                found = dates.earliest_run(sizes, lo, skip)
            if found and costs_no_days(found[-1], plain_days[-1], self.target):
                chosen = (found, skip, together)
                break
        found, skip, together = chosen or (plain_days, 0, False)
        # From start_date, not from its after bound: waiting on a soak is not being done. And
        # from the day it could take, not the one the spread picks: that wait is a choice.
        self.tier_order.note(self.classes[name].tier, opened, self.start, found[0])
        if self.curves.significant(name):
            found = self._evenest(name, sizes, found, together, plain_days[-1], skip, dates)
        if found == plain_days:
            return plain
        return [(unit, day, set(shaped)) for unit, day in zip(units, found)]

    def _candidates(self, name: str) -> Candidates:
        """``name``'s dates from the loads as they stand."""
        limits = self.enforced(name)
        kind = self.kind(name)
        return Candidates(lambda nodes, lo: self.search(name, nodes, lo, set())[0],
                          lambda day, nodes: fits(limits, self.slots.of(kind, day), nodes))

    def _evenest(self, name, sizes, found, together, plain_last, skip, dates) -> list[int]:
        """Of the placements starting from ``found``'s first day on that cost no days (the
        same search, started later), the one keeping its spread rule's values closest (the
        earliest of equals)."""
        opened = self.open_mask(name, sizes[-1])
        last = min(max(plain_last, self.target), self.horizon.size - 1)
        options = []
        first = found[0]
        while first <= last:
            days = (consecutive(opened, sizes, first, dates.fits, skip) if together
                    else dates.earliest_run(sizes, first, skip))
            if not days or not costs_no_days(days[-1], plain_last, self.target):
                break
            # Every start from ``first`` up to days[0] finds these same days.
            if days[0] <= last:
                options.append(days)
            first = days[0] + 1
        if not options:
            return found
        gaps = self.curves.gaps(name, [list(zip(days, sizes)) for days in options], last)
        return min(zip(gaps, options))[1]
