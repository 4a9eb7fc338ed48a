"""Placement where rules meet: pinned rolling clusters, mixed tiers, and what a rule's dates do."""
from __future__ import annotations

from dataclasses import replace

from rules.placement.loop import place
from rules.engine.evaluators import PLAIN
from tests.workbooks import D, cluster, rule, workbook


def plan(book):
    return place(book, PLAIN.classify(book))


def test_a_pinned_rolling_cluster_keeps_its_first_batch_and_the_rest_follow():
    book = workbook([cluster("big", 900, rolling=True, pinned_date=D(2026, 1, 8))],
                    [rule("roll", "rolling", 34, when={"rolling": True})])
    s = plan(book)
    assert [(w.date.day, w.nodes, w.batch, w.pinned) for w in s.windows] == [
        (8, 306, 1, True), (9, 306, 2, False), (10, 288, 3, False)]


def test_unspread_clusters_keep_their_name_order_slots_within_the_tier():
    book = workbook(
        [cluster("a-eu", 100, "westeurope", workload="applied"),
         cluster("b-plain", 100, workload="research"),
         cluster("c-eu", 100, "westeurope", workload="applied"),
         cluster("d-us", 100, "eastus", workload="applied")],
        [rule("one", "cap_clusters", 1), rule("spread", "spread", "area", when={"workload": "applied"})],
    )
    order = [w.cluster for w in sorted(plan(book).windows, key=lambda w: w.date)]
    # slots 1, 3, 4 belong to the spread rule: EU, then US (EU is half done), then EU
    assert order == ["a-eu", "b-plain", "d-us", "c-eu"]


def test_a_cluster_with_no_room_until_the_horizon_ends_names_the_blocking_rule():
    book = workbook([cluster("x", 10)], [rule("nothing", "cap_clusters", 0)])
    [u] = plan(book).unscheduled
    assert u.rule == "nothing" and u.cell == "Rules!A2"
    assert "more than nothing allows (0 clusters a date)" in u.reason


def test_a_later_cap_rule_does_not_hold_back_dates_before_it():
    book = workbook([cluster("a", 600), cluster("b", 600)],
                    [rule("later", "cap_nodes", 100, frm=D(2026, 1, 6))], daily_node_cap=2000)
    s = place(book, PLAIN.classify(book))
    assert {w.cluster: w.date for w in s.windows} == {"a": D(2026, 1, 5), "b": D(2026, 1, 5)}


def test_windows_on_one_local_date_that_are_never_out_together_share_the_cap():
    # 11:00-17:00 in Tokyo is 02:00-08:00 UTC; in New York it is 16:00-22:00 UTC.
    book = workbook([cluster("jpe", 600, "japaneast"), cluster("eus", 600, "eastus")],
                    daily_node_cap=1000)
    s = plan(book)
    assert {w.cluster: w.date for w in s.windows} == {"eus": D(2026, 1, 5), "jpe": D(2026, 1, 5)}
    assert [(f.date, f.start.hour, f.amount, f.clusters) for f in s.loads] == [
        (D(2026, 1, 5), 2, 600, ("jpe",))]


def test_a_pinned_cluster_is_kept_even_when_its_duration_overruns_the_window():
    book = workbook([cluster("slow", 10, pinned_date=D(2026, 1, 6))])
    # Validation refuses such a duration; placement still keeps what the planner pinned.
    s = plan(replace(book, clusters=(replace(book.clusters[0], duration_hours=12),)))
    assert [w.date for w in s.windows] == [D(2026, 1, 6)] and not s.unscheduled
