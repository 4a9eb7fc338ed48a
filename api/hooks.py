"""``POST /api/v1/hooks/sheet-changed``: the live sheet's Apps Script trigger says "edited".

Authenticated by a shared secret (PLANNER_SHEET_WEBHOOK_SECRET, header ``X-Webhook-Secret``,
compared in constant time), not by a bearer token: Apps Script holds the secret in its script
properties. Calls are coalesced: one validation run ``PLANNER_SHEET_DEBOUNCE_SECONDS`` after
the last call of a burst. Our own write-back changes no input tab, so the run it may trigger
finds the input's content hash unchanged and does nothing.
"""
from __future__ import annotations

import functools
import hmac

import marshmallow as ma
from flask import Flask, current_app, request
from flask.views import MethodView

from sheets.output_tabs import OUTPUT_TABS

from . import openapi
from .debounce import Debouncer
from .live_sheet import configured_sheet
from .problems import Problem
from .service import check_live_sheet

SECRET_HEADER = "X-Webhook-Secret"
OUTPUT_TAB_NAMES = tuple(title.lower() for title in OUTPUT_TABS)

blp = openapi.blueprint("hooks", __name__, "Webhooks: the live Google Sheet reports edits.")


class SheetChangedSchema(ma.Schema):
    """What the Apps Script sends; informative only (the whole input is re-read anyway)."""

    spreadsheet_id = ma.fields.String(load_default=None, metadata={"description": "the sheet's id"})
    change_type = ma.fields.String(load_default=None, metadata={"description": "EDIT, INSERT_ROW, ..."})
    tab = ma.fields.String(load_default=None, metadata={"description": "the tab edited"})


class QueuedSchema(ma.Schema):
    queued = ma.fields.Boolean(required=True)
    run_after_seconds = ma.fields.Float(required=True)


def debouncer(app: Flask) -> Debouncer:
    return app.extensions["planner_hooks"]


def requires_secret(view):
    """Checked before the body is parsed: a caller without the secret learns nothing more."""

    @functools.wraps(view)
    def wrapper(*args, **kwargs):
        given = request.headers.get(SECRET_HEADER, "")
        if not given:
            raise Problem(401, f"Send the shared secret in the {SECRET_HEADER} header, as set in "
                          "the Apps Script's properties.", kind="invalid-webhook-secret")
        secret = current_app.config["SHEET_WEBHOOK_SECRET"]
        if not secret or not configured_sheet():
            # Not configured: for callers, there is no such webhook here.
            raise Problem(404, "The sheet webhook is not configured on this server: set "
                          "PLANNER_SHEET_ID and PLANNER_SHEET_WEBHOOK_SECRET (docs/google-sheet.md).",
                          kind="webhook-not-configured")
        if not hmac.compare_digest(given.encode(), str(secret).encode()):
            raise Problem(401, f"The {SECRET_HEADER} header does not hold the shared secret set "
                          "in the Apps Script's properties.", kind="invalid-webhook-secret")
        return view(*args, **kwargs)

    return wrapper


@blp.route("/hooks/sheet-changed")
class SheetChanged(MethodView):
    @requires_secret
    @blp.doc(security=[], parameters=[{"in": "header", "name": SECRET_HEADER, "required": True,
                                       "schema": {"type": "string"}}])
    @blp.arguments(SheetChangedSchema, location="json", unknown=ma.EXCLUDE)
    @blp.response(202, QueuedSchema)
    def post(self, body):
        """The live sheet was edited: validate it once the burst of edits settles"""
        if body.get("spreadsheet_id") and body["spreadsheet_id"] != configured_sheet():
            raise Problem(422, f"This server watches sheet {configured_sheet()}, not "
                          f"{body['spreadsheet_id']}.", kind="wrong-sheet")
        if (body.get("tab") or "").lower() in OUTPUT_TAB_NAMES:
            return {"queued": False, "run_after_seconds": 0}  # not an input: nothing to check
        worker = debouncer(current_app)
        worker.poke()
        return {"queued": True, "run_after_seconds": worker.quiet_seconds}


def init_app(app: Flask) -> None:
    def run() -> None:
        with app.app_context():
            check_live_sheet()

    app.extensions["planner_hooks"] = Debouncer(run, float(app.config["SHEET_DEBOUNCE_SECONDS"]))
    openapi.register(app, blp)
