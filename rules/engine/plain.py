"""The plain-Python evaluator of the rule rows: each row's conditions tested with
``Condition.matches``, each violation checked with a loop. The durable_rules evaluator's twin
(tests/engine/test_engine_equivalence.py compares them); both return what they decided, and
rules/engine/classify.py and rules/engine/facts.py make the same Classification and words of it.
"""
from __future__ import annotations

from typing import Any

from rules.contract import NEVER
from rules.engine.classify import Matches
from rules.engine.facts import Found, ScheduleFacts, limit_rules
from rules.model import Rule
from rules.plan.document import RULE


def row_matches(rule: Rule, attributes: dict[str, Any]) -> bool:
    """Every condition cell of the row passes (AND across columns)."""
    return all(cond.matches(attributes.get(attr)) for attr, cond in rule.conditions)


def matches(rules: list[Rule], attributes: dict[str, dict[str, Any]]) -> Matches:
    """What the rows decide about the clusters (``attributes``: cluster -> its attributes)."""
    out = Matches()
    excluded = {
        name for rule in rules if rule.roles.excludes
        for name, attrs in attributes.items() if row_matches(rule, attrs)
    }
    for rule in rules:
        members = {
            name for name, attrs in attributes.items()
            if (rule.roles.excludes or name not in excluded) and row_matches(rule, attrs)
        }
        out.members[rule.id] = members
        if rule.roles.decides:
            for name in members:
                out.first.setdefault((rule.roles.decides, name), rule.id)
    return out


def found(schedule: ScheduleFacts) -> Found:
    """What the schedule breaks: loads over their limit, windows a rule forbids, late clusters."""
    out = Found()
    limits = {r.id: r for r in limit_rules(schedule)}
    fleet = {cap.setting for cap in schedule.workbook.fleet_caps}
    for index, load in enumerate(schedule.loads):
        if load.source == RULE:
            applies = load.rule in limits and limits[load.rule].applies_on(load.date)
        else:
            applies = load.source in fleet
        if applies and load.amount > load.limit:
            out.over.add(index)
    for name, progress in schedule.progress.items():
        for rule_id in schedule.memberships.get(name, ()):
            rule = schedule.rules[rule_id]
            if rule.roles.waits:
                ready = schedule.gates[rule_id].ready(name)
                broken = ready is not None and progress.start < ready[0]
            elif rule.roles.days == NEVER:
                broken = any(rule.applies_on(day) for day in progress.days)
            else:
                broken = any(not rule.applies_on(day) for day in progress.days)
            if broken:
                out.windows.add((rule_id, name))
        if progress.days[-1] > schedule.workbook.settings.deadline:
            out.late.add(name)
    out.unscheduled.update(range(len(schedule.unscheduled)))
    return out
