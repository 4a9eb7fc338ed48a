"""docs/sheet-format.md and the contract cannot drift: the doc names everything the contract has."""
from pathlib import Path

import pytest

from rules import contract as c

DOC = (Path(__file__).resolve().parents[2] / "docs" / "sheet-format.md").read_text(encoding="utf-8")

NAMES = (
    [("tab", t.name) for t in c.TABS]
    + [(f"{t.name} column", col.name) for t in c.TABS for col in t.columns]
    + [(f"{t.name} choice", choice) for t in c.TABS for col in t.columns for choice in col.choices]
    + [("setting", s.name) for s in c.SETTINGS_LIST]
    + [("kind", k.name) for k in c.KINDS]
    + [("severity", s) for s in c.SEVERITIES]
    + [("tab", c.SCENARIOS.name)]
    + [(f"{c.SCENARIOS.name} column", col.name) for col in c.SCENARIOS.columns]
    + [("change", name) for name in c.CHANGE_NAMES]
)


@pytest.mark.parametrize("what, name", NAMES, ids=[f"{w}:{n}" for w, n in NAMES])
def test_the_sheet_format_doc_names_every_part_of_the_contract(what, name):
    assert f"`{name}`" in DOC or f"**{name}**" in DOC, f"docs/sheet-format.md does not mention {what} {name}"


def test_every_kind_has_a_row_in_the_kinds_table():
    for kind in c.KINDS:
        assert f"| `{kind.name}` |" in DOC


def test_every_setting_has_a_row_in_the_settings_table():
    for setting in c.SETTINGS_LIST:
        assert f"| `{setting.name}` | {'yes' if setting.required else 'no'} |" in DOC


def _condition_examples():
    table = DOC.split("### Condition cells", 1)[1].split("A cell starting", 1)[0]
    rows = [line.split("|")[1] for line in table.splitlines() if line.startswith("| ")][1:]
    return [snippet for row in rows for snippet in row.split("`")[1::2] if snippet not in ("-", "api")]


@pytest.mark.parametrize("cell", _condition_examples())
def test_every_condition_example_in_the_doc_parses(cell):
    from rules.conditions import ConditionError, parse

    accepted = []
    for kind in ("text", "number", "date", "bool", "list"):
        try:
            accepted.append(parse(cell, "x", kind) is not None)
        except ConditionError:
            pass
    assert any(accepted), f"no attribute kind accepts the documented condition {cell!r}"
