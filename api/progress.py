"""The campaign as it runs, for the api layer: the current version's windows and their reported
states read from the database as the planner's facts (rules.progress.Progress), and publishing
a workbook planned from them.

A plan reads its progress in one transaction and is stored in another; when a version or a
state report came in between, it is planned again from the new facts (so no report is lost and
no state regresses).
"""
from __future__ import annotations

import datetime as dt

import sqlalchemy as sa
from flask import current_app

from rules.model import Validated
from rules.progress import Progress, from_document

from . import db, store
from .problems import Problem
from .windows import with_states

_PLAN_ATTEMPTS = 3


def read_progress(conn, now: dt.datetime, fresh: bool = False) -> tuple[Progress, store.Head]:
    """What has happened by ``now``: the current version's windows with their states."""
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


def progress_for_plan(as_of: dt.datetime | None) -> Progress | None:
    """What ``flask plan`` plans from: the database's progress at ``as_of`` (else the app's now)
    when a version is published or a clock is set (--as-of, PLANNER_NOW); else None, and the
    workbook is planned alone, from its start_date."""
    clock_set = as_of is not None or current_app.config.get("NOW")
    now = as_of or db.now()
    try:
        with db.reading() as conn:
            progress, head = read_progress(conn, now)
    except sa.exc.SQLAlchemyError:  # no database, or not migrated: a workbook alone
        return Progress(now) if clock_set else None
    return progress if clock_set or head.version is not None else None


def publish_planned(validated: Validated, source_hash: str, who: str, message: str,
                    fresh: bool = False) -> store.Publication:
    """Plan ``validated`` at the app's now from the current progress and publish it (or a
    Problem 422 saying why not), planning again when the facts changed meanwhile."""
    from rules.plan.make import plan_document

    from .publications import publish

    for _ in range(_PLAN_ATTEMPTS):
        with db.reading() as conn:
            progress, head = read_progress(conn, db.now(), fresh)
        try:
            return publish(plan_document(validated, progress), source_hash, who, message,
                           planned_from=head)
        except store.Stale:
            continue
    raise Problem(409, f"States were reported while planning, {_PLAN_ATTEMPTS} times in a row; "
                  "the current version is unchanged: publish again.", kind="plan-outdated")
