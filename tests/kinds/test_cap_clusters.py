"""cap_clusters: matching clusters with a window starting on a campaign day stay at or below
the value."""
from tests.workbooks import broken, days, planned

CLUSTERS = [{"cluster": "big-1", "nodes": 500}, {"cluster": "big-2", "nodes": 500},
            {"cluster": "small"}]


def test_only_the_matching_clusters_count_toward_the_cap():
    doc = planned(CLUSTERS, [{"rule": "big-a-day", "kind": "cap_clusters", "value": 1,
                              "size": "big"}])
    assert days(doc) == {"big-1": ["2026-01-05"], "small": ["2026-01-05"],
                         "big-2": ["2026-01-06"]}
    assert broken(doc) == []


def test_a_warning_cap_reports_how_many_clusters_are_too_many():
    doc = planned(CLUSTERS, [{"rule": "big-a-day", "kind": "cap_clusters", "value": 1,
                              "size": "big", "severity": "warning"}])
    assert broken(doc) == [("big-a-day", "warning", None, "2026-01-05")]
    assert doc["violations"][0]["message"].startswith(
        "2 clusters matched by rule big-a-day (Rules!A2) have a window starting on 2026-01-05 "
        "(UTC), over its cap of 1 by 1: big-1, big-2")
