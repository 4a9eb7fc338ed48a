"""Validation of a workbook's shape: tabs, headers, rows, the model it gives, the order of errors."""
import datetime as dt

from rules.model import SheetError
from rules.validation.workbook import error_order
from tests.workbooks import check, errors, only_error, set_cell, valid_tabs


def test_a_valid_workbook_gives_the_model_with_defaults_applied():
    result = check(valid_tabs())
    assert result.ok and result.errors == ()
    book = result.workbook
    assert [c.name for c in book.clusters] == ["swc-canary", "eus-big", "uks-old"]
    big = book.clusters[1]
    assert big.duration_hours == 6.0  # blank: Settings default_duration_hours
    assert big.services == ("api", "chat") and big.rolling and not big.canary
    assert big.status == "planned" and big.extra == {"owner_team": "team-b"}
    assert book.clusters[2].pinned_date == dt.date(2026, 1, 8)
    assert book.region("uksouth").timezone == "UTC"  # blank: Settings timezone
    assert book.region("uksouth").extra == {"area": "rest"}
    assert book.settings.work_weekends is True and book.settings.soak_days == 1
    assert book.settings.cells["daily_node_cap"] == "Settings!B4"


def test_rules_keep_sheet_order_typed_values_and_their_row():
    rules = check(valid_tabs()).workbook.rules
    assert [r.id for r in rules][:3] == ["out-of-scope", "canary-first", "small-research"]
    by_id = {r.id: r for r in rules}
    assert by_id["canary-first"].value == 0 and by_id["rolling-big"].value == 6.0
    assert by_id["spread-applied"].value == "area"
    assert by_id["after-canary"].value == "canary-first"
    assert by_id["first-days"].from_date == dt.date(2026, 1, 5)
    assert by_id["big-per-day"].from_date is None
    assert by_id["small-research"].cell == "Rules!A4" and by_id["small-research"].row == 4
    assert [a for a, _ in by_id["small-research"].conditions] == ["size", "workload"]
    assert by_id["out-of-scope"].severity == "error" and by_id["out-of-scope"].enabled


def test_a_disabled_rule_is_validated_and_kept_switched_off():
    rule = check(valid_tabs()).workbook.rules[-1]
    assert (rule.id, rule.enabled, rule.severity) == ("no-xmas", False, "warning")
    tabs = set_cell(valid_tabs(), "Rules!C10", 3)
    assert only_error(tabs) == (
        "Rules!C10", "a blackout rule takes no value, got \"3\": clear the cell "
        "(its days go in from and to)",
    )


def test_a_missing_tab_is_named_with_the_headers_it_needs():
    tabs = valid_tabs()
    del tabs["Regions"]
    found = errors(tabs)
    assert found[0] == (
        "Regions!A1",
        'the workbook has no tab named "Regions": add a tab named Regions with the headers '
        "region, geo in row 1",
    )
    # Without Regions, cluster regions cannot be checked: no error per cluster row.
    assert all(not cell.startswith("Clusters!B") for cell, _ in found)


def test_a_misspelt_tab_gets_a_did_you_mean():
    tabs = valid_tabs()
    tabs["Setting"] = tabs.pop("Settings")
    cell, message = errors(tabs)[0]
    assert cell == "Settings!A1"
    assert message == 'the workbook has no tab named "Settings": did you mean "Setting"? Rename it to Settings.'


def test_tabs_and_headers_match_whatever_their_case_order_and_spacing():
    tabs = valid_tabs()
    tabs["CLUSTERS"] = tabs.pop("Clusters")
    header = tabs["CLUSTERS"][0]
    header[0], header[8] = "Duration Hours", " CLUSTER "
    for row in tabs["CLUSTERS"][1:]:
        row[0], row[8] = row[8], row[0]
    result = check(tabs)
    assert result.ok, result.errors
    assert result.workbook.clusters[0].name == "swc-canary"
    assert result.workbook.clusters[0].duration_hours == 4.0


def test_errors_name_the_tab_as_the_sheet_spells_it():
    tabs = valid_tabs()
    tabs["clusters"] = tabs.pop("Clusters")
    set_cell(tabs, "clusters!D3", "lots")
    assert only_error(tabs)[0] == "clusters!D3"


def test_a_missing_required_column_is_reported_once_at_the_next_free_header_cell():
    tabs = valid_tabs()
    for row in tabs["Clusters"]:
        del row[3]  # nodes
    assert only_error(tabs) == (
        "Clusters!L1", 'the Clusters tab has no "nodes" column: add the header nodes in row 1'
    )


def test_a_misspelt_required_column_gets_a_did_you_mean():
    tabs = set_cell(valid_tabs(), "Clusters!D1", "node")
    assert only_error(tabs) == (
        "Clusters!M1",
        'the Clusters tab has no "nodes" column: did you mean "node"? Rename that header to nodes.',
    )


def test_a_header_used_twice_names_both_cells():
    tabs = set_cell(valid_tabs(), "Clusters!M1", "SKU")
    assert only_error(tabs) == (
        "Clusters!M1", 'the header "sku" appears twice (also Clusters!C1): delete or rename one of them'
    )


def test_values_under_a_blank_header_are_reported_and_an_empty_blank_column_is_not():
    tabs = set_cell(valid_tabs(), "Rules!N3", "EU")
    assert only_error(tabs) == (
        "Rules!N1", "column N has values but no header: name it in row 1, or clear the column"
    )
    tabs = set_cell(valid_tabs(), "Rules!N3", "  ")
    assert check(tabs).ok


def test_blank_rows_are_skipped_and_rows_keep_their_sheet_numbers():
    tabs = valid_tabs()
    tabs["Clusters"].insert(2, [None, "", "  "])
    tabs["Clusters"].insert(2, [])
    set_cell(tabs, "Clusters!D6", "x")
    assert only_error(tabs)[0] == "Clusters!D6"
    assert [c.row for c in check(valid_tabs()).workbook.clusters] == [2, 3, 4]


def test_extra_columns_become_attributes_with_lower_case_keys():
    tabs = set_cell(valid_tabs(), "Clusters!M1", "Cost Center")
    set_cell(tabs, "Clusters!M2", 42.0)
    set_cell(tabs, "Regions!F1", "Power")
    set_cell(tabs, "Regions!F2", " grid ")
    book = check(tabs).workbook
    assert book.clusters[0].extra == {"owner_team": "team-a", "cost_center": 42}
    assert book.clusters[1].extra == {"owner_team": "team-b", "cost_center": None}
    assert book.regions[0].extra == {"area": "EU", "power": "grid"}


def test_an_empty_clusters_tab_is_an_error():
    tabs = valid_tabs()
    tabs["Clusters"] = tabs["Clusters"][:1]
    tabs["Rules"] = tabs["Rules"][:1]
    assert only_error(tabs) == ("Clusters!A2", "Clusters has no rows: add one row per cluster")


def test_every_problem_is_reported_in_tab_row_column_order():
    tabs = valid_tabs()
    set_cell(tabs, "Rules!C3", "first")
    set_cell(tabs, "Settings!B4", "many")
    set_cell(tabs, "Clusters!E4", "both")
    set_cell(tabs, "Clusters!D3", 0)
    set_cell(tabs, "Clusters!B3", "nowhere")
    assert [cell for cell, _ in errors(tabs)] == [
        "Clusters!B3", "Clusters!D3", "Clusters!E4", "Settings!B4", "Rules!C3"
    ]


def test_column_aa_sorts_after_column_z():
    cells = ["Rules!AA2", "Rules!Z2", "Rules!B3", "Clusters!C9"]
    ordered = sorted((SheetError(c, "x") for c in cells), key=error_order)
    assert [e.cell for e in ordered] == ["Clusters!C9", "Rules!Z2", "Rules!AA2", "Rules!B3"]


def test_a_workbook_with_errors_gives_no_model():
    result = check(set_cell(valid_tabs(), "Clusters!D2", -1))
    assert result.workbook is None and not result.ok
