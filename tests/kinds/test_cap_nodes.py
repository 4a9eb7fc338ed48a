"""cap_nodes: nodes out at any instant over matching clusters stay at or below the value, on
campaign days from..to (tests/placement/test_instant_caps.py: across time zones)."""
from tests.workbooks import broken, days, planned

TWO = [{"cluster": "a", "nodes": 10}, {"cluster": "b", "nodes": 10}]


def test_clusters_that_would_exceed_the_cap_move_to_the_next_day_only_while_it_applies():
    doc = planned(TWO + [{"cluster": "c", "nodes": 10}],
                  [{"rule": "first-days", "kind": "cap_nodes", "value": 15, "to": "2026-01-06"}])
    assert days(doc) == {"a": ["2026-01-05"], "b": ["2026-01-06"], "c": ["2026-01-07"]}
    assert broken(doc) == []


def test_a_warning_cap_moves_nothing_and_reports_the_day_it_is_exceeded():
    doc = planned(TWO, [{"rule": "soft", "kind": "cap_nodes", "value": 15, "severity": "warning"}])
    assert days(doc) == {"a": ["2026-01-05"], "b": ["2026-01-05"]}
    assert broken(doc) == [("soft", "warning", None, "2026-01-05")]
    assert doc["violations"][0]["message"] == (
        "nodes out from 2026-01-05 16:00 to 22:00 UTC under rule soft (Rules!A2) are 20, over its "
        "cap of 15 by 5 (windows out then: a, b); move clusters it matches to other dates or raise "
        "the cap in Rules!A2")


def test_a_whole_cluster_over_the_cap_is_unscheduled_with_an_error_at_the_rule():
    doc = planned([{"cluster": "a", "nodes": 20}],
                  [{"rule": "small", "kind": "cap_nodes", "value": 15}])
    assert days(doc) == {} and [u["cluster"] for u in doc["unscheduled"]] == ["a"]
    assert broken(doc) == [("small", "error", "a", None)]
    assert doc["violations"][0]["cell"] == "Rules!A2"
    assert "allow rolling for it" in doc["unscheduled"][0]["reason"]
