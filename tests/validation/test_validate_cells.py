"""Validation of single cells on Clusters, Regions and Settings: the exact cell and a fix."""
import datetime as dt

import pytest

from rules.model import Formula
from tests.workbooks import check, errors, only_error, set_cell, valid_tabs


@pytest.mark.parametrize(
    "ref, value, message",
    [
        ("Clusters!D3", "12O", 'nodes must be a whole number ≥ 1, got "12O"'),
        ("Clusters!D3", 0, 'nodes must be a whole number ≥ 1, got "0"'),
        ("Clusters!D3", 12.5, 'nodes must be a whole number ≥ 1, got "12.5"'),
        ("Clusters!E3", "reserch",
         'workload must be one of research, applied, got "reserch": did you mean "research"?'),
        ("Clusters!G3", "maybe", 'rolling must be yes or no, got "maybe"'),
        ("Clusters!I3", "0", 'duration_hours must be a number > 0, got "0"'),
        ("Clusters!J3", "next week", 'pinned_date must be a date (e.g. 2026-01-05), got "next week"'),
        ("Clusters!J3", "2026-02-30", 'pinned_date must be a date (e.g. 2026-01-05), got "2026-02-30"'),
        ("Clusters!K3", "finished",
         'status must be one of planned, done, got "finished"'),
        ("Clusters!D3", Formula("=B3*2"),
         'nodes holds the formula "=B3*2": formulas are not evaluated, type the value itself'),
        ("Clusters!L3", Formula("=VLOOKUP(A3)"),
         'owner_team holds the formula "=VLOOKUP(A3)": formulas are not evaluated, type the value itself'),
        ("Regions!C3", "urgent",
         'importance must be one of high, normal, low, got "urgent"'),
        ("Regions!D3", "America/New_Yrok",
         'timezone must be an IANA time zone name (e.g. Europe/Stockholm), got "America/New_Yrok": '
         'did you mean "America/New_York"?'),
    ],
)
def test_a_wrong_cell_is_named_with_what_it_must_hold(ref, value, message):
    assert only_error(set_cell(valid_tabs(), ref, value)) == (ref, message)


@pytest.mark.parametrize("ref, message", [
    ("Clusters!C3", "sku is blank: fill it in, e.g. H100"),
    ("Regions!B2", "geo is blank: fill it in, e.g. EU"),
    ("Clusters!D2", "nodes is blank: fill in a whole number ≥ 1 (e.g. 312)"),
])
def test_a_blank_required_cell_says_to_fill_it_in(ref, message):
    assert only_error(set_cell(valid_tabs(), ref, None)) == (ref, message)


def test_a_blank_choice_lists_the_choices():
    assert only_error(set_cell(valid_tabs(), "Clusters!E2", " ")) == (
        "Clusters!E2", "workload is blank: fill in one of research, applied"
    )


def test_a_region_missing_from_regions_is_named_with_a_did_you_mean():
    assert only_error(set_cell(valid_tabs(), "Clusters!B3", "eastus9")) == (
        "Clusters!B3", 'region "eastus9" is not in Regions: did you mean "eastus"?'
    )
    assert only_error(set_cell(valid_tabs(), "Clusters!B3", "brazilsouth")) == (
        "Clusters!B3",
        'region "brazilsouth" is not in Regions: add a row for it on the Regions tab, or correct the name',
    )


def test_region_names_match_regardless_of_case_and_take_the_regions_spelling():
    book = check(set_cell(valid_tabs(), "Clusters!B3", "EastUS")).workbook
    assert book.clusters[1].region == "eastus"


def test_a_duplicate_cluster_names_the_first_row():
    tabs = set_cell(valid_tabs(), "Clusters!A4", "SWC-Canary")
    assert only_error(tabs) == (
        "Clusters!A4", 'cluster "SWC-Canary" is also on row 2: each cluster must be listed once'
    )


def test_a_duplicate_region_names_the_first_row():
    tabs = valid_tabs()
    tabs["Regions"].append(["eastus", "US", "low", None, "US"])
    assert only_error(tabs) == (
        "Regions!A5", 'region "eastus" is also on row 3: each region must be listed once'
    )


def test_a_duration_longer_than_the_daily_window_cannot_fit():
    assert only_error(set_cell(valid_tabs(), "Clusters!I2", 10)) == (
        "Clusters!I2",
        "duration_hours 10 does not fit the daily window 11:00–20:00 (9 h): shorten it, "
        "or widen the window in Settings",
    )


def test_numbers_typed_as_text_are_read_as_numbers():
    tabs = set_cell(valid_tabs(), "Clusters!D3", " 1,200 ")
    set_cell(tabs, "Clusters!I3", "7.5")
    set_cell(tabs, "Settings!B4", "1800")
    book = check(tabs).workbook
    assert (book.clusters[1].nodes, book.clusters[1].duration_hours) == (1200, 7.5)
    assert book.settings.daily_node_cap == 1800


@pytest.mark.parametrize(
    "value",
    [dt.datetime(2026, 1, 8), dt.date(2026, 1, 8), "2026-01-08", " 2026-1-8 ", 46030, 46030.0, "46030"],
    ids=["excel-datetime", "date", "iso-text", "loose-text", "sheets-serial", "float-serial",
         "serial-as-text"],
)
def test_dates_come_as_excel_dates_text_or_sheets_serial_numbers(value):
    book = check(set_cell(valid_tabs(), "Clusters!J2", value)).workbook
    assert book.clusters[0].pinned_date == dt.date(2026, 1, 8)


def test_a_date_with_a_time_of_day_is_not_a_day():
    found = only_error(set_cell(valid_tabs(), "Clusters!J2", dt.datetime(2026, 1, 8, 9, 30)))
    assert found[0] == "Clusters!J2" and "must be a date" in found[1]


@pytest.mark.parametrize("typed, meant", [("YES", True), ("y", True), (True, True), ("No", False),
                                          (False, False), ("TRUE", True), (0, False)])
def test_yes_no_cells_accept_the_usual_spellings_and_sheets_checkboxes(typed, meant):
    assert check(set_cell(valid_tabs(), "Clusters!G3", typed)).workbook.clusters[1].rolling is meant


def test_curly_quotes_and_surrounding_spaces_are_not_part_of_a_name():
    book = check(set_cell(valid_tabs(), "Clusters!A2", "  swc-canary  ")).workbook
    assert book.clusters[0].name == "swc-canary"


def test_a_timezone_in_the_wrong_case_is_taken_in_its_canonical_spelling():
    book = check(set_cell(valid_tabs(), "Regions!D2", "europe/stockholm")).workbook
    assert book.regions[0].timezone == "Europe/Stockholm"


def test_a_clusters_column_named_like_a_derived_attribute_is_refused():
    tabs = set_cell(valid_tabs(), "Clusters!M1", "geo")
    assert only_error(tabs) == (
        "Clusters!M1",
        'a Clusters column cannot be named "geo": the cluster\'s geo comes from its row on Regions; '
        "rename this column",
    )


def test_a_regions_column_named_like_a_cluster_column_is_refused():
    assert only_error(set_cell(valid_tabs(), "Regions!F1", "SKU")) == (
        "Regions!F1",
        'a Regions column cannot be named "sku": every cluster has its own sku; rename this column',
    )


def test_an_attribute_on_both_clusters_and_regions_is_refused():
    assert only_error(set_cell(valid_tabs(), "Regions!F1", "owner_team")) == (
        "Regions!F1",
        'the column "owner_team" is on Clusters too (Clusters!L1): rules could not tell them apart, '
        "so rename one of them",
    )


# --- Settings ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "ref, value, message",
    [
        ("Settings!B2", "soon", 'start_date must be a date (e.g. 2026-01-05), got "soon"'),
        ("Settings!B4", -5, 'daily_node_cap must be a whole number ≥ 1, got "-5"'),
        ("Settings!B5", "25:00", 'window_start must be a time of day as HH:MM (e.g. 11:00), got "25:00"'),
        ("Settings!B9", "Mars/Olympus",
         'timezone must be an IANA time zone name (e.g. Europe/Stockholm), got "Mars/Olympus"'),
        ("Settings!B2", None, "start_date has no value: fill in a date (e.g. 2026-01-05)"),
    ],
)
def test_a_bad_setting_is_named_at_its_value_cell(ref, value, message):
    assert only_error(set_cell(valid_tabs(), ref, value)) == (ref, message)


def test_a_missing_setting_is_reported_where_its_row_would_go():
    tabs = valid_tabs()
    tabs["Settings"] = [row for row in tabs["Settings"] if row[0] not in ("deadline", "timezone")]
    assert errors(tabs) == [
        ("Settings!A8", "the setting deadline is missing: add a row with setting deadline and its "
                        "value: a date (e.g. 2026-01-18)"),
        ("Settings!A9", "the setting timezone is missing: add a row with setting timezone and its "
                        "value: an IANA time zone name (e.g. UTC)"),
    ]


def test_optional_settings_take_their_defaults_and_can_be_set():
    tabs = valid_tabs()
    tabs["Settings"] += [["work_weekends", "no"], ["soak_days", "2"]]
    settings = check(tabs).workbook.settings
    assert (settings.work_weekends, settings.soak_days) == (False, 2)


def test_an_unknown_setting_gets_a_did_you_mean_and_a_repeated_one_names_the_first_row():
    tabs = valid_tabs()
    tabs["Settings"] += [["Dead Line", "2026-01-20"], ["deadline", "2026-01-20"]]
    assert errors(tabs) == [
        ("Settings!A10", 'there is no setting "dead_line": did you mean "deadline"?'),
        ("Settings!A11", 'setting "deadline" is also on row 3: keep one of the two rows'),
    ]


def test_settings_given_as_excel_values_are_read():
    tabs = valid_tabs()
    set_cell(tabs, "Settings!B2", dt.datetime(2026, 1, 5))
    set_cell(tabs, "Settings!B5", dt.time(11, 0))
    set_cell(tabs, "Settings!B6", 20 / 24)  # Excel's day fraction for 20:00
    settings = check(tabs).workbook.settings
    assert settings.start_date == dt.date(2026, 1, 5)
    assert (settings.window_start, settings.window_end) == (dt.time(11), dt.time(20))


def test_the_window_must_close_after_it_opens():
    assert only_error(set_cell(valid_tabs(), "Settings!B6", "10:00")) == (
        "Settings!B6",
        "window_end 10:00 must be after window_start 11:00 (windows cannot cross midnight)",
    )


def test_the_default_duration_must_fit_the_window():
    assert only_error(set_cell(valid_tabs(), "Settings!B7", 9.5)) == (
        "Settings!B7",
        "default_duration_hours 9.5 does not fit the daily window 11:00–20:00 (9 h): shorten it, "
        "or widen window_start..window_end",
    )


def test_the_deadline_cannot_come_before_the_start():
    assert only_error(set_cell(valid_tabs(), "Settings!B3", "2026-01-01")) == (
        "Settings!B3", "deadline 2026-01-01 is before start_date 2026-01-05: move one of them"
    )
