"""The evaluators of the rule rows, and the one plans are made with: the one place it is chosen.

An evaluator decides which clusters each row matches (``Matches``) and what a proposed schedule
breaks (``Found``); rules/engine/classify.py and rules/engine/facts.py turn both into the
Classification and the worded Violations, the same for every evaluator. durable_rules
(rules/engine/durable/) makes the plans; the plain-Python twin (rules/engine/plain.py) is
compared with it in tests and used where a test wants no engine.
"""
from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

from rules.engine import plain
from rules.engine.classification import Classification, LoadFact
from rules.engine.classify import Matches, attributes_of, classification_of, enabled_rules
from rules.engine.facts import Found, ScheduleFacts, describe, violations
from rules.model import Rule, Workbook
from rules.plan.document import Unscheduled, Violation, Window


@dataclass(frozen=True)
class Evaluator:
    name: str
    matches: Callable[[list[Rule], dict[str, dict[str, Any]]], Matches]
    found: Callable[[ScheduleFacts], Found]

    def classify(self, workbook: Workbook) -> Classification:
        """What the enabled rows make of each cluster."""
        rules = enabled_rules(workbook)
        attributes = attributes_of(workbook)
        return classification_of(rules, attributes, self.matches(rules, attributes))

    def violations(self, workbook: Workbook, classification: Classification,
                   loads: Iterable[LoadFact], windows: Iterable[Window],
                   unscheduled: Iterable[Unscheduled],
                   earliest: dt.date | None = None) -> list[Violation]:
        """Every rule the proposed schedule breaks, sorted, worded for planners; ``earliest``:
        the lower bound on any plan's last date, when known (the missed deadline's advice)."""
        schedule = describe(workbook, classification, loads, windows, unscheduled, earliest)
        return violations(schedule, self.found(schedule))


PLAIN = Evaluator("plain", plain.matches, plain.found)


def durable_rules() -> Evaluator:
    """The rows compiled into durable_rules rulesets (its C engine is loaded on the first call)."""
    from rules.engine.durable import check, classify

    return Evaluator("durable_rules", classify.matches, check.found)


def for_plans() -> Evaluator:
    """The evaluator plans are made with."""
    return durable_rules()
