"""One validation run of a sheet at a time, across every process that shares the database.

gunicorn's workers each coalesce the webhook calls they receive; a burst spread over several
workers would still give one run per worker, each writing the same tabs. Runs therefore take a
lock for their sheet: a PostgreSQL advisory lock (held by a session; several machines share it),
or with SQLite, an exclusive file lock beside the database file (one machine). The second run
waits, then finds the input's content hash already written and stops after one read. It waits
at most LOCK_WAIT_SECONDS (a run's Google calls are bounded well under it), then gives up with a
SourceError, which callers already report as a sheet that could not be checked.
"""
from __future__ import annotations

import fcntl
import hashlib
import os
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager

import sqlalchemy as sa
from flask import current_app

from sheets.source import SourceError

from . import db

LOCK_WAIT_SECONDS = 180.0


def _key(sheet_id: str) -> int:
    digest = hashlib.sha256(f"sheet-run:{sheet_id}".encode()).digest()
    return int.from_bytes(digest[:8], "big", signed=True)  # a bigint, as pg_advisory_lock takes


@contextmanager
def sheet_run_lock(sheet_id: str, wait_seconds: float = LOCK_WAIT_SECONDS) -> Iterator[None]:
    engine = db.engine()
    if engine.url.get_backend_name() == "postgresql":
        with engine.connect() as conn:
            def take() -> bool:
                taken = conn.execute(sa.text("SELECT pg_try_advisory_lock(:key)"),
                                     {"key": _key(sheet_id)}).scalar()
                conn.commit()
                return bool(taken)

            _wait_for(take, sheet_id, wait_seconds)
            try:
                yield
            finally:
                conn.execute(sa.text("SELECT pg_advisory_unlock(:key)"), {"key": _key(sheet_id)})
                conn.commit()
        return
    database = engine.url.database
    folder = os.path.dirname(os.path.abspath(database)) if database and database != ":memory:" \
        else current_app.instance_path
    path = os.path.join(folder, f".sheet-run-{_key(sheet_id) & 0xFFFFFFFF:08x}.lock")
    with open(path, "a") as handle:
        _wait_for(lambda: _try_flock(handle), sheet_id, wait_seconds)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def _try_flock(handle) -> bool:
    try:
        fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        return False
    return True


def _wait_for(take: Callable[[], bool], sheet_id: str, wait_seconds: float) -> None:
    """Poll ``take`` (up to 0.5 s apart) until it holds the lock; SourceError past the wait."""
    deadline = time.monotonic() + wait_seconds
    pause = 0.05
    while not take():
        remaining = deadline - time.monotonic()
        if remaining <= 0:
            raise SourceError(f"gsheet:{sheet_id}: another check of this sheet has run for over "
                              f"{wait_seconds:g} s; this one gave up, try again in a few minutes")
        time.sleep(min(pause, remaining))
        pause = min(0.5, pause * 2)
