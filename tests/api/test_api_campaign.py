"""The campaign as it runs, through the real HTTP API (gunicorn) with a fixed PLANNER_NOW.

Version 1 of the example fleet is published before the campaign starts (the app's now is
T0); then a server whose PLANNER_NOW is T1, three days into the campaign, takes the
provider's reports and the planner's republication. Each scenario is its own test.
"""
from __future__ import annotations

import datetime as dt
import io
from pathlib import Path

import pytest
import requests

from api import create_app
from api.auth import ROLES, create_token
from api.config import instant as parse_instant
from api.db import migrate
from sheets.xlsx import XlsxSource, write_workbook
from tests.servers import Gunicorn

EXAMPLE = Path(__file__).resolve().parents[2] / "examples" / "fleet.xlsx"
T0 = "2026-12-01T00:00:00Z"  # a week before start_date
T1 = "2026-12-10T08:00:00Z"  # the campaign's fourth morning
FROZEN_UNTIL = dt.datetime(2026, 12, 12, 8, tzinfo=dt.timezone.utc)  # T1 + freeze_hours 48


def tabs_of(data: bytes) -> dict[str, list[list]]:
    return {t.title: [list(row) for row in t.rows] for t in XlsxSource(data).read().tables.values()}


def xlsx(tabs) -> bytes:
    out = io.BytesIO()
    write_workbook(out, tabs)
    return out.getvalue()


def edit_cluster(tabs, name: str, **cells) -> dict:
    """Set cells of a cluster's row (``nodes=128``, ``cluster="NEW"``); ``delete=True`` drops it."""
    rows = tabs["Clusters"]
    header = [str(h).strip().lower() for h in rows[0]]
    index = next(i for i, r in enumerate(rows) if i and str(r[0]) == name)
    if cells.pop("delete", False):
        del rows[index]
        return tabs
    for column, value in cells.items():
        rows[index][header.index(column)] = value
    return tabs


def set_setting(tabs, name: str, value) -> dict:
    rows = tabs["Settings"]
    row = next((r for r in rows if r and r[0] == name), None)
    if row is None:
        rows.append([name, value])
    else:
        row[1] = value
    return tabs


def instant(text: str) -> dt.datetime:
    return dt.datetime.fromisoformat(text.replace("Z", "+00:00"))


class Campaign:
    """Version 1 published at T0 in-process; then an HTTP server at T1 on the same database."""

    def __init__(self, tmp_path: Path, tabs: dict):
        self.url_db = f"sqlite:///{tmp_path / 'campaign.db'}"
        migrate(self.url_db)
        app = create_app({"TESTING": True, "DATABASE_URL": self.url_db, "NOW": parse_instant(T0)})
        with app.app_context():
            self.headers = {role: {"Authorization": "Bearer " + create_token(f"{role}-bot", role)}
                            for role in ROLES}
        first = self._post(app.test_client().post, xlsx(tabs), "v1")
        assert first.status_code == 201, first.get_json()
        self.server = Gunicorn(self.url_db, workers=1, extra_env={"PLANNER_NOW": T1})
        self.v1 = self.schedule()

    def _post(self, post, data: bytes, message: str, **fields):
        files = {"workbook": (io.BytesIO(data), "fleet.xlsx"), "message": message, **fields}
        return post("/api/v1/publications", headers=self.headers["planner"], data=files,
                    content_type="multipart/form-data")

    def publish(self, tabs, **fields) -> dict:
        response = requests.post(self.server.url + "/api/v1/publications",
                                 headers=self.headers["planner"],
                                 files={"workbook": ("fleet.xlsx", xlsx(tabs))},
                                 data={"message": "republished", **fields}, timeout=120)
        assert response.status_code == 201, response.text
        return response.json()

    def report(self, window_id: str, *states: str, **fields) -> None:
        for state in states:
            response = requests.post(
                f"{self.server.url}/api/v1/windows/{window_id}/state",
                json={"state": state, **fields}, headers=self.headers["reporter"], timeout=30)
            assert response.status_code == 200, response.text

    def schedule(self) -> dict[str, dict]:
        windows = requests.get(self.server.url + "/api/v1/schedule",
                               headers=self.headers["reader"], timeout=30).json()["windows"]
        return {w["id"]: w for w in windows}

    def first(self, cluster: str) -> dict:
        return next(w for w in self.v1.values() if w["cluster"] == cluster)


@pytest.fixture
def example_tabs():
    return tabs_of(EXAMPLE.read_bytes())


@pytest.fixture
def campaign(tmp_path, example_tabs):
    running = Campaign(tmp_path, example_tabs)
    yield running
    running.server.stop()


def started_by_t1(window: dict) -> bool:
    return instant(window["start"]) < instant(T1)


def assert_nothing_new_before_the_freeze(before: dict[str, dict], after: dict[str, dict]) -> None:
    for wid, w in after.items():
        if wid not in before or before[wid]["start"] != w["start"]:
            assert instant(w["start"]) >= FROZEN_UNTIL, w


def report_the_first_days(campaign: Campaign) -> dict[str, str]:
    """The canary and four windows done, one in progress, one failed (as the issue's user)."""
    started = sorted((w for w in campaign.v1.values() if started_by_t1(w)),
                     key=lambda w: (w["start"], w["id"]))
    plan = {started[0]["id"]: "done"}
    plan |= {w["id"]: "done" for w in started[1:5]}
    plan[started[5]["id"]] = "in_progress"
    plan[started[6]["id"]] = "failed"
    for wid, state in plan.items():
        campaign.report(wid, *{"done": ["in_progress", "done"], "in_progress": ["in_progress"],
                               "failed": ["in_progress", "failed"]}[state])
    return plan


def test_resizing_one_cluster_and_deleting_a_row_moves_nothing_else_and_keeps_every_state(
        campaign, example_tabs):
    states = report_the_first_days(campaign)
    resized = next(w for w in campaign.v1.values()
                   if w["nodes"] == 96 and instant(w["start"]) > FROZEN_UNTIL)
    deleted = next(w for w in sorted(campaign.v1.values(), key=lambda w: w["start"])
                   if instant(w["start"]) > FROZEN_UNTIL and w["cluster"] != resized["cluster"])
    tabs = edit_cluster(example_tabs, resized["cluster"], nodes=128)
    body = campaign.publish(edit_cluster(tabs, deleted["cluster"], delete=True))
    after = campaign.schedule()
    moved = {m["id"] for m in body["changes"]["moved"] if m["old_start"] != m["new_start"]}
    assert moved <= {resized["id"]}, body["changes"]["moved"]
    assert after[resized["id"]]["nodes"] == 128
    assert {w["id"] for w in body["changes"]["removed"]} == {
        w["id"] for w in campaign.v1.values()
        if w["cluster"] == deleted["cluster"] and instant(w["start"]) >= FROZEN_UNTIL}
    assert all(after[wid]["state"] == state for wid, state in states.items())
    assert len(body["changes"]["requeued"]) == 1  # the failed window's nodes
    assert_nothing_new_before_the_freeze(campaign.v1, after)


def test_a_done_canary_gates_the_rest_from_its_reported_end_plus_the_soak(tmp_path, example_tabs):
    # No freeze, so only the soak holds the others back; the canary is reported done at T1,
    # three days late: everything not yet started waits until T1 + soak_days (1).
    tabs = set_setting(example_tabs, "freeze_hours", 0)
    campaign = Campaign(tmp_path, tabs)
    try:
        canary = campaign.first("h100-swc-canary")
        campaign.report(canary["id"], "in_progress", "done")
        campaign.publish(tabs)
        after = campaign.schedule()
        assert after[canary["id"]]["state"] == "done"
        for w in after.values():
            if w["cluster"] != canary["cluster"] and not started_by_t1(w):
                assert instant(w["start"]) >= instant(T1) + dt.timedelta(days=1), w
    finally:
        campaign.server.stop()


def test_a_failed_window_with_3_failed_nodes_comes_back_as_a_3_node_window_after_the_freeze(
        campaign, example_tabs):
    failed = next(w for w in sorted(campaign.v1.values(), key=lambda w: w["start"])
                  if started_by_t1(w) and w["nodes"] > 3 and "canary" not in w["cluster"])
    campaign.report(failed["id"], "in_progress")
    campaign.report(failed["id"], "failed", failed_nodes=3, hosts=["n1", "n2", "n3"])
    body = campaign.publish(example_tabs)
    [retry] = body["changes"]["requeued"]
    assert (retry["nodes"], retry["retry_of"], retry["cluster"]) == (3, failed["id"],
                                                                    failed["cluster"])
    assert instant(retry["start"]) >= FROZEN_UNTIL
    assert campaign.schedule()[failed["id"]]["state"] == "failed"  # kept in the history
    version = requests.get(f"{campaign.server.url}/api/v1/versions", timeout=30,
                           headers=campaign.headers["reader"]).json()
    assert len(version) == 2  # published: no error violation, so every cap is obeyed


def test_a_publication_that_drops_a_cluster_keeps_its_in_progress_window(campaign, example_tabs):
    running = next(w for w in campaign.v1.values()
                   if started_by_t1(w) and "canary" not in w["cluster"])
    campaign.report(running["id"], "in_progress")
    body = campaign.publish(edit_cluster(example_tabs, running["cluster"], delete=True))
    after = campaign.schedule()
    assert after[running["id"]]["state"] == "in_progress"
    assert after[running["id"]]["start"] == running["start"]
    assert running["id"] not in {w["id"] for w in body["changes"]["removed"]}


def test_nothing_is_ever_placed_before_now_plus_freeze_hours(campaign, example_tabs):
    body = campaign.publish(example_tabs, fresh="true")
    after = campaign.schedule()
    assert body["as_of"]["frozen_until"] == FROZEN_UNTIL.isoformat()
    assert_nothing_new_before_the_freeze(campaign.v1, after)
    overdue = [v for v in body["warnings"] if v["rule"] == "progress"]
    assert overdue and all("no state was reported" in v["message"] for v in overdue)


def test_a_case_only_rename_keeps_every_state(campaign, example_tabs):
    states = report_the_first_days(campaign)
    renamed = campaign.v1[next(iter(states))]["cluster"]
    body = campaign.publish(edit_cluster(example_tabs, renamed, cluster=renamed.upper()))
    after = campaign.schedule()
    assert all(after[wid]["state"] == state for wid, state in states.items())
    assert not body["changes"]["removed"] and not body["changes"]["added"]
