"""Why a cluster found no date, and what would fix it, in a planner's words."""
from __future__ import annotations

import datetime as dt
from collections import Counter

from rules.placement.limits import DAILY, Limit

TOO_SMALL = "too_small:"  # a block by a limit that, even empty, is smaller than the window
WINDOW = "window"  # a block by the window not fitting the local day


def _raise(rule: str) -> str:
    return "daily_node_cap in Settings" if rule == DAILY else f"the value of rule {rule}"


def explain_unplaceable(
    name: str,
    nodes: int,
    rolling_rule: str | None,
    limits: dict[str, Limit],
    blocks: Counter,
    first: dt.date,
    last: dt.date,
) -> tuple[str, str | None]:
    """The reason and the rule most to blame (None when no rule is)."""
    too_small = [(count, key[len(TOO_SMALL):]) for key, count in blocks.items()
                 if key.startswith(TOO_SMALL)]
    if too_small:
        rule = min(too_small, key=lambda c: (-c[0], c[1]))[1]  # blocks most dates; ties by id
        limit = limits[rule]
        if rolling_rule is None:
            return (
                f"{name} has {nodes} nodes, more than {rule} allows ({limit.describe()}), and a "
                f"whole cluster cannot be split: allow rolling for it (a rolling rule matching it) "
                f"or raise {_raise(rule)}",
                rule,
            )
        return (
            f"{name}'s daily batch of {nodes} nodes is more than {rule} allows "
            f"({limit.describe()}): lower the percent of rolling rule {rolling_rule} or raise "
            f"{_raise(rule)}",
            rule,
        )
    ranked = sorted(blocks.items(), key=lambda item: (-item[1], item[0]))
    parts = [
        ("the window does not fit the day" if key == WINDOW else key) + f" on {count} dates"
        for key, count in ranked
    ]
    blamed = next((key for key, _ in ranked if key != WINDOW), None)
    because = f": blocked by {', '.join(parts)}" if parts else ""
    return (
        f"no date from {first} to {last} has room for {name} ({nodes} nodes){because}: raise "
        f"those caps or widen those rules' dates",
        blamed,
    )
