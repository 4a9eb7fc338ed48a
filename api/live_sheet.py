"""The live Google Sheet of this deployment (PLANNER_SHEET_ID): its client, and its validation runs.

The runs themselves are a use case (api/service.py: ``check_live_sheet``, called by the webhook's
debounce worker and ``flask watch``); they are recorded here, in the ``sheet_runs`` table
(api/db.py), so /api/v1/draft shows the latest result to every API instance.
"""
from __future__ import annotations

import json
import os
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING

import sqlalchemy as sa
from flask import Flask, current_app

from sheets.gsheet_outcome import VALIDATED, Run
from sheets.source import SourceError

from . import db
from .db import sheet_runs
from .run_lock import sheet_run_lock

# The Google client libraries (gspread, google-auth) load in the functions that talk to Google,
# not when the app starts: the CLI and a deployment without SHEET_ID never need them.
if TYPE_CHECKING:
    from sheets.gsheet import GoogleSheetSink, GoogleSheetSource, Snapshot
    from sheets.gsheet_client import SheetsClient

KEEP_RUNS = 200  # per spreadsheet: enough history to see a flapping sheet, bounded

def configured_sheet() -> str | None:
    """The id of the live sheet, or None when this deployment has none (SHEET_ID unset)."""
    from sheets.gsheet import spreadsheet_id

    reference = current_app.config["SHEET_ID"]
    return spreadsheet_id(reference) if reference else None


def _client() -> SheetsClient:
    """One client per app and process: its access token is reused until it expires."""
    from sheets.gsheet_client import GoogleConfig, connect

    holder = current_app.extensions["planner_live_sheet"]
    with holder["lock"]:
        if holder.get("pid") != os.getpid() or holder.get("client") is None:
            holder.update(client=connect(GoogleConfig.from_mapping(current_app.config)),
                          pid=os.getpid())
        return holder["client"]


def source_and_sink(sheet_id: str) -> tuple[GoogleSheetSource, GoogleSheetSink]:
    from sheets.gsheet import GoogleSheetSink, GoogleSheetSource, output_editors

    client = _client()
    editors = output_editors(current_app.config["SHEET_PROTECTION"], client)
    return GoogleSheetSource(sheet_id, client), GoogleSheetSink(sheet_id, client, editors)


def modified_time(sheet_id: str | None = None) -> str | None:
    """The sheet's Drive modifiedTime, or None when Drive cannot tell (then read the sheet)."""
    try:
        return _client().modified_time(sheet_id or configured_sheet())
    except SourceError:
        return None


@contextmanager
def one_run_at_a_time(sheet_id: str) -> Iterator[None]:
    """Held while a run reads and writes the sheet: one at a time, in this process and across
    processes (api/run_lock.py)."""
    holder = current_app.extensions["planner_live_sheet"]
    with holder["run_lock"], sheet_run_lock(sheet_id):
        yield


def snapshot_for_publishing(sheet_id: str) -> Snapshot:
    """The sheet's input tabs read now, within SHEET_PUBLISH_READ_SECONDS (a request waits)."""
    from sheets.gsheet import GoogleSheetSource

    budget = current_app.config["SHEET_PUBLISH_READ_SECONDS"]
    return GoogleSheetSource(sheet_id, _client().within(budget)).snapshot()


def record(run: Run) -> None:
    with db.writing() as conn:
        conn.execute(sa.insert(sheet_runs).values(
            spreadsheet_id=run.spreadsheet_id, checked_at=run.checked_at, outcome=run.outcome,
            content_hash=run.content_hash, problem=run.problem,
            plan=None if run.document is None else json.dumps(run.document, ensure_ascii=False)))
        stale = sa.select(sheet_runs.c.id).where(sheet_runs.c.spreadsheet_id == run.spreadsheet_id) \
            .order_by(sheet_runs.c.id.desc()).offset(KEEP_RUNS)
        conn.execute(sa.delete(sheet_runs).where(sheet_runs.c.id.in_(stale.scalar_subquery())))


def _run(row) -> Run:
    return Run(row.spreadsheet_id, db.utc(row.checked_at), row.outcome, row.content_hash,
               None if row.plan is None else json.loads(row.plan), row.problem)


def latest_run(sheet_id: str, *outcomes: str) -> Run | None:
    """The sheet's latest recorded run (of one of ``outcomes``, when given)."""
    query = sa.select(sheet_runs).where(sheet_runs.c.spreadsheet_id == sheet_id)
    if outcomes:
        query = query.where(sheet_runs.c.outcome.in_(outcomes))
    with db.reading() as conn:
        row = conn.execute(query.order_by(sheet_runs.c.id.desc()).limit(1)).first()
    return None if row is None else _run(row)


def last_written_hash(sheet_id: str) -> str | None:
    run = latest_run(sheet_id, VALIDATED)
    return run.content_hash if run else None


def runs_count(sheet_id: str) -> int:
    with db.reading() as conn:
        return conn.execute(sa.select(sa.func.count()).select_from(sheet_runs)
                            .where(sheet_runs.c.spreadsheet_id == sheet_id)).scalar()


def init_app(app: Flask) -> None:
    app.extensions["planner_live_sheet"] = {"lock": threading.Lock(), "run_lock": threading.Lock()}

