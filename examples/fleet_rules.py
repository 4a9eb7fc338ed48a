"""The planner's decisions for the example campaign: the Settings and Rules tabs, with notes.

Every note says, in a planner's words, why the row is there and which line of CAMPAIGN.md
it comes from, so the workbook explains itself when opened.
"""
from __future__ import annotations

import datetime as dt

D = dt.date

SETTINGS = [
    ("start_date", D(2026, 12, 7), "Monday 7 December: the canary goes first (CAMPAIGN, Order 1)."),
    ("deadline", D(2027, 1, 18), "Target: done around 18 January; later means renegotiating (Limits)."),
    ("daily_node_cap", 1800, "At most 1,800 nodes out on any date: below the ~3% of the raw fleet (about 71,000 nodes) that production tolerates (Limits)."),
    ("window_start", dt.time(11, 0), "The provider's staffed hours start at 11:00 local time."),
    ("window_end", dt.time(20, 0), "Staffed hours end at 20:00: every window must be over by then."),
    ("default_duration_hours", 6, "One cluster takes 4 to 8 hours; 6 unless the cluster row says otherwise."),
    ("big_cluster_nodes", 400, "A cluster of more than 400 nodes is big (What happens)."),
    ("work_weekends", "yes", "The provider staffs weekends, so weekends count."),
    ("soak_days", 1, "The canary soaks one day before anything else starts (Order 1)."),
    ("timezone", "UTC", "Used for any region whose timezone is left blank."),
    ("freeze_hours", 48, "Windows of the next two days are frozen: the provider and the workload "
     "scheduler have prepared them."),
]

CONDITIONS = [
    "canary", "sku", "size", "workload", "rolling", "geo", "area", "importance", "services",
    "owner_team",
]
RULE_HEADER = ["rule", "kind", "value", "from", "to", "severity", "enabled", *CONDITIONS, "note"]

RULES = [
    dict(rule="out-of-scope-sku", kind="exclude", sku="not H100, H200, GB200",
         note="Only H100, H200 and GB200 hosts get the firmware; A100, MI300X and other SKUs are out of scope (What happens)."),
    # Tiers, top to bottom: the first matching row sets a cluster's tier (Order 1, 2 and 4).
    dict(rule="canary-first", kind="priority", value=1, canary="yes",
         note="Canary first: the very small Sweden Central cluster, before anything else (Order 1)."),
    dict(rule="strategy-b-chat-api-last", kind="priority", value=9, services="chat, api", enabled="no",
         note="The strategy considered: every host not running chat or API first, chat and API last. Set enabled to yes to compare plans (Order)."),
    dict(rule="small-research", kind="priority", value=2, size="small", workload="research",
         note="Small clusters first; within them research before applied (Order 2)."),
    dict(rule="small-applied", kind="priority", value=3, size="small", workload="applied",
         note="Then small applied (production) clusters (Order 2)."),
    dict(rule="big-research", kind="priority", value=4, size="big", workload="research",
         note="Then big clusters, research first (Order 4)."),
    dict(rule="big-applied", kind="priority", value=5, size="big", workload="applied",
         note="Big applied clusters come last (Order 4)."),
    dict(rule="spread-applied", kind="spread", value="area", workload="applied",
         note="Spread applied outages evenly over EU, US and the rest rather than one geography in a block (Order 3)."),
    dict(rule="soak-after-canary", kind="after", value="canary-first", canary="no",
         note="Everything else waits until the canary is done and has soaked soak_days (Order 1)."),
    # Node caps by date range; from 21 December the daily_node_cap setting (1,800) applies alone.
    dict(rule="cap-first-week", kind="cap_nodes", value=1300, to=D(2026, 12, 13),
         note="Lower cap while the team learns how long repaves take: 1,300 nodes the first week (Limits)."),
    dict(rule="cap-second-week", kind="cap_nodes", value=1500, **{"from": D(2026, 12, 14)}, to=D(2026, 12, 20),
         note="Then 1,500 nodes for a week, then the full 1,800 of the daily_node_cap setting (Limits)."),
    # A rolled cluster only loses ~6% of its nodes a day, so the provider counts it as an ordinary
    # batch: the big-cluster limit is about whole big clusters going down.
    dict(rule="big-two-a-day", kind="cap_clusters", value=2, size="big", rolling="no", to=D(2027, 1, 17),
         note="At most 2 whole big clusters down on a date until 17 January (Limits). Rolled ones lose 6% a day and are not counted."),
    dict(rule="big-one-a-day", kind="cap_clusters", value=1, size="big", rolling="no", **{"from": D(2027, 1, 18)},
         note="From 18 January, 1 whole big cluster a day (Limits)."),
    dict(rule="rolling-big", kind="rolling", value=6, size="big", rolling="yes",
         note="Where the provider allows it, roll big clusters at 6% of their nodes a day (How the provider works). Set a cluster's rolling to no to compare."),
    # Region importance and service sensitivity: checked and reported, not enforced.
    dict(rule="important-regions", kind="cap_nodes", value=700, severity="warning", workload="applied", importance="high",
         note="US and EU are important: warn when more than 700 applied nodes are out there at once (Order)."),
    dict(rule="api-us-au", kind="cap_percent", value=10, severity="warning", services="api", geo="US, AU",
         note="API traffic is most sensitive to Australia and the US: warn above 10% of that API capacity out at once (Order)."),
    dict(rule="christmas-freeze", kind="blackout", **{"from": D(2026, 12, 24)}, to=D(2026, 12, 26), workload="applied", geo="US, EU, UK",
         note="No production repaves in the US, EU and UK over Christmas: thin on-call staffing."),
    dict(rule="new-year-freeze", kind="blackout", **{"from": D(2026, 12, 31)}, to=D(2027, 1, 1), workload="applied", geo="US, EU, UK",
         note="Same over New Year's Eve and Day."),
    dict(rule="gb200-certified", kind="between", **{"from": D(2026, 12, 14)}, sku="GB200",
         note="The GB200 firmware image is certified a week later: GB200 clusters from 14 December on."),
    dict(rule="pretraining-run", kind="between", **{"from": D(2026, 12, 21)}, to=D(2027, 1, 18), owner_team="pretraining",
         note="The pretraining team's run ends 20 December: their clusters only from the 21st, before the deadline."),
]


# What-ifs for `plan --scenarios`: each planned beside the base plan (docs/decisions.md).
SCENARIO_HEADER = ["scenario", "change", "target", "value", "size", "note"]
SCENARIOS = [
    ("no rolling", "attribute", "rolling", "no", None,
     "The provider rolls nothing: every cluster goes down whole. \"Compare both plans (rolling "
     "allowed or not)\" (How the provider works)."),
    ("roll every big cluster", "attribute", "rolling", "yes", "big",
     "The provider lets us roll all ten big clusters, not only eight (How the provider works)."),
    ("deadline +7 days", "setting", "deadline", "+7", None,
     "If we renegotiate a week more (Limits: past the 18th the deadline must be renegotiated)."),
    ("cap 1,500", "setting", "daily_node_cap", 1500, None,
     "The lower cap discussed for the first days, kept for the whole campaign (Limits)."),
]


def scenario_rows() -> list[list]:
    return [SCENARIO_HEADER] + [list(row) for row in SCENARIOS]


def settings_rows() -> list[list]:
    return [["setting", "value", "note"]] + [list(row) for row in SETTINGS]


def rule_rows() -> list[list]:
    return [RULE_HEADER] + [[cell_of(rule, column) for column in RULE_HEADER] for rule in RULES]


# Kinds the schedule must obey get an explicit severity; ordering and shaping rows leave it blank.
_CONSTRAINTS = {"cap_nodes", "cap_clusters", "cap_percent", "blackout", "between", "after"}


def cell_of(rule: dict, column: str):
    """The cell of a rule row under ``column``, with the defaults a planner would type."""
    if column == "severity" and rule["kind"] in _CONSTRAINTS:
        return rule.get("severity", "error")
    if column == "enabled":
        return rule.get("enabled", "yes")
    return rule.get(column)
