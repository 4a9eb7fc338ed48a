"""exclude: matching clusters are not scheduled; the plan lists them with the rule."""
from tests.workbooks import broken, days, planned

SCOPE = {"rule": "scope", "kind": "exclude", "sku": "A100", "note": "out of scope"}


def test_an_excluded_cluster_is_listed_with_its_rule_and_note_and_not_scheduled():
    doc = planned([{"cluster": "a100", "sku": "A100"}, {"cluster": "h100"}], [SCOPE])
    assert days(doc) == {"h100": ["2026-01-05"]}
    assert doc["excluded"] == [
        {"cluster": "a100", "rules": ["scope"], "reason": "excluded by rule scope: out of scope"}]
    assert broken(doc) == []


def test_an_excluded_cluster_counts_under_no_other_rule():
    one_a_day = {"rule": "one-a-day", "kind": "cap_clusters", "value": 1}
    doc = planned([{"cluster": "a100", "sku": "A100"}, {"cluster": "b"}, {"cluster": "c"}],
                  [SCOPE, one_a_day])
    assert days(doc) == {"b": ["2026-01-05"], "c": ["2026-01-06"]}
    assert broken(doc) == []
