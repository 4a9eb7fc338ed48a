"""Node caps hold at every instant, across time zones: windows count together while their UTC
intervals overlap, whatever their local dates; a cap's from..to are campaign days."""
from __future__ import annotations

import datetime as dt

from rules.plan.make import document, make_plan
from tests.plan_checker import Win, check, out_at
from tests.workbooks import D, cluster, rule, workbook

UTC = dt.timezone.utc


def planned(book) -> dict:
    return document(make_plan(book)).as_json()


def dates(doc) -> dict[str, str]:
    return {w["cluster"]: w["date"] for w in doc["windows"]}


def issue_fleet(**pins):
    """Two 390-node clusters in US West open 11:00-19:00 local (19:00-03:00 UTC); two in
    Australia East open 11:00-17:00 local (00:00-06:00 UTC), allowed from the next local day."""
    us = [cluster(f"us{i}", 390, "westus", duration_hours=8, pinned_date=pins.get(f"us{i}"))
          for i in (1, 2)]
    au = [cluster(f"au{i}", 390, "australiaeast", pinned_date=pins.get(f"au{i}")) for i in (1, 2)]
    return workbook(us + au, [rule("us-first", "priority", 1, when={"region": "westus"}),
                              rule("au-later", "between", frm=D(2026, 1, 6),
                                   when={"region": "australiaeast"})],
                    daily_node_cap=1000)


def test_windows_on_neighbouring_local_dates_that_overlap_in_real_time_count_together():
    doc = planned(issue_fleet())
    # On Jan 6 the Australian windows (00:00-06:00 UTC) would meet the US ones still out until
    # 03:00 UTC: 1,560 nodes. They go to Jan 7, when the US windows are over.
    assert dates(doc) == {"us1": "2026-01-05", "us2": "2026-01-05",
                          "au1": "2026-01-07", "au2": "2026-01-07"}
    assert doc["violations"] == [] and doc["summary"]["peak_nodes_out"] == 780


def test_the_same_overlap_pinned_is_one_error_naming_the_interval_the_nodes_and_the_windows():
    doc = planned(issue_fleet(us1=D(2026, 1, 5), us2=D(2026, 1, 5), au1=D(2026, 1, 6),
                              au2=D(2026, 1, 6)))
    [v] = doc["violations"]
    assert (v["source"], v["rule"], v["cell"], v["date"]) == (
        "daily_node_cap", None, "Settings!B4", "2026-01-06")
    assert v["message"].startswith(
        "nodes out from 2026-01-06 00:00 to 03:00 UTC are 1,560, over the daily_node_cap of 1,000 "
        "set in Settings!B4 by 560 (windows out then: au1, au2, us1, us2)")
    assert doc["summary"]["peak_nodes_out"] == 1560
    assert (doc["summary"]["peak_start"], doc["summary"]["peak_end"]) == (
        "2026-01-06T00:00:00+00:00", "2026-01-06T03:00:00+00:00")


ZONES = ("swedencentral", "westeurope", "eastus", "westus", "japaneast", "uksouth", "utc",
         "australiaeast", "halifax")  # with the Settings zone Pacific/Auckland: ten zones


def test_a_fleet_over_ten_time_zones_is_never_over_a_cap_at_any_window_boundary():
    clusters = [cluster(f"c{i:02d}", 60 + 37 * (i % 7), ZONES[i % len(ZONES)],
                        duration_hours=(4, 6, 9)[i % 3]) for i in range(45)]
    book = workbook(clusters, [
        rule("first-days", "cap_nodes", 300, to=D(2026, 1, 7)),
        rule("eu", "cap_nodes", 250, when={"region": "swedencentral, westeurope"}),
        rule("two-big", "cap_clusters", 2, when={"nodes": "> 250"}),
    ], daily_node_cap=500, timezone="Pacific/Auckland", deadline=D(2026, 3, 1))
    doc = planned(book)
    assert check(book, doc) == []
    windows = [(dt.datetime.fromisoformat(w["start"]), dt.datetime.fromisoformat(w["end"]),
                w["nodes"], w["region"]) for w in doc["windows"]]
    assert len({region for *_, region in windows}) == len(ZONES)
    for instant in {t for start, end, *_ in windows for t in (start, end)}:
        out = [w for w in windows if w[0] <= instant < w[1]]
        assert sum(n for _, _, n, _ in out) <= 500
        assert sum(n for _, _, n, r in out if r in ("swedencentral", "westeurope")) <= 250
        if instant.astimezone(dt.timezone(dt.timedelta(hours=13))).date() <= D(2026, 1, 7):
            assert sum(n for _, _, n, _ in out) <= 300


def test_a_us_dst_change_day_moves_windows_against_other_zones_in_utc():
    # London 11:00-16:00 is 11:00-16:00 UTC; New York 11:00-15:00 is 16:00-20:00 UTC on Mar 7
    # (EST), but 15:00-19:00 UTC from Mar 8 (EDT): the two then overlap and cannot share a day.
    fleet = [cluster("lon", 300, "uksouth", duration_hours=5),
             cluster("ny", 300, "eastus", duration_hours=4)]
    for start, expected in ((D(2026, 3, 7), {"lon": "2026-03-07", "ny": "2026-03-07"}),
                            (D(2026, 3, 8), {"lon": "2026-03-08", "ny": "2026-03-09"})):
        book = workbook(fleet, [rule("lon-first", "priority", 1, when={"region": "uksouth"})],
                        daily_node_cap=500, start_date=start, deadline=D(2026, 3, 31))
        doc = planned(book)
        assert dates(doc) == expected and check(book, doc) == []


def test_a_southern_dst_change_day_is_counted_in_utc_too():
    # Los Angeles 11:00-18:00 (PDT) is 18:00-01:00 UTC. Sydney 11:00 is 00:00 UTC while daylight
    # time lasts (to Apr 5, 03:00) and 01:00 UTC after: only then does it clear the LA window.
    for pinned, allowed, expected in ((D(2026, 4, 3), D(2026, 4, 4), "2026-04-05"),
                                      (D(2026, 4, 4), D(2026, 4, 5), "2026-04-05")):
        book = workbook(
            [cluster("la", 300, "westus", duration_hours=7, pinned_date=pinned),
             cluster("syd", 300, "australiaeast")],
            [rule("syd-after", "between", frm=allowed, when={"region": "australiaeast"})],
            daily_node_cap=500, start_date=D(2026, 4, 1), deadline=D(2026, 4, 30))
        doc = planned(book)
        assert dates(doc)["syd"] == expected and check(book, doc) == []


def test_a_cap_ending_at_a_campaign_day_boundary_holds_until_that_instant_only():
    # Campaign days in Tokyo: the cap to Jan 5 ends at Jan 6 00:00 JST = Jan 5 15:00 UTC. London
    # 11:00-17:00 UTC overlaps it; Halifax 11:00 AST opens at 15:00 UTC, just as it ends.
    book = workbook([cluster("lon", 400, "uksouth"), cluster("hfx", 400, "halifax")],
                    [rule("small-first-day", "cap_nodes", 300, to=D(2026, 1, 5))],
                    daily_node_cap=1000, timezone="Asia/Tokyo")
    doc = planned(book)
    assert dates(doc) == {"lon": "2026-01-06", "hfx": "2026-01-05"}
    assert check(book, doc) == []
    pinned = workbook([cluster("lon", 400, "uksouth", pinned_date=D(2026, 1, 5)),
                       cluster("hfx", 400, "halifax", pinned_date=D(2026, 1, 5))],
                      [rule("small-first-day", "cap_nodes", 300, to=D(2026, 1, 5))],
                      daily_node_cap=1000, timezone="Asia/Tokyo")
    [v] = planned(pinned)["violations"]
    assert (v["rule"], v["date"], v["cluster"]) == ("small-first-day", "2026-01-05", "lon")
    assert v["message"].startswith(
        "nodes out from 2026-01-05 11:00 to 15:00 UTC (2026-01-05 20:00 to 2026-01-06 00:00 "
        "Asia/Tokyo) under rule small-first-day (Rules!A2) are 400")


def test_the_checker_finds_an_overlap_that_dates_do_not_show():
    book = issue_fleet()
    doc = planned(book)
    moved = {"au1": "2026-01-06T11:00:00+11:00", "au2": "2026-01-06T11:00:00+11:00"}
    for w in doc["windows"]:
        if w["cluster"] in moved:
            start = dt.datetime.fromisoformat(moved[w["cluster"]])
            w.update(date="2026-01-06", start=start.isoformat(),
                     end=(start + dt.timedelta(hours=6)).isoformat())
    at = dt.datetime(2026, 1, 6, 1, tzinfo=UTC)
    assert len(out_at(at, [_win(w) for w in doc["windows"]])) == 4
    assert any("daily_node_cap" in problem and "not pinned" in problem
               for problem in check(book, doc))


def _win(w) -> Win:
    return Win(w["cluster"], D.fromisoformat(w["date"]), dt.datetime.fromisoformat(w["start"]),
               dt.datetime.fromisoformat(w["end"]), w["nodes"], w["batch"], w["batches"], False)
