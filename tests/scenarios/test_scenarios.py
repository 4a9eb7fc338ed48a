"""Scenarios: each kind of change changes exactly what it says, every cell is checked, and the
plans are compared with the base in the JSON, the CLI and the Scenario results tab."""
from __future__ import annotations

import copy
import datetime as dt
import json
from dataclasses import replace

import openpyxl

from rules.model import SheetError
from rules.scenarios.apply import apply
from rules.scenarios.compare import plan_with_scenarios
from rules.scenarios.tab import check_scenarios
from rules.validation.workbook import validate
from sheets.memory import MemorySource
from sheets.output_tabs import scenario_rows
from tests.plan.test_plan_cli import TABS, book

HEADER = ["scenario", "change", "target", "value", "size", "note"]


def with_scenarios(*rows):
    tabs = copy.deepcopy(TABS)
    tabs["Scenarios"] = [HEADER, *[list(r) + [None] * (len(HEADER) - len(r)) for r in rows]]
    return MemorySource(tabs).read()


def scenario_book(*rows):
    """The base model and the model of the only scenario in ``rows``."""
    raw = with_scenarios(*rows)
    base = validate(raw).workbook
    errors: list[SheetError] = []
    [scenario] = check_scenarios(raw, base, errors)
    assert errors == []
    changed = validate(apply(raw, base, scenario))
    assert changed.ok, changed.errors
    return base, changed.workbook


def test_a_setting_change_moves_only_that_setting_and_a_date_may_be_relative():
    base, changed = scenario_book(["later", "setting", "deadline", "+7"],
                                  ["later", "setting", "daily_node_cap", 800])
    assert changed.settings.deadline == base.settings.deadline + dt.timedelta(days=7)
    assert replace(changed.settings, cells={}) == replace(
        base.settings, deadline=changed.settings.deadline, daily_node_cap=800, cells={})
    assert (changed.clusters, changed.rules) == (base.clusters, base.rules)


def test_a_rule_change_enables_or_disables_only_that_rule():
    base, changed = scenario_book(["no soak", "rule", "soak", "no"])
    assert [r.id for r in changed.rules if not r.enabled] == ["soak"]
    assert [replace(r, enabled=True) for r in changed.rules] == [
        replace(r, enabled=True) for r in base.rules]


def test_a_rule_value_change_sets_only_that_rules_value():
    base, changed = scenario_book(["roll faster", "rule_value", "roll", 25])
    assert [(r.id, r.value) for r in changed.rules if r != base.rules[changed.rules.index(r)]] \
        == [("roll", 25.0)]


def test_an_attribute_change_sets_the_column_of_the_matching_clusters_only():
    base, changed = scenario_book(["roll the small", "attribute", "rolling", "yes", "small"])
    rolled = {c.name for c in changed.clusters if c.rolling}
    small = {c.name for c in base.clusters if c.nodes <= base.settings.big_cluster_nodes}
    assert rolled == small | {c.name for c in base.clusters if c.rolling}
    assert [replace(c, rolling=False) for c in changed.clusters] == [
        replace(c, rolling=False) for c in base.clusters]


def test_every_scenario_cell_is_checked_and_named():
    raw = with_scenarios(["a", "setting", "dedline", "+7"],
                         ["b", "setting", "daily_node_cap", "many"],
                         ["c", "rule", "sok", "no"],
                         ["d", "rule", "soak", "maybe"],
                         ["e", "attribute", "region", "x"],
                         ["f", "setting", "deadline", "+1", "big"],
                         ["g", "swap", "deadline", "+1"])
    doc = plan_with_scenarios(raw)
    cells = [e["cell"] for e in doc["errors"]]
    assert cells == ["Scenarios!C2", "Scenarios!D3", "Scenarios!C4", "Scenarios!D5",
                     "Scenarios!C6", "Scenarios!E7", "Scenarios!B8"]
    assert 'there is no setting "dedline"' in doc["errors"][0]["message"]
    assert doc["summary"] == {}


def test_the_comparison_has_the_base_first_and_each_scenarios_difference():
    doc = plan_with_scenarios(with_scenarios(["tight cap", "setting", "daily_node_cap", 300],
                                             ["later", "setting", "deadline", "+7"]))
    base, tight, later = doc["scenarios"]
    assert base["scenario"] == "base" and "vs_base" not in base
    assert tight["vs_base"]["unscheduled"] == tight["unscheduled"] - base["unscheduled"]
    assert tight["unscheduled"] > 0  # a 450-node batch does not fit under 300
    assert later["vs_base"] == {"days": 0, "peak_nodes_out": 0, "unscheduled": 0, "errors": 0,
                                "warnings": 0, "finish_days": 0}
    assert set(base) >= {"finish", "days", "bound", "peak_nodes_out", "deadline_met",
                         "unscheduled", "errors", "warnings"}


def test_plan_scenarios_prints_the_table_and_writes_the_scenario_results_tab(runner, tmp_path):
    tabs = copy.deepcopy(TABS)
    tabs["Scenarios"] = [HEADER, ["tight cap", "setting", "daily_node_cap", 300]]
    out_json, out_xlsx = tmp_path / "plan.json", tmp_path / "plan.xlsx"
    result = runner.invoke(args=["plan", book(tmp_path, tabs), "--scenarios", "--json",
                                 str(out_json), "--xlsx", str(out_xlsx)])
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    start = lines.index("scenarios:")
    assert lines[start + 1].split() == ["scenario", "finish", "days", "bound", "peak",
                                        "deadline", "met", "unscheduled", "errors", "warnings",
                                        "vs", "base"]
    assert lines[start + 2].split()[0] == "base" and lines[start + 3].startswith("  tight cap")
    assert [r["scenario"] for r in json.loads(out_json.read_text())["scenarios"]] == [
        "base", "tight cap"]
    sheet = openpyxl.load_workbook(out_xlsx)["Scenario results"]
    assert [row[0] for row in sheet.iter_rows(values_only=True)] == [
        "scenario", "base", "tight cap"]
    assert "Scenarios" in openpyxl.load_workbook(out_xlsx).sheetnames  # the input tab is kept


def test_a_scenario_may_set_the_objective_to_finish_and_then_ends_earlier():
    from tests.workbooks import cluster, rule, tabs

    # In name order 400 and 500 share the first date, 550 the second, the last 500 a third;
    # the optimiser pairs them into two dates.
    sheet = tabs([cluster(f"c{i}", s) for i, s in enumerate((400, 500, 550, 500))],
                 [rule("per-day", "cap_clusters", 3)], daily_node_cap=1000)
    sheet["Scenarios"] = [HEADER, ["optimised", "setting", "objective", "finish", None, None],
                          ["typo", "setting", "objective", "fastest", None, None]]
    doc = plan_with_scenarios(MemorySource(sheet).read())
    assert [(e["cell"], e["message"]) for e in doc["errors"]] == [
        ("Scenarios!D3", 'objective must be one of order, finish, got "fastest"')]
    sheet["Scenarios"].pop()
    base, optimised = plan_with_scenarios(MemorySource(sheet).read())["scenarios"]
    assert optimised["vs_base"]["finish_days"] == -1 and optimised["days"] == base["days"] - 1


def test_a_scenario_may_not_be_named_base_the_name_of_the_plan_without_changes():
    doc = plan_with_scenarios(with_scenarios(["Base", "setting", "daily_node_cap", 300]))
    assert [e["cell"] for e in doc["errors"]] == ["Scenarios!A2"]
    assert "give the scenario another name" in doc["errors"][0]["message"]
    assert "scenarios" not in doc and doc["windows"] == []


def test_a_scenario_that_breaks_the_workbook_shows_its_errors_on_its_row_and_the_others_plan():
    doc = plan_with_scenarios(with_scenarios(["no cap", "setting", "daily_node_cap", None],
                                             ["tight cap", "setting", "daily_node_cap", 300]))
    assert doc["errors"] == [] and doc["windows"]
    base, broken, tight = doc["scenarios"]
    assert "finish" not in broken and broken["sheet_errors"][0]["cell"] == "Scenarios!A2"
    assert "Settings!B4" in broken["sheet_errors"][0]["message"]
    assert tight["finish"] and tight["sheet_errors"] == []
    [results] = [row for row in scenario_rows(doc) if row[0] == "no cap"]
    assert results[-1].startswith("no plan: Scenarios!A2: scenario no cap: Settings!B4: ")


def test_plan_scenarios_says_when_the_scenarios_tab_has_no_rows(runner, tmp_path):
    tabs = copy.deepcopy(TABS)
    tabs["Scenarios"] = [HEADER]
    result = runner.invoke(args=["plan", book(tmp_path, tabs), "--scenarios"])
    assert result.exit_code == 0, result.output
    assert result.output.splitlines()[-1] == "scenarios: the Scenarios tab has no scenario rows"


def test_validate_checks_the_scenarios_tab_to_the_cell_and_exits_2(runner, tmp_path):
    tabs = copy.deepcopy(TABS)
    tabs["Scenarios"] = [HEADER, ["no soak", "rule", "sok", "no"]]
    result = runner.invoke(args=["validate", book(tmp_path, tabs)])
    assert result.exit_code == 2
    assert result.output.splitlines() == [
        'Scenarios!C2: there is no rule "sok": did you mean "soak"?']
    tabs["Scenarios"][1][2] = "soak"
    assert runner.invoke(args=["validate", book(tmp_path, tabs)]).exit_code == 0


def test_a_date_setting_typed_plus_7_into_a_spreadsheet_cell_is_7_days_later():
    # Excel and Google Sheets store "+7" typed into a cell as the number 7.
    base, changed = scenario_book(["later", "setting", "deadline", 7])
    assert changed.settings.deadline == base.settings.deadline + dt.timedelta(days=7)
    base, changed = scenario_book(["earlier", "setting", "start_date", "-3 days"])
    assert changed.settings.start_date == base.settings.start_date - dt.timedelta(days=3)


def test_a_relative_value_on_a_number_setting_is_refused_not_read_as_the_new_value():
    doc = plan_with_scenarios(with_scenarios(["more room", "setting", "daily_node_cap", "+300"]))
    assert [(e["cell"], e["message"]) for e in doc["errors"]] == [
        ("Scenarios!D2", "daily_node_cap: +300 counts days from the base, for a date setting "
                         "only; type the scenario's daily_node_cap itself (e.g. 1800)")]


def test_an_attribute_change_whose_conditions_match_no_cluster_is_an_error_at_its_cell():
    doc = plan_with_scenarios(with_scenarios(["roll the huge", "attribute", "rolling", "yes",
                                              "huge"]))
    assert [(e["cell"], e["message"]) for e in doc["errors"]] == [
        ("Scenarios!E2", "the condition cells of this row match no cluster, so it would change "
                         "nothing: check their values")]
