"""``GET /api/v1/draft`` (reader role): the latest validation of the live sheet, not yet published.

What planners see on the Violations tab, for programs: the sheet errors, the violations, the
summary and the first windows of the schedule it gives, the content hash and the time; and,
when the latest check could not read or write the sheet, that (``reachable``, ``problem``).
"""
from __future__ import annotations

import marshmallow as ma
from flask import Flask
from flask.views import MethodView

from sheets.gsheet_outcome import UNREACHABLE, VALIDATED, WRITE_FAILED

from . import openapi
from .auth import requires
from .live_sheet import configured_sheet, latest_run
from .problems import Problem
from .schemas import BoundSchema

PREVIEW_WINDOWS = 50

blp = openapi.blueprint("draft", __name__, "The live sheet's latest validation (reader role).")


class SheetErrorSchema(ma.Schema):
    cell = ma.fields.String(required=True)
    message = ma.fields.String(required=True)


class DraftSchema(ma.Schema):
    spreadsheet_id = ma.fields.String(required=True)
    outcome = ma.fields.String(required=True, metadata={
        "description": "the latest check: validated, unreachable, write-failed or failed"})
    reachable = ma.fields.Boolean(required=True)
    problem = ma.fields.String(allow_none=True)
    checked_at = ma.fields.DateTime(required=True)
    validated_at = ma.fields.DateTime(allow_none=True)
    content_hash = ma.fields.String(allow_none=True, metadata={
        "description": "sha256 of the input tabs the validation read"})
    ok = ma.fields.Boolean(allow_none=True, metadata={
        "description": "no sheet error and no error violation: publishable"})
    counts = ma.fields.Dict(keys=ma.fields.String(), values=ma.fields.Integer())
    errors = ma.fields.List(ma.fields.Nested(SheetErrorSchema))
    violations = ma.fields.List(ma.fields.Dict())
    summary = ma.fields.Dict()
    bound = ma.fields.Nested(BoundSchema, allow_none=True, metadata={
        "description": "the draft plan's lower bound on the finish (the summary's bound)"})
    schedule_preview = ma.fields.List(ma.fields.Dict(), metadata={
        "description": f"the first {PREVIEW_WINDOWS} windows, as in the plan JSON"})


def draft(sheet_id: str) -> dict:
    latest = latest_run(sheet_id)
    if latest is None:
        raise Problem(404, "The live sheet has not been validated yet: edit it, or run "
                      "'flask --app wsgi watch'.", kind="no-draft")
    # The latest validation, written or not (a failed write does not make it wrong).
    good = latest if latest.document is not None else latest_run(sheet_id, VALIDATED, WRITE_FAILED)
    doc = (good.document if good else None) or {}
    counts = good.counts if good else {}
    return {
        "spreadsheet_id": sheet_id, "outcome": latest.outcome,
        "reachable": latest.outcome != UNREACHABLE, "problem": latest.problem,
        "checked_at": latest.checked_at, "validated_at": good.checked_at if good else None,
        "content_hash": good.content_hash if good else None,
        "ok": (counts["sheet_errors"] == 0 and counts["error_violations"] == 0) if good else None,
        "counts": counts, "errors": doc.get("errors", []), "violations": doc.get("violations", []),
        "summary": doc.get("summary", {}), "bound": (doc.get("summary") or {}).get("bound"),
        "schedule_preview": doc.get("windows", [])[:PREVIEW_WINDOWS],
    }


@blp.route("/draft")
class Draft(MethodView):
    @requires("reader")
    @blp.response(200, DraftSchema)
    def get(self):
        """The latest validation of the live Google Sheet"""
        sheet_id = configured_sheet()
        if not sheet_id:
            raise Problem(404, "This server has no live sheet (PLANNER_SHEET_ID is not set).",
                          kind="no-live-sheet")
        return draft(sheet_id)


def init_app(app: Flask) -> None:
    openapi.register(app, blp)
