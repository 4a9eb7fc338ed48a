"""Plans side by side: the base workbook and each scenario of its Scenarios tab, with the figures
a planner negotiates with (finish, days, bound, peak, deadline, unscheduled, errors, warnings)
and each scenario's difference from the base."""
from __future__ import annotations

import datetime as dt
from typing import Any

from rules.model import RawWorkbook, SheetError, Validated
from rules.plan.document import Document
from rules.plan.make import plan_document
from rules.progress import Progress
from rules.scenarios.apply import apply
from rules.scenarios.tab import check_scenarios
from rules.scenarios.table import BASE, DIFFERENCES
from rules.validation.workbook import error_order, validate



def plan_with_scenarios(raw: RawWorkbook, validated: Validated | None = None,
                        progress: Progress | None = None,
                        optimise: float | None = None) -> dict[str, Any]:
    """The plan document of ``raw``, with ``scenarios`` (the comparison) when it has a
    Scenarios tab; a Scenarios tab with errors makes them the document's errors. ``optimise``
    is the optimiser's budget and ``progress`` what has happened, for every plan
    (rules/plan/make.py make_plan)."""
    validated = validated or validate(raw)
    doc = plan_document(validated, progress, optimise)
    if not validated.ok:
        return doc
    errors: list[SheetError] = []
    scenarios = check_scenarios(raw, validated.workbook, errors)
    if errors:
        return Document(errors=tuple(sorted(set(errors), key=error_order))).as_json()
    if scenarios:
        rows = [figures(BASE, doc)]
        for scenario in scenarios:
            changed = validate(apply(raw, validated.workbook, scenario))
            rows.append(figures(scenario.name, plan_document(changed, progress, optimise), doc,
                                [SheetError(scenario.cell, f"scenario {scenario.name}: "
                                 f"{e.cell}: {e.message}") for e in changed.errors]))
        doc["scenarios"] = rows
    return doc


def figures(name: str, doc: dict[str, Any], base: dict[str, Any] | None = None,
            errors: list[SheetError] = ()) -> dict[str, Any]:
    """One row of the comparison: the plan's figures, and how they differ from ``base``."""
    s = doc["summary"]
    if not s:
        return {"scenario": name, "sheet_errors": [e.to_dict() for e in errors]}
    bound = s["bound"]
    row = {
        "scenario": name, "finish": s["last_date"], "days": s["days"],
        "bound": bound["finish"], "gap_days": bound["gap_days"],
        "peak_nodes_out": s["peak_nodes_out"], "deadline_met": s["deadline_met"],
        "deadline_possible": bound["deadline_possible"], "unscheduled": s["unscheduled"],
        "errors": s["errors"], "warnings": s["warnings"], "sheet_errors": [],
    }
    if base is not None and base["summary"]:
        row["vs_base"] = _difference(row, figures(BASE, base))
    return row


def _difference(row: dict[str, Any], base: dict[str, Any]) -> dict[str, Any]:
    found = {field: row[field] - base[field] for field, _ in DIFFERENCES}
    if row["finish"] and base["finish"]:
        found["finish_days"] = (dt.date.fromisoformat(row["finish"])
                                - dt.date.fromisoformat(base["finish"])).days
    return found
