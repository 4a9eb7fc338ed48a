"""The Summary tab's burn-down: nodes done per date against nodes planned, once states exist."""
from sheets.output_tabs import BURN_DOWN_HEADER, burn_down_rows, schedule_rows
from tests.api_plans import document, window


def test_a_plan_without_reported_states_has_no_burn_down():
    assert burn_down_rows(document(window("a", "2026-01-05"))) == []


def test_done_nodes_less_the_hosts_not_back_are_summed_per_date_beside_the_planned_ones():
    doc = document(window("a", "2026-01-05", nodes=8), window("b", "2026-01-05", nodes=4),
                   window("c", "2026-01-06", nodes=10))
    doc["windows"][0].update(state="done", failed_nodes=3)
    doc["windows"][1].update(state="in_progress")
    rows = burn_down_rows(doc)
    assert rows[1] == BURN_DOWN_HEADER
    assert [r[1:] for r in rows[2:]] == [[12, 5, 12, 5], [10, 0, 22, 5]]


def test_the_schedule_tab_shows_each_windows_state():
    doc = document(window("a", "2026-01-05"))
    doc["windows"][0].update(state="failed", failed_nodes=2)
    header, row = schedule_rows(doc)
    assert row[header.index("state")] == "failed" and row[header.index("failed_nodes")] == 2
