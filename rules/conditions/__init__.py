"""The condition language of the Rules tab: DMN-style unary tests on one cluster attribute.

``parse(cell, attribute, kind) -> Condition | None`` reads a cell (None for blank or ``-``);
``Condition.matches(value)`` evaluates it; ``coerce(value, kind)`` normalises attribute values
the same way for every evaluator (this one and the durable_rules engine); ``describe(condition)``
says it in words for messages (``nodes > 400``, ``geo is EU or US``).

Cells: ``EU`` or ``"EU"`` (equals, case-insensitive); ``EU, US`` (any of); ``not EU, US`` or
``not(EU, US)`` (none of); ``< 400``, ``<= 400``, ``> 400``, ``>= 400``; ranges ``100..400``
(inclusive), ``[100..400]``, ``[100..400)``, ``(100..400]``, ``(100..400)``, ``]100..400[``;
numbers, ISO dates, yes/no. A list may mix tests: ``< 10, 50..60``. Quotes (curly ones are
straightened) keep commas and keywords in a value: ``"not applicable"``. ``not (`` opens a group,
so ``not (100..400)`` excludes 100 and 400 too; write ``not ]100..400[`` for the open range.

Kinds: text, number, date, bool, list (a list attribute such as ``services`` matches a positive
test when any item does, and a ``not`` test when no item passes the inner test; its literals are
text). A value ``coerce`` cannot read in the kind (None) passes no positive test.

The AST the engine translates node by node (frozen dataclasses, literals already coerced: text
casefolded, numbers float, dates ``datetime.date``, yes/no bool):

- ``OneOf(values)``: equal to one of the values (plain equality is a OneOf of one);
- ``Compare(op, value)``: op in ``<``, ``<=``, ``>``, ``>=``;
- ``Range(low, high, low_closed, high_closed)``;
- ``AnyOf(tests)``: any of several OneOf/Compare/Range (only when a list mixes comparisons);
- ``Not(test)``: only ever at the root.

Errors: ``ConditionError`` (``.text``, ``.position`` 0-based in the stripped cell text,
``.message``, ``.hint``, ``.suggestion``) and its subclasses ``ConditionSyntaxError``,
``ConditionTypeError`` and ``FormulaError``; ``str(err)`` is a sentence for a planner.
"""
from .condition import Condition, parse
from .describe import describe
from .errors import ConditionError, ConditionSyntaxError, ConditionTypeError, FormulaError
from .nodes import COMPARISONS, AnyOf, Compare, Node, Not, OneOf, Range
from .values import KINDS, coerce

__all__ = [
    "AnyOf", "COMPARISONS", "Compare", "Condition", "ConditionError", "ConditionSyntaxError",
    "ConditionTypeError", "FormulaError", "KINDS", "Node", "Not", "OneOf", "Range", "coerce",
    "describe", "parse",
]
