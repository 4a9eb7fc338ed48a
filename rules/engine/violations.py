"""Violations of a proposed schedule, found by durable_rules rules compiled from the rule rows.

``find_violations`` asserts facts that describe the schedule (each limit's peak load per campaign
day, per-cluster progress, the ``after`` gates, unscheduled clusters) and
lets one rule per rule row fire; ``find_violations_plain`` checks the same facts in plain Python.
Both word their findings with ``engine_schedule.violations``, so they agree byte for byte.
"""
from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable
from typing import Any

from rules.engine.classification import RULE, Classification, LoadFact, Violation, WindowFact
from rules.engine.durable.compile import all_of, any_of
from rules.engine.durable.host import SHARD, host
from rules.engine.schedule import Found, Schedule, describe, limit_rules, violations
from rules.model import Rule, Workbook

_OVER = {"$gt": {"amount": {"$m": "limit"}}}


def find_violations(workbook: Workbook, classification: Classification, loads: Iterable[LoadFact],
                    windows: Iterable[WindowFact], unscheduled: Iterable[Any]) -> list[Violation]:
    """Every broken rule of the proposed schedule, found by durable_rules."""
    schedule = describe(workbook, classification, loads, windows, unscheduled)
    found = Found()
    definition, actions = _ruleset(schedule, found)
    names = sorted(schedule.progress)
    # Window rules concern one cluster at a time (the gates are copied into every shard).
    for start in range(0, max(len(names), 1), SHARD):
        facts = _schedule_facts(schedule) if start == 0 else []
        facts += _gate_facts(schedule) + _progress_facts(schedule, names[start:start + SHARD])
        with host().session(definition, actions) as session:
            session.assert_facts(facts)
    return violations(schedule, found)


def find_violations_plain(workbook: Workbook, classification: Classification,
                          loads: Iterable[LoadFact], windows: Iterable[WindowFact],
                          unscheduled: Iterable[Any]) -> list[Violation]:
    """The same violations, checked in plain Python."""
    schedule = describe(workbook, classification, loads, windows, unscheduled)
    found = Found()
    limits = {r.id: r for r in limit_rules(schedule)}
    fleet = {cap.setting for cap in workbook.fleet_caps}
    for index, load in enumerate(schedule.loads):
        if load.source == RULE:
            applies = load.rule in limits and limits[load.rule].applies_on(load.date)
        else:
            applies = load.source in fleet
        if applies and load.amount > load.limit:
            found.over.add(index)
    for name, progress in schedule.progress.items():
        for rule_id in schedule.memberships.get(name, ()):
            rule = schedule.rules[rule_id]
            if rule.kind == "after":
                ready = schedule.gates[rule_id].ready(name)
                broken = ready is not None and progress.start < ready[0]
            elif rule.kind == "blackout":
                broken = any(rule.applies_on(day) for day in progress.days)
            else:
                broken = any(not rule.applies_on(day) for day in progress.days)
            if broken:
                found.windows.add((rule_id, name))
        if progress.days[-1] > workbook.settings.deadline:
            found.late.add(name)
    found.unplaced.update(range(len(schedule.unplaced)))
    return violations(schedule, found)


def _schedule_facts(schedule: Schedule) -> list[dict]:
    """Loads (a rule's carry its id, a fleet cap's only its setting) and unscheduled clusters."""
    facts: list[dict] = [
        {"t": "load", "i": index, "src": f.source, "day": f.date.toordinal(), "amount": f.amount,
         "limit": f.limit, **({"r": f.rule} if f.rule is not None else {})}
        for index, f in enumerate(schedule.loads)
    ]
    facts += [{"t": "u", "i": index} for index in range(len(schedule.unplaced))]
    return facts


def _gate_facts(schedule: Schedule) -> list[dict]:
    facts = []
    for rule_id, gate in sorted(schedule.gates.items()):
        if gate.ends:
            fact = {"t": "gate", "r": rule_id, "by": gate.ends[0][1], "ready": gate.ready_at(0)}
            if len(gate.ends) > 1:
                fact["ready2"] = gate.ready_at(1)
            facts.append(fact)
    return facts


def _progress_facts(schedule: Schedule, names: list[str]) -> list[dict]:
    facts = []
    for name in names:
        progress = schedule.progress[name]
        fact = {"t": "w", "c": name, "days": [d.toordinal() for d in progress.days],
                "first": progress.start, "last": progress.days[-1].toordinal()}
        if schedule.memberships.get(name):
            fact["rules"] = list(schedule.memberships[name])
        facts.append(fact)
    return facts


def _ruleset(schedule: Schedule, found: Found) -> tuple[dict, dict[str, Callable]]:
    definition: dict[str, dict] = {}
    actions: dict[str, Callable] = {}

    def add(name: str, patterns: list[dict], action: Callable) -> None:
        definition[name] = {"all": patterns}
        actions[name] = action

    for index, cap in enumerate(schedule.workbook.fleet_caps):
        add(f"fleet{index}", [{"l": all_of([{"t": "load"}, {"src": cap.setting}, _OVER])}],
            _over(found))
    for index, rule in enumerate(limit_rules(schedule)):
        over = all_of([{"t": "load"}, {"src": RULE}, {"r": rule.id}, *_dates("day", rule), _OVER])
        add(f"load{index}", [{"l": over}], _over(found))
    for index, rule in enumerate(schedule.rules.values()):
        member = [{"t": "w"}, {"$iany": {"rules": {"$i": rule.id}}}]
        if rule.kind == "blackout":
            add(f"blackout{index}", [{"w": all_of([*member, _some_day_within(rule)])}], _window(found, rule))
        elif rule.kind == "between" and (rule.from_date or rule.to_date):
            add(f"between{index}", [{"w": all_of([*member, _some_day_outside(rule)])}], _window(found, rule))
        elif rule.kind == "after":
            # The many window facts come first: a join on a later, unkeyed pattern grows
            # quadratically in the engine.
            # Clusters wait for the latest prerequisite end, except that one itself; everyone
            # waits at least for the second latest, which is all the latest one waits for.
            early = {"$gt": {"ready": {"w": "first"}}}
            others = all_of([{"t": "gate"}, {"r": rule.id}, {"$neq": {"by": {"w": "c"}}}, early])
            second = all_of([{"t": "gate"}, {"r": rule.id}, {"$gt": {"ready2": {"w": "first"}}}])
            add(f"after{index}", [{"w": all_of(member)}, {"g": others}], _window(found, rule))
            add(f"after{index}b", [{"w": all_of(member)}, {"g": second}], _window(found, rule))
    deadline = schedule.workbook.settings.deadline.toordinal()
    add("deadline", [{"w": {"$and": [{"t": "w"}, {"$gt": {"last": deadline}}]}}], _late(found))
    add("unscheduled", [{"u": {"t": "u"}}], _unplaced(found))
    return definition, actions


def _dates(prop: str, rule: Rule) -> list[dict]:
    return ([{"$gte": {prop: rule.from_date.toordinal()}}] if rule.from_date else []) + (
        [{"$lte": {prop: rule.to_date.toordinal()}}] if rule.to_date else [])


def _some_day_within(rule: Rule) -> dict:
    # An $and inside $iany is safe when its last member compares with a literal (see engine_compile).
    within = [{"$gte": {"$i": rule.from_date.toordinal()}}] if rule.from_date else []
    within += [{"$lte": {"$i": rule.to_date.toordinal()}}] if rule.to_date else []
    return {"$iany": {"days": all_of(within)}} if within else {"$ex": {"days": 1}}


def _some_day_outside(rule: Rule) -> dict:
    outside = [{"$iany": {"days": {"$lt": {"$i": rule.from_date.toordinal()}}}}] if rule.from_date else []
    outside += [{"$iany": {"days": {"$gt": {"$i": rule.to_date.toordinal()}}}}] if rule.to_date else []
    return any_of(outside)


def _over(found: Found) -> Callable:
    def action(matches: list[dict]) -> None:
        found.over.update(m["l"]["i"] for m in matches)
    return action


def _window(found: Found, rule: Rule) -> Callable:
    def action(matches: list[dict]) -> None:
        found.windows.update((rule.id, m["w"]["c"]) for m in matches)
    return action


def _late(found: Found) -> Callable:
    def action(matches: list[dict]) -> None:
        found.late.update(m["w"]["c"] for m in matches)
    return action


def _unplaced(found: Found) -> Callable:
    def action(matches: list[dict]) -> None:
        found.unplaced.update(m["u"]["i"] for m in matches)
    return action
