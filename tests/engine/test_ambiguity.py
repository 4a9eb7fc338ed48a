"""Ambiguity is flagged, not guessed: a condition value no cluster has, and a row that matches no
cluster, are warnings that list the values that exist and the closest one."""
from rules.plan.make import make_plan
from tests.workbooks import check, set_cell, valid_tabs

BLACKOUT = 10  # the no-xmas row of the small workbook


def warnings_of(tabs):
    validated = check(tabs)
    assert validated.ok, validated.errors
    return [(v.rule, v.cell, v.message) for v in make_plan(validated.workbook).violations
            if v.severity == "warning"]


def with_condition(column: str, header: str, row: int, cell: str):
    tabs = set_cell(valid_tabs(), f"Rules!{column}1", header)
    set_cell(tabs, f"Rules!G{BLACKOUT}", None)  # switched on
    return set_cell(tabs, f"Rules!{column}{row}", cell)


def test_a_blackout_on_values_no_region_has_is_a_warning_with_the_values_and_a_did_you_mean():
    tabs = with_condition("M", "geo", BLACKOUT, "USA, Europe")
    assert ("no-xmas", "Rules!A10", 'rule "no-xmas": no cluster has geo "USA", so that value matches '
            'nothing (the values are EU, UK, US): did you mean "US"?') in warnings_of(tabs)


def test_a_misspelt_value_inside_not_is_a_warning_even_though_the_row_matches_clusters():
    tabs = set_cell(valid_tabs(), "Clusters!C4", "GB200")
    set_cell(tabs, "Rules!I2", "not H100, H200, GB20O")
    assert warnings_of(tabs) == [(
        "out-of-scope", "Rules!A2", 'rule "out-of-scope": no cluster has sku "GB20O", so that value '
        'matches nothing (the values are GB200, H100, H200): did you mean "GB200"?')]


def test_a_row_whose_conditions_together_match_no_cluster_is_a_warning():
    tabs = with_condition("M", "geo", BLACKOUT, "UK")
    set_cell(tabs, f"Rules!K{BLACKOUT}", "big")
    assert warnings_of(tabs) == [(
        "no-xmas", "Rules!A10", 'rule "no-xmas" matches no cluster: check its conditions '
        "(size big, geo UK)")]


def test_every_value_that_exists_gives_no_warning():
    tabs = with_condition("M", "geo", BLACKOUT, "EU, US")
    assert warnings_of(tabs) == []
