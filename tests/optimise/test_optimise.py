"""The optimiser: the optimum of small fleets, never later than the greedy plan on random
campaign-shaped workbooks (and valid by the independent checker), the same plan every run."""
from __future__ import annotations

import datetime as dt

from hypothesis import HealthCheck, given, settings, strategies as st

from rules.engine.evaluators import PLAIN
from rules.optimise.plan import optimise
from rules.placement.greedy import place
from rules.plan.document import to_json
from rules.plan.make import plan_document
from rules.validation.workbook import validate
from sheets.memory import MemorySource
from tests.placement.enumeration import Tiny, optimum
from tests.plan_checker import check
from tests.plan_strategies import workbooks
from tests.workbooks import D, cluster, rule, tabs, workbook

START = D(2026, 1, 5)


def last_day(schedule) -> int:
    return (max(w.date for w in schedule.windows) - START).days


SMALL = st.lists(st.integers(100, 900), min_size=2, max_size=6)


@settings(max_examples=25, derandomize=True, deadline=None,
          suppress_health_check=[HealthCheck.too_slow])
@given(SMALL, st.integers(1, 3))
def test_on_small_fleets_the_optimiser_finds_the_optimum_known_by_enumeration(sizes, per_day):
    names = [f"c{i}" for i in range(len(sizes))]
    book = workbook([cluster(n, s) for n, s in zip(names, sizes)],
                    [rule("per-day", "cap_clusters", per_day)], daily_node_cap=1000)
    classification = PLAIN.classify(book)
    greedy = place(book, classification)
    best = optimum([Tiny(n, (s,)) for n, s in zip(names, sizes)], 1000, per_day)
    found = optimise(book, classification, greedy, 5.0)
    assert last_day(found.schedule) == best
    assert (greedy.bound.finish - START).days <= best <= last_day(greedy)


def test_a_fleet_the_greedy_order_packs_badly_is_packed_by_the_optimiser():
    # In name order 400 and 500 share the first date, 550 takes the second and the last 500
    # fits neither: three dates. 400 + 550 and 500 + 500 take two.
    sizes = (400, 500, 550, 500)
    book = workbook([cluster(f"c{i}", s) for i, s in enumerate(sizes)],
                    [rule("per-day", "cap_clusters", 3)], daily_node_cap=1000)
    classification = PLAIN.classify(book)
    greedy = place(book, classification)
    found = optimise(book, classification, greedy, 5.0)
    assert (last_day(greedy), last_day(found.schedule)) == (2, 1)
    assert found.used and found.status == "OPTIMAL"


def small_then_big(bigs: int, smalls: int, *rules):
    """Big clusters of 600 nodes (one a date) in a tier after small ones of 400, under 1,000
    nodes; the greedy plan and the optimised one (a budget of 5 s)."""
    book = workbook(
        [cluster(f"big{i}", 600) for i in range(bigs)]
        + [cluster(f"small{i}", 400) for i in range(smalls)],
        [rule("small-first", "priority", 1, when={"size": "small"}),
         rule("big-later", "priority", 2, when={"size": "big"}),
         rule("big-per-day", "cap_clusters", 1, when={"size": "big"}), *rules],
        daily_node_cap=1000)
    classification = PLAIN.classify(book)
    greedy = place(book, classification)
    return greedy, optimise(book, classification, greedy, 5.0)


def test_scarce_clusters_placed_first_across_tiers_end_on_the_bound_without_cp_sat():
    # Small ones first by tier take the first date together; the big ones, one a date, then
    # need two more. Big ones first share their dates with the small ones: two dates, the bound.
    greedy, found = small_then_big(2, 2)
    assert (last_day(greedy), last_day(found.schedule)) == (2, 1)
    assert found.schedule.bound.finish == START + dt.timedelta(days=1)
    assert found.status == "OPTIMAL: on the bound with the scarce clusters first"
    assert found.used and found.modelled == 0


def test_the_optimiser_leaves_the_small_clusters_their_room():
    # The small ones may only use the first three dates and go first; the big ones, one a date,
    # after them: five dates. Putting the big ones on the first three dates would leave the
    # fourth small one no date; one date kept for two small ones ends on the fourth, the bound.
    greedy, found = small_then_big(3, 4, rule("small-early", "between",
                                              to=START + dt.timedelta(days=2),
                                              when={"size": "small"}))
    assert (last_day(greedy), last_day(found.schedule)) == (4, 3)
    assert found.schedule.bound.finish == START + dt.timedelta(days=3)
    assert found.used and found.status == "OPTIMAL" and not found.schedule.unscheduled


@settings(max_examples=12, derandomize=True, deadline=None,
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
@given(workbooks())
def test_on_random_workbooks_the_optimised_plan_is_valid_and_never_later(sheet):
    validated = validate(MemorySource(sheet).read())
    greedy, optimised = plan_document(validated), plan_document(validated, optimise=1.0)
    assert check(validated.workbook, optimised) == []
    assert len(optimised["unscheduled"]) <= len(greedy["unscheduled"])
    if greedy["summary"]["last_date"] and not greedy["unscheduled"]:
        assert optimised["summary"]["last_date"] <= greedy["summary"]["last_date"]


def test_the_same_workbook_seed_and_budget_give_the_same_bytes():
    book = tabs([cluster(f"c{i}", 100 + 97 * i % 800) for i in range(9)],
                [rule("per-day", "cap_clusters", 2)], daily_node_cap=1000,
                deadline=dt.date(2026, 1, 31))
    validated = validate(MemorySource(book).read())
    assert to_json(plan_document(validated, optimise=2.0)) == to_json(plan_document(validated, optimise=2.0))


def test_settings_objective_finish_optimises_and_says_what_it_traded(runner, tmp_path):
    from sheets.xlsx import write_workbook

    sheet = tabs([cluster(n, s) for n, s in zip("abcde", (700, 600, 600, 400, 300))],
                 [rule("per-day", "cap_clusters", 2)], daily_node_cap=1000, objective="finish")
    path = tmp_path / "book.xlsx"
    write_workbook(path, sheet)
    result = runner.invoke(args=["plan", str(path), "--seconds", "2"])
    assert result.exit_code == 0, result.output
    line = next(x for x in result.output.splitlines() if x.startswith("optimiser:"))
    assert line.startswith("optimiser: objective finish, 2 s")
