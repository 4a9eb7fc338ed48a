"""A version's windows, filtered and rendered as JSON, CSV or iCalendar, and served with ETags:
what /schedule, /versions/{n} and the calendar feeds (/feeds/{secret}.ics) share.

Renderings are cached per process, keyed by everything they depend on: the version, the state
revision (every state report moves it), the format, the filters, and for iCalendar the day
(removed windows leave the feed ICAL_CANCELLED_DAYS after their removal).
"""
from __future__ import annotations

import datetime as dt

from flask import current_app

from . import db, formats, ical, ical_log, store
from .schemas import ScheduleSchema
from .windows import WindowFilter


def calendar_windows(conn, publication: store.Publication, windows: list[dict],
                     wanted: WindowFilter, today: dt.date) -> tuple[list[dict], dict]:
    """The feed's windows: ``windows`` plus those removed within the retention period (as
    cancelled, marked ``removed``) that match ``wanted``; and the change log they need."""
    log = ical_log.latest(conn, publication.version)
    present = {w["id"] for w in publication.windows_with_ids}
    since = dt.datetime.combine(today, dt.time(), dt.timezone.utc) - dt.timedelta(
        days=int(current_app.config["ICAL_CANCELLED_DAYS"]))
    removed = [{**w, "state": "cancelled", "removed": True}
               for w in ical_log.cancelled_within(log, present, since)]
    return windows + [w for w in removed if wanted.matches(w)], log


def render(conn, publication: store.Publication, windows: list[dict], fmt: str,
           wanted: WindowFilter, today: dt.date) -> bytes:
    if fmt == "csv":
        return formats.to_csv(windows)
    if fmt == "ics":
        shown, log = calendar_windows(conn, publication, windows, wanted, today)
        return ical.to_ical(shown, publication.version, publication.published_at, log,
                            current_app.config)
    return formats.to_json(ScheduleSchema().dump({
        "version": publication.version, "published_at": publication.published_at,
        "windows": windows}))


def serve(version: int | None, wanted: WindowFilter, fmt: str):
    """A version's (None: the current one's) windows matching ``wanted``, as ``fmt``."""
    cache = current_app.extensions["planner_db"].setdefault("rendered", {})
    today = db.now().date()
    with db.reading() as conn:
        head = store.head(conn)
        publication = store.load_published(conn, head.version if version is None else version)
        key = (publication.version, head.state_revision, fmt, wanted.key(),
               today if fmt == "ics" else None)
        entry = cache.get(key)  # read once: another thread may clear the cache meanwhile
        if entry is None:
            windows = [w for w in store.windows_of(conn, publication) if wanted.matches(w)]
            changed = max(filter(None, (publication.published_at, head.states_changed_at)))
            body = render(conn, publication, windows, fmt, wanted, today)
            entry = (body, formats.etag(body), changed)
            if len(cache) > 256:
                cache.clear()
            cache[key] = entry
    body, tag, last_modified = entry
    return formats.conditional(body, tag, formats.MEDIA_TYPES[fmt], last_modified)
