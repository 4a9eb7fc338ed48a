"""Conditions said in words, for violation messages."""
import datetime as dt

import pytest

from rules.conditions import describe, parse


@pytest.mark.parametrize("attribute, kind, cell, words", [
    ("nodes", "number", "> 400", "nodes > 400"),
    ("nodes", "number", "400", "nodes is 400"),
    ("nodes", "number", 400, "nodes is 400"),
    ("nodes", "number", "2.50", "nodes is 2.5"),
    ("nodes", "number", "100..400", "nodes is 100 to 400"),
    ("nodes", "number", "]100..400]", "nodes > 100 and <= 400"),
    ("nodes", "number", "[100..400)", "nodes >= 100 and < 400"),
    ("nodes", "number", "< 10, 50, 60", "nodes < 10 or nodes is 50 or 60"),
    ("nodes", "number", "not > 400", "not (nodes > 400)"),
    ("geo", "text", "EU", "geo is EU"),
    ("geo", "text", "\u201ceu\u201d, US, UK", "geo is eu, US or UK"),
    ("geo", "text", "not EU", "geo is not EU"),
    ("geo", "text", "not(EU, US)", "geo is none of EU, US"),
    ("region", "text", "Sweden  Central", "region is Sweden Central"),
    ("services", "list", "api", "services include api"),
    ("services", "list", "api, chat", "services include api or chat"),
    ("services", "list", "not api", "services do not include api"),
    ("services", "list", "not api, chat", "services include none of api, chat"),
    ("canary", "bool", "Yes", "canary is yes"),
    ("pinned_date", "date", ">= 2026-01-12", "pinned_date >= 2026-01-12"),
    ("pinned_date", "date", dt.date(2026, 1, 12), "pinned_date is 2026-01-12"),
])
def test_a_condition_reads_as_a_short_phrase(attribute, kind, cell, words):
    assert describe(parse(cell, attribute, kind)) == words
