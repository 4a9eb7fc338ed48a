"""The one calendar and time-zone module: dates from cells, and windows as instants.

Every date a planner types (Excel date, text date, Sheets serial number) and every window
instant the engine computes goes through here, so they cannot drift apart.
"""
from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterator
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from .contract import FIRST_DAY, LAST_DAY
from .numbers import read_number

# Day 0 of Excel's and Google Sheets' serial dates (1899-12-30, after Lotus' leap-year bug).
SERIAL_EPOCH = dt.date(1899, 12, 30)
# Day 0 of a workbook saved in Excel's 1904 date system (old Mac Excel): its serials are 1,462
# days smaller for the same day.
MAC_EPOCH = dt.date(1904, 1, 1)
_TEXT_DATE = re.compile(r"^\s*(\d{4})-(\d{1,2})-(\d{1,2})(?:[T ]([\d:.]+))?\s*$")
_TEXT_TIME = re.compile(r"^\s*(\d{1,2}):(\d{2})(?::(\d{2}))?\s*$")
# Dates with the month's name are unambiguous in any locale: 7 Dec 2026, December 7, 2026.
_MONTHS = {name: number for number, full in enumerate(
    ("january", "february", "march", "april", "may", "june", "july", "august", "september",
     "october", "november", "december"), start=1) for name in (full, full[:3])} | {"sept": 9}
_DAY_MONTH = re.compile(r"^\s*(\d{1,2})\.?\s+([a-z]{3,9})\.?,?\s+(\d{4})\s*$", re.IGNORECASE)
_MONTH_DAY = re.compile(r"^\s*([a-z]{3,9})\.?\s+(\d{1,2}),?\s+(\d{4})\s*$", re.IGNORECASE)
_SECONDS_A_DAY = 24 * 60 * 60


def to_date(value, epoch: dt.date = SERIAL_EPOCH) -> dt.date | None:
    """A calendar date from a cell, or None when the cell holds no date.

    Accepts date and datetime objects (xlsx), ISO text (``2026-01-18``), and serial numbers
    (Sheets' SERIAL_NUMBER rendering, or a number typed as text), counted from the workbook's
    ``epoch`` (day 0: 1899-12-30, or 1904-01-01 for a workbook in the 1904 date system).
    """
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    if isinstance(value, bool):
        return None
    if isinstance(value, (int, float)):
        return from_serial(value, epoch)
    if isinstance(value, str):
        return _text_date(value, epoch)
    return None


def _text_date(value: str, epoch: dt.date) -> dt.date | None:
    match = _TEXT_DATE.match(value)
    if match:
        return _day(*(int(g) for g in match.groups()[:3]))
    named = _DAY_MONTH.match(value)
    if named:
        return _named_day(named.group(3), named.group(2), named.group(1))
    named = _MONTH_DAY.match(value)
    if named:
        return _named_day(named.group(3), named.group(1), named.group(2))
    serial = read_number(value)
    return None if serial is None else from_serial(serial, epoch)


def _named_day(year: str, month: str, day: str) -> dt.date | None:
    number = _MONTHS.get(month.lower())
    return None if number is None else _day(int(year), number, int(day))


def _day(year: int, month: int, day: int) -> dt.date | None:
    try:
        return dt.date(year, month, day)
    except ValueError:
        return None


def has_time_of_day(value, epoch: dt.date = SERIAL_EPOCH) -> bool:
    """Whether a date cell also holds a time of day other than midnight, however it arrived:
    a datetime, text such as ``2026-12-09 10:30``, or a serial number with a fraction."""
    if isinstance(value, dt.datetime):
        return value.time() != dt.time()
    if isinstance(value, str):
        match = _TEXT_DATE.match(value)
        if match:
            return bool(match.group(4)) and to_time(match.group(4)) not in (None, dt.time())
        value = read_number(value)
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return from_serial(value, epoch) is not None and value != int(value)
    return False


def from_serial(serial: float, epoch: dt.date = SERIAL_EPOCH) -> dt.date | None:
    """The day of a serial number counted from ``epoch`` (its fraction, a time of day, is
    dropped), or None when outside the contract's days: exactly the days a date cell may hold."""
    if not (FIRST_DAY - epoch).days <= serial < (LAST_DAY - epoch).days + 1:
        return None
    return epoch + dt.timedelta(days=int(serial))


def to_serial(day: dt.date) -> int:
    return (day - SERIAL_EPOCH).days


def to_time(value) -> dt.time | None:
    """A wall-clock time from a cell: ``11:00`` text, a time object, or a day fraction."""
    if isinstance(value, dt.datetime):
        return value.time()
    if isinstance(value, dt.time):
        return value
    if isinstance(value, bool):
        return None
    if isinstance(value, (int, float)) and 0 <= value < 1:
        # To the second, as Excel and Sheets show it: 23:59:30 is not midnight of the next day.
        seconds = round(value * _SECONDS_A_DAY)
        if seconds >= _SECONDS_A_DAY:
            return None
        return dt.time(seconds // 3600, seconds // 60 % 60, seconds % 60)
    if isinstance(value, str):
        match = _TEXT_TIME.match(value)
        if match:
            hour, minute, second = (int(g) if g else 0 for g in match.groups())
            if hour < 24 and minute < 60 and second < 60:
                return dt.time(hour, minute, second)
    return None


def zone(name: str) -> ZoneInfo | None:
    """The IANA time zone of that name, or None when there is none."""
    try:
        return ZoneInfo(name.strip())
    except (ZoneInfoNotFoundError, ValueError):
        return None


def local_instant(day: dt.date, at: dt.time, tz: str) -> dt.datetime:
    """The aware instant of wall-clock ``at`` on ``day`` in ``tz``, read as the zone reads it.

    The one rule for clocks that change (every output shows what this returns): a wall time in a
    spring-forward gap (02:30 in New York on 2027-03-14) is the instant it would be on the clock
    before the change, shown in the offset after it (03:30-04:00), so the window opens as late as
    the clock says and lasts its hours; a wall time that occurs twice (fall-back) is the first.
    """
    zone = ZoneInfo(tz)
    typed = dt.datetime.combine(day, at, tzinfo=zone)
    return typed.astimezone(dt.timezone.utc).astimezone(zone)


def window(day: dt.date, start: dt.time, hours: float, tz: str) -> tuple[dt.datetime, dt.datetime]:
    """A window's start and end instants: opens at ``start`` local time, lasts ``hours``.

    The end is computed in absolute time, so a window across a DST change lasts exactly
    ``hours``; it is then shown in the zone's offset at that instant.
    """
    begin = local_instant(day, start, tz)
    end = (begin.astimezone(dt.timezone.utc) + dt.timedelta(hours=hours)).astimezone(ZoneInfo(tz))
    return begin, end


def window_hours(start: dt.time, end: dt.time) -> float:
    """Wall-clock hours from ``start`` to ``end`` on one day without a clock change."""
    day = dt.date(2000, 1, 3)
    return (dt.datetime.combine(day, end) - dt.datetime.combine(day, start)).total_seconds() / 3600


def fits_in_day(day: dt.date, start: dt.time, end: dt.time, hours: float, tz: str) -> bool:
    """Whether a window of ``hours`` opened at ``start`` closes by ``end`` the same local day."""
    _, closes = window(day, start, hours, tz)
    return closes <= local_instant(day, end, tz)


def days(first: dt.date, weekends: bool = True) -> Iterator[dt.date]:
    """Calendar days from ``first`` on, skipping Saturdays and Sundays unless ``weekends``."""
    day = first
    while True:
        if weekends or day.weekday() < 5:
            yield day
        day += dt.timedelta(days=1)


def epoch(instant: dt.datetime) -> int:
    """Whole seconds since 1970 UTC: instants compared across time zones."""
    return round(instant.timestamp())


def iso(instant: dt.datetime) -> str:
    """ISO 8601 with the zone's UTC offset, to the second: ``2026-12-07T11:00:00+01:00``."""
    return instant.isoformat(timespec="seconds")
