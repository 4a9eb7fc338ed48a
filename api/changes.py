"""What a change tells consumers, written in the change's own transaction: the webhook event
(api.outbox) and the calendar's change log (api.ical_log).

Payloads (``data`` of the event envelope):
- ``version.published``: ``version``, ``previous`` (None for the first), ``published_at``,
  ``who``, ``message``, ``schedule_url`` and ``diff`` (as GET /versions/{n}/diff).
- ``window.state_changed``: ``version``, ``window`` (with its new state), ``old_state``,
  ``new_state``, ``note``, ``failed_nodes`` (None unless reported), ``who``, ``changed_at``.
"""
from __future__ import annotations

import datetime as dt

import sqlalchemy as sa
from flask import current_app

from . import ical_log, outbox
from .windows import StateRecord, diff, state_of, with_states


def shown(windows: list[dict], records: dict[str, StateRecord]) -> list[dict]:
    """Windows with their ids, states and the note of the report that set the state."""
    out = []
    for window in with_states(windows, records):
        record = records.get(window["id"])
        applies = record is not None and state_of(window, record) == record.state
        out.append({**window, "note": record.note if applies else ""})
    return out


def schedule_url(version: int) -> str:
    return f"{current_app.config['PUBLIC_URL'].rstrip('/')}/api/v1/versions/{version}"


def published(conn: sa.Connection, publication, previous, records: dict[str, StateRecord]
              ) -> None:
    """A new version: its event, and every window that changed in the calendar's log."""
    new = shown(publication.windows, records)
    old = shown(previous.windows, records) if previous else []
    outbox.record(conn, "version.published", {
        "version": publication.version, "previous": previous and previous.version,
        "published_at": publication.published_at.isoformat(), "who": publication.who,
        "message": publication.message, "schedule_url": schedule_url(publication.version),
        "diff": diff_with_states(old, new)})
    ical_log.record(conn, new, publication.version, publication.published_at, complete=True)


def diff_with_states(old: list[dict], new: list[dict]) -> dict:
    """api.windows.diff, each moved or resized entry with the state at both ends."""
    changes = diff(old, new)
    before = {w["id"]: w["state"] for w in old}
    after = {w["id"]: w["state"] for w in new}
    for key in ("moved", "resized"):
        changes[key] = [{**entry, "old_state": before[entry["id"]],
                         "new_state": after[entry["id"]]} for entry in changes[key]]
    return changes


def state_changed(conn: sa.Connection, version: int, window: dict, old_state: str,
                  who: str, when: dt.datetime, failed_nodes=None) -> None:
    """A reported state: its event, and the window's new row in the calendar's log."""
    outbox.record(conn, "window.state_changed", {
        "version": version, "window": window, "old_state": old_state,
        "new_state": window["state"], "note": window["note"], "failed_nodes": failed_nodes,
        "who": who, "changed_at": when.isoformat()})
    ical_log.record(conn, [window], version, when, complete=False)

