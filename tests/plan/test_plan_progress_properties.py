"""Property tests of stable republication on random workbooks (tests/plan_strategies.py).

Version 1 is planned before the campaign starts; then one cluster is edited (deleted, or
resized when no after rule waits for it) and the workbook planned again from version 1.
"""
from __future__ import annotations

import datetime as dt

from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from rules.engine.evaluators import PLAIN
from rules.placement.limits import loads_of
from rules.placement.loop import to_place
from rules.plan.document import Window
from rules.plan.make import plan_document
from rules.progress import Progress, from_document
from rules.validation.workbook import validate
from sheets.memory import MemorySource
from tests.plan_strategies import workbooks

PROPERTY = settings(max_examples=60, deadline=None, derandomize=True,
                    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])


def validated(tabs):
    result = validate(MemorySource(tabs).read())
    assert result.ok, result.errors
    return result


def before_the_start(tabs) -> dt.datetime:
    start = next(row[1] for row in tabs["Settings"] if row[0] == "start_date")
    return dt.datetime.combine(dt.date.fromisoformat(start) - dt.timedelta(days=30), dt.time(),
                               tzinfo=dt.timezone.utc)


@st.composite
def edited(draw):
    """Version 1's tabs, the edited tabs, and the edited cluster's name."""
    tabs = draw(workbooks())
    rows = tabs["Clusters"]
    index = draw(st.integers(1, len(rows) - 1))
    new = {**tabs, "Clusters": [list(r) for r in rows]}
    if draw(st.booleans()):
        del new["Clusters"][index]
    else:
        new["Clusters"][index][3] = draw(st.integers(1, 1500))  # nodes
    return tabs, new, rows[index][0]


def plans(tabs, new):
    now = before_the_start(tabs)
    first = plan_document(validated(tabs), Progress(now))
    published = tuple(from_document(w) for w in first["windows"])
    book = validated(new)
    stable = plan_document(book, Progress(now, published))
    fresh = plan_document(book, Progress(now, published, fresh=True))
    return first, stable, fresh, book.workbook


def waited_for(book, name: str) -> bool:
    """Whether an after rule names a rule that matches ``name``."""
    classification = PLAIN.classify(book)
    return any(name in classification.members.get(str(r.value), ())
               for r in book.rules if r.enabled and r.kind == "after")


def obeys_every_error_rule(book, windows: list[dict]) -> bool:
    """Whether these windows alone break no error rule of ``book`` (the engine's own check)."""
    classification = PLAIN.classify(book)
    _, todo = to_place(book, classification)
    facts = [Window(w["cluster"], dt.date.fromisoformat(w["date"]),
                    dt.datetime.fromisoformat(w["start"]), dt.datetime.fromisoformat(w["end"]),
                    w["nodes"], w["batch"], w["batches"], False, tuple(w["rules"]))
             for w in windows if w["cluster"] in todo]
    loads = loads_of(book, classification, facts)
    found = PLAIN.violations(book, classification, loads, facts, ())
    return not [v for v in found if v.severity == "error"]


@PROPERTY
@given(edited())
def test_an_edit_that_leaves_the_old_schedule_valid_moves_no_other_window(case):
    tabs, new, name = case
    first, stable, _, book = plans(tabs, new)
    assume(not first["violations"] or all(v["severity"] == "warning"
                                          for v in first["violations"]))
    assume(not waited_for(book, name))
    others = [w for w in first["windows"] if w["cluster"] != name]
    assume(obeys_every_error_rule(book, others))
    placed = {w["id"]: w["start"] for w in stable["windows"]}
    _, todo = to_place(book, PLAIN.classify(book))
    for w in others:
        if w["cluster"] in todo:
            assert placed.get(w["id"]) == w["start"], (w, stable["replanned"])


@PROPERTY
@given(edited())
def test_the_stable_plan_never_breaks_an_error_rule_the_fresh_plan_obeys(case):
    tabs, new, _ = case
    _, stable, fresh, _ = plans(tabs, new)
    broken = {v["rule"] for v in stable["violations"] if v["severity"] == "error"}
    assert broken <= {v["rule"] for v in fresh["violations"] if v["severity"] == "error"}
