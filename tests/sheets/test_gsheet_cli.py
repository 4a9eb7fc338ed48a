"""The CLI takes a Google Sheet wherever it takes a workbook (settings from the environment)."""
from __future__ import annotations

import pytest

from tests.gsheet_fixtures import fake, google_settings  # noqa: F401
from tests.workbooks import set_cell, valid_tabs


@pytest.fixture
def env(google_settings, monkeypatch):
    for name, value in google_settings.items():
        monkeypatch.setenv("PLANNER_" + name, value)


def test_validate_reads_a_sheet(env, fake, runner):
    sid = fake.create_spreadsheet("Plan", valid_tabs())
    result = runner.invoke(args=["validate", f"gsheet:{sid}"])
    assert result.exit_code == 0, result.output
    assert "OK: 3 clusters" in result.output


def test_validate_names_the_sheets_cells(env, fake, runner):
    sid = fake.create_spreadsheet("Plan", set_cell(valid_tabs(), "Clusters!D2", "12O"))
    result = runner.invoke(args=["validate", f"gsheet:{sid}"])
    assert result.exit_code == 2
    assert 'Clusters!D2: nodes must be a whole number ≥ 1, got "12O"' in result.output


def test_an_unreachable_sheet_is_one_line_not_a_traceback(env, fake, runner):
    result = runner.invoke(args=["validate", "gsheet:no-such-sheet"])
    assert result.exit_code == 2
    assert "no spreadsheet with id no-such-sheet" in result.output
    assert "Traceback" not in result.output


def test_plan_write_back_puts_the_sheet_errors_on_the_violations_tab(env, fake, runner):
    sid = fake.create_spreadsheet("Plan", set_cell(valid_tabs(), "Clusters!D2", "12O"))
    result = runner.invoke(args=["plan", f"gsheet:{sid}", "--write-back"])
    assert result.exit_code == 2, result.output
    assert f"wrote Schedule, Violations and Summary to gsheet:{sid}" in result.output
    violations = fake.values(sid, "Violations")
    assert violations[0][0].startswith("Validated ") and "1 sheet errors" in violations[0][0]
    assert violations[2][:4] == ["sheet error", "", "", "Clusters!D2"]


def test_plan_write_back_needs_a_sheet(env, runner, tmp_path):
    book = tmp_path / "book.xlsx"
    from sheets.xlsx import write_workbook

    write_workbook(book, set_cell(valid_tabs(), "Clusters!D2", "12O"))
    result = runner.invoke(args=["plan", str(book), "--write-back"])
    assert result.exit_code == 2
    assert "give the workbook as gsheet:ID" in result.output


def test_template_sets_up_a_sheet(env, fake, runner):
    sid = fake.create_spreadsheet("New")
    result = runner.invoke(args=["template", "--sheet", sid])
    assert result.exit_code == 0, result.output
    assert fake.values(sid, "Rules")[0][:2] == ["rule", "kind"]
    again = runner.invoke(args=["template", "--sheet", sid])
    assert again.exit_code == 2 and "already has a Clusters, Regions, Settings, Rules tab" in again.output


def test_template_needs_a_file_or_a_sheet(runner):
    result = runner.invoke(args=["template"])
    assert result.exit_code == 2 and "--sheet ID" in result.output
