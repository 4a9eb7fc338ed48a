"""blackout: no window for matching clusters on days from..to."""
from tests.workbooks import broken, days, planned

FREEZE = {"rule": "freeze", "kind": "blackout", "from": "2026-01-05", "to": "2026-01-06"}


def test_a_matching_cluster_waits_for_the_end_of_the_blackout_and_the_others_do_not():
    doc = planned([{"cluster": "a"}, {"cluster": "b"}], [{**FREEZE, "cluster": "a"}])
    assert days(doc) == {"b": ["2026-01-05"], "a": ["2026-01-07"]}
    assert broken(doc) == []


def test_a_cluster_pinned_inside_a_blackout_is_kept_and_reported_with_the_fix():
    doc = planned([{"cluster": "a", "pinned_date": "2026-01-05"}], [FREEZE])
    assert days(doc) == {"a": ["2026-01-05"]}
    assert broken(doc) == [("freeze", "error", "a", "2026-01-05")]
    assert doc["violations"][0]["message"].endswith(
        "move it out of that range; the date is pinned: change its pinned_date")


def test_a_blackout_without_days_is_refused_at_its_row():
    doc = planned([{"cluster": "a"}], [{"rule": "freeze", "kind": "blackout"}])
    assert doc["errors"] == [{"cell": "Rules!D2", "message": "a blackout rule needs its days: "
                                                             "fill in from, to, or both"}]
