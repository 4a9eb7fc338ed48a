"""A run of the placement loop that keeps the preferences of rules/placement/prefer.py where
they cost no days, and the spread measured on dates (rules/placement/spread_dates.py)."""
from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass, field

from rules.engine.classification import Classification
from rules.model import Workbook
from rules.placement.candidates import Candidates
from rules.placement.prefer import TierOrder, consecutive, costs_no_days, fits
from rules.placement.runs import Run
from rules.placement.seed import Unit
from rules.placement.spread_dates import SpreadCurves
from rules.plan.document import Unscheduled
from rules.progress import Progress


@dataclass
class Turn:
    """What placing one cluster did: its tier order note, its windows, or why it has none."""

    name: str
    note: tuple | None = None  # TierOrder.note's arguments
    commits: list[tuple[Unit, int, set[str]]] = field(default_factory=list)  # unit, day, rules
    unscheduled: list[Unscheduled] = field(default_factory=list)


class Preferring(Run):
    """A run that keeps the preferences where they cost no days (rules/placement/prefer.py).

    Its ``turns_taken`` are the clusters' turns before the first spread choice, the only part
    that reads ``projection``: a run of the same order differing only in ``projection`` takes
    exactly those turns, so it replays them (``replay``) instead of searching again."""

    def __init__(self, workbook: Workbook, classification: Classification, todo: list[str],
                 progress: Progress | None, left_out: dict[str, str],
                 masks: dict[str, bytearray] | None, target: dt.date | None, projection=None,
                 replay: Sequence[Turn] = ()):
        super().__init__(workbook, classification, todo, progress, left_out, masks)
        self.target = self.horizon.index(target) if target else 0
        self.tier_order = TierOrder()
        self.curves = SpreadCurves(self.classes, todo, self.nodes, self.horizon.size, projection)
        self.turns_taken: list[Turn] = []
        self._replay = list(reversed(replay))
        self._turn: Turn | None = None  # the turn being taken, while recording
        self._recording = True

    def _place(self, name: str, prereqs: dict[str, str]) -> None:
        if self._replay and self._replay[-1].name == name:
            turn = self._replay.pop()
            if turn.note is not None:
                self.tier_order.note(*turn.note)
            for unit, day, shaped in turn.commits:
                self._commit(name, unit, day, shaped)
            if turn.commits:
                self.work[name].units = []
            self.unscheduled.extend(turn.unscheduled)
            return
        self._replay = []
        if self._recording:
            self._turn, before = Turn(name), len(self.unscheduled)
        super()._place(name, prereqs)
        if self._recording:
            self._turn.unscheduled = self.unscheduled[before:]
            self.turns_taken.append(self._turn)
        self._turn = None

    def _commit(self, name: str, unit: Unit, day: int, shaped: set[str], pinned: bool = False,
                rules: tuple[str, ...] | None = None) -> None:
        super()._commit(name, unit, day, shaped, pinned, rules)
        self.curves.note(name, day, unit.nodes)
        if self._turn is not None:
            self._turn.commits.append((unit, day, shaped))

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
        opened = self.open_mask(name)
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
        if self._turn is not None:
            self._turn.note = (self.classes[name].tier, opened, self.start, found[0])
        if self.curves.significant(name):
            self._recording, self._turn = False, None  # from here on it reads the projection
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
        opened = self.open_mask(name)
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
