"""Syntax tree + attribute kind to the typed AST: every type error is found here, when a rule is
built, never while evaluating."""
from __future__ import annotations

import re

from ..calendar import to_date
from rules.numbers import number_hint
from rules.suggest import closest
from .errors import ConditionTypeError
from .lexer import DATE, NUMBER, replace
from .nodes import AnyOf, Compare, Node, Not, OneOf, Range
from .parser import Comparison, Interval, Literal, Syntax
from .values import BOOL_WORDS, coerce, format_number

ORDERED = ("number", "date")
HOLDS = {"text": "text", "bool": "yes/no", "list": "a list of names", "number": "numbers",
         "date": "dates"}
_NUM = r"[+-]?(?:\d+(?:\.\d+)?|\.\d+)"
_SPAN = re.compile(r"(%s|\d{4}-\d{1,2}-\d{1,2})\s*(?:-|\u2013|\u2014|to)\s*(%s|\d{4}-\d{1,2}-\d{1,2})"
                   % (_NUM, _NUM), re.IGNORECASE)
_LOOKS_NUMERIC = str.maketrans("OoIl", "0011")  # letters typed for digits: 4OO, l00


def build(syntax: Syntax, text: str, attribute: str, kind: str | None) -> tuple[str, Node]:
    """The condition's kind (``kind``, or inferred from the literals when None) and its AST."""
    kind = kind or infer_kind(syntax, text)
    parts: list[Node | None] = []  # None marks where the literals' OneOf goes
    values: list = []
    for item in syntax.items:
        if isinstance(item, Literal):
            value = _value(item, kind, text, attribute)
            if not values:
                parts.append(None)
            if value not in values:
                values.append(value)
        elif isinstance(item, Comparison):
            _require_order(kind, text, attribute, item.op.start, f'"{item.op.text}" compares')
            parts.append(Compare(item.op.text, _value(item.literal, kind, text, attribute)))
        else:
            parts.append(_range(item, kind, text, attribute))
    nodes = tuple(OneOf(tuple(values)) if part is None else part for part in parts)
    test = nodes[0] if len(nodes) == 1 else AnyOf(nodes)
    return kind, Not(test) if syntax.negated else test


def literal_class(literal: Literal) -> str:
    """What a literal looks like on its own: number, date, bool or text."""
    token = literal.token
    if token.kind in ("NUMBER", "DATE"):
        return token.kind.lower()
    return "bool" if token.text.strip().casefold() in BOOL_WORDS else "text"


def infer_kind(syntax: Syntax, text: str) -> str:
    """The kind of a column rules know nothing about, read off the condition's own literals."""
    ordered = [lit for item in syntax.items for lit in _bounds(item)]
    if ordered:
        for literal in ordered:
            if literal_class(literal) in ORDERED:
                return literal_class(literal)
        token = ordered[0].token
        raise ConditionTypeError(f'"{text[token.start:token.end]}" is neither a number nor a date',
                                 text, token.start, None, "only numbers and dates can be compared")
    classes = {literal_class(item) for item in syntax.items}
    return classes.pop() if len(classes) == 1 else "text"


def _bounds(item) -> tuple[Literal, ...]:
    if isinstance(item, Comparison):
        return (item.literal,)
    if isinstance(item, Interval):
        return (item.low, item.high)
    return ()


def _require_order(kind: str, text: str, attribute: str, at: int, what: str) -> None:
    if kind not in ORDERED:
        raise ConditionTypeError(f'{what} numbers or dates, but "{attribute}" holds {HOLDS[kind]}',
                                 text, at)


def _range(item: Interval, kind: str, text: str, attribute: str) -> Range:
    _require_order(kind, text, attribute, item.start, "a range needs")
    classes = {literal_class(item.low), literal_class(item.high)}
    if classes == {"number", "date"}:
        raise ConditionTypeError("the ends of a range differ in type", text, item.high.token.start,
                                 None, "use two numbers or two dates")
    low = _value(item.low, kind, text, attribute)
    high = _value(item.high, kind, text, attribute)
    low_tok, high_tok = item.low.token, item.high.token
    if low > high:
        swapped = (text[:low_tok.start] + text[high_tok.start:high_tok.end]
                   + text[low_tok.end:high_tok.start] + text[low_tok.start:low_tok.end]
                   + text[high_tok.end:])
        raise ConditionTypeError("the range starts after it ends", text, low_tok.start, swapped)
    if low == high and not (item.low_closed and item.high_closed):
        raise ConditionTypeError("the range contains no value", text, item.start,
                                 text[low_tok.start:low_tok.end], "an open end excludes its bound")
    return Range(low, high, item.low_closed, item.high_closed)


def _value(literal: Literal, kind: str, text: str, attribute: str):
    """A literal coerced to the condition's kind (list items are text), or a type error."""
    token = literal.token
    raw = text[token.start:token.end]
    if kind in ("text", "list"):
        return coerce(token.text, "text")
    if kind == "date" and token.kind == "NUMBER":
        day = to_date(token.text)
        raise ConditionTypeError(f'"{raw}" is a number, not a date', text, token.start,
                                 replace(text, token.start, token.end, day.isoformat()) if day else None,
                                 "type dates as YYYY-MM-DD")
    # Blanks between digits could be a thousands separator or a forgotten comma: not guessed.
    spaced = kind == "number" and len(token.text.split()) > 1
    value = None if spaced else coerce(token.text, kind)
    if value is not None:
        return value
    fix = _FIXES[kind](token.text)
    suggestion = replace(text, token.start, token.end, fix) if fix else None
    if kind == "date" and DATE.fullmatch(token.text):
        raise ConditionTypeError(f'"{raw}" is not a calendar date', text, token.start)
    what = {"number": "a number", "date": "a date", "bool": "yes or no"}[kind]
    hint = number_hint(token.text) if kind == "number" else None
    if spaced and coerce(token.text, kind) is not None:
        hint = f"type {format_number(coerce(token.text, kind))} for one number, or separate values with commas"
    if kind == "date" and not fix:
        hint = "type dates as YYYY-MM-DD"
    raise ConditionTypeError(f'"{raw}" is not {what}, and "{attribute}" holds {HOLDS[kind]}',
                             text, token.start, suggestion, hint)


def _number_fix(word: str) -> str | None:
    span = _SPAN.fullmatch(word)
    if span and NUMBER.fullmatch(span.group(1)) and NUMBER.fullmatch(span.group(2)):
        return f"{span.group(1)}..{span.group(2)}"
    parts = word.split()
    if len(parts) > 1 and all(NUMBER.fullmatch(part) for part in parts):
        return ", ".join(parts)
    fixed = word.translate(_LOOKS_NUMERIC)
    return fixed if NUMBER.fullmatch(fixed) else None


def _date_fix(word: str) -> str | None:
    span = _SPAN.fullmatch(word)
    if span and all(DATE.fullmatch(g) and to_date(g) for g in span.groups()):
        return f"{span.group(1)}..{span.group(2)}"
    fixed = re.sub(r"[/.]", "-", word.strip())
    return fixed if DATE.fullmatch(fixed) and to_date(fixed) else None


def _bool_fix(word: str) -> str | None:
    return closest(word.strip(), ("yes", "no"))


_FIXES = {"number": _number_fix, "date": _date_fix, "bool": _bool_fix}
