"""Hypothesis strategies: random but valid planning workbooks, as the tabs a planner would type.

Everything goes through MemorySource and validate in the tests, so the whole road from cells to
the plan is exercised. The zones and start dates are picked so horizons cross DST changes
(north and south), and include far-east (+14) and far-west (-11) zones and a half-hour offset.
"""
from __future__ import annotations

import datetime as dt

from hypothesis import strategies as st

ZONES = (
    "UTC", "Europe/London", "Europe/Stockholm", "America/New_York", "America/Los_Angeles",
    "Australia/Sydney", "Pacific/Auckland", "Pacific/Kiritimati", "Pacific/Pago_Pago",
    "Asia/Kolkata", "Asia/Tokyo",
)
# Near the 2026 DST changes: EU/US spring (Mar 8 / Mar 29), AU/NZ autumn (Apr 5) and spring
# (Sep 27 / Oct 4), EU/US autumn (Oct 25 / Nov 1).
START_DATES = (dt.date(2026, 3, 2), dt.date(2026, 3, 24), dt.date(2026, 9, 22),
               dt.date(2026, 10, 20), dt.date(2026, 1, 5))
GEOS = ("EU", "US", "UK", "AU", "JP", "IN")
TEAMS = ("a", "b", "c")
SKUS = ("H100", "H200", "GB200", "A100")

# Condition columns of the Rules tab, and cell texts each may hold.
CONDITIONS = {
    "sku": ("H100", "not A100", "H100, H200", "GB200"),
    "workload": ("research", "applied"),
    "size": ("big", "small"),
    "geo": ("EU", "US", "not EU, UK", "AU, JP"),
    "team": ("a", "b, c", "not c"),
    "nodes": ("< 400", "100..800", ">= 50", "(10..300]"),
    "canary": ("yes", "no"),
    "rolling": ("yes",),
}
CAP_KINDS = ("cap_nodes", "cap_clusters", "cap_percent")
# Kinds a warning row may have: those the plan checks (the others shape the schedule).
CHECKED_KINDS = (*CAP_KINDS, "blackout", "between", "after")
KINDS = ("exclude", "priority", "spread", "rolling", *CHECKED_KINDS)


def _day(start: dt.date, offset: int) -> str:
    return (start + dt.timedelta(days=offset)).isoformat()


@st.composite
def regions(draw) -> list[list]:
    count = draw(st.integers(2, 6))
    rows = [["region", "geo", "importance", "timezone", "area"]]
    for i in range(count):
        tz = draw(st.sampled_from(ZONES + (None,)))  # blank: Settings timezone
        rows.append([f"r{i}", draw(st.sampled_from(GEOS)),
                     draw(st.sampled_from(("high", "normal", "low"))), tz,
                     draw(st.sampled_from(("US", "EU", "rest")))])
    return rows


@st.composite
def clusters(draw, region_names: list[str], start: dt.date, span: float) -> list[list]:
    count = draw(st.integers(2, 40))
    rows = [["cluster", "region", "sku", "nodes", "workload", "rolling", "canary",
             "duration_hours", "pinned_date", "status", "team"]]
    for i in range(count):
        nodes = draw(st.one_of(st.integers(1, 120), st.integers(300, 500), st.integers(500, 1500)))
        duration = draw(st.one_of(st.none(), st.sampled_from((1, 2.5, 4, span - 1, span))))
        pinned = draw(st.one_of(st.none(), st.none(), st.none(), st.none(),
                                st.integers(-3, 12).map(lambda o: _day(start, o))))
        rows.append([
            f"c{i:02d}", draw(st.sampled_from(region_names)), draw(st.sampled_from(SKUS)),
            nodes, draw(st.sampled_from(("research", "applied"))),
            draw(st.sampled_from(("yes", "no", None))), draw(st.sampled_from(("yes", None))),
            duration, pinned, draw(st.sampled_from((None, None, None, "planned", "done"))),
            draw(st.sampled_from(TEAMS)),
        ])
    return rows


@st.composite
def settings(draw) -> tuple[list[list], dt.date, float]:
    start = draw(st.sampled_from(START_DATES))
    opens = draw(st.sampled_from(("06:00", "09:00", "11:00", "13:30", "02:30")))
    span = draw(st.sampled_from((6, 8, 10)))
    hours, minutes = (int(p) for p in opens.split(":"))
    closes = f"{hours + span:02d}:{minutes:02d}"
    rows = [
        ["setting", "value", "note"],
        ["start_date", start.isoformat(), None],
        ["deadline", _day(start, draw(st.integers(5, 40))), None],
        ["daily_node_cap", draw(st.integers(300, 5000)), None],
        ["window_start", opens, None],
        ["window_end", closes, None],
        ["default_duration_hours", draw(st.sampled_from((2, 4, span))), None],
        ["big_cluster_nodes", 400, None],
        ["work_weekends", draw(st.sampled_from(("yes", "no"))), None],
        ["soak_days", draw(st.integers(0, 2)), None],
        ["timezone", draw(st.sampled_from(ZONES)), None],
    ]
    return rows, start, span


@st.composite
def rule_rows(draw, start: dt.date) -> list[list]:
    columns = list(CONDITIONS)
    header = ["rule", "kind", "value", "from", "to", "severity", "enabled", "note", *columns]
    rows: list[list] = [header]
    kinds = draw(st.lists(st.sampled_from(KINDS), min_size=2, max_size=14))
    for i, kind in enumerate(kinds):
        severity = "error" if draw(st.booleans()) else None  # blank is error
        if kind in CHECKED_KINDS and draw(st.booleans()):
            severity = "warning"
        enabled = "no" if draw(st.integers(0, 4)) == 0 else draw(st.sampled_from((None, "yes")))
        value, first, last = None, None, None
        if kind == "priority":
            value = draw(st.integers(0, 3))
        elif kind == "spread":
            value = draw(st.sampled_from(("geo", "team", "area")))
        elif kind == "cap_nodes":
            value = draw(st.integers(0, 3000))
        elif kind == "cap_clusters":
            value = draw(st.integers(0, 5))
        elif kind in ("cap_percent", "rolling"):
            value = draw(st.sampled_from((5, 12.5, 25, 40, 100)))
        elif kind == "after":
            # Earlier error rows only: no circles, and removing warning rows keeps it valid.
            # Mostly canaries first: waiting for a rule that also matches the waiting clusters
            # makes them wait for each other (they are unscheduled, which is tested too).
            targets = [r for r in rows[1:] if r[5] in ("error", None)
                       and (enabled == "no" or r[6] != "no")]
            canaries = [r for r in targets if r[header.index("canary")] == "yes"]
            if not targets:
                continue
            value = draw(st.sampled_from(canaries or targets))[0]
        if kind in (*CAP_KINDS, "blackout", "between"):
            first = draw(st.one_of(st.none(), st.integers(-2, 20).map(lambda o: _day(start, o))))
            last = draw(st.one_of(st.none(), st.integers(0, 25).map(lambda o: _day(start, o))))
            if kind in ("blackout", "between") and first is None and last is None:
                first = _day(start, draw(st.integers(0, 10)))
            if kind == "blackout" and first and not last and draw(st.booleans()):
                last = _day(dt.date.fromisoformat(first), draw(st.integers(0, 4)))
            if first and last and first > last:
                first, last = last, first
        used = draw(st.lists(st.sampled_from(columns), max_size=2, unique=True))
        cells = [draw(st.sampled_from(CONDITIONS[c])) if c in used else None for c in columns]
        if kind == "after":
            cells[columns.index("canary")] = "no"
        rows.append([f"R{i}", kind, value, first, last, severity, enabled, None, *cells])
    return rows


@st.composite
def workbooks(draw) -> dict[str, list[list]]:
    """The tabs of a valid workbook (the tests check it validates)."""
    region_rows = draw(regions())
    settings_rows, start, span = draw(settings())
    names = [row[0] for row in region_rows[1:]]
    return {
        "Clusters": draw(clusters(names, start, span)),
        "Regions": region_rows,
        "Settings": settings_rows,
        "Rules": draw(rule_rows(start)),
    }
