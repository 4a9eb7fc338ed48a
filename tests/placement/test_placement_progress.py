"""Placement from progress (rules/progress.py), on small workbooks: what happened stays, failures
come back after the freeze, and a cluster done in the sheet still gates with its soak."""
from __future__ import annotations

import datetime as dt
from dataclasses import replace

from rules.plan.make import document, make_plan
from rules.progress import Progress, from_document, window_id
from tests.workbooks import cluster, days, rule, workbook

UTC = dt.timezone.utc
CANARY_FIRST = [rule("canary-first", "priority", 0, when={"canary": True}),
                rule("after-canary", "after", "canary-first", when={"canary": False})]


def doc(book, progress=None) -> dict:
    return document(make_plan(book, progress)).as_json()


def test_a_canary_done_in_the_sheet_still_holds_the_others_for_the_soak():
    book = workbook([cluster("canary", 8, canary=True, status="done"), cluster("a", 10)],
                    CANARY_FIRST)
    assert days(doc(book)) == {"a": ["2026-01-06"]}  # start_date 2026-01-05 + 1 soak day


def test_window_ids_ignore_the_case_of_the_cluster_name():
    assert window_id("H100-EUS-01", 2) == window_id("h100-eus-01", 2)
    assert window_id("h100-eus-01", 2, 1) == window_id("h100-eus-01", 2).replace("-2-", "-2r1-")


def test_a_failed_window_comes_back_with_its_failed_nodes_after_the_freeze():
    book = workbook([cluster("a", 10), cluster("b", 20)])
    first = doc(book, Progress(dt.datetime(2026, 1, 1, tzinfo=UTC)))
    now = dt.datetime(2026, 1, 5, 20, tzinfo=UTC)
    published = tuple(from_document(w, "failed" if w["cluster"] == "a" else "done",
                                    failed_nodes=3 if w["cluster"] == "a" else 0)
                      for w in first["windows"])
    again = doc(book, Progress(now, published))
    [retry] = [w for w in again["windows"] if w["retry"]]
    assert (retry["cluster"], retry["nodes"], retry["retry_of"]) == ("a", 3, window_id("a", 1))
    assert dt.datetime.fromisoformat(retry["start"]) >= now + dt.timedelta(hours=48)
    assert {w["id"]: w["state"] for w in again["windows"] if not w["retry"]} == {
        window_id("a", 1): "failed", window_id("b", 1): "done"}


def test_nothing_new_starts_before_now_plus_freeze_hours_even_from_a_past_start_date():
    book = workbook([cluster(f"c{i}", 100) for i in range(5)], freeze_hours=24)
    now = dt.datetime(2026, 1, 10, 9, tzinfo=UTC)
    planned = doc(book, Progress(now))
    assert planned["windows"] and all(
        dt.datetime.fromisoformat(w["start"]) >= now + dt.timedelta(hours=24)
        for w in planned["windows"])


def test_republishing_an_unchanged_workbook_keeps_every_window():
    book = workbook([cluster(f"c{i}", 300) for i in range(8)], daily_node_cap=600)
    before = dt.datetime(2026, 1, 1, tzinfo=UTC)
    first = doc(book, Progress(before))
    published = tuple(from_document(w) for w in first["windows"])
    again = doc(book, Progress(before, published))
    assert [(w["id"], w["start"]) for w in again["windows"]] == [
        (w["id"], w["start"]) for w in first["windows"]]
    assert again["replanned"] == []


def test_an_in_progress_window_of_a_deleted_cluster_is_kept_as_published():
    book = workbook([cluster("a", 10), cluster("b", 20)])
    first = doc(book, Progress(dt.datetime(2026, 1, 1, tzinfo=UTC)))
    running = [replace(from_document(w), state="in_progress") for w in first["windows"]
               if w["cluster"] == "a"]
    without_a = workbook([cluster("b", 20)])
    again = doc(without_a, Progress(dt.datetime(2026, 1, 5, 12, tzinfo=UTC), tuple(running)))
    kept = [w for w in again["windows"] if w["cluster"] == "a"]
    assert [(w["state"], w["start"], w["region"]) for w in kept] == [
        ("in_progress", running[0].start.isoformat(), "utc")]


def test_a_new_pin_inside_the_freeze_is_placed_after_it_with_a_warning_on_its_row():
    book = workbook([cluster("pinned", 100, pinned_date=dt.date(2026, 1, 10)), cluster("b", 100)],
                    freeze_hours=48)
    now = dt.datetime(2026, 1, 10, 6, tzinfo=UTC)
    planned = doc(book, Progress(now))
    [window] = [w for w in planned["windows"] if w["cluster"] == "pinned"]
    assert dt.datetime.fromisoformat(window["start"]) >= now + dt.timedelta(hours=48)
    [warning] = [v for v in planned["violations"] if v["cluster"] == "pinned"]
    assert warning["severity"] == "warning" and warning["cell"] == "Clusters!A2"
    assert "pinned to 2026-01-10" in warning["message"] and "freeze_hours" in warning["message"]


def test_a_pin_past_the_freeze_is_kept():
    book = workbook([cluster("pinned", 100, pinned_date=dt.date(2026, 1, 20))], freeze_hours=48)
    planned = doc(book, Progress(dt.datetime(2026, 1, 10, 6, tzinfo=UTC)))
    assert [w["date"] for w in planned["windows"]] == ["2026-01-20"]
    assert planned["violations"] == []
