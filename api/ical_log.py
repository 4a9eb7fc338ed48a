"""The calendar's change log: what the iCalendar feed needs beyond the plan.

A calendar consumer applies an update to an event only when its SEQUENCE is higher than the one
it holds (RFC 5546, and the maintenance-notification BCOP). So every change to a window that a
calendar shows (moved, resized, another state or note) appends a row here with the next
SEQUENCE for its UID and the time of the change (DTSTAMP, LAST-MODIFIED), written in the same
transaction as the publication or the state report. A window that a version no longer has gets a
last row, ``cancelled``, and stays in the feed as STATUS:CANCELLED for
``ICAL_CANCELLED_DAYS`` days (default 30).
"""
from __future__ import annotations

import datetime as dt
import hashlib
import json
from dataclasses import dataclass

import sqlalchemy as sa

from . import db

SHOWN = ("cluster", "start", "end", "nodes", "batch", "batches", "state", "note")


@dataclass(frozen=True)
class Entry:
    """A UID's latest change: its SEQUENCE, when, and the window as it was then."""

    sequence: int
    fingerprint: str
    changed_at: dt.datetime
    cancelled: bool
    window: dict


def fingerprint(window: dict) -> str:
    shown = {key: window.get(key) for key in SHOWN}
    return hashlib.sha256(json.dumps(shown, sort_keys=True, default=str).encode()).hexdigest()


def latest(conn: sa.Connection, version: int | None = None, uids=None) -> dict[str, Entry]:
    """Each UID's newest row (of versions up to ``version``; of ``uids`` only, when given)."""
    log = db.calendar_changes
    newest = sa.select(sa.func.max(log.c.id)).group_by(log.c.uid)
    if version is not None:
        newest = newest.where(log.c.version <= version)
    if uids is not None:
        newest = newest.where(log.c.uid.in_(list(uids)))
    rows = conn.execute(sa.select(log).where(log.c.id.in_(newest))).all()
    return {r.uid: Entry(r.sequence, r.fingerprint, db.utc(r.changed_at), r.cancelled, json.loads(r.window))
            for r in rows}


def record(conn: sa.Connection, windows: list[dict], version: int, when: dt.datetime,
           complete: bool) -> None:
    """Log the windows that changed since their last row. ``complete``: ``windows`` are all of
    a new version's, so any UID missing from them was removed (cancelled)."""
    # A state report touches one window: read its rows only (a report costs the same at any size).
    known = latest(conn) if complete else latest(conn, uids={w["id"] for w in windows})
    rows = []

    def add(uid: str, window: dict, cancelled: bool, print_: str) -> None:
        before = known.get(uid)
        rows.append({"uid": uid, "version": version, "changed_at": when, "cancelled": cancelled,
                     "sequence": 0 if before is None else before.sequence + 1,
                     "fingerprint": print_, "window": json.dumps(window, sort_keys=True)})

    for window in windows:
        print_ = fingerprint(window)
        before = known.get(window["id"])
        if before is None or before.cancelled or before.fingerprint != print_:
            add(window["id"], window, False, print_)
    if complete:
        present = {w["id"] for w in windows}
        for uid, before in sorted(known.items()):
            if uid not in present and not before.cancelled:
                add(uid, before.window, True, before.fingerprint)
    if rows:
        conn.execute(sa.insert(db.calendar_changes), rows)


def cancelled_within(entries: dict[str, Entry], present: set[str], since: dt.datetime
                     ) -> list[dict]:
    """Removed windows whose cancellation is newer than ``since``, oldest UID first."""
    return [entry.window for uid, entry in sorted(entries.items())
            if entry.cancelled and uid not in present and entry.changed_at >= since]
