"""Violations found by durable_rules: one rule per rule row, fired on facts of the schedule.

``found`` asserts facts that describe the proposed schedule (each limit's peak load per campaign
day, per-cluster progress, the ``after`` gates, unscheduled clusters) and
lets the rules fire; rules/engine/facts.py words what they found.
"""
from __future__ import annotations

from collections.abc import Callable

from rules.contract import NEVER, ONLY
from rules.engine.durable.compile import all_of, any_of
from rules.engine.durable.host import SHARD, host
from rules.engine.facts import Found, ScheduleFacts, limit_rules
from rules.model import Rule
from rules.plan.document import RULE

_OVER = {"$gt": {"amount": {"$m": "limit"}}}


def found(schedule: ScheduleFacts) -> Found:
    """What the schedule breaks, as durable_rules finds it."""
    out = Found()
    definition, actions = _ruleset(schedule, out)
    names = sorted(schedule.progress)
    # Window rules concern one cluster at a time (the gates are copied into every shard).
    for start in range(0, max(len(names), 1), SHARD):
        facts = _schedule_facts(schedule) if start == 0 else []
        facts += _gate_facts(schedule) + _progress_facts(schedule, names[start:start + SHARD])
        with host().session(definition, actions) as session:
            session.assert_facts(facts)
    return out


def _schedule_facts(schedule: ScheduleFacts) -> list[dict]:
    """Loads (a rule's carry its id, a fleet cap's only its setting) and unscheduled clusters."""
    facts: list[dict] = [
        {"t": "load", "i": index, "src": f.source, "day": f.date.toordinal(), "amount": f.amount,
         "limit": f.limit, **({"r": f.rule} if f.rule is not None else {})}
        for index, f in enumerate(schedule.loads)
    ]
    facts += [{"t": "u", "i": index} for index in range(len(schedule.unscheduled))]
    return facts


def _gate_facts(schedule: ScheduleFacts) -> list[dict]:
    facts = []
    for rule_id, gate in sorted(schedule.gates.items()):
        if gate.ends:
            fact = {"t": "gate", "r": rule_id, "by": gate.ends[0][1], "ready": gate.ready_at(0)}
            if len(gate.ends) > 1:
                fact["ready2"] = gate.ready_at(1)
            facts.append(fact)
    return facts


def _progress_facts(schedule: ScheduleFacts, names: list[str]) -> list[dict]:
    facts = []
    for name in names:
        progress = schedule.progress[name]
        fact = {"t": "w", "c": name, "days": [d.toordinal() for d in progress.days],
                "first": progress.start, "last": progress.days[-1].toordinal()}
        if schedule.memberships.get(name):
            fact["rules"] = list(schedule.memberships[name])
        facts.append(fact)
    return facts


def _ruleset(schedule: ScheduleFacts, found: Found) -> tuple[dict, dict[str, Callable]]:
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
        if rule.roles.days == NEVER:
            add(f"blackout{index}", [{"w": all_of([*member, _some_day_within(rule)])}], _window(found, rule))
        elif rule.roles.days == ONLY and (rule.from_date or rule.to_date):
            add(f"between{index}", [{"w": all_of([*member, _some_day_outside(rule)])}], _window(found, rule))
        elif rule.roles.waits:
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
    add("unscheduled", [{"u": {"t": "u"}}], _unscheduled(found))
    return definition, actions


def _dates(prop: str, rule: Rule) -> list[dict]:
    return ([{"$gte": {prop: rule.from_date.toordinal()}}] if rule.from_date else []) + (
        [{"$lte": {prop: rule.to_date.toordinal()}}] if rule.to_date else [])


def _some_day_within(rule: Rule) -> dict:
    # An $and inside $iany is safe when its last member compares with a literal (see rules/engine/durable/compile.py).
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


def _unscheduled(found: Found) -> Callable:
    def action(matches: list[dict]) -> None:
        found.unscheduled.update(m["u"]["i"] for m in matches)
    return action
