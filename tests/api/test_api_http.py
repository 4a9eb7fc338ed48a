"""The API over real HTTP: two gunicorn instances sharing one database behave as one."""
import io

import pytest
import requests

from api import create_app
from api.auth import create_token
from api.windows import window_id
from tests.api_plans import document, publish, window
from tests.conftest import TEST_NOW
from tests.servers import Gunicorn


@pytest.fixture
def instances(database_url):
    """Two gunicorn instances (two workers each) on the same database, and a token per role."""
    app = create_app({"DATABASE_URL": database_url})
    with app.app_context():
        headers = {role: {"Authorization": "Bearer " + create_token(f"{role}-bot", role)}
                   for role in ("reader", "reporter", "planner")}
    now = {"PLANNER_NOW": TEST_NOW}  # the test workbook is published at its first morning
    first = Gunicorn(database_url, extra_env=now)
    try:
        second = Gunicorn(database_url, extra_env=now)
    except RuntimeError:
        first.stop()
        raise
    yield app, first.url, second.url, headers
    first.stop()
    second.stop()


def test_a_version_published_on_one_instance_is_served_by_the_other_with_the_same_etag(
        instances):
    app, one, two, headers = instances
    publish(app, document(window("c1", "2026-01-05")))
    on_one = requests.get(one + "/api/v1/schedule", headers=headers["reader"], timeout=10)
    on_two = requests.get(two + "/api/v1/schedule", headers=headers["reader"], timeout=10)
    assert on_one.status_code == on_two.status_code == 200
    assert on_one.content == on_two.content
    assert on_one.headers["ETag"] == on_two.headers["ETag"]
    assert on_one.headers["Last-Modified"] == on_two.headers["Last-Modified"]
    cached = requests.get(two + "/api/v1/schedule", timeout=10,
                          headers={**headers["reader"], "If-None-Match": on_one.headers["ETag"]})
    assert cached.status_code == 304

    publish(app, document(window("c1", "2026-01-05"), window("c2", "2026-01-06")))
    for base in (one, two):  # both instances see version 2 at once
        fresh = requests.get(base + "/api/v1/schedule", timeout=10,
                             headers={**headers["reader"], "If-None-Match": on_one.headers["ETag"]})
        assert fresh.status_code == 200 and fresh.json()["version"] == 2


def test_a_state_reported_to_one_instance_is_served_by_the_other(instances):
    app, one, two, headers = instances
    publish(app, document(window("c1", "2026-01-05")))
    before = requests.get(two + "/api/v1/schedule", headers=headers["reader"], timeout=10)
    reported = requests.post(f"{one}/api/v1/windows/{window_id('c1', 1)}/state",
                             json={"state": "in_progress", "note": "started"},
                             headers=headers["reporter"], timeout=10)
    assert reported.status_code == 200
    after = requests.get(two + "/api/v1/schedule", timeout=10,
                         headers={**headers["reader"], "If-None-Match": before.headers["ETag"]})
    assert after.status_code == 200
    assert after.json()["windows"][0]["state"] == "in_progress"


def test_errors_over_http_are_problems(instances):
    _, one, _, headers = instances
    anonymous = requests.get(one + "/api/v1/schedule", timeout=10)
    assert anonymous.status_code == 401
    assert anonymous.headers["Content-Type"] == "application/problem+json"
    assert anonymous.headers["WWW-Authenticate"].startswith("Bearer")
    too_low = requests.post(one + "/api/v1/publications", headers=headers["reader"], timeout=10,
                            files={"workbook": ("f.xlsx", io.BytesIO(b"x"))})
    assert too_low.status_code == 403
    assert requests.get(one + "/readyz", timeout=10).json() == {"status": "ready"}


def test_publishing_a_workbook_over_http_then_refusing_a_broken_one(instances):
    from tests.workbooks import broken_workbook, valid_workbook

    _, one, two, headers = instances
    published = requests.post(one + "/api/v1/publications", headers=headers["planner"],
                              files={"workbook": ("fleet.xlsx", valid_workbook())},
                              data={"message": "first cut"}, timeout=60)
    assert published.status_code == 201, published.text
    assert published.json()["version"] == 1
    assert published.headers["Location"].endswith("/api/v1/versions/1")
    refused = requests.post(two + "/api/v1/publications", headers=headers["planner"],
                            files={"workbook": ("fleet.xlsx", broken_workbook())}, timeout=60)
    assert refused.status_code == 422
    assert refused.headers["Content-Type"] == "application/problem+json"
    assert refused.json()["errors"][0]["cell"] == "Clusters!D2"
    current = requests.get(two + "/api/v1/schedule", headers=headers["reader"], timeout=10)
    assert current.json()["version"] == 1
