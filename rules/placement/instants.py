"""Instants and campaign days: the busiest instant of each day, as caps count nodes out.

A window is out of service over its UTC interval [start, end), in whole epoch seconds. A
campaign day is a calendar date in Settings ``timezone``, from its 00:00 to the next day's 00:00
there (23 or 25 hours long on a DST change day). Node caps hold at every instant; their from..to
are campaign days; the Summary reports each campaign day's peak.
"""
from __future__ import annotations

import bisect
import datetime as dt
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import lru_cache
from zoneinfo import ZoneInfo

from rules import calendar
from rules.calendar import epoch

FOREVER = 2**62  # an instant later than any window, for limits without an end
Slot = tuple[int, int, int]  # a window's start and end (epoch seconds) and its campaign day


@dataclass(frozen=True)
class Horizon:
    """Day indexes: 0 is ``origin``; dates are local calendar days of the clusters' regions."""

    origin: dt.date
    size: int

    def index(self, day: dt.date) -> int:
        return (day - self.origin).days

    def date(self, index: int) -> dt.date:
        return self.origin + dt.timedelta(days=index)


@dataclass(frozen=True)
class Clock:
    """Campaign days numbered from ``origin`` (index 0), with each day's first instant."""

    zone: str
    origin: dt.date
    bounds: tuple[int, ...]  # epoch of 00:00 of day i, for i in 0..size (the last ends day size-1)

    @classmethod
    def over(cls, zone: str, first: dt.date, last: dt.date) -> Clock:
        return _clock(cls, zone, first, last)

    @property
    def size(self) -> int:
        return len(self.bounds) - 1

    def date(self, index: int) -> dt.date:
        return self.origin + dt.timedelta(days=index)

    def index(self, day: dt.date) -> int:
        return (day - self.origin).days

    def day_of(self, instant: int) -> int:
        """The campaign day an instant falls on (clamped to the clock's days)."""
        return min(max(bisect.bisect_right(self.bounds, instant) - 1, 0), self.size - 1)

    def span(self, first: dt.date | None, last: dt.date | None) -> tuple[int, int]:
        """Instants from ``first`` 00:00 to the end of ``last`` (campaign zone), epoch seconds
        [lo, hi); an open end is unbounded."""
        tz = ZoneInfo(self.zone)
        lo = -FOREVER if first is None else epoch(dt.datetime.combine(first, dt.time(0), tz))
        hi = FOREVER if last is None else epoch(
            dt.datetime.combine(last + dt.timedelta(days=1), dt.time(0), tz))
        return lo, hi

    def instant(self, seconds: int) -> dt.datetime:
        return dt.datetime.fromtimestamp(seconds, dt.timezone.utc)


# Every run of the placement loop on one workbook has the same days: worked out once for all.
@lru_cache(maxsize=16)
def _clock(cls, zone: str, first: dt.date, last: dt.date) -> Clock:
    tz = ZoneInfo(zone)
    days = (last - first).days + 2
    bounds = tuple(epoch(dt.datetime.combine(first + dt.timedelta(days=i), dt.time(0), tz))
                   for i in range(days))
    return cls(zone, first, bounds)


class Slots:
    """The window a kind of cluster (zone, hours) has on each local day of the horizon, as a
    Slot, and whether it closes by window_end that day (DST-correct); each worked out once,
    shared by every run of the placement loop over the same days (``Slots.over``)."""

    def __init__(self, horizon: Horizon, clock: Clock, opens: dt.time, closes: dt.time):
        self.horizon, self.clock, self.opens, self.closes = horizon, clock, opens, closes
        self._windows: dict[tuple[str, float], dict[int, tuple[dt.datetime, dt.datetime]]] = {}
        self._slots: dict[tuple[str, float], dict[int, Slot]] = {}
        self._fits: dict[tuple[str, float], dict[int, bool]] = {}

    @staticmethod
    @lru_cache(maxsize=8)
    def over(horizon: Horizon, clock: Clock, opens: dt.time, closes: dt.time) -> Slots:
        return Slots(horizon, clock, opens, closes)

    def window(self, kind: tuple[str, float], day: int) -> tuple[dt.datetime, dt.datetime]:
        """The window's start and end instants (rules/calendar.py window)."""
        windows = self._windows.setdefault(kind, {})
        if day not in windows:
            windows[day] = calendar.window(self.horizon.date(day), self.opens, kind[1], kind[0])
        return windows[day]

    def of(self, kind: tuple[str, float], day: int) -> Slot:
        slots = self._slots.setdefault(kind, {})
        if day not in slots:
            start, end = self.window(kind, day)
            first = epoch(start)
            slots[day] = (first, epoch(end), self.clock.day_of(first))
        return slots[day]

    def fits(self, kind: tuple[str, float], day: int) -> bool:
        fits = self._fits.setdefault(kind, {})
        if day not in fits:
            fits[day] = calendar.fits_in_day(self.horizon.date(day), self.opens, self.closes,
                                             kind[1], kind[0])
        return fits[day]


@dataclass(frozen=True)
class Peak:
    """The most counted at once on a campaign day: the first interval at that height."""

    day: int
    start: int
    end: int
    amount: int


def daily_peaks(intervals: Iterable[tuple[int, int, int]], clock: Clock,
                lo: int = -FOREVER, hi: int = FOREVER) -> dict[int, Peak]:
    """Per campaign day, the highest sum of ``amount`` over the (start, end, amount) intervals
    that contain one instant, looking only at instants in [lo, hi); days with nothing left out."""
    delta: dict[int, int] = defaultdict(int)
    for start, end, amount in intervals:
        delta[start] += amount
        delta[end] -= amount
    if not delta:
        return {}
    first, last = min(delta), max(delta)
    cuts = {t for t in clock.bounds if first < t < last} | {t for t in (lo, hi) if first < t < last}
    times = sorted(delta.keys() | cuts)
    peaks: dict[int, Peak] = {}
    load = 0
    for at, until in zip(times, times[1:]):
        load += delta.get(at, 0)
        if load <= 0 or at < lo or at >= hi:
            continue
        day = clock.day_of(at)
        best = peaks.get(day)
        if best is None or load > best.amount:
            peaks[day] = Peak(day, at, until, load)
        elif load == best.amount and best.end == at:  # the same plateau, cut by nothing real
            peaks[day] = Peak(day, best.start, until, load)
    return peaks


def overlapping(peaks: dict[int, Peak], clock: Clock,
                windows: Sequence[tuple[int, int, str, bool]]) -> dict[int, tuple[list, list]]:
    """For each peak, the clusters of the (start, end, cluster, pinned) windows out during it,
    and those of them pinned: sorted, once each."""
    found: dict[int, tuple[set, set]] = {day: (set(), set()) for day in peaks}
    for start, end, cluster, pinned in windows:
        for day in range(clock.day_of(start), clock.day_of(end - 1) + 1):
            peak = peaks.get(day)
            if peak is not None and start < peak.end and end > peak.start:
                found[day][0].add(cluster)
                if pinned:
                    found[day][1].add(cluster)
    return {day: (sorted(names), sorted(pins)) for day, (names, pins) in found.items()}
