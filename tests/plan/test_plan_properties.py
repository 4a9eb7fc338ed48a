"""Property tests: on random valid workbooks, the plan obeys the rule semantics.

An adversarial check of the whole road (cells -> validate -> engine -> placement -> JSON): the
plan is checked by tests/plan_checker.py, which recomputes caps, dates, soak, batches and
times from the document and the workbook without the planner's own code.
"""
from __future__ import annotations

import copy
import datetime as dt
import random
from zoneinfo import ZoneInfo

from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from rules.plan.document import to_json
from rules.plan.make import plan_document
from rules.validation.workbook import validate
from sheets.memory import MemorySource
from tests.plan_checker import check
from tests.plan_strategies import workbooks

PROPERTY = settings(max_examples=120, deadline=None, derandomize=True,
                    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])


def _plan(tabs):
    validated = validate(MemorySource(tabs).read())
    assert validated.ok, validated.errors
    doc = plan_document(validated)
    assert not doc["errors"], doc["errors"]
    return validated.workbook, doc


@PROPERTY
@given(workbooks())
def test_every_plan_obeys_the_rule_semantics(tabs):
    book, doc = _plan(tabs)
    assert check(book, doc) == []


@PROPERTY
@given(workbooks())
def test_warning_rows_never_change_the_schedule(tabs):
    _, doc = _plan(tabs)
    errors_only = copy.deepcopy(tabs)
    errors_only["Rules"] = [row for row in tabs["Rules"] if row[5] != "warning"]
    _, without = _plan(errors_only)
    assert without["windows"] == doc["windows"]


@PROPERTY
@given(workbooks())
def test_the_plan_is_the_same_bytes_across_runs_and_row_orders_of_clusters_and_regions(tabs):
    _, doc = _plan(tabs)
    _, again = _plan(tabs)
    shuffled = copy.deepcopy(tabs)
    shuffler = random.Random(len(to_json(doc)))
    for tab in ("Clusters", "Regions"):
        body = shuffled[tab][1:]
        shuffler.shuffle(body)
        shuffled[tab][1:] = body
    _, reordered = _plan(shuffled)
    assert to_json(again) == to_json(doc)
    assert to_json(reordered) == to_json(doc)


@PROPERTY
@given(workbooks(), st.data())
def test_the_checker_finds_a_whole_window_moved_a_day_earlier(tabs, data):
    book, doc = _plan(tabs)
    starts = book.settings.start_date.isoformat()
    pinned = {c.name for c in book.clusters if c.pinned_date}
    movable = [i for i, w in enumerate(doc["windows"])
               if w["batches"] == 1 and w["cluster"] not in pinned and w["date"] > starts]
    assume(movable)
    window = doc["windows"][data.draw(st.sampled_from(movable))]
    day = dt.timedelta(days=1)
    start, end = (dt.datetime.fromisoformat(window[k]) for k in ("start", "end"))
    zone = ZoneInfo(book.region(window["region"]).timezone)
    moved = dt.datetime.combine(start.date() - day, start.time(), tzinfo=zone)
    window.update(date=(dt.date.fromisoformat(window["date"]) - day).isoformat(),
                  start=moved.isoformat(timespec="seconds"),
                  end=(moved.astimezone(dt.timezone.utc) + (end - start)).astimezone(zone)
                  .isoformat(timespec="seconds"))
    assert check(book, doc) != []
