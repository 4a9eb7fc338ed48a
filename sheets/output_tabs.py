"""The Schedule, Violations and Summary tabs as rows of cells (header first), from a plan document.

Pure data, shared by the .xlsx writer and the Google Sheets writer. Dates are ``datetime.date``
and a window's start and end ``datetime.time`` in its region's zone, named in the ``timezone``
column (neither Excel nor Sheets keep time zones; each writer shows real date and time cells).
Everything else is text, numbers or None.
"""
from __future__ import annotations

import datetime as dt
from typing import Any

from rules.plan.text import optimiser_lines
from rules.scenarios.table import COLUMNS, cells

SCHEDULE = "Schedule"
VIOLATIONS = "Violations"
SUMMARY = "Summary"
OUTPUT_TABS = (SCHEDULE, VIOLATIONS, SUMMARY)
# Written only when scenarios were planned (plan --scenarios); named apart from the input tab
# Scenarios, which it must never replace.
SCENARIO_RESULTS = "Scenario results"
WRITTEN_TABS = (*OUTPUT_TABS, SCENARIO_RESULTS)  # every tab the planner may write

SCHEDULE_HEADER = ["date", "cluster", "status", "state", "batch", "batches", "nodes", "start",
                   "end", "timezone", "region", "geo", "tier", "rules", "retry_of",
                   "failed_nodes", "reason"]
# source: "rule" for a Rules row (its id under rule), else the built-in check that found it
# (daily_node_cap, deadline, unscheduled), so a rule's id never stands for a built-in one.
VIOLATIONS_HEADER = ["severity", "source", "rule", "cell", "cluster", "date", "message"]
SUMMARY_HEADER = ["item", "value"]
NO_VIOLATIONS = "no violations: the workbook is valid and the plan keeps every rule"
# The Summary tab's second table, one row a campaign day: what its chart draws. Then two columns
# (its peak and its cap) for each limit over its cap on some day, filled on those days only.
DAILY_HEADER = ["date", "peak nodes out", "cap", "clusters starting", "peak from", "peak until"]
# Its third, once states are reported: nodes done per date (hosts not back left out) against
# the nodes planned, and both summed from the first date.
BURN_DOWN_HEADER = ["date", "nodes planned", "nodes done", "planned to date", "done to date"]

Rows = list[list[Any]]


def _date(text: str | None) -> dt.date | None:
    return dt.date.fromisoformat(text) if text else None


def _local_time(text: str) -> dt.time:
    """The wall-clock time of an ISO instant in its own offset (a window's local start or end)."""
    return dt.datetime.fromisoformat(text).time()


def schedule_rows(doc: dict[str, Any]) -> Rows:
    """Every window by date (its local date, start and end times, and the zone they are in),
    then the clusters not scheduled and why."""
    rows: Rows = [list(SCHEDULE_HEADER)]
    for w in doc["windows"]:
        rows.append([_date(w["date"]), w["cluster"], "scheduled", w.get("state", "planned"),
                     w["batch"], w["batches"], w["nodes"], _local_time(w["start"]),
                     _local_time(w["end"]), w.get("timezone"), w["region"], w["geo"], w["tier"],
                     ", ".join(w["rules"]), w.get("retry_of"), w.get("failed_nodes", 0), None])
    for u in doc["unscheduled"]:
        rows.append([None, u["cluster"], "unscheduled", None, None, None, u.get("nodes"), None,
                     None, None, None, None, None, None, None, None, u["reason"]])
    for e in doc["excluded"]:
        rows.append([None, e["cluster"], "excluded", None, None, None, None, None, None, None,
                     None, None, None, ", ".join(e["rules"]), None, None, e["reason"]])
    return rows


def violation_rows(doc: dict[str, Any]) -> Rows:
    """Sheet errors first (nothing else is planned while there are any), then violations."""
    rows: Rows = [list(VIOLATIONS_HEADER)]
    for e in doc["errors"]:
        rows.append(["sheet error", None, None, e["cell"], None, None, e["message"]])
    for v in doc["violations"]:
        rows.append([v["severity"], v["source"], v["rule"], v["cell"], v["cluster"],
                     _date(v["date"]), v["message"]])
    if len(rows) == 1:
        rows.append([None] * (len(VIOLATIONS_HEADER) - 1) + [NO_VIOLATIONS])
    return rows


def summary_rows(doc: dict[str, Any]) -> Rows:
    """Key figures, a blank row, then the peak of nodes out per campaign day against the cap
    (DAILY_HEADER), with the limits over their cap on the days they are."""
    s = doc["summary"]
    if not s:
        return [list(SUMMARY_HEADER),
                ["sheet errors", len(doc["errors"])],
                ["plan", "none: fix the errors listed on the Violations tab"]]
    met = s["deadline_met"]
    rows: Rows = [
        list(SUMMARY_HEADER),
        ["first date", _date(s["first_date"])],
        ["last date", _date(s["last_date"])],
        ["days", s["days"]],
        ["peak nodes out", s["peak_nodes_out"]],
        ["peak date", _date(s["peak_date"])],
        ["peak from", _clock(s["peak_start"])],
        ["peak until", _clock(s["peak_end"])],
        ["time zone of days", s["timezone"]],
        ["daily node cap", s["daily_node_cap"]],
        ["nodes scheduled", s["nodes_scheduled"]],
        ["clusters scheduled", s["clusters_scheduled"]],
        ["windows", s["windows"]],
        ["excluded", s["excluded"]],
        ["unscheduled", s["unscheduled"]],
        ["errors", s["errors"]],
        ["warnings", s["warnings"]],
        ["deadline", _date(s["deadline"])],
        ["deadline met", "yes" if met else "NO: the plan misses the deadline"],
        *bound_rows(s["bound"]),
        *optimiser_rows(s.get("optimiser")),
        *[[f"spread {g['rule']} ({g['attribute']}): largest gap of cumulative share",
           g["largest_gap"]] for g in s["spread"]],
        [],
    ]
    over = sorted({_over_key(o) for d in s["daily"] for o in d["over"] if o["unit"] == "nodes"},
                  key=lambda k: (k[0] is not None, k[0] or k[1], k[2]))
    rows.append(list(DAILY_HEADER) + [
        f"{rule if rule is not None else f'Settings {source}'} {what} ({severity})"
        for rule, source, severity in over for what in ("peak", "cap")])
    for d in s["daily"]:
        mine = {_over_key(o): o for o in d["over"]}
        rows.append([_date(d["date"]), d["nodes_out"], d["cap"], d["clusters"],
                     _clock(d["peak_start"]), _clock(d["peak_end"])]
                    + [value for key in over for value in (
                        (mine[key]["amount"], mine[key]["cap"]) if key in mine else (None, None))])
    return rows + burn_down_rows(doc)


def burn_down_rows(doc: dict[str, Any]) -> Rows:
    """A blank row and the burn-down table, when any window has a reported state; else none."""
    windows = doc["windows"]
    if all(w.get("state", "planned") == "planned" for w in windows):
        return []
    planned: dict[str, int] = {}
    done: dict[str, int] = {}
    for w in windows:
        planned[w["date"]] = planned.get(w["date"], 0) + w["nodes"]
        if w.get("state") == "done":
            done[w["date"]] = done.get(w["date"], 0) + w["nodes"] - w.get("failed_nodes", 0)
    rows: Rows = [[], list(BURN_DOWN_HEADER)]
    planned_sum = done_sum = 0
    for day in sorted(planned):
        planned_sum += planned[day]
        done_sum += done.get(day, 0)
        rows.append([_date(day), planned[day], done.get(day, 0), planned_sum, done_sum])
    return rows


def bound_rows(bound: dict[str, Any]) -> Rows:
    """The lower bound's rows of the Summary tab."""
    possible = "yes" if bound["deadline_possible"] else "NO: no plan can meet the deadline"
    return [
        ["lower bound on the last date", _date(bound["finish"])],
        ["days after the bound", bound["gap_days"]],
        ["why the bound", bound["reason"]],
        ["could any plan meet the deadline", possible],
        ["clusters no plan can place", ", ".join(i["cluster"] for i in bound["impossible"])],
    ]


def optimiser_rows(optimiser: dict[str, Any] | None) -> Rows:
    """What the optimiser did and traded, worded as the printed summary says it."""
    lines = optimiser_lines(optimiser)
    return [[label, line.split(": ", 1)[1]]
            for label, line in zip(("optimiser", "optimiser traded"), lines)]


def scenario_rows(doc: dict[str, Any]) -> Rows:
    """The base plan and each scenario side by side (rules/scenarios/compare.py)."""
    rows: Rows = [list(COLUMNS)]
    for row in doc["scenarios"]:
        values = cells(row)
        values[1], values[3] = _date(values[1]), _date(values[3])
        if row["sheet_errors"]:  # the printed table lists them under it; here, on the row
            values[-1] += ": " + "; ".join(f"{e['cell']}: {e['message']}"
                                           for e in row["sheet_errors"])
        rows.append(values)
    return rows


def _over_key(over: dict) -> tuple:
    return over["rule"], over["source"], over["severity"]


def _clock(instant: str | None) -> str | None:
    """``19:00`` of an ISO instant already in the campaign's zone."""
    return instant[11:16] if instant else None


def output_tabs(doc: dict[str, Any]) -> dict[str, Rows]:
    """The three tabs, and Scenario results when the document has scenarios, in the order they
    are written."""
    tabs = {SCHEDULE: schedule_rows(doc), VIOLATIONS: violation_rows(doc),
            SUMMARY: summary_rows(doc)}
    if doc.get("scenarios"):
        tabs[SCENARIO_RESULTS] = scenario_rows(doc)
    return tabs
