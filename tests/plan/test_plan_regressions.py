"""Bugs the property tests (test_plan_properties.py) found, each pinned down by a small workbook."""
from __future__ import annotations

from tests.workbooks import broken, days, planned

CLUSTERS = [{"cluster": "first", "region": "utc"},
            {"cluster": "second", "region": "utc", "workload": "applied"}]


def test_a_warning_after_rule_does_not_delay_its_clusters():
    doc = planned(CLUSTERS, [
        {"rule": "research-first", "kind": "priority", "value": 0, "workload": "research"},
        {"rule": "soak-applied", "kind": "after", "value": "research-first",
         "severity": "warning", "workload": "applied"}],
        deadline="2026-01-20", daily_node_cap=1000, window_start="09:00", window_end="17:00",
        default_duration_hours=4)
    assert days(doc) == {"first": ["2026-01-05"], "second": ["2026-01-05"]}
    assert [(rule, severity, cluster) for rule, severity, cluster, _ in broken(doc)] == [
        ("soak-applied", "warning", "second")]
