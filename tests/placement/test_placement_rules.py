"""Placement, one rule kind at a time, on small workbooks."""
from __future__ import annotations

import datetime as dt
from dataclasses import replace

from rules.placement.loop import batch_sizes, place
from rules.plan.make import assemble, document
from rules.engine.evaluators import PLAIN
from tests.workbooks import D, Not, cluster, rule, workbook


def plan(book):
    return place(book, PLAIN.classify(book))


def dates(schedule, name=None):
    return {w.cluster: w.date for w in schedule.windows if name in (None, w.cluster)}


def test_a_whole_cluster_gets_one_window_opening_at_window_start_in_its_region():
    s = plan(workbook([cluster("eus-1", 100, "eastus", duration_hours=5)]))
    [w] = s.windows
    assert (w.date, w.nodes, w.batch, w.batches) == (D(2026, 1, 5), 100, 1, 1)
    assert w.start.isoformat() == "2026-01-05T11:00:00-05:00"
    assert w.end.isoformat() == "2026-01-05T16:00:00-05:00"


def test_the_daily_node_cap_moves_the_next_cluster_to_the_next_date():
    s = plan(workbook([cluster("a", 600), cluster("b", 600), cluster("c", 400)], daily_node_cap=1000))
    assert dates(s) == {"a": D(2026, 1, 5), "b": D(2026, 1, 6), "c": D(2026, 1, 5)}


def test_a_node_cap_applies_only_on_the_dates_of_its_range():
    book = workbook(
        [cluster(n, 500) for n in "abcd"],
        [rule("first-days", "cap_nodes", 500, frm=D(2026, 1, 5), to=D(2026, 1, 6))],
    )
    assert dates(plan(book)) == {"a": D(2026, 1, 5), "b": D(2026, 1, 6), "c": D(2026, 1, 7),
                                 "d": D(2026, 1, 7)}


def test_a_cluster_count_cap_switches_from_two_a_day_to_one_a_day_on_its_date():
    book = workbook(
        [cluster(f"big-{i}", 450) for i in range(6)],
        [rule("two-a-day", "cap_clusters", 2, when={"size": "big"}, to=D(2026, 1, 5)),
         rule("one-a-day", "cap_clusters", 1, when={"size": "big"}, frm=D(2026, 1, 6))],
        daily_node_cap=5000,
    )
    got = sorted(dates(plan(book)).values())
    assert got == [D(2026, 1, 5), D(2026, 1, 5), D(2026, 1, 6), D(2026, 1, 7), D(2026, 1, 8),
                   D(2026, 1, 9)]


def test_cap_percent_limits_nodes_out_to_a_share_of_its_members_nodes():
    # 10 % of 1,000 member nodes: 100 a date; the unmatched cluster is not limited.
    book = workbook(
        [cluster("api-1", 60, services=("api",)), cluster("api-2", 60, services=("api",)),
         cluster("api-3", 880, services=("api",)), cluster("other", 900)],
        [rule("api", "cap_percent", 10, when={"services": "api"})],
        daily_node_cap=5000,
    )
    s = plan(book)
    assert dates(s)["api-1"] == D(2026, 1, 5) and dates(s)["api-2"] == D(2026, 1, 6)
    assert dates(s)["other"] == D(2026, 1, 5)
    [api3] = s.unscheduled
    assert api3.cluster == "api-3" and "more than api allows (100 nodes out at once)" in api3.reason


def test_rolling_clusters_get_one_batch_a_day_of_at_most_the_percent_rounded_up():
    assert batch_sizes(2016, 6) == [121] * 16 + [80]
    assert batch_sizes(10, None) == [10]
    book = workbook([cluster("big", 1000, rolling=True)],
                    [rule("roll", "rolling", 30, when={"rolling": True})])
    s = plan(book)
    assert [(w.date.day, w.nodes, w.batch, w.batches) for w in s.windows] == [
        (5, 300, 1, 4), (6, 300, 2, 4), (7, 300, 3, 4), (8, 100, 4, 4)]
    assert all(w.rules == ("roll",) for w in s.windows)


def test_rolling_batches_skip_dates_without_room_and_never_share_a_date():
    book = workbook([cluster("a", 900, pinned_date=D(2026, 1, 6)), cluster("big", 1000, rolling=True)],
                    [rule("roll", "rolling", 50, when={"rolling": True})], daily_node_cap=1000)
    assert [w.date.day for w in plan(book).windows if w.cluster == "big"] == [5, 7]


def test_blackout_dates_get_no_window():
    book = workbook([cluster("eu", 10, "westeurope"), cluster("us", 10, "eastus")],
                    [rule("freeze", "blackout", frm=D(2026, 1, 5), to=D(2026, 1, 7),
                          when={"geo": "EU"})])
    s = plan(book)
    assert dates(s) == {"eu": D(2026, 1, 8), "us": D(2026, 1, 5)}
    assert next(w for w in s.windows if w.cluster == "eu").rules == ("freeze",)


def test_between_keeps_clusters_within_its_dates():
    book = workbook([cluster("gb", 10, sku="GB200"), cluster("h1", 10)],
                    [rule("certified", "between", frm=D(2026, 1, 12), when={"sku": "GB200"})])
    assert dates(plan(book)) == {"gb": D(2026, 1, 12), "h1": D(2026, 1, 5)}


def test_a_between_range_already_over_leaves_the_cluster_unscheduled_naming_the_rule():
    book = workbook([cluster("gb", 10, sku="GB200")],
                    [rule("window-gone", "between", to=D(2026, 1, 1), when={"sku": "GB200"})])
    [u] = plan(book).unscheduled
    assert u.rule == "window-gone" and "blocked by window-gone" in u.reason


def test_after_and_soak_compare_instants_across_time_zones():
    # The canary ends 17:00 in Stockholm (16:00 UTC) on Jan 5; with the soak: Jan 6, 16:00 UTC.
    # On Jan 6, 11:00 opens at 16:00 UTC in New York and 19:00 UTC in Los Angeles (allowed), but at
    # 02:00 UTC in Tokyo and 11:00 UTC in UTC (too early): those two wait for Jan 7.
    book = workbook(
        [cluster("canary", 8, "swedencentral", canary=True), cluster("eus", 10, "eastus"),
         cluster("jpe", 10, "japaneast"), cluster("wus", 10, "westus"), cluster("utc", 10)],
        [rule("canary-first", "priority", 1, when={"canary": True}),
         rule("soak", "after", "canary-first", when={"canary": False})],
    )
    s = plan(book)
    assert dates(s) == {"canary": D(2026, 1, 5), "eus": D(2026, 1, 6), "jpe": D(2026, 1, 7),
                        "wus": D(2026, 1, 6), "utc": D(2026, 1, 7)}
    canary_end = next(w.end for w in s.windows if w.cluster == "canary")
    for w in s.windows:
        if w.cluster != "canary":
            assert w.start >= canary_end + dt.timedelta(days=1)
            assert "soak" in w.rules


def test_soak_days_of_zero_lets_the_next_cluster_start_after_the_canary_ends():
    book = workbook(
        [cluster("canary", 8, "swedencentral", canary=True, duration_hours=2),
         cluster("eus", 10, "eastus")],
        [rule("canary-first", "priority", 1, when={"canary": True}),
         rule("soak", "after", "canary-first", when={"canary": False})],
        soak_days=0,
    )
    assert dates(plan(book))["eus"] == D(2026, 1, 5)  # 16:00 UTC opens after 12:00 UTC


def test_after_rules_waiting_on_each_other_leave_both_unscheduled():
    book = workbook(
        [cluster("a", 10, workload="research"), cluster("b", 10, workload="applied")],
        [rule("research", "priority", 1, when={"workload": "research"}),
         rule("applied", "priority", 2, when={"workload": "applied"}),
         rule("r-after-a", "after", "applied", when={"workload": "research"}),
         rule("a-after-r", "after", "research", when={"workload": "applied"})],
    )
    s = plan(book)
    assert not s.windows
    assert [u.cluster for u in s.unscheduled] == ["a", "b"]
    assert "wait for it in turn" in s.unscheduled[0].reason


def test_tiers_go_first_and_clusters_without_a_tier_last():
    book = workbook(
        [cluster("a-none", 600, sku="GB200"), cluster("b-two", 600, sku="H200"),
         cluster("c-one", 600, sku="H100")],
        [rule("research", "priority", 1, when={"sku": "H100"}),
         rule("applied", "priority", 2, when={"sku": "H200"})],
    )
    s = plan(book)
    assert dates(s) == {"c-one": D(2026, 1, 5), "b-two": D(2026, 1, 6), "a-none": D(2026, 1, 7)}
    assert s.windows[0].rules == ("research",)


def test_spread_interleaves_the_values_by_the_share_of_their_own_nodes_placed():
    # One cluster a date; EU has 3 clusters of 100, US one of 300, rest one of 100.
    book = workbook(
        [cluster("eu-1", 100, "westeurope"), cluster("eu-2", 100, "westeurope"),
         cluster("eu-3", 100, "westeurope"), cluster("us-1", 300, "eastus"),
         cluster("zz-rest", 100, "japaneast")],
        [rule("one", "cap_clusters", 1), rule("spread", "spread", "area")],
    )
    s = plan(book)
    order = [w.cluster for w in sorted(s.windows, key=lambda w: w.date)]
    # EU, rest, US tie at 0 -> "eu" first; then rest and US at 0 -> "rest"; then US; then EU.
    assert order == ["eu-1", "zz-rest", "us-1", "eu-2", "eu-3"]
    assert all("spread" in w.rules for w in s.windows)


def test_pinned_dates_are_kept_even_against_a_cap_and_count_in_the_loads():
    book = workbook([cluster("a", 800), cluster("pin", 800, pinned_date=D(2026, 1, 5)),
                     cluster("blocked", 10, pinned_date=D(2026, 1, 3))],
                    [rule("cap", "cap_nodes", 500)])
    s = plan(book)
    assert dates(s)["pin"] == D(2026, 1, 5) and dates(s)["blocked"] == D(2026, 1, 3)
    assert "a" in [u.cluster for u in s.unscheduled]
    load = next(f for f in s.loads if f.rule == "cap" and f.date == D(2026, 1, 5))
    assert (load.amount, load.limit, load.clusters) == (800, 500, ("pin",))
    assert all(w.pinned for w in s.windows)


def test_warning_rules_do_not_move_clusters_but_their_loads_are_kept():
    book = workbook([cluster("a", 300), cluster("b", 300)],
                    [rule("soft", "cap_nodes", 100, severity="warning"),
                     rule("soft-freeze", "blackout", frm=D(2026, 1, 5), severity="warning")])
    s = plan(book)
    assert dates(s) == {"a": D(2026, 1, 5), "b": D(2026, 1, 5)}
    [load] = [f for f in s.loads if f.rule == "soft"]
    assert (load.amount, load.limit, load.unit) == (600, 100, "nodes")


def test_a_whole_cluster_larger_than_the_cap_is_unscheduled_saying_how_to_fix_it():
    book = workbook([cluster("huge", 1500), cluster("fine", 10)], daily_node_cap=1000)
    s = plan(book)
    [u] = s.unscheduled
    assert u.cluster == "huge" and u.rule is None and u.cell == "Settings!B4"
    assert "allow rolling" in u.reason and "raise daily_node_cap in Settings" in u.reason
    rolled = workbook([cluster("huge", 1500, rolling=True)],
                      [rule("roll", "rolling", 50, when={"rolling": True})], daily_node_cap=1000)
    assert not plan(rolled).unscheduled and len(plan(rolled).windows) == 2


def test_a_cluster_too_big_for_the_first_weeks_cap_waits_for_it_to_end():
    book = workbook([cluster("big", 1400)],
                    [rule("first-week", "cap_nodes", 1300, to=D(2026, 1, 11))], daily_node_cap=1800)
    s = plan(book)
    assert dates(s) == {"big": D(2026, 1, 12)} and s.windows[0].rules == ("first-week",)


def test_weekends_are_skipped_when_work_weekends_is_no():
    book = workbook([cluster(n, 600) for n in "abcdef"], work_weekends=False,
                    start_date=D(2026, 1, 8))  # a Thursday
    assert sorted(dates(plan(book)).values()) == [D(2026, 1, 8), D(2026, 1, 9), D(2026, 1, 12),
                                                   D(2026, 1, 13), D(2026, 1, 14), D(2026, 1, 15)]


def test_windows_keep_local_time_and_their_length_over_the_dst_change():
    # Europe moves to summer time on Sunday 29 March 2026.
    book = workbook([cluster(f"c{i}", 600, "swedencentral") for i in range(4)],
                    start_date=D(2026, 3, 28), deadline=D(2026, 4, 30))
    got = [(w.start.isoformat(), w.end.isoformat()) for w in plan(book).windows]
    assert got == [
        ("2026-03-28T11:00:00+01:00", "2026-03-28T17:00:00+01:00"),
        ("2026-03-29T11:00:00+02:00", "2026-03-29T17:00:00+02:00"),
        ("2026-03-30T11:00:00+02:00", "2026-03-30T17:00:00+02:00"),
        ("2026-03-31T11:00:00+02:00", "2026-03-31T17:00:00+02:00"),
    ]


def test_a_duration_longer_than_the_window_is_unscheduled_saying_so():
    book = workbook([cluster("slow", 10)])
    # Validation refuses such a duration; placement still says why, not crashes.
    s = plan(replace(book, clusters=(replace(book.clusters[0], duration_hours=10),)))
    [u] = s.unscheduled
    assert "takes 10 h, longer than the maintenance window (11:00-20:00, 9 h)" in u.reason
    assert u.cell == "Clusters!A2"


def test_done_and_excluded_clusters_are_listed_not_scheduled():
    book = workbook([cluster("a100", 10, sku="A100"), cluster("old", 10, status="done"),
                     cluster("ok", 10)],
                    [rule("scope", "exclude", when={"sku": Not("H100")}, note="not affected")])
    s = plan(book)
    assert [w.cluster for w in s.windows] == ["ok"]
    assert [(e.cluster, e.rules, e.reason) for e in s.excluded] == [
        ("a100", ("scope",), "excluded by rule scope: not affected"),
        ("old", (), "status is done")]


def test_disabled_rules_do_not_constrain():
    book = workbook([cluster("a", 10)],
                    [rule("off", "between", frm=D(2026, 1, 20), enabled=False)])
    assert dates(plan(book)) == {"a": D(2026, 1, 5)}


def test_the_soak_is_24_hours_of_real_time_across_a_dst_change():
    # The canary ends 11:30 CET on Mar 28 (10:30 UTC); a day of soak ends Mar 29, 10:30 UTC,
    # after the clocks went forward. London opens at 11:00 BST (10:00 UTC) on Mar 29: too early.
    book = workbook(
        [cluster("canary", 8, "swedencentral", canary=True, duration_hours=0.5),
         cluster("uks", 10, "uksouth")],
        [rule("canary-first", "priority", 1, when={"canary": True}),
         rule("soak", "after", "canary-first", when={"canary": False})],
        start_date=D(2026, 3, 28), deadline=D(2026, 4, 30),
    )
    assert dates(plan(book)) == {"canary": D(2026, 3, 28), "uks": D(2026, 3, 30)}


def test_a_pinned_rolling_cluster_whose_other_batches_find_no_date_keeps_its_pin_and_is_partly_unscheduled():
    book = workbook([cluster("gb", 100, sku="GB200", rolling=True, pinned_date=D(2026, 1, 5))],
                    [rule("roll", "rolling", 25, when={"rolling": True}),
                     rule("certified", "between", to=D(2026, 1, 5), when={"sku": "GB200"})])
    s = plan(book)
    [w] = s.windows
    assert (w.date, w.nodes, w.batch, w.batches, w.pinned) == (D(2026, 1, 5), 25, 1, 4, True)
    [u] = s.unscheduled
    assert u.rule == "certified" and u.reason.startswith(
        "batches 2-4 of 4 (75 of 100 nodes) cannot be placed; only batch 1, pinned to 2026-01-05, "
        "is kept: no date from 2026-01-06")
    classes = PLAIN.classify(book)
    found = PLAIN.violations(book, classes, s.loads, s.windows, s.unscheduled)
    doc = document(assemble(book, classes, s, found)).as_json()
    assert doc["unscheduled"] == [{"cluster": "gb", "reason": u.reason, "nodes": 75, "batches": 3}]
    [error] = [v for v in doc["violations"] if v["cluster"] == "gb" and v["severity"] == "error"]
    assert error["rule"] == "certified" and "(75 of 100 nodes) cannot be placed" in error["message"]
