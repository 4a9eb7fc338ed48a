"""Validation of the Rules tab: condition columns and cells, kinds, values, dates, after."""
import pytest

from rules.conditions import ConditionError, parse
from rules.model import Formula
from tests.workbooks import check, errors, only_error, set_cell, valid_tabs

# Rows of the valid workbook's Rules tab.
EXCLUDE, PRIORITY, SPREAD, CAP, AFTER, BLACKOUT = 2, 3, 5, 6, 9, 10


def test_a_condition_column_naming_no_attribute_gets_a_did_you_mean():
    cell, message = only_error(set_cell(valid_tabs(), "Rules!L1", "wrkload"))
    assert cell == "Rules!L1"
    assert message.startswith('no cluster attribute named "wrkload": did you mean "workload"?')


def test_a_condition_column_far_from_any_attribute_lists_where_attributes_come_from():
    cell, message = only_error(set_cell(valid_tabs(), "Rules!M1", "xyz"))
    assert cell == "Rules!M1"
    assert message.startswith(
        'no cluster attribute named "xyz": use a column of Clusters or Regions, '
        "or geo, importance, timezone or size"
    )


def test_condition_columns_may_test_extra_derived_and_region_attributes():
    tabs = valid_tabs()
    for ref, value in (("Rules!M1", "Owner Team"), ("Rules!M3", "team-a"), ("Rules!N1", "area"),
                       ("Rules!N3", "EU, US"), ("Rules!O1", "geo"), ("Rules!O3", "not UK")):
        set_cell(tabs, ref, value)
    rule = check(tabs).workbook.rules[1]
    assert [attribute for attribute, _ in rule.conditions] == ["canary", "owner_team", "area", "geo"]


@pytest.mark.parametrize("cell_text, attribute", [("100..", "nodes"), ("> abc", "nodes"),
                                                  ("[2026-01-05..", "pinned_date")])
def test_a_condition_cell_that_does_not_parse_is_reported_at_that_cell(cell_text, attribute):
    tabs = set_cell(valid_tabs(), "Rules!M1", attribute)
    set_cell(tabs, "Rules!M4", cell_text)
    with pytest.raises(ConditionError) as expected:
        parse(cell_text, attribute, "number" if attribute == "nodes" else "date")
    assert only_error(tabs) == ("Rules!M4", str(expected.value))


def test_a_formula_in_a_condition_says_formulas_are_not_evaluated():
    tabs = set_cell(valid_tabs(), "Rules!I3", Formula('=IF(A1>3,"EU","US")'))
    assert only_error(tabs) == (
        "Rules!I3",
        'sku holds the formula "=IF(A1>3,"EU","US")": formulas are not evaluated, type the value itself',
    )


def test_a_dash_or_blank_condition_matches_anything_and_is_left_out():
    tabs = set_cell(valid_tabs(), "Rules!K4", "-")
    rule = check(tabs).workbook.rules[2]
    assert [attribute for attribute, _ in rule.conditions] == ["workload"]


def test_an_unknown_kind_gets_a_did_you_mean():
    assert only_error(set_cell(valid_tabs(), f"Rules!B{PRIORITY}", "priorty")) == (
        f"Rules!B{PRIORITY}",
        "kind must be one of exclude, priority, spread, cap_nodes, cap_clusters, cap_percent, "
        'rolling, blackout, between, after, got "priorty": did you mean "priority"?',
    )


def test_kinds_severities_and_enabled_are_read_whatever_their_case():
    tabs = set_cell(valid_tabs(), f"Rules!B{CAP}", "CAP_Nodes")
    set_cell(tabs, f"Rules!F{CAP}", "Warning")
    set_cell(tabs, f"Rules!G{CAP}", "NO")
    rule = check(tabs).workbook.rules[CAP - 2]
    assert (rule.kind, rule.severity, rule.enabled) == ("cap_nodes", "warning", False)


@pytest.mark.parametrize(
    "kind, value, message",
    [
        ("priority", "first", 'the value of a priority rule must be a whole number, got "first"'),
        ("priority", 1.5, 'the value of a priority rule must be a whole number, got "1.5"'),
        ("cap_nodes", -1, 'the value of a cap_nodes rule must be a whole number ≥ 0, got "-1"'),
        ("cap_clusters", "two", 'the value of a cap_clusters rule must be a whole number ≥ 0, got "two"'),
        ("cap_percent", 0, 'the value of a cap_percent rule must be a percentage above 0 and at most '
                           '100 (e.g. 6 for 6 %), got "0"'),
        ("cap_percent", "120%", 'the value of a cap_percent rule must be a percentage above 0 and at '
                                'most 100 (e.g. 6 for 6 %), got "120%"'),
        ("cap_percent", 0.06, 'the value of a cap_percent rule must be a percentage above 0 and at '
                              'most 100 (e.g. 6 for 6 %), got "0.06": a cell formatted as a percentage '
                              'stores 6 % as 0.06; type 6 (or "6%" as text)'),
        ("cap_nodes", None, "a cap_nodes rule needs a value: a whole number ≥ 0 (e.g. 1300)"),
        ("spread", None, "a spread rule needs a value: the name of a cluster attribute (e.g. area)"),
        ("exclude", "yes", 'an exclude rule takes no value, got "yes": clear the cell'),
        ("cap_nodes", Formula("=B2"), 'value holds the formula "=B2": formulas are not evaluated, type the '
                             "value itself"),
    ],
)
def test_a_value_of_the_wrong_type_for_its_kind_is_named(kind, value, message):
    tabs = set_cell(valid_tabs(), f"Rules!B{CAP}", kind)
    set_cell(tabs, f"Rules!C{CAP}", value)
    if kind in ("priority", "spread", "exclude"):  # kinds that take no days
        set_cell(tabs, f"Rules!D{CAP}", None)
        set_cell(tabs, f"Rules!E{CAP}", None)
    assert only_error(tabs) == (f"Rules!C{CAP}", message)


@pytest.mark.parametrize("kind, value, read", [("priority", -2, -2), ("priority", "3", 3),
                                                ("cap_nodes", "0", 0), ("rolling", "6%", 6.0),
                                                ("cap_percent", 2.5, 2.5), ("rolling", 100, 100.0)])
def test_values_are_typed_per_kind(kind, value, read):
    tabs = set_cell(valid_tabs(), f"Rules!B{CAP}", kind)
    set_cell(tabs, f"Rules!C{CAP}", value)
    if kind in ("priority", "rolling"):
        set_cell(tabs, f"Rules!D{CAP}", None)
        set_cell(tabs, f"Rules!E{CAP}", None)
    assert check(tabs).workbook.rules[CAP - 2].value == read


def test_a_spread_over_an_unknown_attribute_gets_a_did_you_mean():
    assert only_error(set_cell(valid_tabs(), f"Rules!C{SPREAD}", "aera")) == (
        f"Rules!C{SPREAD}", 'no cluster attribute named "aera": did you mean "area"?'
    )


def test_a_spread_attribute_is_read_like_a_header():
    rule = check(set_cell(valid_tabs(), f"Rules!C{SPREAD}", " Owner Team ")).workbook.rules[3]
    assert rule.value == "owner_team"


def test_an_after_naming_no_rule_gets_a_did_you_mean():
    assert only_error(set_cell(valid_tabs(), f"Rules!C{AFTER}", "canary-frist")) == (
        f"Rules!C{AFTER}", 'there is no rule "canary-frist": did you mean "canary-first"?'
    )


def test_an_after_takes_the_named_rules_spelling():
    rule = check(set_cell(valid_tabs(), f"Rules!C{AFTER}", "CANARY-FIRST")).workbook.rules[7]
    assert rule.value == "canary-first"


def test_an_after_cannot_name_itself():
    assert only_error(set_cell(valid_tabs(), f"Rules!C{AFTER}", "after-canary")) == (
        f"Rules!C{AFTER}",
        "an after rule cannot name itself: name the rule whose clusters must go first",
    )


def test_an_enabled_after_cannot_wait_for_a_switched_off_rule():
    tabs = set_cell(valid_tabs(), f"Rules!G{PRIORITY}", "no")
    assert only_error(tabs) == (
        f"Rules!C{AFTER}",
        'rule "canary-first" is switched off (enabled: no on row 3): switch it on, or switch this '
        "rule off",
    )


def test_after_rules_waiting_for_each_other_are_reported_once():
    tabs = valid_tabs()
    tabs["Rules"] += [["loop-a", "after", "loop-b"], ["loop-b", "after", "loop-c"],
                      ["loop-c", "after", "loop-a"], ["tail", "after", "loop-a"]]
    assert only_error(tabs) == (
        "Rules!C11",
        'these after rules wait for each other in a circle, so none can start: "loop-a" → "loop-b" '
        '→ "loop-c" → "loop-a": break the circle',
    )


def test_a_from_after_its_to_is_named_at_from():
    tabs = set_cell(valid_tabs(), f"Rules!D{CAP}", "2026-01-09")
    assert only_error(tabs) == (
        f"Rules!D{CAP}", "from 2026-01-09 is after to 2026-01-07: swap them, or correct one"
    )


def test_dates_on_a_kind_they_do_not_apply_to_are_refused():
    tabs = set_cell(valid_tabs(), f"Rules!E{PRIORITY}", "2026-01-10")
    assert only_error(tabs) == (
        f"Rules!E{PRIORITY}",
        "to does not apply to a priority rule: clear it (from and to apply to cap_nodes, "
        "cap_clusters, cap_percent, blackout, between)",
    )


def test_a_blackout_without_days_is_refused():
    tabs = set_cell(valid_tabs(), f"Rules!D{BLACKOUT}", None)
    set_cell(tabs, f"Rules!E{BLACKOUT}", None)
    assert only_error(tabs) == (
        f"Rules!D{BLACKOUT}", "a blackout rule needs its days: fill in from, to, or both"
    )


def test_rule_dates_accept_serial_numbers_and_excel_dates():
    import datetime as dt

    tabs = set_cell(valid_tabs(), f"Rules!D{CAP}", 46027)
    set_cell(tabs, f"Rules!E{CAP}", dt.datetime(2026, 1, 7))
    rule = check(tabs).workbook.rules[CAP - 2]
    assert (rule.from_date, rule.to_date) == (dt.date(2026, 1, 5), dt.date(2026, 1, 7))


def test_a_duplicate_rule_id_names_the_first_row():
    assert only_error(set_cell(valid_tabs(), f"Rules!A{CAP}", "Canary-First")) == (
        f"Rules!A{CAP}", 'rule "Canary-First" is also on row 3: each rule id must be used once'
    )


def test_a_rule_may_be_named_like_a_setting_because_the_settings_cap_is_no_rule():
    book = check(set_cell(valid_tabs(), f"Rules!A{CAP}", "daily_node_cap")).workbook
    assert book.rules[CAP - 2].id == "daily_node_cap"
    assert [(c.setting, c.cell) for c in book.fleet_caps] == [("daily_node_cap", "Settings!B4")]


def test_a_rule_without_an_id_or_kind_is_reported():
    tabs = valid_tabs()
    tabs["Rules"].append([None, None, None, None, None, None, None, "orphan note"])
    assert errors(tabs) == [
        ("Rules!A11", "rule is blank: fill it in, e.g. canary-first"),
        ("Rules!B11", "kind is blank: fill in one of exclude, priority, spread, cap_nodes, "
                      "cap_clusters, cap_percent, rolling, blackout, between, after"),
    ]


def test_an_unknown_severity_is_named():
    cell, message = only_error(set_cell(valid_tabs(), f"Rules!F{EXCLUDE}", "fatal"))
    assert (cell, message) == (f"Rules!F{EXCLUDE}", 'severity must be one of error, warning, got "fatal"')


@pytest.mark.parametrize("row, kind", [(2, "exclude"), (3, "priority"), (5, "spread"), (8, "rolling")])
def test_a_rule_that_shapes_the_plan_cannot_be_a_warning(row, kind):
    tabs = set_cell(valid_tabs(), f"Rules!F{row}", "warning")
    cell, message = only_error(tabs)
    assert cell == f"Rules!F{row}"
    assert message.startswith(f"{'an' if kind == 'exclude' else 'a'} {kind} rule shapes the plan, so it cannot be a warning")
    assert message.endswith("clear severity or set it to error")


def test_limits_may_be_warnings():
    tabs = set_cell(valid_tabs(), "Rules!F6", "warning")  # first-days, a cap_nodes
    assert errors(tabs) == []
