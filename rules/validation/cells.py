"""Reading one cell as a contract type, with a message a planner can act on when it is wrong.

Sources hand over what the sheet holds: text, numbers (also typed as text), booleans, dates
(Excel dates, ISO text, Sheets serial numbers). Everything here is pure.
"""
from __future__ import annotations

import datetime as dt
import functools
import math
import re
import zoneinfo

from rules import calendar
from rules import contract as c
from rules.conditions.values import straighten
from rules.model import CellValue, Formula
from rules.numbers import number_hint, read_number
from rules.suggest import did_you_mean

# What Excel and Google Sheets show in a cell whose formula failed.
ERROR_VALUES = ("#NULL!", "#DIV/0!", "#VALUE!", "#REF!", "#NAME?", "#NUM!", "#N/A", "#ERROR!",
                "#SPILL!", "#CALC!", "#GETTING_DATA")
# Line breaks, tabs and other C0/C1 controls: never part of a name, an id or a value.
_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f\u2028\u2029]")
_SHOWN = 80  # characters of a value quoted in a message
_NUMERIC = (c.WHOLE, c.WHOLE_POSITIVE, c.WHOLE_NONNEGATIVE, c.POSITIVE, c.PERCENT)


class CellError(ValueError):
    """A cell that does not hold what its column needs; str() is the whole message."""


def is_blank(value: CellValue) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def is_formula(value: CellValue) -> bool:
    """Whether the source said the cell holds a formula, or a failed formula's error value."""
    return isinstance(value, Formula) or (isinstance(value, str) and value.strip() in ERROR_VALUES)


def formula_message(name: str, value: CellValue) -> str:
    if not isinstance(value, Formula):
        return (f"{name} holds the error {value.strip()} (a formula that failed): correct the "
                "formula, or type the value itself")
    return (
        f"{name} holds the formula {show(value)}: formulas are not evaluated, "
        "type the value itself"
    )


def control_problem(name: str, value: CellValue) -> str | None:
    """Why text holds a character no name or value may hold (a line break, a tab, ...), or None."""
    if not isinstance(value, str):
        return None
    found = _CONTROL.search(value)
    if found is None:
        return None
    return (f"{name} holds the control character U+{ord(found.group()):04X} (a line break, a tab "
            f"or an invisible character) at position {found.start() + 1}: retype it on one line")


def show(value: CellValue) -> str:
    """A cell value as quoted in a message."""
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, dt.datetime) and value.time() == dt.time():
        return f'"{value.date().isoformat()}"'
    if isinstance(value, (dt.date, dt.time)):
        return f'"{value.isoformat()}"'
    if isinstance(value, float) and value.is_integer():
        return f'"{int(value)}"'
    shown = _CONTROL.sub(lambda m: m.group().encode("unicode_escape").decode(), str(value))
    return f'"{shown[:_SHOWN - 1]}…"' if len(shown) > _SHOWN else f'"{shown}"'


def normal(value: CellValue) -> CellValue:
    """A cell value in one shape whatever the source: trimmed text, int for whole numbers,
    a date for a midnight datetime; None for blank."""
    if is_blank(value):
        return None
    if isinstance(value, str):
        return straighten(value.strip())
    if isinstance(value, float) and value.is_integer():
        return int(value)
    if isinstance(value, dt.datetime) and value.time() == dt.time():
        return value.date()
    return value


def text(value: CellValue) -> str:
    value = normal(value)
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, (dt.date, dt.time)):
        return value.isoformat()
    return "" if value is None else str(value)


def number(value: CellValue) -> int | float | None:
    """A number from a numeric cell or from text such as ``12``, ``1,800`` or ``6.5`` (the one
    reader of ``rules.numbers``); ints stay exact, floats are finite."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value
    if isinstance(value, float):
        return value if math.isfinite(value) else None
    if isinstance(value, str):
        return read_number(value)
    return None


def _whole(value: CellValue) -> int | None:
    parsed = number(value)
    if isinstance(parsed, float):
        return int(parsed) if parsed.is_integer() else None
    return parsed


def _yes_no(value: CellValue) -> bool | None:
    if isinstance(value, bool):
        return value
    word = text(value).lower()
    if word in c.YES_WORDS:
        return True
    if word in c.NO_WORDS:
        return False
    return None


def _percent(value: CellValue) -> float | None:
    if isinstance(value, str) and value.strip().endswith("%"):
        value = value.strip()[:-1]
    parsed = number(value)
    return parsed if parsed is not None and 0 < parsed <= 100 else None


def _date(value: CellValue, epoch: dt.date = calendar.SERIAL_EPOCH) -> dt.date | None:
    if calendar.has_time_of_day(value, epoch):
        return None  # a date and time where a calendar day is meant, whichever way it came
    return calendar.to_date(value, epoch)


_READERS = {
    c.TEXT: lambda v: text(v) or None,
    c.NOTE: lambda v: text(v) or None,
    c.LIST: lambda v: tuple(p.strip() for p in text(v).split(",") if p.strip()) or None,
    c.YESNO: _yes_no,
    c.DATE: _date,
    c.TIME: calendar.to_time,
    c.WHOLE: _whole,
    c.WHOLE_POSITIVE: lambda v: w if (w := _whole(v)) is not None and w >= 1 else None,
    c.WHOLE_NONNEGATIVE: lambda v: w if (w := _whole(v)) is not None and w >= 0 else None,
    c.POSITIVE: lambda v: n if (n := number(v)) is not None and n > 0 else None,
    c.PERCENT: _percent,
}


def read(name: str, value: CellValue, type_: str, choices: tuple[str, ...] = (),
         epoch: dt.date = calendar.SERIAL_EPOCH) -> CellValue:
    """The cell read as ``type_`` (None when blank), serial dates counted from the workbook's
    ``epoch``; raises CellError saying what is wrong."""
    if is_blank(value):
        return None
    if is_formula(value):
        raise CellError(formula_message(name, value))
    if type_ != c.NOTE and (problem := control_problem(name, value)):
        raise CellError(problem)
    if type_ == c.CHOICE:
        word = text(value).lower()
        if word in choices:
            return word
        raise CellError(
            f"{name} must be one of {', '.join(choices)}, got {show(value)}"
            + did_you_mean(word, choices)
        )
    if type_ == c.TIMEZONE:
        return _checked_timezone(name, value)
    if type_ == c.PERCENT and isinstance(value, float) and 0 < value < 1:
        # A cell formatted as a percentage stores 6 % as 0.06: never read it as 0.06 %.
        raise CellError(
            f"{name} must be {c.TYPE_PHRASES[type_]}, got {show(value)}: a cell formatted as a "
            f"percentage stores {value * 100:g} % as {value:g}; type {value * 100:g} (or \"{value * 100:g}%\" as text)"
        )
    parsed = _date(value, epoch) if type_ == c.DATE else _READERS[type_](value)
    if parsed is None:
        hint = number_hint(value) if type_ in _NUMERIC and isinstance(value, str) else None
        if type_ == c.DATE and calendar.has_time_of_day(value, epoch):
            hint = "a date with a time of day is not a day: type the day alone"
        raise CellError(f"{name} must be {c.TYPE_PHRASES[type_]}, got {show(value)}"
                        + (f": {hint}" if hint else ""))
    _check_bounds(name, parsed, type_)
    return parsed


def _check_bounds(name: str, parsed: CellValue, type_: str) -> None:
    """Refuse a well-formed value no campaign means (contract bounds), before anything uses it."""
    if type_ in _NUMERIC and abs(parsed) > c.MAX_NUMBER:
        raise CellError(f"{name} is {parsed:,}: a campaign's numbers are at most {c.MAX_NUMBER:,}")
    if type_ == c.DATE and not c.FIRST_DAY <= parsed <= c.LAST_DAY:
        raise CellError(f"{name} is {parsed.isoformat()}: a campaign's dates fall between "
                        f"{c.FIRST_DAY.isoformat()} and {c.LAST_DAY.isoformat()}")
    length = len(parsed) if type_ == c.TEXT else sum(map(len, parsed)) if type_ == c.LIST else 0
    if length > c.MAX_TEXT:
        raise CellError(f"{name} is {length:,} characters long: at most {c.MAX_TEXT} fit")


def _checked_timezone(name: str, value: CellValue) -> str:
    """The canonical IANA name, whatever the case it was typed in."""
    typed = text(value)
    canonical = _zone_names().get(typed.lower())
    if canonical is None or calendar.zone(canonical) is None:
        raise CellError(
            f"{name} must be {c.TYPE_PHRASES[c.TIMEZONE]}, got {show(value)}"
            + did_you_mean(typed, sorted(_zone_names().values()))
        )
    return canonical


@functools.cache
def _zone_names() -> dict[str, str]:
    return {z.lower(): z for z in sorted(zoneinfo.available_timezones())}
