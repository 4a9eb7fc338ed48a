"""Rule rows and cluster attributes as durable_rules data: JSON expressions and facts.

A condition cell becomes an expression node by node (``rules.conditions`` AST), over a fact
property holding the attribute read with ``coerce`` in the condition's kind, exactly as the
plain evaluator (``Condition.matches``) reads it:

- text is casefolded, numbers are numbers, dates are ordinals, yes/no are booleans;
- a value ``coerce`` cannot read (None), and an empty list, is left out of the fact: the engine
  then fails every comparison on it, which is what positive tests do; ``not`` tests accept it,
  so they test ``$nex`` (absent) first;
- a list passes a positive test when any item does (``$iany``) and a ``not`` test when no item
  passes the inner one (``$iall`` of the negated test). List items are text, so their tests are
  equalities; each ``$iany`` / ``$iall`` holds exactly one of them, the ``$or`` / ``$and`` outside:
  an ``$or`` directly inside ``$iany`` / ``$iall`` makes ``create_ruleset`` read an uninitialised
  field and fail at random (error 102, rete.c ``createAlpha`` / ``createForwardAlpha``).
"""
from __future__ import annotations

import datetime as dt
import functools
from collections.abc import Iterable
from typing import Any

from rules.conditions import AnyOf, Compare, Condition, Node, Not, OneOf, Range, coerce
from rules.model import Rule

_FLIP = {"<": "$gte", "<=": "$gt", ">": "$lte", ">=": "$lt"}
_OPS = {"<": "$lt", "<=": "$lte", ">": "$gt", ">=": "$gte"}
# Facts hold at most 255 properties (MAX_OBJECT_PROPERTIES), a few of them ours.
MAX_KEYS = 240
# A pattern holds at most 31 expressions (MAX_SEQUENCE_EXPRESSIONS - 1).
MAX_SLOTS = 31

Keys = dict[tuple[str, str], str]  # (attribute, kind) -> fact property


class TooComplexError(ValueError):
    """The rule rows need more than the engine can hold; the message is for planners."""

    def __init__(self, message: str, cell: str = "Rules!A1"):
        super().__init__(message)
        self.cell = cell  # where the planner fixes it


def attribute_keys(rules: Iterable[Rule]) -> Keys:
    """A short, safe fact property for every (attribute, kind) the rules test, sorted."""
    pairs = sorted({(attr, cond.kind) for rule in rules for attr, cond in rule.conditions})
    if len(pairs) > MAX_KEYS:
        raise TooComplexError(
            f"the rules test {len(pairs)} attributes, more than the {MAX_KEYS} the rules engine can hold: "
            "remove condition columns that no rule uses"
        )
    return {pair: f"a{index}" for index, pair in enumerate(pairs)}


def fact_value(value: Any, kind: str) -> Any:
    """An attribute value as the engine holds it, or None to leave it out of the fact."""
    if isinstance(value, _SCALARS):  # fleets repeat their values: read each one once
        return _scalar_fact_value(value, kind)
    return _fact_value(value, kind)


_SCALARS = (str, int, float, dt.date, type(None))


@functools.lru_cache(maxsize=4096, typed=True)  # typed: True, 1 and 1.0 read differently
def _scalar_fact_value(value: Any, kind: str) -> Any:
    return _fact_value(value, kind)


def _fact_value(value: Any, kind: str) -> Any:
    coerced = coerce(value, kind)
    if kind == "list":
        return list(coerced) or None
    return _literal(coerced)


def attribute_fact(attributes: dict[str, Any], keys: Keys) -> dict[str, Any]:
    """The properties of a cluster fact that the rules test."""
    fact = {}
    for (attribute, kind), key in keys.items():
        value = fact_value(attributes.get(attribute), kind)
        if value is not None:
            fact[key] = value
    return fact


def _literal(value: Any) -> Any:
    if isinstance(value, dt.date):
        return value.toordinal()
    return value


def row_expressions(rule: Rule, keys: Keys) -> list[dict]:
    """One expression per condition cell of the row (all must hold)."""
    return [condition_expression(cond, keys[(attr, cond.kind)]) for attr, cond in rule.conditions]


def condition_expression(condition: Condition, key: str) -> dict:
    test = condition.test
    absent = {"$nex": {key: 1}}
    if condition.kind == "list":
        if isinstance(test, Not):
            return {"$or": [absent, _no_item(test.test, key)]}
        return _some_item(test, key)
    if isinstance(test, Not):
        return {"$or": [absent, _negated(test.test, key)]}
    return _positive(test, key)


def _list_values(test: Node) -> tuple:
    if not isinstance(test, OneOf):  # the condition language only compares list items for equality
        raise TypeError(f"no engine form for {test!r} on a list")
    return test.values


def _some_item(test: Node, key: str) -> dict:
    """Some item of the (present) list equals one of the values."""
    return any_of([{"$iany": {key: {"$i": value}}} for value in _list_values(test)])


def _no_item(test: Node, key: str) -> dict:
    """No item of the (present, non-empty) list equals any of the values."""
    return all_of([{"$iall": {key: {"$neq": {"$i": value}}}} for value in _list_values(test)])


def _positive(test: Node, key: str) -> dict:
    if isinstance(test, OneOf):
        return any_of([{key: _literal(v)} for v in test.values])
    if isinstance(test, Compare):
        return {_OPS[test.op]: {key: _literal(test.value)}}
    if isinstance(test, Range):
        return all_of([
            {"$gte" if test.low_closed else "$gt": {key: _literal(test.low)}},
            {"$lte" if test.high_closed else "$lt": {key: _literal(test.high)}},
        ])
    if isinstance(test, AnyOf):
        return any_of([_positive(t, key) for t in test.tests])
    raise TypeError(f"no engine form for {test!r}")


def _negated(test: Node, key: str) -> dict:
    """The expression for "not ``test``", for a value that is present."""
    if isinstance(test, OneOf):
        return all_of([{"$neq": {key: _literal(v)}} for v in test.values])
    if isinstance(test, Compare):
        return {_FLIP[test.op]: {key: _literal(test.value)}}
    if isinstance(test, Range):
        return any_of([
            {"$lt" if test.low_closed else "$lte": {key: _literal(test.low)}},
            {"$gt" if test.high_closed else "$gte": {key: _literal(test.high)}},
        ])
    if isinstance(test, AnyOf):
        return all_of([_negated(t, key) for t in test.tests])
    raise TypeError(f"no engine form for {test!r}")


def all_of(expressions: list[dict]) -> dict:
    return _flat("$and", expressions)


def any_of(expressions: list[dict]) -> dict:
    return _flat("$or", expressions)


def _flat(operator: str, expressions: list[dict]) -> dict:
    """One ``operator`` node over the expressions, nested ones of the same operator merged in
    (every ``$and`` / ``$or`` costs two of a pattern's 31 expression slots)."""
    flat: list[dict] = []
    for expression in expressions:
        flat.extend(expression[operator] if set(expression) == {operator} else [expression])
    return flat[0] if len(flat) == 1 else {operator: flat}


def slots(expression: Any) -> int:
    """The expression slots a pattern uses (rete.c ``GET_EXPRESSION`` / ``APPEND_EXPRESSION``):
    two per ``$and`` / ``$or``, one per reference to another pattern's fact."""
    if isinstance(expression, list):
        return sum(slots(e) for e in expression)
    if not isinstance(expression, dict):
        return 0
    used = 0
    for name, value in expression.items():
        if name in ("$and", "$or"):
            used += 2 + slots(value)
        elif not name.startswith("$") and isinstance(value, dict):
            used += 1  # {"property": {"pattern": "property"}}: a join
        else:
            used += slots(value)
    return used


def cluster_patterns(rule: Rule, keys: Keys) -> list[dict]:
    """The row's condition cells as expressions over a cluster fact (``{"t": "c"}`` first), in
    as many groups as the engine's 31-expression budget per pattern needs (usually one)."""
    groups: list[list[dict]] = [[{"t": "c"}]]
    for expression in row_expressions(rule, keys):
        if slots(all_of([*groups[-1], expression])) > MAX_SLOTS:
            groups.append([{"t": "c"}])
        groups[-1].append(expression)
        if slots(all_of(groups[-1])) > MAX_SLOTS:
            raise TooComplexError(
                f"rule {rule.id} ({rule.cell}) has a condition cell with more values than the "
                "rules engine can hold: split the cell's values over two rows",
                rule.cell,
            )
    return [all_of(group) for group in groups]
