"""Classification: what the enabled rule rows make of each cluster.

An evaluator (rules/engine/evaluators.py) decides each rule's members and the first matching row
of the deciding kinds (``Matches``); ``classification_of`` turns that into the Classification, so
the equivalence test (tests/engine/test_engine_equivalence.py) compares what each evaluator
decided, not two copies of the bookkeeping.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from rules.contract import ROLLING_PERCENT, TIER
from rules.engine.attributes import cluster_attributes
from rules.engine.classification import Classification, ClusterClass
from rules.model import Rule, Workbook


@dataclass
class Matches:
    """What an evaluator decided: each rule's members, and the first matching row of the kinds
    that decide something (a tier, a rolling percent)."""

    members: dict[str, set[str]] = field(default_factory=dict)  # rule id -> clusters
    first: dict[tuple[str, str], str] = field(default_factory=dict)  # (decides, cluster) -> rule id


def enabled_rules(workbook: Workbook) -> list[Rule]:
    """The rows that count, in sheet order."""
    return sorted((r for r in workbook.rules if r.enabled), key=lambda r: r.row)


def attributes_of(workbook: Workbook) -> dict[str, dict[str, Any]]:
    return {
        c.name: cluster_attributes(c, workbook.region(c.region), workbook.settings)
        for c in workbook.clusters
    }


def classification_of(rules: list[Rule], attributes: dict[str, dict[str, Any]], matches: Matches) -> Classification:
    """The Classification both evaluators return, from what they decided."""
    by_id = {rule.id: rule for rule in rules}
    of_cluster: dict[str, list[Rule]] = {name: [] for name in attributes}
    for rule in rules:  # sheet order
        for name in matches.members[rule.id]:
            of_cluster[name].append(rule)
    classes = {}
    for name in sorted(attributes):
        mine = of_cluster[name]
        tier_rule = matches.first.get((TIER, name))
        rolling_rule = matches.first.get((ROLLING_PERCENT, name))
        classes[name] = ClusterClass(
            cluster=name,
            size=attributes[name]["size"],
            excluded_by=tuple(r.id for r in mine if r.roles.excludes),
            tier=int(by_id[tier_rule].value) if tier_rule else None,
            tier_rule=tier_rule,
            spread=tuple(
                (r.id, str(r.value), attributes[name].get(str(r.value).strip().lower()))
                for r in mine if r.roles.spreads
            ),
            rolling_percent=float(by_id[rolling_rule].value) if rolling_rule else None,
            rolling_rule=rolling_rule,
            after=tuple(r.id for r in mine if r.roles.waits),
            constraints=tuple(r.id for r in mine if r.roles.constrains),
        )
    members = {rule.id: tuple(sorted(matches.members[rule.id])) for rule in rules}
    return Classification(clusters=classes, members=dict(sorted(members.items())))
