"""The condition language refuses what has no meaning, and reads characters that sheets and word
processors substitute while typing as what was typed, in conditions and in cells alike."""
import pytest

from rules.conditions import ConditionSyntaxError, parse
from tests.workbooks import check, only_error, set_cell, valid_tabs


@pytest.mark.parametrize("cell", ["not -", "not(-)", "not (-)", "not \u2013", "EU, -", "not EU, -"])
def test_a_dash_inside_a_test_is_refused_rather_than_matching_everything(cell):
    with pytest.raises(ConditionSyntaxError) as caught:
        parse(cell, "geo", "text")
    assert caught.value.message == '"-" stands for any value only when it is the whole cell'
    assert caught.value.hint == "clear the cell to match every cluster"


@pytest.mark.parametrize("cell", ["*", "not ?", "EU, ..."[:5] + "/", "#"])
def test_a_bare_value_of_punctuation_alone_is_refused_unless_quoted(cell):
    with pytest.raises(ConditionSyntaxError) as caught:
        parse(cell, "geo", "text")
    assert "has no letter or digit" in caught.value.message
    quoted = parse(f'"{cell.removeprefix("not ").split(", ")[-1]}"', "geo", "text")
    assert quoted is not None


def test_an_exclude_row_with_not_dash_is_an_error_at_its_cell_not_an_empty_fleet():
    tabs = set_cell(valid_tabs(), "Rules!I2", "not -")
    cell, message = only_error(tabs)
    assert cell == "Rules!I2" and message.startswith('"-" stands for any value only')


@pytest.mark.parametrize("typed, meant, kind", [
    ("\u2013", "-", "text"), ("\u2014", "-", "text"), ("\u2212", "-", "text"),
    ("not H100,\u00a0H200", "not H100, H200", "text"),
    ("\u2212400..\u2212100", "-400..-100", "number"),
    ("\u201cEU\u201d", '"EU"', "text"),
])
def test_a_substituted_character_means_what_was_typed(typed, meant, kind):
    got, expected = parse(typed, "attr", kind), parse(meant, "attr", kind)
    assert (got and got.test) == (expected and expected.test)


def test_a_name_with_a_substituted_dash_is_the_same_name_in_a_cell_and_in_a_condition():
    tabs = set_cell(valid_tabs(), "Clusters!A3", "eus\u2013big")
    set_cell(tabs, "Rules!M1", "cluster")
    set_cell(tabs, "Rules!M2", "eus-big")
    excluded = check(tabs).workbook
    assert excluded.clusters[1].name == "eus-big"
