"""Which planner makes the schedule: the greedy planner (rules/placement/greedy.py), then, when
asked (a budget, or Settings objective finish), the optimiser (rules/optimise/) starting from it.
"""
from __future__ import annotations

from rules.engine.classification import Classification
from rules.model import Workbook
from rules.placement.greedy import Schedule, place
from rules.plan.document import OptimiserEntry
from rules.plan.spread import spread_gaps
from rules.progress import Progress

# The optimiser's budget when Settings objective is finish and none is given (seconds of
# CP-SAT deterministic time).
DEFAULT_OPTIMISE_SECONDS = 10.0


def scheduled(workbook: Workbook, classification: Classification, progress: Progress | None,
              optimise: float | None) -> tuple[Schedule, OptimiserEntry | None]:
    """The greedy schedule; optimised with a budget of ``optimise`` seconds, or of
    DEFAULT_OPTIMISE_SECONDS when Settings objective is finish; with what the optimiser did."""
    schedule = place(workbook, classification, progress)
    if optimise is None and workbook.settings.objective == "finish":
        optimise = DEFAULT_OPTIMISE_SECONDS
    if optimise is None:
        return schedule, None
    from rules.optimise.plan import optimise as optimised  # loads OR-Tools
    from rules.optimise.traded import out_of_order

    result = optimised(workbook, classification, schedule, optimise, progress)
    mine = out_of_order(result.schedule.windows, classification.clusters)
    before = out_of_order(schedule.windows, classification.clusters)
    return result.schedule, OptimiserEntry(
        "finish", result.seconds, result.status, result.used, result.modelled,
        result.greedy_last, result.optimised_last, *mine, *before,
        _largest_gap(result.schedule, classification), _largest_gap(schedule, classification))


def _largest_gap(schedule: Schedule, classification: Classification) -> float | None:
    """The largest gap of cumulative share of any spread rule (rules/plan/spread.py)."""
    return max((e.largest_gap for e in spread_gaps(schedule.windows, classification)),
               default=None)
