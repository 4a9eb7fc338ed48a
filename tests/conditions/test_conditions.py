"""The condition language against tables of (cell, value, expected), and its errors."""
import datetime as dt

import pytest

from rules.conditions import (
    AnyOf, Compare, ConditionSyntaxError, ConditionTypeError, FormulaError, Not, OneOf, Range,
    coerce, parse,
)

D = dt.date

# (attribute kind or None for an extra column, cell, attribute value, matches?)
MATCHES = [
    # equality on text: case, quotes, curly quotes, blanks
    ("text", "EU", "EU", True),
    ("text", "EU", "eu", True),
    ("text", "EU", " Eu ", True),
    ("text", "EU", "US", False),
    ("text", '"EU"', "eu", True),
    ("text", "\u201cEU\u201d", "EU", True),
    ("text", "'EU'", "EU", True),
    ("text", "\u2018EU\u2019", "eu", True),
    ("text", "Sweden Central", "sweden  central", True),
    ("text", "EU", None, False),
    ("text", "EU", "", False),
    ("text", '"O\u2019Brien"', "o'brien", True),
    ("text", "O'Brien", "O\u2019Brien", True),
    # any of, none of
    ("text", "EU, US", "US", True),
    ("text", "EU, US", "UK", False),
    ("text", '"Paris, FR", US', "paris, fr", True),
    ("text", '"Paris, FR", US', "paris", False),
    ("text", "not EU, US", "UK", True),
    ("text", "not EU, US", "us", False),
    ("text", "NOT(EU, US)", "UK", True),
    ("text", "not(EU, US)", "EU", False),
    ("text", "not (EU)", "EU", False),
    ("text", "not EU", None, True),
    ("text", '"not applicable"', "Not Applicable", True),
    ("text", "nottingham", "Nottingham", True),
    # comparisons on numbers, numeric text, decimals, negatives
    ("number", "< 400", 399, True),
    ("number", "< 400", 400, False),
    ("number", "<= 400", 400, True),
    ("number", "<= 400", 400.5, False),
    ("number", "> 400", 401, True),
    ("number", "> 400", 400, False),
    ("number", ">=400", 400, True),
    ("number", ">= 400", 399.99, False),
    ("number", "> -5", -4, True),
    ("number", "< -5", -4, False),
    ("number", "< 2.5", 2.4, True),
    ("number", "< 2.5", "2.49", True),
    ("number", "400", 400.0, True),
    ("number", "400", "400", True),
    ("number", "400", " 400 ", True),
    ("number", "400.0", 400, True),
    ("number", "400", 401, False),
    ("number", "> 400", "lots", False),
    ("number", "> 400", None, False),
    ("number", "> 400", True, False),
    ("number", "not > 400", 300, True),
    ("number", "not > 400", 500, False),
    ("number", "1, 2, 3", 2, True),
    ("number", "< 10, > 100", 50, False),
    ("number", "< 10, > 100", 101, True),
    ("number", "< 10, 50..60, 99", 55, True),
    ("number", "< 10, 50..60, 99", 99, True),
    ("number", "< 10, 50..60, 99", 70, False),
    # ranges, both ends open or closed, in every spelling
    ("number", "100..400", 100, True),
    ("number", "100..400", 400, True),
    ("number", "100..400", 401, False),
    ("number", "100 .. 400", 99, False),
    ("number", "[100..400]", 100, True),
    ("number", "[100..400]", 400, True),
    ("number", "[100..400)", 400, False),
    ("number", "[100..400)", 399, True),
    ("number", "(100..400]", 100, False),
    ("number", "(100..400]", 400, True),
    ("number", "(100..400)", 100, False),
    ("number", "(100..400)", 400, False),
    ("number", "(100..400)", 250, True),
    ("number", "]100..400[", 100, False),
    ("number", "]100..400[", 400, False),
    ("number", "]100..400[", 101, True),
    ("number", "]100..400]", 400, True),
    ("number", "]100..400]", 100, False),
    ("number", "[100..400[", 100, True),
    ("number", "[100..400[", 400, False),
    ("number", "[1.5..2.5]", "2.5", True),
    ("number", "-10..-1", -5, True),
    ("number", "not [100..400]", 100, False),
    ("number", "not [100..400]", 99, True),
    ("number", "not (100..400]", 100, True),
    ("number", "not(100..400)", 100, False),
    ("number", "not ]100..400[", 100, True),
    ("number", "not]100..400[", 101, False),
    ("number", "not[100..400]", 100, False),
    ("number", "not<5", 6, True),
    ("text", 'not"EU"', "us", True),
    # dates: ISO text, date objects, datetimes, serial numbers
    ("date", ">= 2026-01-12", D(2026, 1, 12), True),
    ("date", ">= 2026-01-12", D(2026, 1, 11), False),
    ("date", ">= 2026-01-12", "2026-01-13", True),
    ("date", ">= 2026-01-12", dt.datetime(2026, 1, 12, 9, 30), True),
    ("date", ">= 2026-01-12", 46034, True),  # the Sheets serial of 2026-01-12
    ("date", ">= 2026-01-12", "soon", False),
    ("date", "[2026-01-05..2026-01-11]", D(2026, 1, 5), True),
    ("date", "[2026-01-05..2026-01-11]", D(2026, 1, 11), True),
    ("date", "[2026-01-05..2026-01-11)", D(2026, 1, 11), False),
    ("date", "2026-01-05", "2026-1-5", True),
    ("date", "2026-1-5", D(2026, 1, 5), True),
    ("date", "not 2026-01-05", None, True),
    # yes/no
    ("bool", "yes", True, True),
    ("bool", "yes", "Yes", True),
    ("bool", "yes", "y", True),
    ("bool", "yes", "TRUE", True),
    ("bool", "yes", 1, True),
    ("bool", "yes", False, False),
    ("bool", "no", "no", True),
    ("bool", "No", False, True),
    ("bool", "no", None, False),
    ("bool", "not yes", None, True),
    ("bool", "not yes", "n", True),
    ("bool", "true", "yes", True),
    ("bool", "y", True, True),
    ("bool", '"yes"', True, True),
    ("bool", "1", True, True),
    # lists of services: any item for positive tests, no item for negative ones
    ("list", "api", ("api", "chat"), True),
    ("list", "api", ("chat",), False),
    ("list", "API", "chat, api", True),
    ("list", "api, batch", ["chat", "batch"], True),
    ("list", "api", (), False),
    ("list", "api", None, False),
    ("list", "not api", (), True),
    ("list", "not api", None, True),
    ("list", "not api", ("chat",), True),
    ("list", "not api", ("chat", "api"), False),
    ("list", "not(api, chat)", ("batch", "chat"), False),
    ("list", "not(api, chat)", "batch", True),
    ("list", "\u201capi\u201d", "Api ", True),
    # extra columns: the kind is read off the literals
    (None, "> 400", "500", True),
    (None, "> 400", "300", False),
    (None, "400", "400.0", True),
    (None, "1..3", 2, True),
    (None, ">= 2026-01-12", "2026-02-01", True),
    (None, ">= 2026-01-12", D(2025, 12, 31), False),
    (None, "yes", "Y", True),
    (None, "yes, no", "maybe", False),
    (None, "team-a, 4", "TEAM-A", True),
    (None, "team-a, 4", 4, True),
    (None, "ml infra", "ML Infra", True),
    (None, "not ml infra", "ml infra", False),
    # a typed cell is an equality on its value
    ("number", 400, "400", True),
    ("number", 400.0, 400, True),
    ("number", 400, 401, False),
    ("date", D(2026, 1, 12), "2026-01-12", True),
    ("date", dt.datetime(2026, 1, 12), D(2026, 1, 12), True),
    ("date", 46034, D(2026, 1, 12), True),
    ("bool", True, "yes", True),
    ("bool", False, "yes", False),
    ("text", 400, "400", True),
    ("list", 7, ("7", "8"), True),
    (None, 400, "400", True),
    (None, True, "y", True),
    (None, D(2026, 1, 12), "2026-01-12", True),
]


@pytest.mark.parametrize("kind, cell, value, expected", MATCHES)
def test_a_condition_matches_exactly_the_values_its_cell_describes(kind, cell, value, expected):
    condition = parse(cell, "attr", kind)
    assert condition.matches(value) is expected


@pytest.mark.parametrize("cell", [None, "", "   ", "-", " - ", "\u00a0"])
def test_a_blank_or_dash_cell_is_no_condition(cell):
    assert parse(cell, "geo", "text") is None


@pytest.mark.parametrize("kind, cell, test", [
    ("text", "EU", OneOf(("eu",))),
    ("text", "EU, US, eu", OneOf(("eu", "us"))),
    ("text", "not(EU, US)", Not(OneOf(("eu", "us")))),
    ("number", "< 400", Compare("<", 400.0)),
    ("number", "]100..400]", Range(100.0, 400.0, False, True)),
    ("number", "100..400", Range(100.0, 400.0, True, True)),
    ("number", "< 10, 50, > 90, 60",
     AnyOf((Compare("<", 10.0), OneOf((50.0, 60.0)), Compare(">", 90.0)))),
    ("date", "[2026-01-05..2026-01-11)", Range(D(2026, 1, 5), D(2026, 1, 11), True, False)),
    ("bool", "no", OneOf((False,))),
    ("list", "not api", Not(OneOf(("api",)))),
])
def test_the_tree_holds_coerced_literals_for_the_engine_to_translate(kind, cell, test):
    assert parse(cell, "attr", kind).test == test


@pytest.mark.parametrize("cell, kind", [
    ("400", "number"), ("2026-01-12", "date"), ("yes", "bool"), ("EU", "text"),
    ("> 4", "number"), ("yes, no", "bool"),
])
def test_an_extra_column_gets_the_kind_its_literals_share(cell, kind):
    assert parse(cell, "owner_team", None).kind == kind


def test_a_condition_keeps_its_attribute_and_source():
    condition = parse("  not(EU, US) ", "geo", "text")
    assert (condition.attribute, condition.kind, condition.source) == ("geo", "text", "not(EU, US)")


@pytest.mark.parametrize("value, kind, expected", [
    (" Sweden\u00a0 Central ", "text", "sweden central"),
    ("\u201cEU\u201d", "text", '"eu"'),
    (400.0, "text", "400"),
    (2.5, "text", "2.5"),
    (True, "text", "yes"),
    (D(2026, 1, 12), "text", "2026-01-12"),
    ("  ", "text", None),
    ("400", "number", 400.0),
    ("4e2", "number", 400.0),
    ("nan", "number", None),
    (True, "number", None),
    (D(2026, 1, 12), "number", None),
    ("2026-01-12", "date", D(2026, 1, 12)),
    (dt.datetime(2026, 1, 12, 23, 0), "date", D(2026, 1, 12)),
    (46034, "date", D(2026, 1, 12)),
    ("12/01/2026", "date", None),
    ("N", "bool", False),
    (0, "bool", False),
    (2, "bool", None),
    ("maybe", "bool", None),
    ("api, Chat ,", "list", ("api", "chat")),
    (["api", None, ""], "list", ("api",)),
    (None, "list", ()),
    (None, "number", None),
])
def test_coerce_reads_a_value_as_its_kind_or_gives_none(value, kind, expected):
    assert coerce(value, kind) == expected


def test_an_unknown_kind_is_a_programming_error():
    with pytest.raises(ValueError):
        parse("EU", "geo", "colour")
    with pytest.raises(ValueError):
        coerce("EU", "colour")
