"""Smoke test against the real Google Sheets API: runs only when credentials are provided.

    GSHEET_SMOKE_CREDENTIALS=key.json GSHEET_SMOKE_SHEET_ID=<scratch sheet id> pytest tests/sheets/test_gsheet_google.py

The scratch sheet must be shared with the key's service account as editor; the test overwrites
its input tabs (Clusters, Regions, Settings, Rules) and its Violations tab.
"""
from __future__ import annotations

import datetime as dt
import os

import pytest

from rules import contract
from rules.validation.workbook import validate
from sheets.gsheet import GoogleSheetSink, GoogleSheetSource, quoted, sheets_by_title
from sheets.gsheet_client import GoogleConfig, connect
from sheets.gsheet_template import set_up_sheet
from tests.workbooks import valid_tabs

CREDENTIALS = os.environ.get("GSHEET_SMOKE_CREDENTIALS")
SHEET_ID = os.environ.get("GSHEET_SMOKE_SHEET_ID")

pytestmark = pytest.mark.skipif(
    not (CREDENTIALS and SHEET_ID),
    reason="no Google account: set GSHEET_SMOKE_CREDENTIALS (a service-account key file) and "
           "GSHEET_SMOKE_SHEET_ID (a scratch sheet shared with it) to run against Google")


@pytest.fixture(scope="module")
def client():
    # SHEETS_API_URL / DRIVE_API_URL are honoured: a proxy in front of Google works too.
    return connect(GoogleConfig.from_mapping({**os.environ, "GOOGLE_APPLICATION_CREDENTIALS": CREDENTIALS}))


@pytest.fixture(scope="module")
def planning_sheet(client):
    """The scratch sheet with the contract's tabs holding the small valid workbook."""
    if not all(t.name.lower() in sheets_by_title(client.metadata(SHEET_ID)) for t in contract.TABS):
        set_up_sheet(SHEET_ID, client)
    client.http.values_batch_clear(SHEET_ID, body={"ranges": [quoted(t.name) for t in contract.TABS]})
    data = [{"range": quoted(title), "values": [["" if v is None else v for v in row] for row in rows]}
            for title, rows in valid_tabs().items()]
    client.http.values_batch_update(SHEET_ID, body={"valueInputOption": "USER_ENTERED", "data": data})
    return SHEET_ID


def test_google_answers_the_metadata_and_the_modified_time(client, planning_sheet):
    assert sheets_by_title(client.metadata(planning_sheet))["clusters"]["properties"]["sheetId"] >= 0
    assert client.modified_time(planning_sheet).endswith("Z")


def test_a_sheet_on_google_reads_and_validates_as_the_workbook_does(client, planning_sheet):
    validated = validate(GoogleSheetSource(planning_sheet, client).read())
    assert validated.ok, validated.errors
    assert [c.name for c in validated.workbook.clusters] == ["swc-canary", "eus-big", "uks-old"]


def test_output_tabs_written_to_google_read_back_as_text(client, planning_sheet):
    stamp = dt.datetime.now(dt.timezone.utc).isoformat()
    GoogleSheetSink(planning_sheet, client).write(
        {"Violations": [[f"smoke test {stamp}"], ["=IMPORTXML(\"http://example.com\", \"//a\")"]]},
        {"Violations": 1})
    answer = client.values_batch_get(planning_sheet, [quoted("Violations")],
                                     {"valueRenderOption": "FORMULA"})
    assert answer["valueRanges"][0]["values"][:2] == [[f"smoke test {stamp}"],
                                                      ["=IMPORTXML(\"http://example.com\", \"//a\")"]]
