"""The comparison of rules/scenarios/compare.py for people: a text table and the cells of the
Scenario results tab. Plain data in, so showing it loads no planning code."""
from __future__ import annotations

from typing import Any

BASE = "base"
# Figures compared with the base, as (field, how the difference reads).
DIFFERENCES = (("days", "days"), ("peak_nodes_out", "peak nodes out"),
               ("unscheduled", "unscheduled"), ("errors", "errors"), ("warnings", "warnings"))


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
