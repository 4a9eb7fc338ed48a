"""A cell means the same whatever way it arrived: an .xlsx typed cell, an .xlsx plain number,
text, or a Google Sheets serial number; formulas are known by the source, not by a leading "="."""
import datetime as dt

import pytest

from rules.calendar import to_time
from rules.model import Formula
from tests.workbooks import check, errors, only_error, set_cell, valid_tabs

PIN = "Clusters!J2"
WINDOW_START = "Settings!B5"
A_TIME_OF_DAY = 'pinned_date must be a date (e.g. 2026-01-05), got "{}": a date with a time of day is not a day: type the day alone'


@pytest.mark.parametrize("fraction, time", [
    (23.5 / 24, dt.time(23, 30)),
    ((23 * 3600 + 59 * 60 + 30) / 86400, dt.time(23, 59, 30)),
    (0.99999, dt.time(23, 59, 59)),
    (11 / 24, dt.time(11, 0)),
])
def test_a_time_held_as_a_fraction_of_a_day_reads_to_the_second(fraction, time):
    assert to_time(fraction) == time


def test_a_fraction_that_rounds_to_midnight_of_the_next_day_is_refused_at_its_cell():
    tabs = set_cell(valid_tabs(), "Settings!B6", 0.999999)
    cell, message = only_error(tabs)
    assert cell == "Settings!B6" and message.startswith("window_end must be a time of day")


@pytest.mark.parametrize("value", [
    dt.datetime(2026, 1, 9, 10, 30), "2026-01-09 10:30", "2026-01-09T10:30:00", 46031.4375, "46031.4375",
])
def test_a_pinned_date_with_a_time_of_day_is_refused_however_it_arrived(value):
    cell, message = only_error(set_cell(valid_tabs(), PIN, value))
    assert cell == PIN and message.endswith("a date with a time of day is not a day: type the day alone")


@pytest.mark.parametrize("value", [
    dt.date(2026, 1, 9), dt.datetime(2026, 1, 9), "2026-01-09", "2026-01-09 00:00", 46031, 46031.0,
    "46031", "9 Jan 2026", "January 9, 2026", "9 January 2026", "Jan 9 2026",
])
def test_the_same_day_reads_the_same_however_it_arrived(value):
    assert check(set_cell(valid_tabs(), PIN, value)).workbook.clusters[0].pinned_date == dt.date(2026, 1, 9)


def test_text_starting_with_an_equals_sign_is_text_the_planner_typed():
    tabs = set_cell(valid_tabs(), "Clusters!L2", "=team-a")
    assert check(tabs).workbook.clusters[0].extra["owner_team"] == "=team-a"


def test_a_formula_the_source_reports_is_refused():
    assert only_error(set_cell(valid_tabs(), "Clusters!D2", Formula("=2*4"))) == (
        "Clusters!D2", 'nodes holds the formula "=2*4": formulas are not evaluated, type the value itself')


@pytest.mark.parametrize("shown", ["#REF!", "#NAME?", "#N/A", "#DIV/0!", "#VALUE!"])
def test_an_error_value_says_a_formula_failed(shown):
    assert only_error(set_cell(valid_tabs(), "Clusters!D2", shown)) == (
        "Clusters!D2",
        f"nodes holds the error {shown} (a formula that failed): correct the formula, or type the value itself",
    )


@pytest.mark.parametrize("value", ["1" * 400, 10**400, 2**53 + 1, "9007199254740993"])
def test_a_huge_number_is_refused_at_its_cell_without_changing_its_value(value):
    cell, message = only_error(set_cell(valid_tabs(), "Clusters!D2", value))
    assert cell == "Clusters!D2"
    assert "at most 10,000,000" in message or "must be a whole number" in message
    if isinstance(value, int) and value < 10**20:
        assert f"{value:,}" in message


@pytest.mark.parametrize("serial, day", [(36526, dt.date(2000, 1, 1)), (73050, dt.date(2099, 12, 31))])
def test_serial_dates_cover_exactly_the_days_a_date_cell_may_hold(serial, day):
    tabs = set_cell(valid_tabs(), "Settings!B2", serial)
    set_cell(tabs, "Settings!B3", serial)
    set_cell(tabs, PIN, None)
    set_cell(tabs, "Clusters!J4", None)
    assert check(tabs).workbook.settings.start_date == day
    assert errors(set_cell(tabs, "Settings!B2", serial - 1 if serial < 50000 else serial + 1))
