"""'Did you mean ...?' for names a planner mistyped."""
from __future__ import annotations

import difflib
from collections.abc import Iterable


def closest(word: str, choices: Iterable[str]) -> str | None:
    """The choice closest to ``word`` (case-insensitive), or None when none is close."""
    by_lower = {c.lower(): c for c in choices}
    found = difflib.get_close_matches(word.lower(), sorted(by_lower), n=1, cutoff=0.6)
    return by_lower[found[0]] if found else None


def did_you_mean(word: str, choices: Iterable[str]) -> str:
    """': did you mean "x"?' or '' — to append to a message."""
    match = closest(word, choices)
    return f': did you mean "{match}"?' if match else ""
