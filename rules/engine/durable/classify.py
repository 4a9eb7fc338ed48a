"""Classification by durable_rules: the rule rows compiled into one ruleset, fired per shard.

The ruleset is built from data with a unique name for every session (rules/engine/durable/host.py;
one session per shard of 2,000 clusters). The chain runs in phases, each started by a phase fact
once nothing is left to fire, so that no result depends on firing order:

1. cluster facts are asserted; every excluding row fires on its matches, which derive
   ``excluded`` facts;
2. phase 0: every other row fires on its matches that no ``excluded`` fact names (its members);
3. one phase per deciding row (``priority``, ``rolling``), top to bottom: the row fires on its
   members that no ``first`` fact of what it decides claims yet, and claims them (the first
   matching row wins). A ``$not`` never joins a fact with itself, and a pattern holds at most 31
   expressions, so "no earlier row matches" is a claim fact rather than the earlier rows'
   conditions negated.

A row with more condition cells than one pattern holds is split into groups whose ``part`` facts
(derived while the clusters are asserted, before any phase) the row then joins.
"""
from __future__ import annotations

from collections.abc import Callable
from typing import Any

from rules.engine.classify import Matches
from rules.engine.durable.compile import Keys, attribute_fact, attribute_keys, cluster_patterns
from rules.engine.durable.host import SHARD, host
from rules.model import Rule

_NOT_EXCLUDED = {"x$not": {"$and": [{"t": "x"}, {"c": {"m": "c"}}]}}


def matches(rules: list[Rule], attributes: dict[str, dict[str, Any]]) -> Matches:
    """What the rows decide about the clusters (``attributes``: cluster -> its attributes)."""
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
