"""after: a matching cluster starts no earlier than the end of the last window of the clusters
the named rule matches, plus soak_days x 24 h."""
from tests.workbooks import broken, days, planned

CLUSTERS = [{"cluster": "canary", "canary": "yes"}, {"cluster": "a"}]
RULES = [{"rule": "canary-first", "kind": "priority", "value": 1, "canary": "yes"},
         {"rule": "soak", "kind": "after", "value": "canary-first", "canary": "no"}]


def test_the_others_start_at_the_first_window_after_the_canary_and_a_day_of_soak():
    doc = planned(CLUSTERS, RULES)
    # The canary ends 2026-01-05 17:00; a day of soak ends 01-06 17:00, after that day's opening.
    assert days(doc) == {"canary": ["2026-01-05"], "a": ["2026-01-07"]}
    assert doc["windows"][1]["rules"] == ["soak"]
    assert broken(doc) == []


def test_without_soak_the_others_start_the_next_day():
    assert days(planned(CLUSTERS, RULES, soak_days=0)) == {
        "canary": ["2026-01-05"], "a": ["2026-01-06"]}


def test_a_cluster_pinned_before_the_soak_ends_is_kept_and_reported():
    doc = planned([CLUSTERS[0], {"cluster": "a", "pinned_date": "2026-01-05"}], RULES)
    assert broken(doc) == [("soak", "error", "a", "2026-01-05")]
    assert "30 h too early" in doc["violations"][0]["message"]


def test_an_after_rule_must_name_an_existing_rule():
    doc = planned(CLUSTERS, [{"rule": "soak", "kind": "after", "value": "nope"}])
    assert [e["cell"] for e in doc["errors"]] == ["Rules!C2"]
