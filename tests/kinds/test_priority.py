"""priority: top to bottom, the first matching row sets a cluster's tier; lower tiers go first."""
from tests.workbooks import broken, days, planned

ONE_A_DAY = {"rule": "one-a-day", "kind": "cap_clusters", "value": 1}
CLUSTERS = [{"cluster": "a"}, {"cluster": "b", "workload": "applied"},
            {"cluster": "c", "canary": "yes"}]


def test_lower_tiers_are_placed_first_and_clusters_no_row_matches_come_last():
    doc = planned(CLUSTERS, [ONE_A_DAY,
                             {"rule": "canary", "kind": "priority", "value": 1, "canary": "yes"},
                             {"rule": "applied", "kind": "priority", "value": 2,
                              "workload": "applied"}])
    assert days(doc) == {"c": ["2026-01-05"], "b": ["2026-01-06"], "a": ["2026-01-07"]}
    assert [(w["cluster"], w["tier"]) for w in doc["windows"]] == [("c", 1), ("b", 2), ("a", None)]
    assert broken(doc) == []


def test_the_first_matching_row_decides_and_a_window_names_the_rules_that_placed_it():
    doc = planned(CLUSTERS, [ONE_A_DAY,
                             {"rule": "canary", "kind": "priority", "value": 3, "canary": "yes"},
                             {"rule": "everyone", "kind": "priority", "value": 1}])
    assert [(w["cluster"], w["tier"], w["rules"]) for w in doc["windows"]] == [
        ("a", 1, ["everyone"]), ("b", 1, ["one-a-day", "everyone"]),
        ("c", 3, ["one-a-day", "canary"])]


def test_a_priority_row_cannot_be_a_warning():
    doc = planned(CLUSTERS, [{"rule": "p", "kind": "priority", "value": 1, "severity": "warning"}])
    assert doc["windows"] == [] and [e["cell"] for e in doc["errors"]] == ["Rules!F2"]
    assert doc["errors"][0]["message"].startswith(
        "a priority rule shapes the plan, so it cannot be a warning")
