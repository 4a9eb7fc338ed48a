"""The optimiser planning from progress (rules/progress.py): what was reported and what is frozen
stays exactly as published, and nothing new starts before now + freeze_hours."""
from __future__ import annotations

import datetime as dt

from hypothesis import HealthCheck, given, settings, strategies as st

from rules.plan.make import document, make_plan, plan_document
from rules.progress import HAPPENED, Progress, from_document
from rules.validation.workbook import validate
from sheets.memory import MemorySource
from tests.plan_strategies import workbooks
from tests.workbooks import cluster, rule, workbook

UTC = dt.timezone.utc
KEPT = ("id", "cluster", "date", "start", "end", "nodes", "state")


def doc(book, progress, optimise=None) -> dict:
    return document(make_plan(book, progress, optimise)).as_json()


def reported(windows: list[dict], now: dt.datetime) -> tuple:
    """The published windows as the consumers reported them at ``now``: done when over, in
    progress when under way, else planned."""
    def state(w):
        start, end = dt.datetime.fromisoformat(w["start"]), dt.datetime.fromisoformat(w["end"])
        return "done" if end <= now else "in_progress" if start <= now else "planned"
    return tuple(from_document(w, state(w)) for w in windows)


def assert_kept_and_frozen(planned: dict, progress: Progress, freeze_hours: int) -> None:
    """Every reported or frozen window as published; every other window (a new pin's too)
    after now + freeze_hours."""
    frozen = {w.id: w for w in progress.windows if progress.frozen(w, freeze_hours)}
    by_id = {w["id"]: w for w in planned["windows"]}
    for wid, published in frozen.items():
        w = by_id[wid]
        assert (dt.datetime.fromisoformat(w["start"]), dt.datetime.fromisoformat(w["end"]),
                w["nodes"], w["state"]) == (published.start, published.end, published.nodes,
                                            published.state), wid
    freeze_at = progress.freeze_at(freeze_hours)
    for w in planned["windows"]:
        if w["id"] not in frozen:
            assert dt.datetime.fromisoformat(w["start"]) >= freeze_at, w


def test_an_optimised_plan_from_progress_keeps_what_happened_and_starts_nothing_in_the_freeze():
    # Published: three clusters of 300 on the first date. Added since: 400, 500, 550 and 500
    # nodes, three clusters a date, 1,000 nodes: in name order they need three dates after the
    # freeze, paired 400 + 550 and 500 + 500 only two.
    old = [cluster(f"o{i}", 300) for i in range(3)]
    new = [cluster(f"n{i}", s) for i, s in enumerate((400, 500, 550, 500))]
    rules = [rule("per-day", "cap_clusters", 3)]
    before = dt.datetime(2026, 1, 1, tzinfo=UTC)
    first = doc(workbook(old, rules, daily_node_cap=1000), Progress(before))
    now = dt.datetime(2026, 1, 5, 15, tzinfo=UTC)
    progress = Progress(now, reported(first["windows"], now))
    assert {w.state for w in progress.windows} & set(HAPPENED)
    book = workbook(old + new, rules, daily_node_cap=1000, freeze_hours=24)
    greedy, optimised = doc(book, progress), doc(book, progress, optimise=5.0)
    assert optimised["summary"]["optimiser"]["used"], optimised["summary"]["optimiser"]
    assert optimised["summary"]["last_date"] < greedy["summary"]["last_date"]
    assert optimised["summary"]["unscheduled"] == 0
    assert_kept_and_frozen(optimised, progress, 24)


@settings(max_examples=12, derandomize=True, deadline=None,
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
@given(workbooks(), st.integers(0, 4), st.integers(0, 60))
def test_on_random_workbooks_an_optimised_plan_from_progress_keeps_the_reported_and_frozen(
        sheet, days_in, freeze_hours):
    # Version 1 published the first half of the clusters; the rest were added since. At now,
    # days_in days after the start, what is over is done and what is under way in progress.
    rows = sheet["Clusters"]
    published_tabs = {**sheet, "Clusters": rows[: 1 + (len(rows) - 1) // 2]}
    sheet = {**sheet, "Settings": [r for r in sheet["Settings"] if r[0] != "freeze_hours"]
             + [["freeze_hours", freeze_hours]]}
    first_book, book = validate(MemorySource(published_tabs).read()), \
        validate(MemorySource(sheet).read())
    assert first_book.ok and book.ok
    start = first_book.workbook.settings.start_date
    first = plan_document(first_book, Progress(dt.datetime.combine(
        start - dt.timedelta(days=30), dt.time(), UTC)))
    now = dt.datetime.combine(start + dt.timedelta(days=days_in), dt.time(12), UTC)
    progress = Progress(now, reported(first["windows"], now))
    optimised = plan_document(book, progress, optimise=1.0)
    assert_kept_and_frozen(optimised, progress, freeze_hours)
