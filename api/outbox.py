"""The transactional outbox: an event is written in the transaction of the change it announces,
with one pending delivery per subscription that wants it, so it is sent if and only if the
change happened (the delivery worker, api.delivery, sends it later, at least once).

Event envelope (the signed body, per the Standard Webhooks spec): ``{"type", "timestamp" (ISO
8601, UTC, microseconds), "data"}``; ``webhook-id`` is the event's ``msg_...`` id, the same for
every subscriber and every retry, so receivers can drop duplicates.
"""
from __future__ import annotations

import datetime as dt
import json
import secrets

import sqlalchemy as sa
from flask import current_app

from . import db

EVENT_TYPES = ("version.published", "window.state_changed", "window.upcoming")


def instant() -> dt.datetime:
    """The app's clock (config NOW fixes it) to the microsecond, in UTC: when it happened."""
    when = current_app.config["NOW"] or dt.datetime.now(dt.timezone.utc)
    return when.astimezone(dt.timezone.utc)


def envelope(event_type: str, data: dict, when: dt.datetime) -> str:
    return json.dumps({"type": event_type, "timestamp": when.isoformat(), "data": data},
                      sort_keys=True, separators=(",", ":"), ensure_ascii=False, default=str)


def record(conn: sa.Connection, event_type: str, data: dict) -> str:
    """Write one event and its deliveries inside the caller's transaction; its ``msg_`` id."""
    when = instant()
    event_id = "msg_" + secrets.token_hex(12)
    outbox_id = conn.execute(sa.insert(db.outbox).values(
        event_id=event_id, type=event_type, payload=envelope(event_type, data, when),
        created_at=db.now()).returning(db.outbox.c.id)).scalar_one()
    subs = db.subscriptions
    # Disabled subscriptions get their deliveries too: re-enabled, they resume where they were.
    wanting = conn.execute(sa.select(subs.c.id, subs.c.events)).all()
    rows = [{"subscription_id": sid, "outbox_id": outbox_id, "status": "pending",
             "attempts": 0, "next_attempt_at": when}
            for sid, events in wanting if event_type in events.split()]
    if rows:
        conn.execute(sa.insert(db.deliveries), rows)
    return event_id
