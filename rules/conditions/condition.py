"""A parsed condition cell, and ``parse``: from a raw cell value to a checked Condition."""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from .build import build
from .errors import ConditionError, ConditionTypeError, FormulaError
from .nodes import Node, Not, OneOf
from .parser import parse_syntax
from .values import KINDS, coerce, straighten


@dataclass(frozen=True)
class Condition:
    """One condition cell of a rule row: ``attribute`` tested by ``test`` in ``kind``."""

    attribute: str
    kind: str  # resolved: text, number, date, bool or list
    test: Node
    source: str  # the cell as typed (stripped), or a rendering of a non-text cell

    def matches(self, value) -> bool:
        """Whether an attribute value passes; a list passes a positive test when any item does,
        and a ``not`` test when no item passes the inner test (the empty list passes ``not``)."""
        coerced = coerce(value, self.kind)
        if self.kind != "list":
            return self.test.accepts(coerced)
        if isinstance(self.test, Not):
            return not any(self.test.test.accepts(item) for item in coerced)
        return any(self.test.accepts(item) for item in coerced)


def parse(cell, attribute: str, kind: str | None) -> Condition | None:
    """The condition in a Rules cell, or None when the cell is blank or ``-`` (any value matches).

    ``kind`` is the attribute's type (``rules.engine.attributes.ATTRIBUTE_TYPES``, "text" for the other
    known attributes) or None for an extra column, whose kind is then inferred from the literals.
    Raises a ConditionError subclass when the cell cannot be read.
    """
    if kind is not None and kind not in KINDS:
        raise ValueError(f"unknown condition kind {kind!r}; expected one of {', '.join(KINDS)}")
    if cell is None:
        return None
    if not isinstance(cell, str):
        return _equality(cell, attribute, kind)
    text = cell.strip()
    if not text or straighten(text) == "-":
        return None
    try:
        return _parse_text(text, attribute, kind)
    except ConditionError as error:
        raise _vetted(error, attribute, kind) from None


def _parse_text(text: str, attribute: str, kind: str | None) -> Condition:
    if text.startswith("=") and not text.startswith(("=<", "=>")):
        raise FormulaError("a formula, not a test,", text, 0, _without_equals(text, attribute, kind),
                           'type the value without "="')
    resolved, test = build(parse_syntax(text), text, attribute, kind)
    return Condition(attribute, resolved, test, text)


def _vetted(error: ConditionError, attribute: str, kind: str | None) -> ConditionError:
    """The error, its suggestion dropped unless it gets past the problem: a planner who follows
    a suggestion must not meet the same error, or a new one at or before it."""
    if error.suggestion is None:
        return error
    try:
        _parse_text(error.suggestion, attribute, kind)
    except ConditionError as again:
        if again.position <= error.position:
            return type(error)(error.message, error.text, error.position, None, error.hint)
    return error


def _equality(cell, attribute: str, kind: str | None) -> Condition:
    """A typed cell (a number, a date, a checkbox) is an equality test on that value."""
    if kind is None:
        kind = ("bool" if isinstance(cell, bool) else "date" if isinstance(cell, dt.date)
                else "number" if isinstance(cell, (int, float)) else "text")
    source = coerce(cell, "text") or str(cell)
    value = coerce(cell, "text" if kind == "list" else kind)
    if value is None:
        raise ConditionTypeError(f'"{source}" does not fit "{attribute}", which holds '
                                 f'{ {"number": "numbers", "date": "dates", "bool": "yes/no"}[kind] }',
                                 source, 0)
    return Condition(attribute, kind, OneOf((value,)), source)


def _without_equals(text: str, attribute: str, kind: str | None) -> str | None:
    """The cell without its leading "=", when that is a valid test (``=400``, not ``=SUM(A1)``)."""
    rest = text.lstrip("=").strip()
    try:
        return rest if rest and rest != "-" and _parse_text(rest, attribute, kind) else None
    except ConditionError:
        return None
