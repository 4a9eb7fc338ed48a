"""The CP-SAT model of the scarce clusters: one option each (a start and its batches' days), so
that every capacity row keeps its room, with the last modelled date as early as possible.

What the options and rows are (node caps at every instant, cluster caps per campaign day) is
rules/optimise/plan.py's work; this module only builds and solves. OR-Tools is imported here and
nowhere else, so plain planning never loads it.
"""
from __future__ import annotations

from collections.abc import Hashable, Mapping, Sequence
from dataclasses import dataclass

# The budget is deterministic time (the same plan for the same seed and budget); a run is also
# stopped after this many times the budget in wall-clock seconds.
WALL_LIMIT_FACTOR = 10


@dataclass(frozen=True)
class Option:
    """One way to place a modelled cluster: its batches' day indexes, and what it takes from
    each capacity row (row key -> amount)."""

    days: tuple[int, ...]
    takes: tuple[tuple[Hashable, int], ...]


@dataclass(frozen=True)
class Solved:
    chosen: dict[str, Option]
    last: int  # the latest day index of any modelled batch
    proven: int  # CP-SAT's lower bound on ``last``
    status: str  # OPTIMAL or FEASIBLE


def solve(options: Mapping[str, Sequence[Option]], room: Mapping[Hashable, int],
          hints: Mapping[str, int], seconds: float, seed: int, workers: int) -> Solved | None:
    """The options minimising the last modelled date, then the sum of start dates; every row's
    takings at most its ``room``. ``hints``: the greedy plan's option per cluster (the warm
    start). ``seconds`` is CP-SAT's deterministic time. None when nothing was found."""
    from ortools.sat.python import cp_model

    model = cp_model.CpModel()
    horizon = max(o.days[-1] for opts in options.values() for o in opts) + 1
    last = model.NewIntVar(0, horizon - 1, "last")
    chosen, rows, starts = {}, {}, []
    for name in sorted(options):
        picks = [model.NewBoolVar(f"{name}@{i}") for i in range(len(options[name]))]
        model.AddExactlyOne(picks)
        chosen[name] = picks
        for i, (pick, option) in enumerate(zip(picks, options[name])):
            model.Add(last >= option.days[-1]).OnlyEnforceIf(pick)
            starts.append(option.days[0] * pick)
            for key, amount in option.takes:
                rows.setdefault(key, []).append(amount * pick)
            if name in hints:
                model.AddHint(pick, i == hints[name])
    for key, terms in rows.items():
        model.Add(sum(terms) <= room[key])
    model.Minimize(last * horizon * len(options) + sum(starts))
    solver = cp_model.CpSolver()
    solver.parameters.max_deterministic_time = seconds
    solver.parameters.max_time_in_seconds = WALL_LIMIT_FACTOR * seconds
    solver.parameters.num_workers = workers
    solver.parameters.random_seed = seed
    solver.parameters.repair_hint = True  # the greedy plan's rolls may pause: repair, not drop
    status = solver.Solve(model)
    if status not in (cp_model.OPTIMAL, cp_model.FEASIBLE):
        return None
    picked = {name: options[name][next(i for i, p in enumerate(picks) if solver.Value(p))]
              for name, picks in chosen.items()}
    proven = int(solver.BestObjectiveBound()) // (horizon * len(options))
    return Solved(picked, solver.Value(last), proven, solver.StatusName(status))
