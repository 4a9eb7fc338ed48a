"""Every setting of the planner, declared once: its name, its default, how it is read, what it does.

Operators set them in the environment as ``PLANNER_<NAME>`` (``PLANNER_DATABASE_URL``,
``PLANNER_SHEET_ID``, ...); the old name without the prefix is still read when the prefixed one
is unset. The web app holds them in ``app.config`` under ``<NAME>`` (api/__init__.py fills it from
``from_environ``); the CLI, which may run without the app (the ``planner`` command), reads the same
mapping from ``from_environ``. docs/configuration.md shows this table (a test keeps them equal).

No Flask here: the ``planner`` command imports this module.
"""
from __future__ import annotations

import datetime as dt
import os
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

PREFIX = "PLANNER_"


def instant(text: str) -> dt.datetime:
    """An ISO 8601 date-time with its offset (``2026-12-07T09:00:00+00:00``; ``Z`` for UTC)."""
    value = dt.datetime.fromisoformat(text.strip().replace("Z", "+00:00"))
    if value.tzinfo is None:
        raise ValueError(f"{text!r} has no UTC offset: add one, e.g. {text.strip()}+00:00")
    return value


@dataclass(frozen=True)
class Key:
    name: str
    default: Any
    meaning: str
    parse: Callable[[str], Any] = str


KEYS = (
    Key("DATABASE_URL", None, "SQLAlchemy URL of the database: `sqlite:///path.db`, or "
        "`postgresql://user@host/db` (psycopg 3). Unset: SQLite in `instance/planner.db`."),
    Key("NOW", None, "Fixes the app's clock to this ISO 8601 instant with its offset "
        "(`2026-12-07T09:00:00+00:00`), for rehearsals and tests: publications are planned at "
        "it (nothing new before it + `freeze_hours`), state changes and runs are stamped with "
        "it. Unset: the real clock.", instant),
    Key("TOKEN_CACHE_SECONDS", 30.0, "How long a worker trusts a bearer token it has checked "
        "(saves a query per request); a deleted token keeps working this long.", float),
    Key("MAX_CONTENT_LENGTH", 8 * 1024 * 1024, "Largest request body in bytes (413 above it); "
        "a campaign workbook is a few hundred KiB.", int),
    Key("ICAL_UID_DOMAIN", "maintenance-planner", "The domain part of each calendar event's UID "
        "(`<window id>@<domain>`)."),
    Key("MAINTNOTE_PROVIDER", "azure.com", "`X-MAINTNOTE-PROVIDER` of calendar events: who "
        "does the maintenance."),
    Key("MAINTNOTE_ACCOUNT", "gpu-fleet", "`X-MAINTNOTE-ACCOUNT` of calendar events: whose "
        "hosts it is done on."),
    Key("ICAL_ORGANIZER", "mailto:maintenance-planner@invalid", "`ORGANIZER` of calendar "
        "events (the BCOP requires one): who to write to about the maintenance."),
    Key("ICAL_CANCELLED_DAYS", 30, "Days a window removed by a new version stays in the "
        "calendar feed as `STATUS:CANCELLED`.", int),
    Key("PUBLIC_URL", "http://127.0.0.1:8000", "Where consumers reach the API: the base of "
        "`schedule_url` in webhook events and of secret calendar-feed URLs."),
    Key("WEBHOOK_TIMEOUT_SECONDS", 10.0, "Seconds a webhook receiver has to answer.", float),
    Key("WEBHOOK_RETRY_BASE_SECONDS", 10.0, "Backoff of webhook retries: after the n-th failure "
        "in a row, wait ½ to 1 × min(max, base × 2^(n-1)) seconds.", float),
    Key("WEBHOOK_RETRY_MAX_SECONDS", 3600.0, "The longest wait between two webhook attempts.",
        float),
    Key("WEBHOOK_DISABLE_AFTER", 20, "Failed webhook attempts in a row that disable a "
        "subscription (about 6 to 12 hours with the default backoff).", int),
    Key("WEBHOOK_LEASE_SECONDS", 60.0, "How long a delivery worker holds a subscription while "
        "sending (at least 2 × the timeout + 1): a dead worker's events go out again after it.",
        float),
    Key("WEBHOOK_WORKER_THREADS", 8, "Subscriptions one `flask --app wsgi deliver` serves at "
        "once.", int),
    Key("WEBHOOK_POLL_SECONDS", 1.0, "A delivery worker's pause when nothing is due.", float),
    Key("WEBHOOK_ALLOWED_NETWORKS", None, "Non-public networks webhooks may go to, as CIDRs, "
        "comma-separated (`127.0.0.0/8` for a receiver on the same host). Unset: public "
        "addresses only."),
    Key("SHEET_ID", None, "The live Google Sheet's id (or URL). Unset: no live sheet, webhook, "
        "poller nor draft."),
    Key("GOOGLE_APPLICATION_CREDENTIALS", None, "Path of the service account's JSON key file, "
        "for every Google Sheet (`gsheet:ID` in the CLI, the live sheet)."),
    Key("SHEETS_API_URL", None, "Replaces `https://sheets.googleapis.com` (a proxy, a private "
        "endpoint, the tests' fake)."),
    Key("DRIVE_API_URL", None, "Replaces `https://www.googleapis.com` (Drive: the sheet's "
        "modifiedTime, its editors)."),
    Key("SHEETS_TIMEOUT_SECONDS", None, "Seconds per request to Google. Unset: 30.", float),
    Key("SHEETS_RETRY_ATTEMPTS", None, "Attempts per request on 429, 5xx and time-outs. "
        "Unset: 5.", int),
    Key("SHEETS_RETRY_BASE_SECONDS", None, "First pause between attempts, doubled each time "
        "with full jitter, capped at 16 s. Unset: 0.5.", float),
    Key("SHEET_PROTECTION", None, "`editors` (unset: only the service account may edit the "
        "output tabs; the sheet's owner always can) or `warning` (people get a warning)."),
    Key("SHEET_WEBHOOK_SECRET", None, "The shared secret the Apps Script sends in "
        "`X-Webhook-Secret`. Unset: no webhook."),
    Key("SHEET_DEBOUNCE_SECONDS", 1.0, "Quiet time after the last webhook call of a burst "
        "before the one validation run.", float),
    Key("SHEET_POLL_SECONDS", 10.0, "`flask --app wsgi watch`'s interval (at least 1: Google's "
        "read quota).", float),
    Key("SHEET_PUBLISH_READ_SECONDS", 20.0, "How long publishing waits for the live sheet "
        "before refusing (under gunicorn's 30 s worker timeout).", float),
)
NAMES = tuple(key.name for key in KEYS)


def from_environ(environ: Mapping[str, str] | None = None) -> dict[str, Any]:
    """Every key: ``PLANNER_<NAME>`` (else the old ``<NAME>``) parsed, else its default.

    Raises ValueError naming the variable when a value cannot be read."""
    environ = os.environ if environ is None else environ
    values = {}
    for key in KEYS:
        name = PREFIX + key.name if PREFIX + key.name in environ else key.name
        text = environ.get(name)
        if text in (None, ""):
            values[key.name] = key.default
            continue
        try:
            values[key.name] = key.parse(text)
        except ValueError as error:
            raise ValueError(f"{name}: {error}") from None
    return values
