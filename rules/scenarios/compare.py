"""Plans side by side: the base workbook and each scenario of its Scenarios tab, with the figures
a planner negotiates with (finish, days, bound, peak, deadline, unscheduled, errors, warnings)
and each scenario's difference from the base."""
from __future__ import annotations

import datetime as dt
from typing import Any

from rules.model import RawWorkbook, SheetError, Validated
from rules.plan.make import empty_document, plan_document
from rules.scenarios.apply import apply
from rules.scenarios.tab import check_scenarios
from rules.validation.workbook import error_order, validate

BASE = "base"
# Figures compared with the base, as (field, how the difference reads).
DIFFERENCES = (("days", "days"), ("peak_nodes_out", "peak nodes out"),
               ("unscheduled", "unscheduled"), ("errors", "errors"), ("warnings", "warnings"))


def plan_with_scenarios(raw: RawWorkbook, validated: Validated | None = None) -> dict[str, Any]:
    """The plan document of ``raw``, with ``scenarios`` (the comparison) when it has a
    Scenarios tab; a Scenarios tab with errors makes them the document's errors."""
    validated = validated or validate(raw)
    doc = plan_document(validated)
    if not validated.ok:
        return doc
    errors: list[SheetError] = []
    scenarios = check_scenarios(raw, validated.workbook, errors)
    if errors:
        return empty_document(sorted(set(errors), key=error_order))
    if scenarios:
        rows = [figures(BASE, doc)]
        for scenario in scenarios:
            changed = validate(apply(raw, validated.workbook, scenario))
            rows.append(figures(scenario.name, plan_document(changed), doc,
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


def difference_text(row: dict[str, Any]) -> str:
    """``vs_base`` for people: ``finish -3 days, unscheduled -2`` or ``same``."""
    diff = row.get("vs_base")
    if diff is None:
        return "" if row["scenario"] == BASE else "no plan"
    parts = [f"finish {diff['finish_days']:+d} days"] if diff.get("finish_days") else []
    parts += [f"{label} {diff[field]:+,}" for field, label in DIFFERENCES
              if field != "days" and diff[field]]
    return ", ".join(parts) or "same"


COLUMNS = ("scenario", "finish", "days", "bound", "peak", "deadline met", "unscheduled",
           "errors", "warnings", "vs base")


def cells(row: dict[str, Any]) -> list[Any]:
    """One comparison row as the values under COLUMNS (None where the scenario has no plan)."""
    if "finish" not in row:
        return [row["scenario"], *([None] * (len(COLUMNS) - 2)), difference_text(row)]
    met = "yes" if row["deadline_met"] else ("no" if row["deadline_possible"] else "no: no plan can")
    return [row["scenario"], row["finish"], row["days"], row["bound"], row["peak_nodes_out"], met,
            row["unscheduled"], row["errors"], row["warnings"], difference_text(row)]


def table_lines(rows: list[dict[str, Any]]) -> list[str]:
    """The comparison as an aligned text table, header first; then each scenario's sheet errors."""
    shown = [list(COLUMNS)] + [["" if v is None else f"{v:,}" if isinstance(v, int)
                                and not isinstance(v, bool) else str(v) for v in cells(r)]
                               for r in rows]
    widths = [max(len(line[i]) for line in shown) for i in range(len(COLUMNS))]
    lines = ["  ".join(v.ljust(w) for v, w in zip(line, widths)).rstrip() for line in shown]
    for row in rows:
        lines += [f"  {e['cell']}: {e['message']}" for e in row["sheet_errors"]]
    return lines
