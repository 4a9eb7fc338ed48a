"""Rule ids and the built-in checks (daily_node_cap, deadline, unscheduled, the window not
fitting the day) never share a name space: a violation's ``rule`` is a Rules row's id or None,
its ``source`` says which check found it."""
from __future__ import annotations

from tests.workbooks import planned


def test_a_cap_named_window_shapes_its_windows_and_is_blamed_by_name():
    doc = planned([{"cluster": "a", "nodes": 400}, {"cluster": "b", "nodes": 400}],
                  [{"rule": "window", "kind": "cap_nodes", "value": 500}])
    # b waits a day for the cap named "window", and its window says so
    assert {w["cluster"]: (w["date"], w["rules"]) for w in doc["windows"]} == {
        "a": ("2026-01-05", []), "b": ("2026-01-06", ["window"])}


def test_a_cluster_a_cap_named_window_keeps_out_is_blamed_on_that_rule_not_on_the_day():
    doc = planned([{"cluster": "p1", "nodes": 100, "pinned_date": "2026-01-05"},
                   {"cluster": "p2", "nodes": 100, "pinned_date": "2026-01-06"},
                   {"cluster": "x", "nodes": 50, "owner_team": "late"}],
                  [{"rule": "window", "kind": "cap_nodes", "value": 100},
                   {"rule": "two-days", "kind": "between", "from": "2026-01-05", "to": "2026-01-06",
                    "owner_team": "late"}])
    [u] = doc["unscheduled"]
    assert "blocked by window on 2 dates" in u["reason"]
    assert "does not fit the day" not in u["reason"]
    [v] = [v for v in doc["violations"] if v["cluster"] == "x"]
    assert (v["source"], v["rule"], v["cell"]) == ("unscheduled", "window", "Rules!A2")


def test_rules_named_deadline_and_unscheduled_are_told_apart_from_the_built_in_checks():
    doc = planned(
        [{"cluster": "a", "nodes": 900}, {"cluster": "b", "nodes": 900},
         {"cluster": "huge", "nodes": 5000}, {"cluster": "c", "nodes": 10, "owner_team": "t"}],
        [{"rule": "deadline", "kind": "cap_nodes", "value": 100, "severity": "warning"},
         {"rule": "unscheduled", "kind": "blackout", "from": "2026-01-05", "owner_team": "t"}],
        daily_node_cap=900, deadline="2026-01-05")
    found = {(v["source"], v["rule"], v["cell"], v["cluster"]) for v in doc["violations"]}
    assert ("rule", "deadline", "Rules!A2", None) in found  # the warning cap named deadline
    assert ("deadline", None, "Settings!B3", "b") in found  # the plan ending late
    assert ("unscheduled", "unscheduled", "Rules!A3", "c") in found  # blacked out by the rule
    assert ("unscheduled", None, "Settings!B4", "huge") in found  # larger than daily_node_cap
