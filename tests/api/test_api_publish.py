"""Publishing an uploaded workbook: validated and planned for real, or refused with the reasons."""
import hashlib
import io

import pytest

from tests.workbooks import broken_workbook, late_workbook, valid_workbook


@pytest.fixture(autouse=True)
def planned_at_the_workbooks_first_morning(at_test_now):
    """The test workbooks start on 2026-01-05: publish them then, not at the wall clock."""


def post(client, tokens, data: bytes, message="cut 1"):
    return client.post("/api/v1/publications", headers=tokens["planner"],
                       data={"workbook": (io.BytesIO(data), "fleet.xlsx"), "message": message},
                       content_type="multipart/form-data")


def test_a_valid_workbook_becomes_version_1_with_its_hash_author_and_message(client, tokens):
    data = valid_workbook()
    response = post(client, tokens, data)
    assert response.status_code == 201, response.get_json()
    body = response.get_json()
    assert (body["version"], body["who"], body["message"]) == (1, "planner-bot", "cut 1")
    assert body["source_hash"] == hashlib.sha256(data).hexdigest()
    schedule = client.get("/api/v1/schedule", headers=tokens["reader"]).get_json()
    assert schedule["version"] == 1 and len(schedule["windows"]) == body["windows"] > 0
    assert body["bound"]["gap_days"] >= 0 and body["bound"]["deadline_possible"] is True


def test_a_workbook_with_sheet_errors_is_refused_and_the_old_version_still_served(client, tokens):
    post(client, tokens, valid_workbook())
    refused = post(client, tokens, broken_workbook(), message="oops")
    assert refused.status_code == 422
    assert refused.mimetype == "application/problem+json"
    body = refused.get_json()
    assert [e["cell"] for e in body["errors"]] == ["Clusters!D2"]
    assert "current version is unchanged" in body["detail"]
    versions = client.get("/api/v1/versions", headers=tokens["reader"]).get_json()
    assert [v["version"] for v in versions] == [1]
    assert client.get("/api/v1/schedule", headers=tokens["reader"]).get_json()["version"] == 1


def test_a_workbook_whose_plan_misses_the_deadline_is_refused_with_the_violation(client, tokens):
    refused = post(client, tokens, late_workbook())
    assert refused.status_code == 422
    body = refused.get_json()
    assert body["errors"] == []
    assert [v["cell"] for v in body["violations"]] == ["Settings!B3"]
    assert client.get("/api/v1/versions", headers=tokens["reader"]).get_json() == []


def test_a_plan_with_error_violations_is_refused_with_them(app, client, tokens):
    from api.errors import InvalidWorkbook
    from api.service import publish
    from tests.api_plans import document, window

    violation = {"rule": "daily-cap", "severity": "error", "message": "1900 nodes out > 1800",
                 "cell": "Rules!A3", "cluster": None, "date": "2026-01-05"}
    warning = {**violation, "severity": "warning", "rule": "soft"}
    with app.app_context(), pytest.raises(InvalidWorkbook) as refused:
        publish(document(window("c1", "2026-01-05"), violations=[violation, warning]),
                "0" * 64, "p", "")
    assert refused.value.kind == "plan-refused"
    assert refused.value.extra["violations"] == [violation]
    with app.app_context():
        accepted = publish(document(window("c1", "2026-01-05"), violations=[warning]),
                           "0" * 64, "p", "")
    assert accepted.version == 1
