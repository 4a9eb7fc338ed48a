"""What the placement loop prefers when it costs no days: a roll's batches on consecutive open
days (pausing only where a rule closes a day to it), and each tier's windows on or after the last
date of the tiers before it (research before applied: no later tier's window on a day an earlier tier's cluster could have
used but was placed after).

"No days" is measured against the lower bound (rules/placement/bound.py): a preferred placement
is kept when its last batch is no later than both the plain earliest placement's last batch and
the bound, or than the plain one's when that is later still. So a preference never moves a
cluster past a date the plan would reach anyway.
"""
from __future__ import annotations

from collections.abc import Callable, Sequence

from rules.placement.limits import Limit


def tier_rank(tier: int | None) -> tuple[bool, int]:
    """Tiers in placement order: lower first, none last."""
    return (tier is None, tier or 0)


class TierOrder:
    """The days each tier's clusters could have used before their first window: a later tier's
    window on such a day comes before an earlier tier's cluster that its own rules allowed
    there (applied before research), which is what the preference avoids."""

    def __init__(self) -> None:
        self.skipped: dict[tuple[bool, int], int] = {}  # tier rank -> bitset, bit 8 x day index

    def note(self, tier: int | None, open_days: bytearray, lo: int, first: int) -> None:
        """A cluster of ``tier`` whose own rules open ``open_days``, free from day ``lo``,
        got its first window on day ``first``."""
        if first <= lo:
            return
        bits = int.from_bytes(open_days[lo:first], "little") << (8 * lo)
        rank = tier_rank(tier)
        self.skipped[rank] = self.skipped.get(rank, 0) | bits

    def avoid(self, tier: int | None) -> int:
        """Days a cluster of ``tier`` avoids: those an earlier tier's cluster skipped."""
        rank = tier_rank(tier)
        found = 0
        for r, bits in self.skipped.items():
            if r < rank:
                found |= bits
        return found


def avoided(bits: int, day: int) -> bool:
    return bool((bits >> (8 * day)) & 1)


def fits(limits: Sequence[Limit], slot, nodes: int) -> bool:
    """Whether a window of ``nodes`` in ``slot`` (rules/placement/instants.py) fits every limit."""
    for limit in limits:
        room = limit.headroom(slot)
        if room is not None and limit.amount(nodes) > room:
            return False
    return True


def consecutive(open_days: bytearray, sizes: Sequence[int], lo: int,
                room: Callable[[int, int], bool], avoid: int = 0) -> list[int] | None:
    """The earliest run of day indexes from ``lo`` on, one per batch, each the next day the
    cluster's own rules leave open after the one before, with room under every limit
    (``room(day, nodes)``), the first not in ``avoid``; None if the horizon has none."""
    start = open_days.find(1, lo)
    while start >= 0:
        if avoided(avoid, start):
            start = open_days.find(1, start + 1)
            continue
        days, day = [], start
        for nodes in sizes:
            if day < 0 or not room(day, nodes):
                break
            days.append(day)
            day = open_days.find(1, day + 1)
        if len(days) == len(sizes):
            return days
        start = open_days.find(1, start + 1)
    return None


def costs_no_days(preferred_last: int, plain_last: int, target: int) -> bool:
    """Whether a preferred placement ending on ``preferred_last`` ends no later than the plain
    one or the lower bound ``target``, whichever is later."""
    return preferred_last <= max(plain_last, target)
