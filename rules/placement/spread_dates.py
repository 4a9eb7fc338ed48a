"""The spread measured on dates while placing: each spread rule's values' cumulative shares per
day, so a window big enough to open a gap on its own can go on the day that keeps the values
closest (rules/plan/spread.py measures the finished plan the same way)."""
from __future__ import annotations

from collections.abc import Iterable, Mapping
from fractions import Fraction

from rules.engine.classification import ClusterClass
from rules.placement.order import spread_key

# A window moving its value's share by less than this cannot open a gap worth a search of dates.
SIGNIFICANT_SHARE = Fraction(1, 200)


class SpreadCurves:
    def __init__(self, classes: Mapping[str, ClusterClass], names: Iterable[str],
                 nodes: Mapping[str, int], days: int,
                 projection: Mapping[str, list[tuple[int, int]]] | None = None):
        """``projection``: where an earlier run put each cluster's batches (day index, nodes),
        counted until the cluster is placed in this run, so early choices see the rest."""
        self.nodes = nodes
        self.key: dict[str, tuple[str, str]] = {}  # cluster -> (rule, value)
        self.totals: dict[str, dict[str, int]] = {}
        for name in names:
            spread = classes[name].spread
            if spread:
                rule, _, value = spread[0]
                self.key[name] = (rule, spread_key(value))
                totals = self.totals.setdefault(rule, {})
                totals[self.key[name][1]] = totals.get(self.key[name][1], 0) + nodes[name]
        self.placed = {rule: {v: [0] * days for v in totals}
                       for rule, totals in self.totals.items()}
        self.projected = {n: batches for n, batches in (projection or {}).items()
                          if n in self.key}
        for name, batches in self.projected.items():
            self._add(name, batches, 1)

    def _add(self, name: str, batches: list[tuple[int, int]], sign: int) -> None:
        rule, value = self.key[name]
        for day, nodes in batches:
            self.placed[rule][value][day] += sign * nodes

    def note(self, name: str, day: int, nodes: int) -> None:
        if name in self.key:
            if name in self.projected:
                self._add(name, self.projected.pop(name), -1)
            self._add(name, [(day, nodes)], 1)

    def significant(self, name: str) -> bool:
        if name not in self.key:
            return False
        rule, value = self.key[name]
        return Fraction(self.nodes[name], self.totals[rule][value]) >= SIGNIFICANT_SHARE

    def gaps(self, name: str, options: list[list[tuple[int, int]]], last: int) -> list[float]:
        """For each option of ``name``'s batches (day index, nodes), the largest gap of
        cumulative share over the days up to ``last`` were they placed so."""
        rule, mine = self.key[name]
        totals, placed = self.totals[rule], self.placed[rule]
        others = [v for v in totals if v != mine]
        done = dict.fromkeys(totals, 0)
        low, high, base = [], [], []  # per day: the others' lowest and highest share, mine's
        for d in range(last + 1):
            for value in totals:
                done[value] += placed[value][d]
            shares = [done[v] / totals[v] for v in others]
            low.append(min(shares, default=1.0))
            high.append(max(shares, default=0.0))
            base.append(done[mine])
        projected = self.projected.get(name, [])
        results = []
        for option in options:
            extra = [0] * (last + 2)
            for day, nodes in option:  # this choice replaces the earlier run's
                extra[min(day, last + 1)] += nodes
            for day, nodes in projected:
                extra[min(day, last + 1)] -= nodes
            added, worst = 0, 0.0
            for d in range(last + 1):
                added += extra[d]
                share = (base[d] + added) / totals[mine]
                worst = max(worst, max(high[d], share) - min(low[d], share))
            results.append(worst)
        return results

    def largest_gap(self) -> float:
        """The largest gap of cumulative share of any spread rule, over the placed windows."""
        worst = 0.0
        for rule, totals in self.totals.items():
            placed, done = self.placed[rule], dict.fromkeys(totals, 0)
            for d in range(len(next(iter(placed.values())))):
                for value in totals:
                    done[value] += placed[value][d]
                shares = [done[v] / totals[v] for v in totals]
                worst = max(worst, max(shares) - min(shares))
        return worst
