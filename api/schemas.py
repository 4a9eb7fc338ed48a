"""Marshmallow schemas at the API's edge: every request and response, and so the OpenAPI doc.

Inputs that mean something to the domain load into its dataclasses (``@post_load``).
"""
from __future__ import annotations

from dataclasses import dataclass

import marshmallow as ma
from flask_smorest.fields import Upload
from marshmallow import fields, validate

from .formats import MEDIA_TYPES
from .windows import STATES, StateChange, WindowFilter


class WindowSchema(ma.Schema):
    """A planned window: the plan's fields (see `plan --json`) plus a stable id and a state."""

    id = fields.String(required=True, metadata={"description": "stable across versions"})
    state = fields.String(required=True, validate=validate.OneOf(STATES))
    cluster = fields.String(required=True)
    date = fields.String(required=True, metadata={"description": "local date, YYYY-MM-DD"})
    start = fields.String(required=True, metadata={"description": "ISO 8601 with offset"})
    end = fields.String(required=True, metadata={"description": "ISO 8601 with offset"})
    nodes = fields.Integer(required=True)
    batch = fields.Integer(required=True)
    batches = fields.Integer(required=True)
    tier = fields.Integer(allow_none=True)
    region = fields.String(required=True)
    geo = fields.String(allow_none=True)
    timezone = fields.String(allow_none=True)
    rules = fields.List(fields.String(), required=True)
    retry = fields.Integer(metadata={"description": "0: the batch itself; n: its n-th re-run"})
    retry_of = fields.String(allow_none=True, metadata={
        "description": "the id of the failed or cancelled window this one re-runs"})
    failed_nodes = fields.Integer(metadata={
        "description": "hosts reported not back (done or failed windows)"})
    note = fields.String(metadata={"description": "the note of the report that set the state"})


class ScheduleSchema(ma.Schema):
    version = fields.Integer(required=True)
    published_at = fields.DateTime(required=True)
    windows = fields.List(fields.Nested(WindowSchema), required=True)


@dataclass(frozen=True)
class ScheduleQuery:
    filter: WindowFilter
    format: str | None


class ScheduleQuerySchema(ma.Schema):
    cluster = fields.String(validate=validate.Length(min=1, max=200))
    region = fields.String(validate=validate.Length(min=1, max=200))
    geo = fields.String(validate=validate.Length(min=1, max=50))
    from_date = fields.Date(data_key="from", metadata={"description": "first local date"})
    to_date = fields.Date(data_key="to", metadata={"description": "last local date"})
    state = fields.String(validate=validate.OneOf(STATES))
    format = fields.String(validate=validate.OneOf(sorted(MEDIA_TYPES)), metadata={
        "description": "json (default), csv or ics; overrides the Accept header"})

    @ma.validates_schema
    def _dates_in_order(self, data, **_):
        if data.get("from_date") and data.get("to_date") and data["from_date"] > data["to_date"]:
            raise ma.ValidationError("from must not be after to", "from")

    @ma.post_load
    def _to_query(self, data, **_):
        fmt = data.pop("format", None)
        return ScheduleQuery(WindowFilter(**data), fmt)


class _PublishedSchema(ma.Schema):
    """What every view of a published version says about it."""

    version = fields.Integer(required=True)
    source_hash = fields.String(required=True, metadata={"description": "sha256 of the workbook"})
    who = fields.String(required=True)
    published_at = fields.DateTime(required=True)
    message = fields.String(required=True)


class VersionSchema(_PublishedSchema):
    current = fields.Boolean(required=True)


class PublicationFormSchema(ma.Schema):
    workbook = Upload(metadata={"description": "the .xlsx workbook (required with source=upload)"})
    source = fields.String(load_default="upload", validate=validate.OneOf(["upload", "sheet"]),
                           metadata={"description": "upload: the workbook sent; sheet: the "
                                                    "configured live Google Sheet, read now"})
    message = fields.String(load_default="", validate=validate.Length(max=500))
    fresh = fields.Boolean(load_default=False, metadata={
        "description": "re-plan every window past the freeze from scratch, instead of keeping "
                       "each published window that still obeys every error rule"})

    @ma.validates_schema
    def _workbook_with_upload(self, data, **kwargs):
        if data.get("source", "upload") == "upload" and data.get("workbook") is None:
            raise ma.ValidationError("Send the .xlsx file, or source=sheet to publish the live "
                                     "Google Sheet.", "workbook")


class ViolationSchema(ma.Schema):
    source = fields.String(metadata={
        "description": "what found it: rule (a Rules row), or a built-in check: "
                       "daily_node_cap, deadline, unscheduled"})
    rule = fields.String(allow_none=True, metadata={
        "description": "the Rules row's id (broken, or blocking an unscheduled cluster); "
                       "null when no row is to blame"})
    severity = fields.String()
    message = fields.String()
    cell = fields.String(allow_none=True)
    cluster = fields.String(allow_none=True)
    date = fields.String(allow_none=True)


class ImpossibleSchema(ma.Schema):
    cluster = fields.String(required=True)
    reason = fields.String(required=True)


class BoundSchema(ma.Schema):
    """The plan JSON's summary.bound: the earliest finish any plan obeying the error rules has."""

    finish = fields.String(allow_none=True, metadata={
        "description": "local date no plan's last window is earlier than, YYYY-MM-DD"})
    reason = fields.String(required=True, metadata={"description": "what sets the bound"})
    gap_days = fields.Integer(allow_none=True, metadata={
        "description": "days the plan ends after the bound; null while clusters are unscheduled"})
    deadline_possible = fields.Boolean(required=True, metadata={
        "description": "false when no plan can meet the deadline"})
    impossible = fields.List(fields.Nested(ImpossibleSchema), required=True, metadata={
        "description": "clusters no plan can place, and why"})


class _WindowRefSchema(ma.Schema):
    """Which window an entry is about."""

    id = fields.String(required=True)
    cluster = fields.String(required=True)
    batch = fields.Integer(required=True)


class MovedByPublicationSchema(_WindowRefSchema):
    old_start = fields.String(required=True)
    new_start = fields.String(required=True)
    old_nodes = fields.Integer(required=True)
    new_nodes = fields.Integer(required=True)
    reason = fields.String(required=True, metadata={"description": "the rule or edit that forced it"})


class RemovedSchema(WindowSchema):
    state = fields.String()
    reason = fields.String(required=True)


class ChangesSchema(ma.Schema):
    """A publication against the version before it."""

    kept = fields.Integer(required=True, metadata={"description": "windows kept where they were"})
    moved = fields.List(fields.Nested(MovedByPublicationSchema), required=True)
    added = fields.List(fields.Nested(WindowSchema), required=True)
    removed = fields.List(fields.Nested(RemovedSchema), required=True)
    requeued = fields.List(fields.Nested(WindowSchema), required=True, metadata={
        "description": "new windows re-running failed or cancelled work (retry_of)"})


class AsOfSchema(ma.Schema):
    now = fields.String(required=True, metadata={"description": "the instant the plan was made at"})
    fresh = fields.Boolean(required=True)
    freeze_hours = fields.Integer(required=True)
    frozen_until = fields.String(required=True, metadata={
        "description": "now + freeze_hours: nothing new or moved starts before it"})


class PublicationSchema(_PublishedSchema):
    windows = fields.Integer(required=True, metadata={"description": "how many windows"})
    as_of = fields.Nested(AsOfSchema, allow_none=True)
    changes = fields.Nested(ChangesSchema, required=True)
    warnings = fields.List(fields.Nested(ViolationSchema), required=True)
    bound = fields.Nested(BoundSchema, allow_none=True, metadata={
        "description": "the published plan's lower bound (null for versions planned before it)"})


class DiffQuerySchema(ma.Schema):
    against = fields.Integer(strict=False, validate=validate.Range(min=1), metadata={
        "description": "the older version to compare with; default: the one before"})


class _ChangedWindowSchema(_WindowRefSchema):
    """Which window a diff entry is about, and its state in both versions."""

    old_state = fields.String(required=True, validate=validate.OneOf(STATES),
                              metadata={"description": "its state in version `against`"})
    new_state = fields.String(required=True, validate=validate.OneOf(STATES),
                              metadata={"description": "its state in this version"})


class MovedSchema(_ChangedWindowSchema):
    old_date = fields.String(required=True)
    new_date = fields.String(required=True)
    old_start = fields.String(required=True)
    new_start = fields.String(required=True)


class ResizedSchema(_ChangedWindowSchema):
    old_nodes = fields.Integer(required=True)
    new_nodes = fields.Integer(required=True)
    old_hours = fields.Float(required=True)
    new_hours = fields.Float(required=True)


class DiffSchema(ma.Schema):
    version = fields.Integer(required=True)
    against = fields.Integer(required=True)
    added = fields.List(fields.Nested(WindowSchema), required=True)
    removed = fields.List(fields.Nested(WindowSchema), required=True)
    moved = fields.List(fields.Nested(MovedSchema), required=True)
    resized = fields.List(fields.Nested(ResizedSchema), required=True)


class UpcomingQuerySchema(ma.Schema):
    hours = fields.Integer(load_default=48, validate=validate.Range(min=1, max=24 * 366))
    state = fields.String(validate=validate.OneOf(STATES))
    format = fields.String(validate=validate.OneOf(sorted(MEDIA_TYPES)), metadata={
        "description": "json (default), csv or ics; overrides the Accept header"})


class UpcomingSchema(ma.Schema):
    version = fields.Integer(required=True)
    now = fields.DateTime(required=True)
    hours = fields.Integer(required=True)
    windows = fields.List(fields.Nested(WindowSchema), required=True)


class HistorySchema(ma.Schema):
    window_id = fields.String(required=True)
    start = fields.String(required=True)
    from_state = fields.String(required=True)
    to_state = fields.String(required=True)
    note = fields.String(required=True)
    who = fields.String(required=True)
    changed_at = fields.DateTime(required=True)
    version = fields.Integer(required=True)
    failed_nodes = fields.Integer(required=True)
    hosts = fields.List(fields.String(), required=True)


class ClusterSchema(ma.Schema):
    cluster = fields.String(required=True)
    version = fields.Integer(required=True)
    windows = fields.List(fields.Nested(WindowSchema), required=True)
    excluded = fields.List(fields.Dict(), required=True)
    unscheduled = fields.List(fields.Dict(), required=True)
    history = fields.List(fields.Nested(HistorySchema), required=True)


class StateChangeSchema(ma.Schema):
    state = fields.String(required=True, validate=validate.OneOf(STATES))
    note = fields.String(load_default="", validate=validate.Length(max=1000))
    failed_nodes = fields.Integer(load_default=None, validate=validate.Range(min=0), metadata={
        "description": "done or failed: hosts that did not come back (0..the window's nodes; "
                       "default: the hosts named, else none)"})
    hosts = fields.List(fields.String(validate=validate.Length(min=1, max=200)),
                        load_default=list, validate=validate.Length(max=100_000), metadata={
                            "description": "the names of those hosts, when known"})

    @ma.post_load
    def _to_change(self, data, **_):
        return StateChange(**{**data, "hosts": tuple(data["hosts"])})


class StateResultSchema(WindowSchema):
    previous_state = fields.String(required=True)
    note = fields.String(required=True)
    who = fields.String(required=True)
    changed_at = fields.DateTime(required=True)
    hosts = fields.List(fields.String(), required=True)


class HealthSchema(ma.Schema):
    status = fields.String(required=True)
