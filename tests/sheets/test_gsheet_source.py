"""Reading a live Google Sheet (the fake) gives what the .xlsx reader gives, in one request."""
from __future__ import annotations

import datetime as dt
import io

import pytest

from rules.validation.workbook import validate
from sheets.gsheet import spreadsheet_id
from sheets.memory import MemorySource
from sheets.source import SourceError
from sheets.sources import open_source
from sheets.xlsx import XlsxSource, write_workbook
from tests.gsheet_fixtures import client, fake, google_settings, pauses, source_of  # noqa: F401
from tests.workbooks import set_cell, valid_tabs


def as_xlsx(tabs) -> XlsxSource:
    out = io.BytesIO()
    write_workbook(out, tabs)
    return XlsxSource(out.getvalue())


def test_all_input_tabs_are_read_in_one_batch_get(fake, source_of):
    sid = fake.create_spreadsheet("Plan", valid_tabs())
    before = fake.count()
    source_of(sid).read()
    sheets_calls = [op for op in fake.log[before:] if op != "token"]
    assert sheets_calls == ["values.batchGet"]


def test_a_valid_sheet_gives_the_same_model_as_the_same_workbook_in_memory(fake, source_of):
    sid = fake.create_spreadsheet("Plan", valid_tabs())
    from_sheet = validate(source_of(sid).read())
    assert from_sheet.ok, from_sheet.errors
    assert from_sheet.workbook == validate(MemorySource(valid_tabs()).read()).workbook


def test_errors_name_the_same_cells_as_for_the_xlsx_workbook(fake, source_of):
    tabs = valid_tabs()
    for ref, value in (("Clusters!D3", "12O"), ("Clusters!B2", "eastus9"),
                       ("Rules!L1", "wrkload"), ("Rules!D6", "2026-02-30"), ("Settings!B4", "lots")):
        set_cell(tabs, ref, value)
    sid = fake.create_spreadsheet("Plan", tabs)
    from_sheet = validate(source_of(sid).read()).errors
    assert from_sheet == validate(as_xlsx(tabs).read()).errors
    assert {e.cell for e in from_sheet} >= {"Clusters!D3", "Clusters!B2", "Rules!L1", "Settings!B4"}


def test_serial_dates_text_dates_and_numbers_typed_as_text_all_work(fake, source_of):
    tabs = valid_tabs()
    sid = fake.create_spreadsheet("Plan", tabs)
    fake.put_raw(sid, "Clusters!D2", [["8"]])  # a number kept as text
    fake.put_raw(sid, "Clusters!J2", [["2026-01-09"]])  # a date kept as text
    fake.type(sid, "Clusters!J3", [["2026-01-10"]])  # a real date: a serial number for the API
    fake.put_raw(sid, "Settings!B2", [[46027]])  # a serial number typed in (2026-01-05)
    raw = source_of(sid).read()
    assert raw.table("clusters").rows[2][9] == 46032
    book = validate(raw).workbook
    assert [(c.name, c.nodes, c.pinned_date) for c in book.clusters[:2]] == [
        ("swc-canary", 8, dt.date(2026, 1, 9)), ("eus-big", 600, dt.date(2026, 1, 10))]
    assert book.settings.start_date == dt.date(2026, 1, 5)


def test_a_missing_tab_is_reported_as_for_a_workbook(fake, source_of):
    tabs = valid_tabs()
    del tabs["Rules"]
    sid = fake.create_spreadsheet("Plan", tabs)
    errors = validate(source_of(sid).read()).errors
    assert errors == validate(MemorySource(tabs).read()).errors
    assert any("Rules" in e.cell or "Rules" in e.message for e in errors)


def test_tabs_are_found_whatever_their_case(fake, source_of):
    tabs = {title.lower(): rows for title, rows in valid_tabs().items()}
    sid = fake.create_spreadsheet("Plan", tabs)
    assert validate(source_of(sid).read()).ok


def test_the_content_hash_follows_the_input_tabs_only(fake, source_of, client):
    from sheets.gsheet import GoogleSheetSink

    sid = fake.create_spreadsheet("Plan", valid_tabs())
    first = source_of(sid).snapshot().content_hash
    GoogleSheetSink(sid, client).write({"Violations": [["none"]]}, {})
    assert source_of(sid).snapshot().content_hash == first
    fake.type(sid, "Settings!B4", [[1500]])
    assert source_of(sid).snapshot().content_hash != first


def test_an_unknown_spreadsheet_is_one_clear_error_naming_the_account_to_share_with(fake, source_of):
    with pytest.raises(SourceError) as caught:
        source_of("no-such-sheet").read()
    assert "no spreadsheet with id no-such-sheet" in str(caught.value)
    assert "planner-bot@fake-project.iam.gserviceaccount.com" in str(caught.value)


def test_gsheet_references_take_an_id_or_the_sheets_address():
    url = "https://docs.google.com/spreadsheets/d/1aNvNhBanaHVP93PL4xmzA69TyNmTcfv7CUaCkGmwFMo/edit#gid=0"
    assert spreadsheet_id(url) == "1aNvNhBanaHVP93PL4xmzA69TyNmTcfv7CUaCkGmwFMo"
    with pytest.raises(SourceError):
        spreadsheet_id("not an id")


def test_open_source_reads_a_gsheet_reference_with_the_settings_given(fake, google_settings):
    sid = fake.create_spreadsheet("Plan", valid_tabs())
    assert validate(open_source(f"gsheet:{sid}", google_settings).read()).ok


def test_without_credentials_reading_a_sheet_says_what_to_set():
    with pytest.raises(SourceError, match="GOOGLE_APPLICATION_CREDENTIALS"):
        open_source("gsheet:abc", {}).read()


def test_tokens_come_from_the_key_files_token_uri_for_the_service_account(fake, source_of):
    sid = fake.create_spreadsheet("Plan", valid_tabs())
    before = len(fake.token_claims)
    source_of(sid).read()
    claims = fake.token_claims[before:]
    assert [c["iss"] for c in claims] == ["planner-bot@fake-project.iam.gserviceaccount.com"]
    assert "https://www.googleapis.com/auth/spreadsheets" in claims[0]["scope"].split()
