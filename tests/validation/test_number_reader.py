"""One number reader for cells and conditions: 1,800 is 1800 wherever it is typed, and a comma
or a dot that could be read two ways gets a hint instead of a guess."""
import pytest

from rules.conditions import ConditionTypeError, parse
from rules.numbers import number_hint, read_number
from tests.workbooks import check, only_error, set_cell, valid_tabs

CAP = "Rules!C6"  # the value of the first-days cap_nodes rule
NODES = "Rules!M1"  # a free column on Rules: a condition on nodes when headed so


@pytest.mark.parametrize("typed, number", [
    ("1800", 1800), ("1,800", 1800), (" 1,800 ", 1800), ("1\u00a0800", 1800), ("1\u202f800", 1800),
    ("1 800", 1800), ("1,800,000", 1_800_000), ("6.5", 6.5), ("-3", -3), (".5", 0.5),
    ("9007199254740993", 9007199254740993),
])
def test_the_reader_reads_what_a_planner_types(typed, number):
    assert read_number(typed) == number
    assert type(read_number(typed)) is type(number)


@pytest.mark.parametrize("typed", ["1.800", "1.800.000", "1.800,5", "6,5", "1_000", "nan", "inf", "12O"])
def test_the_reader_refuses_what_it_would_have_to_guess(typed):
    assert read_number(typed) is None


@pytest.mark.parametrize("typed, hint", [
    ("1.800", '"1.800" could mean 1800 or 1.8: type 1800 (or 1,800) for 1,800, or 1.8'),
    ("1.800.000", "dots between groups of digits are not read: type 1800000 (or 1,800,000)"),
    ("1.800,5", "the dot and the comma read as European separators: type 1800.5"),
    ("6,5%", "a comma is not a decimal point: type 6.5"),
])
def test_european_separators_get_a_hint_saying_what_to_type(typed, hint):
    assert number_hint(typed) == hint


def test_1800_with_a_thousands_comma_is_the_same_cap_in_a_cell_and_in_a_condition():
    tabs = set_cell(valid_tabs(), CAP, "1,800")
    set_cell(tabs, NODES, "nodes")
    set_cell(tabs, "Rules!M6", "< 1,800")
    rule = check(tabs).workbook.rules[4]
    assert rule.value == 1800
    (attribute, condition), = [(a, c) for a, c in rule.conditions if a == "nodes"]
    assert condition.matches(1799) and not condition.matches(1800)


def test_a_thousands_comma_in_a_condition_is_one_number_and_a_comma_with_a_space_lists_two():
    assert parse("1,800", "nodes", "number").matches(1800)
    listed = parse("1, 800", "nodes", "number")
    assert listed.matches(1) and listed.matches(800) and not listed.matches(1800)
    ranged = parse("[1,000..2,000]", "nodes", "number")
    assert ranged.matches(1500) and not ranged.matches(2001)


def test_a_european_thousands_separator_in_a_cell_is_refused_with_the_hint():
    assert only_error(set_cell(valid_tabs(), "Settings!B4", "1.800")) == (
        "Settings!B4",
        'daily_node_cap must be a whole number ≥ 1, got "1.800": "1.800" could mean 1800 or 1.8: '
        "type 1800 (or 1,800) for 1,800, or 1.8",
    )


def test_a_decimal_comma_in_a_percent_cell_is_refused_with_the_hint():
    tabs = set_cell(valid_tabs(), "Rules!C8", "6,5%")
    assert only_error(tabs) == (
        "Rules!C8",
        "the value of a rolling rule must be a percentage above 0 and at most 100 (e.g. 6 for 6 %), "
        'got "6,5%": a comma is not a decimal point: type 6.5',
    )


def test_a_european_thousands_separator_in_a_condition_is_refused_with_the_hint():
    with pytest.raises(ConditionTypeError) as caught:
        parse("> 1.800", "nodes", "number")
    assert "could mean 1800 or 1.8" in str(caught.value)


def test_blanks_between_digits_in_a_condition_are_not_guessed():
    with pytest.raises(ConditionTypeError) as caught:
        parse("1 800", "nodes", "number")
    assert (caught.value.suggestion, caught.value.hint) == (
        "1, 800", "type 1800 for one number, or separate values with commas")
