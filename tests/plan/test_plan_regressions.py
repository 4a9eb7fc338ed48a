"""Bugs the property tests (test_plan_properties.py) found, each pinned down by a small workbook."""
from __future__ import annotations

from rules.plan.make import plan_document
from rules.validation.workbook import validate
from sheets.memory import MemorySource


def _tabs(rules: list[list]) -> dict[str, list[list]]:
    return {
        "Clusters": [["cluster", "region", "sku", "nodes", "workload"],
                     ["first", "r", "H100", 10, "research"], ["second", "r", "H100", 10, "applied"]],
        "Regions": [["region", "geo", "importance", "timezone"], ["r", "EU", "high", "UTC"]],
        "Settings": [["setting", "value"], ["start_date", "2026-01-05"], ["deadline", "2026-01-20"],
                     ["daily_node_cap", 1000], ["window_start", "09:00"], ["window_end", "17:00"],
                     ["default_duration_hours", 4], ["big_cluster_nodes", 400], ["timezone", "UTC"]],
        "Rules": [["rule", "kind", "value", "severity", "workload"], *rules],
    }


def _plan(tabs) -> dict:
    return plan_document(validate(MemorySource(tabs).read()))


def _dates(doc) -> dict[str, str]:
    return {w["cluster"]: w["date"] for w in doc["windows"]}


def test_a_warning_after_rule_does_not_delay_its_clusters():
    tabs = _tabs([["research-first", "priority", 0, None, "research"],
                  ["soak-applied", "after", "research-first", "warning", "applied"]])
    doc = _plan(tabs)
    assert _dates(doc) == {"first": "2026-01-05", "second": "2026-01-05"}
    assert [(v["rule"], v["severity"], v["cluster"]) for v in doc["violations"]] == [
        ("soak-applied", "warning", "second")]
