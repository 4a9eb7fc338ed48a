"""make_plan end to end (validate, the engine's classification and violations, placement)."""
from __future__ import annotations

import copy

from rules.plan.make import plan_document
from rules.validation.workbook import validate
from sheets.memory import MemorySource
from tests.plan.test_plan_cli import TABS


def plan(tabs):
    return plan_document(validate(MemorySource(tabs).read()))


def test_warning_rules_are_reported_per_date_but_do_not_move_clusters():
    doc = plan(TABS)
    big = [(w["date"], w["nodes"]) for w in doc["windows"] if w["cluster"] == "eus-big"]
    assert big == [("2026-12-08", 450), ("2026-12-09", 450)]
    warnings = [(v["rule"], v["date"]) for v in doc["violations"] if v["severity"] == "warning"]
    assert warnings == [("few-big", "2026-12-08"), ("few-big", "2026-12-09")]
    assert doc["summary"]["errors"] == 0 and doc["summary"]["warnings"] == 2


def test_a_pinned_date_is_kept_and_its_broken_rule_is_an_error_violation():
    tabs = copy.deepcopy(TABS)
    tabs["Clusters"][2][7] = "2026-12-07"
    doc = plan(tabs)
    assert [w["date"] for w in doc["windows"] if w["cluster"] == "eus-1"] == ["2026-12-07"]
    [soak] = [v for v in doc["violations"] if v["severity"] == "error"]
    assert (soak["rule"], soak["cell"], soak["cluster"]) == ("soak", "Rules!A4", "eus-1")


def test_an_oversized_cluster_is_unscheduled_with_an_error_violation_at_the_cap():
    tabs = copy.deepcopy(TABS)
    tabs["Clusters"].append(["huge", "eastus", "H100", 600, "research", "no", "no", None])
    doc = plan(tabs)
    assert [u["cluster"] for u in doc["unscheduled"]] == ["huge"]
    [error] = [v for v in doc["violations"] if v["severity"] == "error"]
    assert (error["cluster"], error["cell"]) == ("huge", "Settings!B4")
    assert "allow rolling" in error["message"]
    assert doc["summary"]["deadline_met"] is False
