"""Roles on every endpoint (reader < reporter < planner), 401 vs 403, and problem+json errors."""
import io

import pytest
import sqlalchemy as sa

from api.auth import ROLES
from api.windows import window_id
from tests.api_plans import document, publish, window

WID = window_id("swc-canary", 1)
# (method, url, lowest role allowed, request kwargs)
ENDPOINTS = [
    ("get", "/api/v1/schedule", "reader", {}),
    ("get", "/api/v1/schedule?format=ics", "reader", {}),
    ("get", "/api/v1/versions", "reader", {}),
    ("get", "/api/v1/versions/1", "reader", {}),
    ("get", "/api/v1/versions/1/diff?against=1", "reader", {}),
    ("get", "/api/v1/upcoming?hours=24", "reader", {}),
    ("get", "/api/v1/clusters/swc-canary", "reader", {}),
    ("post", f"/api/v1/windows/{WID}/state", "reporter", {"json": {"state": "cancelled"}}),
    ("post", "/api/v1/publications", "planner", {}),
]


def upload(data=b"not a workbook", message="m"):
    return {"data": {"workbook": (io.BytesIO(data), "fleet.xlsx"), "message": message},
            "content_type": "multipart/form-data"}


@pytest.fixture
def published(app):
    publish(app, document(window("swc-canary", "2026-01-05")))
    return app


def call(client, method, url, kwargs, headers):
    if url.endswith("/publications"):
        kwargs = upload()
    return getattr(client, method)(url, headers=headers, **kwargs)


def assert_problem(response, status):
    assert response.status_code == status, response.data
    assert response.mimetype == "application/problem+json"
    body = response.get_json()
    assert body["status"] == status and body["title"] and body["type"]
    return body


@pytest.mark.parametrize("method,url,lowest,kwargs", ENDPOINTS)
@pytest.mark.parametrize("role", ROLES)
def test_each_role_on_each_endpoint(published, client, tokens, role, method, url, lowest, kwargs):
    response = call(client, method, url, kwargs, tokens[role])
    if ROLES.index(role) >= ROLES.index(lowest):
        assert response.status_code not in (401, 403), response.data
    else:
        body = assert_problem(response, 403)
        assert f"needs the {lowest} role" in body["detail"]
        assert f"has the {role} role" in body["detail"]


@pytest.mark.parametrize("method,url,lowest,kwargs", ENDPOINTS)
@pytest.mark.parametrize("header,error", [
    (None, None), ("Bearer nope", 'error="invalid_token"'),
    ("Basic dXNlcjpwYXNz", 'error="invalid_request"')])
def test_no_or_a_bad_token_is_a_401_with_a_challenge(published, client, method, url, lowest,
                                                      kwargs, header, error):
    headers = {"Authorization": header} if header else {}
    response = call(client, method, url, kwargs, headers)
    assert_problem(response, 401)
    challenge = response.headers["WWW-Authenticate"]
    assert challenge.startswith("Bearer realm=")
    assert error is None or error in challenge


def test_health_and_readiness_are_open(client):
    assert client.get("/healthz").get_json() == {"status": "ok"}
    assert client.get("/readyz").get_json() == {"status": "ready"}


def test_readiness_is_a_503_problem_when_the_database_is_unreachable(tmp_path):
    from api import create_app

    app = create_app({"TESTING": True,
                      "DATABASE_URL": "postgresql://nobody@127.0.0.1:1/none?connect_timeout=1"})
    assert_problem(app.test_client().get("/readyz"), 503)


def test_unknown_urls_and_methods_are_problems(client, tokens):
    assert_problem(client.get("/api/v1/nothing-here", headers=tokens["reader"]), 404)
    response = client.delete("/api/v1/schedule", headers=tokens["planner"])
    assert_problem(response, 405)
    assert "GET" in response.headers["Allow"]


def test_a_malformed_json_body_is_a_400(published, client, tokens):
    response = client.post(f"/api/v1/windows/{WID}/state", data="{not json",
                           headers={**tokens["reporter"], "Content-Type": "application/json"})
    assert_problem(response, 400)


def test_a_body_over_the_default_8_mib_limit_is_a_413(app, client, tokens):
    assert app.config["MAX_CONTENT_LENGTH"] == 8 * 1024 * 1024
    assert_problem(client.post("/api/v1/publications", headers=tokens["planner"],
                               **upload(b"x" * (8 * 1024 * 1024 + 1))), 413)


def test_a_body_limit_set_in_the_config_is_the_one_applied(app, client, tokens):
    app.config["MAX_CONTENT_LENGTH"] = 1024
    assert_problem(client.post("/api/v1/publications", headers=tokens["planner"],
                               **upload(b"x" * 4096)), 413)


def test_publishing_needs_a_multipart_upload_with_a_workbook(client, tokens):
    assert_problem(client.post("/api/v1/publications", json={"workbook": "x"},
                               headers=tokens["planner"]), 415)
    body = assert_problem(client.post("/api/v1/publications", data={"message": "m"},
                                      content_type="multipart/form-data",
                                      headers=tokens["planner"]), 422)
    assert "workbook" in body["errors"]


def test_an_upload_that_is_not_a_workbook_is_refused_with_the_reason(published, client, tokens):
    body = assert_problem(client.post("/api/v1/publications", headers=tokens["planner"],
                                      **upload()), 422)
    assert "not a readable workbook" in body["detail"]
    assert client.get("/api/v1/schedule", headers=tokens["reader"]).get_json()["version"] == 1


def test_an_unexpected_error_is_a_500_problem_without_internals(app, client, tokens):
    def boom():
        raise sa.exc.ArgumentError("secret internals")

    app.add_url_rule("/boom", view_func=boom)
    body = assert_problem(client.get("/boom"), 500)
    assert "secret" not in body["detail"]


def test_the_openapi_document_and_the_offline_docs_page_are_served(client):
    spec = client.get("/api/openapi.json").get_json()
    assert spec["openapi"].startswith("3.")
    assert "/api/v1/schedule" in spec["paths"]
    assert spec["components"]["securitySchemes"]["bearerAuth"]["scheme"] == "bearer"
    page = client.get("/api/docs").get_data(as_text=True)
    assert "/api/docs/assets/swagger-ui-bundle.js" in page and "http" not in page.split(
        "<body>")[0]
    assert client.get("/api/docs/assets/swagger-ui-bundle.js").status_code == 200
