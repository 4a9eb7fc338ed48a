"""What a plan document's violations weigh: an error blocks publishing, a warning is only shown.

One place for the split, so publishing, the live sheet's counts and the draft agree.
"""
from __future__ import annotations

from rules.contract import DEFAULT_SEVERITY

ERROR = DEFAULT_SEVERITY  # a rule without a severity blocks; the other severity only warns


def error_violations(document: dict) -> list[dict]:
    return [v for v in document.get("violations") or [] if v.get("severity") == ERROR]


def warnings(document: dict) -> list[dict]:
    return [v for v in document.get("violations") or [] if v.get("severity") != ERROR]
