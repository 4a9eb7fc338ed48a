"""The output tabs read well for people: local times in time cells with their zone, nodes on
unscheduled rows, a line when there are no violations, cell references that link to the cell,
pages that print, and a workbook that opens on its Summary."""
import datetime as dt
import io

import openpyxl

from rules.plan.make import plan_document
from rules.validation.workbook import validate
from sheets import xlsx_bytes
from sheets.gsheet_requests import cell_data
from sheets.memory import MemorySource
from sheets.output_tabs import NO_VIOLATIONS, SCHEDULE_HEADER, output_tabs
from sheets.xlsx_output import plan_workbook
from tests.workbooks import set_cell, valid_tabs


def planned(tabs):
    raw = MemorySource(tabs).read()
    doc = plan_document(validate(raw))
    book = openpyxl.load_workbook(io.BytesIO(xlsx_bytes.stable_bytes(plan_workbook(raw, doc))))
    return doc, book


def calm_tabs():
    """The small workbook with a deadline it can meet and no rule it breaks."""
    return set_cell(valid_tabs(), "Settings!B3", "2026-03-31")


def test_a_window_shows_its_local_times_as_time_cells_beside_its_time_zone():
    doc, book = planned(calm_tabs())
    header = [c.value for c in book["Schedule"][1]]
    first = dict(zip(header, [c.value for c in book["Schedule"][2]]))
    window = doc["windows"][0]
    assert (first["start"], first["timezone"]) == (dt.time(11, 0), window["timezone"])
    assert book["Schedule"].cell(row=2, column=header.index("start") + 1).number_format == "hh:mm"
    assert cell_data(dt.time(11, 30))["userEnteredValue"] == {"numberValue": 11.5 / 24}


def test_an_unscheduled_row_carries_its_nodes():
    doc = {"windows": [], "excluded": [], "violations": [], "errors": [], "summary": {},
           "unscheduled": [{"cluster": "huge", "reason": "too big", "nodes": 5000}]}
    row = output_tabs(doc)["Schedule"][1]
    assert (row[SCHEDULE_HEADER.index("nodes")], row[SCHEDULE_HEADER.index("status")]) == (5000, "unscheduled")


def test_a_plan_without_violations_says_so_on_the_violations_tab():
    doc, book = planned(calm_tabs())
    assert not doc["violations"]
    assert [c.value for c in book["Violations"][2]][-1] == NO_VIOLATIONS


def test_a_violations_cell_reference_links_to_that_cell():
    tabs = set_cell(calm_tabs(), "Rules!C6", 10)  # first-days caps 10 nodes: broken as a warning
    set_cell(tabs, "Rules!F6", "warning")
    _, book = planned(tabs)
    column = [c.value for c in book["Violations"][1]].index("cell") + 1
    cell = book["Violations"].cell(row=2, column=column)
    assert cell.value == "Rules!A6" and cell.hyperlink.location == "'Rules'!A6"


def test_the_workbook_opens_on_its_summary_and_every_output_tab_prints_on_pages_one_wide():
    _, book = planned(calm_tabs())
    assert book.active.title == "Summary"
    for title in ("Schedule", "Violations", "Summary"):
        sheet = book[title]
        assert sheet.page_setup.orientation == "landscape" and sheet.page_setup.fitToWidth == 1
        assert sheet.print_title_rows == "$1:$1"
