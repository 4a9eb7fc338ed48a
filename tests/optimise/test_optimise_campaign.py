"""The optimiser on random fleets of the campaign's shape: small clusters that fill, big ones
limited to two whole clusters a date, some rolled; a canary first and its soak; caps by date
range. The optimised plan passes the independent checker and never ends after the greedy plan."""
from __future__ import annotations

from hypothesis import HealthCheck, given, settings, strategies as st

from rules.plan.make import plan_document
from rules.validation.workbook import validate
from sheets.memory import MemorySource
from tests.plan_checker import check
from tests.workbooks import D, cluster, rule, tabs

REGIONS = ("eastus", "westeurope", "uksouth", "swedencentral")


@st.composite
def campaigns(draw) -> dict[str, list[list]]:
    smalls = draw(st.lists(st.tuples(st.integers(16, 256), st.sampled_from(REGIONS),
                                     st.sampled_from(("research", "applied"))),
                           min_size=3, max_size=14))
    bigs = draw(st.lists(st.tuples(st.integers(401, 1500), st.booleans(),
                                   st.sampled_from(("research", "applied"))),
                         min_size=2, max_size=6))
    clusters = [cluster("canary", 16, "swedencentral", canary=True)]
    clusters += [cluster(f"s{i:02d}", n, region, workload=w)
                 for i, (n, region, w) in enumerate(smalls)]
    clusters += [cluster(f"b{i:02d}", n, "eastus", workload=w, rolling=rolled)
                 for i, (n, rolled, w) in enumerate(bigs)]
    first_cap = draw(st.sampled_from((1300, 1500)))
    rules = [
        rule("canary-first", "priority", 1, when={"canary": True}),
        rule("small-research", "priority", 2, when={"size": "small", "workload": "research"}),
        rule("small-applied", "priority", 3, when={"size": "small", "workload": "applied"}),
        rule("big", "priority", 4, when={"size": "big"}),
        rule("soak", "after", "canary-first", when={"canary": False}),
        rule("first-week", "cap_nodes", first_cap, to=D(2026, 1, 11)),
        rule("two-big-a-day", "cap_clusters", 2, when={"size": "big", "rolling": False}),
        rule("roll-big", "rolling", draw(st.sampled_from((10, 25, 50))),
             when={"size": "big", "rolling": True}),
        rule("spread-applied", "spread", "area", when={"workload": "applied"}),
    ]
    return tabs(clusters, rules, deadline="2026-02-28")


@settings(max_examples=10, derandomize=True, deadline=None,
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
@given(campaigns())
def test_on_random_campaign_shaped_fleets_the_optimised_plan_is_valid_and_never_later(sheet):
    validated = validate(MemorySource(sheet).read())
    assert validated.ok, validated.errors
    greedy, optimised = plan_document(validated), plan_document(validated, optimise=1.0)
    assert check(validated.workbook, optimised) == []
    assert len(optimised["unscheduled"]) <= len(greedy["unscheduled"])
    if not greedy["unscheduled"]:
        assert optimised["summary"]["last_date"] <= greedy["summary"]["last_date"]
    bound = greedy["summary"]["bound"]["finish"]
    assert bound is None or bound <= optimised["summary"]["last_date"]


def test_a_second_cap_over_the_same_clusters_does_not_count_their_windows_twice():
    # In name order 400 and 500 share the first date, 550 the second, the last 500 a third;
    # paired 400 + 550 and 500 + 500 they take two. A cap_nodes rule of the same 1,000 nodes
    # over the same clusters (a first week's cap, say) leaves that pairing possible.
    sizes = [cluster(f"c{i}", s) for i, s in enumerate((400, 500, 550, 500))]
    for extra in ([], [rule("first-weeks", "cap_nodes", 1000, to=D(2026, 1, 31))]):
        sheet = tabs(sizes, [rule("per-day", "cap_clusters", 3), *extra], daily_node_cap=1000,
                     deadline="2026-01-31")
        summary = plan_document(validate(MemorySource(sheet).read()), optimise=2.0)["summary"]
        assert (summary["last_date"], summary["optimiser"]["used"]) == ("2026-01-06", True)


def test_the_summary_tab_says_what_the_optimiser_did_and_traded():
    from sheets.output_tabs import summary_rows

    sheet = tabs([cluster(f"c{i}", s) for i, s in enumerate((400, 500, 550, 500))],
                 [rule("per-day", "cap_clusters", 3)], daily_node_cap=1000)
    rows = {row[0]: row[1] for row in summary_rows(
        plan_document(validate(MemorySource(sheet).read()), optimise=2.0)) if len(row) == 2}
    assert rows["optimiser"].startswith("objective finish, 2 s: ends 2026-01-06, 1 day before "
                                        "the greedy plan")
    assert rows["optimiser traded"].endswith("out of priority order, by up to 0 days (greedy "
                                             "plan: 0, up to 0 days)")
    assert "optimiser" not in {row[0] for row in summary_rows(
        plan_document(validate(MemorySource(sheet).read()))) if row}


def test_the_optimiser_reports_the_spread_gap_it_traded_beside_the_greedy_plans():
    # The 1,000-node fleet of the test above, in two areas of one time zone.
    sizes = [cluster(f"c{i}", s, region, workload="applied")
             for i, (s, region) in enumerate(((400, "utc"), (500, "utc2"), (550, "utc"),
                                              (500, "utc2")))]
    sheet = tabs(sizes, [rule("per-day", "cap_clusters", 3),
                         rule("spread", "spread", "area", when={"workload": "applied"})],
                 daily_node_cap=1000)
    sheet["Regions"].append(["utc2", "XX", "normal", "UTC", "other"])
    doc = plan_document(validate(MemorySource(sheet).read()), optimise=2.0)
    optimiser, [spread] = doc["summary"]["optimiser"], doc["summary"]["spread"]
    assert optimiser["used"] and optimiser["spread_gap"] == spread["largest_gap"]
    assert optimiser["greedy_spread_gap"] is not None
    from rules.plan.text import summary_lines

    [traded] = [line for line in summary_lines(doc) if line.startswith("  traded:")]
    assert traded.endswith(f"; largest spread gap {optimiser['spread_gap']:.2f} (greedy plan: "
                           f"{optimiser['greedy_spread_gap']:.2f})")
