"""The schedule as an iCalendar feed (RFC 5545) that follows the maintenance-notification BCOP
(draft-gunter-calext-maintenance-notifications): one VEVENT per window, ``UID`` = window id @
``ICAL_UID_DOMAIN``.

- ``SEQUENCE``, ``DTSTAMP`` and ``LAST-MODIFIED`` come from the calendar's change log
  (api.ical_log): the sequence rises with every change a consumer can see and never falls.
- Windows removed by a version stay as ``STATUS:CANCELLED`` for ``ICAL_CANCELLED_DAYS``.
- ``X-MAINTNOTE-STATUS`` maps our states to the BCOP's (see BCOP_STATUS); a failed window is
  ``RE-SCHEDULED`` (it did not complete and will be planned again), never mistaken for one in
  progress, and ``DESCRIPTION`` carries the reporter's note.
- Every TEXT value is escaped per RFC 5545 (``\\,`` ``\\;`` ``\\\\`` ``\\n``); X- properties
  are written as ``VALUE=TEXT`` so readers unescape them too.
- VTIMEZONE blocks cover only the feed's dates.
"""
from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

from .ical_log import Entry

BCOP_STATUS = {"planned": "CONFIRMED", "in_progress": "IN-PROCESS", "done": "COMPLETED",
               "failed": "RE-SCHEDULED", "cancelled": "CANCELLED"}


def _zoned(text: str, zone: str | None) -> dt.datetime:
    instant = dt.datetime.fromisoformat(text)
    return instant.astimezone(ZoneInfo(zone) if zone else dt.timezone.utc)


def _text(event, name: str, value: str) -> None:
    """An X- property as TEXT: escaped on the way out, unescaped by every reader."""
    import icalendar

    event.add(name, icalendar.vText(value), parameters={"VALUE": "TEXT"})


def describe(window: dict) -> str:
    state = window["state"].replace("_", " ")
    lines = [f"State: {'removed from the schedule' if window.get('removed') else state}."]
    if window.get("note"):
        lines.append(f"Note: {window['note']}")
    lines.append("Placed by rules: " + (", ".join(window.get("rules") or ()) or "none"))
    return "\n".join(lines)


def event_of(window: dict, entry: Entry | None, published_at: dt.datetime, config):
    import icalendar

    event = icalendar.Event()
    zone = window.get("timezone")
    stamp = entry.changed_at if entry else published_at
    event.add("uid", f"{window['id']}@{config['ICAL_UID_DOMAIN']}")
    event.add("sequence", entry.sequence if entry else 0)
    event.add("dtstamp", stamp)
    event.add("last-modified", stamp)
    event.add("organizer", config["ICAL_ORGANIZER"])
    event.add("dtstart", _zoned(window["start"], zone))
    event.add("dtend", _zoned(window["end"], zone))
    batch = f", batch {window.get('batch', 1)} of {window.get('batches', 1)}" \
        if window.get("batches", 1) > 1 else ""
    event.add("summary", f"Maintenance of {window['cluster']} ({window['nodes']} nodes{batch})")
    event.add("description", describe(window))
    event.add("status", "CANCELLED" if window["state"] == "cancelled" else "CONFIRMED")
    event.add("transp", "OPAQUE")
    for name, value in (("x-maintnote-provider", config["MAINTNOTE_PROVIDER"]),
                        ("x-maintnote-account", config["MAINTNOTE_ACCOUNT"]),
                        ("x-maintnote-maintenance-id", window["id"]),
                        ("x-maintnote-object-id", window["cluster"]),
                        ("x-maintnote-impact", "OUTAGE" if window.get("batches", 1) == 1
                         else "DEGRADED"),
                        ("x-maintnote-status", BCOP_STATUS[window["state"]])):
        _text(event, name, value)
    return event


def to_ical(windows: list[dict], version: int, published_at: dt.datetime,
            log: dict[str, Entry], config) -> bytes:
    """The feed of ``windows`` (with ids, states and notes; removed ones marked ``removed``)."""
    import icalendar  # only the calendar feed needs it: the app and the CLI start without it

    cal = icalendar.Calendar()
    cal.add("prodid", "-//maintenance-planner//schedule//EN")
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("method", "PUBLISH")
    cal.add("x-wr-calname", icalendar.vText(f"Maintenance schedule, version {version}"),
            parameters={"VALUE": "TEXT"})
    for window in windows:
        cal.add_component(event_of(window, log.get(window["id"]), published_at, config))
    if windows:
        days = [dt.datetime.fromisoformat(w[key]).date() for w in windows
                for key in ("start", "end")]
        cal.add_missing_timezones(min(days) - dt.timedelta(days=1),
                                  max(days) + dt.timedelta(days=1))
    return cal.to_ical()

