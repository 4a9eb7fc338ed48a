"""Classification per rule kind: given rule rows and clusters typed into a sheet, expect what the
engine (and its plain twin) derives."""
import pytest

from rules.engine.evaluators import PLAIN, durable_rules
from tests.workbooks import sheet

EVALUATORS = {e.name: e for e in (durable_rules(), PLAIN)}


@pytest.fixture(params=sorted(EVALUATORS))
def classify(request):
    return EVALUATORS[request.param].classify


def test_exclude_rows_list_every_matching_rule_and_keep_excluded_clusters_out_of_other_rules(classify):
    book = sheet(
        [{"cluster": "old", "sku": "A100"}, {"cluster": "odd", "sku": "A100", "owner_team": "lab"},
         {"cluster": "new"}],
        [{"rule": "out-of-scope", "kind": "exclude", "sku": "not H100, H200, GB200"},
         {"rule": "everyone", "kind": "cap_nodes", "value": 100},
         {"rule": "lab-owned", "kind": "exclude", "owner_team": "lab"}],
    )
    result = classify(book)
    assert result.clusters["odd"].excluded_by == ("out-of-scope", "lab-owned")
    assert result.clusters["old"].excluded_by == ("out-of-scope",)
    assert result.members == {"everyone": ("new",), "lab-owned": ("odd",),
                              "out-of-scope": ("odd", "old")}
    assert result.clusters["old"].constraints == ()


def test_the_first_matching_priority_row_sets_the_tier_and_unmatched_clusters_have_none(classify):
    book = sheet(
        [{"cluster": "canary", "canary": "yes", "nodes": 8}, {"cluster": "small-r", "nodes": 50},
         {"cluster": "small-a", "nodes": 50, "workload": "applied"},
         {"cluster": "big-r", "nodes": 900}],
        [{"rule": "canary-first", "kind": "priority", "value": 0, "canary": "yes"},
         {"rule": "small-research", "kind": "priority", "value": 1, "size": "small",
          "workload": "research"},
         {"rule": "small-any", "kind": "priority", "value": 2, "size": "small"}],
    )
    tiers = {name: (c.tier, c.tier_rule) for name, c in classify(book).clusters.items()}
    assert tiers == {"canary": (0, "canary-first"), "small-r": (1, "small-research"),
                     "small-a": (2, "small-any"), "big-r": (None, None)}


def test_a_later_priority_row_with_a_lower_tier_does_not_override_an_earlier_match(classify):
    book = sheet([{"cluster": "c"}],
                 [{"rule": "late", "kind": "priority", "value": 5},
                  {"rule": "urgent", "kind": "priority", "value": 0, "sku": "H100"}])
    one = classify(book).clusters["c"]
    assert (one.tier, one.tier_rule) == (5, "late")
    assert classify(book).members["urgent"] == ("c",)


def test_spread_rows_give_the_cluster_s_value_of_their_attribute(classify):
    book = sheet(
        [{"cluster": "eu", "region": "swedencentral", "workload": "applied"},
         {"cluster": "au", "region": "australiaeast", "workload": "applied"},
         {"cluster": "res", "region": "eastus"}],
        [{"rule": "spread-applied", "kind": "spread", "value": "area", "workload": "applied"},
         {"rule": "spread-geo", "kind": "spread", "value": "geo"}],
    )
    result = classify(book)
    assert result.clusters["eu"].spread == (("spread-applied", "area", "EU"), ("spread-geo", "geo", "EU"))
    assert result.clusters["au"].spread == (("spread-applied", "area", "rest"), ("spread-geo", "geo", "AU"))
    assert result.clusters["res"].spread == (("spread-geo", "geo", "US"),)


def test_the_first_matching_rolling_row_sets_the_daily_batch_percent(classify):
    book = sheet(
        [{"cluster": "big-roll", "nodes": 900, "rolling": "yes"},
         {"cluster": "big-whole", "nodes": 900, "rolling": "no"},
         {"cluster": "api-roll", "nodes": 600, "rolling": "yes", "services": "api, chat"}],
        [{"rule": "api-slow", "kind": "rolling", "value": 5, "services": "api", "rolling": "yes"},
         {"rule": "rolling-big", "kind": "rolling", "value": 6.5, "size": "big", "rolling": "yes"}],
    )
    result = classify(book).clusters
    assert (result["big-roll"].rolling_percent, result["big-roll"].rolling_rule) == (6.5, "rolling-big")
    assert (result["api-roll"].rolling_percent, result["api-roll"].rolling_rule) == (5.0, "api-slow")
    assert (result["big-whole"].rolling_percent, result["big-whole"].rolling_rule) == (None, None)


def test_after_rows_name_the_rule_a_cluster_waits_for_and_its_prerequisites_are_members(classify):
    book = sheet(
        [{"cluster": "canary", "canary": "yes", "region": "swedencentral"}, {"cluster": "rest"}],
        [{"rule": "canary-first", "kind": "priority", "value": 0, "canary": "yes"},
         {"rule": "after-canary", "kind": "after", "value": "canary-first", "canary": "no"}],
    )
    result = classify(book)
    assert result.clusters["rest"].after == ("after-canary",)
    assert result.clusters["canary"].after == ()
    assert result.members["canary-first"] == ("canary",)


def test_caps_blackouts_and_betweens_are_the_constraints_of_their_clusters_in_sheet_order(classify):
    book = sheet(
        [{"cluster": "big", "nodes": 900, "workload": "applied", "region": "westus"},
         {"cluster": "small", "workload": "applied", "region": "uksouth"}],
        [{"rule": "freeze", "kind": "blackout", "from": "2026-01-10", "to": "2026-01-11",
          "geo": "US, EU", "severity": "warning"},
         {"rule": "big-per-day", "kind": "cap_clusters", "value": 1, "size": "big"},
         {"rule": "first-week", "kind": "cap_nodes", "value": 1300, "to": "2026-01-11"},
         {"rule": "prod", "kind": "cap_percent", "value": 3, "workload": "applied"},
         {"rule": "window", "kind": "between", "from": "2026-01-06", "importance": "high"},
         {"rule": "order", "kind": "priority", "value": 1}],
    )
    result = classify(book).clusters
    assert result["big"].constraints == ("freeze", "big-per-day", "first-week", "prod", "window")
    assert result["small"].constraints == ("first-week", "prod")


def test_size_is_big_above_big_cluster_nodes_and_rows_can_test_it(classify):
    book = sheet([{"cluster": "edge", "nodes": 400}, {"cluster": "over", "nodes": 401}],
                 [{"rule": "bigs", "kind": "cap_clusters", "value": 1, "size": "big"}],
                 big_cluster_nodes=400)
    result = classify(book)
    assert (result.clusters["edge"].size, result.clusters["over"].size) == ("small", "big")
    assert result.members["bigs"] == ("over",)


def test_disabled_rows_are_ignored(classify):
    book = sheet([{"cluster": "c", "sku": "A100"}],
                 [{"rule": "off", "kind": "exclude", "enabled": "no", "sku": "A100"},
                  {"rule": "on", "kind": "priority", "value": 3}])
    result = classify(book)
    assert result.members == {"on": ("c",)}
    assert result.clusters["c"].excluded_by == () and result.clusters["c"].tier == 3


def test_conditions_on_lists_dates_and_extra_columns(classify):
    book = sheet(
        [{"cluster": "api", "services": "api, chat", "pinned_date": "2026-01-08", "owner_team": "pretraining"},
         {"cluster": "chat", "services": "chat", "owner_team": "Pretraining "},
         {"cluster": "none", "services": None, "owner_team": None}],
        [{"rule": "no-api", "kind": "cap_nodes", "value": 10, "services": "not api"},
         {"rule": "pinned-early", "kind": "cap_nodes", "value": 10, "pinned_date": "< 2026-01-10"},
         {"rule": "team", "kind": "cap_nodes", "value": 10, "owner_team": "pretraining"},
         {"rule": "not-team", "kind": "cap_nodes", "value": 10, "owner_team": "not pretraining"}],
    )
    assert classify(book).members == {
        "no-api": ("chat", "none"), "not-team": ("none",), "pinned-early": ("api",),
        "team": ("api", "chat"),
    }
