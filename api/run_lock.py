"""One validation run of a sheet at a time, across every process that shares the database.

gunicorn's workers each coalesce the webhook calls they receive; a burst spread over several
workers would still give one run per worker, each writing the same tabs. Runs therefore take a
lock for their sheet: a PostgreSQL advisory lock (held by a session; several machines share it),
or with SQLite, an exclusive file lock beside the database file (one machine). The second run
waits, then finds the input's content hash already written and stops after one read.
"""
from __future__ import annotations

import fcntl
import hashlib
import os
from collections.abc import Iterator
from contextlib import contextmanager

import sqlalchemy as sa
from flask import current_app

from . import db


def _key(sheet_id: str) -> int:
    digest = hashlib.sha256(f"sheet-run:{sheet_id}".encode()).digest()
    return int.from_bytes(digest[:8], "big", signed=True)  # a bigint, as pg_advisory_lock takes


@contextmanager
def sheet_run_lock(sheet_id: str) -> Iterator[None]:
    engine = db.engine()
    if engine.url.get_backend_name() == "postgresql":
        with engine.connect() as conn:
            conn.execute(sa.text("SELECT pg_advisory_lock(:key)"), {"key": _key(sheet_id)})
            conn.commit()
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
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)
