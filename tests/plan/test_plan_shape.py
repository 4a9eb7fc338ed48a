"""The window's shape is declared once (rules/plan/document.py); what shows it follows it."""
from __future__ import annotations

import datetime as dt
import types
import typing
from dataclasses import fields

from marshmallow import fields as ma_fields

from api.formats import CSV_COLUMNS
from api.schemas import WindowSchema
from rules.plan.document import TABLE_FIELDS, WINDOW_FIELDS, WindowEntry
from sheets.output_tabs import SCHEDULE_HEADER

API_ONLY = ("id", "state")  # what the API adds to each window: a stable id and its state
NOTE = ("note",)  # and, in JSON, the note of the report that set the state
# The Schedule tab also lists unscheduled and excluded clusters, each window's state, and shows
# start and end as local time cells (a spreadsheet keeps no offset), so it names each window's
# zone beside them.
SCHEDULE_ONLY = ("status", "reason", "state", "timezone")

MARSHMALLOW_TYPE = {int: ma_fields.Integer, str: ma_fields.String, dt.date: ma_fields.String,
                    dt.datetime: ma_fields.String, tuple[str, ...]: ma_fields.List}


def test_the_api_window_has_the_documents_window_fields_and_its_id_and_state():
    assert set(WindowSchema().fields) == {*API_ONLY, *NOTE, *WINDOW_FIELDS}


def test_each_api_window_field_has_the_documents_type_and_admits_none_where_the_document_does():
    hints = typing.get_type_hints(WindowEntry)
    schema = WindowSchema().fields
    for field in fields(WindowEntry):
        hint = hints[field.name]
        optional = isinstance(hint, types.UnionType) and type(None) in typing.get_args(hint)
        kind = next(t for t in typing.get_args(hint) if t is not type(None)) if optional else hint
        assert isinstance(schema[field.name], MARSHMALLOW_TYPE[kind]), field.name
        assert schema[field.name].allow_none or not optional, field.name


def test_the_csv_columns_are_the_id_the_state_and_the_documents_table_fields_in_order():
    assert CSV_COLUMNS == (*API_ONLY, *TABLE_FIELDS)


def test_the_schedule_tab_shows_every_table_field_of_a_window():
    assert set(SCHEDULE_HEADER) == {*TABLE_FIELDS, *SCHEDULE_ONLY}
