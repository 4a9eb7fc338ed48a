"""The placement loop: each cluster, in placement order, to the earliest date every error rule allows.

Plain Python fed by the engine's classification. Warning rules never constrain placement (their
loads are kept so they can be checked). Pinned dates are kept as given and counted first.

When a campaign is under way (a ``rules.progress.Progress``), what happened and what is frozen
(starting before now + freeze_hours) is counted first, exactly as published; then every other
published window that still obeys every error rule keeps its date; only then is the rest
(new clusters, invalidated windows, re-runs of failed work, resized remainders) placed, after
now + freeze_hours, in the capacity left. Priority order is the order in which that unplaced
work claims capacity.
"""
from __future__ import annotations

import datetime as dt

from rules import calendar
from rules.engine.classification import Classification
from rules.model import Workbook
from rules.placement.after import prerequisites, ready_order, wait_cycle
from rules.placement.days import plan_horizon
from rules.placement.instants import Horizon
from rules.placement.limits import Limit
from rules.placement.search import DaySearch
from rules.placement.seed import (Replanned, Unit, batch_sizes, cluster_work, not_kept,
                                  not_requeued, overdue, pin_in_freeze)
from rules.plan.document import Excluded, Unscheduled, Window
from rules.progress import OCCUPIED, Progress, PublishedWindow

__all__ = ["Placer", "batch_sizes", "to_place"]


def to_place(workbook: Workbook, classification: Classification
             ) -> tuple[list[Excluded], list[str]]:
    """The clusters left out (excluded by a rule, or done) and the names of those to place."""
    excluded: list[Excluded] = []
    todo: list[str] = []
    rules = {r.id: r for r in workbook.rules}
    for cluster in sorted(workbook.clusters, key=lambda c: c.name):
        cls = classification.clusters[cluster.name]
        if cls.excluded_by:
            first = rules[cls.excluded_by[0]]
            reason = f"excluded by rule {first.id}" + (f": {first.note}" if first.note else "")
            excluded.append(Excluded(cluster.name, cls.excluded_by, reason))
        elif cluster.status == "done":
            excluded.append(Excluded(cluster.name, (), "status is done"))
        else:
            todo.append(cluster.name)
    return excluded, todo


class Placer(DaySearch):
    """One run of the placement loop: ``run(order)`` places the clusters in ``order``; the
    windows, unscheduled clusters, replanned windows and notes are then on the instance.
    rules/placement/greedy.py runs it and chooses among runs."""


    def __init__(self, workbook: Workbook, classification: Classification, todo: list[str],
                 progress: Progress | None, left_out: dict[str, str]):
        s = workbook.settings
        self.progress, self.left_out = progress, left_out
        self.members = classification.members
        wanted = set(todo)
        clusters = {c.name: c for c in workbook.clusters if c.name in wanted}
        self.names = {c.name.casefold(): c.name for c in workbook.clusters}
        published: dict[str, list[PublishedWindow]] = {}
        for w in progress.windows if progress else ():
            published.setdefault(w.cluster.casefold(), []).append(w)
        self.work = {name: cluster_work(c.nodes, classification.clusters[name].rolling_percent,
                                        published.get(name.casefold(), ()), progress,
                                        s.freeze_hours)
                     for name, c in clusters.items()}
        self.orphans = [w for key, ws in sorted(published.items())
                        if self.names.get(key) not in wanted for w in ws]
        horizon = plan_horizon(s, clusters.values())
        seen = [w.date for ws in published.values() for w in ws]  # published: in the past too
        origin = min([horizon.origin, *seen])
        last = max([horizon.date(horizon.size - 1), *seen])
        super().__init__(workbook, classification, clusters,
                         Horizon(origin, (last - origin).days + 1))
        self.workbook = workbook
        self.rank = {r.id: i for i, r in enumerate(workbook.rules)}
        self.nodes = {name: c.nodes for name, c in clusters.items()}
        self.freeze_at = progress.freeze_at(s.freeze_hours) if progress else None
        self.windows: list[Window] = []
        self.unscheduled: list[Unscheduled] = []
        self.replanned: list[Replanned] = []
        self.notes = overdue(progress, self.names) if progress else []
        self.last_end: dict[str, dt.datetime] = {}
        self.last_day: dict[str, int] = {}
        self.why: dict[tuple[str, int, int], str] = {}  # why a published window was not kept
        self.gave_up: set[str] = set()  # clusters with a published window that moves

    def all_limits(self) -> list[Limit]:
        unique = {id(limit): limit for limits in self.limits.values() for limit in limits}
        return [*self.fleet, *sorted(unique.values(), key=lambda limit: self.rank[limit.rule])]

    # The loop -------------------------------------------------------------------------------

    def run(self, order: list[str]) -> None:
        self.seed()
        prereqs, ready, stuck = self.turns(order)
        if self.progress is not None and not self.progress.fresh:
            for resized in (False, True):  # unchanged windows claim their capacity first
                for name in ready:
                    self._keep(name, prereqs[name], resized)
        for name in ready:
            self._place(name, prereqs[name])
        waiting = set(stuck)
        for name in stuck:
            reason, rule = wait_cycle(name, prereqs[name], waiting)
            self._unscheduled(Unscheduled(name, reason, rule, self.rules[rule].cell))
        self._account_for_candidates()

    def turns(self, order: list[str]) -> tuple[dict[str, dict[str, str]], list[str], list[str]]:
        """After the seed: what each cluster waits for (prerequisite -> after rule), the order
        they are placed in, and those waiting on each other for ever (after.py ready_order)."""
        placing = set(order) | set(self.last_end)
        prereqs = {name: prerequisites(name, self.classes[name], self.rules, self.members,
                                       placing) for name in order}
        for name in order:  # a cluster with nothing left to place has nothing to wait for
            if not self.work[name].units:
                prereqs[name] = {}
        inside = set(order)
        ready, stuck = ready_order(order, {n: {p: r for p, r in ps.items() if p in inside}
                                           for n, ps in prereqs.items()})
        return prereqs, ready, stuck

    def seed(self) -> None:
        """What is already there: fixed windows, sheet-done clusters, then pins."""
        freeze = self.settings.freeze_hours
        for name, work in self.work.items():
            for w in work.fixed:
                self._fixed(name, w)
        for w in self.orphans:
            name = self.names.get(w.cluster.casefold(), w.cluster)
            why = self.left_out.get(w.cluster.casefold(), "its cluster is no longer in the workbook")
            if self.progress.frozen(w, freeze):
                self._fixed(name, w)
            else:
                self.replanned.append(Replanned(name, w.batch, w.retry, f"removed: {why}"))
            if w.requeued_nodes() and not any(o.retry_of == w.id for o in self.orphans):
                self.notes.append(not_requeued(w, why))
        s = self.settings
        earliest = calendar.local_instant(s.start_date, s.window_start, s.timezone)
        if self.freeze_at is not None:
            earliest = max(earliest, self.freeze_at)
        for cluster in self.workbook.clusters:  # done in the sheet (not excluded), no window
            if cluster.status == "done" and not self.classes[cluster.name].excluded_by \
                    and cluster.name not in self.last_end:
                self.last_end[cluster.name] = earliest
        for name in sorted(self.clusters):  # pins next, so every later date counts them
            pinned, units = self.clusters[name].pinned_date, self.work[name].units
            if pinned is not None and units and (units[0].batch, units[0].retry) == (1, 0):
                if self._pin_frozen(name, pinned):
                    continue
                self._commit(name, units.pop(0), self.horizon.index(pinned), set(), pinned=True)

    def _pin_frozen(self, name: str, pinned: dt.date) -> bool:
        """A new pin starting before now + freeze_hours cannot be kept (nothing new starts
        there): the cluster is placed as if unpinned, and a note says so."""
        s = self.settings
        start = calendar.local_instant(pinned, s.window_start, self.tz[name])
        if self.freeze_at is None or start >= self.freeze_at:
            return False
        self.notes.append(pin_in_freeze(name, pinned, self.freeze_at))
        return True

    def _fixed(self, name: str, w: PublishedWindow) -> None:
        """A published window kept exactly: reported, or frozen."""
        self.windows.append(Window(
            name, w.date, w.start, w.end, w.nodes, w.batch, w.batches, False, w.rules, w.retry,
            w.retry_of, w.state, w.failed_nodes, w.finished() if w.finished() != w.end else None))
        day = self.horizon.index(w.date)
        if w.state in OCCUPIED:
            slot = self.slot_of(w.start, w.end)
            for limit in [*self.fleet, *self.limits.get(name, ())]:
                limit.add(slot, w.nodes, name, False)
        if w.state != "cancelled":
            self._ended(name, w.finished(), day)

    def _ended(self, name: str, end: dt.datetime, day: int) -> None:
        if name not in self.last_end or end > self.last_end[name]:
            self.last_end[name] = end
        self.last_day[name] = max(day, self.last_day.get(name, day))

    def first_allowed(self, name: str, prereqs: dict[str, str]) -> tuple[int, set[str], str]:
        """The first day index a window may open on, the after rules that set it, and what set
        it, in words: start_date, now + freeze_hours, or an after rule."""
        lo, shaped, what = self.start, set(), f"start_date {self.settings.start_date}"
        if self.freeze_at is not None:
            frozen = self.first_day_at_or_after(name, self.freeze_at)
            if frozen > lo:
                lo, what = frozen, f"now + freeze_hours ({self.freeze_at.isoformat()})"
        soak = dt.timedelta(days=self.settings.soak_days)
        for prerequisite, rule in prereqs.items():
            end = self.last_end.get(prerequisite)  # unscheduled prerequisites have their own error
            if end is None:
                continue
            # soak_days x 24 h of real time: add in UTC, not on the wall clock (DST).
            bound = self.first_day_at_or_after(name, end.astimezone(dt.timezone.utc) + soak)
            if bound > self.start:
                shaped.add(rule)
            if bound > lo:
                lo, what = bound, f"rule {rule} (after {prerequisite}, plus soak_days)"
        return lo, shaped, what

    def _keep(self, name: str, prereqs: dict[str, str], resized: bool) -> None:
        """Keep each published window of ``name`` whose date every error rule still allows, in
        batch order; from the first that moves on, the rest are placed again. Windows whose
        nodes changed (a resized cluster) are kept only when ``resized``, after every unchanged
        one has claimed its capacity, so a resize never pushes another cluster out."""
        work = self.work[name]
        if not work.candidates or name in self.gave_up:
            return
        # A prerequisite with published work placed again moves what waits for it; one never
        # published (new, or unscheduled before) does not.
        moving = next((p for p in prereqs if p in self.work and self.work[p].units
                       and (self.work[p].candidates or self.work[p].fixed)), None)
        lo, shaped, what = self.first_allowed(name, prereqs)
        kept = 0
        for unit in work.units:
            published = work.candidates.get((unit.batch, unit.retry))
            if published is None:
                break
            if published.nodes != unit.nodes and not resized:
                break
            day = self.horizon.index(published.date)
            why = (f"rule {prereqs[moving]}: it waits for {moving}, which has work placed again"
                   if moving else f"it would start before {what}" if day < lo
                   else self.blocker(name, unit.nodes, day))
            if why:
                self.why[(name, unit.batch, unit.retry)] = why
                self.gave_up.add(name)
                break
            self._commit(name, unit, day, set(), rules=published.rules)
            lo, kept = day + 1, kept + 1
        work.units = work.units[kept:]

    def _place(self, name: str, prereqs: dict[str, str]) -> None:
        work, cluster = self.work[name], self.clusters[name]
        if not work.units:
            return
        if cluster.duration_hours > self.window_hours:
            s = self.settings
            self._unscheduled(Unscheduled(
                name,
                f"{name} takes {cluster.duration_hours:g} h, longer than the maintenance window "
                f"({s.window_start:%H:%M}-{s.window_end:%H:%M}, {self.window_hours:g} h): "
                f"shorten its duration_hours or widen window_start/window_end in Settings",
                None, f"Clusters!A{cluster.row}"))
            return
        lo, shaped, _ = self.first_allowed(name, prereqs)
        lo = free = max(lo, self.last_day.get(name, -1) + 1)
        days: list[tuple[Unit, int, set[str]]] = []
        for unit in work.units:  # a cluster's windows never share a date: each searched alone
            batch_shaped = set(shaped)
            day, blocks = self.search(name, unit.nodes, lo, batch_shaped)
            if day is None:
                self._unscheduled(self.unplaceable(name, unit.nodes, work.batches > 1, lo, blocks))
                return
            days.append((unit, day, batch_shaped))
            lo = day + 1
        for unit, day, batch_shaped in self.choose(name, days, free, shaped):
            self._commit(name, unit, day, batch_shaped)
        work.units = []

    def choose(self, name: str, plain: list[tuple[Unit, int, set[str]]], lo: int,
               shaped: set[str]) -> list[tuple[Unit, int, set[str]]]:
        """The days to keep for a cluster's units free from day ``lo``: here the plain earliest
        ones (unit, day index, rules that shaped it); rules/placement/greedy.py prefers others."""
        return plain

    def _unscheduled(self, item: Unscheduled) -> None:
        """Report a cluster once; a pinned rolling cluster keeps its first batch (the planner fixed
        that day), so its reason says what was kept and what was not."""
        pinned = self.clusters[item.cluster].pinned_date
        if pinned is not None and any(w.pinned and w.cluster == item.cluster for w in self.windows):
            sizes = batch_sizes(self.nodes[item.cluster],
                                self.classes[item.cluster].rolling_percent)
            rest = "batch 2" if len(sizes) == 2 else f"batches 2-{len(sizes)}"
            item = Unscheduled(item.cluster, (
                f"{rest} of {len(sizes)} ({sum(sizes[1:])} of {sum(sizes)} nodes) cannot be "
                f"placed; only batch 1, pinned to {pinned}, is kept: {item.reason}"),
                item.rule, item.cell)
        self.unscheduled.append(item)

    def _commit(self, name: str, unit: Unit, day: int, shaped: set[str], pinned: bool = False,
                rules: tuple[str, ...] | None = None) -> None:
        """Keep a window for ``unit`` on ``day`` and count its loads."""
        cls = self.classes[name]
        if rules is None:
            base = {cls.tier_rule, cls.rolling_rule, *(r for r, _, _ in cls.spread)}
            rules = tuple(sorted((r for r in base | shaped if r in self.rank),
                                 key=self.rank.__getitem__))
        kind = self.kind(name)
        start, end = self.slots.window(kind, day)
        self.windows.append(Window(name, self.horizon.date(day), start, end, unit.nodes,
                                   unit.batch, self.work[name].batches, pinned, rules, unit.retry,
                                   unit.retry_of))
        slot = self.slots.of(kind, day)
        for limit in [*self.fleet, *self.limits.get(name, ())]:
            limit.add(slot, unit.nodes, name, pinned)
        self._ended(name, end, day)

    def _account_for_candidates(self) -> None:
        self.replanned += not_kept(self.work, self.windows, self.why, self.progress)
