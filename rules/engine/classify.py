"""Classification: what the enabled rule rows make of each cluster, derived by durable_rules.

``classify`` compiles the rows into a durable_rules ruleset, built from data with a unique name
for every session (rules/engine/durable/host.py; one session per shard of 2,000 clusters), and lets the
engine fire; ``classify_plain`` evaluates the same rows with ``Condition.matches``. Both end in
``classification_of``, so the equivalence test (tests/engine/test_engine_equivalence.py) compares what each
evaluator decided, not two copies of the bookkeeping.

The chain runs in phases, each started by a phase fact once nothing is left to fire, so that no
result depends on firing order:

1. cluster facts are asserted; every ``exclude`` row fires on its matches, which derive
   ``excluded`` facts;
2. phase 0: every other row fires on its matches that no ``excluded`` fact names (its members);
3. one phase per ``priority`` / ``rolling`` row, top to bottom: the row fires on its members
   that no ``first`` fact of its kind claims yet, and claims them (the first matching row wins).
   A ``$not`` never joins a fact with itself, and a pattern holds at most 31 expressions, so
   "no earlier row matches" is a claim fact rather than the earlier rows' conditions negated.

A row with more condition cells than one pattern holds is split into groups whose ``part`` facts
(derived while the clusters are asserted, before any phase) the row then joins.
"""
from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from rules.engine.attributes import cluster_attributes
from rules.engine.classification import Classification, ClusterClass
from rules.engine.durable.compile import Keys, attribute_fact, attribute_keys, cluster_patterns, row_matches
from rules.engine.durable.host import SHARD, host
from rules.engine.violations import find_violations, find_violations_plain
from rules.contract import ROLLING_PERCENT, TIER
from rules.model import Rule, Workbook

__all__ = ["classification_of", "classify", "classify_plain", "find_violations", "find_violations_plain"]

_NOT_EXCLUDED = {"x$not": {"$and": [{"t": "x"}, {"c": {"m": "c"}}]}}


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


def classify(workbook: Workbook) -> Classification:
    """The classification, derived by durable_rules."""
    rules = enabled_rules(workbook)
    attributes = attributes_of(workbook)
    return classification_of(rules, attributes, _engine_matches(rules, attributes))


def classify_plain(workbook: Workbook) -> Classification:
    """The same classification, evaluated in plain Python."""
    rules = enabled_rules(workbook)
    attributes = attributes_of(workbook)
    return classification_of(rules, attributes, _plain_matches(rules, attributes))


def _plain_matches(rules: list[Rule], attributes: dict[str, dict[str, Any]]) -> Matches:
    matches = Matches()
    excluded = {
        name for rule in rules if rule.roles.excludes
        for name, attrs in attributes.items() if row_matches(rule, attrs)
    }
    for rule in rules:
        members = {
            name for name, attrs in attributes.items()
            if (rule.roles.excludes or name not in excluded) and row_matches(rule, attrs)
        }
        matches.members[rule.id] = members
        if rule.roles.decides:
            for name in members:
                matches.first.setdefault((rule.roles.decides, name), rule.id)
    return matches


def _engine_matches(rules: list[Rule], attributes: dict[str, dict[str, Any]]) -> Matches:
    keys = attribute_keys(rules)
    matches = Matches(members={rule.id: set() for rule in rules})
    definition, actions, phases = _ruleset(rules, keys, matches)
    names = sorted(attributes)
    # Every rule concerns one cluster at a time, so the fleet is classified in shards: the
    # engine's fixed 512-bucket indexes stay short and only one shard's facts are held at once.
    for start in range(0, len(names), SHARD):
        with host().session(definition, actions) as session:
            session.assert_facts([{"t": "c", "c": name, **attribute_fact(attributes[name], keys)}
                                  for name in names[start:start + SHARD]])
            for phase in range(phases):  # each once nothing is left to fire
                session.assert_facts([{"t": "phase", "n": phase}])
    return matches


def _ruleset(rules: list[Rule], keys: Keys, matches: Matches) -> tuple[dict, dict[str, Callable], int]:
    """The durable_rules rules, their actions, and how many phases to run after the clusters."""
    definition: dict[str, dict] = {}
    actions: dict[str, Callable] = {}
    phases = 1  # phase 0: members; then one phase per priority / rolling row, top to bottom
    for index, rule in enumerate(rules):
        # The cluster pattern comes first: joining many facts into a later pattern that has no
        # equality with the earlier ones (the phase) grows quadratically in the engine.
        cluster = _cluster(index, cluster_patterns(rule, keys), definition, actions)
        if rule.roles.excludes:
            definition[f"x{index}"] = {"all": cluster}
            actions[f"x{index}"] = _excluding(matches.members[rule.id])
            continue
        definition[f"m{index}"] = {"all": [*cluster, _phase(0), _NOT_EXCLUDED]}
        actions[f"m{index}"] = _collecting(matches.members[rule.id])
        if rule.roles.decides:
            decides = rule.roles.decides
            unclaimed = {"f$not": {"$and": [{"t": "first"}, {"k": decides}, {"c": {"m": "c"}}]}}
            definition[f"f{index}"] = {"all": [*cluster, _phase(phases), _NOT_EXCLUDED, unclaimed]}
            actions[f"f{index}"] = _first(matches.first, decides, rule.id)
            phases += 1
    return definition, actions, phases


def _cluster(index: int, groups: list[dict], definition: dict, actions: dict) -> list[dict]:
    """The patterns that match a cluster to row ``index``. A row too big for one pattern is
    split: each group of cells derives a ``part`` fact, and the row joins them on the cluster
    (a pattern cannot join a fact with itself)."""
    if len(groups) == 1:
        return [{"m": groups[0]}]
    parts = []
    for number, group in enumerate(groups):
        definition[f"g{index}_{number}"] = {"all": [{"m": group}]}
        actions[f"g{index}_{number}"] = _parting(index, number)
        parts.append({f"g{number}": {"$and": [{"t": "part"}, {"r": index}, {"g": number},
                                             {"c": {"m": "c"}}]}})
    return [{"m": {"t": "c"}}, *parts]


def _parting(index: int, number: int) -> Callable:
    def action(found: list[dict]) -> list[dict]:
        return [{"t": "part", "r": index, "g": number, "c": match["m"]["c"]} for match in found]
    return action


def _phase(number: int) -> dict:
    return {"p": {"$and": [{"t": "phase"}, {"n": number}]}}


def _excluding(members: set[str]) -> Callable:
    def action(found: list[dict]) -> list[dict]:
        names = [match["m"]["c"] for match in found]
        members.update(names)
        return [{"t": "x", "c": name} for name in names]
    return action


def _collecting(members: set[str]) -> Callable:
    def action(found: list[dict]) -> None:
        members.update(match["m"]["c"] for match in found)
    return action


def _first(first: dict[tuple[str, str], str], decides: str, rule_id: str) -> Callable:
    def action(found: list[dict]) -> list[dict]:
        names = [match["m"]["c"] for match in found]
        for name in names:
            first[(decides, name)] = rule_id
        return [{"t": "first", "k": decides, "c": name} for name in names]
    return action


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
