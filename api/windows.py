"""What the API adds to a plan's windows: stable ids, states, filters, diffs. Pure functions.

A window's id is derived from its cluster (without case), batch and retry only, never its date,
so it stays the same across versions while the window moves (rules.progress.window_id).

A window's state is the last one reported for it while it had the same start. A reported window
(in_progress, done, failed, cancelled) is never moved by a later version; a failed or cancelled
one is re-run by a new window (``retry_of`` its id) that the next publication places.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from rules.progress import STATES, window_id

__all__ = ["STATES", "TRANSITIONS", "window_id"]

TRANSITIONS = {
    "planned": ("in_progress", "cancelled"),
    "in_progress": ("done", "failed"),
    "failed": (),  # final: the next publication re-queues its nodes as a new window
    "done": (),
    "cancelled": (),  # final: re-queued the same way
}
# States that may say how many hosts did not come back (and which).
WITH_FAILED_NODES = ("done", "failed")


@dataclass(frozen=True)
class StateRecord:
    """The latest reported state of a window, for the start it was reported against."""

    state: str
    start: str
    note: str = ""
    who: str = ""
    changed_at: str = ""
    failed_nodes: int = 0
    hosts: tuple[str, ...] = ()


@dataclass(frozen=True)
class StateChange:
    """A reporter's request to move a window to ``state``."""

    state: str
    note: str = ""
    failed_nodes: int | None = None  # done or failed: hosts that did not come back
    hosts: tuple[str, ...] = ()  # their names, when known

    def problem(self, window: dict) -> str | None:
        """Why the report does not fit ``window``, for people; None when it does."""
        given = self.failed_nodes is not None or self.hosts
        if given and self.state not in WITH_FAILED_NODES:
            return f"failed_nodes and hosts go with done or failed, not {self.state}."
        failed = self.failed_count(window)
        if not 0 <= failed <= window["nodes"]:
            return (f"failed_nodes must be 0 to {window['nodes']} (the window's nodes), "
                    f"not {failed}.")
        if len(self.hosts) > failed:
            return f"{len(self.hosts)} hosts named but failed_nodes is {failed}."
        return None

    def failed_count(self, window: dict) -> int:
        """failed_nodes as given, else the hosts named, else none."""
        return len(self.hosts) if self.failed_nodes is None else self.failed_nodes

    def repeats(self, record: StateRecord | None, window: dict) -> bool:
        """The same report again: answered as before, recorded once."""
        return record is not None and record.state == self.state and \
            record.failed_nodes == self.failed_count(window) and record.hosts == self.hosts


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
        wid = window_id(window["cluster"], window.get("batch", 1), window.get("retry", 0))
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


def changes(old: list[dict], new_doc: dict) -> dict:
    """What a publication changed against the version before it: windows kept (a count), moved
    or resized (each with the rule or edit that forced it), added, removed, re-queued."""
    before = {window_id(w["cluster"], w.get("batch", 1), w.get("retry", 0)): w for w in old}
    after = {w["id"]: w for w in with_states(new_doc.get("windows", []), {})}
    why = {r["id"]: r["reason"] for r in new_doc.get("replanned", [])}
    kept, moved = 0, []
    for wid in sorted(before.keys() & after.keys()):
        was, now = before[wid], after[wid]
        if _instant(was["start"]) == _instant(now["start"]) and was["nodes"] == now["nodes"]:
            kept += 1
            continue
        moved.append({"id": wid, "cluster": now["cluster"], "batch": now.get("batch", 1),
                      "old_start": was["start"], "new_start": now["start"],
                      "old_nodes": was["nodes"], "new_nodes": now["nodes"],
                      "reason": why.get(wid) or (
                          f"resized from {was['nodes']} to {now['nodes']} nodes in the workbook"
                          if was["nodes"] != now["nodes"] else "the workbook changed")})
    new = [after[i] for i in sorted(after.keys() - before.keys())]
    return {
        "kept": kept, "moved": moved,
        "added": [w for w in new if not w.get("retry_of")],
        "requeued": [w for w in new if w.get("retry_of")],
        "removed": [{**before[i], "id": i, "reason": why.get(i, "no longer planned")}
                    for i in sorted(before.keys() - after.keys())],
    }
