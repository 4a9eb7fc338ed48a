"""spread: within a tier, matching clusters are interleaved over the values of an attribute."""
from tests.workbooks import broken, days, planned

ONE_A_DAY = {"rule": "one-a-day", "kind": "cap_clusters", "value": 1}
CLUSTERS = [{"cluster": "us-1", "region": "eastus"}, {"cluster": "us-2", "region": "eastus"},
            {"cluster": "us-3", "region": "westus"}, {"cluster": "us-4", "region": "westus"},
            {"cluster": "eu-1", "region": "swedencentral"},
            {"cluster": "eu-2", "region": "swedencentral"}]


def test_without_a_spread_row_clusters_of_a_tier_go_by_name():
    doc = planned(CLUSTERS, [ONE_A_DAY])
    assert [w["cluster"] for w in doc["windows"]] == [
        "eu-1", "eu-2", "us-1", "us-2", "us-3", "us-4"]


def test_a_spread_row_keeps_each_areas_share_of_its_nodes_done_even():
    doc = planned(CLUSTERS, [ONE_A_DAY, {"rule": "even", "kind": "spread", "value": "area"}])
    order = [w["cluster"] for w in doc["windows"]]
    assert [name[:2] for name in order] == ["eu", "us", "us", "eu", "us", "us"]
    assert [w["rules"] for w in doc["windows"][:2]] == [["even"], ["one-a-day", "even"]]
    assert broken(doc) == [] and len(days(doc)) == 6
