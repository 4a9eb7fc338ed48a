"""Webhooks, as a subscriber sees them: a real HTTP receiver on loopback, signatures checked
with the standardwebhooks package as a receiver would, retries, crashes and two workers."""
import json
import signal

import pytest
import sqlalchemy as sa
from standardwebhooks import Webhook

from api import db
from api.windows import window_id
from tests.api_plans import document, publish, window
from tests.receiver import FAST, Receiver, deliver_process, deliver_until, subscribe

CANARY = window("swc-canary", "2026-01-05")
WID = window_id("swc-canary", 1)


@pytest.fixture
def receiver():
    server = Receiver()
    yield server
    server.stop()


@pytest.fixture
def fast(app):
    app.config.update(FAST)
    return app


def verified(sub, received):
    return Webhook(sub["secret"]).verify(received.body, received.headers)


def test_a_publication_delivers_one_signed_event_that_verifies(fast, client, tokens, receiver):
    sub = subscribe(client, tokens["reader"], receiver.url + "/hook")
    assert sub["secret"].startswith("whsec_")
    publish(fast, document(CANARY), message="first cut")
    deliver_until(fast, lambda: receiver.received)
    [got] = receiver.received
    event = verified(sub, got)
    assert event["type"] == "version.published"
    assert got.headers["webhook-id"].startswith("msg_")
    data = event["data"]
    assert (data["version"], data["previous"], data["message"]) == (1, None, "first cut")
    assert [w["id"] for w in data["diff"]["added"]] == [WID]
    assert data["schedule_url"].endswith("/api/v1/versions/1")


def test_a_state_report_delivers_one_signed_event_with_both_states(fast, client, tokens,
                                                                    receiver):
    publish(fast, document(CANARY))
    sub = subscribe(client, tokens["reader"], receiver.url, events=["window.state_changed"])
    client.post(f"/api/v1/windows/{WID}/state", json={"state": "in_progress", "note": "go"},
                headers=tokens["reporter"])
    deliver_until(fast, lambda: receiver.received)
    [got] = receiver.received
    data = verified(sub, got)["data"]
    assert (data["window"]["id"], data["old_state"], data["new_state"], data["note"]) == (
        WID, "planned", "in_progress", "go")
    assert "failed_nodes" in data


def test_a_refused_change_announces_nothing(fast, client, tokens):
    publish(fast, document(CANARY))
    client.post(f"/api/v1/windows/{WID}/state", json={"state": "done"},
                headers=tokens["reporter"])  # 409: planned cannot become done
    with fast.app_context(), db.reading() as conn:
        types = conn.execute(sa.select(db.outbox.c.type)).scalars().all()
    assert types == ["version.published"]


def test_a_receiver_failing_three_times_gets_the_event_on_the_fourth_attempt(fast, client,
                                                                              tokens):
    receiver = Receiver(statuses=[500, 500, 500])
    try:
        sub = subscribe(client, tokens["reader"], receiver.url)
        publish(fast, document(CANARY))
        deliver_until(fast, lambda: len(receiver.received) >= 4)
        assert len({r.event_id for r in receiver.received}) == 1  # the same event each time
        assert verified(sub, receiver.received[-1])["type"] == "version.published"
        attempts = client.get(f"/api/v1/subscriptions/{sub['id']}/deliveries",
                              headers=tokens["reader"]).get_json()
        assert [(a["attempt"], a["status_code"]) for a in reversed(attempts)] == [
            (1, 500), (2, 500), (3, 500), (4, 200)]
        assert attempts[0]["delivery_status"] == "delivered"
        listed = client.get("/api/v1/subscriptions", headers=tokens["reader"]).get_json()
        assert (listed[0]["enabled"], listed[0]["failures"], listed[0]["pending"]) == (True, 0, 0)
    finally:
        receiver.stop()


def test_a_run_of_failures_disables_the_subscription_and_redelivery_enables_it(fast, client,
                                                                                tokens):
    fast.config["WEBHOOK_DISABLE_AFTER"] = 3
    receiver = Receiver(statuses=[503] * 3)
    try:
        sub = subscribe(client, tokens["reader"], receiver.url)
        publish(fast, document(CANARY))
        deliver_until(fast, lambda: len(receiver.received) >= 3)
        shown = client.get(f"/api/v1/subscriptions/{sub['id']}", headers=tokens["reader"])
        body = shown.get_json()
        assert (body["enabled"], body["failures"], body["pending"]) == (False, 3, 1)
        assert "3 failed attempts in a row" in body["disabled_reason"]
        [attempt, *_] = client.get(f"/api/v1/subscriptions/{sub['id']}/deliveries",
                                   headers=tokens["reader"]).get_json()
        again = client.post(f"/api/v1/subscriptions/{sub['id']}/deliveries/"
                            f"{attempt['delivery_id']}/redeliver", headers=tokens["reader"])
        assert again.status_code == 202 and again.get_json()["enabled"]
        deliver_until(fast, lambda: len(receiver.received) >= 4)
    finally:
        receiver.stop()


@pytest.mark.parametrize("url", ["http://10.1.2.3/hook", "http://192.168.0.9/",
                                 "http://169.254.169.254/latest", "http://127.0.0.1:9/",
                                 "http://[::1]/", "http://localhost/"])
def test_a_private_or_loopback_url_is_refused(client, tokens, url):
    response = client.post("/api/v1/subscriptions", json={"url": url,
                                                          "events": ["version.published"]},
                           headers=tokens["reader"])
    assert response.status_code == 422
    assert response.get_json()["type"].endswith("refused-url")


def test_subscriptions_are_each_tokens_own_and_a_planner_sees_all(fast, client, tokens,
                                                                  receiver):
    mine = subscribe(client, tokens["reader"], receiver.url)
    subscribe(client, tokens["reporter"], receiver.url)
    assert [s["id"] for s in client.get("/api/v1/subscriptions",
                                        headers=tokens["reader"]).get_json()] == [mine["id"]]
    assert len(client.get("/api/v1/subscriptions", headers=tokens["planner"]).get_json()) == 2
    assert "secret" not in client.get(f"/api/v1/subscriptions/{mine['id']}",
                                      headers=tokens["reader"]).get_json()
    assert client.delete(f"/api/v1/subscriptions/{mine['id']}",
                         headers=tokens["reporter"]).status_code == 404
    assert client.delete(f"/api/v1/subscriptions/{mine['id']}",
                         headers=tokens["reader"]).status_code == 204


def _report_all(client, tokens, windows):
    for w in windows:
        response = client.post(f"/api/v1/windows/{window_id(w['cluster'], 1)}/state",
                               json={"state": "in_progress"}, headers=tokens["reporter"])
        assert response.status_code == 200


def test_a_worker_killed_mid_delivery_and_restarted_delivers_every_event(fast, client, tokens):
    app = fast
    receiver = Receiver(hold_first=True)
    windows = [window(f"c{i:02d}", "2026-01-05") for i in range(10)]
    try:
        subscribe(client, tokens["reader"], receiver.url, events=["window.state_changed"])
        publish(app, document(*windows))
        _report_all(client, tokens, windows)
        with app.app_context(), db.reading() as conn:
            expected = set(conn.execute(sa.select(db.outbox.c.event_id)
                                        .where(db.outbox.c.type == "window.state_changed"))
                           .scalars())
        first = deliver_process(app.config["DATABASE_URL"], "first")
        assert receiver.holding.wait(30), first.stderr.read1().decode() if first.poll() else ""
        first.send_signal(signal.SIGKILL)  # in the middle of its first delivery
        first.wait()
        receiver.release.set()
        second = deliver_process(app.config["DATABASE_URL"], "second")
        try:
            assert receiver.wait_for(lambda got: {r.event_id for r in got} >= expected)
        finally:
            second.terminate()
            second.wait(10)
        order = [r.event_id for r in receiver.received]
        assert len(expected) == 10 and set(order) == expected
        # at least once: the one in flight may come twice, and order is kept after it
        assert [json.loads(r.body)["data"]["window"]["cluster"] for r in receiver.received
                ][-10:] == [f"c{i:02d}" for i in range(10)]
    finally:
        receiver.stop()


def test_two_workers_on_one_postgresql_never_send_the_same_attempt_twice(pg_server, tmp_path):
    from api import create_app
    from api.auth import create_token
    from tests.servers import drop_database, fresh_database

    url = fresh_database(pg_server)
    receiver = Receiver()
    workers = []
    try:
        app = create_app({"TESTING": True, "DATABASE_URL": url, **FAST})
        db.migrate(url)
        client = app.test_client()
        with app.app_context():
            headers = {r: {"Authorization": "Bearer " + create_token(f"{r}-bot", r)}
                       for r in ("reader", "reporter")}
        windows = [window(f"c{i:02d}", "2026-01-05") for i in range(20)]
        publish(app, document(*windows))
        subs = [subscribe(client, headers["reader"], f"{receiver.url}/s{i}",
                          events=["window.state_changed"]) for i in range(6)]
        # three subscriptions a round each, so both are needed; both polling before events
        workers = [deliver_process(url, name, WEBHOOK_WORKER_THREADS=3) for name in ("w1", "w2")]
        for process in workers:
            assert b"delivery worker" in process.stderr.readline()
        _report_all(client, headers, windows)
        assert receiver.wait_for(lambda got: len(got) >= 6 * 20)

        def attempts():
            with app.app_context(), db.reading() as conn:
                return conn.execute(sa.select(db.delivery_attempts.c.attempt,
                                              db.delivery_attempts.c.worker)).all()

        assert receiver.wait_for(lambda _: len(attempts()) >= 120)  # answers recorded too
        for process in workers:
            process.terminate()
            process.wait(10)
        pairs = [(r.path, r.event_id) for r in receiver.received]
        assert len(pairs) == len(set(pairs)) == 6 * 20  # each event once to each subscriber
        attempts = attempts()
        assert len(attempts) == 120 and {a.attempt for a in attempts} == {1}
        assert {a.worker for a in attempts} == {"w1", "w2"}
        for i, sub in enumerate(subs):  # in order per subscription
            mine = [json.loads(r.body)["data"]["window"]["cluster"] for r in receiver.received
                    if r.path == f"/s{i}"]
            assert mine == [w["cluster"] for w in windows]
    finally:
        for process in workers:
            if process.poll() is None:
                process.kill()
        receiver.stop()
        drop_database(pg_server, url)


def test_window_upcoming_is_sent_once_notice_hours_before_a_window_starts(fast, client, tokens,
                                                                       receiver):
    import datetime as dt

    sub = subscribe(client, tokens["reader"], receiver.url, events=["window.upcoming"])
    doc = document(CANARY, window("later", "2026-01-09"))
    publish(fast, {**doc, "notice_hours": 30})
    # swc-canary starts 2026-01-05 10:00 UTC: 29 h after this, within the 30 h notice
    fast.config["NOW"] = dt.datetime(2026, 1, 4, 5, tzinfo=dt.timezone.utc)
    deliver_until(fast, lambda: receiver.received)
    deliver_until(fast, lambda: True)  # another round announces nothing new
    [got] = receiver.received
    data = verified(sub, got)["data"]
    assert (data["window"]["id"], data["notice_hours"], data["starts_in_hours"]) == (WID, 30, 29)
