"""The CP-SAT model: one option per scarce cluster (a start and its batches' days) and, for the
fillers, a volume of nodes per group spread over its open days, so that every capacity row keeps
its room. A feasibility model for one target last day (the options and days given end by it):
rules/optimise/plan.py tries targets from the lower bound on.

What the options, volumes and rows are (node caps at every instant, cluster caps per campaign
day) is rules/optimise/rows.py's work; this module only builds and solves. OR-Tools is imported
here and nowhere else, so plain planning never loads it.
"""
from __future__ import annotations

from collections.abc import Hashable, Mapping, Sequence
from dataclasses import dataclass

# The budget is deterministic time (the same plan for the same seed and budget); a run is also
# stopped after this many times the budget in wall-clock seconds.
WALL_LIMIT_FACTOR = 10

Takes = tuple[tuple[Hashable, int], ...]  # (row key, amount) pairs


@dataclass(frozen=True)
class Option:
    """One way to place a modelled cluster: its batches' day indexes, and what it takes from
    each capacity row (row key -> amount: nodes, or 1 for a cluster cap)."""

    days: tuple[int, ...]
    takes: Takes


@dataclass(frozen=True)
class Volume:
    """Fillers of one group (same windows, open days and limits): ``nodes`` in all, split in any
    way over ``days``; each day with the rows one node on it loads."""

    nodes: int
    days: tuple[tuple[int, tuple[Hashable, ...]], ...]  # (day index, row keys)


@dataclass(frozen=True)
class Solved:
    chosen: dict[str, Option] | None  # None: no choice found (proven, or within the budget)
    proven_infeasible: bool  # no choice exists at all
    spent: float  # CP-SAT deterministic seconds used
    status: str  # CP-SAT's status name


def solve(options: Mapping[str, Sequence[Option]], volumes: Sequence[Volume],
          room: Mapping[Hashable, int], seconds: float, seed: int, workers: int) -> Solved:
    """A choice of one option per cluster and a split of every volume such that every row's
    takings are at most its ``room``. ``seconds``: CP-SAT's deterministic time (its own
    measure, not wall time)."""
    from ortools.sat.python import cp_model

    model = cp_model.CpModel()
    chosen, rows = {}, {}
    for name in sorted(options):
        picks = [model.NewBoolVar(f"{name}@{i}") for i in range(len(options[name]))]
        model.AddExactlyOne(picks)
        chosen[name] = picks
        for pick, option in zip(picks, options[name]):
            for key, amount in option.takes:
                rows.setdefault(key, []).append(amount * pick)
    for g, volume in enumerate(volumes):
        parts = [model.NewIntVar(0, volume.nodes, f"fill{g}@{day}") for day, _ in volume.days]
        model.Add(sum(parts) == volume.nodes)
        for part, (_, keys) in zip(parts, volume.days):
            for key in keys:
                rows.setdefault(key, []).append(part)
    for key in sorted(rows):
        model.Add(sum(rows[key]) <= room[key])
    solver = cp_model.CpSolver()
    solver.parameters.max_deterministic_time = seconds
    solver.parameters.max_time_in_seconds = WALL_LIMIT_FACTOR * seconds
    solver.parameters.num_workers = workers
    solver.parameters.random_seed = seed
    status = solver.Solve(model)
    spent = solver.ResponseProto().deterministic_time
    if status not in (cp_model.OPTIMAL, cp_model.FEASIBLE):
        return Solved(None, status == cp_model.INFEASIBLE, spent, solver.StatusName(status))
    picked = {name: options[name][next(i for i, p in enumerate(picks) if solver.Value(p))]
              for name, picks in chosen.items()}
    return Solved(picked, False, spent, solver.StatusName(status))
