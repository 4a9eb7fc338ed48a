"""Attribute values normalised per kind, so every evaluator compares the same things.

Both the plain evaluator here and the durable_rules engine build their facts with ``coerce``:
whatever one of them considers equal, smaller or unreadable, so does the other.
"""
from __future__ import annotations

import datetime as dt
import math

from ..calendar import to_date
from ..contract import NO_WORDS as FALSE_WORDS
from ..contract import YES_WORDS as TRUE_WORDS
from ..numbers import read_number

KINDS = ("text", "number", "date", "bool", "list")
BOOL_WORDS = TRUE_WORDS + FALSE_WORDS

# What sheets and word processors put in place of what was typed (curly quotes, dashes, the
# minus sign, non-breaking spaces); planners never mean the difference.
_TYPED = str.maketrans({
    "\u201c": '"', "\u201d": '"', "\u201e": '"', "\u201f": '"', "\u2033": '"',
    "\u2018": "'", "\u2019": "'", "\u201a": "'", "\u201b": "'", "\u2032": "'",
    "\u2010": "-", "\u2011": "-", "\u2012": "-", "\u2013": "-", "\u2014": "-", "\u2212": "-",
    "\u00a0": " ", "\u2007": " ", "\u2009": " ", "\u202f": " ",
})


def straighten(text: str) -> str:
    """Substituted characters replaced by what was typed (curly quotes by straight ones, dashes
    and the minus sign by ``-``, non-breaking spaces by spaces), one character for one, so
    positions are kept."""
    return text.translate(_TYPED)


def format_number(number: float) -> str:
    """``400`` for 400.0, ``2.5`` for 2.5: numbers as a planner would type them."""
    return str(int(number)) if float(number).is_integer() else repr(float(number))


def coerce(value, kind: str):
    """``value`` read as ``kind``, ready to compare, or None when it cannot be read so.

    text: stripped, casefolded, inner blanks collapsed, curly quotes straightened (blank: None);
    number: float (from numbers or numeric text); date: ``datetime.date`` (dates, datetimes, ISO
    text, serial numbers); bool: from True/False, 1/0 and yes/no/y/n/true/false text; list: a tuple
    of text items from a list/tuple or comma-separated text (blank: the empty tuple).
    """
    if kind not in KINDS:
        raise ValueError(f"unknown condition kind {kind!r}; expected one of {', '.join(KINDS)}")
    if kind == "list":
        return _to_list(value)
    if value is None:
        return None
    return _READERS[kind](value)


def _to_text(value) -> str | None:
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, (int, float)):
        return None if isinstance(value, float) and not math.isfinite(value) else format_number(value)
    if isinstance(value, dt.datetime):
        return value.date().isoformat() if value.time() == dt.time() else value.isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    text = " ".join(straighten(str(value)).split()).casefold()
    return text or None


def _to_number(value) -> float | None:
    if isinstance(value, bool) or isinstance(value, dt.date):
        return None
    if isinstance(value, str):
        value = read_number(value)  # the one reader, as cells use it: 1,800 is 1800
    if not isinstance(value, (int, float)):
        return None
    try:
        number = float(value)
    except OverflowError:  # an integer beyond any float
        return None
    return number if math.isfinite(number) else None


def _to_bool(value) -> bool | None:
    if isinstance(value, bool):
        return value
    if isinstance(value, (int, float)) and value in (0, 1):
        return bool(value)
    if isinstance(value, str):
        word = value.strip().casefold()
        if word in TRUE_WORDS:
            return True
        if word in FALSE_WORDS:
            return False
    return None


def _to_list(value) -> tuple[str, ...]:
    if value is None:
        return ()
    if isinstance(value, (list, tuple)):
        items = value
    elif isinstance(value, str):
        items = value.split(",")
    else:
        items = (value,)
    return tuple(text for text in (_to_text(item) for item in items if item is not None) if text)


_READERS = {"text": _to_text, "number": _to_number, "date": to_date, "bool": _to_bool}
