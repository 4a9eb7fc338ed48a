"""The campaign's progress as the database holds it: the current version's windows and their
reported states, read as the planner's facts (rules.progress.Progress). Publishing from them is
api/service.py's ``publish_planned``."""
from __future__ import annotations

import datetime as dt

from rules.progress import Progress, from_document

from . import store
from .windows import with_states


def read_progress(conn, now: dt.datetime, fresh: bool = False) -> tuple[Progress, store.Head]:
    """What has happened by ``now``, and the head it was read at."""
    head = store.head(conn)
    publication = store.load(conn, head.version) if head.version else None
    if publication is None:
        return Progress(now, (), fresh), head
    records = store.state_records(conn)
    windows = []
    for w in with_states(publication.windows, records):
        record = records.get(w["id"]) if w["state"] != "planned" else None
        ended = dt.datetime.fromisoformat(record.changed_at) if record else None
        windows.append(from_document(w, w["state"], record.failed_nodes if record else 0, ended))
    return Progress(now, tuple(windows), fresh), head
