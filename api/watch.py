"""``flask --app wsgi watch``: poll the live sheet's input tabs, re-validate when they change.

Each poll first asks Drive for the file's modifiedTime (Drive's quota is large); only when it
moved are the input tabs read, in one ``values:batchGet``, and compared by content hash. Sheets
allows 60 read requests per minute per user (the service account), 300 per project: even if
every poll read, the default of one poll every 10 s would use 6 a minute.
"""
from __future__ import annotations

import logging
import threading
import time

import click
import sqlalchemy as sa
from flask import Flask, current_app
from flask.cli import with_appcontext

from sheets.gsheet_outcome import UNCHANGED, VALIDATED, Run
from sheets.source import SourceError

from .live_sheet import modified_time
from .service import check_live_sheet

log = logging.getLogger("api.watch")
MIN_POLL_SECONDS = 1.0  # 60 reads a minute: the whole per-user quota


def describe(run: Run) -> str:
    when = run.checked_at.strftime("%Y-%m-%d %H:%M:%S")
    if run.problem:
        return f"{when} gsheet:{run.spreadsheet_id} {run.outcome}: {run.problem}"
    counts = ", ".join(f"{v} {k.replace('_', ' ')}" for k, v in run.counts.items())
    return f"{when} gsheet:{run.spreadsheet_id} {run.outcome} ({run.content_hash[:12]}): {counts}"


def poll(interval: float, stop: threading.Event, report=click.echo) -> None:
    """Check, then wait ``interval`` seconds, until ``stop`` is set (needs an app context)."""
    seen = None  # the modifiedTime of the last check: equal means nothing was edited since
    while not stop.is_set():
        started = time.monotonic()
        try:
            modified = modified_time()
            if modified is None or modified != seen:
                run = check_live_sheet()
                if run.outcome != UNCHANGED:
                    report(describe(run))
                seen = modified if run.outcome in (UNCHANGED, VALIDATED) else None
        except Exception:  # noqa: BLE001 - a watcher outlives a database hiccup; it is logged
            log.exception("watch: the check failed; trying again in %g s", interval)
            seen = None
        stop.wait(max(0.0, interval - (time.monotonic() - started)))


@click.command("watch")
@with_appcontext
@click.option("--interval", type=float, default=None, metavar="SECONDS",
              help="Seconds between polls (default: PLANNER_SHEET_POLL_SECONDS).")
@click.option("--once", is_flag=True, help="Validate and write once, then exit as plan does (0: "
              "no error violation, 1: error violations, 2: sheet errors or sheet unreachable).")
def watch_command(interval: float | None, once: bool) -> None:
    """Re-validate the live sheet (PLANNER_SHEET_ID) whenever its input tabs change."""
    settings = current_app.config
    if not settings["SHEET_ID"]:
        raise click.ClickException("set PLANNER_SHEET_ID to the spreadsheet's id (and "
                                   "PLANNER_GOOGLE_APPLICATION_CREDENTIALS): docs/google-sheet.md")
    interval = float(interval or settings["SHEET_POLL_SECONDS"])
    if interval < MIN_POLL_SECONDS:
        raise click.BadParameter(f"at least {MIN_POLL_SECONDS:g} s (Google's read quota)",
                                 param_hint="--interval")
    try:
        run = check_live_sheet(force=once)  # the first check: a bad SHEET_ID or database shows now
    except SourceError as error:
        raise click.ClickException(str(error)) from None
    except sa.exc.DBAPIError:
        raise click.ClickException("the database is not ready: run 'flask --app wsgi init-db' "
                                   "first") from None
    if once:
        click.echo(describe(run))
        counts = run.counts
        raise SystemExit(2 if run.problem or counts["sheet_errors"] else int(counts["error_violations"] > 0))
    click.echo(f"watching gsheet:{settings['SHEET_ID']} every {interval:g} s (Ctrl-C stops)")
    if run.outcome != UNCHANGED:
        click.echo(describe(run))
    stop = threading.Event()
    try:
        poll(interval, stop)
    except KeyboardInterrupt:
        stop.set()


def init_app(app: Flask) -> None:
    app.cli.add_command(watch_command)
