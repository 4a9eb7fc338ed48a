"""Writing the output tabs to a live Google Sheet (the fake): one atomic batchUpdate, raw values."""
from __future__ import annotations

import datetime as dt

import pytest

from sheets.gsheet_requests import PROTECTION_DESCRIPTION
from sheets.source import SourceError
from tests.gsheet_fixtures import client, fake, google_settings, pauses, sink_of  # noqa: F401
from tests.workbooks import valid_tabs

OUTPUTS = {
    "Schedule": [["cluster", "date", "nodes"], ["=IMPORTXML(\"http://x\", \"//a\")", dt.date(2026, 1, 5), 8],
                 ["eus-big", dt.date(2026, 1, 6), 36]],
    "Violations": [["status line"], ["rule", "message"], ["cap", "too many"]],
    "Summary": [["date", "nodes out"], [dt.date(2026, 1, 5), 8]],
}
HEADERS = {"Schedule": 1, "Violations": 2, "Summary": 1}


def test_output_tabs_are_created_written_and_protected_in_one_batch_update(fake, sink_of):
    sid = fake.create_spreadsheet("Plan", valid_tabs())
    before = fake.count("spreadsheets.batchUpdate")
    sink_of(sid).write(OUTPUTS, HEADERS)
    assert fake.count("spreadsheets.batchUpdate") == before + 1
    assert fake.values(sid, "Violations") == [["status line"], ["rule", "message"], ["cap", "too many"]]
    assert fake.values(sid, "Schedule")[2] == ["eus-big", 46028, 36]
    sheet = fake.spreadsheet(sid)
    protected = {p["range"]["sheetId"] for p in sheet.protected
                 if p["description"] == PROTECTION_DESCRIPTION}
    assert protected == {sheet.tab_titled(t).sheet_id for t in OUTPUTS}
    assert all(p["editors"] == {"users": ["planner-bot@fake-project.iam.gserviceaccount.com"]}
               for p in sheet.protected)
    assert sheet.tab_titled("Violations").frozen_rows == 2


def test_text_that_looks_like_a_formula_stays_text_and_dates_are_dates(fake, sink_of):
    sid = fake.create_spreadsheet("Plan", valid_tabs())
    sink_of(sid).write(OUTPUTS, HEADERS)
    name = fake.cell(sid, "Schedule", 1, 0)
    assert (name.kind, name.value) == ("string", "=IMPORTXML(\"http://x\", \"//a\")")
    assert fake.cell(sid, "Schedule", 1, 1).number_format == "DATE"


def test_input_tabs_are_never_touched(fake, sink_of):
    sid = fake.create_spreadsheet("Plan", valid_tabs())
    inputs = {t: fake.values(sid, t) for t in valid_tabs()}
    sink_of(sid).write(OUTPUTS, HEADERS)
    assert {t: fake.values(sid, t) for t in valid_tabs()} == inputs
    with pytest.raises(ValueError, match="input tabs: clusters"):
        sink_of(sid).write({"clusters": [["x"]]}, {})


def test_a_rewrite_clears_what_the_previous_run_wrote_and_keeps_one_protection(fake, sink_of):
    sid = fake.create_spreadsheet("Plan", valid_tabs())
    sink_of(sid).write(OUTPUTS, HEADERS)
    shorter = {**OUTPUTS, "Schedule": [["cluster", "date", "nodes"]]}
    sink_of(sid).write(shorter, HEADERS)
    assert fake.values(sid, "Schedule") == [["cluster", "date", "nodes"]]
    assert len(fake.spreadsheet(sid).protected) == 3


def test_existing_output_tabs_too_small_for_the_rows_are_grown(fake, sink_of):
    sid = fake.create_spreadsheet("Plan", {**valid_tabs(), "Schedule": [["old"]]}, rows=2, cols=2)
    rows = [["cluster", "date", "nodes"]] + [[f"c{i}", dt.date(2026, 1, 5), i] for i in range(50)]
    sink_of(sid).write({"Schedule": rows}, {})
    assert len(fake.values(sid, "Schedule")) == 51


def test_a_failed_write_leaves_the_previous_outputs_intact(fake, sink_of):
    sid = fake.create_spreadsheet("Plan", valid_tabs())
    sink_of(sid).write(OUTPUTS, HEADERS)
    fake.fail_next(503, times=4, op="spreadsheets.batchUpdate")  # as many as the attempts
    with pytest.raises(SourceError, match="did not answer after 4 attempts"):
        sink_of(sid).write({**OUTPUTS, "Violations": [["new status"]]}, HEADERS)
    assert fake.values(sid, "Violations") == [["status line"], ["rule", "message"], ["cap", "too many"]]


def test_a_write_retried_after_it_landed_does_not_add_tabs_twice(fake, sink_of, pauses):
    sid = fake.create_spreadsheet("Plan", valid_tabs())
    fake.stall_next(2.5, op="spreadsheets.batchUpdate")  # lands, but after the client's timeout
    sink_of(sid).write(OUTPUTS, HEADERS)
    assert [t.title for t in fake.spreadsheet(sid).tabs][-3:] == ["Schedule", "Violations", "Summary"]
    assert len(pauses) == 1


def test_tabs_too_big_for_one_request_are_cut_with_a_row_saying_so(fake, client):
    from sheets.gsheet import GoogleSheetSink

    sid = fake.create_spreadsheet("Plan", valid_tabs())
    rows = [["cluster", "date", "nodes"]] + [[f"cluster-{i:05d}", dt.date(2026, 1, 5), i] for i in range(3000)]
    fake.max_request_bytes = 60_000
    try:
        GoogleSheetSink(sid, client, max_request_bytes=60_000).write(
            {"Schedule": rows, "Violations": [["status"], ["severity"]]}, {"Violations": 2})
    finally:
        fake.max_request_bytes = 10 * 1024 * 1024
    written = fake.values(sid, "Schedule")
    assert 100 < len(written) < 3000
    assert [row[0] for row in written[1:-1]] == [f"cluster-{i:05d}" for i in range(len(written) - 2)]
    assert written[-1][0].startswith(f"... {3001 - (len(written) - 1)} more rows not shown")
    assert fake.values(sid, "Violations") == [["status"], ["severity"]]


def test_the_fake_refuses_a_body_over_googles_limit_as_google_does(fake, client):
    from sheets.gsheet import GoogleSheetSink

    sid = fake.create_spreadsheet("Plan", valid_tabs())
    fake.max_request_bytes = 1_000
    try:
        with pytest.raises(SourceError, match="Request payload size exceeds the limit"):
            GoogleSheetSink(sid, client, max_request_bytes=10**9).write({"Schedule": [["x" * 2_000]]}, {})
    finally:
        fake.max_request_bytes = 10 * 1024 * 1024


def test_output_that_cannot_fit_even_cut_is_a_clear_error():
    from sheets.gsheet_requests import fitting_body

    with pytest.raises(SourceError, match="do not fit in one Google Sheets request"):
        fitting_body({"sheets": []}, {"Summary": [["x" * 5_000]], "Schedule": [["h"], ["a"]]}, {}, limit=2_000)


def test_a_tab_of_headers_only_keeps_a_row_below_its_frozen_headers(fake, sink_of):
    sid = fake.create_spreadsheet("Plan", valid_tabs())
    sink_of(sid).write({"Schedule": [["cluster", "date"]], "Violations": [["status"], ["severity"]]},
                       {"Violations": 2})
    sheet = fake.spreadsheet(sid)
    assert sheet.tab_titled("Schedule").rows == 2 and sheet.tab_titled("Violations").rows == 3
