"""Before a cluster is called unschedulable: place it ahead of the clusters that took its dates,
and keep that order when it leaves fewer clusters unscheduled. And which clusters have scarce
slots, to be placed first within their tier."""
from __future__ import annotations

from collections.abc import Callable
from typing import Protocol

from rules.engine.classification import Classification
from rules.model import Workbook

class Placed(Protocol):
    """A finished run of the placement loop."""

    unscheduled: list  # of rules.placement.loop.Unscheduled

    def takers(self, name: str) -> set[str]: ...


# Rounds of retrying per plan at most: each round tries each unscheduled cluster once (one more
# run of the placement loop each, unless ``unchanged`` proves it useless) and ends at the first
# order that helps.
MAX_RETRIES = 20


def retry_unscheduled(run: Callable[[list[str]], Placed], order: list[str], placed: Placed,
                      unchanged: Callable[[str, list[str], list[str]], bool]) -> Placed:
    """``placed`` (the result of ``run(order)``), or the first order that, moving one
    unscheduled cluster just ahead of the earliest of those holding its open dates, leaves fewer
    clusters unscheduled; repeated while it helps, at most MAX_RETRIES rounds. An order for which
    ``unchanged(cluster, order, moved)`` proves as many clusters unscheduled is not run."""
    for _ in range(MAX_RETRIES):
        position = {name: i for i, name in enumerate(order)}
        for item in placed.unscheduled:
            takers = [n for n in placed.takers(item.cluster) if n in position]
            if not takers or item.cluster not in position:
                continue
            ahead = min(takers, key=position.__getitem__)
            if position[ahead] > position[item.cluster]:
                continue
            moved = [n for n in order if n != item.cluster]
            moved.insert(moved.index(ahead), item.cluster)
            if unchanged(item.cluster, order, moved):
                continue
            trial = run(moved)
            if len(trial.unscheduled) < len(placed.unscheduled):
                order, placed = moved, trial
                break
        else:
            return placed
    return placed


def scarce_clusters(workbook: Workbook, classification: Classification, names: list[str],
                    batches: Callable[[str], int]) -> dict[str, int]:
    """Rolls (clusters of more than one batch) by their batches, and members of error
    cap_clusters rules (as scarce as a roll of one batch)."""
    limited = {m for r in workbook.rules if r.enabled and r.kind == "cap_clusters"
               and r.severity == "error" for m in classification.members.get(r.id, ())}
    return {n: batches(n) for n in names if n in limited or batches(n) > 1}
