"""The one reader of numbers typed as text, for cells and for conditions alike.

``1,800``, ``1 800`` (a space, a non-breaking or a thin space) and ``1800`` are all 1800, wherever
they are typed. A comma or a dot that could be read two ways is not guessed: ``6,5`` (a decimal
comma), ``1.800`` and ``1.800,5`` (European thousands separators) are refused, and
``number_hint`` says what to type instead. Whole numbers stay ``int`` so that no value changes on
the way in (a float holds integers exactly only up to 2**53).
"""
from __future__ import annotations

import math
import re

# Characters a sheet or a word processor may put between groups of three digits.
_GROUP_SPACES = " \u00a0\u202f\u2009"
_GROUPED = re.compile(r"([+-]?)(\d{1,3}(?:,\d{3})+|\d{1,3}(?:[ \u00a0\u202f\u2009]\d{3})+)(\.\d+)?")
_PLAIN = re.compile(r"[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d{1,3})?")
_WHOLE = re.compile(r"[+-]?\d+")
_EUROPEAN_GROUPS = re.compile(r"[+-]?[1-9]\d{0,2}(?:\.\d{3})+(?:,\d+)?")
_DECIMAL_COMMA = re.compile(r"[+-]?\d+,\d+")
# Longer text is not a number (and Python's int() refuses over 4,300 digits).
_MAX_LENGTH = 1000


def read_number(text: str) -> int | float | None:
    """The number ``text`` holds, or None: ``int`` when it is whole as typed, else a finite float.

    Surrounding blanks are ignored; groups of three digits may be separated by commas or spaces
    (``1,800``, ``1 800``); ``1.800`` and ``6,5`` are None (see ``number_hint``).
    """
    raw = text.strip(" \t\r\n" + _GROUP_SPACES)
    if len(raw) > _MAX_LENGTH:
        return None
    grouped = _GROUPED.fullmatch(raw)
    if grouped:
        sign, digits, fraction = grouped.groups()
        raw = sign + re.sub(r"[, \u00a0\u202f\u2009]", "", digits) + (fraction or "")
    if _EUROPEAN_GROUPS.fullmatch(raw) or not _PLAIN.fullmatch(raw):
        return None
    if _WHOLE.fullmatch(raw):
        return int(raw)
    number = float(raw)
    return number if math.isfinite(number) else None


def number_hint(text: str) -> str | None:
    """What to type instead, when ``text`` looks like a number written with European separators."""
    raw = text.strip(" \t\r\n" + _GROUP_SPACES).rstrip("%").strip()
    if _EUROPEAN_GROUPS.fullmatch(raw):
        whole, _, decimals = raw.partition(",")
        meant = whole.replace(".", "")
        if decimals:
            return f"the dot and the comma read as European separators: type {meant}.{decimals}"
        if whole.count(".") == 1:
            return (f'"{raw}" could mean {meant} or {float(raw):g}: type {meant} (or '
                    f"{int(meant):,}) for {int(meant):,}, or {float(raw):g}")
        return f"dots between groups of digits are not read: type {meant} (or {int(meant):,})"
    if _DECIMAL_COMMA.fullmatch(raw):
        return f"a comma is not a decimal point: type {raw.replace(',', '.')}"
    return None
