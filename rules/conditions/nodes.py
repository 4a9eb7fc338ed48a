"""The syntax tree of a condition: public frozen dataclasses, literal values already coerced.

Each node answers ``accepts(x)`` for one value already read with ``coerce`` in the condition's
kind (for a list attribute: one item). None (an unreadable or blank value) is accepted by no
positive test; ``Not`` accepts whatever its inner test does not.
"""
from __future__ import annotations

import operator
from dataclasses import dataclass
from typing import Any, Union

_ORDER = {"<": operator.lt, "<=": operator.le, ">": operator.gt, ">=": operator.ge}
COMPARISONS = tuple(_ORDER)


@dataclass(frozen=True)
class OneOf:
    """Equal to one of ``values`` (plain equality is a OneOf of one value)."""

    values: tuple[Any, ...]

    def accepts(self, x) -> bool:
        return x is not None and x in self.values


@dataclass(frozen=True)
class Compare:
    """``x <op> value`` with op one of ``<``, ``<=``, ``>``, ``>=`` (numbers or dates)."""

    op: str
    value: Any

    def accepts(self, x) -> bool:
        return x is not None and _ORDER[self.op](x, self.value)


@dataclass(frozen=True)
class Range:
    """``low .. high``; each end is included when its ``*_closed`` flag is set."""

    low: Any
    high: Any
    low_closed: bool = True
    high_closed: bool = True

    def accepts(self, x) -> bool:
        if x is None:
            return False
        above = x >= self.low if self.low_closed else x > self.low
        below = x <= self.high if self.high_closed else x < self.high
        return above and below


@dataclass(frozen=True)
class AnyOf:
    """Any of several tests: a list mixing comparisons or ranges (``< 10, 50..60, 99``)."""

    tests: tuple[Union[OneOf, Compare, Range], ...]

    def accepts(self, x) -> bool:
        return any(test.accepts(x) for test in self.tests)


@dataclass(frozen=True)
class Not:
    """None of ``test``: the root of a cell starting with ``not``, never nested deeper."""

    test: Union[OneOf, Compare, Range, AnyOf]

    def accepts(self, x) -> bool:
        return not self.test.accepts(x)


Node = Union[OneOf, Compare, Range, AnyOf, Not]
