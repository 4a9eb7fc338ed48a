"""Violations per kind: given a sheet and a proposed schedule (loads, windows, unscheduled
clusters), expect what the engine (and its plain twin) reports, worded for planners."""
import datetime as dt
import json
from dataclasses import replace

import pytest

from rules import calendar
from rules.engine.classification import LoadFact
from rules.plan.document import Unscheduled, Window
from rules.engine.evaluators import PLAIN, durable_rules
from tests.workbooks import sheet

D = dt.date
CHECKERS = {e.name: e.violations for e in (durable_rules(), PLAIN)}


@pytest.fixture(params=sorted(CHECKERS))
def check(request):
    def run(book, loads=(), windows=(), unscheduled=()):
        return CHECKERS[request.param](book, PLAIN.classify(book), list(loads), list(windows),
                                       list(unscheduled))
    return run


def window(book, cluster, day, hours=None, batch=1, batches=1, pinned=False, at=None):
    """The window a cluster gets on ``day`` (or opening at the aware instant ``at``)."""
    one = next(c for c in book.clusters if c.name == cluster)
    hours = hours or one.duration_hours
    if at is None:
        tz = book.region(one.region).timezone
        start, end = calendar.window(day, book.settings.window_start, hours, tz)
    else:
        start, end = at, at + dt.timedelta(hours=hours)
    return Window(cluster, day, start, end, one.nodes, batch, batches, pinned, ())


def load(rule, day, amount, limit, *clusters, unit="nodes", pinned=(), hours=(11, 17)):
    """A rule's peak on a campaign day (UTC here), from ``hours`` on that day."""
    return LoadFact(rule, "rule", "Rules!A2", day, _at(day, hours[0]), _at(day, hours[1]), amount,
                    limit, unit, tuple(sorted(clusters)), tuple(pinned))


def fleet_load(day, amount, limit, *clusters, pinned=()):
    """The daily_node_cap's peak on a campaign day, 11:00 to 17:00 UTC."""
    return LoadFact(None, "daily_node_cap", "Settings!B4", day, _at(day, 11), _at(day, 17), amount,
                    limit, "nodes", tuple(sorted(clusters)), tuple(pinned))


def _at(day, hour):
    return dt.datetime.combine(day, dt.time(hour), tzinfo=dt.timezone.utc)


def test_nodes_out_over_the_daily_cap_is_one_error_per_campaign_day_at_the_setting(check):
    book = sheet([{"cluster": "a", "nodes": 1000}, {"cluster": "b", "nodes": 950}])
    found = check(book, [fleet_load(D(2026, 1, 9), 1950, 1800, "a", "b"),
                         fleet_load(D(2026, 1, 10), 1800, 1800, "a")])
    assert [(v.rule, v.source, v.severity, v.cell, v.date, v.cluster) for v in found] == [
        (None, "daily_node_cap", "error", "Settings!B4", D(2026, 1, 9), None)]
    assert found[0].message == (
        "nodes out from 2026-01-09 11:00 to 17:00 UTC are 1,950, over the daily_node_cap of 1,800 "
        "set in Settings!B4 by 150 (windows out then: a, b); move clusters to other dates or raise "
        "daily_node_cap in Settings!B4")


def test_a_cap_violation_names_the_interval_in_utc_and_in_the_campaign_zone(check):
    book = sheet([{"cluster": "a", "nodes": 1000}, {"cluster": "b", "nodes": 950}],
                 timezone="Australia/Sydney")
    peak = LoadFact(None, "daily_node_cap", "Settings!B4", D(2026, 1, 9), _at(D(2026, 1, 8), 23),
                    _at(D(2026, 1, 9), 3), 1950, 1800, "nodes", ("a", "b"))
    (found,) = check(book, [peak])
    assert found.message.startswith(
        "nodes out from 2026-01-08 23:00 to 2026-01-09 03:00 UTC (2026-01-09 10:00 to 14:00 "
        "Australia/Sydney) are 1,950, over the daily_node_cap of 1,800")


def test_a_node_cap_by_date_range_counts_only_on_its_dates_with_its_row_s_severity(check):
    book = sheet([{"cluster": "a"}],
                 [{"rule": "first-days", "kind": "cap_nodes", "value": 1300, "from": "2026-01-05",
                   "to": "2026-01-07"},
                  {"rule": "soft", "kind": "cap_nodes", "value": 1000, "severity": "warning"}])
    found = check(book, [load("first-days", D(2026, 1, 7), 1301, 1300, "a"),
                         load("first-days", D(2026, 1, 8), 1700, 1300, "a"),
                         replace(load("soft", D(2026, 1, 8), 1700, 1000, "a"), cell="Rules!A3")])
    assert [(v.rule, v.severity, v.cell, v.date) for v in found] == [
        ("first-days", "error", "Rules!A2", D(2026, 1, 7)), ("soft", "warning", "Rules!A3", D(2026, 1, 8))]
    assert "over its cap of 1,300 by 1 (windows out then: a);" in found[0].message


def test_a_cluster_count_cap_says_how_many_clusters_are_too_many(check):
    book = sheet([{"cluster": n, "nodes": 900} for n in "abc"],
                 [{"rule": "big-per-day", "kind": "cap_clusters", "value": 2, "size": "big"}])
    (found,) = check(book, [load("big-per-day", D(2026, 1, 9), 3, 2, "a", "b", "c", unit="clusters")])
    assert found.message == (
        "3 clusters matched by rule big-per-day (Rules!A2) have a window starting on 2026-01-09 "
        "(UTC), over its cap of 2 by 1: a, b, c; move one to another date or raise the cap in "
        "Rules!A2")


def test_a_percent_cap_shows_the_percent_and_the_nodes_it_allows(check):
    book = sheet([{"cluster": "a", "nodes": 1000, "workload": "applied"}],
                 [{"rule": "prod", "kind": "cap_percent", "value": 3, "workload": "applied"}])
    (found,) = check(book, [load("prod", D(2026, 1, 9), 1000, 30, "a")])
    assert "over its cap of 3% of its clusters' nodes (30) by 970 " in found.message


def test_a_pinned_cluster_that_breaks_a_cap_is_named_and_carries_the_violation(check):
    book = sheet([{"cluster": "pinned", "nodes": 1500, "pinned_date": "2026-01-09"},
                  {"cluster": "other", "nodes": 450}])
    windows = [window(book, "pinned", D(2026, 1, 9), pinned=True), window(book, "other", D(2026, 1, 9))]
    (found,) = check(book, [fleet_load(D(2026, 1, 9), 1950, 1800, "other", "pinned",
                                       pinned=["pinned"])], windows)
    assert (found.cluster, found.severity) == ("pinned", "error")
    assert found.message.endswith(
        "pinned on that date: pinned; change their pinned_date or raise daily_node_cap in Settings!B4")


def test_a_window_inside_a_blackout_is_one_violation_per_cluster_at_its_first_such_date(check):
    book = sheet([{"cluster": "roll", "nodes": 900, "rolling": "yes"}, {"cluster": "free"}],
                 [{"rule": "xmas", "kind": "blackout", "from": "2026-01-10", "to": "2026-01-11",
                   "rolling": "yes"}])
    windows = [window(book, "roll", D(2026, 1, d), batch=i + 1, batches=3) for i, d in enumerate((9, 10, 11))]
    windows.append(window(book, "free", D(2026, 1, 10)))
    (found,) = check(book, windows=windows)
    assert (found.rule, found.cluster, found.date, found.cell) == ("xmas", "roll", D(2026, 1, 10), "Rules!A2")
    assert found.message == (
        "roll has a window on 2026-01-10, inside the blackout of rule xmas (Rules!A2), from "
        "2026-01-10 to 2026-01-11; move it out of that range")


def test_a_window_outside_a_between_range_is_reported_and_one_inside_is_not(check):
    book = sheet([{"cluster": "gb", "sku": "GB200"}, {"cluster": "ok", "sku": "GB200"}],
                 [{"rule": "certified", "kind": "between", "from": "2026-01-08", "sku": "GB200",
                   "severity": "warning"}])
    found = check(book, windows=[window(book, "gb", D(2026, 1, 7)), window(book, "ok", D(2026, 1, 8))])
    assert [(v.cluster, v.severity, v.date) for v in found] == [("gb", "warning", D(2026, 1, 7))]
    assert "allows its maintenance only from 2026-01-08 on; move it into that range" in found[0].message


def _after_book(soak_days=1):
    return sheet(
        [{"cluster": "canary", "region": "swedencentral", "canary": "yes"},
         {"cluster": "west", "region": "westus"}, {"cluster": "east", "region": "eastus"}],
        [{"rule": "canary-first", "kind": "priority", "value": 0, "canary": "yes"},
         {"rule": "after-canary", "kind": "after", "value": "canary-first", "canary": "no"}],
        soak_days=soak_days)


def test_after_and_soak_compare_instants_across_time_zones(check):
    book = _after_book()
    canary = window(book, "canary", D(2026, 1, 5))  # 11:00-17:00 Stockholm = 16:00 UTC end
    ready = canary.end + dt.timedelta(hours=24)  # 2026-01-06 16:00 UTC = 08:00 Los Angeles
    on_time = window(book, "west", D(2026, 1, 6), at=ready.astimezone(calendar.zone("America/Los_Angeles")))
    early = window(book, "east", D(2026, 1, 6), at=(ready - dt.timedelta(minutes=30)).astimezone(
        calendar.zone("America/New_York")))
    (found,) = check(book, windows=[canary, on_time, early])
    assert (found.rule, found.cluster, found.date) == ("after-canary", "east", D(2026, 1, 6))
    assert found.message == (
        "east starts at 2026-01-06T10:30:00-05:00, 0.5 h too early: rule after-canary (Rules!A3) "
        "makes it wait for canary (its last window ends 2026-01-05T17:00:00+01:00) plus 1 soak "
        "day(s), until 2026-01-06T17:00:00+01:00; start it later")


def test_a_cluster_among_its_own_prerequisites_waits_only_for_the_others(check):
    book = sheet([{"cluster": "p1", "owner_team": "t"}, {"cluster": "p2", "owner_team": "t"},
                  {"cluster": "p3"}],
                 [{"rule": "team-t", "kind": "priority", "value": 0, "owner_team": "t"},
                  {"rule": "after-team-t", "kind": "after", "value": "team-t"}])
    windows = [window(book, "p1", D(2026, 1, 5)), window(book, "p2", D(2026, 1, 8)),
               window(book, "p3", D(2026, 1, 7))]
    found = check(book, windows=windows)
    # p2 ends last: it waits only for p1 (done by then); p1 and p3 wait for p2.
    assert [(v.cluster, v.rule) for v in found] == [("p1", "after-team-t"), ("p3", "after-team-t")]
    assert "wait for p2" in found[0].message and "wait for p2" in found[1].message


def test_the_last_prerequisite_may_start_exactly_when_the_one_before_it_has_soaked(check):
    book = sheet([{"cluster": "p1", "owner_team": "t"}, {"cluster": "p2", "owner_team": "t"}],
                 [{"rule": "team-t", "kind": "priority", "value": 0, "owner_team": "t"},
                  {"rule": "after-team-t", "kind": "after", "value": "team-t", "owner_team": "t"}],
                 soak_days=2)
    first = window(book, "p1", D(2026, 1, 5))
    soaked = window(book, "p2", D(2026, 1, 7), at=first.end + dt.timedelta(days=2))
    too_soon = window(book, "p2", D(2026, 1, 7), at=first.end + dt.timedelta(days=2, seconds=-60))
    assert [v.cluster for v in check(book, windows=[first, soaked])] == ["p1"]
    assert [v.cluster for v in check(book, windows=[first, too_soon])] == ["p1", "p2"]


def test_a_plan_ending_after_the_deadline_is_one_error_naming_the_last_clusters(check):
    book = sheet([{"cluster": n} for n in ("a", "b", "c")])
    windows = [window(book, "a", D(2026, 1, 18)), window(book, "b", D(2026, 1, 20)),
               window(book, "c", D(2026, 1, 19))]
    (found,) = check(book, windows=windows)
    assert (found.rule, found.source, found.severity, found.cell, found.cluster, found.date) == (
        None, "deadline", "error", "Settings!B3", "b", D(2026, 1, 20))
    assert found.message == (
        "the plan ends on 2026-01-20, 2 day(s) after the deadline 2026-01-18 (Settings!B3): 2 "
        "cluster(s) finish late, the last: b (2026-01-20), c (2026-01-19); renegotiate the deadline "
        "to 2026-01-20 or later, or raise the caps or allow rolling so the plan fits")


def test_unscheduled_clusters_are_errors_with_the_reason_given(check):
    book = sheet([{"cluster": "huge", "nodes": 5000}, {"cluster": "stuck"}])
    found = check(book, unscheduled=[
        Unscheduled("huge", "5,000 nodes, over the daily cap of 1,800: allow rolling", None,
                    "Settings!B4"),
        Unscheduled("stuck", "waits for clusters that wait for it", None, "Clusters!A3")])
    assert [(v.rule, v.source, v.severity, v.cell, v.cluster) for v in found] == [
        (None, "unscheduled", "error", "Settings!B4", "huge"),
        (None, "unscheduled", "error", "Clusters!A3", "stuck")]
    assert found[1].message == "stuck is not scheduled: waits for clusters that wait for it"


def test_a_schedule_that_breaks_nothing_has_no_violations_and_the_same_input_gives_the_same_bytes(check):
    book = _after_book()
    canary = window(book, "canary", D(2026, 1, 5))
    windows = [canary, window(book, "west", D(2026, 1, 7)), window(book, "east", D(2026, 1, 7))]
    assert check(book, [fleet_load(D(2026, 1, 7), 20, 1800, "east", "west")], windows) == []
    late = windows + [window(book, "east", D(2026, 1, 19), batch=2, batches=2)]
    runs = [json.dumps([v.to_dict() for v in check(book, windows=late[::step])]) for step in (1, -1)]
    assert runs[0] == runs[1] and "deadline" in runs[0]
