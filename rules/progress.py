"""The campaign as it runs: what has happened so far, as plain data the planner takes in.

The api layer builds a ``Progress`` from its database (the current version's windows and their
reported states); the planner keeps what happened, freezes what is about to happen, and places
only the rest after *now* + Settings ``freeze_hours``. A workbook alone plans with no Progress.

A window's identity is its cluster (compared without case), its batch and its retry number
(0 for the batch itself, n for its n-th re-run): never its date, so it survives a move.
"""
from __future__ import annotations

import datetime as dt
import hashlib
import re
from dataclasses import dataclass, field
from typing import Any

STATES = ("planned", "in_progress", "done", "failed", "cancelled")
# Reported by a consumer: what happened, kept exactly in every later version.
HAPPENED = ("in_progress", "done", "failed", "cancelled")
# Nodes really out of service (a cancelled window took none out).
OCCUPIED = ("planned", "in_progress", "done", "failed")


def window_id(cluster: str, batch: int, retry: int = 0) -> str:
    """``<cluster slug>-<batch>[r<retry>]-<8 hex of sha256(lower-cased cluster)>``, e.g.
    ``swc-h100-01-1-7df95590``; the hash keeps two clusters whose slugs collide apart."""
    name = cluster.casefold()
    slug = re.sub(r"[^a-z0-9]+", "-", name).strip("-") or "cluster"
    suffix = f"r{retry}" if retry else ""
    return f"{slug}-{batch}{suffix}-{hashlib.sha256(name.encode()).hexdigest()[:8]}"


@dataclass(frozen=True)
class PublishedWindow:
    """A window of the current version, with the state reported for it."""

    cluster: str
    batch: int
    retry: int  # 0: the batch itself; n: its n-th re-run
    date: dt.date  # local calendar day of its region
    start: dt.datetime  # aware
    end: dt.datetime  # aware
    nodes: int
    batches: int
    state: str  # one of STATES
    failed_nodes: int = 0  # hosts that did not come back (done or failed)
    ended: dt.datetime | None = None  # when done or failed was reported
    retry_of: str | None = None  # the id of the window it re-runs
    rules: tuple[str, ...] = ()
    # How it was published (region, geo, timezone, tier): shown again when its cluster is gone.
    shown: dict[str, Any] = field(default_factory=dict, compare=False, hash=False)

    @property
    def id(self) -> str:
        return window_id(self.cluster, self.batch, self.retry)

    @property
    def key(self) -> tuple[str, int, int]:
        return self.cluster.casefold(), self.batch, self.retry

    def requeued_nodes(self) -> int:
        """Nodes a later window must redo: all of a failed or cancelled one (or the reported
        failed_nodes), the failed_nodes of a done one."""
        if self.state in ("failed", "cancelled"):
            return self.failed_nodes or self.nodes
        return self.failed_nodes if self.state == "done" else 0

    def finished(self) -> dt.datetime:
        """When its cluster's dependants may count from (after rules): the reported end of a
        done or failed window, else its planned end."""
        return self.ended if self.ended is not None and self.state in ("done", "failed") \
            else self.end


@dataclass(frozen=True)
class Progress:
    """What the plan takes as facts: the instant it is made at and the published windows."""

    now: dt.datetime  # aware
    windows: tuple[PublishedWindow, ...] = ()
    fresh: bool = False  # re-place every planned window past the freeze, not only invalid ones

    def freeze_at(self, freeze_hours: int) -> dt.datetime:
        return self.now + dt.timedelta(hours=freeze_hours)

    def frozen(self, window: PublishedWindow, freeze_hours: int) -> bool:
        """Kept as it is: reported, or starting before now + freeze_hours."""
        return window.state in HAPPENED or window.start < self.freeze_at(freeze_hours)


def from_document(window: dict[str, Any], state: str = "planned", failed_nodes: int = 0,
                  ended: dt.datetime | None = None) -> PublishedWindow:
    """A window of a plan document (the fields of ``plan --json``) with its reported state."""
    return PublishedWindow(
        cluster=window["cluster"], batch=window.get("batch", 1), retry=window.get("retry", 0),
        date=dt.date.fromisoformat(window["date"]),
        start=dt.datetime.fromisoformat(window["start"]),
        end=dt.datetime.fromisoformat(window["end"]), nodes=window["nodes"],
        batches=window.get("batches", 1), state=state, failed_nodes=failed_nodes, ended=ended,
        retry_of=window.get("retry_of"), rules=tuple(window.get("rules", ())),
        shown={key: window.get(key) for key in ("region", "geo", "timezone", "tier")})
