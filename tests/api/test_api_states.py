"""Window states: every legal and illegal transition, history, and states across publications."""
import pytest

from api.config import instant
from api.windows import STATES, TRANSITIONS, window_id
from tests.api_plans import document, publish, window

CANARY = window("swc-canary", "2026-01-05")
OTHER = window("weu-small", "2026-01-07")
WID = window_id("swc-canary", 1)
# The shortest path from planned to each state.
PATH_TO = {"planned": [], "in_progress": ["in_progress"], "done": ["in_progress", "done"],
           "failed": ["in_progress", "failed"], "cancelled": ["cancelled"]}


@pytest.fixture
def published(app):
    publish(app, document(CANARY, OTHER))
    return app


def report(client, tokens, state, wid=WID, note=""):
    return client.post(f"/api/v1/windows/{wid}/state", json={"state": state, "note": note},
                       headers=tokens["reporter"])


def state_now(client, tokens, wid=WID):
    windows = client.get("/api/v1/schedule", headers=tokens["reader"]).get_json()["windows"]
    return next(w["state"] for w in windows if w["id"] == wid)


@pytest.mark.parametrize("current,wanted", [
    (c, w) for c in STATES for w in STATES if w in TRANSITIONS[c]])
def test_each_legal_transition_is_accepted_and_recorded(published, client, tokens, current, wanted):
    for step in PATH_TO[current]:
        assert report(client, tokens, step).status_code == 200
    response = report(client, tokens, wanted, note="by the book")
    assert response.status_code == 200
    body = response.get_json()
    assert (body["previous_state"], body["state"], body["who"]) == (current, wanted,
                                                                    "reporter-bot")
    assert state_now(client, tokens) == wanted


@pytest.mark.parametrize("current,wanted", [
    (c, w) for c in STATES for w in STATES
    if w not in TRANSITIONS[c] and (w != c or c == "planned")])
def test_each_illegal_transition_is_a_409_naming_the_legal_ones(published, client, tokens,
                                                                 current, wanted):
    for step in PATH_TO[current]:
        report(client, tokens, step)
    response = report(client, tokens, wanted)
    assert response.status_code == 409
    assert response.mimetype == "application/problem+json"
    body = response.get_json()
    assert body["allowed"] == list(TRANSITIONS[current])
    assert body["state"] == current
    assert f"state {current} cannot become {wanted}" in body["detail"]
    assert state_now(client, tokens) == current


def test_the_409_body_holds_only_fields_the_published_problem_schema_declares(published, client, tokens):
    report(client, tokens, "done")
    body = report(client, tokens, "planned").get_json()
    spec = client.get("/api/openapi.json").get_json()
    declared = spec["components"]["schemas"]["Problem"]["properties"]
    assert set(body) <= set(declared)


def test_the_history_keeps_every_step_with_who_and_when(published, client, tokens):
    for state in ("in_progress", "failed"):
        assert report(client, tokens, state, note=state).status_code == 200
    history = client.get("/api/v1/clusters/swc-canary", headers=tokens["reader"]).get_json()
    assert [(h["from_state"], h["to_state"]) for h in history["history"]] == [
        ("planned", "in_progress"), ("in_progress", "failed")]
    assert all(h["who"] == "reporter-bot" and h["changed_at"] for h in history["history"])


@pytest.mark.parametrize("state", ["in_progress", "done", "failed", "cancelled"])
def test_the_same_report_twice_is_answered_alike_and_recorded_once(published, client, tokens,
                                                                   state):
    for step in PATH_TO[state][:-1]:
        report(client, tokens, step)
    first, second = report(client, tokens, state), report(client, tokens, state)
    assert first.status_code == second.status_code == 200
    assert first.get_json() == second.get_json()
    history = client.get("/api/v1/clusters/swc-canary", headers=tokens["reader"]).get_json()
    assert [h["to_state"] for h in history["history"]] == PATH_TO[state]


def test_done_with_failed_hosts_records_their_count_and_names(published, client, tokens):
    report(client, tokens, "in_progress")
    body = {"state": "done", "failed_nodes": 2, "hosts": ["node-0007", "node-0011"]}
    response = client.post(f"/api/v1/windows/{WID}/state", json=body, headers=tokens["reporter"])
    assert response.status_code == 200, response.get_json()
    assert (response.get_json()["failed_nodes"], response.get_json()["hosts"]) == (
        2, ["node-0007", "node-0011"])
    history = client.get("/api/v1/clusters/swc-canary", headers=tokens["reader"]).get_json()
    assert history["history"][-1]["failed_nodes"] == 2


@pytest.mark.parametrize("body", [
    {"state": "done", "failed_nodes": 9},  # the window has 8 nodes
    {"state": "done", "failed_nodes": 1, "hosts": ["a", "b"]},
])
def test_failed_nodes_beyond_the_window_or_its_hosts_are_refused(published, client, tokens, body):
    report(client, tokens, "in_progress")
    response = client.post(f"/api/v1/windows/{WID}/state", json=body, headers=tokens["reporter"])
    assert response.status_code == 422
    assert "failed_nodes" in response.get_json()["errors"]
    assert state_now(client, tokens) == "in_progress"


def test_in_progress_long_before_the_window_is_refused_saying_when_it_may_start(app, client,
                                                                                tokens):
    publish(app, document(window("swc-canary", "2027-03-01")))
    app.config["NOW"] = instant("2027-02-20T08:00:00Z")
    response = report(client, tokens, "in_progress")
    assert response.status_code == 409
    assert "cannot be in_progress before 2027-02-27T11:00:00+01:00" in response.get_json()["detail"]
    app.config["NOW"] = instant("2027-02-28T08:00:00Z")  # within freeze_hours (48) of its start
    assert report(client, tokens, "in_progress").status_code == 200


def test_a_state_survives_a_new_publication_when_the_window_did_not_move(published, app, client,
                                                                          tokens):
    report(client, tokens, "in_progress")
    report(client, tokens, "in_progress", wid=window_id("weu-small", 1))
    publish(app, document(CANARY, window("weu-small", "2026-01-08")))
    assert state_now(client, tokens) == "in_progress"
    assert state_now(client, tokens, window_id("weu-small", 1)) == "planned"  # it moved


def test_an_unknown_window_is_a_404(published, client, tokens):
    response = report(client, tokens, "in_progress", wid="no-such-window")
    assert response.status_code == 404
    assert response.mimetype == "application/problem+json"


def test_a_bad_state_body_gets_field_messages(published, client, tokens):
    response = client.post(f"/api/v1/windows/{WID}/state", json={"state": "exploded"},
                           headers=tokens["reporter"])
    assert response.status_code == 422
    assert "state" in response.get_json()["errors"]
    wrong_type = client.post(f"/api/v1/windows/{WID}/state", data="state=done",
                             headers={**tokens["reporter"], "Content-Type": "text/plain"})
    assert wrong_type.status_code == 415
