"""The template workbook: every tab of the contract, headers with notes, dropdowns, settings."""
import openpyxl
import pytest

from rules import contract as c
from rules.validation.workbook import validate
from sheets.template import write_template
from sheets.xlsx import XlsxSource


@pytest.fixture(scope="module")
def template(tmp_path_factory):
    path = tmp_path_factory.mktemp("template") / "template.xlsx"
    write_template(path)
    return path


def dropdowns(sheet):
    """Header name -> the list formula of the validation covering its column below the header."""
    found = {}
    for check in sheet.data_validations.dataValidation:
        for cell_range in check.sqref.ranges:
            header = sheet.cell(row=1, column=cell_range.min_col).value
            if cell_range.min_row == 2 and cell_range.max_row > 100:
                found[header] = check.formula1
    return found


def test_the_template_has_every_tab_of_the_contract_with_its_headers(template):
    book = openpyxl.load_workbook(template)
    assert book.sheetnames == [t.name for t in c.TABS]
    for tab in c.TABS:
        sheet = book[tab.name]
        assert [cell.value for cell in sheet[1]] == list(tab.column_names)
        assert sheet.freeze_panes == "A2"


def test_every_header_carries_its_note_from_the_contract(template):
    book = openpyxl.load_workbook(template)
    for tab in c.TABS:
        for cell, column in zip(book[tab.name][1], tab.columns):
            assert cell.comment is not None and column.note in cell.comment.text
    assert "Required: a whole number ≥ 1" in book["Clusters"]["D1"].comment.text
    assert c.CLUSTERS.extra_columns in book["Clusters"]["A1"].comment.text


def test_enumerated_columns_have_dropdowns_and_region_is_tied_to_the_regions_tab(template):
    book = openpyxl.load_workbook(template)
    assert dropdowns(book["Clusters"]) == {
        "region": "=Regions!$A$2:$A$2000",
        "workload": '"research,applied"',
        "rolling": '"yes,no"',
        "canary": '"yes,no"',
        "status": '"planned,done"',
    }
    assert dropdowns(book["Regions"]) == {"importance": '"high,normal,low"'}
    assert dropdowns(book["Rules"]) == {
        "kind": '"' + ",".join(c.KIND_NAMES) + '"',
        "severity": '"error,warning"',
        "enabled": '"yes,no"',
    }


def test_settings_lists_every_setting_with_its_note_and_only_defaults_filled(template):
    sheet = openpyxl.load_workbook(template)["Settings"]
    rows = [tuple(cell.value for cell in row) for row in sheet.iter_rows(min_row=2)]
    assert [row[0] for row in rows] == list(c.SETTING_NAMES)
    values = {row[0]: row[1] for row in rows}
    assert values["work_weekends"] == "yes" and values["soak_days"] == 1
    assert all(values[s.name] is None for s in c.SETTINGS_LIST if s.required)
    notes = {row[0]: row[2] for row in rows}
    assert all(s.note in notes[s.name] for s in c.SETTINGS_LIST)
    weekend_row = 2 + c.SETTING_NAMES.index("work_weekends")
    checks = [v for v in sheet.data_validations.dataValidation if f"B{weekend_row}" in str(v.sqref)]
    assert checks and checks[0].formula1 == '"yes,no"'


def test_the_template_passes_every_structural_check(template):
    """Only what a planner must fill in is missing: required settings and at least one cluster."""
    result = validate(XlsxSource(template).read())
    required = [s for s in c.SETTINGS_LIST if s.required]
    expected = ["Clusters!A2"] + [f"Settings!B{2 + c.SETTING_NAMES.index(s.name)}" for s in required]
    assert [e.cell for e in result.errors] == expected
    assert all("has no value" in e.message for e in result.errors[1:])
