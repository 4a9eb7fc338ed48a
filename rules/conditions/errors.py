"""Errors of the condition language: each knows the cell text, where in it the problem is, and a fix.

Modelled on zeroSteiner's rule-engine: a small hierarchy under one base class whose instances
carry their details as attributes, so callers (validation, the API) can point at the character
and offer the suggestion, while ``str(err)`` is a sentence a planner can act on.
"""
from __future__ import annotations


class ConditionError(Exception):
    """A condition cell that cannot be read.

    ``text`` is the cell text (leading and trailing blanks removed), ``position`` the 0-based index
    in it of the offending character (``len(text)`` when something is missing at the end),
    ``message`` what is wrong, ``hint`` how to fix it in words (or None) and ``suggestion`` the
    whole cell as it was probably meant (or None).
    """

    def __init__(self, message: str, text: str, position: int,
                 suggestion: str | None = None, hint: str | None = None):
        # All details go to Exception.args so that errors pickle and compare by content.
        super().__init__(message, text, position, suggestion, hint)
        self.message = message
        self.text = text
        self.position = position
        self.suggestion = suggestion
        self.hint = hint

    def __str__(self) -> str:
        where = "at the end" if self.position >= len(self.text) else f"at character {self.position + 1}"
        sentence = f"{self.message} {where}"
        if self.hint:
            sentence += f"; {self.hint}"
        if self.suggestion is not None:
            sentence += f': did you mean "{self.suggestion}"?'
        return sentence


class ConditionSyntaxError(ConditionError):
    """The cell is not a unary test at all: a stray character, an unclosed range or quote."""


class ConditionTypeError(ConditionError):
    """The cell is well formed but its values do not fit the attribute (``< EU``, ``> abc`` on nodes)."""


class FormulaError(ConditionError):
    """The cell holds a spreadsheet formula (it starts with ``=``) instead of a test."""
