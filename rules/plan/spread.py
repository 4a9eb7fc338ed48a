"""How evenly a spread rule's values advance, measured on the plan's dates.

For a spread rule (e.g. spread-applied over area), each value's cumulative share on a date is the
nodes of its clusters in windows on or before that date over all its clusters' nodes in the
plan. The gap on a date is the largest share minus the smallest; a rule's largest gap is the
worst date's (0: every value advances in step; 1: one value finished before another began).
"""
from __future__ import annotations

import datetime as dt
from fractions import Fraction

from rules.engine.classification import Classification
from rules.placement.order import spread_key
from rules.plan.document import SpreadEntry


def spread_gaps(windows, classification: Classification) -> tuple[SpreadEntry, ...]:
    """One SpreadEntry per spread rule with scheduled clusters, by rule id. ``windows`` have
    ``cluster``, ``date`` and ``nodes``."""
    by_rule: dict[str, tuple[str, dict[str, str]]] = {}
    for name, cls in classification.clusters.items():
        for rule, attribute, value in cls.spread[:1]:  # the first spread rule interleaves it
            by_rule.setdefault(rule, (attribute, {}))[1][name] = spread_key(value)
    gaps = []
    for rule in sorted(by_rule):
        attribute, value_of = by_rule[rule]
        mine = [w for w in windows if w.cluster in value_of]
        if not mine:
            continue
        totals: dict[str, int] = {}
        for w in mine:
            totals[value_of[w.cluster]] = totals.get(value_of[w.cluster], 0) + w.nodes
        by_date: dict[dt.date, list] = {}
        for w in mine:
            by_date.setdefault(w.date, []).append(w)
        done = dict.fromkeys(totals, 0)
        worst, worst_date = Fraction(0), None
        for date in sorted(by_date):
            for w in by_date[date]:
                done[value_of[w.cluster]] += w.nodes
            shares = [Fraction(done[v], totals[v]) for v in totals]
            if max(shares) - min(shares) > worst:
                worst, worst_date = max(shares) - min(shares), date
        gaps.append(SpreadEntry(rule, attribute, round(float(worst), 3), worst_date,
                              tuple(sorted(totals))))
    return tuple(gaps)
