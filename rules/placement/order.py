"""The order clusters are placed in: tier (none last); within a tier the clusters with scarce
slots first (those a clusters-per-date cap limits, and rolls), then the spread interleave, then
name."""
from __future__ import annotations

from collections.abc import Iterable, Mapping
from fractions import Fraction

from rules.engine.classification import ClusterClass


def placement_order(
    names: Iterable[str], classes: Mapping[str, ClusterClass], nodes: Mapping[str, int],
    scarce: Mapping[str, int] | None = None,
) -> list[str]:
    """The clusters in the order the placement loop takes them. Scarce clusters (``scarce``:
    name -> how scarce, e.g. its batches) claim their slots before the fillers of their own
    tier, the scarcest first, never before an earlier tier."""
    scarce = scarce or {}
    tiers: dict[int | None, list[str]] = {}
    for name in sorted(names):
        tiers.setdefault(classes[name].tier, []).append(name)
    order: list[str] = []
    for tier in sorted(tiers, key=lambda t: (t is None, t or 0)):
        interleaved = _interleave_tier(tiers[tier], classes, nodes)
        order.extend(sorted((n for n in interleaved if n in scarce),
                            key=lambda n: -scarce[n]))  # stable: the most scarce first
        order.extend(n for n in interleaved if n not in scarce)
    return order


def _interleave_tier(
    names: list[str], classes: Mapping[str, ClusterClass], nodes: Mapping[str, int]
) -> list[str]:
    """Names in name order, except that each spread rule's clusters, in the slots they hold,
    are re-ordered by that rule's interleave (so unspread clusters keep their place)."""
    by_rule: dict[str, list[str]] = {}
    slot_rule: list[str | None] = []
    for name in names:
        spread = classes[name].spread
        rule = spread[0][0] if spread else None
        slot_rule.append(rule)
        if rule is not None:
            by_rule.setdefault(rule, []).append(name)
    queues = {
        rule: iter(interleave(members, classes, nodes, rule)) for rule, members in by_rule.items()
    }
    return [name if rule is None else next(queues[rule]) for name, rule in zip(names, slot_rule)]


def spread_key(value) -> str:
    """Values of a spread attribute compare as conditions do: case-insensitively, as text."""
    if value is None:
        return ""
    if isinstance(value, (tuple, list)):
        return ", ".join(str(v) for v in value).casefold()
    return str(value).strip().casefold()


def interleave(
    names: list[str], classes: Mapping[str, ClusterClass], nodes: Mapping[str, int], rule: str
) -> list[str]:
    """The next cluster always comes from the value whose share of its own nodes placed is the
    furthest behind (ties by value); within a value, by name."""
    queues: dict[str, list[str]] = {}
    for name in sorted(names, reverse=True):  # reversed so pop() yields names in order
        value = next(v for r, _, v in classes[name].spread if r == rule)
        queues.setdefault(spread_key(value), []).append(name)
    totals = {key: sum(nodes[n] for n in queue) for key, queue in queues.items()}
    placed = dict.fromkeys(queues, 0)
    order: list[str] = []
    while queues:
        key = min(queues, key=lambda k: (Fraction(placed[k], totals[k]), k))
        name = queues[key].pop()
        order.append(name)
        placed[key] += nodes[name]
        if not queues[key]:
            del queues[key]
    return order
