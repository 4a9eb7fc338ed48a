"""Identifiers and values hold no control characters: a line break in a cluster name, a region,
a rule id, a list or an attribute is refused at its cell (it would break every line-based output);
notes may hold anything."""
import pytest

from tests.workbooks import check, only_error, set_cell, valid_tabs


@pytest.mark.parametrize("ref, name, typed", [
    ("Clusters!A2", "cluster", "swc-canary\nBEGIN:VEVENT"),
    ("Clusters!C2", "sku", "H100\r"),
    ("Clusters!F2", "services", "chat,\tapi"),
    ("Clusters!L2", "owner_team", "team\x00a"),
    ("Regions!B2", "geo", "E\u2028U"),
    ("Rules!A4", "rule", "small\x1bresearch"),
])
def test_a_control_character_is_refused_at_its_cell_with_its_code_and_position(ref, name, typed):
    cell, message = only_error(set_cell(valid_tabs(), ref, typed))
    code = next(ch for ch in typed if ord(ch) < 32 or ch == "\u2028")
    assert cell == ref
    assert message.startswith(f"{name} holds the control character U+{ord(code):04X}")
    assert message.endswith(f"at position {typed.index(code) + 1}: retype it on one line")


def test_a_note_may_hold_line_breaks():
    tabs = set_cell(valid_tabs(), "Rules!H2", "first line\nsecond line")
    assert check(tabs).ok
