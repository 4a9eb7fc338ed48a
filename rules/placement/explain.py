"""Why a cluster found no date, and what would fix it, in a planner's words."""
from __future__ import annotations

import datetime as dt
from collections import Counter
from dataclasses import replace

from rules.placement.limits import Label, Limit

WINDOW = Label(source="window")  # a block by the window not fitting the local day


def _raise(limit: Limit) -> str:
    return f"the value of rule {limit.rule}" if limit.rule is not None else \
        f"{limit.source} in {limit.cell}"


def explain_unplaceable(
    name: str,
    nodes: int,
    rolling_rule: str | None,
    limits: dict[Label, Limit],
    blocks: Counter[Label],
    first: dt.date,
    last: dt.date,
) -> tuple[str, Label | None]:
    """The reason and the limit or rule most to blame (None when none is)."""
    too_small = [(count, key.name, key) for key, count in blocks.items() if key.too_small]
    if too_small:  # the one that blocks most dates; ties by name
        label = replace(min(too_small, key=lambda c: (-c[0], c[1], c[2].rule is None))[2],
                        too_small=False)
        limit = limits[label]
        if rolling_rule is None:
            return (
                f"{name} has {nodes} nodes, more than {label.name} allows ({limit.describe()}), "
                f"and a whole cluster cannot be split: allow rolling for it (a rolling rule "
                f"matching it) or raise {_raise(limit)}",
                label,
            )
        return (
            f"{name}'s daily batch of {nodes} nodes is more than {label.name} allows "
            f"({limit.describe()}): lower the percent of rolling rule {rolling_rule} or raise "
            f"{_raise(limit)}",
            label,
        )
    ranked = sorted(blocks.items(), key=lambda item: (-item[1], item[0].name, item[0].rule is None))
    parts = [
        ("the window does not fit the day" if key == WINDOW else key.name) + f" on {count} dates"
        for key, count in ranked
    ]
    blamed = next((key for key, _ in ranked if key != WINDOW), None)
    because = f": blocked by {', '.join(parts)}" if parts else ""
    return (
        f"no date from {first} to {last} has room for {name} ({nodes} nodes){because}: raise "
        f"those caps or widen those rules' dates",
        blamed,
    )
