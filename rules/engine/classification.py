"""What the engine derives about each cluster from the rule rows, and what it finds wrong.

These are the contracts between the engine (``rules/engine*``, durable_rules), its plain-Python
twin, and the planner (``rules/placement*``): plain frozen data, no behaviour.
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
    """The load a limit rule sees on one date of the proposed schedule."""

    rule: str  # a cap_* rule id, or "daily_node_cap"
    date: dt.date
    amount: float  # nodes out, or clusters with a window
    limit: float  # already resolved (cap_percent: value % of the members' nodes)
    unit: str  # nodes | clusters
    clusters: tuple[str, ...]  # the clusters with a window on that date, sorted
