"""Cells the condition language rejects: the error class, where it points and what it suggests."""
import datetime as dt
import pickle

import pytest

from rules.conditions import (
    ConditionError, ConditionSyntaxError, ConditionTypeError, FormulaError, parse,
)

# (kind, cell, error class, 0-based position, suggestion)
INVALID = [
    # syntax
    ("text", "nto EU", ConditionSyntaxError, 0, "not EU"),
    ("text", "Nto\u00a0EU", ConditionSyntaxError, 0, "not\u00a0EU"),
    ("text", "EU,\tnot\tUS", ConditionSyntaxError, 4, None),
    ("text", "NTO(EU, US)", ConditionSyntaxError, 0, "not(EU, US)"),
    ("number", "100...400", ConditionSyntaxError, 5, "100..400"),
    ("number", "[100....400]", ConditionSyntaxError, 6, "[100..400]"),
    ("number", "=< 400", ConditionSyntaxError, 0, "<= 400"),
    ("number", "=> 400", ConditionSyntaxError, 0, ">= 400"),
    ("number", "\u2264 400", ConditionSyntaxError, 0, "<= 400"),
    ("number", "100\u2026400", ConditionSyntaxError, 3, "100..400"),
    ("number", "[100..400", ConditionSyntaxError, 9, "[100..400]"),
    ("number", "(100..400, 7", ConditionSyntaxError, 9, "(100..400], 7"),
    ("number", "100..400]", ConditionSyntaxError, 8, None),
    ("number", "[100, 400]", ConditionSyntaxError, 4, "[100..400]"),
    ("number", "100..", ConditionSyntaxError, 5, ">= 100"),
    ("number", "< ", ConditionSyntaxError, 1, None),
    ("number", "<", ConditionSyntaxError, 1, None),
    ("number", "[100", ConditionSyntaxError, 4, None),
    ("text", "EU,", ConditionSyntaxError, 2, "EU"),
    ("text", "EU, , US", ConditionSyntaxError, 4, None),
    ("text", ", EU", ConditionSyntaxError, 0, None),
    ("text", "not", ConditionSyntaxError, 3, None),
    ("text", "not(EU, US", ConditionSyntaxError, 10, "not(EU, US)"),
    ("text", "EU, not US", ConditionSyntaxError, 4, None),
    ("text", "not not EU", ConditionSyntaxError, 4, None),
    ("text", "<> EU", ConditionSyntaxError, 0, "not EU"),
    ("text", "!= EU", ConditionSyntaxError, 0, "not EU"),
    ("text", "EU = US", ConditionSyntaxError, 3, None),
    ("number", "< = 400", ConditionSyntaxError, 2, "<= 400"),
    ("text", '"EU', ConditionSyntaxError, 0, '"EU"'),
    ("text", "\u201cEU", ConditionSyntaxError, 0, "\u201cEU\""),
    ("text", '""', ConditionSyntaxError, 0, None),
    ("text", "EU)", ConditionSyntaxError, 2, None),
    ("number", "400 nodes", ConditionTypeError, 0, None),
    # types
    ("text", "< EU", ConditionTypeError, 0, None),
    (None, "< EU", ConditionTypeError, 2, None),
    ("bool", "> no", ConditionTypeError, 0, None),
    ("list", "[1..3]", ConditionTypeError, 0, None),
    ("text", "100..400", ConditionTypeError, 0, None),
    ("number", "> abc", ConditionTypeError, 2, None),
    ("number", "4OO", ConditionTypeError, 0, "400"),
    ("number", "> l00", ConditionTypeError, 2, "> 100"),
    ("number", "400 - 500", ConditionTypeError, 0, "400..500"),
    ("number", "400 500", ConditionTypeError, 0, "400, 500"),
    ("number", "2026-01-12", ConditionTypeError, 0, None),
    ("number", "yes", ConditionTypeError, 0, None),
    ("number", "[400..100]", ConditionTypeError, 1, "[100..400]"),
    ("number", "(5..5]", ConditionTypeError, 0, "5"),
    ("number", "1..2026-01-05", ConditionTypeError, 3, None),
    (None, "[2026-01-05..7]", ConditionTypeError, 13, None),
    (None, "> 4, EU", ConditionTypeError, 5, None),
    ("date", "EU", ConditionTypeError, 0, None),
    ("date", ">= 2026/01/12", ConditionTypeError, 3, ">= 2026-01-12"),
    ("date", "2026-01-05 - 2026-01-11", ConditionTypeError, 0, "2026-01-05..2026-01-11"),
    ("date", "> 46034", ConditionTypeError, 2, "> 2026-01-12"),
    ("date", "2026-02-30", ConditionTypeError, 0, None),
    ("date", "[2026-01-11..2026-01-05]", ConditionTypeError, 1, "[2026-01-05..2026-01-11]"),
    ("bool", "ye", ConditionTypeError, 0, "yes"),
    ("bool", "noo", ConditionTypeError, 0, "no"),
    ("bool", "maybe", ConditionTypeError, 0, None),
    ("number", dt.date(2026, 1, 12), ConditionTypeError, 0, None),
    ("bool", 7, ConditionTypeError, 0, None),
    # formulas
    ("number", "=400", FormulaError, 0, "400"),
    ("text", "=SUM(A1:A3)", FormulaError, 0, None),
    ("text", "  =EU", FormulaError, 0, "EU"),
]


@pytest.mark.parametrize("kind, cell, error, position, suggestion", INVALID)
def test_an_invalid_cell_raises_an_error_pointing_at_the_culprit(kind, cell, error, position, suggestion):
    with pytest.raises(error) as caught:
        parse(cell, "attr", kind)
    assert (caught.value.position, caught.value.suggestion) == (position, suggestion)
    if suggestion is not None:
        _assert_gets_past(caught.value, kind)


def test_the_message_is_a_sentence_with_the_character_and_the_fix():
    with pytest.raises(ConditionSyntaxError) as caught:
        parse("100...400", "nodes", "number")
    err = caught.value
    assert (err.text, err.message) == ("100...400", 'unexpected "."')
    assert str(err) == 'unexpected "." at character 6; a range has two dots: did you mean "100..400"?'


def test_a_missing_end_is_reported_at_the_end():
    with pytest.raises(ConditionSyntaxError) as caught:
        parse("[100..400", "nodes", "number")
    assert str(caught.value) == (
        'the range is not closed at the end; add "]" or ")": did you mean "[100..400]"?')


def test_a_type_error_names_the_attribute():
    with pytest.raises(ConditionTypeError) as caught:
        parse("< EU", "geo", "text")
    assert str(caught.value) == '"<" compares numbers or dates, but "geo" holds text at character 1'


def test_a_formula_is_told_apart_from_a_test():
    with pytest.raises(FormulaError) as caught:
        parse("=A1", "geo", "text")
    assert "a formula, not a test" in str(caught.value)
    assert 'without "="' in str(caught.value)


def test_positions_count_from_the_first_visible_character():
    with pytest.raises(ConditionTypeError) as caught:
        parse("   > abc  ", "nodes", "number")
    assert (caught.value.text, caught.value.position) == ("> abc", 2)


def test_an_error_survives_pickling_with_its_details():
    with pytest.raises(ConditionError) as caught:
        parse("ye", "canary", "bool")
    copy = pickle.loads(pickle.dumps(caught.value))
    assert (type(copy), copy.position, copy.suggestion, str(copy)) == (
        ConditionTypeError, 0, "yes", str(caught.value))


FRAGMENTS = ["not", "nto", " ", ",", "(", ")", "[", "]", "..", ".", "...", "<", "<=", ">", ">=",
             "=", "!", '"', "'", "\u201c", "\u2019", "400", "-5", "2.5", "2026-01-12", "2026-02-30",
             "EU", "yes", "no", "api", "4OO", "\u2264", "\u2026", "-", "\u00a0"]


@pytest.mark.parametrize("kind", ["text", "number", "date", "bool", "list", None])
def test_any_text_either_parses_or_raises_a_condition_error(kind):
    import random

    rng = random.Random(kind or "none")
    for _ in range(1500):
        cell = "".join(rng.choice(FRAGMENTS) for _ in range(rng.randint(1, 7)))
        try:
            condition = parse(cell, "attr", kind)
        except ConditionError as err:
            assert 0 <= err.position <= len(err.text), cell
            assert str(err)
            if err.suggestion is not None:
                _assert_gets_past(err, kind)
            continue
        if condition is not None:
            for value in ("EU", 400, "2026-01-12", True, None, ("api",)):
                assert condition.matches(value) in (True, False)


def _assert_gets_past(err, kind):
    """Following a suggestion fixes the problem reported: no error at or before it."""
    assert err.suggestion != err.text
    try:
        parse(err.suggestion, "attr", kind)
    except ConditionError as again:
        assert again.position > err.position, (err.text, err.suggestion, str(again))
