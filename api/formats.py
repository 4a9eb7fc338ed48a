"""The schedule as bytes: JSON, CSV and iCalendar, chosen by ``?format=`` or ``Accept``; strong
ETags (sha256 of the exact bytes, so instances sharing a database agree) and 304s.
"""
from __future__ import annotations

import csv
import datetime as dt
import hashlib
import io
import json
from zoneinfo import ZoneInfo

from flask import Response, request

from rules.plan.document import TABLE_FIELDS

MEDIA_TYPES = {"json": "application/json", "csv": "text/csv", "ics": "text/calendar"}
# The API's id and state, then the plan document's window fields (rules/plan/document.py).
CSV_COLUMNS = ("id", "state", *TABLE_FIELDS)
# Our states in the maintenance-notification BCOP's vocabulary. A failed window is not
# finished from the consumer's point of view: it will be re-queued.
BCOP_STATUS = {"planned": "CONFIRMED", "in_progress": "IN-PROCESS", "done": "COMPLETED",
               "failed": "IN-PROCESS", "cancelled": "CANCELLED"}


def choose(requested: str | None) -> str:
    if requested:
        return requested
    by_type = {v: k for k, v in MEDIA_TYPES.items()}
    best = request.accept_mimetypes.best_match(list(by_type), default="application/json")
    return by_type[best]


def to_json(payload) -> bytes:
    return json.dumps(payload, sort_keys=True, separators=(",", ":"), ensure_ascii=False,
                      default=str).encode() + b"\n"


def neutralise(value):
    """A text cell that a spreadsheet would run as a formula starts with an apostrophe (OWASP)."""
    if isinstance(value, str) and value[:1] in ("=", "+", "-", "@", "\t", "\r"):
        return "'" + value
    return value


def to_csv(windows: list[dict]) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(CSV_COLUMNS)
    for window in windows:
        row = {**window, "rules": " ".join(window.get("rules") or ())}
        writer.writerow([neutralise("" if row.get(c) is None else row.get(c))
                         for c in CSV_COLUMNS])
    return out.getvalue().encode()


def _zoned(text: str, zone: str | None) -> dt.datetime:
    instant = dt.datetime.fromisoformat(text)
    return instant.astimezone(ZoneInfo(zone) if zone else dt.timezone.utc)


def to_ical(windows: list[dict], version: int, published_at: dt.datetime, config) -> bytes:
    """One VEVENT per window with the BCOP's X-MAINTNOTE-* properties; UID = window id."""
    import icalendar  # only the calendar feed needs it: the app and the CLI start without it

    cal = icalendar.Calendar()
    cal.add("prodid", "-//maintenance-planner//schedule//EN")
    cal.add("version", "2.0")
    cal.add("x-wr-calname", f"Maintenance schedule, version {version}")
    for window in windows:
        event = icalendar.Event()
        zone = window.get("timezone")
        event.add("uid", f"{window['id']}@{config['ICAL_UID_DOMAIN']}")
        event.add("dtstamp", published_at)
        event.add("sequence", version)
        event.add("dtstart", _zoned(window["start"], zone))
        event.add("dtend", _zoned(window["end"], zone))
        batch = f", batch {window.get('batch', 1)} of {window.get('batches', 1)}" \
            if window.get("batches", 1) > 1 else ""
        event.add("summary", f"Maintenance of {window['cluster']} "
                             f"({window['nodes']} nodes{batch})")
        event.add("description", "Placed by rules: " + (", ".join(window.get("rules") or ())
                                                      or "none"))
        event.add("status", "CANCELLED" if window["state"] == "cancelled" else "CONFIRMED")
        event.add("x-maintnote-provider", config["MAINTNOTE_PROVIDER"])
        event.add("x-maintnote-account", config["MAINTNOTE_ACCOUNT"])
        event.add("x-maintnote-maintenance-id", window["id"])
        event.add("x-maintnote-object-id", window["cluster"])
        event.add("x-maintnote-impact", "OUTAGE" if window.get("batches", 1) == 1
                  else "DEGRADED")
        event.add("x-maintnote-status", BCOP_STATUS[window["state"]])
        cal.add_component(event)
    cal.add_missing_timezones()
    return cal.to_ical()


def etag(body: bytes) -> str:
    return hashlib.sha256(body).hexdigest()


def conditional(body: bytes, tag: str, fmt: str, last_modified: dt.datetime | None) -> Response:
    """The response, or a 304 when If-None-Match (or If-Modified-Since) says the client has it."""
    response = Response(body, mimetype=MEDIA_TYPES[fmt])
    response.set_etag(tag)
    if last_modified is not None:
        response.last_modified = last_modified
    response.headers["Vary"] = "Accept, Authorization"
    response.headers["Cache-Control"] = "private, no-cache"
    return response.make_conditional(request)
