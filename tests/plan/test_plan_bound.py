"""The lower bound beside the plan: in the JSON summary, the printed summary and the Summary tab,
and whether any plan could meet a missed deadline."""
from __future__ import annotations

from rules.engine.evaluators import PLAIN
from rules.placement.greedy import place
from rules.plan.make import assemble, document
from rules.plan.text import summary_lines
from sheets.output_tabs import summary_rows
from tests.workbooks import D, cluster, rule, workbook


def doc(book):
    classification = PLAIN.classify(book)
    return document(assemble(book, classification, place(book, classification), ())).as_json()


def five_a_day_fleet(**settings):
    """Ten clusters, at most two a day: five days at best, whatever the order."""
    return workbook([cluster(f"c{i}", 10) for i in range(10)],
                    [rule("two-a-day", "cap_clusters", 2)], **settings)


def test_the_summary_carries_the_bound_the_gap_and_why():
    bound = doc(five_a_day_fleet())["summary"]["bound"]
    assert bound == {
        "finish": "2026-01-09", "gap_days": 0, "deadline_possible": True, "impossible": [],
        "reason": "rule two-a-day: 10 windows of its clusters that cannot start before "
                  "2026-01-05 need the room of every date up to 2026-01-09"}


def test_a_deadline_no_plan_can_meet_says_so_and_names_the_earliest_date():
    d = doc(five_a_day_fleet(deadline=D(2026, 1, 7)))
    assert d["summary"]["bound"]["deadline_possible"] is False
    assert summary_lines(d)[-1] == (
        "DEADLINE MISSED (2026-01-07): the plan ends 2026-01-09; no plan can meet it: none can "
        "end before 2026-01-09; renegotiate to 2026-01-09 or later, or change the rules")


def test_a_missed_deadline_a_plan_might_meet_points_to_the_optimiser():
    book = workbook([cluster("a", 600), cluster("b", 600), cluster("c", 600)],
                    daily_node_cap=1000, deadline=D(2026, 1, 6))
    d = doc(book)  # nodes alone allow two dates; packing needs three
    assert d["summary"]["bound"]["finish"] == "2026-01-06"
    assert "a plan that meets it is not ruled out (none can end before 2026-01-06): try plan " \
           "--optimise" in summary_lines(d)[-1]


def test_clusters_no_plan_can_place_are_listed_and_the_deadline_cannot_be_met():
    d = doc(workbook([cluster("huge", 1500), cluster("ok", 10)], daily_node_cap=1000))
    assert d["summary"]["bound"]["impossible"][0]["cluster"] == "huge"
    assert "no plan can place: huge" in summary_lines(d)
    assert d["summary"]["bound"]["deadline_possible"] is False


def test_the_summary_tab_shows_the_bound_rows():
    rows = {row[0]: row[1] for row in summary_rows(doc(five_a_day_fleet())) if len(row) == 2}
    assert rows["lower bound on the last date"] == D(2026, 1, 9)
    assert rows["days after the bound"] == 0
    assert rows["could any plan meet the deadline"] == "yes"


def test_the_missed_deadlines_violation_names_the_bound_as_the_date_to_renegotiate_to():
    def advice(book):
        from rules.plan.make import make_plan

        planned = document(make_plan(book)).as_json()
        [v] = [v for v in planned["violations"] if v["source"] == "deadline"]
        return v["message"].split("; ", 1)[1]

    three = [cluster("a", 600), cluster("b", 600), cluster("c", 600)]  # ends on the 7th
    assert advice(workbook(three, daily_node_cap=1000, deadline=D(2026, 1, 5))) == (
        "no plan can end before 2026-01-06: renegotiate the deadline to 2026-01-06 or later "
        "(this plan needs 2026-01-07; plan --optimise may end earlier), or raise the caps or "
        "allow rolling so the plan fits")
    assert advice(workbook(three, daily_node_cap=1000, deadline=D(2026, 1, 6))).startswith(
        "a plan that meets it is not ruled out (none can end before 2026-01-06): try plan "
        "--optimise")
    assert advice(five_a_day_fleet(deadline=D(2026, 1, 7))).startswith(
        "renegotiate the deadline to 2026-01-09 or later")  # the plan ends on the bound
