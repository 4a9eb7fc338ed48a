"""What the API adds to a plan's windows: stable ids, states, filters, diffs. Pure functions.

A window's id is derived from its cluster and batch number only (not its date), so it stays the
same across versions while the window moves: ``<cluster slug>-<batch>-<8 hex of sha256(cluster)>``
(the hash keeps two clusters whose slugs collide apart), e.g. ``swc-h100-01-1-7df95590``.

A window's state is the last one reported for it while it had the same start; when a new version
moves the window, its state is ``planned`` again (the old report was about another window).
"""
from __future__ import annotations

import datetime as dt
import hashlib
import re
from dataclasses import dataclass

STATES = ("planned", "in_progress", "done", "failed", "cancelled")
TRANSITIONS = {
    "planned": ("in_progress", "cancelled"),
    "in_progress": ("done", "failed"),
    "failed": ("planned",),  # re-queued
    "done": (),
    "cancelled": (),
}


def window_id(cluster: str, batch: int) -> str:
    slug = re.sub(r"[^a-z0-9]+", "-", cluster.lower()).strip("-") or "cluster"
    return f"{slug}-{batch}-{hashlib.sha256(cluster.encode()).hexdigest()[:8]}"


@dataclass(frozen=True)
class StateRecord:
    """The latest reported state of a window, for the start it was reported against."""

    state: str
    start: str
    note: str = ""
    who: str = ""
    changed_at: str = ""


@dataclass(frozen=True)
class StateChange:
    """A reporter's request to move a window to ``state``."""

    state: str
    note: str = ""


def _instant(text: str) -> dt.datetime:
    return dt.datetime.fromisoformat(text)


def state_of(window: dict, record: StateRecord | None) -> str:
    if record is None or _instant(record.start) != _instant(window["start"]):
        return "planned"
    return record.state


def with_states(windows: list[dict], records: dict[str, StateRecord]) -> list[dict]:
    """The plan's windows, each with its ``id`` and current ``state``."""
    result = []
    for window in windows:
        wid = window_id(window["cluster"], window.get("batch", 1))
        result.append({**window, "id": wid, "state": state_of(window, records.get(wid))})
    return result


def allowed_next(state: str) -> tuple[str, ...]:
    return TRANSITIONS[state]


def transition_error(current: str, wanted: str) -> str | None:
    """Why ``current -> wanted`` is illegal, for people; None when it is legal."""
    if wanted in TRANSITIONS[current]:
        return None
    nexts = TRANSITIONS[current]
    legal = ", ".join(nexts) if nexts else "none (it is final)"
    return f"A window in state {current} cannot become {wanted}; allowed next states: {legal}."


@dataclass(frozen=True)
class WindowFilter:
    """Query filters; each one unset matches every window. Dates compare with the local date."""

    cluster: str | None = None
    region: str | None = None
    geo: str | None = None
    from_date: dt.date | None = None
    to_date: dt.date | None = None
    state: str | None = None

    def matches(self, window: dict) -> bool:
        for key in ("cluster", "region", "geo", "state"):
            wanted = getattr(self, key)
            if wanted is not None and str(window.get(key) or "").lower() != wanted.lower():
                return False
        day = dt.date.fromisoformat(window["date"])
        return (self.from_date is None or day >= self.from_date) and (
            self.to_date is None or day <= self.to_date)

    def key(self) -> tuple:
        return tuple(None if v is None else str(v).lower() for v in (
            self.cluster, self.region, self.geo, self.from_date, self.to_date, self.state))


def hours(window: dict) -> float:
    return (_instant(window["end"]) - _instant(window["start"])).total_seconds() / 3600


def diff(old: list[dict], new: list[dict]) -> dict:
    """Windows (with ids) added, removed, moved (another start) or resized (nodes or hours)."""
    before = {w["id"]: w for w in old}
    after = {w["id"]: w for w in new}
    added = [after[i] for i in sorted(after.keys() - before.keys())]
    removed = [before[i] for i in sorted(before.keys() - after.keys())]
    moved, resized = [], []
    for wid in sorted(before.keys() & after.keys()):
        was, now = before[wid], after[wid]
        if _instant(was["start"]) != _instant(now["start"]):
            moved.append({"id": wid, "cluster": now["cluster"], "batch": now.get("batch", 1),
                          "old_date": was["date"], "new_date": now["date"],
                          "old_start": was["start"], "new_start": now["start"]})
        if was["nodes"] != now["nodes"] or hours(was) != hours(now):
            resized.append({"id": wid, "cluster": now["cluster"], "batch": now.get("batch", 1),
                            "old_nodes": was["nodes"], "new_nodes": now["nodes"],
                            "old_hours": hours(was), "new_hours": hours(now)})
    return {"added": added, "removed": removed, "moved": moved, "resized": resized}


def upcoming(windows: list[dict], now: dt.datetime, within_hours: int) -> list[dict]:
    """What a workload scheduler must act on, soonest first: windows in progress, planned ones
    whose start has passed (overdue), and any that start from ``now`` to ``within_hours``
    later."""
    until = now + dt.timedelta(hours=within_hours)

    def wanted(window: dict) -> bool:
        start = _instant(window["start"])
        if start < now:
            return window["state"] in ("in_progress", "planned")
        return start < until

    return sorted(filter(wanted, windows), key=lambda w: (_instant(w["start"]), w["id"]))
