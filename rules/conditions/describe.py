"""A condition in plain words for violation messages: ``nodes > 400``, ``geo is EU or US``."""
from __future__ import annotations

import datetime as dt

from .condition import Condition
from .errors import ConditionError
from .nodes import AnyOf, Compare, Not, OneOf, Range
from .parser import Literal, parse_syntax
from .values import coerce, format_number


def describe(condition: Condition) -> str:
    """The condition as a short phrase, text values spelt as the planner typed them."""
    say = _Speller(condition)
    test = condition.test
    if not isinstance(test, Not):
        return _phrase(condition, test, say)
    inner = test.test
    if not isinstance(inner, OneOf):
        return f"not ({_phrase(condition, inner, say)})"
    verb = "do not include" if condition.kind == "list" else "is not"
    if len(inner.values) > 1:
        verb = "include none of" if condition.kind == "list" else "is none of"
    return f"{condition.attribute} {verb} {', '.join(say(v) for v in inner.values)}"


def _phrase(condition: Condition, test, say: "_Speller") -> str:
    name = condition.attribute
    if isinstance(test, OneOf):
        words = [say(value) for value in test.values]
        either = words[0] if len(words) == 1 else f"{', '.join(words[:-1])} or {words[-1]}"
        return f"{name} {'include' if condition.kind == 'list' else 'is'} {either}"
    if isinstance(test, Compare):
        return f"{name} {test.op} {say(test.value)}"
    if isinstance(test, Range):
        if test.low_closed and test.high_closed:
            return f"{name} is {say(test.low)} to {say(test.high)}"
        low = ">=" if test.low_closed else ">"
        high = "<=" if test.high_closed else "<"
        return f"{name} {low} {say(test.low)} and {high} {say(test.high)}"
    if isinstance(test, AnyOf):
        return " or ".join(_phrase(condition, part, say) for part in test.tests)
    raise TypeError(f"not a condition node: {test!r}")


class _Speller:
    """Values as text; text values in the spelling of the cell, not casefolded."""

    def __init__(self, condition: Condition):
        self.typed: dict[str, str] = {}
        if condition.kind in ("text", "list"):
            try:
                items = parse_syntax(condition.source).items
            except ConditionError:  # a typed (non-text) cell renders as its own source
                items = ()
            for item in items:
                if isinstance(item, Literal):
                    self.typed.setdefault(coerce(item.token.text, "text"), " ".join(item.token.text.split()))

    def __call__(self, value) -> str:
        if isinstance(value, bool):
            return "yes" if value else "no"
        if isinstance(value, float):
            return format_number(value)
        if isinstance(value, dt.date):
            return value.isoformat()
        return self.typed.get(value, value)
