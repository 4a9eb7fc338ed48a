"""Same workbook, same schedule: on every run, and whatever the order of the Clusters rows."""
from __future__ import annotations

import random
from pathlib import Path

import pytest

from rules.engine.evaluators import PLAIN
from rules.placement.loop import place
from rules.plan.document import to_json
from rules.plan.make import assemble, document
from rules.validation.workbook import validate
from sheets.memory import MemorySource
from sheets.xlsx import XlsxSource

FLEET = Path(__file__).resolve().parents[2] / "examples" / "fleet.xlsx"


def schedule_json(raw) -> str:
    book = validate(raw).workbook
    classification = PLAIN.classify(book)
    return to_json(document(assemble(book, classification, place(book, classification), ())).as_json())


@pytest.fixture(scope="module")
def fleet_tabs():
    raw = XlsxSource(str(FLEET)).read()
    return {t.title: [list(row) for row in t.rows] for t in raw.tables.values()}


def test_the_example_fleet_gives_the_same_bytes_twice(fleet_tabs):
    raw = MemorySource(fleet_tabs).read()
    assert schedule_json(raw) == schedule_json(raw)


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_the_schedule_does_not_depend_on_the_order_of_the_clusters_rows(fleet_tabs, seed):
    shuffled = {title: [row[:] for row in rows] for title, rows in fleet_tabs.items()}
    body = shuffled["Clusters"][1:]
    random.Random(seed).shuffle(body)
    shuffled["Clusters"][1:] = body
    assert schedule_json(MemorySource(shuffled).read()) == schedule_json(MemorySource(fleet_tabs).read())
