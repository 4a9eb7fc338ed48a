"""The optimiser: the greedy plan, improved where CP-SAT finds an earlier finish.

Decomposed so it scales: only the scarce clusters (rolls, and clusters a clusters-per-date cap
limits; rules/placement/retry.py) are modelled (rules/optimise/model.py), each as a start date
with its batches on consecutive open days, under every error limit on every date; pinned windows
and the clusters they wait for (after rules) stay where the greedy plan put them, as do clusters
with published windows (what happened, what is frozen and what the greedy plan kept stable) and
nothing starts before now + freeze_hours. The rest are
then filled in by the greedy placement loop around the modelled ones. Warm-started from the
greedy plan, and kept only when it places as many clusters and ends earlier: never worse.
"""
from __future__ import annotations

import bisect
import datetime as dt
from dataclasses import dataclass

from rules.engine.classification import Classification
from rules.model import Workbook
from rules.contract import UNIT_NODES
from rules.optimise.model import Option, solve
from rules.placement.after import prerequisites
from rules.placement.days import first_day_at_or_after
from rules.placement.greedy import Run, Schedule, schedule_of
from rules.placement.loop import batch_sizes, to_place
from rules.placement.order import placement_order
from rules.placement.prefer import fits, tier_rank
from rules.placement.retry import scarce_clusters
from rules.progress import OCCUPIED, Progress


@dataclass(frozen=True)
class Optimised:
    schedule: Schedule  # the optimised plan when it is better, else the greedy one
    used: bool  # whether the optimised plan replaced the greedy one
    status: str  # CP-SAT's status, or why the optimiser did not run
    modelled: int  # clusters in the CP-SAT model
    greedy_last: dt.date | None
    optimised_last: dt.date | None  # the filled-in optimised plan's last date
    seconds: float  # the budget, in CP-SAT's deterministic time


def optimise(workbook: Workbook, classification: Classification, greedy: Schedule,
             seconds: float, progress: Progress | None = None, seed: int = 0,
             workers: int = 1) -> Optimised:
    """The better of the greedy plan and the decomposed CP-SAT plan (module docstring):
    better when it leaves no cluster unscheduled, ends earlier and replans no more published
    windows. ``seconds``: CP-SAT's deterministic time."""
    greedy_last = max((w.date for w in greedy.windows), default=None)

    def keep(status: str, modelled: int = 0, last=None) -> Optimised:
        return Optimised(greedy, False, status, modelled, greedy_last, last, seconds)

    if greedy.unscheduled or greedy_last is None:
        return keep("not run: the greedy plan must place every cluster first")
    if greedy.bound.finish is not None and greedy_last <= greedy.bound.finish:
        return keep("not run: the greedy plan ends on the lower bound, as early as any plan")
    excluded, todo = to_place(workbook, classification)
    left_out = {e.cluster.casefold(): e.reason for e in excluded}
    probe = Run(workbook, classification, todo, progress, left_out)
    classes, horizon = classification.clusters, probe.horizon
    sizes = {n: batch_sizes(probe.nodes[n], classes[n].rolling_percent) for n in todo}
    placed = {}
    for w in greedy.windows:
        placed.setdefault(w.cluster, []).append(horizon.index(w.date))
    fixed = _fixed(probe, todo, progress)
    modelled = [n for n in scarce_clusters(workbook, classification, todo,
                                           lambda n: len(sizes[n])) if n not in fixed]
    if not modelled:
        return keep("not run: no scarce cluster to model")
    last = horizon.index(greedy_last)
    for w in greedy.windows:  # the windows of what stays count in every limit's room
        if (w.cluster in fixed or w.cluster not in sizes) and w.state in OCCUPIED:
            slot = probe.slot_of(w.start, w.end)
            for limit in [*probe.fleet, *probe.limits.get(w.cluster, ())]:
                limit.add(slot, w.nodes, w.cluster, w.pinned)
    ends: dict[str, dt.datetime] = {}
    for w in greedy.windows:
        ends[w.cluster] = max(ends.get(w.cluster, w.end), w.end)
    runs = {}
    for name in modelled:
        runs[name] = _runs(probe.open_mask(name, sizes[name][-1]), len(sizes[name]),
                           _after(probe, name, ends), last)
        if not runs[name]:
            return keep("not run: a scarce cluster has no run of open dates before the "
                        "greedy plan's end", len(modelled))
    options, room = _rows(probe, modelled, runs, sizes)
    hints = {}
    for name in modelled:
        hint = next((i for i, o in enumerate(options[name]) if o.days[0] == min(placed[name])),
                    None)
        if hint is not None:
            hints[name] = hint
    solved = solve(options, room, hints, seconds, seed, workers)
    if solved is None:
        return keep("no plan found within the budget", len(modelled))
    forced = {n: list(placed[n]) for n in fixed if n in placed} | {
        n: list(o.days) for n, o in solved.chosen.items()}
    order = placement_order(todo, classes, probe.nodes)
    starts = {n: forced[n][0] for n in forced}
    order = sorted((n for n in order if n in starts), key=lambda n: (starts[n], n)) + [
        n for n in order if n not in starts]
    filled = _Forced(workbook, classification, todo, progress, left_out, forced)
    filled.run(order)
    result = schedule_of(filled, greedy.excluded, greedy.bound)
    better = (len(result.unscheduled), max((w.date for w in result.windows), default=dt.date.max)
              ) < (0, greedy_last) and len(result.replanned) <= len(greedy.replanned)
    return Optimised(result if better else greedy, better, solved.status, len(modelled),
                     greedy_last, max((w.date for w in result.windows), default=None), seconds)


def _fixed(probe: Run, todo: list[str], progress: Progress | None) -> set[str]:
    """Pinned clusters, clusters with published windows and every cluster another waits for
    (after rules): kept as placed."""
    found = {n for n in todo if probe.clusters[n].pinned_date is not None}
    published = {w.cluster.casefold() for w in progress.windows} if progress else set()
    found |= {n for n in todo if n.casefold() in published}
    for name in todo:
        found |= set(prerequisites(name, probe.classes[name], probe.rules, probe.members,
                                   probe.clusters))
    return found


def _after(probe: Run, name: str, ends: dict[str, dt.datetime]) -> int:
    """The first day index ``name`` may start on: start_date, now + freeze_hours, and its after
    rules against the greedy plan's windows of the clusters it waits for (those stay where they
    are)."""
    first, soak = probe.start, dt.timedelta(days=probe.settings.soak_days)
    if probe.freeze_at is not None:
        first = max(first, probe.first_day_at_or_after(name, probe.freeze_at))
    for prerequisite in prerequisites(name, probe.classes[name], probe.rules, probe.members,
                                      probe.clusters):
        if prerequisite in ends:
            instant = ends[prerequisite].astimezone(dt.timezone.utc) + soak
            first = max(first, first_day_at_or_after(instant, probe.tz[name],
                                                     probe.settings.window_start, probe.horizon))
    return first


def _runs(open_days: bytearray, batches: int, first: int, last: int) -> list[tuple[int, ...]]:
    """Every run of ``batches`` consecutive open days starting from ``first``, ending by
    ``last``."""
    found = []
    start = open_days.find(1, first)
    while 0 <= start <= last:
        days, day = [], start
        for _ in range(batches):
            if day < 0 or day > last:
                break
            days.append(day)
            day = open_days.find(1, day + 1)
        if len(days) < batches:
            break
        found.append(tuple(days))
        start = open_days.find(1, start + 1)
    return found


def _rows(probe: Run, modelled: list[str], runs, sizes):
    """Each option's takings and each capacity row's room. Node limits hold at every instant:
    their rows are the instants modelled windows open at (a step function peaks at one); cluster
    limits count windows per campaign day. Limits of one unit over the same modelled clusters
    share rows, at the smallest room."""
    limits = {n: [*probe.fleet, *(lim for lim in probe.limits.get(n, ()) if lim.enforced)]
              for n in modelled}
    members: dict[int, set[str]] = {}
    for name in modelled:
        for limit in limits[name]:
            members.setdefault(id(limit), set()).add(name)
    group = {id(lim): (lim.unit, frozenset(members[id(lim)])) for n in modelled
             for lim in limits[n]}
    slots = {n: [[probe.slots.of(probe.kind(n), d) for d in days] for days in runs[n]]
             for n in modelled}
    opens: dict[tuple, set[int]] = {}  # node row group -> the instants windows open at
    for name in modelled:
        for limit in limits[name]:
            if limit.unit == UNIT_NODES:
                opens.setdefault(group[id(limit)], set()).update(
                    s[0] for run in slots[name] for s in run)
    points = {key: sorted(instants) for key, instants in opens.items()}
    options: dict[str, list[Option]] = {}
    room: dict[tuple, int] = {}
    for name in modelled:
        options[name] = []
        for days, run in zip(runs[name], slots[name]):
            takes: dict[tuple, int] = {}
            for slot, nodes in zip(run, sizes[name]):
                window: dict[tuple, int] = {}  # a window loads a row once, whatever the
                for limit in limits[name]:     # limits sharing it
                    for key, at in _rows_of(limit, group[id(limit)], slot, points):
                        room_at = limit.headroom(at)
                        if room_at is None:
                            continue
                        room[key] = min(room.get(key, room_at), room_at)
                        window[key] = max(window.get(key, 0), limit.amount(nodes))
                for key, amount in window.items():
                    takes[key] = takes.get(key, 0) + amount
            options[name].append(Option(days, tuple(sorted(takes.items(), key=repr))))
    return options, room


def _rows_of(limit, key, slot, points):
    """The rows a window in ``slot`` loads under ``limit``, each with the slot to ask the
    limit's room at."""
    if limit.unit != UNIT_NODES:
        return [((key, "day", slot[2]), slot)]
    instants = points[key]
    at = bisect.bisect_left(instants, slot[0])
    stop = bisect.bisect_left(instants, slot[1], at)
    return [((key, "at", t), (t, t + 1, slot[2])) for t in instants[at:stop]]


class _Forced(Run):
    """The placement loop keeping the given days of a cluster when they still fit."""

    def __init__(self, workbook, classification, todo, progress, left_out,
                 forced: dict[str, list[int]]):
        super().__init__(workbook, classification, todo, progress, left_out)
        self.forced = forced

    def choose(self, name, plain, lo, shaped):
        days = self.forced.get(name)
        units = [unit for unit, _, _ in plain]
        limits = [*self.fleet, *(lim for lim in self.limits.get(name, ()) if lim.enforced)]
        opened, kind = self.open_mask(name, units[-1].nodes), self.kind(name)
        if days and len(days) == len(units) and days[0] >= lo and all(
                opened[d] and fits(limits, self.slots.of(kind, d), u.nodes)
                for d, u in zip(days, units)):
            return [(u, d, set(shaped)) for u, d in zip(units, days)]
        return plain


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
