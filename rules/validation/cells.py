"""Reading one cell as a contract type, with a message a planner can act on when it is wrong.

Sources hand over what the sheet holds: text, numbers (also typed as text), booleans, dates
(Excel dates, ISO text, Sheets serial numbers). Everything here is pure.
"""
from __future__ import annotations

import datetime as dt
import functools
import re
import zoneinfo

from rules import calendar
from rules import contract as c
from rules.conditions.values import straighten
from rules.model import CellValue
from rules.suggest import did_you_mean

_THOUSANDS = re.compile(r"^[+-]?\d{1,3}(?:,\d{3})+(?:\.\d+)?$")
# Typographic quotes a sheet may put into typed text.


class CellError(ValueError):
    """A cell that does not hold what its column needs; str() is the whole message."""


def is_blank(value: CellValue) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def is_formula(value: CellValue) -> bool:
    return isinstance(value, str) and value.strip().startswith("=")


def formula_message(name: str, value: CellValue) -> str:
    return (
        f"{name} holds the formula {show(value)}: formulas are not evaluated, "
        "type the value itself"
    )


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
    return f'"{value}"'


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


def number(value: CellValue) -> float | None:
    """A number from a numeric cell or from text such as ``12``, ``1,800`` or ``6.5``."""
    if isinstance(value, bool):
        return None
    if isinstance(value, (int, float)):
        return float(value)
    if isinstance(value, str):
        raw = value.strip().replace("\u00a0", "").replace(" ", "")
        if _THOUSANDS.match(raw):
            raw = raw.replace(",", "")
        try:
            parsed = float(raw)
        except ValueError:
            return None
        return parsed if parsed == parsed and abs(parsed) != float("inf") else None
    return None


def _whole(value: CellValue) -> int | None:
    parsed = number(value)
    return int(parsed) if parsed is not None and parsed.is_integer() else None


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


def _date(value: CellValue) -> dt.date | None:
    if isinstance(value, dt.datetime) and value.time() != dt.time():
        return None  # a date and time where a calendar day is meant
    return calendar.to_date(value)


_READERS = {
    c.TEXT: lambda v: text(v) or None,
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


def read(name: str, value: CellValue, type_: str, choices: tuple[str, ...] = ()) -> CellValue:
    """The cell read as ``type_`` (None when blank); raises CellError saying what is wrong."""
    if is_blank(value):
        return None
    if is_formula(value):
        raise CellError(formula_message(name, value))
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
    parsed = _READERS[type_](value)
    if parsed is None:
        raise CellError(f"{name} must be {c.TYPE_PHRASES[type_]}, got {show(value)}")
    return parsed


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
