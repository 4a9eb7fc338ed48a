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
from rules.placement.limits import fleet_cap_by_day
from rules.placement.loop import Placer, batch_sizes, to_place
from rules.placement.order import placement_order
from rules.placement.preferring import Preferring
from rules.placement.retry import retry_unscheduled, scarce_clusters
from rules.placement.runs import Run
from rules.placement.seed import Note, Replanned
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

    def run(order: list[str], prefer: bool, projection=None, replay=()) -> Run:
        placer = (Preferring(workbook, classification, todo, progress, left_out, masks,
                             bound.finish, projection, replay)
                  if prefer else Run(workbook, classification, todo, progress, left_out, masks))
        placer.run(order)
        return placer

    @cache
    def seeded() -> Run:  # only when a cluster is unscheduled
        found = Run(workbook, classification, todo, progress, left_out, masks)
        found.seed()
        return found

    def unchanged(name: str, order: list[str], moved: list[str]) -> bool:
        return seeded().unchanged(name, order, moved)

    # The plain loop in the order without the scarce clusters first: the plan as it was before
    # the preferences, kept when it places more or ends earlier, so no plan gets worse.
    today = placement_order(todo, classification.clusters, nodes)
    plain = retry_unscheduled(lambda order: run(order, False), today, run(today, False),
                              unchanged)
    first = placement_order(todo, classification.clusters, nodes, scarce)
    preferred = run(first, True)
    last = preferred
    for _ in range(SPREAD_RUNS if preferred.curves.key else 0):
        # Again, each spread choice seeing where the others went in the run before; up to the
        # first such choice the run is the first one's, replayed.
        last = run(first, True, last.batches(), preferred.turns_taken)
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
