"""Loads per limit and per date, kept incrementally while the placement loop adds windows.

A limit is a cap_nodes / cap_clusters / cap_percent rule, or the daily_node_cap setting. Each
holds one load array over the day indexes of the horizon, so "does this cluster fit on that
date" is a few list look-ups, never a rescan of the windows placed so far.
"""
from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass, field
from fractions import Fraction

from rules.engine.classification import Classification, LoadFact
from rules.contract import UNIT_NODES
from rules.model import Rule, Workbook
DAILY = "daily_node_cap"


@dataclass(frozen=True)
class Horizon:
    """Day indexes: 0 is ``origin``; dates are local calendar days of the clusters' regions."""

    origin: dt.date
    size: int

    def index(self, day: dt.date) -> int:
        return (day - self.origin).days

    def date(self, index: int) -> dt.date:
        return self.origin + dt.timedelta(days=index)


@dataclass(eq=False)  # a limit is itself: compared by identity
class Limit:
    rule: str  # rule id, or "daily_node_cap"
    unit: str  # nodes | clusters
    limit: float  # as people read it (cap_percent: value % of the members' nodes)
    allowed: int  # the largest whole amount within the limit
    first: int  # day indexes the limit applies on, inclusive
    last: int
    enforced: bool  # error rules constrain placement; warning rules are only checked
    loads: list[int]
    clusters: dict[int, list[str]] = field(default_factory=dict)
    open_from: int = 0  # every applicable date before it is full: placement starts looking here

    def applies(self, day: int) -> bool:
        return self.first <= day <= self.last

    def amount(self, nodes: int) -> int:
        return nodes if self.unit == UNIT_NODES else 1

    def add(self, day: int, nodes: int, cluster: str) -> None:
        self.loads[day] += self.amount(nodes)
        self.clusters.setdefault(day, []).append(cluster)
        self.advance()

    def advance(self) -> None:
        # Loads only grow, so a full date stays full and the pointer only moves forward.
        while (
            self.open_from < len(self.loads)
            and self.applies(self.open_from)
            and self.loads[self.open_from] >= self.allowed
        ):
            self.open_from += 1

    def facts(self, horizon: Horizon) -> list[LoadFact]:
        return [
            LoadFact(
                rule=self.rule,
                date=horizon.date(day),
                amount=self.loads[day],
                limit=self.limit,
                unit=self.unit,
                clusters=tuple(sorted(names)),
            )
            for day, names in sorted(self.clusters.items())
            if self.applies(day)
        ]

    def describe(self) -> str:
        return f"{self.allowed} {self.unit} a date"


def build_limits(
    workbook: Workbook, classification: Classification, horizon: Horizon
) -> tuple[Limit, dict[str, list[Limit]]]:
    """The daily cap, and for each cluster the rule limits it falls under (sheet order)."""
    settings = workbook.settings
    daily = _limit(DAILY, UNIT_NODES, settings.daily_node_cap, Fraction(settings.daily_node_cap),
                   None, None, True, horizon)
    nodes = {c.name: c.nodes for c in workbook.clusters}
    by_cluster: dict[str, list[Limit]] = {}
    for rule in workbook.rules:
        if not rule.enabled or not rule.roles.limits or rule.id not in classification.members:
            continue
        members = classification.members[rule.id]
        limit = _rule_limit(rule, sum(nodes[m] for m in members), horizon)
        for member in members:
            by_cluster.setdefault(member, []).append(limit)
    return daily, by_cluster


def _rule_limit(rule: Rule, member_nodes: int, horizon: Horizon) -> Limit:
    if rule.roles.percent_of_members:
        exact = Fraction(str(rule.value)) * member_nodes / 100
        shown: float = float(exact)
    else:
        exact = Fraction(int(rule.value))
        shown = int(rule.value)
    return _limit(rule.id, rule.roles.limits, shown, exact, rule.from_date, rule.to_date,
                  rule.severity == "error", horizon)


def _limit(rule_id, unit, shown, exact, from_date, to_date, enforced, horizon) -> Limit:
    first = 0 if from_date is None else max(0, horizon.index(from_date))
    last = horizon.size - 1 if to_date is None else min(horizon.size - 1, horizon.index(to_date))
    limit = Limit(
        rule=rule_id, unit=unit, limit=shown, allowed=math.floor(exact), first=first, last=last,
        enforced=enforced, loads=[0] * horizon.size,
    )
    limit.advance()  # a cap of 0 is full from the start
    return limit
