"""The operators' commands: init-db, create-token, publish."""
import hashlib

import sqlalchemy as sa

from api import db
from api.auth import hash_token
from tests.workbooks import broken_workbook, set_cell, valid_tabs, valid_workbook, xlsx


def test_init_db_creates_the_schema_and_can_run_again(runner, app):
    for _ in range(2):
        result = runner.invoke(args=["init-db"])
        assert result.exit_code == 0, result.output
        assert "database ready" in result.output


def test_create_token_prints_the_token_alone_on_the_last_line_and_stores_its_hash(runner, app):
    result = runner.invoke(args=["create-token", "provider", "--role", "reader"])
    assert result.exit_code == 0, result.output
    token = result.output.strip().splitlines()[-1]
    assert len(token) >= 40 and " " not in token
    with app.app_context(), db.reading() as conn:
        row = conn.execute(sa.select(db.tokens)).one()
    assert (row.name, row.role, row.token_hash) == ("provider", "reader", hash_token(token))
    assert token not in str(tuple(row))
    again = runner.invoke(args=["create-token", "provider", "--role", "planner"])
    assert again.exit_code != 0 and "already exists" in again.output


def test_create_token_refuses_an_unknown_role(runner):
    result = runner.invoke(args=["create-token", "x", "--role", "admin"])
    assert result.exit_code == 2
    assert "reader" in result.output


def test_publish_publishes_a_workbook_once_and_refuses_a_broken_one(runner, app, at_test_now,
                                                                   tmp_path):
    good, bad = tmp_path / "good.xlsx", tmp_path / "bad.xlsx"
    good.write_bytes(valid_workbook())
    bad.write_bytes(broken_workbook())
    first = runner.invoke(args=["publish", str(good), "--message", "cut 1"])
    assert first.exit_code == 0, first.output
    assert "as version 1" in first.output
    assert "already version 1" in runner.invoke(args=["publish", str(good)]).output
    refused = runner.invoke(args=["publish", str(bad)])
    assert refused.exit_code == 1
    assert "Clusters!D2" in refused.output
    with app.app_context(), db.reading() as conn:
        row = conn.execute(sa.select(db.publications)).one()
    assert row.source_hash == hashlib.sha256(good.read_bytes()).hexdigest()


def test_rotating_a_token_replaces_the_old_one(runner, app):
    old = runner.invoke(args=["create-token", "local", "--role", "reader"]).output.split()[-1]
    result = runner.invoke(args=["create-token", "local", "--role", "reporter", "--rotate"])
    assert result.exit_code == 0, result.output
    new = result.output.split()[-1]
    with app.app_context(), db.reading() as conn:
        rows = conn.execute(sa.select(db.tokens)).all()
    assert [(r.name, r.role, r.token_hash) for r in rows] == [
        ("local", "reporter", hash_token(new))]
    assert hash_token(old) != hash_token(new)


def test_publishing_a_new_version_says_what_changed_against_the_current_one(runner, at_test_now,
                                                                          tmp_path):
    first, second = tmp_path / "first.xlsx", tmp_path / "second.xlsx"
    first.write_bytes(valid_workbook())
    second.write_bytes(xlsx(set_cell(set_cell(valid_tabs(), "Settings!B3", "2026-03-31"), "Clusters!D3", 500)))
    assert runner.invoke(args=["publish", str(first)]).exit_code == 0
    result = runner.invoke(args=["publish", str(second)])
    assert result.exit_code == 0, result.output
    changed = result.output.splitlines()[-1]
    assert changed.startswith("against version 1: 0 added, 0 removed, ")
    assert changed.endswith("(GET /api/v1/versions/2/diff?against=1)")
    assert "0 resized" not in changed  # the cluster's batches now hold fewer nodes


def test_list_tokens_shows_names_and_roles_and_revoke_token_stops_one(runner, app):
    token = runner.invoke(args=["create-token", "provider", "--role", "reader"]).output.split()[-1]
    runner.invoke(args=["create-token", "scheduler", "--role", "reporter"])
    listed = runner.invoke(args=["list-tokens"])
    assert [line.split("\t")[:2] for line in listed.output.splitlines()] == [
        ["provider", "reader"], ["scheduler", "reporter"]]
    assert token not in listed.output
    assert runner.invoke(args=["revoke-token", "provider"]).exit_code == 0
    headers = {"Authorization": f"Bearer {token}"}
    assert app.test_client().get("/api/v1/versions", headers=headers).status_code == 401
    missing = runner.invoke(args=["revoke-token", "provider"])
    assert missing.exit_code != 0 and "no consumer named 'provider'" in missing.output
