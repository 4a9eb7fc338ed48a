"""The live sheet end to end, against the fake Google API: a planner's edit reaches the Violations
tab through the webhook and through the poller; bursts coalesce; our own writes trigger nothing;
a 429 storm is retried, then reported."""
from __future__ import annotations

import threading
import time

import pytest

from api.config import instant
from api.db import migrate
from api.live_sheet import runs_count
from api.service import check_live_sheet
from api.watch import poll
from sheets.output_tabs import NO_VIOLATIONS
from tests.conftest import TEST_NOW
from tests.fakes.service_account import write_key_file
from tests.fakes.sheets_api import FakeSheetsApi
from tests.workbooks import set_cell, valid_tabs

SECRET = "s3cret-for-tests"


@pytest.fixture(scope="module")
def fake():
    with FakeSheetsApi() as api:
        yield api


@pytest.fixture
def sheet(fake):
    """A sheet whose plan has no error violation (the small workbook, with a later deadline)."""
    return fake.create_spreadsheet("Campaign", set_cell(valid_tabs(), "Settings!B3", "2026-02-28"))


@pytest.fixture
def app(fake, sheet, tmp_path):
    from api import create_app

    app = create_app({
        "TESTING": True, "DATABASE_URL": f"sqlite:///{tmp_path / 'planner.db'}",
        "SHEET_ID": sheet, "SHEET_WEBHOOK_SECRET": SECRET, "SHEET_DEBOUNCE_SECONDS": 0.3,
        "GOOGLE_APPLICATION_CREDENTIALS": str(write_key_file(tmp_path / "key.json", fake.token_uri)),
        "SHEETS_API_URL": fake.url, "DRIVE_API_URL": fake.url,
        "SHEETS_TIMEOUT_SECONDS": 2, "SHEETS_RETRY_ATTEMPTS": 4, "SHEETS_RETRY_BASE_SECONDS": 0.01,
        "NOW": instant(TEST_NOW),  # publications are planned at it, as the test workbooks expect
    })
    migrate(app.config["DATABASE_URL"])
    return app


@pytest.fixture
def client(app):
    return app.test_client()


def hook(client, secret=SECRET, **body):
    return client.post("/api/v1/hooks/sheet-changed", json=body, headers={"X-Webhook-Secret": secret})


def settle(app) -> None:
    assert app.extensions["planner_hooks"].wait_idle(timeout=20)


def violation_rows(fake, sheet) -> set[tuple]:
    """(severity, source, rule, cell, cluster) of the Violations tab's rows, below its status and
    header."""
    if fake.spreadsheet(sheet).tab_titled("Violations") is None:
        return set()
    return {tuple((row + [""] * 5)[:5]) for row in fake.values(sheet, "Violations")[2:]
            if row[-1:] != [NO_VIOLATIONS]}


def sheet_errors(fake, sheet) -> list[tuple[str, str]]:
    """(cell, message) of the sheet errors on the Violations tab."""
    if fake.spreadsheet(sheet).tab_titled("Violations") is None:
        return []
    return [(row[3], row[6]) for row in fake.values(sheet, "Violations")[2:] if row[0] == "sheet error"]


EDITS = {  # a planner's edit -> the rows it must bring to the Violations tab
    "cap lowered": ("Settings!B4", 5, {("error", "unscheduled", "", "Settings!B4", "eus-big"),
                                       ("error", "unscheduled", "", "Settings!B4", "swc-canary")}),
    "nodes typo": ("Clusters!D2", "8O", {("sheet error", "", "", "Clusters!D2", "")}),
}


def through_webhook(app, client, fake, sheet, expected=None):
    assert hook(client, spreadsheet_id=sheet, change_type="EDIT").status_code == 202
    settle(app)


def through_poller(app, client, fake, sheet, expected=None):
    """Polls until the Violations tab shows ``expected`` (or 20 s have passed)."""
    stop = threading.Event()

    def watch():
        with app.app_context():
            poll(0.05, stop, lambda line: None)

    watcher = threading.Thread(target=watch)
    watcher.start()
    try:
        deadline = time.monotonic() + 20
        while violation_rows(fake, sheet) != expected and time.monotonic() < deadline:
            time.sleep(0.02)
    finally:
        stop.set()
        watcher.join()


@pytest.mark.parametrize("path", [through_webhook, through_poller], ids=["webhook", "poller"])
@pytest.mark.parametrize("edit", EDITS, ids=list(EDITS))
def test_a_planners_edit_reaches_the_violations_tab(app, client, fake, sheet, path, edit):
    with app.app_context():
        assert check_live_sheet().outcome == "validated"
    assert violation_rows(fake, sheet) == set()
    cell, value, expected = EDITS[edit]
    fake.type(sheet, cell, [[value]])
    path(app, client, fake, sheet, expected)
    assert violation_rows(fake, sheet) == expected
    assert fake.values(sheet, "Violations")[0][0].startswith("Validated ")


def test_a_fixed_typo_clears_the_violations_tab(app, client, fake, sheet):
    fake.type(sheet, "Clusters!D2", [["8O"]])
    through_webhook(app, client, fake, sheet)
    assert [cell for cell, _ in sheet_errors(fake, sheet)] == ["Clusters!D2"]
    assert "8O" in sheet_errors(fake, sheet)[0][1]
    fake.type(sheet, "Clusters!D2", [["8"]])
    through_webhook(app, client, fake, sheet)
    assert violation_rows(fake, sheet) == set()


def test_a_burst_of_twenty_edits_gives_one_run(app, client, fake, sheet):
    with app.app_context():
        before_runs = runs_count(sheet)
    before_writes = fake.count("spreadsheets.batchUpdate")
    for n in range(20):
        fake.type(sheet, "Clusters!L2", [[f"team-{n}"]])
        assert hook(client).status_code == 202
    settle(app)
    with app.app_context():
        assert runs_count(sheet) == before_runs + 1
    assert fake.count("spreadsheets.batchUpdate") == before_writes + 1


def test_our_own_write_back_triggers_no_run(app, client, fake, sheet):
    hook(client)
    settle(app)
    with app.app_context():
        runs = runs_count(sheet)
    writes, reads = fake.count("spreadsheets.batchUpdate"), fake.count("values.batchGet")
    hook(client)  # what the sheet's trigger would send after our write
    settle(app)
    with app.app_context():
        assert runs_count(sheet) == runs
    assert fake.count("spreadsheets.batchUpdate") == writes
    assert fake.count("values.batchGet") == reads + 1


def test_a_429_storm_is_retried_then_reported_and_the_next_edit_recovers(app, client, fake, sheet,
                                                                         tokens_for):
    reads = fake.count("values.batchGet")
    fake.fail_next(429, times=4, op="values.batchGet")
    hook(client)
    settle(app)
    assert fake.count("values.batchGet") == reads + 4
    draft = client.get("/api/v1/draft", headers=tokens_for(app, "reader")).get_json()
    assert (draft["outcome"], draft["reachable"]) == ("unreachable", False)
    assert "HTTP 429" in draft["problem"]
    hook(client)
    settle(app)
    draft = client.get("/api/v1/draft", headers=tokens_for(app, "reader")).get_json()
    assert (draft["outcome"], draft["reachable"], draft["problem"]) == ("validated", True, None)


def test_a_failed_write_is_recorded_and_retried_on_the_next_check(app, fake, sheet):
    fake.fail_next(503, times=4, op="spreadsheets.batchUpdate")
    with app.app_context():
        failed = check_live_sheet()
        assert failed.outcome == "write-failed" and "HTTP 503" in failed.problem
        assert check_live_sheet().outcome == "validated"  # the input did not change: still written


def test_the_webhook_needs_the_shared_secret(client):
    assert hook(client, secret="wrong").status_code == 401
    assert hook(client, secret="").status_code == 401


def test_the_webhook_refuses_another_sheet(client):
    answer = hook(client, spreadsheet_id="someone-elses-sheet")
    assert answer.status_code == 422 and answer.mimetype == "application/problem+json"


def test_without_a_configured_secret_there_is_no_webhook(app, client):
    app.config["SHEET_WEBHOOK_SECRET"] = None
    assert hook(client).status_code == 404


def test_the_draft_shows_the_latest_validation_to_readers(app, client, fake, sheet, tokens_for):
    assert client.get("/api/v1/draft").status_code == 401
    assert client.get("/api/v1/draft", headers=tokens_for(app, "reader")).status_code == 404
    fake.type(sheet, "Clusters!D2", [["8O"]])
    with app.app_context():
        run = check_live_sheet()
    draft = client.get("/api/v1/draft", headers=tokens_for(app, "reader")).get_json()
    assert draft["content_hash"] == run.content_hash and draft["ok"] is False
    assert [e["cell"] for e in draft["errors"]] == ["Clusters!D2"]
    assert draft["counts"]["sheet_errors"] == 1


def test_watch_once_validates_writes_and_exits_as_plan_does(app, fake, sheet):
    fake.type(sheet, "Clusters!D2", [["8O"]])
    result = app.test_cli_runner().invoke(args=["watch", "--once"])
    assert result.exit_code == 2, result.output
    assert "validated" in result.output and "1 sheet errors" in result.output
    assert sheet_errors(fake, sheet)


@pytest.fixture
def tokens_for():
    from api.auth import create_token

    made: dict = {}

    def token(app, role):
        if role not in made:
            with app.app_context():
                made[role] = {"Authorization": "Bearer " + create_token(f"{role}-bot", role)}
        return made[role]

    return token


def publish_sheet(client, headers, message="from the sheet"):
    return client.post("/api/v1/publications", data={"source": "sheet", "message": message},
                       headers=headers, content_type="multipart/form-data")


def test_publishing_from_the_sheet_records_its_content_hash(app, client, fake, sheet, tokens_for):
    answer = publish_sheet(client, tokens_for(app, "planner"))
    assert answer.status_code == 201, answer.get_json()
    with app.app_context():
        from api.live_sheet import source_and_sink

        expected = source_and_sink(sheet)[0].snapshot().content_hash
    assert answer.get_json()["source_hash"] == expected


def test_publishing_a_sheet_with_errors_is_refused(app, client, fake, sheet, tokens_for):
    fake.type(sheet, "Clusters!D2", [["8O"]])
    answer = publish_sheet(client, tokens_for(app, "planner"))
    assert answer.status_code == 422
    assert [e["cell"] for e in answer.get_json()["errors"]] == ["Clusters!D2"]
    assert client.get("/api/v1/versions", headers=tokens_for(app, "reader")).get_json() == []


def test_publishing_an_unreachable_sheet_is_refused_not_half_done(app, client, fake, tokens_for):
    fake.fail_next(503, times=4, op="values.batchGet")
    answer = publish_sheet(client, tokens_for(app, "planner"))
    assert answer.status_code == 503 and answer.mimetype == "application/problem+json"
    assert "cannot be read" in answer.get_json()["detail"]
    assert client.get("/api/v1/versions", headers=tokens_for(app, "reader")).get_json() == []


def test_publishing_from_the_sheet_needs_a_configured_sheet(app, client, tokens_for):
    app.config["SHEET_ID"] = ""
    assert publish_sheet(client, tokens_for(app, "planner")).status_code == 409


def test_an_upload_still_needs_its_workbook(app, client, tokens_for):
    answer = client.post("/api/v1/publications", data={"message": "x"},
                         headers=tokens_for(app, "planner"), content_type="multipart/form-data")
    assert answer.status_code == 422


def test_an_idle_poller_asks_drive_and_does_not_read_the_sheet(app, fake, sheet):
    with app.app_context():
        check_live_sheet()
    reads, drive = fake.count("values.batchGet"), fake.count("drive.files.get")
    stop = threading.Event()

    def watch():
        with app.app_context():
            poll(0.05, stop, lambda line: None)

    watcher = threading.Thread(target=watch)
    watcher.start()
    time.sleep(0.6)
    stop.set()
    watcher.join()
    assert fake.count("drive.files.get") - drive >= 5
    assert fake.count("values.batchGet") - reads == 1  # the first poll: nothing seen yet


def test_watch_without_a_database_says_to_run_init_db(fake, sheet, tmp_path, app):
    from api import create_app

    bare = create_app({**app.config, "DATABASE_URL": f"sqlite:///{tmp_path / 'empty.db'}"})
    result = bare.test_cli_runner().invoke(args=["watch", "--once"])
    assert result.exit_code == 1 and "run 'flask --app wsgi init-db' first" in result.output


def test_watch_refuses_a_poll_interval_beyond_the_quota(app):
    result = app.test_cli_runner().invoke(args=["watch", "--interval", "0.2"])
    assert result.exit_code == 2 and "Google's read quota" in result.output


def test_the_draft_shows_a_validation_whose_write_failed_with_the_problem(app, client, fake, sheet,
                                                                          tokens_for):
    fake.type(sheet, "Clusters!D2", [["8O"]])
    fake.fail_next(503, times=4, op="spreadsheets.batchUpdate")
    with app.app_context():
        assert check_live_sheet().outcome == "write-failed"
    draft = client.get("/api/v1/draft", headers=tokens_for(app, "reader")).get_json()
    assert (draft["outcome"], draft["reachable"]) == ("write-failed", True)
    assert "HTTP 503" in draft["problem"]
    assert [e["cell"] for e in draft["errors"]] == ["Clusters!D2"]


def test_a_burst_spread_over_two_workers_on_one_database_gives_one_run(app, fake, sheet, database_url):
    from api import create_app

    workers = [create_app({**app.config, "DATABASE_URL": database_url}) for _ in range(2)]
    with workers[0].app_context():
        check_live_sheet()
    writes = fake.count("spreadsheets.batchUpdate")
    fake.type(sheet, "Settings!B4", [[1700]])
    for worker in workers:  # each worker got part of the burst and debounced it on its own
        worker.extensions["planner_hooks"].poke()
    for worker in workers:
        assert worker.extensions["planner_hooks"].wait_idle(timeout=20)
    assert fake.count("spreadsheets.batchUpdate") == writes + 1
    with workers[1].app_context():
        assert runs_count(sheet) == 2


def test_an_edit_reported_on_an_output_tab_queues_nothing(app, client, fake, sheet):
    reads = fake.count("values.batchGet")
    answer = hook(client, tab="Violations", change_type="EDIT")
    assert answer.status_code == 202 and answer.get_json()["queued"] is False
    settle(app)
    assert fake.count("values.batchGet") == reads
