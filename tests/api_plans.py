"""Plan documents for API tests, shaped like `plan --json` (issue 3), built window by window."""
from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

from rules.calendar import iso


def window(cluster: str, day: str, *, nodes: int = 8, hours: float = 6, batch: int = 1,
           batches: int = 1, region: str = "swedencentral", geo: str = "EU",
           tz: str = "Europe/Stockholm", tier: int = 1, rules=("canary-first",)) -> dict:
    start = dt.datetime.combine(dt.date.fromisoformat(day), dt.time(11), tzinfo=ZoneInfo(tz))
    end = start + dt.timedelta(hours=hours)
    return {"cluster": cluster, "date": day, "start": iso(start), "end": iso(end),
            "nodes": nodes, "batch": batch, "batches": batches, "tier": tier, "region": region,
            "geo": geo, "rules": list(rules)}


def document(*windows: dict, errors=(), violations=(), excluded=()) -> dict:
    ordered = sorted(windows, key=lambda w: (w["start"], w["cluster"], w["batch"]))
    return {"windows": ordered, "excluded": list(excluded), "unscheduled": [],
            "violations": list(violations), "errors": list(errors),
            "summary": {"first_date": ordered[0]["date"] if ordered else None,
                        "last_date": ordered[-1]["date"] if ordered else None}}


def publish(app, doc: dict, who: str = "planner-bot", message: str = "") -> int:
    """Publish through the API's own hook (what the upload endpoint calls after planning)."""
    from api.service import publish as api_publish

    with app.app_context():
        return api_publish(doc, "0" * 64, who, message).version
