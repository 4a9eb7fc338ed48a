"""What the engine derives about each cluster from the rule rows, and the loads it checks.

These are the contracts between the engine (``rules/engine/``: durable_rules and its plain-Python
twin) and placement (``rules/placement/``): plain frozen data, no behaviour.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class ClusterClass:
    """One cluster as the enabled rule rows classify it."""

    cluster: str
    size: str  # big | small
    excluded_by: tuple[str, ...]  # exclude rules matching it, in sheet order
    tier: int | None  # first matching priority row, top to bottom; None when none matches
    tier_rule: str | None
    spread: tuple[tuple[str, str, Any], ...]  # (rule id, attribute, this cluster's value)
    rolling_percent: float | None  # first matching rolling row
    rolling_rule: str | None
    after: tuple[str, ...]  # `after` rules matching it (each names its prerequisite rule)
    constraints: tuple[str, ...]  # cap_*/blackout/between rules matching it, in sheet order


@dataclass(frozen=True)
class Classification:
    """Every cluster's class, and the members of every enabled rule (excluded clusters left out)."""

    clusters: dict[str, ClusterClass]
    members: dict[str, tuple[str, ...]]  # rule id -> matching cluster names, sorted


@dataclass(frozen=True)
class LoadFact:
    """A limit's highest load on one campaign day (a date in Settings ``timezone``).

    Node limits count the nodes of every window whose UTC interval contains an instant; the
    fact holds the first interval of the day at that peak. Cluster limits count clusters with a
    window starting on the campaign day; the interval is then the whole day."""

    rule: str | None  # the cap_* rule's id; None for a fleet cap a setting makes
    source: str  # RULE, or the setting that made the limit ("daily_node_cap")
    cell: str  # where the limit is set: the rule's row or the setting's cell
    date: dt.date  # campaign day
    start: dt.datetime  # aware (UTC): the peak's interval, end excluded
    end: dt.datetime
    amount: float  # nodes out, or clusters with a window
    limit: float  # already resolved (cap_percent: value % of the members' nodes)
    unit: str  # nodes | clusters
    clusters: tuple[str, ...]  # clusters of the windows counted in the peak, sorted
    pinned: tuple[str, ...] = ()  # those of them counted with a pinned window
