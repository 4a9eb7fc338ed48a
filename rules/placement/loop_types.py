"""What the placement loop hands over: windows, exclusions, unscheduled clusters, loads, and
(when a campaign is under way) the published windows it did not keep and its progress notes."""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from rules.engine.classification import LoadFact, WindowFact
from rules.placement.seed import Note, Replanned


@dataclass(frozen=True)
class Window:
    cluster: str
    date: dt.date  # local calendar day of the cluster's region
    start: dt.datetime  # aware, in the region's zone
    end: dt.datetime
    nodes: int
    batch: int
    batches: int
    pinned: bool
    rules: tuple[str, ...]  # rules that placed or shaped it, in sheet order
    retry: int = 0  # 0: the batch itself; n: its n-th re-run
    retry_of: str | None = None  # the id of the window it re-runs
    state: str = "planned"  # as reported, for windows kept from the current version
    failed_nodes: int = 0
    finished: dt.datetime | None = None  # when its dependants count from, when not its end

    def fact(self) -> WindowFact:
        return WindowFact(self.cluster, self.date, self.start, self.finished or self.end,
                          self.nodes, self.batch, self.batches, self.pinned)


@dataclass(frozen=True)
class Excluded:
    cluster: str
    rules: tuple[str, ...]
    reason: str


@dataclass(frozen=True)
class Unscheduled:
    cluster: str
    reason: str  # why, and what would fix it
    rule: str | None  # the rule (or "daily_node_cap") that blocks it, when one does
    cell: str  # where to fix it: the rule's row, the setting, or the cluster's row


@dataclass(frozen=True)
class Schedule:
    windows: tuple[Window, ...]  # sorted by date, cluster, batch, retry
    excluded: tuple[Excluded, ...]  # sorted by cluster
    unscheduled: tuple[Unscheduled, ...]  # sorted by cluster
    loads: tuple[LoadFact, ...]  # every limit's load on every date it has one
    replanned: tuple[Replanned, ...] = ()  # published windows not kept, sorted
    notes: tuple[Note, ...] = ()  # progress warnings, sorted
