"""The bundled example fleet: reproducible, and shaped like the campaign of CAMPAIGN.md."""
import datetime as dt
from pathlib import Path

import openpyxl
import pytest

from examples.make_fleet import DEFAULT_OUT, fleet_tabs
from examples.xlsx_file import workbook_bytes

IN_SCOPE = {"H100", "H200", "GB200"}


@pytest.fixture(scope="module")
def tabs():
    book = openpyxl.load_workbook(DEFAULT_OUT)
    return {sheet.title: [list(row) for row in sheet.iter_rows(values_only=True)] for sheet in book}


def records(rows):
    return [dict(zip(rows[0], row)) for row in rows[1:]]


def test_regenerating_the_example_gives_the_committed_bytes():
    assert workbook_bytes(fleet_tabs()) == Path(DEFAULT_OUT).read_bytes(), (
        "examples/fleet.xlsx is stale: run python -m examples.make_fleet and commit it")


def test_two_generations_are_identical(tmp_path):
    from examples.make_fleet import main

    main([str(tmp_path / "a.xlsx")])
    main([str(tmp_path / "b.xlsx")])
    assert (tmp_path / "a.xlsx").read_bytes() == (tmp_path / "b.xlsx").read_bytes()


def test_the_workbook_has_the_four_tabs_of_the_contract_and_a_scenarios_tab(tabs):
    assert list(tabs) == ["Clusters", "Regions", "Settings", "Rules", "Scenarios"]


def test_the_example_has_the_campaigns_numbers(tabs):
    clusters = records(tabs["Clusters"])
    in_scope = [c for c in clusters if c["sku"] in IN_SCOPE]
    assert len(clusters) == 72
    assert 18_000 <= sum(c["nodes"] for c in in_scope) <= 19_000
    assert 8 <= sum(c["nodes"] > 400 for c in in_scope) <= 12
    assert {c["sku"] for c in clusters} - IN_SCOPE >= {"A100"}


def test_there_is_one_very_small_canary_in_sweden_central(tabs):
    canaries = [c for c in records(tabs["Clusters"]) if c["canary"] == "yes"]
    assert [(c["region"], c["nodes"] <= 32) for c in canaries] == [("swedencentral", True)]


def test_most_big_clusters_may_be_rolled(tabs):
    big = [c for c in records(tabs["Clusters"]) if c["sku"] in IN_SCOPE and c["nodes"] > 400]
    assert sum(c["rolling"] == "yes" for c in big) > len(big) / 2


def test_settings_are_the_campaigns_and_dates_are_real_dates(tabs):
    settings = {row["setting"]: row["value"] for row in records(tabs["Settings"])}
    assert settings["start_date"] == dt.datetime(2026, 12, 7)
    assert settings["start_date"].weekday() == 0
    assert settings["deadline"] == dt.datetime(2027, 1, 18)
    assert (settings["daily_node_cap"], settings["big_cluster_nodes"]) == (1800, 400)
    assert (settings["window_start"], settings["window_end"]) == (dt.time(11), dt.time(20))


def test_every_setting_and_rule_explains_itself(tabs):
    for tab in ("Settings", "Rules"):
        assert all(row["note"] for row in records(tabs[tab])), tab


def test_the_rules_cover_every_kind_and_keep_an_alternative_disabled(tabs):
    rules = records(tabs["Rules"])
    kinds = {r["kind"] for r in rules}
    assert kinds == {
        "exclude", "priority", "spread", "after", "cap_nodes", "cap_clusters", "cap_percent",
        "rolling", "blackout", "between",
    }
    assert any(r["enabled"] == "no" for r in rules)
    assert len({r["rule"] for r in rules}) == len(rules)


def test_the_example_validates_without_errors():
    from rules.validation.workbook import validate
    from sheets.xlsx import XlsxSource

    validated = validate(XlsxSource(str(DEFAULT_OUT)).read())
    assert validated.errors == ()


def _plan(tabs):
    from rules.plan.make import plan_document
    from rules.validation.workbook import validate
    from sheets.memory import MemorySource

    return plan_document(validate(MemorySource(tabs).read()))


def test_the_example_plans_within_every_error_rule_and_the_deadline():
    plan = _plan(fleet_tabs())
    assert plan["errors"] == [] and plan["unscheduled"] == []
    assert [v for v in plan["violations"] if v["severity"] == "error"] == []
    assert plan["summary"]["deadline_met"]
    assert {e["cluster"][:4] for e in plan["excluded"]} == {"a100", "mi30"}
    assert all(e["rules"] == ["out-of-scope-sku"] for e in plan["excluded"])


def test_the_canary_is_alone_on_the_first_day():
    windows = _plan(fleet_tabs())["windows"]
    first = min(w["date"] for w in windows)
    assert first == "2026-12-07"
    assert {w["cluster"] for w in windows if w["date"] == first} == {"h100-swc-canary"}


def test_without_rolling_the_two_biggest_clusters_cannot_be_placed():
    """What docs/campaign-example.md promises a planner comparing the two plans."""
    tabs = fleet_tabs()
    rolling = tabs["Clusters"][0].index("rolling")
    for row in tabs["Clusters"][1:]:
        row[rolling] = "no"
    unscheduled = {u["cluster"] for u in _plan(tabs)["unscheduled"]}
    assert unscheduled == {"gb200-wus3-01", "h100-eus-01"}


def test_the_campaign_page_names_each_rule_at_its_row(tabs):
    import re

    page = (Path(__file__).parents[2] / "docs" / "campaign-example.md").read_text()
    cited = dict(re.findall(r"`([a-z0-9-]+)` \(row (\d+)\)", page))
    rows = {row[0]: str(number) for number, row in enumerate(tabs["Rules"][1:], start=2)}
    assert cited and {rule: rows.get(rule) for rule in cited} == cited
    assert set(rows) <= set(cited) | set(re.findall(r"`([a-z0-9-]+)`", page))


def test_the_scenarios_compared_in_the_decisions_page_are_the_examples_own():
    """docs/decisions.md shows `plan examples/fleet.xlsx --scenarios` as it prints."""
    from rules.scenarios.compare import plan_with_scenarios
    from rules.scenarios.table import table_lines
    from sheets.memory import MemorySource

    rows = plan_with_scenarios(MemorySource(fleet_tabs()).read())["scenarios"]
    page = (Path(__file__).parents[2] / "docs" / "decisions.md").read_text()
    assert "\n".join(f"  {line}" for line in table_lines(rows)) in page
    no_rolling = next(r for r in rows if r["scenario"] == "no rolling")
    assert no_rolling["unscheduled"] == 2 and no_rolling["deadline_possible"] is False


@pytest.fixture(scope="module")
def example_plan():
    return _plan(fleet_tabs())


def _first_dates(windows):
    first: dict[str, str] = {}
    for w in windows:
        first[w["cluster"]] = min(first.get(w["cluster"], w["date"]), w["date"])
    return first


def test_the_example_ends_on_its_lower_bound(example_plan):
    summary = example_plan["summary"]
    assert (summary["last_date"], summary["bound"]["finish"], summary["bound"]["gap_days"]) == (
        "2027-01-06", "2027-01-06", 0)


def test_small_research_goes_before_small_applied_wherever_no_date_rule_holds_it_back(
        tabs, example_plan):
    froms = {r["rule"]: r["from"].date().isoformat() for r in records(tabs["Rules"])
             if r["kind"] == "between"}
    first = _first_dates(example_plan["windows"])
    rules = {w["cluster"]: w["rules"] for w in example_plan["windows"]}
    applied_from = min(d for c, d in first.items() if "small-applied" in rules[c])
    assert applied_from == "2026-12-09"  # the 8th, the soak's day, is research's alone
    for name, day in first.items():
        if "small-research" in rules[name] and day > applied_from:
            held = [froms[r] for r in rules[name] if r in froms]
            assert held == [day], (name, day, rules[name])  # on its rule's first allowed day


def test_the_applied_areas_stay_within_0_15_of_each_other_in_cumulative_share(example_plan):
    [spread] = example_plan["summary"]["spread"]
    assert (spread["rule"], spread["values"]) == ("spread-applied", ["eu", "rest", "us"])
    assert spread["largest_gap"] <= 0.15


def test_the_example_rolls_pause_only_for_the_christmas_blackout(tabs, example_plan):
    freeze = next(r for r in records(tabs["Rules"]) if r["rule"] == "christmas-freeze")
    closed = {(freeze["from"] + dt.timedelta(days=i)).date().isoformat()
              for i in range((freeze["to"] - freeze["from"]).days + 1)}
    dates: dict[str, list[str]] = {}
    for w in example_plan["windows"]:
        dates.setdefault(w["cluster"], []).append(w["date"])
    for name, days in dates.items():
        days.sort()
        for a, b in zip(days, days[1:]):
            skipped = {(dt.date.fromisoformat(a) + dt.timedelta(days=i)).isoformat()
                       for i in range(1, (dt.date.fromisoformat(b) - dt.date.fromisoformat(a)).days)}
            assert skipped <= closed, (name, a, b)
