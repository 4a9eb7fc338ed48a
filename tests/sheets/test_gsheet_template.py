"""`template --sheet`: a new Google Sheet set up as the .xlsx template is, in one batchUpdate."""
from __future__ import annotations

import io

import pytest

from rules import contract as c
from rules.validation.workbook import validate
from sheets.gsheet_template import set_up_sheet
from sheets.source import SourceError
from sheets.template import write_template
from sheets.xlsx import XlsxSource
from tests.gsheet_fixtures import client, fake, google_settings, pauses, source_of  # noqa: F401


def test_the_template_adds_every_tab_with_headers_and_notes_in_one_request(fake, client):
    sid = fake.create_spreadsheet("New campaign")
    before = fake.count("spreadsheets.batchUpdate")
    set_up_sheet(sid, client)
    assert fake.count("spreadsheets.batchUpdate") == before + 1
    for tab in c.TABS:
        assert fake.values(sid, tab.name)[0][:len(tab.columns)] == list(tab.column_names)
        note = fake.cell(sid, tab.name, 0, 0).note
        assert tab.columns[0].note in note and tab.extra_columns in note
    assert fake.spreadsheet(sid).tab_titled("Clusters").frozen_rows == 1


def test_enumerated_columns_get_dropdowns_and_the_region_column_follows_regions(fake, client):
    sid = fake.create_spreadsheet("New campaign")
    set_up_sheet(sid, client)
    names = c.CLUSTERS.column_names
    workload = fake.cell(sid, "Clusters", 5, names.index("workload")).validation
    assert workload["condition"] == {"type": "ONE_OF_LIST", "values": [
        {"userEnteredValue": "research"}, {"userEnteredValue": "applied"}]}
    assert workload["strict"] is True
    region = fake.cell(sid, "Clusters", 1999, names.index("region")).validation
    assert region["condition"] == {"type": "ONE_OF_RANGE",
                                   "values": [{"userEnteredValue": "=Regions!$A$2:$A$2000"}]}
    kind = fake.cell(sid, "Rules", 1, c.RULES.column_names.index("kind")).validation
    assert [v["userEnteredValue"] for v in kind["condition"]["values"]] == list(c.KIND_NAMES)
    assert fake.cell(sid, "Clusters", 0, names.index("workload")).validation is None  # not the header


def test_the_sheet_template_validates_exactly_as_the_xlsx_template(fake, client, source_of):
    sid = fake.create_spreadsheet("New campaign")
    set_up_sheet(sid, client)
    xlsx = io.BytesIO()
    write_template(xlsx)
    assert validate(source_of(sid).read()).errors == validate(XlsxSource(xlsx.getvalue()).read()).errors


def test_a_spreadsheet_that_already_has_planning_tabs_is_left_alone(fake, client):
    sid = fake.create_spreadsheet("Used", {"Clusters": [["cluster"], ["keep-me"]]})
    with pytest.raises(SourceError, match="already has a Clusters tab"):
        set_up_sheet(sid, client)
    assert [t.title for t in fake.spreadsheet(sid).tabs] == ["Clusters"]
