"""``window.upcoming``: one event per window and start, ``notice_hours`` (a Settings value,
default 24) before a planned window of the current version starts. The delivery workers check
every round; the notices table's key makes two of them agree on who announces a window.
"""
from __future__ import annotations

import datetime as dt

import sqlalchemy as sa

from . import db, outbox, store

DEFAULT_NOTICE_HOURS = 24


def due(windows: list[dict], announced: set[tuple[str, str]], now: dt.datetime,
        notice_hours: int) -> list[dict]:
    """Planned windows starting within ``notice_hours`` of ``now`` and not yet announced."""
    until = now + dt.timedelta(hours=notice_hours)
    return [w for w in windows if w["state"] == "planned" and (w["id"], w["start"]) not in
            announced and now <= dt.datetime.fromisoformat(w["start"]) < until]


def _due(conn) -> tuple[int | None, int, list[dict], dt.datetime]:
    """The current version, its notice hours, the windows to announce now, and now."""
    version = store.head(conn).version
    if version is None:
        return None, DEFAULT_NOTICE_HOURS, [], outbox.instant()
    publication = store.load(conn, version)
    hours = publication.document.get("notice_hours", DEFAULT_NOTICE_HOURS)
    announced = {(r.window_id, r.start) for r in conn.execute(
        sa.select(db.upcoming_notices.c.window_id, db.upcoming_notices.c.start))}
    now = outbox.instant()
    return version, hours, due(store.windows_of(conn, publication), announced, now, hours), now


def announce_upcoming() -> int:
    """Write the due window.upcoming events to the outbox; how many."""
    with db.reading() as conn:  # most rounds have nothing to announce: no write lock for them
        if not _due(conn)[2]:
            return 0
    try:
        with db.writing() as conn:
            version, hours, windows, now = _due(conn)
            for window in windows:
                conn.execute(sa.insert(db.upcoming_notices).values(
                    window_id=window["id"], start=window["start"], sent_at=db.now()))
                starts_in = dt.datetime.fromisoformat(window["start"]) - now
                outbox.record(conn, "window.upcoming", {
                    "version": version, "window": window, "notice_hours": hours,
                    "starts_in_hours": round(starts_in.total_seconds() / 3600, 2)})
            return len(windows)
    except sa.exc.IntegrityError:
        return 0  # another worker announced them first
