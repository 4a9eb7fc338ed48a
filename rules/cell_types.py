"""The value types of the workbook's cells: each reads as the end of "<name> must be ...", in
messages and in the docs (rules/contract.py declares which cell holds which)."""
from __future__ import annotations

TEXT = "text"
NOTE = "note"
LIST = "list"
YESNO = "yes/no"
DATE = "date"
TIME = "time"
TIMEZONE = "timezone"
CHOICE = "choice"
WHOLE = "whole"
WHOLE_POSITIVE = "whole>=1"
WHOLE_NONNEGATIVE = "whole>=0"
POSITIVE = "number>0"
PERCENT = "percent"
ATTRIBUTE = "attribute"
RULE_ID = "rule id"
NOTHING = "nothing"
CONDITION = "condition"

TYPE_PHRASES = {
    TEXT: "text",
    NOTE: "text",
    LIST: "a comma-separated list (e.g. api, chat)",
    YESNO: "yes or no",
    DATE: "a date (e.g. 2026-01-05)",
    TIME: "a time of day as HH:MM (e.g. 11:00)",
    TIMEZONE: "an IANA time zone name (e.g. Europe/Stockholm)",
    CHOICE: "one of the listed values",
    WHOLE: "a whole number",
    WHOLE_POSITIVE: "a whole number ≥ 1",
    WHOLE_NONNEGATIVE: "a whole number ≥ 0",
    POSITIVE: "a number > 0",
    PERCENT: "a percentage above 0 and at most 100 (e.g. 6 for 6 %)",
    ATTRIBUTE: "the name of a cluster attribute (e.g. area)",
    RULE_ID: "the id of another rule",
    NOTHING: "blank",
    CONDITION: "a condition (see the condition forms)",
}


def describe(type_: str, example: str = "") -> str:
    """The type's phrase, with ``example`` in place of its generic one."""
    phrase = TYPE_PHRASES[type_]
    return f"{phrase.split(' (e.g.')[0]} (e.g. {example})" if example else phrase


YES_WORDS = ("yes", "y", "true", "1")
NO_WORDS = ("no", "n", "false", "0")
YES_NO = ("yes", "no")
