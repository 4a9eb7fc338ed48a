"""rolling: matching clusters are done in daily batches of at most value % of their nodes."""
from tests.workbooks import broken, days, planned

ROLL = {"rule": "roll", "kind": "rolling", "value": 30, "rolling": "yes"}


def test_a_rolling_cluster_is_done_in_batches_on_consecutive_days_and_the_last_is_the_rest():
    doc = planned([{"cluster": "big", "nodes": 100, "rolling": "yes"},
                   {"cluster": "whole", "nodes": 100}], [ROLL])
    assert [(w["cluster"], w["date"], w["nodes"], w["batch"], w["batches"], w["rules"])
            for w in doc["windows"] if w["cluster"] == "big"] == [
        ("big", "2026-01-05", 30, 1, 4, ["roll"]), ("big", "2026-01-06", 30, 2, 4, ["roll"]),
        ("big", "2026-01-07", 30, 3, 4, ["roll"]), ("big", "2026-01-08", 10, 4, 4, ["roll"])]
    assert days(doc)["whole"] == ["2026-01-05"]
    assert broken(doc) == []


def test_rolling_lets_a_cluster_over_the_daily_cap_be_placed():
    whole = planned([{"cluster": "huge", "nodes": 2000}], [], daily_node_cap=1800)
    rolled = planned([{"cluster": "huge", "nodes": 2000, "rolling": "yes"}], [ROLL],
                     daily_node_cap=1800)
    assert [u["cluster"] for u in whole["unscheduled"]] == ["huge"]
    assert rolled["unscheduled"] == [] and len(days(rolled)["huge"]) == 4
