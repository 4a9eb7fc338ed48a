"""The live Google Sheet of this deployment (config SHEET_ID): its validation runs, and storing them.

The webhook's debounce worker and ``flask watch`` run through ``check_live_sheet``, which records
what happened in the ``sheet_runs`` table, so /api/v1/draft shows the latest result to every API
instance. Publishing from the sheet reads it afresh (``publish_from_sheet``).
"""
from __future__ import annotations

import json
import os
import threading
from typing import TYPE_CHECKING

import sqlalchemy as sa
from flask import Flask, current_app

from sheets.gsheet_outcome import UNCHANGED, VALIDATED, Run
from sheets.source import SourceError

from . import db
from .problems import Problem
from .run_lock import sheet_run_lock

# The Google client libraries (gspread, google-auth) load in the functions that talk to Google,
# not when the app starts: the CLI and a deployment without SHEET_ID never need them.
if TYPE_CHECKING:
    from sheets.gsheet import GoogleSheetSink, GoogleSheetSource
    from sheets.gsheet_client import SheetsClient

# The settings read from the app config, else from the environment.
SETTINGS = ("SHEET_ID", "GOOGLE_APPLICATION_CREDENTIALS", "SHEETS_API_URL", "DRIVE_API_URL",
            "SHEETS_TIMEOUT_SECONDS", "SHEETS_RETRY_ATTEMPTS", "SHEETS_RETRY_BASE_SECONDS",
            "SHEET_PROTECTION", "SHEET_WEBHOOK_SECRET", "SHEET_DEBOUNCE_SECONDS",
            "SHEET_POLL_SECONDS", "SHEET_PUBLISH_READ_SECONDS")
PUBLISH_READ_SECONDS = 20.0  # under gunicorn's default 30 s worker timeout
KEEP_RUNS = 200  # per spreadsheet: enough history to see a flapping sheet, bounded

sheet_runs = sa.Table(
    "sheet_runs", db.metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("spreadsheet_id", sa.String(200), nullable=False, index=True),
    sa.Column("checked_at", sa.DateTime(timezone=True), nullable=False),
    sa.Column("outcome", sa.String(20), nullable=False),
    sa.Column("content_hash", sa.String(64), nullable=True),
    sa.Column("problem", sa.Text, nullable=True),
    sa.Column("plan", sa.Text, nullable=True),
)


def setting(name: str, app: Flask | None = None):
    app = app or current_app
    value = app.config.get(name)
    return os.environ.get(name) if value is None else value


def configured_sheet() -> str | None:
    """The id of the live sheet, or None when this deployment has none (SHEET_ID unset)."""
    from sheets.gsheet import spreadsheet_id

    reference = setting("SHEET_ID")
    return spreadsheet_id(reference) if reference else None


def _client() -> SheetsClient:
    """One client per app and process: its access token is reused until it expires."""
    from sheets.gsheet_client import GoogleConfig, connect

    holder = current_app.extensions["planner_live_sheet"]
    with holder["lock"]:
        if holder.get("pid") != os.getpid() or holder.get("client") is None:
            config = GoogleConfig.from_mapping({name: setting(name) for name in SETTINGS})
            holder.update(client=connect(config), pid=os.getpid())
        return holder["client"]


def source_and_sink(sheet_id: str) -> tuple[GoogleSheetSource, GoogleSheetSink]:
    from sheets.gsheet import GoogleSheetSink, GoogleSheetSource, output_editors

    client = _client()
    editors = output_editors(setting("SHEET_PROTECTION"), client)
    return GoogleSheetSource(sheet_id, client), GoogleSheetSink(sheet_id, client, editors)


def modified_time(sheet_id: str | None = None) -> str | None:
    """The sheet's Drive modifiedTime, or None when Drive cannot tell (then read the sheet)."""
    try:
        return _client().modified_time(sheet_id or configured_sheet())
    except SourceError:
        return None


def check_live_sheet(sheet_id: str | None = None, force: bool = False) -> Run:
    """Check the sheet (by default the configured one) and record the run unless unchanged.

    Runs are serialised, in this process and across processes (api/run_lock.py): two at once
    would read and write the same tabs."""
    from sheets.gsheet_run import check_sheet

    sheet_id = sheet_id or configured_sheet()
    if not sheet_id:
        raise SourceError("no live sheet configured: set SHEET_ID to the spreadsheet's id")
    holder = current_app.extensions["planner_live_sheet"]
    with holder["run_lock"], sheet_run_lock(sheet_id):
        try:
            source, sink = source_and_sink(sheet_id)
        except SourceError as error:
            run = Run(sheet_id, db.now(), "unreachable", problem=str(error))
        else:
            run = check_sheet(source, sink, last_written_hash(sheet_id), db.now, force)
        if run.outcome != UNCHANGED:
            record(run)
        return run


def publish_from_sheet(who: str, message: str, fresh: bool = False):
    """Publish what the live sheet holds now, recording its content hash; refused (nothing
    published, the current version unchanged) when it cannot be read or has errors."""
    from rules.validation.workbook import validate
    from sheets.gsheet import GoogleSheetSource

    from .progress import publish_planned

    sheet_id = configured_sheet()
    if not sheet_id:
        raise Problem(409, "This server has no live sheet (SHEET_ID is not set): upload the "
                      "workbook instead.", kind="no-live-sheet")
    try:
        budget = float(setting("SHEET_PUBLISH_READ_SECONDS") or PUBLISH_READ_SECONDS)
        snapshot = GoogleSheetSource(sheet_id, _client().within(budget)).snapshot()
    except SourceError as error:
        raise Problem(503, f"Not published: the live sheet cannot be read ({error}). The current "
                      "version is unchanged.", kind="sheet-unreachable") from None
    return publish_planned(validate(snapshot.raw), snapshot.content_hash, who, message, fresh)


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

