"""The planner's use cases, one function each: read a workbook, validate and plan it, publish the
plan, write its result tabs back to a Google Sheet, check the live sheet.

The CLI (api/commands.py, the ``planner`` command), the views (api/publications.py), the webhook
and the poller (api/hooks.py, api/watch.py) call these and only say the outcome their own way.
Refusals are domain errors (api/errors.py); an unreadable source is ``SourceError``.

The ``planner`` command imports this module, so what only some use cases need loads inside them:
storage (SQLAlchemy), the live sheet (Flask, Google's libraries) and the engine.
"""
from __future__ import annotations

import datetime as dt
import hashlib
import logging
import sys
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING

from rules.model import RawWorkbook, SheetError, Validated
from rules.progress import Progress
from rules.plan.severity import error_violations
from rules.validation.workbook import error_order, validate
from sheets.gsheet_outcome import FAILED, UNCHANGED, UNREACHABLE, VALIDATED, WRITE_FAILED, Run
from sheets.source import SourceError
from sheets.sources import GSHEET_PREFIX, open_source

from .errors import Conflict, InvalidWorkbook, Unavailable

if TYPE_CHECKING:
    from sheets.gsheet import GoogleSheetSink, GoogleSheetSource, Snapshot

    from .store import Head, Publication

log = logging.getLogger("api.service")
PLAN_ATTEMPTS = 3  # plans made from progress that changed before they could be stored


@dataclass(frozen=True)
class Read:
    """A workbook as read (None when it could not be read at all) and its validation."""

    raw: RawWorkbook | None
    validated: Validated


def read(spec: str, settings: Mapping | None = None) -> Read:
    """The workbook ``spec`` names (an .xlsx path or gsheet:ID), validated; when it cannot be
    read, one error with no cell says why. ``settings`` (api/config.py) are needed for gsheet:."""
    try:
        raw = open_source(spec, settings).read()
    except SourceError as err:
        return Read(None, Validated(None, (SheetError("", str(err)),)))
    return Read(raw, validate(raw))


def scenario_errors(read: Read) -> list[SheetError]:
    """The errors of the workbook's optional Scenarios tab (rules/scenarios/tab.py), checked
    against the valid base workbook; none when the base is invalid or the tab absent."""
    if not read.validated.ok or read.raw is None:
        return []
    from rules.scenarios.tab import check_scenarios

    errors: list[SheetError] = []
    check_scenarios(read.raw, read.validated.workbook, errors)
    return sorted(set(errors), key=error_order)


def plan(validated: Validated, progress: Progress | None = None,
         scenarios: RawWorkbook | None = None,
         optimise: float | None = None) -> dict:
    """The plan document of a validated workbook (with its errors, and no windows, if invalid);
    with ``progress``, made at its instant from what has happened (rules/progress.py); with
    ``scenarios`` (the raw workbook), also each scenario of its Scenarios tab side by side
    (``scenarios`` in the document); ``optimise``: the optimiser's budget in seconds (None: as
    Settings objective says)."""
    from rules.plan.make import plan_document  # the engine: not needed to validate

    if scenarios is not None:
        from rules.scenarios.compare import plan_with_scenarios

        return plan_with_scenarios(scenarios, validated, progress, optimise)
    return plan_document(validated, progress, optimise)


def plan_raw(raw: RawWorkbook) -> dict:
    return plan(validate(raw))


def progress_for_plan(as_of: dt.datetime | None) -> Progress | None:
    """What ``plan`` plans from. Under the web app (flask --app wsgi plan) with a published
    version: its windows and states at ``as_of`` (else the app's now). Otherwise, with
    ``as_of`` (--as-of, PLANNER_NOW): nothing happened yet, but nothing is placed before
    as_of + freeze_hours. Else None: the workbook alone, from its start_date."""
    flask = sys.modules.get("flask")  # not loaded by the `planner` command: no app, no database
    if flask is None or not flask.has_app_context():
        return Progress(as_of) if as_of else None
    import sqlalchemy as sa

    from . import db
    from .progress import read_progress

    try:
        with db.reading() as conn:
            progress, head = read_progress(conn, as_of or db.now())
    except sa.exc.SQLAlchemyError:  # no database, or not migrated: the workbook alone
        return Progress(as_of) if as_of else None
    return progress if as_of or head.version is not None else None


def source_hash(data: bytes) -> str:
    """What a version records of an uploaded workbook: the sha256 of its bytes, hex."""
    return hashlib.sha256(data).hexdigest()


def publish(document: dict, content_hash: str, who: str, message: str,
            planned_from: Head | None = None) -> Publication:
    """Store a plan document as the new current version; InvalidWorkbook (kind plan-refused,
    with its ``errors`` and error ``violations``) when it has any, leaving the current one.
    ``planned_from``: the head its progress was read at (store.insert_publication)."""
    from . import store

    errors = document.get("errors") or []
    violations = error_violations(document)
    if errors or violations:
        raise InvalidWorkbook(
            f"Not published: {len(errors)} sheet error(s) and {len(violations)} error "
            "violation(s); fix them in the workbook and publish again. The current version "
            "is unchanged.", kind="plan-refused", errors=errors, violations=violations)
    return store.insert_publication(document, content_hash, who, message, planned_from)


def publish_planned(validated: Validated, content_hash: str, who: str, message: str,
                    fresh: bool = False) -> Publication:
    """Plan ``validated`` at the app's now from the current version's progress and publish it.
    A plan reads its progress in one transaction and is stored in another: when a version or a
    state report came in between, it is planned again from the new facts, so no report is lost
    and no state regresses (Conflict after PLAN_ATTEMPTS tries)."""
    from . import db, store
    from .progress import read_progress

    for _ in range(PLAN_ATTEMPTS):
        with db.reading() as conn:
            progress, head = read_progress(conn, db.now(), fresh)
        try:
            return publish(plan(validated, progress), content_hash, who, message, head)
        except store.Stale:
            continue
    raise Conflict(f"States were reported while planning, {PLAN_ATTEMPTS} times in a row; the "
                   "current version is unchanged: publish again.", kind="plan-outdated")


def publish_upload(data: bytes, who: str, message: str, fresh: bool = False) -> Publication:
    """Plan and publish the bytes of an .xlsx workbook (InvalidWorkbook when unreadable)."""
    from sheets.xlsx import XlsxSource

    try:
        raw = XlsxSource(data).read()
    except SourceError as error:
        raise InvalidWorkbook(f"The upload is not a readable workbook: {error}",
                              kind="unreadable-workbook") from None
    return publish_planned(validate(raw), source_hash(data), who, message, fresh)


def current_if_published_from(content_hash: str) -> Publication | None:
    """The current version when it was published from input with this hash, else None."""
    from . import db, store

    with db.reading() as conn:
        version = store.head(conn).version
        current = store.load(conn, version) if version else None
    return current if current is not None and current.source_hash == content_hash else None


def publish_live_sheet(who: str, message: str, fresh: bool = False) -> Publication:
    """Publish what the live sheet holds now, recording its content hash. Conflict when this
    server has no live sheet, Unavailable when it cannot be read: nothing is published then."""
    from . import live_sheet

    sheet_id = live_sheet.configured_sheet()
    if not sheet_id:
        raise Conflict("This server has no live sheet (PLANNER_SHEET_ID is not set): upload the "
                       "workbook instead.", kind="no-live-sheet")
    try:
        snapshot = live_sheet.snapshot_for_publishing(sheet_id)
    except SourceError as error:
        raise Unavailable(f"Not published: the live sheet cannot be read ({error}). The current "
                          "version is unchanged.", kind="sheet-unreachable") from None
    return publish_planned(validate(snapshot.raw), snapshot.content_hash, who, message, fresh)


def write_back(spec: str, raw: RawWorkbook, document: dict, settings: Mapping) -> Run:
    """Write a plan made from ``raw`` into the output tabs of the sheet ``spec`` (gsheet:ID)
    names; SourceError when ``spec`` is not a Google Sheet or cannot be written."""
    if not spec.startswith(GSHEET_PREFIX):
        raise SourceError("--write-back writes the output tabs to a Google Sheet: give the "
                          "workbook as gsheet:ID")
    from sheets.gsheet import GoogleSheetSink, content_hash, output_editors
    from sheets.gsheet_run import write_run

    source = open_source(spec, settings)
    editors = output_editors(settings.get("SHEET_PROTECTION"), source.client)
    run = Run(source.spreadsheet_id, dt.datetime.now(dt.timezone.utc), VALIDATED,
              content_hash(raw), document)
    write_run(GoogleSheetSink(source.spreadsheet_id, source.client, editors), run)
    return run


def check_live_sheet(sheet_id: str | None = None, force: bool = False) -> Run:
    """Check the live sheet (by default the configured one) and record the run unless unchanged.

    Runs are serialised, in this process and across processes (api/run_lock.py): two at once
    would read and write the same tabs."""
    from . import db, live_sheet

    sheet_id = sheet_id or live_sheet.configured_sheet()
    if not sheet_id:
        raise SourceError("no live sheet configured: set PLANNER_SHEET_ID to the spreadsheet's id")
    with live_sheet.one_run_at_a_time(sheet_id):
        try:
            source, sink = live_sheet.source_and_sink(sheet_id)
        except SourceError as error:
            run = Run(sheet_id, db.now(), UNREACHABLE, problem=str(error))
        else:
            run = check_sheet(source, sink, live_sheet.last_written_hash(sheet_id), db.now, force)
        if run.outcome != UNCHANGED:
            live_sheet.record(run)
        return run


def check_sheet(source: GoogleSheetSource, sink: GoogleSheetSink, last_hash: str | None,
                now: Callable[[], dt.datetime], force: bool = False,
                snapshot: Snapshot | None = None) -> Run:
    """Read (unless given a snapshot), and unless the input tabs' content hash is ``last_hash``
    (our own write-back, an idle poller), validate, plan and write the output tabs."""
    from sheets.gsheet_run import write_run

    sid = source.spreadsheet_id
    try:
        snapshot = snapshot or source.snapshot()
    except SourceError as error:
        log.warning("gsheet:%s unreachable: %s", sid, error)
        return Run(sid, now(), UNREACHABLE, problem=str(error))
    if snapshot.content_hash == last_hash and not force:
        return Run(sid, now(), UNCHANGED, snapshot.content_hash)
    checked_at = now()
    try:
        document = plan(validate(snapshot.raw), scenarios=snapshot.raw)
    except Exception:  # noqa: BLE001 - a bug in planning must not stop the watcher
        log.exception("gsheet:%s: planning failed", sid)
        return Run(sid, checked_at, FAILED, snapshot.content_hash,
                   problem="planning failed with an internal error (see the server log)")
    run = Run(sid, checked_at, VALIDATED, snapshot.content_hash, document)
    try:
        write_run(sink, run)
    except SourceError as error:
        log.warning("gsheet:%s: output tabs not written: %s", sid, error)
        return Run(sid, checked_at, WRITE_FAILED, snapshot.content_hash, document, str(error))
    log.info("gsheet:%s validated: %s", sid, run.counts)
    return run
