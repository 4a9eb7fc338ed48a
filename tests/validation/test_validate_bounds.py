"""What validation accepts, the planner and every output can take: each value is bounded to what
a campaign can mean (rules/contract.py, documented in docs/sheet-format.md), the rest is refused
at its cell."""
import pytest

from rules.plan.document import to_json
from rules.plan.make import plan_document
from sheets import xlsx_bytes
from sheets.memory import MemorySource
from sheets.xlsx_output import plan_workbook
from tests.workbooks import check, only_error, set_cell, valid_tabs


@pytest.mark.parametrize("ref, value, message", [
    ("Settings!B3", "9998-12-31",
     "deadline is 9998-12-31: a campaign's dates fall between 2000-01-01 and 2099-12-31"),
    ("Settings!B3", "2027-03-01",
     "deadline 2027-03-01 is 420 days after start_date 2026-01-05: a campaign lasts at most 366 "
     "days, so plan the rest as another campaign"),
    ("Settings!B10", "2147483648", "soak_days is 2,147,483,648: a campaign's numbers are at most 10,000,000"),
    ("Settings!B10", "91", "soak_days is 91: a soak lasts at most 90 days"),
    ("Clusters!J2", "9998-01-01",
     "pinned_date is 9998-01-01: a campaign's dates fall between 2000-01-01 and 2099-12-31"),
    ("Clusters!J2", "2028-01-01",
     "pinned_date 2028-01-01 is more than 366 days from the campaign (2026-01-05 to 2026-01-18): "
     "pin a day within it, or clear the cell"),
    ("Clusters!D2", 10_000_001, "nodes is 10,000,001: a campaign's numbers are at most 10,000,000"),
    ("Rules!C3", -10_000_001,
     "the value of a priority rule is -10,000,001: a campaign's numbers are at most 10,000,000"),
    ("Rules!E6", "2100-01-01", "to is 2100-01-01: a campaign's dates fall between 2000-01-01 and 2099-12-31"),
    ("Clusters!A2", "x" * 201, "cluster is 201 characters long: at most 200 fit"),
])
def test_a_value_beyond_what_a_campaign_means_is_refused_at_its_cell(ref, value, message):
    tabs = valid_tabs()
    if ref == "Settings!B10":
        tabs["Settings"].append(["soak_days", None, None])
    assert only_error(set_cell(tabs, ref, value)) == (ref, message)


def test_the_largest_values_accepted_still_plan():
    tabs = set_cell(valid_tabs(), "Settings!B3", "2027-01-06")  # 366 days
    tabs["Settings"].append(["soak_days", 90, None])
    set_cell(tabs, "Clusters!J2", "2028-01-07")  # 366 days after the deadline
    set_cell(tabs, "Clusters!D3", 10_000_000)
    set_cell(tabs, "Settings!B4", 10_000_000)
    set_cell(tabs, "Rules!C3", -10_000_000)
    validated = check(tabs)
    assert validated.ok, validated.errors
    doc = plan_document(validated)
    assert doc["windows"] and not doc["errors"] and to_json(doc)
    assert xlsx_bytes.stable_bytes(plan_workbook(MemorySource(tabs).read(), doc))


def test_a_tab_with_more_rows_than_a_campaign_holds_is_refused_before_its_cells_are_read():
    tabs = valid_tabs()
    template = tabs["Clusters"][1]
    tabs["Clusters"] += [[f"c{i}", *template[1:]] for i in range(10_000)]
    assert only_error(tabs) == (
        "Clusters!A10002",
        "Clusters has 10,003 rows and 12 columns: a tab holds at most 10,000 rows and 200 columns, "
        "so split the campaign",
    )
