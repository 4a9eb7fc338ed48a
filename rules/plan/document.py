"""The plan's shape, declared once: the windows, exclusions, unscheduled clusters, violations and
summary that placement and the engine produce, and the document made of them (issue 3's JSON:
the CLI's output, the API's payload, the output tabs' source).

The JSON is these dataclasses encoded field by field (dates ``YYYY-MM-DD``, instants ISO 8601
with their region's UTC offset, tuples as lists), so the API's ``WindowSchema``, its CSV columns
and the Schedule tab follow ``WindowEntry``'s fields (``TABLE_FIELDS``; a test checks the schema
and the tab's header against them).
"""
from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass, field, fields, is_dataclass
from typing import Any

from rules import calendar
from rules.model import SheetError
from rules.progress import window_id


@dataclass(frozen=True)
class Window:
    """One maintenance window placed: a whole cluster, or one batch of a rolling one."""

    cluster: str
    date: dt.date  # local calendar day of the cluster's region
    start: dt.datetime  # aware, in the region's zone
    end: dt.datetime
    nodes: int
    batch: int  # 1-based
    batches: int
    pinned: bool  # kept on the cluster's pinned_date, not searched
    rules: tuple[str, ...]  # rules that placed or shaped it, in sheet order
    retry: int = 0  # 0: the batch itself; n: its n-th re-run (rules/progress.py)
    retry_of: str | None = None  # the id of the failed or cancelled window it re-runs
    state: str = "planned"  # as reported, for windows kept from the current version
    failed_nodes: int = 0  # hosts reported not back (done or failed)
    finished: dt.datetime | None = None  # the reported end, when its dependants count from it

    @property
    def id(self) -> str:
        return window_id(self.cluster, self.batch, self.retry)


@dataclass(frozen=True)
class Excluded:
    cluster: str
    rules: tuple[str, ...]  # the exclude rules matching it, in sheet order; () for status done
    reason: str


@dataclass(frozen=True)
class Unscheduled:
    cluster: str
    reason: str  # why, and what would fix it
    rule: str | None  # the Rules row that blocks it, when one does
    cell: str  # where to fix it: the rule's row, the setting, or the cluster's row


# What found a violation: a Rules row (its id in ``rule``), or one of the built-in checks, whose
# names never mix with rule ids (a rule may be called "deadline" without being confused).
RULE = "rule"
DAILY_NODE_CAP = "daily_node_cap"  # the Settings cap over the whole fleet
DEADLINE = "deadline"  # Settings deadline
UNSCHEDULED = "unscheduled"  # a cluster placement could not place (``rule``: what blocked it)
SOURCES = (RULE, DAILY_NODE_CAP, DEADLINE, UNSCHEDULED)


@dataclass(frozen=True)
class Violation:
    rule: str | None  # the Rules row broken or to blame; None when none is
    severity: str  # error | warning
    message: str
    cell: str  # the rule's row ("Rules!A12") or the setting ("Settings!B3")
    cluster: str | None = None
    date: dt.date | None = None  # a cap's: the campaign day (Settings timezone)
    source: str = RULE  # one of SOURCES

    def sort_key(self) -> tuple:
        """The document's order: by date, rule, source, cluster, message, severity, cell."""
        return (self.date or dt.date.min, self.rule or "", self.source, self.cluster or "",
                self.message, self.severity, self.cell)

    def to_dict(self) -> dict[str, Any]:
        return _plain(self)


@dataclass(frozen=True)
class Over:
    """A limit over its cap on a campaign day (a violation's load): errors and warnings."""

    rule: str | None
    source: str
    severity: str
    amount: float  # its peak load that day
    cap: float
    unit: str  # nodes | clusters


@dataclass(frozen=True)
class Day:
    """One campaign day (a date in Settings ``timezone``)."""

    date: dt.date
    nodes_out: int  # the most nodes out at any one instant of the day
    peak_start: dt.datetime | None  # the first interval at that peak, in the campaign's zone
    peak_end: dt.datetime | None
    clusters: int  # windows starting that day
    cap: int | None  # the tightest node cap over the whole fleet placement kept that day
    over: tuple[Over, ...]  # limits over their cap that day


@dataclass(frozen=True)
class Impossible:
    cluster: str
    reason: str  # why no plan obeying the error rules can place it


@dataclass(frozen=True)
class BoundEntry:
    """The lower bound beside the plan (rules/placement/bound.py): the earliest finish any plan
    obeying the error rules could have, and why."""

    finish: dt.date | None  # None when nothing is to be placed
    reason: str  # the relaxation that sets it, in a planner's words
    gap_days: int | None  # the plan's last date minus finish; None while clusters are unscheduled
    deadline_possible: bool  # some plan could end by the deadline
    impossible: tuple[Impossible, ...]  # clusters no plan can place


@dataclass(frozen=True)
class SpreadEntry:
    """How evenly a spread rule's values advance on the plan's dates (rules/plan/spread.py)."""

    rule: str
    attribute: str
    largest_gap: float  # 0..1, rounded to 3 decimals: the worst date's largest minus smallest share
    date: dt.date | None  # the first date with that gap
    values: tuple[str, ...]  # the attribute's values among the rule's scheduled clusters


@dataclass(frozen=True)
class OptimiserEntry:
    """What the optimiser (rules/optimise/plan.py) did, and what it traded for its finish."""

    objective: str  # finish (Settings objective, or plan --optimise)
    seconds: float  # the budget, CP-SAT deterministic time
    status: str  # CP-SAT's status, or why it did not run
    used: bool  # the optimised plan replaced the greedy one
    modelled: int  # clusters in the CP-SAT model; the rest are filled in greedily
    greedy_last: dt.date | None
    optimised_last: dt.date | None
    out_of_order: int  # clusters starting before a cluster of an earlier tier, in the plan kept
    out_of_order_days: int  # by how many days at most
    greedy_out_of_order: int  # the same for the greedy plan
    greedy_out_of_order_days: int
    spread_gap: float | None = None  # the largest spread gap of the plan kept (None: no spread)
    greedy_spread_gap: float | None = None  # the same for the greedy plan


@dataclass(frozen=True)
class Summary:
    first_date: dt.date | None
    last_date: dt.date | None
    days: int  # calendar days from first to last, both counted
    peak_nodes_out: int  # the most nodes out at any instant of the plan
    peak_date: dt.date | None  # its campaign day
    peak_start: dt.datetime | None  # its first interval at that height, in the campaign's zone
    peak_end: dt.datetime | None
    timezone: str  # the campaign's zone: the days of ``daily`` and of caps' from..to
    daily_node_cap: int
    nodes_scheduled: int
    clusters_scheduled: int
    windows: int
    excluded: int
    unscheduled: int
    errors: int  # error violations
    warnings: int
    deadline: dt.date
    deadline_met: bool  # every cluster placed, the last window on or before the deadline
    daily: tuple[Day, ...]  # every campaign day from the first window's to the last one's
    bound: BoundEntry
    spread: tuple[SpreadEntry, ...]  # one per spread rule with scheduled clusters, by rule id
    optimiser: OptimiserEntry | None = None  # when the plan was optimised


# A field the tables (the API's CSV, the Schedule tab) leave out: start and end carry the offset.
_NOT_IN_TABLES = {"table": False}


@dataclass(frozen=True)
class WindowEntry:
    """A window as the document shows it: the placed window and its cluster's tier and region."""

    cluster: str
    date: dt.date  # local date
    start: dt.datetime  # ISO 8601 with the region's offset
    end: dt.datetime
    nodes: int
    batch: int
    batches: int
    tier: int | None  # the first matching priority row's value; None when none matches
    region: str
    geo: str
    rules: tuple[str, ...]
    timezone: str = field(metadata=_NOT_IN_TABLES)  # IANA: calendars show it in its own zone
    # stable across versions: cluster (without case), batch, retry (tables show it first)
    id: str = field(default="", metadata=_NOT_IN_TABLES)
    # planned | in_progress | done | failed | cancelled (tables show it after the id)
    state: str = field(default="planned", metadata=_NOT_IN_TABLES)
    retry: int = field(default=0, metadata=_NOT_IN_TABLES)  # 0: the batch; n: its n-th re-run
    retry_of: str | None = None  # the id of the failed or cancelled window it re-runs
    failed_nodes: int = 0  # hosts reported not back (done or failed)


WINDOW_FIELDS = tuple(f.name for f in fields(WindowEntry))
TABLE_FIELDS = tuple(f.name for f in fields(WindowEntry) if f.metadata.get("table", True))


@dataclass(frozen=True)
class UnscheduledEntry:
    """What of a cluster was not placed: all of it, or all but a pinned first batch."""

    cluster: str
    reason: str
    nodes: int  # nodes left unplaced
    batches: int  # batches left unplaced


@dataclass(frozen=True)
class AsOf:
    """When a plan was made from the campaign's progress (rules/progress.py)."""

    now: dt.datetime
    fresh: bool  # every window past the freeze placed again, none kept
    freeze_hours: int
    frozen_until: dt.datetime  # now + freeze_hours: nothing new or moved starts before it


@dataclass(frozen=True)
class ReplannedEntry:
    """A published window not kept where it was, and the rule or edit that forced it."""

    id: str
    cluster: str
    batch: int
    retry: int
    reason: str


@dataclass(frozen=True)
class Document:
    """The plan document; only ``errors`` when the workbook has any (no summary then).
    ``as_of`` and ``replanned`` only when it was planned from progress."""

    windows: tuple[WindowEntry, ...] = ()  # by date, cluster, batch
    excluded: tuple[Excluded, ...] = ()  # by cluster
    unscheduled: tuple[UnscheduledEntry, ...] = ()  # by cluster
    violations: tuple[Violation, ...] = ()  # by Violation.sort_key
    errors: tuple[SheetError, ...] = ()  # by cell, as validation reports them
    summary: Summary | None = None
    # Settings notice_hours: how long before a window its window.upcoming webhook goes out.
    notice_hours: int | None = None
    as_of: AsOf | None = None
    replanned: tuple[ReplannedEntry, ...] = ()  # by cluster, batch, retry

    def as_json(self) -> dict[str, Any]:
        """The document as JSON values (an absent summary is ``{}``, absent notice_hours left
        out: a document of errors only)."""
        out = _plain(self)
        out["summary"] = out["summary"] or {}
        if out["notice_hours"] is None:
            del out["notice_hours"]
        if self.as_of is None:  # planned from the workbook alone
            del out["as_of"], out["replanned"]
        return out


def _plain(value: Any) -> Any:
    if is_dataclass(value):
        return {f.name: _plain(getattr(value, f.name)) for f in fields(value)}
    if isinstance(value, dt.datetime):
        return calendar.iso(value)
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, (tuple, list)):
        return [_plain(item) for item in value]
    return value


def to_json(doc: dict[str, Any]) -> str:
    """The same bytes for the same document: keys sorted, lists already in a stable order."""
    return json.dumps(doc, sort_keys=True, indent=2, ensure_ascii=False) + "\n"
