"""A plan document in a few lines for people: what `flask plan` prints."""
from __future__ import annotations

import datetime as dt
from typing import Any

from rules.plan.severity import error_violations, warnings

MAX_LISTED = 10  # violations of each severity and unscheduled clusters printed before "... and N more"


def _n(number: int) -> str:
    return f"{number:,}"


def _count(number: int, noun: str) -> str:
    return f"{number:,} {noun}" + ("" if number == 1 else "s")


def _found_by(violation: dict[str, Any]) -> str:
    """``cap-first-week``, ``daily_node_cap``, or ``unscheduled (cap-first-week)``."""
    rule, source = violation["rule"], violation["source"]
    if source == "rule":
        return rule
    return f"{source} ({rule})" if rule else source


def summary_lines(doc: dict[str, Any]) -> list[str]:
    s = doc["summary"]
    if not s:
        return [f"{_count(len(doc['errors']), 'sheet error')}: no plan"]
    if s["first_date"] is None:
        lines = ["no windows: nothing was scheduled"]
    else:
        peak_cap = next(d["cap"] for d in s["daily"] if d["date"] == s["peak_date"])
        lines = [
            f"plan: {s['first_date']} to {s['last_date']} ({s['days']} days)",
            f"peak: {_n(s['peak_nodes_out'])} nodes out on {s['peak_date']} from "
            f"{s['peak_start'][11:16]} to {s['peak_end'][11:16]} {s['timezone']} "
            f"(cap then {_n(peak_cap)}; daily_node_cap {_n(s['daily_node_cap'])})",
        ]
    lines += bound_lines(s)
    if doc.get("as_of"):
        at = doc["as_of"]
        lines.append(f"as of {at['now']}: nothing new or moved starts before {at['frozen_until']} "
                     f"(freeze_hours {at['freeze_hours']}); published windows placed again: "
                     f"{len(doc.get('replanned', []))}")
    lines += optimiser_lines(s.get("optimiser"))
    for g in s["spread"]:
        lines.append(f"spread: {g['rule']} over {g['attribute']}: largest gap of cumulative share "
                     f"{g['largest_gap']:.2f} on {g['date']}")
    lines.append(
        f"windows: {_n(s['windows'])} for {_count(s['clusters_scheduled'], 'cluster')} "
        f"({_n(s['nodes_scheduled'])} nodes); excluded: {s['excluded']}; "
        f"unscheduled: {s['unscheduled']}")
    lines.append(f"violations: {_count(s['errors'], 'error')}, {_count(s['warnings'], 'warning')}")
    lines += _listed(error_violations(doc), "error") + _listed(warnings(doc), "warning")
    for u in doc["unscheduled"][:MAX_LISTED]:
        lines.append(f"  unscheduled {u['cluster']}: {u['reason']}")
    if len(doc["unscheduled"]) > MAX_LISTED:
        lines.append(f"  ... and {len(doc['unscheduled']) - MAX_LISTED} more unscheduled")
    if s["deadline_met"]:
        lines.append(f"deadline {s['deadline']}: met")
    else:
        late = s["last_date"] is not None and s["last_date"] > s["deadline"]
        why = [f"the plan ends {s['last_date']}"] if late else []
        if s["unscheduled"]:
            why.append(f"{_count(s['unscheduled'], 'cluster')} cannot be scheduled")
        lines.append(f"DEADLINE MISSED ({s['deadline']}): {' and '.join(why)}; "
                     + _any_plan(s["bound"]))
    return lines


def optimiser_lines(o: dict[str, Any] | None) -> list[str]:
    """What the optimiser did and what it traded for the finish."""
    if o is None:
        return []
    head = f"optimiser: objective finish, {o['seconds']:g} s"
    if o["used"]:
        gained = (dt.date.fromisoformat(o["greedy_last"])
                  - dt.date.fromisoformat(o["optimised_last"])).days
        return [f"{head}: ends {o['optimised_last']}, {_count(gained, 'day')} before the greedy "
                f"plan ({o['status']}, {o['modelled']} clusters modelled)",
                f"  traded: {_count(o['out_of_order'], 'cluster')} out of priority order, by up "
                f"to {_count(o['out_of_order_days'], 'day')} (greedy plan: "
                f"{o['greedy_out_of_order']}, up to {_count(o['greedy_out_of_order_days'], 'day')})"
                + _spread_traded(o)]
    return [f"{head}: kept the greedy plan ({o['status']})"]


def _spread_traded(o: dict[str, Any]) -> str:
    if o.get("spread_gap") is None:
        return ""
    return (f"; largest spread gap {o['spread_gap']:.2f} (greedy plan: "
            f"{o['greedy_spread_gap']:.2f})")


def _listed(violations: list[dict[str, Any]], severity: str) -> list[str]:
    lines = [f"  {severity} {v['cell']} {_found_by(v)}: {v['message']}" for v in violations[:MAX_LISTED]]
    if len(violations) > MAX_LISTED:
        lines.append(f"  ... and {_count(len(violations) - MAX_LISTED, 'more ' + severity)}")
    return lines


def bound_lines(s: dict[str, Any]) -> list[str]:
    """The lower bound, the plan's gap to it, and why; the clusters no plan can place."""
    bound = s["bound"]
    lines = []
    if bound["finish"] is not None:
        gap = bound["gap_days"]
        this = "" if gap is None else f"; this plan ends {_count(gap, 'day')} after it"
        lines += [f"bound: no plan can end before {bound['finish']}{this}",
                  f"  because {bound['reason']}"]
    if bound["impossible"]:
        names = [i["cluster"] for i in bound["impossible"]]
        more = f" and {len(names) - MAX_LISTED} more" if len(names) > MAX_LISTED else ""
        lines.append(f"no plan can place: {', '.join(names[:MAX_LISTED])}{more}")
    return lines


def _any_plan(bound: dict[str, Any]) -> str:
    """Whether renegotiating is the only way, and to which date at least."""
    if bound["deadline_possible"]:
        return (f"a plan that meets it is not ruled out (none can end before {bound['finish']}): "
                "try plan --optimise, or change the rules")
    if bound["impossible"]:
        return "no plan can meet it: some clusters can be placed by no plan; change their rules"
    return (f"no plan can meet it: none can end before {bound['finish']}; renegotiate to "
            f"{bound['finish']} or later, or change the rules")
