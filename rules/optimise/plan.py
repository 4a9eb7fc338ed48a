"""The optimiser: the greedy plan, improved where CP-SAT finds an earlier finish.

Decomposed so it scales: only the scarce clusters (rolls, and clusters a clusters-per-date cap
limits; rules/placement/retry.py) are modelled one by one (rules/optimise/model.py), each as a
start date with its batches on consecutive open days, under every error limit on every date; the
other clusters (the fillers) are modelled as volumes of nodes per group of like windows and open
days (rules/optimise/rows.py), so the model leaves them their room. Pinned windows and the
clusters they wait for (after rules) stay where the greedy plan put them, as do clusters with
published windows (what happened, what is frozen and what the greedy plan kept stable), and
nothing starts before now + freeze_hours.

First, the placement loop is run with every scarce cluster ahead of every filler, whatever their
tiers: on campaign-shaped fleets that alone often ends on the lower bound (the tier order is what
wastes the scarce slots), and then CP-SAT does not run. Otherwise the model is solved for a
target last day, from the lower bound on (rules/placement/bound.py), until one is met; the
fillers are then placed by the greedy placement loop around the modelled clusters. A plan is
kept only when it places as many clusters and ends earlier than the greedy plan: never worse.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from rules.engine.classification import Classification
from rules.model import Workbook
from rules.optimise.model import Option, Solved, Volume, solve
from rules.optimise.rows import Item, capacity_rows, filler_groups
from rules.placement.after import prerequisites
from rules.placement.greedy import Schedule, schedule_of
from rules.placement.loop import batch_sizes, to_place
from rules.placement.order import placement_order
from rules.placement.prefer import fits
from rules.placement.retry import scarce_clusters
from rules.placement.runs import Run
from rules.progress import OCCUPIED, Progress


@dataclass(frozen=True)
class Optimised:
    schedule: Schedule  # the optimised plan when it is better, else the greedy one
    used: bool  # whether the optimised plan replaced the greedy one
    status: str  # CP-SAT's status, or why the optimiser did not run
    modelled: int  # clusters in the CP-SAT model (0 when it was not needed)
    greedy_last: dt.date | None
    optimised_last: dt.date | None  # the filled-in optimised plan's last date
    seconds: float  # the budget, in CP-SAT's deterministic time


def optimise(workbook: Workbook, classification: Classification, greedy: Schedule,
             seconds: float, progress: Progress | None = None, seed: int = 0,
             workers: int = 1) -> Optimised:
    """The best of the greedy plan, the scarce-first plan and the decomposed CP-SAT plan
    (module docstring): better when it leaves no cluster unscheduled, ends earlier and replans
    no more published windows. ``seconds``: CP-SAT's deterministic time, over all the targets
    tried."""
    greedy_last = max((w.date for w in greedy.windows), default=None)

    def keep(status: str, modelled: int = 0, best: Schedule | None = None) -> Optimised:
        last = None if best is None else _last(best)
        return Optimised(best or greedy, best is not None, status, modelled, greedy_last, last,
                         seconds)

    if greedy.unscheduled or greedy_last is None:
        return keep("not run: the greedy plan must place every cluster first")
    if greedy.bound.finish is not None and greedy_last <= greedy.bound.finish:
        return keep("not run: the greedy plan ends on the lower bound, as early as any plan")
    excluded, todo = to_place(workbook, classification)
    left_out = {e.cluster.casefold(): e.reason for e in excluded}
    probe = Run(workbook, classification, todo, progress, left_out)
    classes, horizon = classification.clusters, probe.horizon
    sizes = {n: batch_sizes(probe.nodes[n], classes[n].rolling_percent) for n in todo}
    fixed = _fixed(probe, todo, progress)
    scarce = scarce_clusters(workbook, classification, todo, lambda n: len(sizes[n]))
    modelled = [n for n in scarce if n not in fixed]
    if not modelled:
        return keep("not run: no scarce cluster to model")
    order = placement_order(todo, classes, probe.nodes)
    fill = _Fill(workbook, classification, todo, progress, left_out, greedy, order, {
        n: [horizon.index(w.date) for w in greedy.windows if w.cluster == n] for n in fixed})
    floor = horizon.index(greedy.bound.finish) if greedy.bound.finish else 0
    # First the placement loop with every scarce cluster ahead of every filler, whatever their
    # tiers (longest rolls first): the scarce slots are what the tier order wastes.
    mine = set(modelled)
    first = fill.run_with({}, sorted((n for n in order if n in mine), key=lambda n: -scarce[n]))
    best = first if _better(first, greedy_last, greedy) else None
    if best is not None and horizon.index(_last(best)) <= floor:
        return keep("OPTIMAL: on the bound with the scarce clusters first", 0, best)
    last = horizon.index(_last(best) if best else greedy_last) - 1  # what beats both
    found, status = _solved(probe, greedy, fixed, modelled, sizes, fill, floor, last, seconds,
                            seed, workers)
    if found is not None and _better(found, _last(best) if best else greedy_last, greedy):
        best = found
    elif best is not None:
        status = f"FEASIBLE: scarce clusters first; CP-SAT: {status}"
    return keep(status, len(modelled), best)


def _better(found: Schedule, last: dt.date, greedy: Schedule) -> bool:
    """Whether ``found`` places every cluster, ends before ``last`` and replans no more
    published windows than the greedy plan."""
    return not found.unscheduled and _last(found) < last and \
        len(found.replanned) <= len(greedy.replanned)


def _solved(probe: Run, greedy: Schedule, fixed: set[str], modelled: list[str], sizes,
            fill: _Fill, floor: int, last: int, seconds: float, seed: int, workers: int
            ) -> tuple[Schedule | None, str]:
    """The CP-SAT plan ending by day ``last`` (None if none was found) and its status: targets
    from the bound (``floor``) on, each filled in, until one is met or the budget is spent."""
    for w in greedy.windows:  # the windows of what stays count in every limit's room
        if (w.cluster in fixed or w.cluster not in sizes) and w.state in OCCUPIED:
            slot = probe.slot_of(w.start, w.end)
            for limit in [*probe.fleet, *probe.limits.get(w.cluster, ())]:
                limit.add(slot, w.nodes, w.cluster, w.pinned)
    for w in greedy.windows:  # the after rules count from the greedy plan's ends
        probe.last_end[w.cluster] = max(probe.last_end.get(w.cluster, w.end), w.end)
    items: dict = {}
    for name in modelled:
        runs = _runs(probe.open_mask(name), len(sizes[name]),
                     _after(probe, name), last)
        if not runs:
            return None, "not run: a scarce cluster has no run of open dates early enough"
        items[name] = Item(tuple(probe.enforced(name)), probe.kind(name), tuple(runs),
                           tuple(sizes[name]))
    fillers = filler_groups(probe, [n for n in sizes if n not in fixed and n not in items],
                            lambda n: _after(probe, n), last)
    if fillers is None:
        return None, "not run: a cluster has no open date early enough"
    items.update((key, item) for key, (item, _) in fillers.items())
    takes, room = capacity_rows(probe, items)
    options = {n: [Option(days, t) for days, t in zip(items[n].runs, takes[n])] for n in modelled}
    volumes = [Volume(nodes, tuple((run[0], tuple(row for row, _ in t))
                                   for run, t in zip(items[key].runs, takes[key])))
               for key, (_, nodes) in fillers.items()]
    search = _Targets(options, volumes, room, seed, workers, seconds)
    # No plan ends before the bound: the targets start there (or where the model's own
    # clusters could end at the earliest).
    first = max([floor] + [min(o.days[-1] for o in options[n]) for n in modelled]
                + [v.days[0][0] for v in volumes])
    best, status = None, "no plan found within the budget"
    for target in range(first, last + 1):
        solved = search.solve(target, last)
        if solved.proven_infeasible and target == last and best is None:
            status = "INFEASIBLE: the modelled clusters cannot end earlier"
        if solved.chosen is not None:
            result = fill.run_with(solved.chosen)
            if best is None or _last(result) < _last(best):
                best = result
                index = probe.horizon.index(_last(best))
                status = "OPTIMAL" if index <= floor else "FEASIBLE"
            if probe.horizon.index(_last(best)) <= target:
                break
        timed_out = solved.chosen is None and not solved.proven_infeasible
        if search.spent >= seconds or timed_out and seconds - search.spent < MIN_TARGET_SECONDS:
            break
    return best, status


def _last(schedule: Schedule) -> dt.date:
    return max((w.date for w in schedule.windows), default=dt.date.max)


# The share of the budget left that a target gets: most of it goes to the first, the bound,
# which is often reached (an impossible target is usually proven so quickly).
SHARE = 0.75
# After a target ran out of time, less deterministic time than this finds nothing on fleets
# that large (building the model alone takes longer): no further target is tried.
MIN_TARGET_SECONDS = 1.0


class _Targets:
    """Feasibility models for ever later target days sharing one deterministic budget: each
    target gets SHARE of what is left, the last one all of it. The greedy plan is no warm
    start: it ends after every target."""

    def __init__(self, options, volumes, room, seed, workers, seconds):
        self.options, self.volumes, self.room = options, volumes, room
        self.seed, self.workers, self.seconds = seed, workers, seconds
        self.spent = 0.0

    def options_by(self, target: int) -> dict[str, list[Option]]:
        return {n: [o for o in opts if o.days[-1] <= target] for n, opts in self.options.items()}

    def solve(self, target: int, last: int) -> Solved:
        """One option per modelled cluster and the fillers' volumes, all by day ``target``."""
        volumes = [Volume(v.nodes, tuple(d for d in v.days if d[0] <= target))
                   for v in self.volumes]
        left = self.seconds - self.spent
        solved = solve(self.options_by(target), volumes, self.room,
                       left if target >= last else left * SHARE, self.seed, self.workers)
        self.spent += solved.spent
        return solved


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


def _after(probe: Run, name: str) -> int:
    """The first day index ``name`` may start on (the loop's reading: start_date, now +
    freeze_hours, its after rules plus soak) against the ends in ``probe.last_end``: the greedy
    plan's windows of the clusters it waits for, which stay where they are."""
    return probe.first_allowed(name, prerequisites(
        name, probe.classes[name], probe.rules, probe.members, probe.clusters))[0]


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


class _Forced(Run):
    """The placement loop keeping the given days of a cluster when they still fit."""

    def __init__(self, workbook, classification, todo, progress, left_out,
                 forced: dict[str, list[int]]):
        super().__init__(workbook, classification, todo, progress, left_out)
        self.forced = forced

    def choose(self, name, plain, lo, shaped):
        days = self.forced.get(name)
        units = [unit for unit, _, _ in plain]
        limits = self.enforced(name)
        opened, kind = self.open_mask(name), self.kind(name)
        if days and len(days) == len(units) and days[0] >= lo and all(
                opened[d] and fits(limits, self.slots.of(kind, d), u.nodes)
                for d, u in zip(days, units)):
            return [(u, d, set(shaped)) for u, d in zip(units, days)]
        return plain


class _Fill:
    """The filled-in plan of a choice of the modelled clusters' days: those days forced (and the
    fixed clusters' kept), the rest placed by the loop around them, in placement order."""

    def __init__(self, workbook, classification, todo, progress, left_out, greedy: Schedule,
                 order: list[str], fixed: dict[str, list[int]]):
        self.args = (workbook, classification, todo, progress, left_out)
        self.greedy, self.order, self.fixed = greedy, order, fixed

    def run_with(self, chosen: dict[str, Option], ahead: list[str] = ()) -> Schedule:
        """The plan with the ``chosen`` days forced, placed by start; then ``ahead`` in that
        order, then the rest in placement order."""
        forced = self.fixed | {n: list(o.days) for n, o in chosen.items()}
        starts = {n: days[0] for n, days in forced.items() if days}
        first = sorted((n for n in self.order if n in starts), key=lambda n: (starts[n], n))
        first += [n for n in ahead if n not in starts]
        placed = set(first)
        order = first + [n for n in self.order if n not in placed]
        filled = _Forced(*self.args, forced)
        filled.run(order)
        return schedule_of(filled, self.greedy.excluded, self.greedy.bound)
