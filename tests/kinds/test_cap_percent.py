"""cap_percent: nodes out at any instant stay at or below value % of the matching clusters' nodes."""
from tests.workbooks import broken, days, planned

CLUSTERS = [{"cluster": "a", "nodes": 10}, {"cluster": "b", "nodes": 10},
            {"cluster": "c", "nodes": 10, "workload": "applied"}]


def test_the_cap_is_a_share_of_the_matching_clusters_nodes():
    doc = planned(CLUSTERS, [{"rule": "half", "kind": "cap_percent", "value": 50,
                              "workload": "research"}])
    assert days(doc) == {"a": ["2026-01-05"], "c": ["2026-01-05"], "b": ["2026-01-06"]}
    assert broken(doc) == []


def test_a_warning_share_names_the_percentage_and_the_nodes_it_allows():
    doc = planned(CLUSTERS, [{"rule": "half", "kind": "cap_percent", "value": 50,
                              "workload": "research", "severity": "warning"}])
    assert broken(doc) == [("half", "warning", None, "2026-01-05")]
    assert "over its cap of 50% of its clusters' nodes (10) by 10" in doc["violations"][0]["message"]
