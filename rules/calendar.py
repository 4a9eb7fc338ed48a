"""The one calendar and time-zone module: dates from cells, and windows as instants.

Every date a planner types (Excel date, text date, Sheets serial number) and every window
instant the engine computes goes through here, so they cannot drift apart.
"""
from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterator
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

# Day 0 of Excel's and Google Sheets' serial dates (1899-12-30, after Lotus' leap-year bug).
SERIAL_EPOCH = dt.date(1899, 12, 30)
# Serial numbers plausible as campaign dates: 1954-10-13 .. 2173-10-14.
_SERIAL_RANGE = (20_000, 100_000)
_TEXT_DATE = re.compile(r"^\s*(\d{4})-(\d{1,2})-(\d{1,2})(?:[T ][\d:.]+)?\s*$")
_TEXT_TIME = re.compile(r"^\s*(\d{1,2}):(\d{2})(?::(\d{2}))?\s*$")


def to_date(value) -> dt.date | None:
    """A calendar date from a cell, or None when the cell holds no date.

    Accepts date and datetime objects (xlsx), ISO text (``2026-01-18``), and serial numbers
    (Sheets' SERIAL_NUMBER rendering, or a number typed as text).
    """
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    if isinstance(value, bool):
        return None
    if isinstance(value, (int, float)):
        return from_serial(value)
    if isinstance(value, str):
        match = _TEXT_DATE.match(value)
        if match:
            try:
                return dt.date(*(int(g) for g in match.groups()))
            except ValueError:
                return None
        try:
            return from_serial(float(value.strip()))
        except ValueError:
            return None
    return None


def from_serial(serial: float) -> dt.date | None:
    if not _SERIAL_RANGE[0] <= serial <= _SERIAL_RANGE[1]:
        return None
    return SERIAL_EPOCH + dt.timedelta(days=int(serial))


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
        minutes = round(value * 24 * 60)
        return dt.time(minutes // 60, minutes % 60)
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
    """The aware instant of wall-clock ``at`` on ``day`` in ``tz`` (DST-correct)."""
    return dt.datetime.combine(day, at, tzinfo=ZoneInfo(tz))


def window(day: dt.date, start: dt.time, hours: float, tz: str) -> tuple[dt.datetime, dt.datetime]:
    """A window's start and end instants: opens at ``start`` local time, lasts ``hours``.

    The end is computed in absolute time, so a window across a DST change lasts exactly
    ``hours``; it is then shown in the zone's offset at that instant.
    """
    begin = local_instant(day, start, tz)
    end = (begin.astimezone(dt.timezone.utc) + dt.timedelta(hours=hours)).astimezone(ZoneInfo(tz))
    return begin, end


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
