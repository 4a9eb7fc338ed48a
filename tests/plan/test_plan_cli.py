"""`flask plan`: the printed summary, the JSON and xlsx outputs, and the exit codes."""
from __future__ import annotations

import copy
import json
from pathlib import Path

import openpyxl

from sheets.xlsx import write_workbook

FLEET = Path(__file__).resolve().parents[2] / "examples" / "fleet.xlsx"

TABS = {
    "Clusters": [
        ["cluster", "region", "sku", "nodes", "workload", "rolling", "canary", "pinned_date"],
        ["swc-canary", "swedencentral", "H100", 8, "research", "no", "yes", None],
        ["eus-1", "eastus", "H100", 300, "applied", "no", "no", None],
        ["eus-big", "eastus", "H200", 900, "applied", "yes", "no", None],
        ["a100", "eastus", "A100", 64, "research", "no", "no", None],
    ],
    "Regions": [
        ["region", "geo", "importance", "timezone"],
        ["swedencentral", "EU", "high", "Europe/Stockholm"],
        ["eastus", "US", "high", "America/New_York"],
    ],
    "Settings": [
        ["setting", "value"],
        ["start_date", "2026-12-07"], ["deadline", "2026-12-31"], ["daily_node_cap", 500],
        ["window_start", "11:00"], ["window_end", "20:00"], ["default_duration_hours", 6],
        ["big_cluster_nodes", 400], ["timezone", "UTC"],
    ],
    "Rules": [
        ["rule", "kind", "value", "severity", "sku", "canary", "rolling", "size"],
        ["scope", "exclude", None, None, "not H100, H200", None, None, None],
        ["canary-first", "priority", 1, None, None, "yes", None, None],
        ["soak", "after", "canary-first", None, None, "no", None, None],
        ["roll", "rolling", 50, None, None, None, "yes", None],
        ["few-big", "cap_nodes", 100, "warning", None, None, None, "big"],
    ],
}


def book(tmp_path, tabs=None, name="book.xlsx") -> str:
    path = tmp_path / name
    write_workbook(path, tabs or TABS)
    return str(path)


def test_a_valid_plan_prints_its_summary_and_exits_0_with_warnings_only(runner, tmp_path):
    result = runner.invoke(args=["plan", book(tmp_path)])
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    assert lines[0] == "plan: 2026-12-07 to 2026-12-10 (4 days)"
    assert lines[1] == ("peak: 450 nodes out on 2026-12-09 from 16:00 to 22:00 UTC (cap then 500; "
                        "daily_node_cap 500)")
    assert "windows: 4 for 3 clusters (1,208 nodes); excluded: 1; unscheduled: 0" in lines
    assert "violations: 0 errors, 2 warnings" in lines
    listed = [line for line in lines if line.startswith("  warning ")]
    assert len(listed) == 2 and all(": " in line for line in listed)
    assert lines[-1] == "deadline 2026-12-31: met"


def test_json_and_xlsx_outputs_are_written(runner, tmp_path):
    out_json, out_xlsx = tmp_path / "plan.json", tmp_path / "plan.xlsx"
    result = runner.invoke(args=["plan", book(tmp_path), "--json", str(out_json),
                                 "--xlsx", str(out_xlsx)])
    assert result.exit_code == 0, result.output
    doc = json.loads(out_json.read_text())
    assert [w["cluster"] for w in doc["windows"]] == ["swc-canary", "eus-1", "eus-big", "eus-big"]
    assert openpyxl.load_workbook(out_xlsx).sheetnames == [
        "Clusters", "Regions", "Settings", "Rules", "Schedule", "Violations", "Summary"]


def test_json_to_stdout_is_pure_json_and_the_same_bytes_every_run(runner, tmp_path):
    path = book(tmp_path)
    first = runner.invoke(args=["plan", path, "--json", "-"])
    second = runner.invoke(args=["plan", path, "--json", "-"])
    assert first.stdout == second.stdout
    assert json.loads(first.stdout)["summary"]["windows"] == 4


def test_error_violations_exit_1_and_are_listed(runner, tmp_path):
    tabs = copy.deepcopy(TABS)
    tabs["Clusters"][2][7] = "2026-12-07"  # pinned before the canary has soaked
    result = runner.invoke(args=["plan", book(tmp_path, tabs)])
    assert result.exit_code == 1, result.output
    assert any(line.startswith("  error Rules!A4 soak:") for line in result.output.splitlines())


def test_a_missed_deadline_is_said_loudly(runner, tmp_path):
    tabs = copy.deepcopy(TABS)
    tabs["Settings"][2][1] = "2026-12-08"
    result = runner.invoke(args=["plan", book(tmp_path, tabs)])
    assert result.exit_code == 1
    assert "DEADLINE MISSED (2026-12-08): the plan ends 2026-12-10" in result.output


def test_an_invalid_workbook_exits_2_with_its_errors_and_json_of_errors_only(runner, tmp_path):
    tabs = copy.deepcopy(TABS)
    tabs["Clusters"][2][3] = "12O"
    out_json = tmp_path / "plan.json"
    result = runner.invoke(args=["plan", book(tmp_path, tabs), "--json", str(out_json)])
    assert result.exit_code == 2
    assert result.output.splitlines()[0].startswith("Clusters!D3: nodes must be a whole number")
    doc = json.loads(out_json.read_text())
    assert doc["errors"] and doc["windows"] == [] and doc["summary"] == {}


def test_a_file_that_is_not_a_workbook_exits_2_without_a_traceback(runner, tmp_path):
    path = tmp_path / "notes.xlsx"
    path.write_text("not a workbook")
    result = runner.invoke(args=["plan", str(path)])
    assert result.exit_code == 2
    assert "Traceback" not in result.output and "not an Excel workbook" in result.output


def test_the_example_fleet_plans_without_error_violations(runner, tmp_path):
    result = runner.invoke(args=["plan", str(FLEET), "--json", str(tmp_path / "plan.json")])
    assert result.exit_code == 0, result.output
    assert "violations: 0 errors" in result.output
