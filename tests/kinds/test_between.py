"""between: matching clusters are maintained only on days from..to."""
from tests.workbooks import broken, days, planned


def test_a_matching_cluster_waits_for_the_first_day_of_its_range():
    doc = planned([{"cluster": "a"}, {"cluster": "b"}],
                  [{"rule": "agreed", "kind": "between", "from": "2026-01-08", "to": "2026-01-09",
                    "cluster": "a"}])
    assert days(doc) == {"b": ["2026-01-05"], "a": ["2026-01-08"]}
    assert doc["windows"][1]["rules"] == ["agreed"]
    assert broken(doc) == []


def test_a_cluster_that_finds_no_room_before_the_range_closes_is_unscheduled():
    doc = planned([{"cluster": "a", "nodes": 100}, {"cluster": "b", "nodes": 100}],
                  [{"rule": "agreed", "kind": "between", "to": "2026-01-05"},
                   {"rule": "one-a-day", "kind": "cap_clusters", "value": 1}])
    assert days(doc) == {"a": ["2026-01-05"]}
    assert [u["cluster"] for u in doc["unscheduled"]] == ["b"]
    assert [v[2] for v in broken(doc)] == ["b"]
