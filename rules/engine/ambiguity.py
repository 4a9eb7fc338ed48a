"""Rule rows that may not mean what they seem: flagged as warnings, never guessed.

A condition value that no cluster has but one close to it (``geo`` = ``USA``, ``sku`` = ``GB20O``
with a letter O) leaves the row matching less than the planner thinks, silently: an exclude with
``not H100, H200, GB20O`` drops every GB200 cluster. Each such value is a warning naming the
values that exist and the closest; so is each enabled row whose conditions match no cluster.
A value with no close one among the fleet's (an SKU not bought yet) is taken as meant.
Pure: the validated workbook in, warnings (``Violation``) out, in rule order.
"""
from __future__ import annotations

import re

from rules.conditions.nodes import AnyOf, Node, Not, OneOf
from rules.conditions.values import coerce
from rules.engine.attributes import cluster_attributes
from rules.model import Rule, Workbook
from rules.plan.document import Violation
from rules.suggest import closest

WARNING = "warning"
_SHOWN_VALUES = 12  # values listed in a message; more are counted


def ambiguities(workbook: Workbook) -> list[Violation]:
    """A warning per condition value no cluster has, and per enabled row matching no cluster."""
    regions = {r.name.lower(): r for r in workbook.regions}
    fleet = [cluster_attributes(c, regions[c.region.lower()], workbook.settings)
             for c in workbook.clusters]
    found: list[Violation] = []
    for rule in workbook.rules:
        if not rule.enabled or not rule.conditions:
            continue
        unknown = [_unknown_value(rule, attribute, condition, fleet)
                   for attribute, condition in rule.conditions]
        unknown = [v for v in unknown if v is not None]
        found.extend(unknown)
        if not unknown and not any(_matches(rule, attrs) for attrs in fleet):
            found.append(Violation(
                rule.id, WARNING,
                f'rule "{rule.id}" matches no cluster: check its conditions '
                f"({', '.join(f'{a} {c.source}' for a, c in rule.conditions)})", rule.cell))
    return found


def _matches(rule: Rule, attrs: dict) -> bool:
    return all(condition.matches(attrs.get(attribute)) for attribute, condition in rule.conditions)


def _unknown_value(rule: Rule, attribute: str, condition, fleet: list[dict]) -> Violation | None:
    """The warning for the first value of a text or list condition that no cluster has."""
    if condition.kind not in ("text", "list"):
        return None
    spelled = {}
    for attrs in fleet:
        for value in coerce(attrs.get(attribute), "list"):
            spelled.setdefault(value, _as_shown(attrs.get(attribute), value))
    literals = _literals(condition.test)
    values = sorted(set(spelled.values()), key=str.lower)
    for value in literals:
        typed = _typed(value, condition.source)
        meant = closest(typed, values)
        # A value the fleet lacks is often policy (an SKU not bought yet); one close to a value
        # the row does not name is a slip of the finger.
        if value in spelled or meant is None or coerce(meant, "text") in literals:
            continue
        listed = ", ".join(values[:_SHOWN_VALUES]) + (
            f" and {len(values) - _SHOWN_VALUES} more" if len(values) > _SHOWN_VALUES else "")
        return Violation(
            rule.id, WARNING,
            f'rule "{rule.id}": no cluster has {attribute} "{typed}", so that value matches '
            f'nothing (the values are {listed}): did you mean "{meant}"?', rule.cell)
    return None


def _literals(node: Node) -> tuple[str, ...]:
    if isinstance(node, Not):
        return _literals(node.test)
    if isinstance(node, AnyOf):
        return tuple(v for test in node.tests for v in _literals(test))
    if isinstance(node, OneOf):
        return tuple(v for v in node.values if isinstance(v, str))
    return ()


def _as_shown(raw, value: str) -> str:
    """A cluster's value as the sheet spells it (``H100``, not the compared ``h100``)."""
    items = raw.split(",") if isinstance(raw, str) else raw if isinstance(raw, (list, tuple)) else [raw]
    return next((str(item).strip() for item in items if coerce(item, "text") == value), value)


def _typed(value: str, source: str) -> str:
    found = re.search(re.escape(value).replace(r"\ ", r"\s+"), source, re.IGNORECASE)
    return found.group() if found else value
